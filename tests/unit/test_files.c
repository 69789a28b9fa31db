/* Unit tests: the temporary-file scheme every writer shares (util_tmp_create,
 * util_tmp_sweep), the SQLite header test, the store's own-files test, and a first
 * build's private file (store_opts.build_private, store_publish, store_opts.scratch). */
#include "check.h"
#include "ragtrack/store.h"
#include "ragtrack/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/ragtrack-files-XXXXXX";

static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* A PID that has exited: a finished child's. */
static pid_t dead_pid(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static void test_tmp_create(void)
{
	char *target = in_dir("plan.csv"), *tmp = NULL, *tmp2 = NULL;
	int fd = util_tmp_create(target, &tmp);
	CHECK(fd >= 0);
	char *prefix = xasprintf("%s/.plan.csv.%ld-", dir, (long)getpid());
	CHECK(tmp && strncmp(tmp, prefix, strlen(prefix)) == 0 && strlen(tmp) == strlen(prefix) + 6);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600);
	int fd2 = util_tmp_create(target, &tmp2);
	CHECK(fd2 >= 0 && strcmp(tmp, tmp2) != 0);          /* never the same name twice */
	CHECK_INT(util_tmp_sweep(target), 0);                 /* ours, running: kept */
	CHECK(access(tmp, F_OK) == 0);
	close(fd);
	close(fd2);
	unlink(tmp);
	unlink(tmp2);
	char *missing = in_dir("no/such/plan.csv"), *none = NULL;
	errno = 0;
	CHECK(util_tmp_create(missing, &none) < 0 && errno == ENOENT && none == NULL);
	free(missing);
	free(prefix);
	free(tmp);
	free(tmp2);
	free(target);
}

static void test_tmp_sweep(void)
{
	char *target = in_dir("copy.db");
	long dead = (long)dead_pid();
	char *stale = xasprintf("%s/.copy.db.%ld-AbCdEf", dir, dead);
	char *stale_wal = xasprintf("%s-wal", stale);
	char *other_name = xasprintf("%s/.copy.dbx.%ld-AbCdEf", dir, dead);   /* another target's */
	char *odd = xasprintf("%s/.copy.db.%ld-AbCdEf.bak", dir, dead);        /* not the scheme's */
	char *link = xasprintf("%s/.copy.db.%ld-LnKabc", dir, dead);
	char *victim = in_dir("victim");
	write_file(stale, "x");
	write_file(stale_wal, "x");
	write_file(other_name, "x");
	write_file(odd, "x");
	write_file(victim, "keep");
	CHECK(symlink(victim, link) == 0);
	CHECK_INT(util_tmp_sweep(target), 2);
	CHECK(access(stale, F_OK) != 0);
	CHECK(access(stale_wal, F_OK) != 0);
	CHECK(access(other_name, F_OK) == 0);
	CHECK(access(odd, F_OK) == 0);
	struct stat st;
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));     /* a link: neither followed nor removed */
	CHECK(stat(victim, &st) == 0 && st.st_size == 4);
	unlink(other_name);
	unlink(odd);
	unlink(link);
	unlink(victim);
	free(stale);
	free(stale_wal);
	free(other_name);
	free(odd);
	free(link);
	free(victim);
	free(target);
}

static void test_is_sqlite(void)
{
	char *text = in_dir("text.csv"), *fake = in_dir("fake.db"), *fifo = in_dir("fifo");
	write_file(text, "SQLite format 2 is not it\n");
	write_file(fake, "SQLite format 3");            /* 15 bytes: no NUL, too short */
	CHECK(mkfifo(fifo, 0600) == 0);
	CHECK(!util_file_is_sqlite(text));
	CHECK(!util_file_is_sqlite(fake));
	CHECK(!util_file_is_sqlite(fifo));              /* never blocks on a pipe */
	CHECK(!util_file_is_sqlite(dir));
	char *path = in_dir("real.db");
	struct store *s;
	struct err e = {0};
	CHECK_INT(store_open(path, NULL, &s, &e), OK);
	CHECK(util_file_is_sqlite(path));
	CHECK(store_owns_path(s, path));
	char *wal = xasprintf("%s-wal", path), *journal = xasprintf("%s-journal", path);
	CHECK(store_owns_path(s, wal));
	CHECK(store_owns_path(s, journal));             /* not there: by folder and name */
	CHECK(!store_owns_path(s, text));
	char *link = in_dir("link.csv");
	CHECK(symlink(wal, link) == 0);
	CHECK(store_owns_path(s, link));
	store_close(s);
	CHECK(store_file_is_ragtrack(path));            /* closed: its WAL checkpointed into the file */
	CHECK(!store_file_is_ragtrack(text));
	unlink(link);
	unlink(text);
	unlink(fake);
	unlink(fifo);
	free(link);
	free(wal);
	free(journal);
	free(text);
	free(fake);
	free(fifo);
	free(path);
}

/* The names in folder, sorted, space-separated (a private build's hidden one shown as
 * ".NAME.tmp"), for comparing. */
static char *listing(const char *folder)
{
	struct dirent **names;
	int n = scandir(folder, &names, NULL, alphasort);
	struct buf b = {0};
	buf_adds(&b, "");
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
			const char *pid = name[0] == '.' ? strchr(name + 1, '.') : NULL;
			pid = pid ? strchr(pid + 1, '.') : NULL;       /* .new.db.PID-XXXXXX */
			if (pid)
				buf_printf(&b, "%s%.*s.tmp", b.len ? " " : "", (int)(pid - name), name);
			else
				buf_printf(&b, "%s%s", b.len ? " " : "", name);
		}
		free(names[i]);
	}
	free(names);
	return buf_steal(&b);
}

#define CHECK_LISTING(folder, want) do { \
	char *l_ = listing(folder); \
	CHECK_STR(l_, want); \
	free(l_); \
} while (0)

static void test_private_build(void)
{
	char *sub = in_dir("build"), *path = in_dir("build/new.db"), *gone = in_dir("build/gone.db");
	char *race = in_dir("build/race.db"), *dry = in_dir("build/dry.db");
	CHECK(mkdir(sub, 0700) == 0);
	struct store_opts o = { .source = SOURCE_IMPORT, .create = 1, .build_private = 1, .user = "unit" };
	struct store *s;
	struct err e = {0};
	CHECK_INT(store_open(path, &o, &s, &e), OK);
	CHECK_STR(store_display_name(s), "new.db");
	CHECK_LISTING(sub, ".new.db.tmp");                 /* unseen until published */
	CHECK_INT(store_publish(s, &e), OK);
	CHECK_LISTING(sub, "new.db");                      /* in place, nothing beside it */
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0660);
	CHECK(store_file_is_ragtrack(path));
	/* an existing database opens in place, and publishing it only closes it */
	CHECK_INT(store_open(path, &o, &s, &e), OK);
	CHECK_INT(store_publish(s, &e), OK);
	CHECK_LISTING(sub, "new.db");
	/* closed unpublished: nothing remains */
	CHECK_INT(store_open(gone, &o, &s, &e), OK);
	store_close(s);
	CHECK_LISTING(sub, "new.db");
	/* a file that appeared at the path meanwhile is never replaced */
	CHECK_INT(store_open(race, &o, &s, &e), OK);
	write_file(race, "someone else's");
	CHECK_INT(store_publish(s, &e), ERR_IO);
	CHECK(strstr(e.msg, race) != NULL);
	CHECK_LISTING(sub, "new.db race.db");
	CHECK(stat(race, &st) == 0 && st.st_size == 14);       /* untouched */
	/* a scratch database (a dry run without one) leaves no file */
	struct store_opts so = { .source = SOURCE_IMPORT, .scratch = 1, .user = "unit" };
	CHECK_INT(store_open(dry, &so, &s, &e), OK);
	CHECK_STR(store_display_name(s), "dry.db");
	store_close(s);
	CHECK_LISTING(sub, "new.db race.db");
	/* without either, a missing database is not found and nothing is made */
	so.scratch = 0;
	CHECK_INT(store_open(dry, &so, &s, &e), ERR_NOT_FOUND);
	CHECK_LISTING(sub, "new.db race.db");
	free(sub);
	free(path);
	free(gone);
	free(race);
	free(dry);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_tmp_create();
	test_tmp_sweep();
	test_is_sqlite();
	test_private_build();
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	return check_report();
}
