/* cmd_check: ragtrack check */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"

#include <stdlib.h>

int cmd_check(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\nRuns SQLite's integrity check, the foreign-key check, and ragtrack's own:\n"
		       "the search index against the actions, every action's response against its\n"
		       "question and agency, the guards that keep the change log append-only, and\n"
		       "the change log's hash chain: a row rewritten, removed or moved is named by its\n"
		       "number.  The last line gives the last row and its hash: note them (in the\n"
		       "board's minutes, say), since rows removed from the end are seen only\n"
		       "against that note.  Prints one line per check; exits 0 when the database is\n"
		       "sound.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "ragtrack check: takes no arguments (ragtrack check --help)\n");
		return status_exit(ERR_USAGE);
	}
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	struct err e = {0};
	char *report = NULL;
	int rc = 0;
	if (store_check(s, &report, &e) != OK)
		rc = cli_fail(&e);
	if (report) {
		char *shown = text_visible(report, 0);
		fputs(shown, stdout);
		free(shown);
	}
	free(report);
	store_close(s);
	return rc;
}
