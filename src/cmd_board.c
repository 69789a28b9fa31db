/* cmd_board: ragtrack board record NAME [--date DATE] | list | show NAME |
 * partnership [NAME].  A recorded board is what the next report compares with. */
#include "ragtrack/cli.h"
#include "ragtrack/report_data.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

static const char BOARD_HELP[] =
	"\n  record NAME [--date DATE]  record a board meeting: the RAG status, target, evidence\n"
	"                             (present or not) and withdrawn flag of every action now.\n"
	"                             DATE is the meeting's (default today).  A recorded board\n"
	"                             cannot be changed or removed; a name in use is refused\n"
	"  list                       the recorded boards, oldest meeting first\n"
	"  show NAME                  one board: when, who recorded it, its actions by RAG\n"
	"  partnership [NAME]         show or set the partnership's name the report is headed\n"
	"                             with (\"\" clears it: the plans' Board column is used)\n"
	"ragtrack report compares with the last board held on or before the meeting date.\n";

/* "R 0 · A 27 · G 76 · B 201 · unset 325" */
static void print_rag(const struct board_info *b)
{
	static const enum rag order[RAG_COUNT] = { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_BLUE, RAG_UNSET };
	for (int i = 0; i < RAG_COUNT; i++) {
		enum rag r = order[i];
		if (r == RAG_UNSET)
			printf("%sunset %ld", i ? " \u00b7 " : "", b->rag[r]);
		else
			printf("%s%c %ld", i ? " \u00b7 " : "", rag_letter(r), b->rag[r]);
	}
}

static void print_name(const char *s)
{
	char *v = text_visible(s ? s : "", ' ');
	fputs(v, stdout);
	free(v);
}

static int board_record(struct store *s, int argc, char **argv)
{
	const char *name = NULL;
	char day[11];
	snprintf(day, sizeof day, "%s", util_today());
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--date") == 0) {
			size_t used = 0;
			if (i + 1 >= argc)
				return cli_usage("board", "--date needs a value");
			const char *v = argv[++i];
			if (date_parse(v, day, &used) != GUESS_EXACT || used != strlen(v))
				return cli_usage("board", "--date: '%s' is not a date (2016-06-30 or 30.06.2016)", v);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("board", "unknown option '%s'", argv[i]);
		} else if (name) {
			return cli_usage("board", "unexpected argument '%s' (quote a name with spaces)", argv[i]);
		} else {
			name = argv[i];
		}
	}
	if (str_empty(name))
		return cli_usage("board", "record needs the board's name, e.g. ragtrack board record \"June 2016\"");
	struct board_info b;
	struct err e = {0};
	long after = 0;
	if (store_board_record(s, name, day, &b, &after, &e) != OK)
		return cli_fail(&e);
	printf("board '");
	print_name(b.name);
	printf("' of %s recorded: %ld action%s (", b.held_on, b.actions, b.actions == 1 ? "" : "s");
	print_rag(&b);
	if (b.withdrawn)
		printf("; %ld withdrawn", b.withdrawn);
	printf(")\n");
	if (after)
		printf("note: %ld change%s in the log %s dated after %s: the board holds the state now, not as at %s\n", after,
		       after == 1 ? "" : "s", after == 1 ? "is" : "are", b.held_on, b.held_on);
	board_info_clear(&b);
	return 0;
}

static int board_list(struct store *s)
{
	struct board_info *v;
	size_t n;
	struct err e = {0};
	if (store_board_list(s, &v, &n, &e) != OK)
		return cli_fail(&e);
	int w = 5;
	for (size_t i = 0; i < n; i++) {
		char *name = text_visible(v[i].name, ' ');
		if (text_width(name) > w)
			w = text_width(name);
		free(name);
	}
	if (!n)
		printf("no board recorded (ragtrack board record NAME records one)\n");
	else
		printf("%-*s  %-10s  %7s  %s\n", w, "BOARD", "DATE", "ACTIONS", "RAG");
	for (size_t i = 0; i < n; i++) {
		char *name = text_visible(v[i].name, ' ');
		fputs(name, stdout);
		printf("%*s  %-10s  %7ld  ", w - text_width(name), "", v[i].held_on, v[i].actions);
		print_rag(&v[i]);
		if (v[i].withdrawn)
			printf(" \u00b7 withdrawn %ld", v[i].withdrawn);
		putchar('\n');
		free(name);
		board_info_clear(&v[i]);
	}
	free(v);
	return 0;
}

static int board_show(struct store *s, const char *name)
{
	struct board_info b;
	struct err e = {0};
	if (store_board_get(s, name, NULL, &b, &e) != OK)
		return cli_fail(&e);
	static const enum rag order[RAG_COUNT] = { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_BLUE, RAG_UNSET };
	printf("Board        ");
	print_name(b.name);
	printf("\nDate         %s\nRecorded     %s by ", b.held_on, b.recorded_at);
	print_name(b.recorded_by);
	printf("\nActions      %ld\n", b.actions);
	for (int i = 0; i < RAG_COUNT; i++)
		printf("  %-10s %ld\n", order[i] == RAG_UNSET ? "unset" : rag_name(order[i]), b.rag[order[i]]);
	printf("  %-10s %ld\n", "withdrawn", b.withdrawn);
	printf("Blue without evidence  %ld\n", b.no_evidence);
	board_info_clear(&b);
	return 0;
}

static int board_partnership(struct store *s, int argc, char **argv)
{
	if (argc == 2) {
		char *p = store_partnership(s);
		if (*p) {
			print_name(p);
			putchar('\n');
		} else {
			printf("no partnership's name recorded (ragtrack board partnership NAME sets it)\n");
		}
		free(p);
		return 0;
	}
	struct err e = {0};
	if (store_partnership_set(s, argv[2], &e) != OK)
		return cli_fail(&e);
	if (*argv[2]) {
		printf("partnership: ");
		print_name(argv[2]);
		putchar('\n');
	} else {
		printf("partnership's name cleared\n");
	}
	return 0;
}

int cmd_board(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		fputs(BOARD_HELP, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("board", "give record NAME, list, show NAME or partnership");
	const char *sub = argv[1];
	int record = strcmp(sub, "record") == 0, list = strcmp(sub, "list") == 0, show = strcmp(sub, "show") == 0,
	    partner = strcmp(sub, "partnership") == 0;
	if (!record && !list && !show && !partner)
		return cli_usage("board", "no subcommand '%s' (record, list, show or partnership)", sub);
	if (list && argc != 2)
		return cli_usage("board", "list takes no arguments");
	if (show && argc != 3)
		return cli_usage("board", "show needs one board's name");
	if (partner && argc > 3)
		return cli_usage("board", "partnership takes one name (quote a name with spaces)");
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	int rc = record ? board_record(s, argc, argv)
	       : list ? board_list(s)
	       : show ? board_show(s, argv[2])
	              : board_partnership(s, argc, argv);
	store_close(s);
	return rc;
}
