/* cli: the command line.  Global options, the command table, and what commands share. */
#ifndef RAGTRACK_CLI_H
#define RAGTRACK_CLI_H

#include <stdio.h>
#include "ragtrack/status.h"
#include "ragtrack/store.h"
#include "ragtrack/filter.h"

struct cli {
	const char *db;           /* --db, $RAGTRACK_DB, ./ragtrack.db */
	const char *user;         /* --user, $USER */
	int read_only;            /* --read-only */
	const char *as_agency;    /* --as-agency */
	const char *command;      /* the command running ("list"; "tui" for the browser) */
	const char *prog;         /* argv[0] for messages */
	int status;               /* exit status of the last cli_open failure */
};

/* A command: argv[0] is the command name.  Returns a process exit status. */
typedef int (*cli_command_fn)(struct cli *c, int argc, char **argv);

/* X(name, function, "arguments", "one-line summary") -- drives dispatch, --help and the man page. */
#define CLI_COMMANDS(X) \
	X("import",  cmd_import,  "[--review NAME] [--dry-run] [--strict] [--withdraw-missing] [--as-at DATE] [--warnings all|new] [--map 'HEADER=FIELD']... [--rag-map 'WORD=STATE,...'] [--agency NAME] FILE...", "import action-plan spreadsheets (CSV)") \
	X("list",    cmd_list,    "[FILTERS] [--format table|csv|tsv|json] [--columns LIST]", "list actions") \
	X("export",  cmd_export,  "[FILTERS] [-o FILE] [--excel] [--redact]", "export the filtered actions as CSV") \
	X("show",    cmd_show,    "ID", "show one action in full") \
	X("set",     cmd_set,     "ID FIELD=VALUE... [--reason TEXT] [--if-version N]", "change fields of an action") \
	X("note",    cmd_note,    "ID TEXT", "add a dated progress note") \
	X("history", cmd_history, "[ID] [--since DATE] [--format table|csv]", "show the change log") \
	X("undo",    cmd_undo,    "[--change N] [--force]", "reverse your last change, or one change by its number") \
	X("report",  cmd_report,  "[FILTERS] [--format text|md|html|json] [--board NAME|none] [--meeting DATE] [-o FILE]", "the board paper") \
	X("board",   cmd_board,   "record NAME [--date DATE] | list | show NAME | partnership [NAME]", "record board meetings (what the report compares with)") \
	X("agency",  cmd_agency,  "list | alias NAME ALIAS", "list agencies, merge spellings") \
	X("backup",  cmd_backup,  "FILE", "consistent copy of the database while in use") \
	X("check",   cmd_check,   "[--head ROW:HASH]", "integrity, foreign-key and change-log chain checks") \
	X("db",      cmd_db,      "init [--board LOGIN] | copy FROM TO", "create or upgrade the database's schema (a file or a PostgreSQL server); copy one into PostgreSQL") \
	X("tui",     cmd_tui,     "[FILTERS]", "open the browser (the default with no command)")

#define CLI_DECLARE(name, fn, args, help) int fn(struct cli *c, int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

/* The whole command line: global options, then the command named (the browser when
 * none is).  Returns the process exit status.  The caller sets the locale first. */
int cli_main(int argc, char **argv);

/* Open the database for a command: create when allowed, honouring --read-only and
 * --as-agency.  Prints the error and returns NULL on failure, c->status then holding
 * the exit status to return. */
struct store *cli_open(struct cli *c, int create, enum store_source source);
/* The store's wait callback for commands: says once on stderr why the command is
 * waiting for the database (an import is running) and waits on; Ctrl-C gives up. */
int cli_wait_message(void *ctx, const char *message, int first);
/* Print "ragtrack: MESSAGE" on stderr and return the exit status for e. */
int cli_fail(const struct err *e);
/* Print a usage error for a command and return the usage exit status. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Is argv[i] "--help" / "-h"?  Then print the command's usage line and summary (from
 * its CLI_COMMANDS row) and return 1; the command prints its details after it. */
int cli_help_requested(int argc, char **argv);

/* Parse the filter options among argv into f, leaving the rest in argv (compacted; the
 * new argc is returned), or -1 after printing an error (cli_last_status() gives the
 * exit status to return). */
int cli_parse_filters(const char *command, int argc, char **argv, struct filter *f);
/* The exit status of the last failure cli_fail, cli_usage or cli_open printed. */
int cli_last_status(void);
/* Parse an action ID as shown in lists ("#12" or "12"); 0 when invalid. */
long long cli_parse_id(const char *s);

#endif
