/* writeguard: where a file may be written.  The store says which files are its own
 * (by device and inode: nothing here knows their names); the file's first bytes say
 * whether it is a database. */
#include "ragtrack/writeguard.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static enum status own_file(const struct store *s, const char *path, struct err *err)
{
	if (store_owns_path(s, path))
		return err_set(err, ERR_INVALID, "%s: is this database's own file (the database or its -wal, -shm or "
		               "-journal, perhaps through a link); name another file", path);
	return OK;
}

enum status writeguard_check(const struct store *s, const char *path, struct err *err)
{
	if (!path || strcmp(path, "-") == 0)
		return OK;
	enum status st = own_file(s, path, err);
	if (st == OK && util_file_is_sqlite(path))
		st = err_set(err, ERR_INVALID, "%s: is an SQLite database, which ragtrack never writes over; "
		             "name another file", path);
	return st;
}

/* Is there a -wal or -shm beside path (someone has the database open, or was killed)? */
static int in_use(const char *path)
{
	static const char *const suffix[] = { "-wal", "-shm" };
	struct stat st;
	int used = 0;
	for (size_t i = 0; !used && i < sizeof suffix / sizeof *suffix; i++) {
		char *p = xasprintf("%s%s", path, suffix[i]);
		used = lstat(p, &st) == 0;
		free(p);
	}
	return used;
}

enum status writeguard_check_backup(const struct store *s, const char *path, struct err *err)
{
	enum status st = own_file(s, path, err);
	if (st != OK || !util_file_is_sqlite(path))
		return st;
	char *real = realpath(path, NULL);
	int busy = in_use(real ? real : path);
	free(real);
	if (busy)
		return err_set(err, ERR_INVALID, "%s: is an SQLite database in use (a -wal or -shm file is beside it); "
		               "back up to another file", path);
	if (!store_file_is_ragtrack(path))
		return err_set(err, ERR_INVALID, "%s: is another program's SQLite database, which ragtrack never writes "
		               "over; back up to another file", path);
	return OK;
}
