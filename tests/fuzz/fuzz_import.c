/* fuzz_import: the importer's whole path under a fuzzer.
 *
 * One input is one CSV file.  It goes through import_buffer() -- csvread (libcsv,
 * BOM, line ends, UTF-8 / Windows-1252), header mapping, fill-down, the normalisers
 * and the store -- into a fresh in-memory database, exactly as `ragtrack import`
 * takes a file.  Beyond "no crash, no leak, no undefined behaviour" the harness checks
 * what the importer promises, and aborts (a crash to the fuzzer) when one breaks:
 *
 *   - an import is all or nothing: a refused file leaves no action behind, an accepted
 *     one leaves exactly the actions it says it added;
 *   - an accepted import leaves a sound database (store_check: integrity, foreign
 *     keys, one search-index row per action, actions agree with their responses);
 *   - what the importer prints (summary and warnings) never holds a control
 *     character, C1 control or bidi override: it goes straight to a terminal;
 *   - every action reads back, and its cleaned text fields hold no C0 or C1 control
 *     other than newline and tab (text_clean's promise; bidi controls are text and
 *     stay: they are neutralised on display by text_visible, and rag_raw keeps the
 *     cell exactly as written).
 *
 * Built three ways: by tests/fuzz/run.sh with -fsanitize=fuzzer (libFuzzer's main);
 * included by tests/unit/test_fuzz_regressions.c, which replays the corpus and every
 * saved crash through the same entry point; and with -DFUZZ_STANDALONE (a main that
 * replays the files named on the command line, for valgrind or a debugger). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE       /* open_memstream */
#endif
#include "ragtrack/import.h"
#include "ragtrack/store.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A broken promise.  The unit test defines FUZZ_FAIL to count a failure instead. */
#ifndef FUZZ_FAIL
#define FUZZ_FAIL(what) fuzz_abort(what)
static void fuzz_abort(const char *what)
{
	fprintf(stderr, "fuzz_import: broken promise: %s\n", what);
	abort();
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bytes that must never reach a terminal raw: C0 controls but newline and tab, DEL,
 * the UTF-8 forms of C1 controls (U+0080-U+009F) and, when bidi is set, of the bidi
 * controls text_visible escapes.  Returns the offset of the first one, or -1. */
static long fuzz_find_control(const char *s, size_t n, int bidi)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		if ((u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') || u[i] == 0x7f)
			return (long)i;
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return (long)i;
		if (bidi && u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae)
			return (long)i;      /* U+202A-U+202E */
		if (bidi && u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)
			return (long)i;      /* U+2066-U+2069 */
	}
	return -1;
}

struct fuzz_seen {
	long actions;
};

static int fuzz_field_clean(const char *v)
{
	return !v || fuzz_find_control(v, strlen(v), 0) < 0;
}

/* Every action reads back whole; its cleaned text holds no raw control character. */
static int fuzz_on_action(const struct action *a, void *ctx)
{
	struct fuzz_seen *seen = ctx;
	seen->actions++;
	const char *cleaned[] = { a->review, a->finding, a->question, a->agency, a->response, a->text,
	                          a->evidence, a->lead, a->constraints, a->desired, a->target_raw };
	for (size_t i = 0; i < sizeof cleaned / sizeof *cleaned; i++)
		if (!fuzz_field_clean(cleaned[i]))
			FUZZ_FAIL("a cleaned text field holds a control character");
	if (a->target_date && !date_is_iso(a->target_date))
		FUZZ_FAIL("a target date is not an ISO date");
	if ((int)a->rag < RAG_UNSET || a->rag >= RAG_COUNT)
		FUZZ_FAIL("a RAG state out of range");
	return 0;
}

static void fuzz_check_store(struct store *s, const struct import_summary *sum, enum status st)
{
	struct filter f;
	struct err e = {0};
	long n = -1;
	filter_init(&f);
	if (store_count(s, &f, &n, &e) != OK)
		FUZZ_FAIL("counting actions after an import failed");
	if (st != OK && n != 0)
		FUZZ_FAIL("a refused import left actions behind");
	if (st == OK && n != sum->added)
		FUZZ_FAIL("the actions stored differ from the summary's count of added ones");
	if (st == OK) {
		struct fuzz_seen seen = {0};
		if (store_each(s, &f, 0, -1, fuzz_on_action, &seen, &e) != OK || seen.actions != n)
			FUZZ_FAIL("the imported actions do not all read back");
		char *report = NULL;
		if (store_check(s, &report, &e) != OK) {
			fprintf(stderr, "%s", report ? report : "");
			FUZZ_FAIL("store_check found a problem after an accepted import");
		}
		free(report);
	}
	filter_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct store_opts opts = { .source = SOURCE_IMPORT, .create = 1, .user = "fuzz" };
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(":memory:", &opts, &s, &e) != OK) {
		fprintf(stderr, "fuzz_import: %s\n", e.msg);
		abort();        /* the harness itself is broken, not the input */
	}
	char *printed = NULL;
	size_t printed_len = 0;
	FILE *out = open_memstream(&printed, &printed_len);
	struct import_opts io = { .out = out, .max_examples = 8 };
	struct import_summary sum = {0};
	enum status st = import_buffer(s, "fuzz.csv", (const char *)data, size, &io, &sum, &e);
	fclose(out);
	long bad = fuzz_find_control(printed, printed_len, 1);
	if (bad >= 0) {
		fprintf(stderr, "import output at byte %ld: %.*s\n", bad, (int)(printed_len < 400 ? printed_len : 400), printed);
		FUZZ_FAIL("the importer printed a raw control character");
	}
	if (st != OK && e.msg[0] == '\0')
		FUZZ_FAIL("a refused import gave no message");
	fuzz_check_store(s, &sum, st);
	free(printed);
	store_close(s);
	return 0;
}

#ifdef FUZZ_STANDALONE
/* Replay files without libFuzzer: fuzz_import FILE... */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (!fp) {
			perror(argv[i]);
			return 1;
		}
		struct buf b = {0};
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_add(&b, chunk, n);
		fclose(fp);
		LLVMFuzzerTestOneInput((const uint8_t *)(b.s ? b.s : ""), b.len);
		buf_free(&b);
	}
	return 0;
}
#endif
