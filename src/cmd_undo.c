/* cmd_undo: ragtrack undo */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"

#include <stdlib.h>

int cmd_undo(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\nReverses your most recent change (set, or a change in the browser) that is not\n"
		       "undone yet; the undo is itself logged.  Undo again to step further back.\n"
		       "Refused when someone changed the same field since.  Imports, notes and\n"
		       "agency merges are not undone.\n");
		return 0;
	}
	if (argc > 1) {
		char *shown = text_visible(argv[1], ' ');
		fprintf(stderr, "ragtrack undo: unexpected argument '%s' (ragtrack undo --help)\n", shown);
		free(shown);
		return status_exit(ERR_USAGE);
	}
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	struct err e = {0};
	char *what = NULL;
	int rc = 0;
	if (store_undo(s, &what, &e) != OK) {
		rc = cli_fail(&e);
	} else {
		char *shown = text_visible(what ? what : "", ' ');
		printf("undone: %s\n", shown);
		free(shown);
	}
	free(what);
	store_close(s);
	return rc;
}
