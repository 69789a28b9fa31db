/* cmd_db: ragtrack db init [--board LOGIN]: create or upgrade the database's schema;
 * ragtrack db copy FROM TO: a database from one engine into the other. */
#include "ragtrack/cli.h"
#include "ragtrack/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void db_help(void)
{
	printf("\nSubcommands:\n"
	       "  init                 create the ragtrack schema (a new SQLite file, or a PostgreSQL database\n"
	       "                       given as --db postgresql://... or pg:service=NAME), upgrade an older\n"
	       "                       one, or say that it is current and change nothing\n"
	       "  init --board LOGIN   on PostgreSQL also: the board's login may read and change every table\n"
	       "                       (it must exist: CREATE ROLE LOGIN ...)\n"
	       "  copy FROM TO         copy the SQLite database FROM into the PostgreSQL database TO, or the\n"
	       "                       PostgreSQL database FROM (one moment of it) into the SQLite file TO;\n"
	       "                       TO must hold no actions yet: ids, history, notes and boards kept\n");
}

/* Print a store's report (lines of its own words, shown safe for a terminal). */
static void db_report(char *report)
{
	char *shown = text_visible(report, 0);
	fputs(shown, stdout);
	free(shown);
	free(report);
}

static int db_copy(struct cli *c, int argc, char **argv)
{
	if (argc != 4)
		return cli_usage("db", "copy needs FROM and TO (a SQLite file and a PostgreSQL database, either way)");
	struct store_opts o = { .user = c->user, .source = SOURCE_CLI, .command = "db" };
	struct err e = {0};
	char *report = NULL;
	if (c->read_only)
		return cli_usage("db", "copy writes into TO: not with --read-only");
	if (store_copy(argv[2], argv[3], &o, &report, &e) != OK)
		return cli_fail(&e);
	db_report(report);
	return 0;
}

int cmd_db(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		db_help();
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "copy") == 0)
		return db_copy(c, argc, argv);
	if (argc < 2 || strcmp(argv[1], "init") != 0)
		return cli_usage("db", argc < 2 ? "what to do? (init or copy)" : "no subcommand '%s' (init or copy)",
		                 argc < 2 ? "" : argv[1]);
	const char *board = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--board") == 0 && i + 1 < argc)
			board = argv[++i];
		else
			return cli_usage("db", "unexpected argument '%s'", argv[i]);
	}
	struct store_opts o = { .read_only = c->read_only, .user = c->user, .source = SOURCE_CLI,
	                        .create = 1, .on_wait = cli_wait_message, .command = "db" };
	struct err e = {0};
	char *report = NULL;
	if (store_init(c->db, &o, board, &report, &e) != OK)
		return cli_fail(&e);
	db_report(report);
	return 0;
}
