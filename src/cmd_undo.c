/* cmd_undo: ragtrack undo [--change N] [--force] */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

int cmd_undo(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\nReverses your most recent change (set, or a change in the browser) that is not\n"
		       "undone yet, made from this account; the undo is itself logged.  Undo again to\n"
		       "step further back.  Refused when someone changed the same field since.\n"
		       "Imports, notes and agency merges are not undone.\n\n"
		       "Options:\n"
		       "  --change N   reverse change N alone (its NO in ragtrack history);\n"
		       "               refused, naming the later change, when a later change to the\n"
		       "               same field still stands\n"
		       "  --force      also reverse a change made from another account (the system\n"
		       "               user that ran it); the undo records that it was forced\n");
		return 0;
	}
	long long change = 0;
	int force = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0) {
			force = 1;
		} else if (strcmp(argv[i], "--change") == 0) {
			if (i + 1 >= argc)
				return cli_usage("undo", "--change needs the change's number");
			if (!(change = cli_parse_id(argv[++i])))
				return cli_usage("undo", "--change: '%s' is not a change number", argv[i]);
		} else {
			return cli_usage("undo", "unexpected argument '%s'", argv[i]);
		}
	}
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	struct err e = {0};
	char *what = NULL;
	int rc = 0;
	if (store_undo_change(s, change, force, &what, &e) != OK) {
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
