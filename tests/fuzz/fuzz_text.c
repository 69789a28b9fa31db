/* fuzz_text: the normalisers and the filter parser under a fuzzer, with their
 * promises checked on every input (a broken one aborts, which the fuzzer reports):
 *
 *   text_visible   never lets a C0/C1 control, DEL or bidi control through, and its
 *                  output is valid UTF-8 (invalid input bytes become \xNN);
 *   text_width     is never negative;
 *   text_clean     of valid UTF-8 is valid UTF-8 with no C0/C1 control but newline
 *                  and tab (bidi controls are text: text_visible shows them escaped);
 *   rag_parse      gives a state in range; date_parse an ISO date or nothing, within
 *                  the bytes it was given; ref_parse a rest pointer inside its input;
 *   cp1252_to_utf8 valid UTF-8 or NULL;
 *   text_cut       fits its width, and of visible text is valid UTF-8 (so are
 *                  text_cut_bytes's cuts); text_wrap keeps every character but the
 *                  spaces at its breaks;
 *   filter_deserialise / filter_serialise round-trip (the TUI saves filters so).
 *
 * One input is one string (cut at its first NUL, as every cell is). */
#include "ragtrack/colmap.h"
#include "ragtrack/filter.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_FAIL
#define FUZZ_FAIL(what) fuzz_text_abort(what)
static void fuzz_text_abort(const char *what)
{
	fprintf(stderr, "fuzz_text: broken promise: %s\n", what);
	abort();
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No C0 control (but newline and tab when allowed), DEL, C1 or (when bidi) bidi control. */
static int fuzz_text_controls_free(const char *s, int allow_newline, int bidi)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; u[i]; i++) {
		if ((u[i] < 0x20 && !(allow_newline && (u[i] == '\n' || u[i] == '\t'))) || u[i] == 0x7f)
			return 0;
		if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return 0;
		if (bidi && u[i] == 0xe2 && u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae)
			return 0;
		if (bidi && u[i] == 0xe2 && u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)
			return 0;
	}
	return 1;
}

static void fuzz_text_visible(const char *s)
{
	char *v = text_visible(s, ' ');
	if (!fuzz_text_controls_free(v, 0, 1) || !utf8_valid(v, strlen(v), NULL))
		FUZZ_FAIL("text_visible(s, ' ') let a control character or invalid UTF-8 through");
	free(v);
	v = text_visible(s, 0);
	if (!fuzz_text_controls_free(v, 1, 1) || !utf8_valid(v, strlen(v), NULL))
		FUZZ_FAIL("text_visible(s, 0) let a control character or invalid UTF-8 through");
	free(v);
	if (text_width(s) < 0)
		FUZZ_FAIL("text_width is negative");
}

static void fuzz_text_clean(const char *s, size_t len)
{
	int changed = 0;
	char *c = text_clean(s, &changed);
	if (utf8_valid(s, len, NULL) && (!utf8_valid(c, strlen(c), NULL) || !fuzz_text_controls_free(c, 1, 0)))
		FUZZ_FAIL("text_clean of valid UTF-8 gave invalid UTF-8 or kept a control character");
	free(c);
	char *w = cp1252_to_utf8(s, len, NULL);
	if (w && !utf8_valid(w, strlen(w), NULL))
		FUZZ_FAIL("cp1252_to_utf8 gave invalid UTF-8");
	free(w);
}

static void fuzz_text_values(const char *s, size_t len)
{
	enum guess how = GUESS_UNKNOWN;
	enum rag r = rag_parse(s, &how);
	if ((int)r < RAG_UNSET || r >= RAG_COUNT || (int)how < GUESS_EXACT || how > GUESS_UNKNOWN)
		FUZZ_FAIL("rag_parse out of range");
	char iso[11] = "x";
	size_t used = (size_t)-1;
	how = date_parse(s, iso, &used);
	if (how == GUESS_UNKNOWN ? iso[0] != '\0' : (!date_is_iso(iso) || used == 0 || used > len))
		FUZZ_FAIL("date_parse gave a bad date or length");
	if (how != GUESS_UNKNOWN) {
		char later[11];
		date_add_days(iso, date_diff_days(iso, "2016-06-30"), later);
		if (strcmp(later, "2016-06-30") != 0)
			FUZZ_FAIL("date_add_days(d, date_diff_days(d, x)) is not x");
	}
	const char *rest = NULL;
	char *ref = ref_parse(s, &rest);
	if (!rest || rest < s || rest > s + len)
		FUZZ_FAIL("ref_parse rest points outside its input");
	char *key = ref_sort_key(ref);
	free(key);
	free(ref);
	(void)colmap_lookup(s);
	if (colmap_lookup(s) == COL_UNKNOWN && (int)colmap_suggest(s) >= COL_COUNT)
		FUZZ_FAIL("colmap_suggest out of range");
	enum rag_note note = RAG_NOTE_NONE;
	if (rag_parse_note(s, &how, &note) != r || (int)note < RAG_NOTE_NONE || note > RAG_NOTE_DONE_TEXT)
		FUZZ_FAIL("rag_parse_note differs from rag_parse or is out of range");
	struct date_cell dc;
	date_read_cell(s, &dc);
	if ((dc.iso[0] && !date_is_iso(dc.iso)) || dc.ndates < 0 || dc.ndates > 16 || dc.lead > len ||
	    (dc.note == DATE_NOTE_SEVERAL && dc.ndates < 2) || strlen(dc.bad) >= sizeof dc.bad)
		FUZZ_FAIL("date_read_cell gave a bad date, count or length");
	if (dc.iso[0] && iso[0] && strcmp(dc.iso, iso) < 0)
		FUZZ_FAIL("date_read_cell's target is earlier than the leading date");
}

/* Counts the bytes of the lines text_wrap gives that are not spaces. */
static void fuzz_text_count(const char *line, size_t len, void *ctx)
{
	for (size_t i = 0; i < len; i++)
		*(size_t *)ctx += line[i] != ' ';
}

static void fuzz_text_fit(const char *s)
{
	char *v = text_visible(s, '\n');
	size_t kept = 0, want = 0;
	for (unsigned flags = 0; flags <= TEXT_AS_ASCII; flags++) {
		int w;
		char *cut = text_cut(s, 12, flags);
		text_fit(cut, INT_MAX, flags, &w);
		if (w > 12)
			FUZZ_FAIL("text_cut is wider than asked");
		free(cut);
		cut = text_cut(v, 12, flags);
		if (!utf8_valid(cut, strlen(cut), NULL))
			FUZZ_FAIL("text_cut of visible text is not valid UTF-8");
		free(cut);
		kept = 0;
		text_wrap(v, 9, flags, fuzz_text_count, &kept);
		want = 0;
		for (const char *p = v; *p; p++)
			want += *p != ' ' && *p != '\n';
		if (kept != want)
			FUZZ_FAIL("text_wrap lost or added characters");
	}
	for (size_t max = 0; max < 16; max++)
		if (text_cut_bytes(v, max) > max || !utf8_valid(v, text_cut_bytes(v, max), NULL))
			FUZZ_FAIL("text_cut_bytes cut inside a character");
	free(v);
}

/* What the TUI saves must read back as the same filter. */
static void fuzz_text_filter(const char *s)
{
	struct filter f, g;
	struct err e = {0};
	if (filter_deserialise(&f, s, &e) != OK)
		return;
	char *once = filter_serialise(&f);
	char *words = filter_describe(&f);
	if (filter_deserialise(&g, once, &e) != OK)
		FUZZ_FAIL("a serialised filter does not read back");
	char *twice = filter_serialise(&g);
	if (strcmp(once, twice) != 0)
		FUZZ_FAIL("filter serialise / deserialise does not round-trip");
	free(once);
	free(twice);
	free(words);
	filter_free(&f);
	filter_free(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	size_t len = strlen(s);
	fuzz_text_visible(s);
	fuzz_text_clean(s, len);
	fuzz_text_values(s, len);
	fuzz_text_fit(s);
	fuzz_text_filter(s);
	free(s);
	return 0;
}
