/* cmd_tui: ragtrack [tui] [FILTERS] opens the browser (src/tui/).
 *
 * Hidden options for the documentation, which need no database:
 *   --keys-man   the key table as the man page's KEYS section (roff)
 *   --keys       the key table as plain text */
#include "ragtrack/cli.h"
#include "ragtrack/output.h"
#include "ragtrack/tui.h"
#include "ragtrack/util.h"

#include <string.h>

static void tui_help(void)
{
	printf("\nWith filters the browser opens on them; without, on the filters, sort and\n"
	       "cursor you last had on this database.  ? in the browser lists the keys.\n"
	       "\nFilters (combined with AND):\n%s", FILTER_HELP);
}

int cmd_tui(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		tui_help();
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keys-man") == 0) {
			tui_keys_man(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--keys") == 0) {
			tui_keys_text(stdout);
			return 0;
		}
	}
	output_charset_init();      /* C.UTF-8 when the locale has no UTF-8, else ASCII */
	struct filter f;
	filter_init(&f);
	struct store *s = NULL;
	struct err e = {0};
	int rc = status_exit(ERR_USAGE);
	argc = cli_parse_filters(argv[0], argc, argv, &f);
	if (argc < 0) {
		rc = cli_last_status();
		goto cleanup;
	}
	if (argc > 1) {
		rc = cli_usage(argv[0], "unexpected argument '%s'", argv[1]);
		goto cleanup;
	}
	if (!(s = cli_open(c, 0, SOURCE_TUI))) {
		rc = c->status;
		goto cleanup;
	}
	if (store_filter_check(s, &f, &e) != OK) {
		rc = cli_fail(&e);
		goto cleanup;
	}
	struct tui_opts o = { .filter = &f };
	rc = tui_run(s, &o, &e) == OK ? 0 : cli_fail(&e);
cleanup:
	store_close(s);
	filter_free(&f);
	return rc;
}
