/* cli: the command line: global options, the command table and its dispatch, and what
 * the commands share (opening the store, errors, filters, IDs). */
#include "ragtrack/cli.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RAGTRACK_VERSION "0.1.0"

static const struct {
	const char *name;
	cli_command_fn fn;
	const char *args, *help;
} COMMANDS[] = {
#define CLI_ROW(name, fn, args, help) { name, fn, args, help },
	CLI_COMMANDS(CLI_ROW)
#undef CLI_ROW
};
#define NCOMMANDS (sizeof COMMANDS / sizeof *COMMANDS)

/* The last exit status a failure here set, for callers that only see NULL or -1. */
static int last_status;

int cli_fail(const struct err *e)
{
	char *msg = text_visible(e->msg[0] ? e->msg : status_text(e->code), ' ');
	fprintf(stderr, "ragtrack: %s\n", msg);
	free(msg);
	return last_status = status_exit(e->code);
}

int cli_usage(const char *command, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *raw = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);
	va_end(ap);
	char *shown = text_visible(raw, ' ');     /* the message may quote what was typed */
	buf_printf(&b, "ragtrack%s%s: %s", command ? " " : "", command ? command : "", shown);
	if (command)
		buf_printf(&b, " (ragtrack %s --help)", command);
	fprintf(stderr, "%s\n", b.s);
	free(raw);
	free(shown);
	buf_free(&b);
	return last_status = status_exit(ERR_USAGE);
}

/* ragtrack --help: the global options and the command table. */
static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ragtrack [GLOBAL OPTIONS] [COMMAND [ARGS]]\n"
	        "Track the action plans of child-safeguarding case reviews.\n\n"
	        "Global options:\n"
	        "  --db FILE|URL      database: a file, or a PostgreSQL server (postgresql://..., pg:service=NAME);\n"
	        "                     else $RAGTRACK_DB, else ./ragtrack.db\n"
	        "  --user NAME        who is making changes (else $USER, $LOGNAME, the account)\n"
	        "  --read-only        open the database read-only: nothing can be changed\n"
	        "  --as-agency NAME   an agency lead's view: only that agency's actions, edits elsewhere refused\n"
	        "  --help, --version\n\n"
	        "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].help);
	fprintf(out, "\n'ragtrack COMMAND --help' describes a command; with no command, the browser opens.\n"
	             "RAG: Red = not on track, remedial action required; Amber = needs monitoring;\n"
	             "     Green = on track (not done); Blue = completed and evidenced.\n");
}

/* A command's usage line and summary, from its row of the table. */
static void command_help(FILE *out, const char *command)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(COMMANDS[i].name, command) == 0) {
			fprintf(out, "usage: ragtrack %s %s\n%s\n", command, COMMANDS[i].args, COMMANDS[i].help);
			return;
		}
}

/* Global options come before the command; returns the index of the command or argc. */
static int parse_globals(struct cli *c, int argc, char **argv, int *status)
{
	int i = 1;
	*status = -1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char **slot = strcmp(a, "--db") == 0 ? &c->db
		                  : strcmp(a, "--user") == 0 ? &c->user
		                  : strcmp(a, "--as-agency") == 0 ? &c->as_agency : NULL;
		if (slot) {
			if (i + 1 >= argc) {
				*status = cli_usage(NULL, "%s needs a value", a);
				return argc;
			}
			*slot = argv[++i];
		} else if (strcmp(a, "--read-only") == 0) {
			c->read_only = 1;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			*status = 0;
			return argc;
		} else if (strcmp(a, "--version") == 0) {
			printf("ragtrack %s (schema %d)\n", RAGTRACK_VERSION, store_schema_version());
			*status = 0;
			return argc;
		} else {
			break;     /* a command's own option, e.g. "ragtrack --rag red" opens the browser */
		}
	}
	return i;
}

/* No command: the browser, with any filter options given. */
static int run_browser(struct cli *c, int argc, char **argv)
{
	char **args = xcalloc((size_t)argc + 2, sizeof *args);
	args[0] = "tui";
	c->command = "tui";
	for (int k = 0; k < argc; k++)
		args[k + 1] = argv[k];
	int rc = cmd_tui(c, argc + 1, args);
	free(args);
	return rc;
}

int cli_main(int argc, char **argv)
{
	struct cli c = { .prog = "ragtrack" };
	int status;
	int i = parse_globals(&c, argc, argv, &status);
	if (status >= 0)
		return status;
	if (!c.db)
		c.db = getenv("RAGTRACK_DB");
	if (str_empty(c.db))
		c.db = "ragtrack.db";
	if (i >= argc || argv[i][0] == '-')
		return run_browser(&c, argc - i, argv + i);
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (strcmp(COMMANDS[k].name, argv[i]) == 0) {
			c.command = COMMANDS[k].name;
			return COMMANDS[k].fn(&c, argc - i, argv + i);
		}
	return cli_usage(NULL, "no command '%s' (ragtrack --help lists them)", argv[i]);
}

int cli_help_requested(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			command_help(stdout, argv[0]);
			return 1;
		}
	}
	return 0;
}

int cli_wait_message(void *ctx, const char *message, int first)
{
	(void)ctx;
	if (first) {
		char *shown = text_visible(message, ' ');
		fprintf(stderr, "ragtrack: %s (Ctrl-C gives up; nothing is written then)\n", shown);
		free(shown);
	}
	return 0;
}

struct store *cli_open(struct cli *c, int create, enum store_source source)
{
	struct store_opts o = {
		.read_only = c->read_only, .as_agency = c->as_agency, .user = c->user,
		.source = source, .create = create, .on_wait = cli_wait_message, .command = c->command,
	};
	struct store *s;
	struct err e = {0};
	if (store_open(c->db, &o, &s, &e) != OK) {
		c->status = cli_fail(&e);
		return NULL;
	}
	return s;
}

long long cli_parse_id(const char *s)
{
	if (!s)
		return 0;
	if (*s == '#')
		s++;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	return (errno || end == s || *end || v <= 0) ? 0 : v;
}

int cli_last_status(void)
{
	return last_status ? last_status : status_exit(ERR_USAGE);
}

int cli_parse_filters(const char *command, int argc, char **argv, struct filter *f)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int arity = strncmp(a, "--", 2) == 0 ? filter_option_arity(a + 2) : -1;
		if (arity < 0) {
			argv[out++] = argv[i];
			continue;
		}
		const char *val = NULL;
		if (arity) {
			if (i + 1 >= argc)
				return cli_usage(command, "%s needs a value", a), -1;
			val = argv[++i];
		}
		struct err e = {0};
		if (filter_parse_option(f, a + 2, val, &e) != OK) {
			cli_fail(&e);
			return -1;
		}
	}
	argv[out] = NULL;
	return out;
}
