/* cmd_agency: ragtrack agency list | ragtrack agency alias NAME ALIAS |
 * ragtrack agency lead add|remove AGENCY LOGIN | ragtrack agency lead list */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAME_MAX_WIDTH 50

/* The agencies, kept to align the table (there are tens, not thousands). */
struct agency_rows {
	struct { char *name, *aliases; long actions; } *row;
	size_t n;
	int name_width;
	const char *find;         /* alias: the agency of this name, if there is one */
	long found_actions;
	int found;
	char *alias_of;           /* the agency find is already an alias of */
};

/* Is name one of the ", "-separated aliases? */
static int alias_listed(const char *aliases, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = aliases; p && *p;) {
		const char *end = strstr(p, ", ");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncasecmp(p, name, n) == 0)
			return 1;
		p = end ? end + 2 : NULL;
	}
	return 0;
}

static int agency_collect(const struct agency_info *a, void *ctx)
{
	struct agency_rows *r = ctx;
	if (r->find) {
		if (str_casecmp(a->name, r->find) == 0) {
			r->found = 1;
			r->found_actions = a->actions;
		}
		if (!r->alias_of && alias_listed(a->aliases, r->find))
			r->alias_of = xstrdup(a->name);
		return 0;
	}
	r->row = xrealloc(r->row, (r->n + 1) * sizeof *r->row);
	r->row[r->n].name = text_visible(a->name, ' ');
	r->row[r->n].aliases = text_visible(a->aliases ? a->aliases : "", ' ');
	r->row[r->n++].actions = a->actions;
	int w = text_width(r->row[r->n - 1].name);
	if (w > r->name_width)
		r->name_width = w > NAME_MAX_WIDTH ? NAME_MAX_WIDTH : w;
	return 0;
}

static void agency_rows_free(struct agency_rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->row[i].name);
		free(r->row[i].aliases);
	}
	free(r->row);
}

static int agency_list(struct store *s)
{
	struct agency_rows r = { .name_width = 6 };
	struct err e = {0};
	if (store_agencies(s, agency_collect, &r, &e) != OK) {
		agency_rows_free(&r);
		return cli_fail(&e);
	}
	printf("%-*s  ACTIONS  ALIASES\n", r.name_width, "AGENCY");
	for (size_t i = 0; i < r.n; i++) {
		fputs(r.row[i].name, stdout);
		for (int w = text_width(r.row[i].name); w < r.name_width; w++)
			putchar(' ');
		printf("  %7ld%s%s\n", r.row[i].actions, *r.row[i].aliases ? "  " : "", r.row[i].aliases);
	}
	agency_rows_free(&r);
	return 0;
}

/* A long merge holds the write lock: say so, and how far it has got, on stderr. */
static void agency_progress(void *ctx, const char *doing, long done, long total)
{
	int *told = ctx;
	char *d = text_visible(doing, ' ');
	if (!*told)
		fprintf(stderr, "ragtrack: %s holds the database's write lock: other changes wait until it is done\n", d);
	*told = 1;
	fprintf(stderr, "ragtrack: %s: %ld of %ld actions%s\n", d, done, total, done == total ? ", done" : "");
	free(d);
}

static int agency_alias(struct store *s, const char *agency, const char *alias)
{
	int told = 0;
	store_on_progress(s, agency_progress, &told);
	struct agency_rows before = { .find = alias };
	struct err e = {0};
	char *leads = NULL;
	if (store_agencies(s, agency_collect, &before, &e) != OK || store_agency_alias(s, agency, alias, &leads, &e) != OK) {
		free(before.alias_of);
		return cli_fail(&e);
	}
	char *a = text_visible(alias, ' '), *n = text_visible(before.alias_of ? before.alias_of : agency, ' ');
	printf("'%s' is %s an alias of '%s'", a, before.alias_of ? "already" : "now", n);
	if (before.found)
		printf("; %ld action%s moved", before.found_actions, before.found_actions == 1 ? "" : "s");
	putchar('\n');
	if (leads) {
		char *l = text_visible(leads, ' ');
		printf("leads of '%s' now lead '%s': %s\n", a, n, l);
		free(l);
	}
	free(leads);
	free(a);
	free(n);
	free(before.alias_of);
	return 0;
}

/* The leads' logins, kept to align the table. */
struct lead_rows {
	struct { char *agency, *login; } *row;
	size_t n;
	int width;
};

static int lead_collect(const char *agency, const char *login, void *ctx)
{
	struct lead_rows *r = ctx;
	r->row = xrealloc(r->row, (r->n + 1) * sizeof *r->row);
	r->row[r->n].agency = text_visible(agency, ' ');
	r->row[r->n].login = text_visible(login, ' ');
	int w = text_width(r->row[r->n].agency);
	if (w > r->width)
		r->width = w > NAME_MAX_WIDTH ? NAME_MAX_WIDTH : w;
	r->n++;
	return 0;
}

static int lead_list(struct store *s)
{
	struct lead_rows r = { .width = 6 };
	struct err e = {0};
	int rc = store_leads(s, lead_collect, &r, &e) == OK ? 0 : cli_fail(&e);
	if (rc == 0) {
		printf("%-*s  LOGIN\n", r.width, "AGENCY");
		for (size_t i = 0; i < r.n; i++) {
			fputs(r.row[i].agency, stdout);
			for (int w = text_width(r.row[i].agency); w < r.width; w++)
				putchar(' ');
			printf("  %s\n", r.row[i].login);
		}
	}
	for (size_t i = 0; i < r.n; i++) {
		free(r.row[i].agency);
		free(r.row[i].login);
	}
	free(r.row);
	return rc;
}

/* agency lead add|remove AGENCY LOGIN: says what changed, or that nothing did. */
static int lead_change(struct store *s, int add, const char *agency, const char *login)
{
	struct err e = {0};
	char *name = NULL;
	int done = 0;
	enum status st = add ? store_lead_add(s, agency, login, &name, &done, &e)
	                     : store_lead_remove(s, agency, login, &name, &done, &e);
	if (st != OK) {
		free(name);
		return cli_fail(&e);
	}
	char *l = text_visible(login, ' '), *n = text_visible(name, ' ');
	if (add && done == 2)
		printf("'%s' is now a lead of '%s': a new login, without a password (set one with ALTER ROLE ... PASSWORD, "
		       "or admit it by certificate or peer)\n", l, n);
	else if (add && done)
		printf("'%s' is now a lead of '%s'\n", l, n);
	else if (add)
		printf("'%s' is already a lead of '%s': nothing changed\n", l, n);
	else if (done)
		printf("'%s' is no longer a lead of '%s' (the login stays)\n", l, n);
	else
		printf("'%s' was not a lead of '%s': nothing changed\n", l, n);
	free(l);
	free(n);
	free(name);
	return 0;
}

static int agency_lead(struct cli *c, int argc, char **argv)
{
	const char *verb = argc > 2 ? argv[2] : "";
	int list = strcmp(verb, "list") == 0, add = strcmp(verb, "add") == 0, remove = strcmp(verb, "remove") == 0;
	if (!list && !add && !remove)
		return cli_usage("agency", "lead needs add AGENCY LOGIN, remove AGENCY LOGIN or list");
	if (list && argc != 3)
		return cli_usage("agency", "lead list takes no arguments");
	if (!list && argc != 5)
		return cli_usage("agency", "lead %s needs the agency, then the login", verb);
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	int rc = list ? lead_list(s) : lead_change(s, add, argv[3], argv[4]);
	store_close(s);
	return rc;
}

int cmd_agency(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\n  list               the agencies, their action counts and other spellings\n"
		       "  alias NAME ALIAS   make ALIAS another spelling of the agency NAME: when ALIAS is\n"
		       "                     an agency itself, its actions and responses move to NAME and\n"
		       "                     it is removed; later imports map ALIAS to NAME\n"
		       "  lead add AGENCY LOGIN     (PostgreSQL, board only) make LOGIN a lead of AGENCY:\n"
		       "                     it sees and changes that agency's actions only; the login is\n"
		       "                     made, without a password, when the server has none of that name\n"
		       "  lead remove AGENCY LOGIN  (PostgreSQL, board only) LOGIN no longer leads AGENCY\n"
		       "  lead list          each agency's leads' logins (PostgreSQL)\n");
		return 0;
	}
	if (argc < 2)
		return cli_usage("agency", "give list, alias NAME ALIAS or lead ...");
	if (strcmp(argv[1], "lead") == 0)
		return agency_lead(c, argc, argv);
	int list = strcmp(argv[1], "list") == 0, alias = strcmp(argv[1], "alias") == 0;
	if (!list && !alias)
		return cli_usage("agency", "no subcommand '%s' (list, alias or lead)", argv[1]);
	if (list && argc != 2)
		return cli_usage("agency", "list takes no arguments");
	if (alias && argc != 4)
		return cli_usage("agency", "alias needs two names: the agency, then its other spelling");
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	int rc = list ? agency_list(s) : agency_alias(s, argv[2], argv[3]);
	store_close(s);
	return rc;
}
