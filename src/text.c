/* text: the normalisers that turn what boards write into clean values.
 *
 * Everything here is a pure function over bytes: no locale dependence except
 * text_width (wcwidth), no I/O; text_ascii is a table, not the C library's
 * transliteration, so it shows the same in every locale.  Character classes are ASCII-only on purpose, so
 * the results never change with LC_CTYPE. */
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- ASCII classes and UTF-8 ------------------------------------------ */

static int ascii_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ascii_alnum(int c)
{
	return ascii_digit(c) || ascii_alpha(c);
}

static int ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Case-insensitive: does s start with the lowercase word w?  Returns its length or 0. */
static size_t ascii_prefix(const char *s, const char *w)
{
	size_t i = 0;
	for (; w[i]; i++)
		if (ascii_lower((unsigned char)s[i]) != w[i])
			return 0;
	return i;
}

/* The valid UTF-8 sequence at s (at most len bytes): its length and code point, or
 * 0 when s[0] does not start one.  Strict: no overlongs, surrogates or > U+10FFFF.
 * Stops at the first bad continuation byte, so a NUL terminator is never passed. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	if (len == 0)
		return 0;
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

/* utf8_decode over a NUL-terminated string (the NUL stops any sequence). */
static size_t utf8_decode_str(const char *s, uint32_t *cp)
{
	return utf8_decode((const unsigned char *)s, 4, cp);
}

static size_t utf8_encode(uint32_t cp, char out[4]);

size_t utf8_char(const char *s, uint32_t *cp)
{
	return *s ? utf8_decode_str(s, cp) : 0;
}

size_t utf8_put(uint32_t cp, char out[4])
{
	return utf8_encode(cp, out);
}

/* Encode cp (a valid scalar value) into out; returns the byte count. */
static size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (u && i < len) {
		uint32_t cp;
		size_t n = utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			if (bad_at)
				*bad_at = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

/* Windows-1252 0x80..0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t CP1252_HIGH[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

char *cp1252_to_utf8(const char *s, size_t len, size_t *bad_at)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; s && i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp = (c >= 0x80 && c <= 0x9F) ? CP1252_HIGH[c - 0x80] : c;
		if (cp == 0 && c != 0) {
			if (bad_at)
				*bad_at = i;
			buf_free(&b);
			return NULL;
		}
		char enc[4];
		buf_add(&b, enc, utf8_encode(cp, enc));
	}
	return buf_steal(&b);
}

/* ---- RAG ---------------------------------------------------------------- */

/* What boards write in a RAG cell, after text_clean, lowercasing, folding white space
 * to single spaces and dropping trailing full stops.  A cell that is exactly one of
 * these patterns takes its row.  Otherwise the cell is read as terms joined by "/",
 * "-", en dash, "&", "+", "," or "and" ("Amber/Green", "Green / Blue", "A/G", "Red-Amber"):
 * a mix takes the most cautious term and is INFERRED.  A cell may also start with a
 * term and go on with words ("Action complete as these powers are in place",
 * "Completed - Countywide CSE group established") when every term has `leads` set;
 * that too is INFERRED.  Anything else is RAG_UNSET with GUESS_UNKNOWN, and the
 * importer keeps the text and warns.
 *
 *   pattern                   rag    guess     leads  why
 */
struct rag_word {
	const char *pattern;
	enum rag rag;
	enum guess how;
	int leads;
};
static const struct rag_word RAG_WORDS[] = {
	/* Nothing to rate: blank, the zeros megan.csv carries, not applicable, to come. */
	{ "",                        RAG_UNSET, GUESS_EXACT,    0 },
	{ "0",                       RAG_UNSET, GUESS_EXACT,    0 },
	{ "-",                       RAG_UNSET, GUESS_EXACT,    0 },
	{ "--",                      RAG_UNSET, GUESS_EXACT,    0 },
	{ "\xe2\x80\x93",            RAG_UNSET, GUESS_EXACT,    0 }, /* en dash */
	{ "n/a",                     RAG_UNSET, GUESS_EXACT,    0 },
	{ "na",                      RAG_UNSET, GUESS_EXACT,    0 },
	{ "n.a",                     RAG_UNSET, GUESS_EXACT,    0 },
	{ "not applicable",          RAG_UNSET, GUESS_EXACT,    0 },
	{ "tbc",                     RAG_UNSET, GUESS_EXACT,    0 },
	{ "tbd",                     RAG_UNSET, GUESS_EXACT,    0 },
	{ "none",                    RAG_UNSET, GUESS_EXACT,    0 },
	{ "nil",                     RAG_UNSET, GUESS_EXACT,    0 },
	{ "no action",               RAG_UNSET, GUESS_EXACT,    0 }, /* julia.csv, Probation */
	{ "no actions",              RAG_UNSET, GUESS_EXACT,    0 },
	/* The four states by letter and name. */
	{ "r",                       RAG_RED,   GUESS_EXACT,    0 },
	{ "red",                     RAG_RED,   GUESS_EXACT,    1 },
	{ "a",                       RAG_AMBER, GUESS_EXACT,    0 },
	{ "amber",                   RAG_AMBER, GUESS_EXACT,    1 },
	{ "g",                       RAG_GREEN, GUESS_EXACT,    0 },
	{ "green",                   RAG_GREEN, GUESS_EXACT,    1 },
	{ "b",                       RAG_BLUE,  GUESS_EXACT,    0 },
	{ "blue",                    RAG_BLUE,  GUESS_EXACT,    1 },
	/* Done: the legend's fourth state ("Action completed (and evidenced)"). */
	{ "action complete",         RAG_BLUE,  GUESS_INFERRED, 1 }, /* julia.csv, 146 rows */
	{ "action completed",        RAG_BLUE,  GUESS_INFERRED, 1 },
	{ "actions complete",        RAG_BLUE,  GUESS_INFERRED, 1 },
	{ "actions completed",       RAG_BLUE,  GUESS_INFERRED, 1 },
	{ "action completed and evidenced", RAG_BLUE, GUESS_INFERRED, 1 },
	{ "completed and evidenced", RAG_BLUE,  GUESS_INFERRED, 1 },
	{ "completed",               RAG_BLUE,  GUESS_INFERRED, 1 }, /* megan.csv */
	/* "Complete CSE risk assessments..." and "Done by June" are as often an order
	 * as a state, so these two count only as the whole cell. */
	{ "complete",                RAG_BLUE,  GUESS_INFERRED, 0 },
	{ "done",                    RAG_BLUE,  GUESS_INFERRED, 0 },
	/* The legend's wording for Green and Red. */
	{ "on track",                RAG_GREEN, GUESS_INFERRED, 1 },
	{ "on-track",                RAG_GREEN, GUESS_INFERRED, 1 },
	{ "not on track",            RAG_RED,   GUESS_INFERRED, 1 },
	{ "off track",               RAG_RED,   GUESS_INFERRED, 1 },
	/* Deliberately unknown: progress words say nothing about the rating, and julia.csv's
	 * "P" (Purple? Progressing?) is not in either board's legend. */
	{ "ongoing",                 RAG_UNSET, GUESS_UNKNOWN,  0 },
	{ "in progress",             RAG_UNSET, GUESS_UNKNOWN,  0 },
	{ "p",                       RAG_UNSET, GUESS_UNKNOWN,  0 },
	{ "purple",                  RAG_UNSET, GUESS_UNKNOWN,  0 },
};
#define RAG_WORDS_N (sizeof RAG_WORDS / sizeof RAG_WORDS[0])

static const struct {
	char letter;
	const char *name, *meaning;
} RAG_INFO[RAG_COUNT] = {
	[RAG_UNSET] = { '-', "",      "not rated" },
	[RAG_RED]   = { 'R', "Red",   "progress not on track, remedial action required" },
	[RAG_AMBER] = { 'A', "Amber", "progress needs monitoring to stay on track" },
	[RAG_GREEN] = { 'G', "Green", "on track, no additional action" },
	[RAG_BLUE]  = { 'B', "Blue",  "completed and evidenced" },
};

static int rag_ok(enum rag r)
{
	return (int)r >= 0 && r < RAG_COUNT;
}

char rag_letter(enum rag r)
{
	return rag_ok(r) ? RAG_INFO[r].letter : '-';
}

const char *rag_name(enum rag r)
{
	return rag_ok(r) ? RAG_INFO[r].name : "";
}

const char *rag_meaning(enum rag r)
{
	return rag_ok(r) ? RAG_INFO[r].meaning : "";
}

/* The state a user's word names, or -1. */
static int rag_user_word(const char *word)
{
	static const char *const UNSET_WORDS[] = { "unset", "none", "-" };
	for (size_t i = 0; i < sizeof UNSET_WORDS / sizeof UNSET_WORDS[0]; i++)
		if (str_casecmp(word, UNSET_WORDS[i]) == 0)
			return RAG_UNSET;
	for (int r = RAG_RED; r < RAG_COUNT; r++) {
		const char letter[2] = { RAG_INFO[r].letter, '\0' };
		if (str_casecmp(word, RAG_INFO[r].name) == 0 || str_casecmp(word, letter) == 0)
			return r;
	}
	return -1;
}

int rag_from_user(const char *word, enum rag *out)
{
	int r = str_empty(word) ? -1 : rag_user_word(word);
	if (r < 0)
		return -1;
	if (out)
		*out = (enum rag)r;
	return 0;
}

/* The cell as the table spells it: cleaned, lowercase, single-spaced, no trailing dots. */
static char *rag_key(const char *raw)
{
	char *clean = text_clean(raw, NULL);
	struct buf b = {0};
	int space = 0;
	for (const char *p = clean; *p; p++) {
		if (ascii_space((unsigned char)*p)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, (char)ascii_lower((unsigned char)*p));
	}
	while (b.len > 0 && (b.s[b.len - 1] == '.' || b.s[b.len - 1] == ' '))
		b.s[--b.len] = '\0';
	free(clean);
	return buf_steal(&b);
}

static const struct rag_word *rag_word_whole(const char *key)
{
	for (size_t i = 0; i < RAG_WORDS_N; i++)
		if (strcmp(key, RAG_WORDS[i].pattern) == 0)
			return &RAG_WORDS[i];
	return NULL;
}

/* Can a term end here?  At the end, a space, punctuation, or an en/em dash. */
static int rag_term_end(const char *p)
{
	return !*p || strchr(" /-&+,;:.()", *p) || strncmp(p, "\xe2\x80\x93", 3) == 0 ||
	       strncmp(p, "\xe2\x80\x94", 3) == 0;
}

/* The longest rating term (a row with a state) at p, or NULL. */
static const struct rag_word *rag_term_at(const char *p)
{
	const struct rag_word *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < RAG_WORDS_N; i++) {
		const struct rag_word *w = &RAG_WORDS[i];
		size_t n = strlen(w->pattern);
		if (w->rag == RAG_UNSET || n <= best_len || strncmp(p, w->pattern, n) != 0)
			continue;
		if (rag_term_end(p + n)) {
			best = w;
			best_len = n;
		}
	}
	return best;
}

/* Bytes of a separator between two terms at p ("/", " - ", " and "), or 0. */
static size_t rag_sep_at(const char *p)
{
	size_t i = 0;
	while (p[i] == ' ')
		i++;
	if (p[i] && strchr("/-&+,", p[i]))
		i++;
	else if (strncmp(p + i, "\xe2\x80\x93", 3) == 0 || strncmp(p + i, "\xe2\x80\x94", 3) == 0)
		i += 3;
	else if (strncmp(p + i, "and ", 4) == 0)
		i += 3;
	else
		return 0;
	while (p[i] == ' ')
		i++;
	return i;
}

/* Read terms joined by separators from the start of key; see the table's comment. */
static enum rag rag_read_terms(const char *key, enum guess *how)
{
	const char *p = key;
	const struct rag_word *first = NULL;
	enum rag worst = RAG_COUNT;
	int terms = 0, all_lead = 1;
	for (;;) {
		const struct rag_word *w = rag_term_at(p);
		if (!w)
			break;
		first = first ? first : w;
		worst = w->rag < worst ? w->rag : worst;
		all_lead &= w->leads;
		terms++;
		p += strlen(w->pattern);
		size_t sep = rag_sep_at(p);
		if (!sep || !rag_term_at(p + sep))
			break;
		p += sep;
	}
	*how = GUESS_UNKNOWN;
	if (terms == 0)
		return RAG_UNSET;
	if (*p == '\0') {
		*how = terms == 1 ? first->how : GUESS_INFERRED;
		return worst;
	}
	while (*p == ' ')
		p++;
	if (!all_lead || !*p || strchr("/&+", *p))
		return RAG_UNSET;
	*how = GUESS_INFERRED;
	return worst;
}

char *rag_word_key(const char *raw)
{
	return rag_key(raw ? raw : "");
}

/* Progress words: they say work has started or not, nothing about whether it is on
 * track, so they are no rating (a plan's own legend can make them one: --rag-map). */
static int rag_progress_word(const char *key)
{
	static const char *const WORDS[] = { "in progress", "ongoing", "on going", "on-going", "not started",
	                                     "not yet started", "started", "in hand" };
	for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++)
		if (strcmp(key, WORDS[i]) == 0)
			return 1;
	return 0;
}

/* A cell naming three or more of the states: the legend ("Red Amber Green",
 * "R/A/G", "Red / Amber / Green / Blue"), as a template's prompt row writes it. */
static int rag_legend(const char *key)
{
	static const char *const NAMES[] = { "red", "amber", "green", "blue" };
	int named = 0;
	for (size_t i = 0; i < 4; i++) {
		const char *p = strstr(key, NAMES[i]);
		named += p && (p == key || !ascii_alpha((unsigned char)p[-1])) && !ascii_alpha((unsigned char)p[strlen(NAMES[i])]);
	}
	if (named >= 3)
		return 1;
	size_t n = strlen(key);                      /* "r/a/g", "r a g", "rag" as letters */
	int letters = 0;
	for (size_t i = 0; i < n; i++) {
		if (strchr("ragb", key[i]) && (i == 0 || !ascii_alpha((unsigned char)key[i - 1])) &&
		    !ascii_alpha((unsigned char)key[i + 1]))
			letters++;
		else if (ascii_alpha((unsigned char)key[i]))
			return 0;
	}
	return letters >= 3;
}

/* "complete:", "complete -", "completed - ..." opening a longer cell. */
static int rag_done_text(const char *key)
{
	size_t n = ascii_prefix(key, "completed") ? 9 : ascii_prefix(key, "complete") ? 8 : 0;
	if (!n)
		return 0;
	while (key[n] == ' ')
		n++;
	return key[n] == ':' || key[n] == '-' || strncmp(key + n, "\xe2\x80\x93", 3) == 0 ||
	       strncmp(key + n, "\xe2\x80\x94", 3) == 0;
}

enum rag rag_parse_note(const char *raw, enum guess *how, enum rag_note *note)
{
	enum guess g;
	enum rag r;
	enum rag_note why = RAG_NOTE_NONE;
	char *key = rag_key(raw);
	const struct rag_word *w = rag_word_whole(key);
	if (w) {
		g = w->how;
		r = w->rag;
	} else if (rag_legend(key)) {
		g = GUESS_UNKNOWN;
		r = RAG_UNSET;
		why = RAG_NOTE_LEGEND;
	} else if (rag_done_text(key)) {
		g = GUESS_INFERRED;
		r = RAG_BLUE;
		why = RAG_NOTE_DONE_TEXT;
	} else {
		r = rag_read_terms(key, &g);
	}
	if (r == RAG_UNSET && g == GUESS_UNKNOWN && rag_progress_word(key))
		why = RAG_NOTE_PROGRESS;
	free(key);
	if (how)
		*how = g;
	if (note)
		*note = why;
	return r;
}

enum rag rag_parse(const char *raw, enum guess *how)
{
	return rag_parse_note(raw, how, NULL);
}

/* ---- dates -------------------------------------------------------------- */

#define YEAR_MIN 1900   /* date_parse's plausible years; date_is_iso takes 1..9999 */
#define YEAR_MAX 2199
#define SERIAL_MIN 20000
#define SERIAL_MAX 80000

static int date_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int date_month_days(long y, int m)
{
	static const int DAYS[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && date_leap(y) ? 29 : DAYS[m - 1];
}

static int date_valid(long y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= date_month_days(y, m);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm:
 * pure arithmetic, so no time zone or DST ever enters). */
static long date_days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void date_civil_from_days(long z, long *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void date_write(char out[11], long y, int m, int d)
{
	const long v[3] = { y, m, d };
	const int w[3] = { 4, 2, 2 };
	char *o = out;
	for (int f = 0; f < 3; f++) {
		if (f)
			*o++ = '-';
		for (int i = w[f] - 1, x = (int)v[f]; i >= 0; i--, x /= 10)
			o[i] = (char)('0' + x % 10);
		o += w[f];
	}
	*o = '\0';
}

/* Read an ISO date; 1 and the fields, or 0. */
static int date_read_iso(const char *s, long *y, int *m, int *d)
{
	static const char FORM[] = "dddd-dd-dd";
	for (int i = 0; i < 10; i++)
		if (FORM[i] == 'd' ? !ascii_digit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	if (s[10] != '\0')
		return 0;
	*y = strtol(s, NULL, 10);
	*m = (int)strtol(s + 5, NULL, 10);
	*d = (int)strtol(s + 8, NULL, 10);
	return date_valid(*y, *m, *d);
}

int date_is_iso(const char *s)
{
	long y;
	int m, d;
	return s && date_read_iso(s, &y, &m, &d);
}

long date_diff_days(const char *a, const char *b)
{
	long ya, yb;
	int ma, da, mb, db;
	if (!a || !b || !date_read_iso(a, &ya, &ma, &da) || !date_read_iso(b, &yb, &mb, &db))
		return 0;
	return date_days_from_civil(yb, mb, db) - date_days_from_civil(ya, ma, da);
}

void date_add_days(const char *iso, long days, char out[11])
{
	long y;
	int m, d;
	out[0] = '\0';
	if (!iso || !date_read_iso(iso, &y, &m, &d))
		return;
	long z = date_days_from_civil(y, m, d);
	if (days > 4000000L || days < -4000000L)
		return;
	date_civil_from_days(z + days, &y, &m, &d);
	if (date_valid(y, m, d))
		date_write(out, y, m, d);
}

/* A run of digits at s of min..max length: its value and length, else 0. */
static size_t date_digits(const char *s, size_t min, size_t max, long *val)
{
	size_t n = 0;
	long v = 0;
	while (ascii_digit((unsigned char)s[n])) {
		if (n < 9)
			v = v * 10 + (s[n] - '0');
		n++;
	}
	*val = v;
	return n < min || n > max ? 0 : n;
}

/* A year of 2 digits (20yy) or 4, not followed by a letter or digit. */
static size_t date_year(const char *s, long *y)
{
	size_t n = date_digits(s, 2, 4, y);
	if (n == 3 || n == 0 || ascii_alnum((unsigned char)s[n]))
		return 0;
	if (n == 2)
		*y += 2000;
	return (*y >= YEAR_MIN && *y <= YEAR_MAX) ? n : 0;
}

/* A month name at s: "June", "Jun", "Jun.", "Sept", any case.  Its length and number. */
static size_t date_month(const char *s, int *m)
{
	static const char *const NAMES[12] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december",
	};
	for (int i = 0; i < 12; i++) {
		char abbr[4] = { NAMES[i][0], NAMES[i][1], NAMES[i][2], '\0' };
		size_t n = ascii_prefix(s, NAMES[i]);
		if (!n && i == 8)
			n = ascii_prefix(s, "sept");
		if (!n)
			n = ascii_prefix(s, abbr);
		if (!n || ascii_alpha((unsigned char)s[n]))
			continue;
		*m = i + 1;
		return n + (s[n] == '.' && strlen(NAMES[i]) != n);
	}
	return 0;
}

/* Between a month name and its year: spaces, one of "-,./", an apostrophe. */
static size_t date_month_gap(const char *s)
{
	size_t i = 0;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i] && strchr("-,./", s[i]))
		i++;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i] == '\'')
		i++;
	else if (strncmp(s + i, "\xe2\x80\x99", 3) == 0)
		i += 3;
	return i;
}

/* Between a day and its month name: "1st", "1 ", "1-", "1st of ". */
static size_t date_day_gap(const char *s)
{
	static const char *const ORDINALS[] = { "st", "nd", "rd", "th" };
	size_t i = 0;
	for (size_t k = 0; k < 4 && !i; k++)
		if (ascii_prefix(s, ORDINALS[k]) && !ascii_alpha((unsigned char)s[2]))
			i = 2;
	size_t gap = i;
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '-' || s[i] == '.')
		i++;
	if (ascii_prefix(s + i, "of ") && i > gap)
		i += 3;
	while (s[i] == ' ')
		i++;
	return i;
}

struct date_read {
	long y;
	int m, d;
	size_t len;
	enum guess how;
};

/* Record what a reader found; returns 1 for the reader to pass on. */
static int date_found(struct date_read *r, long m, long d, size_t len, enum guess how)
{
	r->m = (int)m;
	r->d = (int)d;
	r->len = len;
	r->how = how;
	return 1;
}

/* "31.03.2016", "31/03/16", "1-6-16": day first, one separator, year of 2 or 4 digits. */
static int date_read_numeric(const char *s, struct date_read *r)
{
	long d, m;
	size_t i = date_digits(s, 1, 2, &d), n;
	char sep = s[i];
	if (!i || !sep || !strchr("./-", sep))
		return 0;
	i++;
	if (!(n = date_digits(s + i, 1, 2, &m)) || s[i + n] != sep)
		return 0;
	i += n + 1;
	if (!(n = date_year(s + i, &r->y)))
		return 0;
	return date_found(r, m, d, i + n, GUESS_EXACT);
}

/* "2016-03-31" (or with / or .): year first. */
static int date_read_yearfirst(const char *s, struct date_read *r)
{
	long m, d;
	size_t i = date_digits(s, 4, 4, &r->y), n;
	char sep = s[i];
	if (!i || !sep || !strchr("./-", sep))
		return 0;
	i++;
	if (!(n = date_digits(s + i, 1, 2, &m)) || s[i + n] != sep)
		return 0;
	i += n + 1;
	if (!(n = date_digits(s + i, 1, 2, &d)) || ascii_alnum((unsigned char)s[i + n]))
		return 0;
	return date_found(r, m, d, i + n, GUESS_EXACT);
}

/* "1st June 2016", "18 March 2015", "1-Jun-16". */
static int date_read_named(const char *s, struct date_read *r)
{
	long d;
	size_t i = date_digits(s, 1, 2, &d), n;
	if (!i)
		return 0;
	i += date_day_gap(s + i);
	if (!(n = date_month(s + i, &r->m)))
		return 0;
	i += n;
	i += date_month_gap(s + i);
	if (!(n = date_year(s + i, &r->y)))
		return 0;
	return date_found(r, r->m, d, i + n, GUESS_EXACT);
}

/* "June 2016", "Jun-16", "Oct '16", "Sept 14": the end of that month, inferred. */
static int date_read_month(const char *s, struct date_read *r)
{
	size_t i = date_month(s, &r->m), n;
	if (!i)
		return 0;
	size_t gap = date_month_gap(s + i);
	if (!gap || !(n = date_year(s + i + gap, &r->y)))
		return 0;
	return date_found(r, r->m, date_month_days(r->y, r->m), i + gap + n, GUESS_INFERRED);
}

/* An Excel serial day (1899-12-30 epoch) filling the whole cell. */
static int date_read_serial(const char *s, struct date_read *r)
{
	long v;
	size_t n = date_digits(s, 5, 5, &v), i = n;
	while (ascii_space((unsigned char)s[i]))
		i++;
	if (!n || s[i] || v < SERIAL_MIN || v > SERIAL_MAX)
		return 0;
	int m, d;
	date_civil_from_days(date_days_from_civil(1899, 12, 30) + v, &r->y, &m, &d);
	return date_found(r, m, d, n, GUESS_INFERRED);
}

/* White space, &nbsp; and tags (<p>, <b>) a cell may open with. */
static size_t date_skip_lead(const char *s)
{
	size_t i = 0;
	for (;;) {
		size_t n = 0;
		if (ascii_space((unsigned char)s[i]))
			n = 1;
		else if (strncmp(s + i, "\xc2\xa0", 2) == 0)
			n = 2;
		else if (strncmp(s + i, "&nbsp;", 6) == 0)
			n = 6;
		else if (s[i] == '<' && (ascii_alpha((unsigned char)s[i + 1]) || s[i + 1] == '/')) {
			const char *gt = strpbrk(s + i, ">\n");
			n = gt && *gt == '>' ? (size_t)(gt - (s + i)) + 1 : 0;
		}
		if (!n)
			return i;
		i += n;
	}
}

enum guess date_parse(const char *raw, char iso[11], size_t *consumed)
{
	static int (*const READERS[])(const char *, struct date_read *) = {
		date_read_serial, date_read_yearfirst, date_read_numeric,
		date_read_named, date_read_month,
	};
	iso[0] = '\0';
	if (consumed)
		*consumed = 0;
	if (!raw)
		return GUESS_UNKNOWN;
	size_t lead = date_skip_lead(raw);
	for (size_t k = 0; k < sizeof READERS / sizeof READERS[0]; k++) {
		struct date_read r;
		if (!READERS[k](raw + lead, &r) || !date_valid(r.y, r.m, r.d))
			continue;
		if (r.y < YEAR_MIN || r.y > YEAR_MAX)
			continue;
		date_write(iso, r.y, r.m, r.d);
		if (consumed)
			*consumed = lead + r.len;
		return r.how;
	}
	return GUESS_UNKNOWN;
}

/* A date at s itself (no leading white space), as date_parse's readers see it: 1 and r
 * filled when one matches; *impossible is set when one matches the shape of a date
 * with no such day ("30/02/2021").  Serial numbers only at the start of a cell. */
static int date_at(const char *s, int serial_ok, struct date_read *r, int *impossible)
{
	static int (*const READERS[])(const char *, struct date_read *) = {
		date_read_serial, date_read_yearfirst, date_read_numeric,
		date_read_named, date_read_month,
	};
	*impossible = 0;
	for (size_t k = serial_ok ? 0 : 1; k < sizeof READERS / sizeof READERS[0]; k++) {
		if (!READERS[k](s, r) || r->y < YEAR_MIN || r->y > YEAR_MAX)
			continue;
		if (date_valid(r->y, r->m, r->d))
			return 1;
		if (r->m >= 1 && r->m <= 31 && r->d >= 1 && r->d <= 31) {
			*impossible = 1;     /* r->len is its length */
			break;
		}
	}
	return 0;
}

/* Words that say "done" or "no end" in a date column. */
static enum date_note date_word_note(const char *text)
{
	static const char *const DONE[] = { "completed", "complete", "done", "achieved", "closed", "finished" };
	static const char *const ONGOING[] = { "ongoing", "on-going", "on going", "continuous", "continuing" };
	char *key = rag_key(text);
	enum date_note note = DATE_NOTE_NONE;
	for (size_t i = 0; i < sizeof DONE / sizeof DONE[0] && !note; i++)
		if (strcmp(key, DONE[i]) == 0)
			note = DATE_NOTE_STATUS;
	for (size_t i = 0; i < sizeof ONGOING / sizeof ONGOING[0] && !note; i++)
		if (strcmp(key, ONGOING[i]) == 0)
			note = DATE_NOTE_ONGOING;
	free(key);
	return note;
}

void date_read_cell(const char *text, struct date_cell *out)
{
	memset(out, 0, sizeof *out);
	out->how = GUESS_UNKNOWN;
	if (!text)
		return;
	out->how = date_parse(text, out->iso, &out->lead);
	out->iso[0] = '\0';
	char seen[16][11];
	int after_words = 0;
	for (size_t i = 0; text[i];) {
		int word_start = i == 0 || !ascii_alnum((unsigned char)text[i - 1]);
		struct date_read r;
		int impossible = 0;
		if (!word_start || !ascii_alnum((unsigned char)text[i]) || !date_at(text + i, i == 0, &r, &impossible)) {
			if (impossible) {      /* skip it whole: "September 2020" alone is no date of it */
				size_t n = r.len;
				if (!out->bad[0]) {
					size_t k = n < sizeof out->bad - 1 ? n : sizeof out->bad - 1;
					memcpy(out->bad, text + i, k);
					out->bad[k] = '\0';
				}
				i += n ? n : 1;
				continue;
			}
			i++;
			continue;
		}
		char iso[11];
		date_write(iso, r.y, r.m, r.d);
		if (!out->ndates)
			after_words = i > date_skip_lead(text);
		int dup = 0;
		for (int k = 0; k < out->ndates; k++)
			dup |= strcmp(seen[k], iso) == 0;
		if (!dup && out->ndates < 16)
			memcpy(seen[out->ndates++], iso, sizeof iso);
		if (strcmp(iso, out->iso) > 0)
			memcpy(out->iso, iso, sizeof iso);
		i += r.len;
	}
	if (out->ndates > 1)
		out->note = DATE_NOTE_SEVERAL;
	else if (out->ndates == 1 && after_words)
		out->note = DATE_NOTE_AFTER_WORDS;
	else if (!out->ndates && out->bad[0])
		out->note = DATE_NOTE_NOT_REAL;
	else if (!out->ndates)
		out->note = date_word_note(text);
	if (out->note != DATE_NOTE_NONE)
		out->how = out->iso[0] ? GUESS_INFERRED : GUESS_UNKNOWN;
}

/* ---- text_clean ----------------------------------------------------------- */

#define TAG_MAX 1024    /* longer "<...>" spans are text, which bounds the work per '>' */
#define ENTITY_MAX 12   /* "&#x10FFFF;" and the named ones fit */

/* Text is built in out as it is read; a tag or entity is recognised when its closing
 * '>' or ';' lands at the end of out, so characters that decoding or removal bring
 * together ("&amp;lt;", "&am<b></b>p;") are read as a later pass would read them:
 * that is what makes text_clean idempotent. */
struct cleaner {
	struct buf out;
	int changed;
	int after_break;   /* a tag just broke the line: skip the HTML white space after it */
};

/* Block elements start a new line.  An <li> item is just a line, with no bullet
 * added: boards' lists already carry their own (julia.csv's items open with a
 * U+25C6 diamond) and a "- " of ours would double them. */
static int clean_is_block(const char *name)
{
	static const char *const BLOCK[] = {
		"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "blockquote",
		"pre", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
		"footer",
	};
	for (size_t i = 0; i < sizeof BLOCK / sizeof BLOCK[0]; i++)
		if (strcmp(name, BLOCK[i]) == 0)
			return 1;
	return 0;
}

/* Start a new line unless the current one is empty (white space on it is dropped). */
static void clean_line_start(struct cleaner *c)
{
	size_t ls = c->out.len;
	while (ls > 0 && c->out.s[ls - 1] != '\n')
		ls--;
	size_t i = ls;
	while (i < c->out.len && (c->out.s[i] == ' ' || c->out.s[i] == '\t'))
		i++;
	if (i < c->out.len) {
		buf_addc(&c->out, '\n');
	} else {
		c->out.len = ls;
		c->out.s[ls] = '\0';
	}
}

/* Does t[0..n) ('<' ... '>', no '<' or newline inside) look like a tag?  Fills name
 * (lowercase, "" when too long to be one we act on). */
static int clean_tag_parse(const char *t, size_t n, char name[16])
{
	size_t i = 1, k = 0;
	if (t[i] == '/')
		i++;
	if (!ascii_alpha((unsigned char)t[i]))
		return 0;
	for (; ascii_alnum((unsigned char)t[i]) || t[i] == ':' || t[i] == '-'; i++)
		if (k < 15)
			name[k++] = (char)ascii_lower((unsigned char)t[i]);
	name[k] = '\0';
	if (k == 15)
		name[0] = '\0';
	if (i == n - 1 || (t[i] == '/' && i + 1 == n - 1))
		return 1;
	return t[i] == ' ' || t[i] == '\t';
}

/* out ends with '>': if a tag ends there, replace it with its line break or nothing. */
static void clean_take_tag(struct cleaner *c)
{
	char *s = c->out.s, name[16];
	size_t end = c->out.len - 1, i = end;
	size_t lo = end > TAG_MAX ? end - TAG_MAX : 0;
	while (i > lo) {
		i--;
		if (s[i] == '<' || s[i] == '>' || s[i] == '\n')
			break;
	}
	if (s[i] != '<' || !clean_tag_parse(s + i, end - i + 1, name))
		return;
	c->out.len = i;
	s[i] = '\0';
	c->changed = 1;
	if (strcmp(name, "br") == 0 || strcmp(name, "hr") == 0) {
		buf_addc(&c->out, '\n');
		c->after_break = 1;
	} else if (clean_is_block(name)) {
		clean_line_start(c);
		c->after_break = 1;
	}
}

/* The code point an entity name (between '&' and ';') stands for, or -1. */
static long clean_entity_value(const char *e, size_t n)
{
	static const struct { const char *name; long cp; } NAMED[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
		{ "apos", '\'' }, { "nbsp", 0xA0 },
	};
	for (size_t i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++)
		if (strlen(NAMED[i].name) == n && memcmp(e, NAMED[i].name, n) == 0)
			return NAMED[i].cp;
	if (n < 2 || e[0] != '#')
		return -1;
	int hex = e[1] == 'x' || e[1] == 'X';
	size_t i = 1 + (size_t)hex;
	long v = 0;
	if (i == n || n - i > 7)
		return -1;
	for (; i < n; i++) {
		int ch = ascii_lower((unsigned char)e[i]);
		int dv = ascii_digit(ch) ? ch - '0' : (hex && ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
		if (dv < 0)
			return -1;
		v = v * (hex ? 16 : 10) + dv;
	}
	if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	return v;
}

/* out ends with ';': if an entity ends there, remove it and return its code point. */
static long clean_take_entity(struct cleaner *c)
{
	char *s = c->out.s;
	size_t end = c->out.len - 1, i = end;
	while (i > 0 && end - i < ENTITY_MAX) {
		i--;
		if (s[i] == '&')
			break;
		if (!ascii_alnum((unsigned char)s[i]) && s[i] != '#')
			return -1;
	}
	if (s[i] != '&')
		return -1;
	long cp = clean_entity_value(s + i + 1, end - i - 1);
	if (cp < 0)
		return -1;
	c->out.len = i;
	s[i] = '\0';
	c->changed = 1;
	return cp;
}

/* Append one code point, dropping controls and turning no-break space into a space.
 * Returns 1 when what it appended could close a tag or an entity. */
static int clean_add(struct cleaner *c, uint32_t cp)
{
	if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
		c->changed = 1;
		return 0;
	}
	if (cp == 0xA0) {
		c->changed = 1;
		cp = ' ';
	}
	if (c->after_break && (cp == ' ' || cp == '\t' || cp == '\n')) {
		c->changed = 1;
		return 0;
	}
	c->after_break = 0;
	if (cp < 0x80 && c->out.len + 2 <= c->out.cap) {     /* most of any text: no call */
		c->out.s[c->out.len++] = (char)cp;
		c->out.s[c->out.len] = '\0';
	} else {
		char enc[4];
		buf_add(&c->out, enc, utf8_encode(cp, enc));
	}
	return cp == '>' || cp == ';';
}

static void clean_put(struct cleaner *c, uint32_t cp)
{
	if (!clean_add(c, cp))
		return;
	for (;;) {
		if (c->out.s[c->out.len - 1] == '>') {
			clean_take_tag(c);
			return;
		}
		long v = clean_take_entity(c);
		if (v < 0 || !clean_add(c, (uint32_t)v))
			return;
	}
}

/* The line at *start of n bytes without trailing (and, if left, leading) blanks. */
static size_t clean_trim_line(const char **start, size_t n, int left)
{
	while (n > 0 && ((*start)[n - 1] == ' ' || (*start)[n - 1] == '\t'))
		n--;
	while (left && n > 0 && (**start == ' ' || **start == '\t')) {
		(*start)++;
		n--;
	}
	return n;
}

/* Right-trim lines, fold blank runs to one blank line, trim the whole. */
static char *clean_finish(struct cleaner *c)
{
	struct buf b = {0};
	size_t blank = 0;
	buf_add(&b, "", 0);
	for (const char *p = c->out.s; *p;) {
		size_t len = strcspn(p, "\n");
		const char *start = p;
		size_t n = clean_trim_line(&start, len, b.len == 0);
		p += len + (p[len] == '\n');
		if (n == 0) {
			blank += b.len > 0;
			continue;
		}
		if (b.len > 0)
			buf_add(&b, "\n\n", blank ? 2 : 1);
		c->changed |= blank > 1;
		blank = 0;
		buf_add(&b, start, n);
	}
	return buf_steal(&b);
}

/* Text that text_clean would return unchanged: no tag or entity start, no CR or control
 * character, valid UTF-8 without C1 controls or no-break spaces, no blank at either end
 * or at a line's end, no run of blank lines.  Most cells are like this (libcsv already
 * trims them), and the check is a single pass with no allocation. */
static int clean_is_plain(const char *s)
{
	size_t n = strlen(s);
	if (n && (strchr(" \t\n", s[0]) || strchr(" \t\n", s[n - 1])))
		return 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c > ' ' && c < 0x7F && c != '<' && c != '&') {     /* most bytes: visible ASCII */
			i++;
			continue;
		}
		if (c >= 0x80) {
			uint32_t cp;
			size_t k = utf8_decode_str(s + i, &cp);
			if (!k || cp <= 0xA0)
				return 0;
			i += k;
			continue;
		}
		if (c == '<' || c == '&' || c == '\r' || c == 0x7F || (c < 0x20 && c != '\n' && c != '\t'))
			return 0;
		if ((c == ' ' || c == '\t') && s[i + 1] == '\n')
			return 0;
		if (c == '\n' && s[i + 1] == '\n' && s[i + 2] == '\n')
			return 0;
		i++;
	}
	return 1;
}

int text_is_clean(const char *in)
{
	return !in || clean_is_plain(in);
}

char *text_clean(const char *in, int *changed)
{
	if (!in || clean_is_plain(in)) {
		if (changed)
			*changed = 0;
		return xstrdup(in ? in : "");
	}
	struct cleaner c = { .out = {0}, .changed = 0, .after_break = 0 };
	buf_add(&c.out, "", 0);
	buf_reserve(&c.out, strlen(in) + 1);      /* about the size of the input */
	for (const char *p = in ? in : ""; *p;) {
		uint32_t cp;
		size_t n;
		if (*p == '\r') {
			n = p[1] == '\n' ? 2 : 1;
			cp = '\n';
			c.changed = 1;
		} else if ((unsigned char)*p < 0x80) {
			n = 1;
			cp = (unsigned char)*p;
		} else if (!(n = utf8_decode_str(p, &cp))) {
			n = 1;
			cp = 0xFFFD;  /* invalid bytes: the output is always valid UTF-8 */
			c.changed = 1;
		}
		clean_put(&c, cp);
		p += n;
	}
	char *res = clean_finish(&c);
	buf_free(&c.out);
	if (changed)
		*changed = c.changed;
	return res;
}

/* ---- references ------------------------------------------------------------- */

/* "12", "3.2", "1.1", "1a", "3.2b": parts of 1-3 digits (no leading zero after the
 * first), an optional single letter.  Its length, or 0 (a year, a date, "10am"). */
static size_t ref_dotted(const char *s)
{
	size_t i = 0;
	for (int part = 0;; part++) {
		size_t n = 0;
		while (ascii_digit((unsigned char)s[i + n]))
			n++;
		if (n == 0 || n > 3 || (part > 0 && n > 1 && s[i] == '0'))
			return 0;
		i += n;
		if (s[i] != '.' || !ascii_digit((unsigned char)s[i + 1]))
			break;
		i++;
	}
	if (ascii_alpha((unsigned char)s[i]) && !ascii_alpha((unsigned char)s[i + 1]))
		i++;
	return i;
}

/* May a reference end here?  End, space, or its punctuation. */
static int ref_end_ok(const char *s)
{
	return !*s || ascii_space((unsigned char)*s) || strchr(".:)-", *s) ||
	       strncmp(s, "\xe2\x80\x93", 3) == 0 || strncmp(s, "\xe2\x80\x94", 3) == 0;
}

/* Skip the punctuation and spaces after a reference. */
static const char *ref_skip_punct(const char *s)
{
	for (;;) {
		if (ascii_space((unsigned char)*s) || (*s && strchr(".:)-", *s)))
			s++;
		else if (strncmp(s, "\xe2\x80\x93", 3) == 0 || strncmp(s, "\xe2\x80\x94", 3) == 0)
			s += 3;
		else
			return s;
	}
}

/* "Two" -> "2" for the number words boards spell out; its length, or 0. */
static size_t ref_number_word(const char *s, char out[4])
{
	static const char *const WORDS[][2] = {
		{ "one", "1" }, { "two", "2" }, { "three", "3" }, { "four", "4" }, { "five", "5" },
		{ "six", "6" }, { "seven", "7" }, { "eight", "8" }, { "nine", "9" }, { "ten", "10" },
		{ "eleven", "11" }, { "twelve", "12" }, { "thirteen", "13" }, { "fourteen", "14" },
		{ "fifteen", "15" }, { "sixteen", "16" }, { "seventeen", "17" }, { "eighteen", "18" },
		{ "nineteen", "19" }, { "twenty", "20" },
	};
	for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++) {
		size_t n = ascii_prefix(s, WORDS[i][0]);
		if (n && !ascii_alpha((unsigned char)s[n])) {
			strcpy(out, WORDS[i][1]);
			return n;
		}
	}
	return 0;
}

/* "Finding 1", "Recommendation Two", "Question 4", "Q4", "Rec. 2": the keyword and the
 * gap after it; its length, or 0. */
static size_t ref_keyword(const char *s)
{
	static const char *const WORDS[] = { "recommendation", "finding", "question", "theme", "rec", "q" };
	for (size_t k = 0; k < sizeof WORDS / sizeof WORDS[0]; k++) {
		size_t n = ascii_prefix(s, WORDS[k]);
		if (!n || ascii_alpha((unsigned char)s[n]))
			continue;
		if (s[n] == '.')
			n++;
		while (s[n] == ' ' || s[n] == '\t')
			n++;
		return n;
	}
	return 0;
}

static void ref_copy(char *ref, const char *s, size_t n)
{
	memcpy(ref, s, n);
	ref[n] = '\0';
}

/* The reference at s as written (into ref) and the bytes it takes, or 0. */
static size_t ref_read(const char *s, char *ref, size_t cap)
{
	size_t kw = ref_keyword(s), n;
	if (kw && (n = ref_number_word(s + kw, ref)))
		return kw + n;
	if (s[0] == '(') {
		n = ascii_alpha((unsigned char)s[1]) && s[2] == ')' ? 1 : ref_dotted(s + 1);
		if (!n || s[n + 1] != ')' || n >= cap)
			return 0;
		ref_copy(ref, s + 1, n);
		return n + 2;
	}
	n = ref_dotted(s + kw);
	if (!n || n >= cap || !ref_end_ok(s + kw + n))
		return 0;
	ref_copy(ref, s + kw, n);
	return kw + n;
}

char *ref_parse(const char *text, const char **rest)
{
	char ref[32];
	const char *s = text ? text : "";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = ref_read(s, ref, sizeof ref);
	if (rest)
		*rest = n ? ref_skip_punct(s + n) : text;
	return xstrdup(n ? ref : "");
}

#define REF_PAD 8

char *ref_sort_key(const char *ref)
{
	struct buf b = {0};
	const char *p = ref ? ref : "";
	buf_add(&b, "", 0);
	while (*p) {
		if (!ascii_digit((unsigned char)*p)) {
			buf_addc(&b, (char)ascii_lower((unsigned char)*p++));
			continue;
		}
		while (*p == '0' && ascii_digit((unsigned char)p[1]))
			p++;
		size_t n = 0;
		while (ascii_digit((unsigned char)p[n]))
			n++;
		for (size_t pad = n; pad < REF_PAD; pad++)
			buf_addc(&b, '0');
		buf_add(&b, p, n);
		p += n;
	}
	return buf_steal(&b);
}

/* ---- terminal-safe text --------------------------------------------------------- */

/* Characters that must never reach a terminal raw: they move the cursor, start escape
 * sequences, or reorder what follows (bidi overrides, "Trojan Source"). */
static int visible_needs_escape(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* One character of s as text_visible shows it.  Returns the bytes of s it covers; esc
 * gets what to print instead ("" when the bytes pass through unchanged). */
static size_t visible_next(const char *s, char nl_as, char esc[16], uint32_t *cp)
{
	size_t n = utf8_decode_str(s, cp);
	esc[0] = '\0';
	if (n == 0) {
		snprintf(esc, 16, "\\x%02x", (unsigned char)*s);
		*cp = 0xFFFD;
		return 1;
	}
	if (*cp == '\n' || *cp == '\t') {
		esc[0] = nl_as ? (*cp == '\n' ? nl_as : ' ') : '\0';
		esc[1] = '\0';
	} else if (visible_needs_escape(*cp)) {
		if (*cp < 0x80)
			snprintf(esc, 16, "\\x%02x", (unsigned)*cp);
		else
			snprintf(esc, 16, "\\u%04x", (unsigned)*cp);
	}
	return n;
}

int text_char_escape(uint32_t cp, char esc[16])
{
	esc[0] = '\0';
	if (!visible_needs_escape(cp))
		return 0;
	snprintf(esc, 16, cp < 0x80 ? "\\x%02x" : "\\u%04x", (unsigned)cp);
	return 1;
}

char *text_visible(const char *s, char nl_as)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (const char *p = s ? s : ""; *p;) {
		char esc[16];
		uint32_t cp;
		size_t n = visible_next(p, nl_as, esc, &cp);
		if (esc[0])
			buf_adds(&b, esc);
		else
			buf_add(&b, p, n);
		p += n;
	}
	return buf_steal(&b);
}

int text_width(const char *s)
{
	long w = 0;
	for (const char *p = s ? s : ""; *p && w < INT_MAX;) {
		int cw;
		p += text_next(p, 0, NULL, &cw);
		w += cw;
	}
	return w > INT_MAX ? INT_MAX : (int)w;
}

/* ---- ASCII for a terminal without UTF-8 ------------------------------------------ */

/* U+00C0 to U+017F: the letters without their marks (NFKD's base, ligatures spelt out). */
static const char *const ASCII_LATIN[] = {
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", "D", "N", "O",
	"O", "O", "O", "O", "x", "O", "U", "U", "U", "U", "Y", "Th", "ss", "a", "a", "a", "a", "a", "a",
	"ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "/", "o",
	"u", "u", "u", "u", "y", "th", "y", "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c",
	"C", "c", "D", "d", "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G",
	"g", "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i", "I", "i",
	"IJ", "ij", "J", "j", "K", "k", "q", "L", "l", "L", "l", "L", "l", "L", "l", "L", "l", "N", "n",
	"N", "n", "N", "n", "'n", "N", "n", "O", "o", "O", "o", "O", "o", "OE", "oe", "R", "r", "R",
	"r", "R", "r", "S", "s", "S", "s", "S", "s", "S", "s", "T", "t", "T", "t", "T", "t", "U", "u",
	"U", "u", "U", "u", "U", "u", "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z",
	"Z", "z", "s",
};

/* Other characters boards' text and the screens use, by code point (sorted). */
static const struct ascii_sub {
	uint32_t cp;
	const char *ascii;
} ASCII_SUBS[] = {
	{ 0x00A0, " " }, { 0x00A3, "GBP" }, { 0x00A9, "(c)" }, { 0x00AB, "<<" }, { 0x00AD, "" },
	{ 0x00AE, "(R)" }, { 0x00B1, "+/-" }, { 0x00B7, "-" }, { 0x00BB, ">>" },
	{ 0x00BC, "1/4" }, { 0x00BD, "1/2" }, { 0x00BE, "3/4" },
	{ 0x2002, " " }, { 0x2003, " " }, { 0x2009, " " }, { 0x200A, " " }, { 0x200B, "" },
	{ 0x200C, "" }, { 0x200D, "" }, { 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" },
	{ 0x2013, "-" }, { 0x2014, "-" }, { 0x2015, "-" }, { 0x2018, "'" }, { 0x2019, "'" },
	{ 0x201A, "'" }, { 0x201B, "'" }, { 0x201C, "\"" }, { 0x201D, "\"" }, { 0x201E, "\"" },
	{ 0x2022, "*" }, { 0x2026, "..." }, { 0x202F, " " }, { 0x2032, "'" }, { 0x2033, "\"" },
	{ 0x2039, "<" }, { 0x203A, ">" }, { 0x2044, "/" }, { 0x20AC, "EUR" }, { 0x2122, "(TM)" },
	{ 0x2190, "<-" }, { 0x2191, "^" }, { 0x2192, "->" }, { 0x2193, "v" }, { 0x2194, "<->" },
	{ 0x21D2, "=>" }, { 0x2212, "-" }, { 0x2260, "!=" }, { 0x2264, "<=" }, { 0x2265, ">=" },
	{ 0x2500, "-" }, { 0x2502, "|" }, { 0x250C, "+" }, { 0x2510, "+" }, { 0x2514, "+" },
	{ 0x2518, "+" }, { 0x251C, "+" }, { 0x2524, "+" }, { 0x252C, "+" }, { 0x2534, "+" },
	{ 0x253C, "+" }, { 0x2588, "#" }, { 0x25A0, "*" }, { 0x25AA, "*" }, { 0x25B6, ">" },
	{ 0x25C6, "*" }, { 0x25CF, "*" }, { 0x25E6, "o" }, { 0x2713, "v" }, { 0x2714, "v" },
	{ 0x2717, "x" }, { 0xF0A7, "*" }, { 0xF0B7, "*" }, { 0xFEFF, "" },
};

static int ascii_sub_cmp(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key, e = ((const struct ascii_sub *)elem)->cp;
	return cp < e ? -1 : cp > e;
}

size_t text_ascii_next(const char *s, char out[TEXT_ASCII_MAX])
{
	uint32_t cp;
	out[0] = '\0';
	if (!*s)
		return 0;
	size_t n = utf8_decode_str(s, &cp);
	if (n == 0) {
		snprintf(out, TEXT_ASCII_MAX, "\\x%02x", (unsigned char)*s);
		return 1;
	}
	const struct ascii_sub *sub;
	if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = '\0';
	} else if (cp >= 0xC0 && cp < 0x180) {
		snprintf(out, TEXT_ASCII_MAX, "%s", ASCII_LATIN[cp - 0xC0]);
	} else if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0xFE00 && cp <= 0xFE0F)) {
		;                             /* combining marks and variation selectors */
	} else if ((sub = bsearch(&cp, ASCII_SUBS, sizeof ASCII_SUBS / sizeof *ASCII_SUBS, sizeof *ASCII_SUBS,
	                          ascii_sub_cmp))) {
		snprintf(out, TEXT_ASCII_MAX, "%s", sub->ascii);
	} else {
		snprintf(out, TEXT_ASCII_MAX, "\\u%04x", (unsigned)cp);
	}
	return n;
}

char *text_ascii(const char *s)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	char one[TEXT_ASCII_MAX];
	for (const char *p = s ? s : ""; *p;) {
		p += text_ascii_next(p, one);
		buf_adds(&b, one);
	}
	return buf_steal(&b);
}

/* ---- fitting text to a width ------------------------------------------------------ */

_Static_assert(TEXT_ASCII_MAX <= 16, "text_next's buffer holds a stand-in");

size_t text_next(const char *s, unsigned flags, uint32_t *cp, int *width)
{
	uint32_t c = 0;
	int w = 0;
	size_t n = 0;
	if (s && *s) {
		char shown[16];           /* an escape or a stand-in */
		if (flags & TEXT_AS_ASCII) {
			n = text_ascii_next(s, shown);
			w = (int)strlen(shown);
			if (utf8_decode_str(s, &c) != n)
				c = 0xFFFD;
		} else {
			n = visible_next(s, ' ', shown, &c);
			if (shown[0]) {
				w = (int)strlen(shown);
			} else {
				w = wcwidth((wchar_t)c);
				w = w < 0 ? 1 : w;
			}
		}
	}
	if (cp)
		*cp = c;
	if (width)
		*width = w;
	return n;
}

size_t text_fit(const char *s, int width, unsigned flags, int *used)
{
	const char *p = s ? s : "";
	int col = 0;
	while (*p) {
		int cw;
		size_t n = text_next(p, flags, NULL, &cw);
		if (cw > width - col)
			break;
		col += cw;
		p += n;
	}
	if (used)
		*used = col;
	return (size_t)(p - (s ? s : ""));
}

size_t text_cut_bytes(const char *s, size_t max)
{
	size_t at = 0, base = 0;      /* base: where the last character with a width starts */
	for (const char *p = s ? s : ""; p[at];) {
		int cw;
		size_t n = text_next(p + at, 0, NULL, &cw);
		if (at + n > max)
			return cw == 0 ? base : at;   /* a mark goes with its character */
		if (cw > 0)
			base = at;
		at += n;
	}
	return at;
}

char *text_shorten(char *s, size_t max)
{
	if (strlen(s) > max && max > 3)
		memcpy(s + text_cut_bytes(s, max - 3), "...", 4);
	return s;
}

char *text_cut(const char *s, int width, unsigned flags)
{
	s = s ? s : "";
	if (width <= 0)
		return xstrdup("");
	size_t all = text_fit(s, width, flags, NULL);
	if (!s[all])
		return xstrdup(s);
	int ascii = (flags & TEXT_AS_ASCII) != 0;
	const char *ellipsis = ascii ? TEXT_ELLIPSIS_ASCII : TEXT_ELLIPSIS;
	int ew = ascii ? 3 : 1;
	if (width < ew)
		return xstrndup(s, all);
	size_t n = text_fit(s, width - ew, flags, NULL);
	while ((flags & TEXT_CUT_TRIM) && n && s[n - 1] == ' ')
		n--;
	return xasprintf("%.*s%s", (int)n, s, ellipsis);
}

/* s with each paragraph's runs of spaces and tabs as one space, none at its ends. */
static char *wrap_squeeze(const char *s)
{
	char *out = xstrdup(s), *o = out;
	for (const char *p = s; *p; p++) {
		int space = *p == ' ' || *p == '\t';
		if (space && (o == out || o[-1] == ' ' || o[-1] == '\n'))
			continue;
		if (*p == '\n' && o > out && o[-1] == ' ')
			o--;
		*o++ = space ? ' ' : *p;
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

struct wrap {
	int width;
	unsigned flags;
	text_line_fn *line;
	void *ctx;
};

/* A line without its trailing spaces. */
static void wrap_emit(const struct wrap *w, const char *p, size_t len)
{
	while (len && p[len - 1] == ' ')
		len--;
	w->line(p, len, w->ctx);
}

/* Where the line starting at p (len bytes of paragraph left) ends. */
static size_t wrap_line_end(const struct wrap *w, const char *p, size_t len)
{
	size_t i = 0, brk = 0, k = 0;
	int col = 0;
	while (i < len) {
		int cw;
		k = text_next(p + i, w->flags, NULL, &cw);
		if (p[i] == ' ' && i && p[i - 1] != ' ')
			brk = i;              /* a space after a word: the line may end here */
		if (cw > w->width - col)
			break;
		col += cw;
		i += k;
	}
	if (i >= len)
		return len;
	if (brk)
		return brk;
	size_t end = i ? i : k;         /* a character wider than the line: it alone */
	if (w->flags & TEXT_WRAP_WHOLE)
		while (end < len && p[end] != ' ')
			end++;
	return end;
}

static void wrap_paragraph(const struct wrap *w, const char *p, size_t len)
{
	if (!len)
		w->line(p, 0, w->ctx);
	for (size_t pos = 0; pos < len;) {
		size_t end = pos + wrap_line_end(w, p + pos, len - pos);
		wrap_emit(w, p + pos, end - pos);
		for (pos = end; pos < len && p[pos] == ' ';)
			pos++;
	}
}

void text_wrap(const char *s, int width, unsigned flags, text_line_fn *line, void *ctx)
{
	struct wrap w = { width < 1 ? 1 : width, flags, line, ctx };
	char *squeezed = flags & TEXT_WRAP_SQUEEZE ? wrap_squeeze(s ? s : "") : NULL;
	const char *p = squeezed ? squeezed : s ? s : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		wrap_paragraph(&w, p, len);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(squeezed);
}
