/* test_fuzz_regressions: replay the fuzzers' inputs without libFuzzer.
 *
 * The four harnesses in tests/fuzz/ are compiled in here unchanged (their entry points
 * renamed), and every seed of their corpus, every plan in data/ and every saved crash
 * in tests/fuzz/regressions/ goes through the same entry point the fuzzer calls, with
 * the same promises checked.  So `make test` (plain and under ASan/UBSan) keeps every
 * crash ever found as a regression test.  A regression file named HARNESS-... (as
 * tests/fuzz/run.sh saves them) goes to that harness; any other file to all four.
 * Run from the top of the tree (tests/run.sh does); $RAGTRACK_ROOT overrides. */
#include "check.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *replaying = "";      /* the file being replayed, for messages */
static int replay_failures;

static void replay_fail(const char *what)
{
	replay_failures++;
	fprintf(stderr, "%s: broken promise: %s\n", replaying, what);
}

#define FUZZ_FAIL(what) replay_fail(what)

#define LLVMFuzzerTestOneInput fuzz_import_one
#include "../fuzz/fuzz_import.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_csv_one
#include "../fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_text_one
#include "../fuzz/fuzz_text.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_search_one
#include "../fuzz/fuzz_search.c"
#undef LLVMFuzzerTestOneInput

typedef int (*fuzz_entry)(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	fuzz_entry run;
} HARNESSES[] = {
	{ "import", fuzz_import_one },
	{ "csv", fuzz_csv_one },
	{ "text", fuzz_text_one },
	{ "search", fuzz_search_one },
};
#define NHARNESS (sizeof HARNESSES / sizeof *HARNESSES)

static char root[4096] = ".";
static long replayed;

static int read_whole(const char *path, struct buf *b)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	fclose(fp);
	return 0;
}

/* One input through one harness: a pass when no promise broke (a crash or a leak ends
 * the whole binary, which tests/run.sh reports as a failure). */
static void replay_one(const char *path, size_t h)
{
	struct buf b = {0};
	CHECK(read_whole(path, &b) == 0);
	char *label = xasprintf("%s (fuzz_%s)", path, HARNESSES[h].name);
	replaying = label;
	int before = replay_failures;
	HARNESSES[h].run((const uint8_t *)(b.s ? b.s : ""), b.len);
	CHECK(replay_failures == before);
	replayed++;
	replaying = "";
	free(label);
	buf_free(&b);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted (so failures come in a stable order); NULL-ended.
 * NULL when dir cannot be read. */
static char **list_files(const char *dir)
{
	char *path = xasprintf("%s/%s", root, dir);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "%s: cannot read (run from the top of the tree, or set RAGTRACK_ROOT)\n", path);
		free(path);
		return NULL;
	}
	size_t n = 0, cap = 16;
	char **names = xmalloc(cap * sizeof *names);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0)
			continue;
		if (n + 2 > cap)
			names = xrealloc(names, (cap *= 2) * sizeof *names);
		names[n++] = xasprintf("%s/%s", path, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	names[n] = NULL;
	free(path);
	return names;
}

static void free_list(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/* The harness a regression file names ("import-crash-..."), or -1. */
static int named_harness(const char *base)
{
	for (size_t h = 0; h < NHARNESS; h++) {
		size_t len = strlen(HARNESSES[h].name);
		if (strncmp(base, HARNESSES[h].name, len) == 0 && base[len] == '-')
			return (int)h;
	}
	return -1;
}

/* Every file of dir through the harnesses named (a comma list), or with "*" through
 * the one its name gives (all when it names none). */
static void replay_dir(const char *dir, const char *harnesses, int need_files)
{
	char **names = list_files(dir);
	CHECK(names != NULL);
	if (!names)
		return;
	if (need_files)
		CHECK(names[0] != NULL);
	for (size_t i = 0; names[i]; i++) {
		int named = named_harness(strrchr(names[i], '/') + 1);
		for (size_t h = 0; h < NHARNESS; h++) {
			int wanted = strcmp(harnesses, "*") == 0 ? named < 0 || named == (int)h
			                                         : strstr(harnesses, HARNESSES[h].name) != NULL;
			if (wanted)
				replay_one(names[i], h);
		}
	}
	free_list(names);
}

/* The promises hold on a hand-made hostile input too: the harness is not vacuous. */
static void test_harness_catches(void)
{
	int before = replay_failures;
	replaying = "(self-test)";
	/* a clean cell must pass ... */
	CHECK(fuzz_field_clean("line one\nline two\ttab"));
	/* ... and the checks must see what they are for */
	CHECK(!fuzz_field_clean("\x1b[2J"));
	CHECK(!fuzz_field_clean("c1 \xc2\x9b here"));
	CHECK(fuzz_find_control("rlo \xe2\x80\xae", 7, 1) == 4);
	CHECK(fuzz_find_control("rlo \xe2\x80\xae", 7, 0) == -1);
	CHECK(!fuzz_text_controls_free("\x7f", 1, 1));
	CHECK(fuzz_text_controls_free("caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d", 0, 1));
	CHECK(replay_failures == before);
	replaying = "";
}

int main(void)
{
	const char *env = getenv("RAGTRACK_ROOT");
	if (env && *env)
		snprintf(root, sizeof root, "%s", env);
	test_harness_catches();
	replay_dir("tests/fuzz/corpus/import", "import,csv", 1);
	replay_dir("data", "import,csv", 1);
	replay_dir("tests/fuzz/corpus/text", "text", 1);
	replay_dir("tests/fuzz/corpus/search", "search", 1);
	replay_dir("tests/fuzz/regressions", "*", 0);
	fprintf(stderr, "test_fuzz_regressions: %ld replays\n", replayed);
	return check_report();
}
