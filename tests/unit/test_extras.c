/* Unit tests for extra fields (columns that map to no field): kept through the real
 * importer into a real SQLite file, read back by store_get and store_each (the windowed
 * reads, forwards and backwards), merged across reviews by store_extra_fields, and the
 * action's own accessors. */
#include "ragtrack/import.h"
#include "ragtrack/store.h"
#include "ragtrack/util.h"

#include "check.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A NHS trust's plan: two columns no field names, one of them twice. */
static const char TRUST[] =
	"Recommendation,Action,Evidence to be probed,Monitoring arrangements,Monitoring arrangements\n"
	"1. Update risk assessments,Revise the policy,Quarterly audit results,Patient Safety Group,Quality Committee\n"
	"2. Involve families,Carers' champion in each team,Carers' survey,,Board\n";
/* A DHR's plan: one field of the same name, one new. */
static const char DHR[] =
	"Recommendation,Action,Scope of recommendation,Monitoring arrangements\n"
	"1. Train staff on coercive control,Commission training,Local,CSP board\n";

static char dir[] = "/tmp/ragtrack-unit.XXXXXX";
static char db_path[64];

static struct store *open_db(void)
{
	struct store_opts o = { .user = "tester", .source = SOURCE_CLI, .create = 1 };
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(db_path, &o, &s, &e) != OK)
		fprintf(stderr, "open: %s\n", e.msg);
	return s;
}

static enum status import(struct store *s, const char *review, const char *csv, struct import_summary *sum)
{
	struct import_opts o = { .review = review };
	struct err e = {0};
	enum status st = import_buffer(s, "plan.csv", csv, strlen(csv), &o, sum, &e);
	if (st != OK)
		fprintf(stderr, "import: %s\n", e.msg);
	return st;
}

static void test_accessors(void)
{
	struct action a;
	action_init(&a);
	const char *names[] = { "Monitoring arrangements", "Scope", "Monitoring arrangements" };
	const char *values[] = { "first", NULL, "second" };
	action_set_extras(&a, 3, names, values);
	CHECK_INT(a.nextra, 3);
	CHECK_STR(action_extra_value(&a, "Monitoring arrangements", 0), "first");
	CHECK_STR(action_extra_value(&a, "Monitoring arrangements", 1), "second");
	CHECK_STR(action_extra_value(&a, "Scope", 0), "");
	CHECK(action_extra_value(&a, "Scope", 1) == NULL);
	CHECK(action_extra_value(&a, "scope", 0) == NULL);     /* names as written */
	action_set_extras(&a, 1, names + 1, values);            /* replaces */
	CHECK_INT(a.nextra, 1);
	CHECK_STR(a.extra[0].value, "first");
	action_clear(&a);
	CHECK(a.extra == NULL && a.nextra == 0);
}

struct seen {
	char text[512];
};

static int collect(const struct action *a, void *ctx)
{
	struct seen *x = ctx;
	size_t n = strlen(x->text);
	snprintf(x->text + n, sizeof x->text - n, "#%lld", (long long)a->id);
	for (size_t i = 0; i < a->nextra; i++) {
		n = strlen(x->text);
		snprintf(x->text + n, sizeof x->text - n, " %s=%s", a->extra[i].name, a->extra[i].value);
	}
	n = strlen(x->text);
	snprintf(x->text + n, sizeof x->text - n, ";");
	return 0;
}

static int field_list(const char *name, int nth, void *ctx)
{
	struct seen *x = ctx;
	size_t n = strlen(x->text);
	snprintf(x->text + n, sizeof x->text - n, "%s%s/%d", n ? "|" : "", name, nth);
	return 0;
}

static void test_store(void)
{
	struct store *s = open_db();
	CHECK(s != NULL);
	if (!s)
		return;
	struct import_summary sum;
	CHECK_INT(import(s, "Trust", TRUST, &sum), OK);
	CHECK_INT(import(s, "DHR", DHR, &sum), OK);

	struct action a;
	struct err e = {0};
	CHECK_INT(store_get(s, 1, &a, &e), OK);
	CHECK_INT(a.nextra, 3);
	CHECK_STR(action_extra_value(&a, "Evidence to be probed", 0), "Quarterly audit results");
	CHECK_STR(action_extra_value(&a, "Monitoring arrangements", 1), "Quality Committee");
	action_clear(&a);

	/* all rows forwards; the last row read from the end (backwards, copied) */
	struct filter f;
	filter_init(&f);
	struct seen all = {0}, last = {0};
	CHECK_INT(store_each(s, &f, 0, -1, collect, &all, &e), OK);
	CHECK_STR(all.text, "#3 Scope of recommendation=Local Monitoring arrangements=CSP board;"
	                    "#1 Evidence to be probed=Quarterly audit results Monitoring arrangements=Patient Safety Group"
	                    " Monitoring arrangements=Quality Committee;"
	                    "#2 Evidence to be probed=Carers' survey Monitoring arrangements= Monitoring arrangements=Board;");
	long n = 0;
	CHECK_INT(store_count(s, &f, &n, &e), OK);                /* known: the end is nearest */
	CHECK_INT(n, 3);
	CHECK_INT(store_each(s, &f, 2, 1, collect, &last, &e), OK);
	CHECK_STR(last.text, "#2 Evidence to be probed=Carers' survey Monitoring arrangements= Monitoring arrangements=Board;");

	/* the columns of an export: merged by name and occurrence, in the reviews' order */
	struct seen cols = {0};
	CHECK_INT(store_extra_fields(s, NULL, field_list, &cols, &e), OK);
	CHECK_STR(cols.text, "Evidence to be probed/0|Monitoring arrangements/0|Monitoring arrangements/1|Scope of recommendation/0");
	struct seen dhr = {0};
	f.review = xstrdup("DHR");
	CHECK_INT(store_extra_fields(s, &f, field_list, &dhr, &e), OK);
	CHECK_STR(dhr.text, "Scope of recommendation/0|Monitoring arrangements/0");
	filter_free(&f);

	/* the same file again changes nothing; a changed cell changes that field alone */
	CHECK_INT(import(s, "Trust", TRUST, &sum), OK);
	CHECK_INT(sum.unchanged, 2);
	char *changed = xstrdup(TRUST);
	char *at = strstr(changed, ",Board");
	memcpy(at, ",Trust", 6);
	CHECK_INT(import(s, "Trust", changed, &sum), OK);
	CHECK_INT(sum.updated, 1);
	CHECK_INT(store_get(s, 2, &a, &e), OK);
	CHECK_STR(action_extra_value(&a, "Monitoring arrangements", 1), "Trust");
	CHECK_STR(action_extra_value(&a, "Evidence to be probed", 0), "Carers' survey");
	CHECK_INT(a.version, 2);
	action_clear(&a);
	free(changed);
	store_close(s);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	if (!mkdtemp(dir))
		return 1;
	snprintf(db_path, sizeof db_path, "%s/t.db", dir);
	test_accessors();
	test_store();
	unlink(db_path);
	char wal[80];
	snprintf(wal, sizeof wal, "%s-wal", db_path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", db_path);
	unlink(wal);
	rmdir(dir);
	return check_report();
}
