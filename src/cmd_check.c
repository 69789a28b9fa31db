/* cmd_check: ragtrack check [--head ROW:HASH] */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

/* "1234:3f0c9a1e5b7d2c48" (or "row 1234, hash 3f0c...") into row and hash; 0 when it
 * is neither.  hash points into s. */
static int head_parse(const char *s, long long *row, const char **hash)
{
	const char *colon = strchr(s, ':');
	if (!colon)
		return 0;
	char *num = xstrndup(s, (size_t)(colon - s));
	*row = cli_parse_id(num);
	free(num);
	*hash = colon + 1;
	size_t n = strlen(*hash);
	return *row > 0 && n >= 8 && n <= 64 && strspn(*hash, "0123456789abcdef") == n;
}

static void report_print(const char *report)
{
	char *shown = text_visible(report, 0);
	fputs(shown, stdout);
	free(shown);
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\nRuns SQLite's integrity check, the foreign-key check, and ragtrack's own:\n"
		       "the search index against the actions, every action's response against its\n"
		       "question and agency, the guards that keep the change log append-only, and\n"
		       "the change log's hash chain: a row rewritten, removed or moved is named by its\n"
		       "number.  The chain's line gives the last row and its hash: note them (in the\n"
		       "board's minutes, say) and give them to a later check as --head ROW:HASH, which\n"
		       "finds rows removed from the end and a chain recomputed from an earlier row.\n"
		       "Prints one line per check; exits 0 when the database is sound.\n");
		return 0;
	}
	long long row = 0;
	const char *hash = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--head") == 0 && i + 1 < argc) {
			if (!head_parse(argv[++i], &row, &hash))
				return cli_usage("check", "--head: '%s' is not ROW:HASH (as check's chain line gives them)",
				                 argv[i]);
		} else {
			return cli_usage("check", "unexpected argument '%s'", argv[i]);
		}
	}
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	struct err e = {0}, he = {0};
	char *report = NULL, *head = NULL;
	int rc = 0;
	enum status st = store_check(s, &report, &e);
	enum status hst = hash ? store_check_head(s, row, hash, &head, &he) : OK;
	if (report)
		report_print(report);
	if (head)
		report_print(head);
	if (st != OK)
		rc = cli_fail(&e);
	else if (hst != OK)
		rc = cli_fail(&he);
	free(report);
	free(head);
	store_close(s);
	return rc;
}
