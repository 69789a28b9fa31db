/* cmd_import: ragtrack import [--dry-run] [--strict] [--withdraw-missing] [--as-at DATE]
 * [--warnings all|new] [--map 'HEADER=FIELD']... [--rag-map 'WORD=STATE,...'] [--agency NAME]
 * [--review NAME] FILE... [--review NAME FILE...] */
#include "ragtrack/cli.h"
#include "ragtrack/colmap.h"
#include "ragtrack/import.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

struct import_args {
	struct import_opts o;
	struct colmap_override *map;
	struct import_rag_word *rag_words;
	char **files;
	const char **reviews;      /* the --review in force for each file */
	int nfiles;
	char as_at[11];
};

/* --map 'HEADER=FIELD': split at the last '=' (a header may hold one, a field never). */
static int parse_map(const char *arg, struct import_args *a)
{
	const char *eq = strrchr(arg, '=');
	if (!eq || eq == arg)
		return cli_usage("import", "--map '%s': give HEADER=FIELD, e.g. --map 'Person responsible=Lead Person'", arg);
	enum col c = colmap_field_named(eq + 1);
	if (c == COL_UNKNOWN)
		return cli_usage("import", "--map '%s': \"%s\" is no field; FIELD is one of ID, Review, Board, Finding, Question, "
		                 "Ref, Agency, Response, Action, RAG, Target Date, Target Date/Evidence, Evidence/Outcome, "
		                 "Lead Person, Constraints/Problems, Desired Outcome, extra, skip", arg, eq + 1);
	struct colmap_override *o = &a->map[a->o.nmap++];
	o->header = xstrndup(arg, (size_t)(eq - arg));
	o->col = c;
	return 0;
}

/* An option taking a value: its value, or NULL after printing the usage error. */
static const char *option_value(int argc, char **argv, int *i)
{
	if (*i + 1 < argc)
		return argv[++*i];
	cli_usage("import", "%s needs a value", argv[*i]);
	return NULL;
}

/* --map, --rag-map or --agency at argv[*i], with its value. */
static int parse_valued(int argc, char **argv, int *i, struct import_args *a)
{
	const char *name = argv[*i], *v = option_value(argc, argv, i);
	if (!v)
		return cli_last_status();
	if (strcmp(name, "--map") == 0)
		return parse_map(v, a);
	if (strcmp(name, "--rag-map") == 0) {
		struct err e = {0};
		return import_rag_map_parse(v, &a->rag_words, &a->o.nrag_words, &e) == OK ? 0 : cli_usage("import", "%s", e.msg);
	}
	if (str_empty(v))
		return cli_usage("import", "--agency needs a name");
	a->o.agency = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct import_args *a)
{
	const char *review = NULL;       /* --review applies to the files after it */
	a->o.out = stdout;
	a->files = xcalloc((size_t)argc, sizeof *a->files);
	a->reviews = xcalloc((size_t)argc, sizeof *a->reviews);
	a->map = xcalloc((size_t)argc, sizeof *a->map);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--map") == 0 || strcmp(argv[i], "--rag-map") == 0 || strcmp(argv[i], "--agency") == 0) {
			int rc = parse_valued(argc, argv, &i, a);
			if (rc)
				return rc;
		} else if (strcmp(argv[i], "--dry-run") == 0)
			a->o.dry_run = 1;
		else if (strcmp(argv[i], "--strict") == 0)
			a->o.strict = 1;
		else if (strcmp(argv[i], "--withdraw-missing") == 0)
			a->o.withdraw_missing = 1;
		else if (strcmp(argv[i], "--as-at") == 0 && i + 1 < argc) {
			const char *v = argv[++i];
			size_t used = 0;
			if (date_parse(v, a->as_at, &used) == GUESS_UNKNOWN || used != strlen(v))
				return cli_usage("import", "--as-at: '%s' is not a date (use YYYY-MM-DD or 31.03.2026)", v);
			a->o.as_at = a->as_at;
		} else if (strcmp(argv[i], "--warnings") == 0 && i + 1 < argc) {
			const char *v = argv[++i];
			if (strcmp(v, "all") != 0 && strcmp(v, "new") != 0)
				return cli_usage("import", "--warnings: '%s' is not all or new", v);
			a->o.warnings_all = strcmp(v, "all") == 0;
		}
		else if (strcmp(argv[i], "--review") == 0 && i + 1 < argc)
			review = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("import", "unknown option %s", argv[i]);
		else {
			a->reviews[a->nfiles] = review;
			a->files[a->nfiles++] = argv[i];
		}
	}
	a->o.map = a->map;
	a->o.rag_words = a->rag_words;
	return a->nfiles ? 0 : cli_usage("import", "no files to import");
}

/* Import into c->db.  A first import builds the database where no one sees it, and it
 * appears only complete (store_opts.build_private); a dry run without a database works
 * in an empty one that is never saved. */
static int run(struct cli *c, struct import_args *a)
{
	struct store_opts so = { .read_only = c->read_only, .as_agency = c->as_agency, .user = c->user,
	                         .source = SOURCE_IMPORT, .create = !a->o.dry_run,
	                         .adopt = !a->o.dry_run,      /* a dry run makes no file a database */
	                         .build_private = !a->o.dry_run, .scratch = a->o.dry_run,
	                         .on_wait = cli_wait_message };
	struct store *s;
	struct err e = {0};
	enum status st = store_open_import(c->db, &so, &s, &e);
	if (st == OK && store_notice(s)) {
		char *shown = text_visible(store_notice(s), ' ');
		fprintf(a->o.out, "%s\n", shown);
		free(shown);
	}
	if (st == OK) {
		st = import_files(s, a->files, a->reviews, a->nfiles, &a->o, NULL, &e);
		if (st == OK)
			st = store_publish_import(s, &so, &e);
		else
			store_close(s);
	}
	if (st == OK)
		return 0;
	char *msg = text_visible(e.msg, ' ');
	fprintf(stderr, "ragtrack: %s (nothing was imported)\n", msg);
	free(msg);
	return status_exit(st);
}

static void import_help(void)
{
	printf("\nOptions:\n"
	       "  --review NAME          the review of the files after it that have no Review column\n"
	       "  --dry-run              do everything, report it, write nothing\n"
	       "  --strict               refuse a file with a column left as an extra field, a headerless\n"
	       "                         column holding text, or any value that needed a guess\n"
	       "  --map 'HEADER=FIELD'   say what a column is (HEADER as written, or #N for column N);\n"
	       "                         FIELD: a field name, extra or skip; repeatable\n"
	       "  --rag-map 'WORD=STATE,...'\n"
	       "                         a plan's own RAG words (1=Red,2=Amber,...), remembered for its reviews\n"
	       "  --agency NAME          the agency of every row of a file with no Agency column\n"
	       "\nEach file's mapping is printed: which column became which field, and which are extra fields.\n");
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		import_help();
		return 0;
	}
	struct import_args a = {0};
	struct err e = {0};
	if (store_command_check(c->db, "import", &e) != OK)
		return cli_fail(&e);
	int rc = parse_args(argc, argv, &a);
	if (rc == 0)
		rc = run(c, &a);
	for (size_t i = 0; i < a.o.nmap; i++)
		free((char *)a.map[i].header);
	free(a.map);
	import_rag_words_free(a.rag_words, a.o.nrag_words);
	free(a.files);
	free(a.reviews);
	return rc;
}
