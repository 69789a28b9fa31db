/* cmd_backup: ragtrack backup FILE */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"
#include "ragtrack/writeguard.h"

#include <stdlib.h>

int cmd_backup(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\nWrites a consistent copy of the database to FILE while others keep working\n"
		       "(changes committed after the copy starts are not in it), checks the copy, and\n"
		       "only then puts it in place.  An existing FILE is replaced, unless it is the\n"
		       "database's own file, another program's SQLite database, or a database in use.\n"
		       "On PostgreSQL the copy is a SQLite file of one moment of the server (as db copy\n"
		       "URL FILE writes), which any ragtrack opens with no server.\n");
		return 0;
	}
	if (argc != 2 || argv[1][0] == '\0') {
		fprintf(stderr, "ragtrack backup: give the file to write (ragtrack backup --help)\n");
		return status_exit(ERR_USAGE);
	}
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	struct err e = {0};
	int rc = 0;
	if (writeguard_check_backup(s, argv[1], &e) != OK || store_backup(s, argv[1], &e) != OK) {
		rc = cli_fail(&e);
	} else {
		char *shown = text_visible(argv[1], ' ');
		printf("backup written to %s\n", shown);
		free(shown);
	}
	store_close(s);
	return rc;
}
