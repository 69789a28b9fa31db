/* cmd_import: ragtrack import [--review NAME] [--dry-run] FILE... */
#include "ragtrack/cli.h"
#include "ragtrack/import.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A database this run created is removed again when the import fails, so a failed
 * first import leaves nothing behind. */
static void remove_created(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		char *p = xasprintf("%s%s", path, suffix[i]);
		unlink(p);
		free(p);
	}
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv))
		return 0;
	struct import_opts o = { .out = stdout };
	char **files = xcalloc((size_t)argc, sizeof *files);
	const char **reviews = xcalloc((size_t)argc, sizeof *reviews);
	const char *review = NULL;       /* --review applies to the files after it */
	int nfiles = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			o.dry_run = 1;
		else if (strcmp(argv[i], "--review") == 0 && i + 1 < argc)
			review = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			free(files);
			free(reviews);
			return cli_usage("import", "unknown option %s", argv[i]);
		} else {
			reviews[nfiles] = review;
			files[nfiles++] = argv[i];
		}
	}
	if (!nfiles) {
		free(files);
		free(reviews);
		return cli_usage("import", "no files to import");
	}
	int existed = access(c->db, F_OK) == 0;
	const char *db = c->db;
	if (o.dry_run && !existed)
		c->db = ":memory:";
	struct store *s = cli_open(c, 1, SOURCE_IMPORT);
	c->db = db;
	if (!s) {
		free(files);
		free(reviews);
		return c->status;
	}
	struct err e = {0};
	enum status st = import_files(s, files, reviews, nfiles, &o, NULL, &e);
	store_close(s);
	free(files);
	free(reviews);
	if (st != OK) {
		if (!existed && !o.dry_run)
			remove_created(c->db);
		char *msg = text_visible(e.msg, ' ');
		fprintf(stderr, "ragtrack: %s (nothing was imported)\n", msg);
		free(msg);
		return status_exit(st);
	}
	return 0;
}
