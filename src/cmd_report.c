/* cmd_report: `ragtrack report`, the board paper: what changed since the last board,
 * progress per review, agency and recommendation, and what is off track and why. */
#include "ragtrack/cli.h"
#include "ragtrack/output.h"
#include "ragtrack/report.h"
#include "ragtrack/report_data.h"
#include "ragtrack/util.h"
#include "ragtrack/writeguard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_LIST_LIMIT 50

static const char REPORT_HELP[] =
	"\nOptions:\n"
	"  --format FMT        text (default), md (GitHub Markdown), html (one self-contained file,\n"
	"                      printed on A4) or json (every figure, for scripts)\n"
	"  -o, --output FILE   write the report to FILE (atomically) instead of standard output\n"
	"  --board NAME        compare with this recorded board (default: the last one held on or\n"
	"                      before the meeting); --board none compares with none\n"
	"  --meeting DATE      the meeting the paper is for (default today)\n"
	"  --next DATE         the next meeting: actions due before it are listed (default: 91 days on)\n"
	"  --title TEXT        the paper's title\n"
	"  --author TEXT       who wrote it\n"
	"  --paper-no TEXT     its number on the agenda\n"
	"  --since DATE        changes and notes from DATE to today (default: the board's date,\n"
	"                      else 30 days ago)\n"
	"  --stale-days N      stale = not Blue and no change or note for N days (default 90)\n"
	"  --all               list every action (default: at most 50 per list)\n"
	"Filters narrow every figure:\n";

struct report_args {
	enum report_format format;
	const char *output;
	char since[11], meeting[11], next[11];
	int stale_days;
	int all;
	const char *board, *title, *author, *paper_no;
};

/* A --since, --meeting or --next value: a day, as ISO.  0, or -1 after printing the
 * usage error. */
static int parse_day(const char *opt, const char *val, char out[11])
{
	size_t used = 0;
	if (date_parse(val, out, &used) != GUESS_EXACT || used != strlen(val)) {
		cli_usage("report", "%s: '%s' is not a date (2016-05-31 or 31.05.2016)", opt, val);
		return -1;
	}
	return 0;
}

/* The options that take a value. */
static int takes_value(const char *opt)
{
	static const char *const names[] = { "--format", "-o", "--output", "--since", "--stale-days", "--board",
	                                     "--meeting", "--next", "--title", "--author", "--paper-no" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(opt, names[i]) == 0)
			return 1;
	return 0;
}

static int report_usage(const char *fmt, const char *arg)
{
	return cli_usage("report", fmt, arg);
}

static int parse_stale_days(const char *val, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(val, &end, 10);
	if (errno || end == val || *end || v < 0 || v > 36500)
		return -1;
	*out = (int)v;
	return 0;
}

/* The report's own options (filters are gone already).  Returns -1 when all is
 * well, else the exit status after printing the error. */
static int report_parse_args(int argc, char **argv, struct report_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		if (strcmp(opt, "--all") == 0) {
			a->all = 1;
			continue;
		}
		if (!takes_value(opt))
			return report_usage(opt[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", opt);
		if (i + 1 >= argc)
			return report_usage("%s needs a value", opt);
		const char *val = argv[++i];
		if (strcmp(opt, "--format") == 0) {
			if (report_format_from_name(val, &a->format) != 0)
				return report_usage("--format: '%s' is not text, md, html or json", val);
		} else if (strcmp(opt, "--since") == 0 || strcmp(opt, "--meeting") == 0 || strcmp(opt, "--next") == 0) {
			char *day = opt[2] == 's' ? a->since : opt[2] == 'm' ? a->meeting : a->next;
			if (parse_day(opt, val, day) != 0)
				return status_exit(ERR_USAGE);
		} else if (strcmp(opt, "--board") == 0) {
			if (str_empty(val))
				return cli_usage("report", "--board needs a board's name (or none)");
			a->board = val;
		} else if (strcmp(opt, "--title") == 0) {
			a->title = val;
		} else if (strcmp(opt, "--author") == 0) {
			a->author = val;
		} else if (strcmp(opt, "--paper-no") == 0) {
			a->paper_no = val;
		} else if (strcmp(opt, "--stale-days") == 0) {
			if (parse_stale_days(val, &a->stale_days) != 0)
				return report_usage("--stale-days: '%s' is not a number of days", val);
		} else {
			a->output = val;
		}
	}
	if (a->next[0] && strcmp(a->next, a->meeting[0] ? a->meeting : util_today()) <= 0)
		return report_usage("--next: '%s' is not after the meeting", a->next);
	return -1;
}

/* Write the report to standard output or, atomically, to the -o file (output.h: a
 * temporary file beside it, renamed into place). */
static enum status report_emit(const struct report_args *a, const struct buf *b, struct err *err)
{
	struct output_file f;
	enum status rc = output_file_open(&f, a->output, err);
	if (rc != OK)
		return rc;
	if (b->len && fwrite(b->s, 1, b->len, f.fp) != b->len) {
		output_file_abort(&f);
		return err_set(err, ERR_IO, "%s: %s", a->output && strcmp(a->output, "-") ? a->output : "standard output",
		               strerror(errno));
	}
	return output_file_commit(&f, err);
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("%s%s", REPORT_HELP, FILTER_HELP);
		return 0;
	}
	struct filter f;
	filter_init(&f);
	struct report_args a = { .format = REPORT_TEXT, .stale_days = -1 };
	struct store *s = NULL;
	struct report_data *d = NULL;
	struct buf out = {0};
	char *words = NULL;
	struct err e = {0};
	int status = 0;
	argc = cli_parse_filters(argv[0], argc, argv, &f);
	if (argc < 0) {
		status = status_exit(ERR_USAGE);
		goto cleanup;
	}
	if ((status = report_parse_args(argc, argv, &a)) >= 0)
		goto cleanup;
	if (f.withdrawn != FILTER_WITHDRAWN_OUT) {
		status = report_usage("%s: the paper leaves withdrawn actions out and counts them",
		                      f.withdrawn == FILTER_WITHDRAWN_ONLY ? "--withdrawn" : "--include-withdrawn");
		goto cleanup;
	}
	if (f.nsort) {                 /* refused rather than ignored: the lists keep their own order */
		status = report_usage("%s: the report's lists have their own order; 'ragtrack list --sort' sorts",
		                      "--sort");
		goto cleanup;
	}
	status = 0;
	if (!(s = cli_open(c, 0, SOURCE_CLI))) {
		status = c->status;
		goto cleanup;
	}
	struct report_opts o = { .since = a.since, .stale_days = a.stale_days, .limit = a.all ? -1 : REPORT_LIST_LIMIT,
		                 .board = a.board && strcmp(a.board, "none") ? a.board : NULL,
		                 .no_board = a.board && strcmp(a.board, "none") == 0,
		                 .meeting = a.meeting, .next = a.next };
	if (writeguard_check(s, a.output, &e) != OK || store_filter_check(s, &f, &e) != OK ||
	    store_report_gather(s, &f, &o, &d, &e) != OK) {
		status = cli_fail(&e);
		goto cleanup;
	}
	words = filter_describe(&f);
	struct report_meta m = { .filter = words, .lens = store_lens(s), .title = a.title, .author = a.author,
		                 .paper_no = a.paper_no };
	report_render(d, &m, a.format, &out);
	if (report_emit(&a, &out, &e) != OK)
		status = cli_fail(&e);
cleanup:
	free(words);
	buf_free(&out);
	report_data_free(d);
	if (s)
		store_close(s);
	filter_free(&f);
	return status;
}
