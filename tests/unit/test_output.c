/* Unit tests for output: CSV, TSV and JSON cells, fitting and wrapping text by display
 * width, the table layout, and files replaced atomically. */
#include "ragtrack/output.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include "check.h"

#include <dirent.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

/* What fn wrote to a memory stream (caller frees). */
static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	fn(f, arg);
	fclose(f);
	return data;
}

struct cell_case { const char *in; unsigned flags; };

static void write_csv(FILE *f, const void *arg)
{
	const struct cell_case *c = arg;
	output_csv_cell(f, c->in, c->flags);
}

static void write_json(FILE *f, const void *arg)
{
	output_json_string(f, arg);
}

static void test_csv_cell(void)
{
	static const struct { const char *in; unsigned flags; const char *want; } CASES[] = {
		{ "plain", 0, "plain" },
		{ "", 0, "" },
		{ "a,b", 0, "\"a,b\"" },
		{ "say \"hi\"", 0, "\"say \"\"hi\"\"\"" },
		{ "two\nlines", 0, "\"two\nlines\"" },
		{ "cr\r", 0, "\"cr\r\"" },
		{ " spaced ", 0, " spaced " },
		{ "=1+2", 0, "=1+2" },                         /* data is exact without protection */
		{ "=1+2", OUTPUT_PROTECT, "'=1+2" },
		{ "+44", OUTPUT_PROTECT, "'+44" },
		{ "-", OUTPUT_PROTECT, "'-" },
		{ "@x", OUTPUT_PROTECT, "'@x" },
		{ "\tx", OUTPUT_PROTECT, "'\tx" },
		{ "=a,b", OUTPUT_PROTECT, "\"'=a,b\"" },       /* the apostrophe inside the quotes */
		{ "a=b", OUTPUT_PROTECT, "a=b" },
		{ "", OUTPUT_PROTECT, "" },
		{ "esc\x1b[2J", 0, "esc\x1b[2J" },
		{ "esc\x1b[2J", OUTPUT_VISIBLE, "esc\\x1b[2J" },
		{ "a\nb", OUTPUT_VISIBLE, "\"a\nb\"" },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		struct cell_case c = { CASES[i].in, CASES[i].flags };
		char *got = capture(write_csv, &c);
		CHECK_STR(got, CASES[i].want);
		free(got);
	}
	char *null_cell = capture(write_csv, &(struct cell_case){ NULL, 0 });
	CHECK_STR(null_cell, "");
	free(null_cell);
}

static void test_json_string(void)
{
	static const struct { const char *in, *want; } CASES[] = {
		{ "plain", "\"plain\"" },
		{ "q\"b\\", "\"q\\\"b\\\\\"" },
		{ "a\nb\tc\r", "\"a\\nb\\tc\\r\"" },
		{ "\x1b[2J\x07", "\"\\u001b[2J\\u0007\"" },
		{ "\x7f", "\"\\u007f\"" },
		{ "c1 \xc2\x9b", "\"c1 \\u009b\"" },                 /* C1 CSI */
		{ "rlo \xe2\x80\xae", "\"rlo \\u202e\"" },            /* bidi override */
		{ "lsep \xe2\x80\xa8", "\"lsep \\u2028\"" },
		{ "caf\xc3\xa9 \xe5\x85\x90", "\"caf\xc3\xa9 \xe5\x85\x90\"" },   /* UTF-8 kept */
		{ "bad \xff end", "\"bad \\ufffd end\"" },
		{ "cut \xe2\x80", "\"cut \\ufffd\\ufffd\"" },
		{ "overlong \xc0\xaf", "\"overlong \\ufffd\\ufffd\"" },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		char *got = capture(write_json, CASES[i].in);
		CHECK_STR(got, CASES[i].want);
		free(got);
	}
}

/* ---- records ------------------------------------------------------------------------ */

static const char *const NAMES[] = { "id", "text" };

static void write_records(FILE *f, const void *arg)
{
	const unsigned *fmt_flags = arg;
	struct output_rows w;
	output_rows_begin(&w, f, (enum output_format)fmt_flags[0], fmt_flags[1], NAMES, 2);
	output_rows_int(&w, 1);
	output_rows_text(&w, "a,\"b\"\nc\\d\te");
	output_rows_end_record(&w);
	output_rows_int(&w, 2);
	output_rows_text(&w, NULL);
	output_rows_end_record(&w);
	output_rows_finish(&w);
}

static void test_records(void)
{
	unsigned csv[] = { OUTPUT_CSV, 0 }, excel[] = { OUTPUT_CSV, OUTPUT_EXCEL }, tsv[] = { OUTPUT_TSV, 0 },
	         json[] = { OUTPUT_JSON, 0 };
	char *got = capture(write_records, csv);
	CHECK_STR(got, "id,text\n1,\"a,\"\"b\"\"\nc\\d\te\"\n2,\n");
	free(got);
	got = capture(write_records, excel);
	CHECK_STR(got, "\xef\xbb\xbfid,text\r\n1,\"a,\"\"b\"\"\nc\\d\te\"\r\n2,\r\n");
	free(got);
	got = capture(write_records, tsv);
	CHECK_STR(got, "id\ttext\n1\ta,\"b\"\\nc\\\\d\\te\n2\t\n");
	free(got);
	got = capture(write_records, json);
	CHECK_STR(got, "[\n{\"id\":1,\"text\":\"a,\\\"b\\\"\\nc\\\\d\\te\"},\n{\"id\":2,\"text\":null}\n]\n");
	free(got);
}

static void write_empty_json(FILE *f, const void *arg)
{
	(void)arg;
	struct output_rows w;
	output_rows_begin(&w, f, OUTPUT_JSON, 0, NAMES, 2);
	output_rows_finish(&w);
}

static void test_formats(void)
{
	enum output_format f = OUTPUT_TABLE;
	CHECK_INT(output_format_parse("csv", &f), 0);
	CHECK_INT(f, OUTPUT_CSV);
	CHECK_INT(output_format_parse("JSON", &f), 0);
	CHECK_INT(f, OUTPUT_JSON);
	CHECK_INT(output_format_parse("xml", &f), -1);
	CHECK_INT(output_format_parse(NULL, &f), -1);
	char *got = capture(write_empty_json, NULL);
	CHECK_STR(got, "[]\n");
	free(got);
}

/* ---- terminal text ---------------------------------------------------------------- */

static char *fit(const char *s, int width, int right)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	char *line = output_oneline(s);
	output_fit(&b, line, width, right);
	free(line);
	return buf_steal(&b);
}

static void test_fit(void)
{
	char *got;
	struct { const char *in; int width, right; const char *want; } CASES[] = {
		{ "abc", 5, 0, "abc  " },
		{ "abc", 5, 1, "  abc" },
		{ "abcdef", 5, 0, "abcd\xe2\x80\xa6" },
		{ "abcde", 5, 0, "abcde" },
		{ "  two\n\nlines\t here ", 20, 0, "two lines here      " },
		{ "\xe5\x85\x90\xe7\xab\xa5\xe7\x9b\xb8", 6, 0, "\xe5\x85\x90\xe7\xab\xa5\xe7\x9b\xb8" },   /* 3 wide */
		{ "\xe5\x85\x90\xe7\xab\xa5\xe7\x9b\xb8", 5, 0, "\xe5\x85\x90\xe7\xab\xa5\xe2\x80\xa6" },
		{ "\xe5\x85\x90\xe7\xab\xa5\xe7\x9b\xb8", 4, 0, "\xe5\x85\x90\xe2\x80\xa6 " },   /* no half char */
		{ "e\xcc\x81t\xc3\xa9", 3, 0, "e\xcc\x81t\xc3\xa9" },              /* combining accent: width 3 */
		{ "x\x1b[2Jy", 20, 0, "x\\x1b[2Jy           " },
		{ "abc", 1, 0, "\xe2\x80\xa6" },
		{ "abc", 0, 0, "" },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		got = fit(CASES[i].in, CASES[i].width, CASES[i].right);
		CHECK_STR(got, CASES[i].want);
		CHECK_INT(text_width(got), CASES[i].width);
		free(got);
	}
}

static char *wrap(const char *s, int indent, int width)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	output_wrap(&b, s, indent, width);
	return buf_steal(&b);
}

static void test_wrap(void)
{
	char *got = wrap("the quick brown fox jumps over the lazy dog again and again", 2, 24);
	CHECK_STR(got, "  the quick brown fox\n  jumps over the lazy\n  dog again and again\n");
	free(got);
	got = wrap("para one\n\npara two", 4, 40);
	CHECK_STR(got, "    para one\n\n    para two\n");
	free(got);
	got = wrap("abcdefghijklmnopqrstuvwxyzabcdefghij", 0, 20);     /* a word longer than the line */
	CHECK_STR(got, "abcdefghijklmnopqrst\nuvwxyzabcdefghij\n");
	free(got);
	got = wrap("evil \x1b[2J \xe2\x80\xae", 0, 40);
	CHECK_STR(got, "evil \\x1b[2J \\u202e\n");
	free(got);
	got = wrap("", 4, 40);
	CHECK_STR(got, "");
	free(got);
}

static void test_width(void)
{
	setenv("COLUMNS", "132", 1);
	CHECK_INT(output_width(stdout, 100), 132);
	setenv("COLUMNS", "5", 1);
	CHECK_INT(output_width(stdout, 100), 20);
	setenv("COLUMNS", "wide", 1);
	FILE *f = tmpfile();
	CHECK_INT(output_width(f, 100), 100);
	unsetenv("COLUMNS");
	CHECK_INT(output_width(f, 90), 90);
	fclose(f);
}

static void test_layout(void)
{
	/* everything fits: natural widths */
	struct output_column fits[] = { { .natural = 3, .min = 99 }, { .natural = 10, .min = 6, .cap = 8 },
	                                { .natural = 20, .min = 10, .flex = 1 } };
	output_table_layout(fits, 3, 40, 1);
	CHECK_INT(fits[0].width, 3);
	CHECK_INT(fits[1].width, 10);
	CHECK_INT(fits[2].width, 20);
	/* too wide: the capped column to its cap, the flex column takes what is left */
	struct output_column cap[] = { { .natural = 3, .min = 99 }, { .natural = 40, .min = 6, .cap = 20 },
	                               { .natural = 200, .min = 10, .flex = 1 } };
	output_table_layout(cap, 3, 100, 1);
	CHECK_INT(cap[0].width, 3);
	CHECK_INT(cap[1].width, 20);
	CHECK_INT(cap[2].width, 75);
	/* tighter: the flex column keeps 30 while others shrink to their min */
	struct output_column tight[] = { { .natural = 3, .min = 99 }, { .natural = 40, .min = 6, .cap = 20 },
	                                 { .natural = 40, .min = 6, .cap = 20 }, { .natural = 200, .min = 10, .flex = 1 } };
	output_table_layout(tight, 4, 60, 1);
	CHECK_INT(tight[0].width, 3);
	CHECK_INT(tight[3].width, 30);
	CHECK_INT(tight[1].width + tight[2].width, 60 - 3 - 30 - 3);
	/* tightest: everything at its min, the never-cut column untouched */
	output_table_layout(tight, 4, 10, 1);
	CHECK_INT(tight[0].width, 3);
	CHECK_INT(tight[1].width, 6);
	CHECK_INT(tight[3].width, 10);
}

/* ---- files ------------------------------------------------------------------------ */

/* Entries in dir other than . and .. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[256] = "";
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return xstrdup(buf);
}

static void test_file(void)
{
	char dir[] = "/tmp/ragtrack-output-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	char *path = xasprintf("%s/out.csv", dir);
	struct output_file f;
	struct err e = {0};
	FILE *old = fopen(path, "w");
	fputs("old\n", old);
	fclose(old);

	CHECK_INT(output_file_open(&f, path, &e), OK);
	fputs("new\n", f.fp);
	CHECK_INT(dir_entries(dir), 2);                       /* the target and the temporary */
	char *during = slurp(path);
	CHECK_STR(during, "old\n");                           /* readers see the old file whole */
	free(during);
	CHECK_INT(output_file_commit(&f, &e), OK);
	CHECK_INT(dir_entries(dir), 1);
	char *after = slurp(path);
	CHECK_STR(after, "new\n");
	free(after);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07) == 0);

	CHECK_INT(output_file_open(&f, path, &e), OK);        /* abort: the old file stays */
	fputs("half", f.fp);
	output_file_abort(&f);
	CHECK_INT(dir_entries(dir), 1);
	after = slurp(path);
	CHECK_STR(after, "new\n");
	free(after);

	char *missing = xasprintf("%s/nowhere/out.csv", dir);
	CHECK_INT(output_file_open(&f, missing, &e), ERR_IO);
	char *want = xasprintf("%s: No such file or directory", missing);
	CHECK_STR(e.msg, want);
	free(want);
	free(missing);
	CHECK_INT(output_file_open(&f, dir, &e), ERR_IO);
	CHECK(strstr(e.msg, "Is a directory") != NULL);

	CHECK_INT(output_file_open(&f, "-", &e), OK);
	CHECK(f.fp == stdout);
	CHECK_INT(output_file_commit(&f, &e), OK);

	unlink(path);
	rmdir(dir);
	free(path);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_csv_cell();
	test_json_string();
	test_records();
	test_formats();
	test_fit();
	test_wrap();
	test_width();
	test_layout();
	test_file();
	return check_report();
}
