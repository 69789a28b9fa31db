/* cmd_export: ragtrack export [FILTERS] [-o FILE] [--excel] [--redact]
 *
 * The options; the writer is the core's (src/export.c): the filtered actions as CSV in
 * the flat layout the importer reads, every row complete (no fill-down blanks), so a
 * filtered export stands on its own.  Rows come in ID order (the order they were
 * imported in) unless --sort is given, so the IDs of a re-imported copy match too. */
#include "ragtrack/cli.h"
#include "ragtrack/export.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

struct export_opts {
	const char *path;            /* -o, NULL = stdout */
	unsigned flags;              /* EXPORT_* */
};

static void export_help(void)
{
	printf("\nOptions:\n"
	       "  -o, --output FILE   write FILE (replaced atomically; mode 0660 less the umask);\n"
	       "                      - or none: standard output\n"
	       "  --excel             for Excel: UTF-8 byte-order mark, CRLF line ends, and an\n"
	       "                      apostrophe before cells starting with = + - @ (never run as formulas)\n"
	       "  --redact            leave out the free-text columns (Response, Action, Evidence/Outcome,\n"
	       "                      Constraints/Problems, Desired Outcome, the extra fields) and RAG\n"
	       "                      words that are not a state\n"
	       "\nRows come in ID order unless --sort is given.  Extra fields (columns of the\n"
	       "imported plans that map to no field) follow the known columns under their own headers.\n"
	       "\nFilters (combined with AND):\n%s",
	       FILTER_HELP);
}

/* Options of export itself (filters are already out of argv).  0 or an exit status. */
static int export_parse_options(struct export_opts *x, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--excel") == 0)
			x->flags |= EXPORT_EXCEL;
		else if (strcmp(a, "--redact") == 0)
			x->flags |= EXPORT_REDACT;
		else if (strncmp(a, "--output=", 9) == 0)
			x->path = a + 9;
		else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (i + 1 >= argc)
				return cli_usage("export", "%s needs a file name", a);
			x->path = argv[++i];
		} else if (a[0] == '-' && a[1])
			return cli_usage("export", "unknown option %s", a);
		else
			return cli_usage("export", "unexpected argument '%s' (-o FILE names the file to write)", a);
	}
	if (x->path && !*x->path)
		return cli_usage("export", "-o needs a file name");
	if (x->path && strcmp(x->path, "-") == 0)
		x->path = NULL;
	return 0;
}

/* Was --sort given?  (The filter cannot tell "--sort default" from nothing.) */
static int sort_given(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--sort") == 0)
			return 1;
	return 0;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		export_help();
		return 0;
	}
	struct filter f;
	filter_init(&f);
	struct export_opts x = {0};
	struct store *s = NULL;
	struct err e = {0};
	int rc;
	int by_id = !sort_given(argc, argv);
	argc = cli_parse_filters("export", argc, argv, &f);
	if (argc < 0) {
		rc = cli_last_status();
		goto cleanup;
	}
	if ((rc = export_parse_options(&x, argc, argv)) != 0)
		goto cleanup;
	if (by_id) {
		f.sort[0] = SORT_ID;
		f.nsort = 1;
	}
	if (!(s = cli_open(c, 0, SOURCE_CLI))) {
		rc = cli_last_status();
		goto cleanup;
	}
	long n = 0;
	enum status st = store_filter_check(s, &f, &e);
	if (st == OK)
		st = export_write(s, &f, x.path, x.flags, &n, &e);
	if (st == OK && x.path) {
		char *shown = text_visible(x.path, ' ');
		fprintf(stderr, "%ld action%s exported to %s\n", n, n == 1 ? "" : "s", shown);
		free(shown);
	}
	rc = st == OK ? 0 : cli_fail(&e);
cleanup:
	store_close(s);
	filter_free(&f);
	return rc;
}

