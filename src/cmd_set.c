/* cmd_set: ragtrack set ID FIELD=VALUE... [--reason TEXT] [--if-version N] */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_help(void)
{
	printf("\nFields:\n");
	for (int f = 0; f < FIELD_COUNT; f++)
		printf("  %-12s %s\n", field_name((enum action_field)f), field_help((enum action_field)f));
	printf("\nOptions:\n"
	       "  --reason TEXT     why, kept in the change log with the change\n"
	       "  --if-version N    refuse the change if the action is no longer at version N\n"
	       "                    (someone changed it since it was read)\n"
	       "Values are trimmed; an empty value clears a field (rag= leaves the RAG unset).\n"
	       "Blue means completed and evidenced: rag=blue needs evidence, already there or\n"
	       "given in the same command.\n");
}

/* "--name VALUE" or "--name=VALUE" at argv[*i]: the value, or NULL (and *i unmoved)
 * when argv[*i] is not that option.  *missing is set when the value is absent. */
static const char *option_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

struct set_args {
	long long id;
	const char *reason;
	long long if_version;
	struct field_change *changes;
	size_t nchanges;
};

/* One FIELD=VALUE argument, or a usage error. */
static int set_parse_change(struct set_args *a, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		return cli_usage("set", "'%s' is not FIELD=VALUE", arg);
	char *name = xstrndup(arg, (size_t)(eq - arg));
	enum action_field f = field_from_name(name);
	int rc = 0;
	if (f == FIELD_NONE) {
		struct buf b = {0};
		for (int k = 0; k < FIELD_COUNT; k++)
			buf_printf(&b, "%s%s", k ? ", " : "", field_name((enum action_field)k));
		rc = cli_usage("set", "no field '%s' (fields: %s)", name, b.s);
		buf_free(&b);
	} else {
		a->changes[a->nchanges].field = f;
		a->changes[a->nchanges++].value = eq + 1;
	}
	free(name);
	return rc;
}

static int set_parse(struct set_args *a, int argc, char **argv)
{
	int options = 1;
	for (int i = 1; i < argc; i++) {
		int missing = 0;
		const char *v;
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
		} else if (options && (v = option_value(argc, argv, &i, "--reason", &missing))) {
			a->reason = v;
		} else if (options && (v = option_value(argc, argv, &i, "--if-version", &missing))) {
			char *end;
			errno = 0;
			a->if_version = strtoll(v, &end, 10);
			if (errno || end == v || *end || a->if_version <= 0)
				return cli_usage("set", "--if-version needs a version number, not '%s'", v);
		} else if (missing) {
			return cli_usage("set", "%s needs a value", argv[i]);
		} else if (options && argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("set", "unknown option %s", argv[i]);
		} else if (!a->id) {
			if (!(a->id = cli_parse_id(argv[i])))
				return cli_usage("set", "'%s' is not an action ID (a number such as 12 or #12)", argv[i]);
		} else if (set_parse_change(a, argv[i])) {
			return status_exit(ERR_USAGE);
		}
	}
	if (!a->id)
		return cli_usage("set", "which action? give its ID");
	if (!a->nchanges)
		return cli_usage("set", "nothing to change: give FIELD=VALUE");
	return 0;
}

/* The store says what happened; what to do about a conflict is the command line's to say. */
static int set_failed(const struct err *e)
{
	if (e->code != ERR_CONFLICT)
		return cli_fail(e);
	struct err advised = *e;
	size_t n = strlen(advised.msg);
	snprintf(advised.msg + n, sizeof advised.msg - n, "; reload and try again");
	return cli_fail(&advised);
}

int cmd_set(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		set_help();
		return 0;
	}
	struct set_args a = { .changes = xcalloc((size_t)argc, sizeof *a.changes) };
	int rc = set_parse(&a, argc, argv);
	struct store *s = rc ? NULL : cli_open(c, 0, SOURCE_CLI);
	if (!rc && !s)
		rc = c->status;
	if (s) {
		struct err e = {0};
		int changed = 0;
		if (store_set(s, a.id, a.if_version, a.changes, a.nchanges, a.reason, &changed, &e) != OK) {
			rc = set_failed(&e);
		} else if (!changed) {
			printf("#%lld: no change\n", a.id);
		} else {
			char *what = store_batch_describe(s, store_last_batch(s));
			char *shown = text_visible(what ? what : "changed", ' ');
			printf("%s\n", shown);
			free(shown);
			free(what);
		}
		store_close(s);
	}
	free(a.changes);
	return rc;
}
