/* Unit tests for the field table (fields.h) and the export writer (export.h): a small
 * plan through the real importer into a real SQLite file, exported as plain CSV, for
 * Excel and redacted, byte for byte; the writer's refusal to write over the
 * database; and the table's rows against set's fields and the importer's headers. */
#include "ragtrack/colmap.h"
#include "ragtrack/export.h"
#include "ragtrack/fields.h"
#include "ragtrack/import.h"
#include "ragtrack/store.h"
#include "ragtrack/util.h"

#include "check.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Two actions: a RAG word that is no state, a target with words after its date, a
 * cell Excel would run as a formula, a line break, and an extra column. */
static const char PLAN[] =
	"Question,Agency,Action,RAG,Target Date,Evidence/Outcome,Lead Person,Monitoring arrangements\n"
	"1. How does the Board know?,Police,Audit the referrals,P,30/06/2016 ongoing,\"=SUM(A1)\",Named Nurse,Quality Committee\n"
	"1. How does the Board know?,NELFT,\"Train staff\nin two rounds\",Green,2016-09-30,,,\n";

static char dir[] = "/tmp/ragtrack-unit.XXXXXX";
static char db_path[64], out_path[80];

static struct store *open_db(void)
{
	struct store_opts o = { .user = "tester", .source = SOURCE_CLI, .create = 1 };
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(db_path, &o, &s, &e) != OK)
		fprintf(stderr, "open: %s\n", e.msg);
	return s;
}

/* The whole of a file ("" when unreadable).  Caller frees. */
static char *slurp(const char *path)
{
	struct buf b = {0};
	FILE *fp = fopen(path, "rb");
	char chunk[4096];
	size_t n;
	while (fp && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	if (fp)
		fclose(fp);
	return b.s ? buf_steal(&b) : xstrdup("");
}

static void test_table(void)
{
	for (int i = 0; i < FLD_COUNT; i++) {
		const struct field *f = &FIELDS[i];
		CHECK_INT(f->id, i);
		CHECK(field_by_key(f->key) == f);
		if (f->edit != FIELD_NONE) {          /* set's name is the field's key */
			CHECK_STR(field_name(f->edit), f->key);
			CHECK(field_of_edit(f->edit) == f);
			CHECK((f->flags & FF_EDITABLE) != 0);
		}
		if (f->flags & FF_CELL)
			CHECK(f->member != FIELD_COMPUTED && f->col != COL_UNKNOWN);
	}
	for (int e = 0; e < FIELD_COUNT; e++)
		CHECK(field_of_edit((enum action_field)e) != NULL);
	CHECK(field_by_key("EVIDENCE") == &FIELDS[FLD_EVIDENCE]);
	CHECK(field_by_key("nothing") == NULL);
	CHECK(field_of_edit(FIELD_NONE) == NULL);
	CHECK_STR(field_header(&FIELDS[FLD_LEAD]), "Lead Person");
	CHECK_STR(field_header(&FIELDS[FLD_NOTES]), "");
	CHECK_STR(FIELDS[FLD_EVIDENCE].label, "Evidence/Outcome");

	struct buf headers = {0};
	for (int i = 0; i < FLD_COUNT; i++)
		if (FIELDS[i].flags & FF_EXPORTED)
			buf_printf(&headers, "%s%s", headers.len ? "," : "", field_header(&FIELDS[i]));
	CHECK_STR(headers.s, "ID,Review,Finding,Question,Agency,Response,Action,RAG,Target Date,Evidence/Outcome,"
	                     "Lead Person,Constraints/Problems,Desired Outcome");
	buf_free(&headers);
}

static void test_values(void)
{
	struct action a;
	action_init(&a);
	a.id = 12;
	a.nnotes = 3;
	a.rag = RAG_AMBER;
	a.target_raw = xstrdup("ongoing");
	a.evidence = xstrdup("audit done");
	const char *names[] = { "Monitoring", "Scope" };
	const char *values[] = { "Board", "" };
	action_set_extras(&a, 2, names, values);
	char tmp[FIELD_TMP];
	CHECK_STR(field_text(&FIELDS[FLD_ID], &a, tmp), "12");
	CHECK_INT(field_number(&FIELDS[FLD_NOTES], &a), 3);
	CHECK_STR(field_text(&FIELDS[FLD_RAG], &a, tmp), "Amber");
	CHECK_STR(field_text(&FIELDS[FLD_TARGET], &a, tmp), "ongoing");   /* no date: as written */
	CHECK_STR(field_text(&FIELDS[FLD_WITHDRAWN], &a, tmp), "no");
	CHECK_STR(field_text(&FIELDS[FLD_EVIDENCE], &a, tmp), "audit done");
	CHECK(field_text(&FIELDS[FLD_LEAD], &a, tmp) == NULL);
	*field_slot(&FIELDS[FLD_LEAD], &a) = xstrdup("Named Nurse");
	CHECK_STR(a.lead, "Named Nurse");
	CHECK(field_slot(&FIELDS[FLD_RAG], &a) == NULL);

	/* The long texts in the table's order, then every extra field, empty ones too. */
	struct buf walk = {0};
	struct field_iter it;
	for (field_iter_init(&it, &a, FF_LONG | FF_EXTRA); field_iter_next(&it);)
		buf_printf(&walk, "%s%s=%s", it.def ? "" : "+", it.label, it.value ? it.value : "-");
	CHECK_STR(walk.s, "Response=-Action=-Evidence/Outcome=audit doneConstraints/Problems=-Desired Outcome=-"
	                  "+Monitoring=Board+Scope=");
	buf_free(&walk);
	for (field_iter_init(&it, &a, FF_HEAD); field_iter_next(&it);)
		buf_printf(&walk, "%s;", it.label);
	CHECK_STR(walk.s, "Review;Finding;Question;Agency;RAG;Target;Lead;");
	buf_free(&walk);
	struct field_column extra = { NULL, xstrdup("Monitoring"), 0 };
	CHECK_STR(field_column_name(&extra, 1), "Monitoring");
	CHECK_STR(field_column_text(&extra, &a, tmp), "Board");
	struct field_column lead = { &FIELDS[FLD_LEAD], NULL, 0 };
	CHECK_STR(field_column_name(&lead, 0), "Lead Person");
	CHECK_STR(field_column_name(&lead, 1), "lead");
	field_columns_free(&extra, 1);
	action_clear(&a);
}

/* Export with flags; returns the file's bytes (caller frees). */
static char *export(struct store *s, unsigned flags, long *records)
{
	struct filter f;
	filter_init(&f);
	f.sort[0] = SORT_ID;
	f.nsort = 1;
	struct err e = {0};
	enum status st = export_write(s, &f, out_path, flags, records, &e);
	if (st != OK)
		fprintf(stderr, "export: %s\n", e.msg);
	CHECK_INT(st, OK);
	filter_free(&f);
	return slurp(out_path);
}

static const char PLAIN[] =
	"ID,Review,Finding,Question,Agency,Response,Action,RAG,Target Date,Evidence/Outcome,Lead Person,"
	"Constraints/Problems,Desired Outcome,Monitoring arrangements\n"
	"1,Plan,,1. How does the Board know?,Police,,Audit the referrals,P,2016-06-30 ongoing,=SUM(A1),Named Nurse,,,"
	"Quality Committee\n"
	"2,Plan,,1. How does the Board know?,NELFT,,\"Train staff\nin two rounds\",Green,2016-09-30,,,,,\n";
static const char EXCEL[] =
	"\xEF\xBB\xBF"
	"ID,Review,Finding,Question,Agency,Response,Action,RAG,Target Date,Evidence/Outcome,Lead Person,"
	"Constraints/Problems,Desired Outcome,Monitoring arrangements\r\n"
	"1,Plan,,1. How does the Board know?,Police,,Audit the referrals,P,2016-06-30 ongoing,'=SUM(A1),Named Nurse,,,"
	"Quality Committee\r\n"
	"2,Plan,,1. How does the Board know?,NELFT,,\"Train staff\nin two rounds\",Green,2016-09-30,,,,,\r\n";
static const char REDACTED[] =
	"ID,Review,Finding,Question,Agency,RAG,Target Date,Lead Person\n"
	"1,Plan,,1. How does the Board know?,Police,,2016-06-30 ongoing,Named Nurse\n"
	"2,Plan,,1. How does the Board know?,NELFT,Green,2016-09-30,\n";

static void test_export(void)
{
	struct store *s = open_db();
	CHECK(s != NULL);
	if (!s)
		return;
	struct import_opts o = { .review = "Plan" };
	struct import_summary sum;
	struct err e = {0};
	enum status st = import_buffer(s, "plan.csv", PLAN, strlen(PLAN), &o, &sum, &e);
	if (st != OK)
		fprintf(stderr, "import: %s\n", e.msg);
	CHECK_INT(st, OK);

	long n = -1;
	char *got = export(s, 0, &n);
	CHECK_STR(got, PLAIN);
	CHECK_INT(n, 2);
	free(got);
	got = export(s, EXPORT_EXCEL, &n);
	CHECK_STR(got, EXCEL);
	free(got);
	got = export(s, EXPORT_REDACT, NULL);
	CHECK_STR(got, REDACTED);
	free(got);

	/* Never over the database or its companions: refused, the file as it was. */
	char *before = slurp(db_path);
	struct stat sb;
	CHECK(stat(db_path, &sb) == 0);
	off_t size = sb.st_size;
	struct filter f;
	filter_init(&f);
	char wal[96];
	snprintf(wal, sizeof wal, "%s-wal", db_path);
	const char *refused[] = { db_path, wal };
	for (int i = 0; i < 2; i++) {
		err_clear(&e);
		n = -1;
		CHECK_INT(export_write(s, &f, refused[i], 0, &n, &e), ERR_INVALID);
		CHECK(strstr(e.msg, refused[i]) != NULL);
		CHECK_INT(n, 0);
	}
	filter_free(&f);
	CHECK(stat(db_path, &sb) == 0 && sb.st_size == size);
	char *after = slurp(db_path);
	CHECK(memcmp(before, after, (size_t)size) == 0);
	free(before);
	free(after);
	store_close(s);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	if (!mkdtemp(dir))
		return 1;
	snprintf(db_path, sizeof db_path, "%s/t.db", dir);
	snprintf(out_path, sizeof out_path, "%s/out.csv", dir);
	test_table();
	test_values();
	test_export();
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char p[96];
		snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
		unlink(p);
	}
	unlink(out_path);
	rmdir(dir);
	return check_report();
}
