/* main: global options and command dispatch. */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"

#include <locale.h>
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

void cli_command_help(FILE *out, const char *command)
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

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	struct cli c = { .prog = "ragtrack" };
	int status;
	int i = parse_globals(&c, argc, argv, &status);
	if (status >= 0)
		return status;
	if (!c.db)
		c.db = getenv("RAGTRACK_DB");
	if (str_empty(c.db))
		c.db = "ragtrack.db";
	if (i >= argc || argv[i][0] == '-') {
		/* no command: the browser, with any filter options given */
		char **args = xcalloc((size_t)(argc - i) + 2, sizeof *args);
		args[0] = "tui";
		c.command = "tui";
		for (int k = i; k < argc; k++)
			args[k - i + 1] = argv[k];
		int rc = cmd_tui(&c, argc - i + 1, args);
		free(args);
		return rc;
	}
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (strcmp(COMMANDS[k].name, argv[i]) == 0) {
			c.command = COMMANDS[k].name;
			return COMMANDS[k].fn(&c, argc - i, argv + i);
		}
	return cli_usage(NULL, "no command '%s' (ragtrack --help lists them)", argv[i]);
}
