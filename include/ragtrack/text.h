/* text: the normalisers that turn what boards write into clean values.
 * Pure functions over strings: no I/O, no database, no terminal. */
#ifndef RAGTRACK_TEXT_H
#define RAGTRACK_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* RAG states in order of caution: a mixed value takes the lowest non-unset one. */
enum rag { RAG_UNSET = 0, RAG_RED, RAG_AMBER, RAG_GREEN, RAG_BLUE, RAG_COUNT };

/* How sure a normaliser was of what it read. */
enum guess {
	GUESS_EXACT = 0,  /* an unambiguous spelling: "Green", "G", "31.03.2016" */
	GUESS_INFERRED,   /* a phrase or mix read by rule: "Action complete", "Amber/Green", "June 2016" */
	GUESS_UNKNOWN     /* could not be read; value kept as text only */
};

/* Read a RAG cell as written ("G", "Green", "Action complete", "Amber/Green", "0", "N/A", "").
 * Mixed values take the more cautious state (Red < Amber < Green < Blue).
 * *how (may be NULL) says whether it was exact, inferred or unknown; blank, "0",
 * "N/A" and similar are RAG_UNSET with GUESS_EXACT. */
enum rag rag_parse(const char *raw, enum guess *how);
/* What more a RAG reading has to say than its guess level. */
enum rag_note {
	RAG_NOTE_NONE = 0,
	RAG_NOTE_PROGRESS,   /* "In progress", "Ongoing", "On going", "Not started": a progress word, not a rating */
	RAG_NOTE_LEGEND,     /* "Red Amber Green", "R/A/G": the legend itself (a template's prompt), not a rating */
	RAG_NOTE_DONE_TEXT   /* "Complete: ..." / "Completed - ...": a longer cell that opens by saying it is done */
};
/* rag_parse, also saying (note, may be NULL) why a cell was left unset or read by rule. */
enum rag rag_parse_note(const char *raw, enum guess *how, enum rag_note *note);
/* The form a RAG cell is compared in (cleaned, lowercase, single-spaced, no trailing
 * dots): what import --rag-map words are matched and stored as.  Caller frees. */
char *rag_word_key(const char *raw);
/* 'R', 'A', 'G', 'B' or '-' for unset. */
char rag_letter(enum rag r);
/* "Red", "Amber", "Green", "Blue" or "" for unset. */
const char *rag_name(enum rag r);
/* The legend's meaning of a state ("on track", "completed and evidenced"). */
const char *rag_meaning(enum rag r);
/* A user's RAG word for set/filter: name or letter in any case, "unset"/"-" for unset.
 * Returns 0 and fills *out, or -1 when it is none of those. */
int rag_from_user(const char *word, enum rag *out);

/* Read a date from the start of raw: UK day-first "31.03.2016", "01/06/16", "1st June 2016",
 * "June 2016" (end of month), "Jun-16", ISO "2016-03-31", Excel serials ("42460").
 * On success writes "YYYY-MM-DD" to iso (11 bytes), sets *consumed (may be NULL) to the
 * bytes of raw that made the date, and returns the guess level (EXACT or INFERRED).
 * Returns GUESS_UNKNOWN and leaves iso empty when raw does not start with a date
 * ("ongoing", "Completed", "0"). */
enum guess date_parse(const char *raw, char iso[11], size_t *consumed);
/* What a target cell holds beyond a leading date. */
enum date_note {
	DATE_NOTE_NONE = 0,   /* a date at the start (or nothing a date could come from) */
	DATE_NOTE_AFTER_WORDS,/* "By 31/12/2016": the one date follows some words */
	DATE_NOTE_SEVERAL,    /* two or more different dates (milestones): the latest is the target */
	DATE_NOTE_NOT_REAL,   /* "31 September 2020", "30/02/2021": shaped like a date, no such day */
	DATE_NOTE_STATUS,     /* "Completed", "Done": a status in the date column */
	DATE_NOTE_ONGOING     /* "Ongoing", "On-going": no end date */
};
struct date_cell {
	char iso[11];         /* the target ("" when none) */
	enum guess how;       /* as date_parse's; INFERRED for every note but NONE */
	enum date_note note;
	int ndates;           /* different dates in the cell */
	size_t lead;          /* bytes of a leading date (date_parse's consumed), else 0 */
	char bad[48];         /* DATE_NOTE_NOT_REAL: the impossible date as written */
};
/* Read a whole target cell: a leading date as date_parse does; else a date after words;
 * several dates (the latest wins); impossible dates; completion and ongoing words. */
void date_read_cell(const char *text, struct date_cell *out);
/* Valid calendar date in ISO form: 1 or 0. */
int date_is_iso(const char *s);
/* Days from a to b (ISO dates), b - a. */
long date_diff_days(const char *a, const char *b);
/* iso plus days, written to out (11 bytes). */
void date_add_days(const char *iso, long days, char out[11]);

/* Plain text from a cell: HTML fragments (<p>, <li>, <br>, <div ...>) become lines,
 * entities (&amp; &nbsp; &#8217; ...) are decoded, control characters other than
 * newline and tab are removed, runs of blank lines fold to one, lines are right-trimmed
 * and the whole is trimmed.  Returns a new string the caller frees.  *changed (may be
 * NULL) is set when anything other than trimming happened. */
char *text_clean(const char *in, int *changed);
/* Whether text_clean would return in unchanged (a quick check, no allocation). */
int text_is_clean(const char *in);

/* Validate UTF-8.  Returns 1 when valid; else 0 and *bad_at (may be NULL) is the offset
 * of the first invalid byte.  Overlong forms, surrogates and > U+10FFFF are invalid. */
int utf8_valid(const char *s, size_t len, size_t *bad_at);
/* The UTF-8 character at s: its length and code point (*cp), or 0 when s is at its end
 * or does not start a valid sequence. */
size_t utf8_char(const char *s, uint32_t *cp);
/* cp (a Unicode scalar value) in UTF-8 at out; returns the byte count (1 to 4). */
size_t utf8_put(uint32_t cp, char out[4]);
/* Windows-1252 to UTF-8.  Returns a new string, or NULL when s holds a byte that
 * Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D); *bad_at then says where. */
char *cp1252_to_utf8(const char *s, size_t len, size_t *bad_at);

/* The reference at the start of a question, finding or recommendation:
 * "1a. Does the Board ..." -> "1a", "3.2 Text" -> "3.2", "Finding 1: ..." -> "1",
 * "Recommendation 2 ..." -> "2", "Q4 ..." -> "4".  Returns a new string ("" when there
 * is none) and sets *rest (may be NULL) to the text after the reference and its
 * punctuation. */
char *ref_parse(const char *text, const char **rest);
/* A key that sorts refs naturally with strcmp: "2" < "10", "1a" < "1b" < "2", "3.2" < "3.10".
 * Returns a new string. */
char *ref_sort_key(const char *ref);

/* Display width of a UTF-8 string in terminal columns (wcwidth; controls count as
 * their visible escape, see text_visible). */
int text_width(const char *s);
/* A copy of s safe to print on a terminal: C0/C1 controls, DEL, escape sequences and
 * bidi overrides become visible escapes (\x1b, \u202e); newline and tab become
 * nl_as and a space when nl_as is not 0, else are kept.  Invalid UTF-8 bytes become
 * \xNN.  Returns a new string. */
char *text_visible(const char *s, char nl_as);
/* One character as text_visible shows it: returns 1 and writes its escape ("\x1b",
 * "\u202e") to esc when cp must not reach a terminal raw (newline and tab included),
 * else 0 and esc "".  For editors, which keep the text and show it character by
 * character. */
int text_char_escape(uint32_t cp, char esc[16]);

/* ---- text for a terminal without UTF-8 ---- */
#define TEXT_ASCII_MAX 16
/* The ASCII a terminal without UTF-8 shows for the character at s: "..." for an
 * ellipsis, "-" for dashes and the middle dot, "|" and "+" for box lines, plain quotes
 * for curly ones, "*" for bullets, Latin letters without their accents, nothing for
 * zero-width marks; any other character as \uXXXX and an invalid byte as \xNN, never
 * "?".  Writes it, NUL-terminated, to out; returns the bytes of s it covers (0 at the
 * end of s). */
size_t text_ascii_next(const char *s, char out[TEXT_ASCII_MAX]);
/* s with every character as text_ascii_next shows it.  Returns a new string. */
char *text_ascii(const char *s);

/* ---- fitting text to a width: the one toolkit every view uses ----
 * Widths are display columns as text_width counts them: wcwidth, a character it
 * cannot print as 1, controls and invalid bytes as their text_visible escapes.  A
 * character is never split: a cut falls between two characters, and a zero-width mark
 * stays with the character before it.  Every function takes NULL as "". */

/* Flags of the fitting functions. */
#define TEXT_AS_ASCII   1u   /* measure each character as its text_ascii_next stand-in (a
                              * terminal without UTF-8); a cut then ends in "..." */
#define TEXT_CUT_TRIM   2u   /* text_cut: drop the spaces before the ellipsis */
#define TEXT_WRAP_WHOLE 4u   /* text_wrap: a word wider than the line keeps a line of its
                              * own, whole (else it is broken at the width) */
#define TEXT_WRAP_SQUEEZE 8u /* text_wrap: runs of spaces count as one, and spaces at the
                              * start and end of a paragraph are dropped */

/* The ellipsis a cut text ends in: U+2026, or "..." with TEXT_AS_ASCII. */
#define TEXT_ELLIPSIS "\xe2\x80\xa6"
#define TEXT_ELLIPSIS_ASCII "..."

/* One step through s: the bytes of the character at s (an invalid byte is a character
 * of its own; 0 at the end of s).  *cp (may be NULL) gets its code point (U+FFFD for an
 * invalid byte) and *width (may be NULL) its columns. */
size_t text_next(const char *s, unsigned flags, uint32_t *cp, int *width);
/* The bytes of the longest start of s that fits in width columns; *used (may be NULL)
 * gets its columns.  The whole of s when it fits. */
size_t text_fit(const char *s, int width, unsigned flags, int *used);
/* The bytes of the longest start of s of at most max bytes that ends between two
 * characters (and not before a zero-width mark that belongs to the one before). */
size_t text_cut_bytes(const char *s, size_t max);
/* s itself when it fits in width columns; else as much of its start as fits with an
 * ellipsis after it in width columns (TEXT_ELLIPSIS, or TEXT_ELLIPSIS_ASCII with
 * TEXT_AS_ASCII), or without one when width is narrower than the ellipsis.  "" for
 * width 0 or less.  Flags: TEXT_AS_ASCII, TEXT_CUT_TRIM.  Returns a new string. */
char *text_cut(const char *s, int width, unsigned flags);
/* s cut in place to at most max bytes (max > 3) for a one-line message: unchanged when it
 * fits, else cut between two characters within max - 3 bytes and ended with "...".
 * Returns s. */
char *text_shorten(char *s, size_t max);
/* A line of text_wrap: len bytes at line (not NUL-terminated), no line break in it. */
typedef void text_line_fn(const char *line, size_t len, void *ctx);
/* Wrap s at width columns (at least 1), calling line once per line in order.  Each
 * line break in s ends a paragraph, and each paragraph gives at least one line (an
 * empty one gives an empty line).  Lines break at a space, the last one that lets the
 * line fit, so a word that ends exactly at the width stays; the spaces at a break are
 * dropped, and a line never ends in a space.  A word wider than the line is broken at
 * the width, or with TEXT_WRAP_WHOLE kept whole on a line of its own; a character
 * wider than the line still gets a line.  Flags: TEXT_AS_ASCII, TEXT_WRAP_WHOLE,
 * TEXT_WRAP_SQUEEZE. */
void text_wrap(const char *s, int width, unsigned flags, text_line_fn *line, void *ctx);

#endif
