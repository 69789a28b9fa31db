/* Unit tests for text: RAG, dates, text_clean, UTF-8, cp1252, refs, terminal width and
 * the fitting toolkit (text_next, text_fit, text_cut_bytes, text_shorten, text_cut, text_wrap). */
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include "check.h"

#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

/* A string of n copies of unit (caller frees). */
static char *repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = xmalloc(u * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

/* ---- RAG -------------------------------------------------------------------- */

static void test_rag_parse(void)
{
	static const struct {
		const char *in;
		enum rag rag;
		enum guess how;
	} CASES[] = {
		/* letters and names, any case, with white space and markup around */
		{ "G", RAG_GREEN, GUESS_EXACT },
		{ "g", RAG_GREEN, GUESS_EXACT },
		{ "Green", RAG_GREEN, GUESS_EXACT },
		{ "GREEN", RAG_GREEN, GUESS_EXACT },
		{ "green ", RAG_GREEN, GUESS_EXACT },
		{ "  Green\r\n", RAG_GREEN, GUESS_EXACT },
		{ "Green.", RAG_GREEN, GUESS_EXACT },
		{ "R", RAG_RED, GUESS_EXACT },
		{ "Red", RAG_RED, GUESS_EXACT },
		{ "A", RAG_AMBER, GUESS_EXACT },
		{ "Amber", RAG_AMBER, GUESS_EXACT },
		{ "B", RAG_BLUE, GUESS_EXACT },
		{ "Blue", RAG_BLUE, GUESS_EXACT },
		{ "<p>Green</p>", RAG_GREEN, GUESS_EXACT },
		{ "<b>G</b>", RAG_GREEN, GUESS_EXACT },
		{ "&nbsp;Amber&nbsp;", RAG_AMBER, GUESS_EXACT },
		{ "\xc2\xa0Red\xc2\xa0", RAG_RED, GUESS_EXACT },
		/* completed: Blue, inferred */
		{ "Action complete", RAG_BLUE, GUESS_INFERRED },
		{ "Action completed", RAG_BLUE, GUESS_INFERRED },
		{ "Action Complete", RAG_BLUE, GUESS_INFERRED },
		{ "action completed", RAG_BLUE, GUESS_INFERRED },
		{ "Action  completed", RAG_BLUE, GUESS_INFERRED },
		{ "Actions completed", RAG_BLUE, GUESS_INFERRED },
		{ "Completed", RAG_BLUE, GUESS_INFERRED },
		{ "completed", RAG_BLUE, GUESS_INFERRED },
		{ "Complete", RAG_BLUE, GUESS_INFERRED },
		{ "Done", RAG_BLUE, GUESS_INFERRED },
		{ "Action completed and evidenced", RAG_BLUE, GUESS_INFERRED },
		/* mixes: the more cautious state, inferred */
		{ "Amber/Green", RAG_AMBER, GUESS_INFERRED },
		{ "Green / Blue", RAG_GREEN, GUESS_INFERRED },
		{ "Green / Amber", RAG_AMBER, GUESS_INFERRED },
		{ "Green/Amber", RAG_AMBER, GUESS_INFERRED },
		{ "A/G", RAG_AMBER, GUESS_INFERRED },
		{ "g/b", RAG_GREEN, GUESS_INFERRED },
		{ "Red-Amber", RAG_RED, GUESS_INFERRED },
		{ "Amber - Green", RAG_AMBER, GUESS_INFERRED },
		{ "Green \xe2\x80\x93 Blue", RAG_GREEN, GUESS_INFERRED },
		{ "Blue &amp; Green", RAG_GREEN, GUESS_INFERRED },
		{ "Blue & Green", RAG_GREEN, GUESS_INFERRED },
		{ "Amber and Green", RAG_AMBER, GUESS_INFERRED },
		{ "R/A/G", RAG_UNSET, GUESS_UNKNOWN },           /* three states: the legend, not a mix (test_rag_notes) */
		{ "Green/Completed", RAG_GREEN, GUESS_INFERRED },
		{ "Blue/Blue", RAG_BLUE, GUESS_INFERRED },
		/* nothing to rate: unset, exact */
		{ "0", RAG_UNSET, GUESS_EXACT },
		{ "N/A", RAG_UNSET, GUESS_EXACT },
		{ "n/a", RAG_UNSET, GUESS_EXACT },
		{ "-", RAG_UNSET, GUESS_EXACT },
		{ "TBC", RAG_UNSET, GUESS_EXACT },
		{ "", RAG_UNSET, GUESS_EXACT },
		{ "   \n\t ", RAG_UNSET, GUESS_EXACT },
		{ "<p></p>", RAG_UNSET, GUESS_EXACT },
		{ "No Actions", RAG_UNSET, GUESS_EXACT },
		{ "Not applicable", RAG_UNSET, GUESS_EXACT },
		/* the legend's words */
		{ "On track", RAG_GREEN, GUESS_INFERRED },
		{ "Not on track", RAG_RED, GUESS_INFERRED },
		/* a term leading a longer cell */
		{ "Action complete as these powers are already in place, monitoring is a continual process.",
		  RAG_BLUE, GUESS_INFERRED },
		{ "Completed - Countywide CSE Group established", RAG_BLUE, GUESS_INFERRED },
		{ "Red progress not on track - remedial action required", RAG_RED, GUESS_INFERRED },
		{ "Amber-Green due to staffing", RAG_AMBER, GUESS_INFERRED },
		{ "Green (on track)", RAG_GREEN, GUESS_INFERRED },
		{ "Amber and", RAG_AMBER, GUESS_INFERRED },
		/* unknown: progress words, prose, near misses */
		{ "Ongoing", RAG_UNSET, GUESS_UNKNOWN },
		{ "In progress", RAG_UNSET, GUESS_UNKNOWN },
		{ "P", RAG_UNSET, GUESS_UNKNOWN },
		{ "as above", RAG_UNSET, GUESS_UNKNOWN },
		{ "see action 5b", RAG_UNSET, GUESS_UNKNOWN },
		{ "This is in place", RAG_UNSET, GUESS_UNKNOWN },
		{ "This is not applicable to the CCG", RAG_UNSET, GUESS_UNKNOWN },
		{ "As an Organisation BTUH does not feel able to comment", RAG_UNSET, GUESS_UNKNOWN },
		{ "A day later", RAG_UNSET, GUESS_UNKNOWN },
		{ "G see notes", RAG_UNSET, GUESS_UNKNOWN },
		{ "Greenwich", RAG_UNSET, GUESS_UNKNOWN },
		{ "Reduced", RAG_UNSET, GUESS_UNKNOWN },
		{ "Completed/Ongoing", RAG_UNSET, GUESS_UNKNOWN },
		{ "Green/ongoing", RAG_UNSET, GUESS_UNKNOWN },
		{ "Amber/Purple", RAG_UNSET, GUESS_UNKNOWN },
		{ "Complete CSE risk assessments", RAG_UNSET, GUESS_UNKNOWN },
		{ "Done by June", RAG_UNSET, GUESS_UNKNOWN },
		{ "/Green", RAG_UNSET, GUESS_UNKNOWN },
		{ "Green/", RAG_UNSET, GUESS_UNKNOWN },
		/* hostile */
		{ "\x1b[31mGreen", RAG_UNSET, GUESS_UNKNOWN },
		{ "Gr\x01" "een", RAG_GREEN, GUESS_EXACT },
		{ "\xff", RAG_UNSET, GUESS_UNKNOWN },
		{ "Gr\xc3" "een", RAG_UNSET, GUESS_UNKNOWN },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		enum guess how = (enum guess)99;
		enum rag r = rag_parse(CASES[i].in, &how);
		if (r != CASES[i].rag || how != CASES[i].how)
			fprintf(stderr, "rag_parse(\"%s\")\n", CASES[i].in);
		CHECK_INT(r, CASES[i].rag);
		CHECK_INT(how, CASES[i].how);
	}
	enum guess how = GUESS_INFERRED;
	CHECK_INT(rag_parse(NULL, &how), RAG_UNSET);
	CHECK_INT(how, GUESS_EXACT);
	CHECK_INT(rag_parse("Amber", NULL), RAG_AMBER);
}

static void test_rag_parse_huge(void)
{
	enum guess how;
	char *s = repeat("a", 1 << 20);
	CHECK_INT(rag_parse(s, &how), RAG_UNSET);
	CHECK_INT(how, GUESS_UNKNOWN);
	free(s);

	char *tail = repeat(" x", 1 << 19);
	char *lead = xasprintf("Green%s", tail);
	CHECK_INT(rag_parse(lead, &how), RAG_GREEN);
	CHECK_INT(how, GUESS_INFERRED);
	free(lead);
	free(tail);

	s = repeat("Green/", 1 << 16);
	s[strlen(s) - 1] = '\0';
	CHECK_INT(rag_parse(s, &how), RAG_GREEN);
	CHECK_INT(how, GUESS_INFERRED);
	free(s);
}

static void test_rag_names(void)
{
	CHECK_INT(rag_letter(RAG_UNSET), '-');
	CHECK_INT(rag_letter(RAG_RED), 'R');
	CHECK_INT(rag_letter(RAG_AMBER), 'A');
	CHECK_INT(rag_letter(RAG_GREEN), 'G');
	CHECK_INT(rag_letter(RAG_BLUE), 'B');
	CHECK_INT(rag_letter((enum rag)99), '-');
	CHECK_INT(rag_letter((enum rag)-1), '-');
	CHECK_STR(rag_name(RAG_UNSET), "");
	CHECK_STR(rag_name(RAG_RED), "Red");
	CHECK_STR(rag_name(RAG_AMBER), "Amber");
	CHECK_STR(rag_name(RAG_GREEN), "Green");
	CHECK_STR(rag_name(RAG_BLUE), "Blue");
	CHECK_STR(rag_name(RAG_COUNT), "");
	CHECK(strstr(rag_meaning(RAG_RED), "not on track") != NULL);
	CHECK(strstr(rag_meaning(RAG_AMBER), "monitoring") != NULL);
	CHECK(strstr(rag_meaning(RAG_GREEN), "on track") != NULL);
	CHECK_STR(rag_meaning(RAG_BLUE), "completed and evidenced");
	CHECK(rag_meaning(RAG_UNSET) != NULL);
	CHECK_STR(rag_meaning((enum rag)42), "");
	/* every state's name and letter read back as that state */
	for (int r = RAG_UNSET; r < RAG_COUNT; r++) {
		enum guess how;
		const char letter[2] = { rag_letter((enum rag)r), '\0' };
		CHECK_INT(rag_parse(r ? rag_name((enum rag)r) : "", &how), r);
		CHECK_INT(rag_parse(letter, &how), r);
		CHECK_INT(how, GUESS_EXACT);
	}
}

static void test_rag_from_user(void)
{
	static const struct {
		const char *in;
		int ret;
		enum rag rag;
	} CASES[] = {
		{ "g", 0, RAG_GREEN }, { "G", 0, RAG_GREEN }, { "green", 0, RAG_GREEN },
		{ "GREEN", 0, RAG_GREEN }, { "Red", 0, RAG_RED }, { "r", 0, RAG_RED },
		{ "amber", 0, RAG_AMBER }, { "A", 0, RAG_AMBER }, { "blue", 0, RAG_BLUE },
		{ "B", 0, RAG_BLUE }, { "unset", 0, RAG_UNSET }, { "UNSET", 0, RAG_UNSET },
		{ "none", 0, RAG_UNSET }, { "-", 0, RAG_UNSET },
		{ "", -1, RAG_COUNT }, { "purple", -1, RAG_COUNT }, { "gr", -1, RAG_COUNT },
		{ " green", -1, RAG_COUNT }, { "x", -1, RAG_COUNT }, { "completed", -1, RAG_COUNT },
		{ "n/a", -1, RAG_COUNT }, { "Green\x1b", -1, RAG_COUNT },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		enum rag out = RAG_COUNT;
		CHECK_INT(rag_from_user(CASES[i].in, &out), CASES[i].ret);
		CHECK_INT(out, CASES[i].rag);
	}
	enum rag out = RAG_COUNT;
	CHECK_INT(rag_from_user(NULL, &out), -1);
	CHECK_INT(out, RAG_COUNT);
	CHECK_INT(rag_from_user("green", NULL), 0);
}

/* ---- dates ------------------------------------------------------------------ */

static void test_date_parse(void)
{
	static const struct {
		const char *in, *iso;
		enum guess how;
		size_t consumed;
	} CASES[] = {
		/* day first, numeric */
		{ "31.03.2016", "2016-03-31", GUESS_EXACT, 10 },
		{ "31/03/2016", "2016-03-31", GUESS_EXACT, 10 },
		{ "31-03-2016", "2016-03-31", GUESS_EXACT, 10 },
		{ "1/6/16", "2016-06-01", GUESS_EXACT, 6 },
		{ "01/06/16", "2016-06-01", GUESS_EXACT, 8 },
		{ "6.6.16", "2016-06-06", GUESS_EXACT, 6 },
		{ "29.02.2016", "2016-02-29", GUESS_EXACT, 10 },
		{ "30.09.14 - To get update from DV lead", "2014-09-30", GUESS_EXACT, 8 },
		{ "30/09/2014  31/12/14", "2014-09-30", GUESS_EXACT, 10 },
		{ "31.03.2016.", "2016-03-31", GUESS_EXACT, 10 },
		/* day and month name */
		{ "1st June 2016", "2016-06-01", GUESS_EXACT, 13 },
		{ "1 June 2016", "2016-06-01", GUESS_EXACT, 11 },
		{ "18th March 2015 campaign appeared", "2015-03-18", GUESS_EXACT, 15 },
		{ "16th June 2015 - Head of CSC", "2015-06-16", GUESS_EXACT, 14 },
		{ "1-Jun-16", "2016-06-01", GUESS_EXACT, 8 },
		{ "2nd of May 2016", "2016-05-02", GUESS_EXACT, 15 },
		{ "21 Sept 2014", "2014-09-21", GUESS_EXACT, 12 },
		{ "3rd JANUARY 2017", "2017-01-03", GUESS_EXACT, 16 },
		{ "22 Oct. 2015", "2015-10-22", GUESS_EXACT, 12 },
		/* month and year: the end of that month, inferred */
		{ "June 2016", "2016-06-30", GUESS_INFERRED, 9 },
		{ "Jun 2016", "2016-06-30", GUESS_INFERRED, 8 },
		{ "Jun-16", "2016-06-30", GUESS_INFERRED, 6 },
		{ "jun. 2016", "2016-06-30", GUESS_INFERRED, 9 },
		{ "Oct '16", "2016-10-31", GUESS_INFERRED, 7 },
		{ "Oct \xe2\x80\x99" "16", "2016-10-31", GUESS_INFERRED, 9 },
		{ "March '15 and ongoing", "2015-03-31", GUESS_INFERRED, 9 },
		{ "Sept 14", "2014-09-30", GUESS_INFERRED, 7 },
		{ "Sep-14", "2014-09-30", GUESS_INFERRED, 6 },
		{ "Feb 16", "2016-02-29", GUESS_INFERRED, 6 },
		{ "Feb 15  Leads to review", "2015-02-28", GUESS_INFERRED, 6 },
		{ "February 2100", "2100-02-28", GUESS_INFERRED, 13 },
		{ "December, 2015", "2015-12-31", GUESS_INFERRED, 14 },
		{ "March 2015 ...", "2015-03-31", GUESS_INFERRED, 10 },
		{ "March 2015  <div style=\"border: 1px\">x</div>", "2015-03-31", GUESS_INFERRED, 10 },
		{ "November 2014 - update. There has been some delay", "2014-11-30", GUESS_INFERRED, 13 },
		{ "June 2016 / ongoing", "2016-06-30", GUESS_INFERRED, 9 },
		{ "August 16 and ongoing", "2016-08-31", GUESS_INFERRED, 9 },
		{ "Nov 14 & Audit March 15", "2014-11-30", GUESS_INFERRED, 6 },
		{ "May 2016", "2016-05-31", GUESS_INFERRED, 8 },
		/* ISO, exact */
		{ "2016-03-31", "2016-03-31", GUESS_EXACT, 10 },
		{ "2016-02-29 and later", "2016-02-29", GUESS_EXACT, 10 },
		{ "2016/3/1", "2016-03-01", GUESS_EXACT, 8 },
		/* Excel serials, only as the whole cell */
		{ "42460", "2016-03-31", GUESS_INFERRED, 5 },
		{ "42461", "2016-04-01", GUESS_INFERRED, 5 },
		{ "20000", "1954-10-03", GUESS_INFERRED, 5 },
		{ "80000", "2119-01-11", GUESS_INFERRED, 5 },
		{ " 42460 \n", "2016-03-31", GUESS_INFERRED, 6 },
		/* leading white space and markup are skipped and counted */
		{ "<p>31.03.2016</p>", "2016-03-31", GUESS_EXACT, 13 },
		{ "  30/06/2016", "2016-06-30", GUESS_EXACT, 12 },
		{ "&nbsp;June 2016", "2016-06-30", GUESS_INFERRED, 15 },
		{ "\xc2\xa0" "1/6/16", "2016-06-01", GUESS_EXACT, 8 },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		char iso[11] = "garbage!!!";
		size_t consumed = 999;
		enum guess how = date_parse(CASES[i].in, iso, &consumed);
		if (how != CASES[i].how || strcmp(iso, CASES[i].iso) || consumed != CASES[i].consumed)
			fprintf(stderr, "date_parse(\"%s\")\n", CASES[i].in);
		CHECK_INT(how, CASES[i].how);
		CHECK_STR(iso, CASES[i].iso);
		CHECK_INT(consumed, CASES[i].consumed);
	}
}

static void test_date_parse_rejects(void)
{
	static const char *const BAD[] = {
		"", "0", "ongoing", "Ongoing", "Completed", "Complete", "Completed/Ongoing", "N/A",
		"Review June 2016", "ongoing / May 16", "To be progressed at GP Forum Meeting Dec 2015",
		"31.02.2016", "29.02.2015", "32/01/2016", "00/01/2016", "15/13/2016", "15/00/2016",
		"31.03/2016", "31.03.201", "31.03.20166", "31.03.2016abc", "31.03.1850", "1.1.1 text",
		"May be delayed", "June", "1 June", "1st June and later", "June 16th 2016", "2016",
		"2016 review", "2015-16", "2016-02-30", "2016-13-01", "Marching 2016", "Junebug 2016",
		"12. Theme", "Q4 2016", "19999", "80001", "4246", "42460 days", "042460", "-42460",
		"June 2016x", "June 201", "June 20166", "1st Jun", "<p>", "<p", "&nbsp;",
		"\x1b[31m31.03.2016", "\xff" "31.03.2016", "\xe2\x80\x8f" "31.03.2016",
	};
	for (size_t i = 0; i < N_OF(BAD); i++) {
		char iso[11] = "garbage!!!";
		size_t consumed = 999;
		enum guess how = date_parse(BAD[i], iso, &consumed);
		if (how != GUESS_UNKNOWN)
			fprintf(stderr, "date_parse(\"%s\") should fail\n", BAD[i]);
		CHECK_INT(how, GUESS_UNKNOWN);
		CHECK_STR(iso, "");
		CHECK_INT(consumed, 0);
	}
	char iso[11] = "x";
	CHECK_INT(date_parse(NULL, iso, NULL), GUESS_UNKNOWN);
	CHECK_STR(iso, "");
	CHECK_INT(date_parse("31.03.2016", iso, NULL), GUESS_EXACT);
	CHECK_STR(iso, "2016-03-31");

	char *huge = repeat("9", 1 << 20);
	CHECK_INT(date_parse(huge, iso, NULL), GUESS_UNKNOWN);
	free(huge);
	huge = repeat("<p>", 1 << 18);
	CHECK_INT(date_parse(huge, iso, NULL), GUESS_UNKNOWN);
	free(huge);
}

static void test_date_is_iso(void)
{
	static const struct {
		const char *in;
		int ok;
	} CASES[] = {
		{ "2016-03-31", 1 }, { "2000-02-29", 1 }, { "2016-02-29", 1 }, { "9999-12-31", 1 },
		{ "0001-01-01", 1 }, { "1900-02-29", 0 }, { "2015-02-29", 0 }, { "0000-01-01", 0 },
		{ "2016-3-31", 0 }, { "2016-02-30", 0 }, { "2016-04-31", 0 }, { "2016-00-10", 0 },
		{ "2016-01-00", 0 }, { "2016-03-31x", 0 }, { " 2016-03-31", 0 }, { "2016/03/31", 0 },
		{ "31.03.2016", 0 }, { "", 0 }, { "2016-03-3", 0 }, { "+016-03-31", 0 },
		{ "2016-03-31\n", 0 }, { "20160331", 0 },
	};
	for (size_t i = 0; i < N_OF(CASES); i++)
		CHECK_INT(date_is_iso(CASES[i].in), CASES[i].ok);
	CHECK_INT(date_is_iso(NULL), 0);
}

static void test_date_arith(void)
{
	CHECK_INT(date_diff_days("2016-03-31", "2016-04-01"), 1);
	CHECK_INT(date_diff_days("2016-04-01", "2016-03-31"), -1);
	CHECK_INT(date_diff_days("2016-03-31", "2016-03-31"), 0);
	CHECK_INT(date_diff_days("2016-01-01", "2017-01-01"), 366);
	CHECK_INT(date_diff_days("2015-01-01", "2016-01-01"), 365);
	CHECK_INT(date_diff_days("1970-01-01", "2000-01-01"), 10957);
	CHECK_INT(date_diff_days("1899-12-30", "2016-03-31"), 42460);
	CHECK_INT(date_diff_days("0001-01-01", "9999-12-31"), 3652058);
	CHECK_INT(date_diff_days("2016-02-30", "2016-03-01"), 0);
	CHECK_INT(date_diff_days(NULL, "2016-03-01"), 0);
	CHECK_INT(date_diff_days("2016-03-01", "junk"), 0);

	static const struct {
		const char *in;
		long days;
		const char *out;
	} ADD[] = {
		{ "2016-02-28", 1, "2016-02-29" }, { "2016-02-29", 1, "2016-03-01" },
		{ "2015-02-28", 1, "2015-03-01" }, { "2016-03-01", -1, "2016-02-29" },
		{ "2016-12-31", 1, "2017-01-01" }, { "2017-01-01", -1, "2016-12-31" },
		{ "2016-03-31", 0, "2016-03-31" }, { "2016-01-01", 366, "2017-01-01" },
		{ "1899-12-30", 42460, "2016-03-31" }, { "2000-02-28", 1, "2000-02-29" },
		{ "2100-02-28", 1, "2100-03-01" }, { "1970-01-01", -1, "1969-12-31" },
		{ "9999-12-31", 1, "" }, { "0001-01-01", -1, "" }, { "2016-03-31", LONG_MAX, "" },
		{ "2016-03-31", LONG_MIN, "" }, { "2016-02-30", 1, "" }, { "", 1, "" },
	};
	for (size_t i = 0; i < N_OF(ADD); i++) {
		char out[11] = "garbage!!!";
		date_add_days(ADD[i].in, ADD[i].days, out);
		CHECK_STR(out, ADD[i].out);
	}
	char out[11] = "x";
	date_add_days(NULL, 1, out);
	CHECK_STR(out, "");
}

/* Every day from 1900 to 2200: add and diff agree, and match timegm's UTC calendar. */
static void test_date_roundtrip(void)
{
	int bad = 0;
	char day[11];
	for (long i = 0; i < 300L * 366; i++) {
		date_add_days("1900-01-01", i, day);
		struct tm tm = { .tm_year = 0, .tm_mon = 0, .tm_mday = 1 + (int)i, .tm_isdst = 0 };
		time_t t = timegm(&tm);
		char want[11];
		strftime(want, sizeof want, "%Y-%m-%d", gmtime(&t));
		bad += !date_is_iso(day) || date_diff_days("1900-01-01", day) != i || strcmp(day, want) != 0;
	}
	CHECK_INT(bad, 0);
}

/* ---- text_clean ------------------------------------------------------------------ */

static const struct clean_case {
	const char *in, *out;
	int changed;
} CLEAN_CASES[] = {
	/* trimming alone does not count as a change */
	{ "", "", 0 },
	{ "plain", "plain", 0 },
	{ "  plain  ", "plain", 0 },
	{ "a  \nb\t", "a\nb", 0 },
	{ "\n\na\n\n", "a", 0 },
	{ "a\n\nb", "a\n\nb", 0 },
	{ "a\n  indented", "a\n  indented", 0 },
	{ "a\tb", "a\tb", 0 },
	{ "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x98\x80", 0 },
	{ "a < b", "a < b", 0 },
	{ "<3", "<3", 0 },
	{ "a<b", "a<b", 0 },
	{ "x <1> y", "x <1> y", 0 },
	{ "<>", "<>", 0 },
	{ "</>", "</>", 0 },
	{ "< p>", "< p>", 0 },
	{ "<p", "<p", 0 },
	{ "p>", "p>", 0 },
	{ "<a\nb>", "<a\nb>", 0 },
	{ "<a\"b>", "<a\"b>", 0 },
	{ "&unknown;", "&unknown;", 0 },
	{ "&amp", "&amp", 0 },
	{ "& b;", "& b;", 0 },
	{ "&AMP;", "&AMP;", 0 },
	{ "&#0;", "&#0;", 0 },
	{ "&#xD800;", "&#xD800;", 0 },
	{ "&#x110000;", "&#x110000;", 0 },
	{ "&#99999999;", "&#99999999;", 0 },
	{ "&#;", "&#;", 0 },
	{ "&#x;", "&#x;", 0 },
	{ "&#12a;", "&#12a;", 0 },
	/* folding blank lines is a change */
	{ "a\n\n\nb", "a\n\nb", 1 },
	{ "a\n \n\t\n b", "a\n\n b", 1 },
	/* markup */
	{ "<p>Green</p>", "Green", 1 },
	{ "<p>a</p><p>b</p>", "a\nb", 1 },
	{ "<p>a</p> <p>b</p>", "a\nb", 1 },
	{ "<p>a</p>\n<p>b</p>", "a\nb", 1 },
	{ "<P>a</P>", "a", 1 },
	{ "a<br>b", "a\nb", 1 },
	{ "a<br/>b", "a\nb", 1 },
	{ "a<br />b", "a\nb", 1 },
	{ "a<BR>b", "a\nb", 1 },
	{ "a<br>\nb", "a\nb", 1 },
	{ "a<br><br>b", "a\n\nb", 1 },
	{ "a<br><br><br><br>b", "a\n\nb", 1 },
	{ "<br>a", "a", 1 },
	{ "a<hr>b", "a\nb", 1 },
	{ "<ul style=\"list-style-type: none\"> <li>\xe2\x97\x86 one.</li> <li>\xe2\x97\x86 two</li> </ul>",
	  "\xe2\x97\x86 one.\n\xe2\x97\x86 two", 1 },
	{ "<ul><li>a</li><li>b</li></ul>after", "a\nb\nafter", 1 },
	{ "<div style=\"border: 1px solid black;\">  x </div>", "x", 1 },
	{ "March 2015  <div style=\"border: 1px solid black; padding: 5px; text-align: center;\">   "
	  "CSE Risk level red.docx     CSE Risk level amber.docx </div>",
	  "March 2015\nCSE Risk level red.docx     CSE Risk level amber.docx", 1 },
	{ "<b>bold</b> text", "bold text", 1 },
	{ "x<span class=\"a\">y</span>z", "xyz", 1 },
	{ "<o:p></o:p>x", "x", 1 },
	{ "<h2>Title</h2>Body", "Title\nBody", 1 },
	{ "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "ab\nc", 1 },
	{ "<p>\n<p>", "", 1 },
	{ "<p>1 Continue</p> <p>2 Threshold - MWT, NL &amp; TG</p>",
	  "1 Continue\n2 Threshold - MWT, NL & TG", 1 },
	/* entities */
	{ "Tom &amp; Jerry", "Tom & Jerry", 1 },
	{ "&lt;3", "<3", 1 },
	{ "a &lt; b &gt; c", "a < b > c", 1 },
	{ "a&nbsp;b", "a b", 1 },
	{ "&quot;q&quot;", "\"q\"", 1 },
	{ "it&#39;s", "it's", 1 },
	{ "it&apos;s", "it's", 1 },
	{ "it&#8217;s", "it\xe2\x80\x99s", 1 },
	{ "&#x2019;", "\xe2\x80\x99", 1 },
	{ "&#X2019;", "\xe2\x80\x99", 1 },
	{ "&#x1F600;", "\xf0\x9f\x98\x80", 1 },
	{ "&#0039;", "'", 1 },
	{ "&&amp;", "&&", 1 },
	{ "&nbsp;&nbsp;x&nbsp;", "x", 1 },
	{ "a&#10;b", "a\nb", 1 },
	{ "a&#160;b", "a b", 1 },
	/* decoding and removal can bring a tag or entity together: read it as a later
	 * pass would (this is what keeps text_clean idempotent) */
	{ "&amp;lt;", "<", 1 },
	{ "&amp;amp;amp;", "&", 1 },
	{ "&lt;p&gt;x", "x", 1 },
	{ "&am<b></b>p;", "&", 1 },
	{ "<<b></b>p>x", "x", 1 },
	{ "&amp&#59;", "&", 1 },
	/* controls */
	{ "a\x01" "b", "ab", 1 },
	{ "a\x7f" "b", "ab", 1 },
	{ "a\r\nb", "a\nb", 1 },
	{ "a\rb", "a\nb", 1 },
	{ "a\r\n\r\n\r\nb", "a\n\nb", 1 },
	{ "\x1b[31mred\x1b[0m", "[31mred[0m", 1 },
	{ "&#27;[2J", "[2J", 1 },
	{ "a&#13;b", "ab", 1 },
	{ "a&#x85;b", "ab", 1 },
	{ "<\x01p>x", "x", 1 },
	{ "a\xc2\x85" "b", "ab", 1 },
	{ "a\xc2\x9b" "b", "ab", 1 },
	{ "a\xc2\xa0" "b", "a b", 1 },
	{ "\xc2\xa0x\xc2\xa0", "x", 1 },
	/* invalid UTF-8 becomes U+FFFD, so the result is always valid */
	{ "a\xff" "b", "a\xef\xbf\xbd" "b", 1 },
	{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", 1 },
	{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 1 },
	{ "\xc2<i></i>\x85", "\xef\xbf\xbd\xef\xbf\xbd", 1 },
	/* bidi controls are text here; text_visible makes them safe to print */
	{ "\xe2\x80\xae" "abc", "\xe2\x80\xae" "abc", 0 },
};

static void test_text_clean(void)
{
	for (size_t i = 0; i < N_OF(CLEAN_CASES); i++) {
		const struct clean_case *c = &CLEAN_CASES[i];
		int changed = -1;
		char *out = text_clean(c->in, &changed);
		if (strcmp(out, c->out) != 0 || changed != c->changed)
			fprintf(stderr, "text_clean case %zu: \"%s\"\n", i, c->in);
		CHECK_STR(out, c->out);
		CHECK_INT(changed, c->changed);
		free(out);
	}
	int changed = -1;
	char *out = text_clean(NULL, &changed);
	CHECK_STR(out, "");
	CHECK_INT(changed, 0);
	free(out);
	out = text_clean("<p>x</p>", NULL);
	CHECK_STR(out, "x");
	free(out);
}

/* Cleaning twice gives the same text and reports no change. */
static int clean_twice_ok(const char *in)
{
	int changed = -1;
	size_t bad_at;
	char *once = text_clean(in, NULL);
	char *twice = text_clean(once, &changed);
	int ok = strcmp(once, twice) == 0 && changed == 0 && utf8_valid(once, strlen(once), &bad_at);
	for (const char *p = once; ok && *p; p++)
		ok = (unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t';
	if (!ok)
		fprintf(stderr, "not idempotent: \"%s\" -> \"%s\" -> \"%s\"\n", in, once, twice);
	free(once);
	free(twice);
	return ok;
}

static void test_text_clean_idempotent(void)
{
	int bad = 0;
	for (size_t i = 0; i < N_OF(CLEAN_CASES); i++)
		bad += !clean_twice_ok(CLEAN_CASES[i].in);
	CHECK_INT(bad, 0);

	/* random strings from the pieces that interact */
	static const char *const TOKENS[] = {
		"<", ">", "/", "p", "br", "li", "div", "b", " ", "\n", "\r", "\t", "&", ";", "#",
		"x", "amp", "lt", "gt", "nbsp", "39", "2019", "a", "\x01", "\x1b", "\x7f", "\xc2",
		"\x85", "\xa0", "\xe2\x80\x99", "\xff", "<p>", "</p>", "&amp;", "&lt;", "&gt;",
		"&#", "\"", "=", "3", "\xe2\x80", "\xed\xa0\x80",
	};
	uint32_t seed = 12345;
	bad = 0;
	for (int n = 0; n < 20000; n++) {
		struct buf b = {0};
		buf_add(&b, "", 0);
		seed = seed * 1103515245u + 12345u;
		int len = (int)((seed >> 16) % 40);
		for (int k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_adds(&b, TOKENS[(seed >> 16) % N_OF(TOKENS)]);
		}
		bad += !clean_twice_ok(b.s);
		buf_free(&b);
	}
	CHECK_INT(bad, 0);
}

static void test_text_clean_huge(void)
{
	char *s = repeat("<p>", 1 << 18);
	char *out = text_clean(s, NULL);
	CHECK_STR(out, "");
	free(out);
	free(s);

	s = repeat("<p>a</p>", 1 << 17);
	out = text_clean(s, NULL);
	CHECK_INT(strlen(out), 2 * (1 << 17) - 1);
	free(out);
	free(s);

	/* "&amp;" followed by many "amp;": each decodes into the next, in one pass */
	char *tail = repeat("amp;", 1 << 17);
	s = xasprintf("&amp;%s", tail);
	out = text_clean(s, NULL);
	CHECK_STR(out, "&");
	free(out);
	free(s);
	free(tail);

	/* a chain of &#59; (';') closing entities backwards, without deep recursion */
	tail = repeat("&#59", 1 << 17);
	s = xasprintf("&amp%s;", tail);
	out = text_clean(s, NULL);
	CHECK_STR(out, "&");
	free(out);
	free(s);
	free(tail);

	/* a "tag" longer than any real one stays as text */
	char *attr = repeat("x", 2000);
	s = xasprintf("<p %s>", attr);
	int changed = -1;
	out = text_clean(s, &changed);
	CHECK_STR(out, s);
	CHECK_INT(changed, 0);
	free(out);
	free(s);
	free(attr);

	s = repeat("\n", 1 << 20);
	out = text_clean(s, NULL);
	CHECK_STR(out, "");
	free(out);
	free(s);

	s = repeat("<a", 1 << 18);
	out = text_clean(s, NULL);
	CHECK_INT(strlen(out), 2 << 18);
	free(out);
	free(s);

	s = repeat("x>", 1 << 18);
	out = text_clean(s, NULL);
	CHECK_INT(strlen(out), 2 << 18);
	free(out);
	free(s);
}

/* ---- UTF-8 and Windows-1252 ----------------------------------------------------------- */

static void test_utf8_valid(void)
{
	static const struct {
		const char *s;
		size_t len;
		int ok;
		size_t bad_at;
	} CASES[] = {
		{ "", 0, 1, 0 },
		{ "abc", 3, 1, 0 },
		{ "caf\xc3\xa9", 5, 1, 0 },
		{ "\xf0\x9f\x98\x80", 4, 1, 0 },
		{ "\xf4\x8f\xbf\xbf", 4, 1, 0 },          /* U+10FFFF */
		{ "\xe0\xa0\x80", 3, 1, 0 },              /* U+0800 */
		{ "\xed\x9f\xbf", 3, 1, 0 },              /* U+D7FF */
		{ "\xee\x80\x80", 3, 1, 0 },              /* U+E000 */
		{ "\xc2\x80", 2, 1, 0 },                  /* U+0080 */
		{ "a\0b", 3, 1, 0 },                      /* U+0000 is valid UTF-8 */
		{ "\xf4\x90\x80\x80", 4, 0, 0 },          /* > U+10FFFF */
		{ "\xc0\xaf", 2, 0, 0 },                  /* overlong '/' */
		{ "\xc1\xbf", 2, 0, 0 },
		{ "\xe0\x80\xaf", 3, 0, 0 },
		{ "\xe0\x9f\xbf", 3, 0, 0 },
		{ "\xf0\x8f\xbf\xbf", 4, 0, 0 },
		{ "\xed\xa0\x80", 3, 0, 0 },              /* surrogate */
		{ "\xed\xbf\xbf", 3, 0, 0 },
		{ "\xf5\x80\x80\x80", 4, 0, 0 },
		{ "\xff", 1, 0, 0 },
		{ "\xfe", 1, 0, 0 },
		{ "\x80", 1, 0, 0 },                      /* lone continuation */
		{ "ab\xe2\x80", 4, 0, 2 },                /* truncated at the end */
		{ "a\xe2\x80" "b", 4, 0, 1 },
		{ "\xe2\x80\x99", 2, 0, 0 },              /* len cuts the sequence */
		{ "ok\xc3\xa9\xc3", 5, 0, 4 },
		{ "x\xc3\xa9\x80", 4, 0, 3 },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		size_t bad_at = 777;
		CHECK_INT(utf8_valid(CASES[i].s, CASES[i].len, &bad_at), CASES[i].ok);
		CHECK_INT(bad_at, CASES[i].ok ? 777 : CASES[i].bad_at);
	}
	CHECK_INT(utf8_valid("\xff", 1, NULL), 0);
	CHECK_INT(utf8_valid(NULL, 0, NULL), 1);

	/* every code point encoded by hand validates; every lone byte >= 0x80 does not */
	int bad = 0;
	for (uint32_t cp = 0x80; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 97)) {
		char s[4];
		size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (n == 2)
			s[0] = (char)(0xC0 | (cp >> 6));
		else if (n == 3)
			s[0] = (char)(0xE0 | (cp >> 12)), s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		else
			s[0] = (char)(0xF0 | (cp >> 18)), s[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
			s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[n - 1] = (char)(0x80 | (cp & 0x3F));
		bad += !utf8_valid(s, n, NULL);
	}
	for (int c = 0x80; c < 0x100; c++) {
		char s[1] = { (char)c };
		bad += utf8_valid(s, 1, NULL);
	}
	CHECK_INT(bad, 0);

	char *big = repeat("\xe2\x80\x99", 1 << 20);
	CHECK_INT(utf8_valid(big, strlen(big), NULL), 1);
	big[strlen(big) - 1] = 'x';
	size_t bad_at;
	CHECK_INT(utf8_valid(big, strlen(big), &bad_at), 0);
	CHECK_INT(bad_at, 3 * ((1 << 20) - 1));
	free(big);
}

static void test_cp1252(void)
{
	/* 0x80..0x9F; NULL for the five undefined bytes */
	static const char *const HIGH[32] = {
		"\xe2\x82\xac", NULL, "\xe2\x80\x9a", "\xc6\x92", "\xe2\x80\x9e", "\xe2\x80\xa6",
		"\xe2\x80\xa0", "\xe2\x80\xa1", "\xcb\x86", "\xe2\x80\xb0", "\xc5\xa0",
		"\xe2\x80\xb9", "\xc5\x92", NULL, "\xc5\xbd", NULL, NULL, "\xe2\x80\x98",
		"\xe2\x80\x99", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\xa2", "\xe2\x80\x93",
		"\xe2\x80\x94", "\xcb\x9c", "\xe2\x84\xa2", "\xc5\xa1", "\xe2\x80\xba", "\xc5\x93",
		NULL, "\xc5\xbe", "\xc5\xb8",
	};
	for (int i = 0; i < 32; i++) {
		char in[3] = { 'x', (char)(0x80 + i), 'y' };
		size_t bad_at = 777;
		char *out = cp1252_to_utf8(in, 3, &bad_at);
		if (HIGH[i]) {
			char *want = xasprintf("x%sy", HIGH[i]);
			CHECK_STR(out, want);
			CHECK_INT(bad_at, 777);
			free(want);
		} else {
			CHECK(out == NULL);
			CHECK_INT(bad_at, 1);
		}
		free(out);
	}
	/* 0xA0..0xFF are Latin-1 */
	int bad = 0;
	for (int c = 0xA0; c < 0x100; c++) {
		char in[1] = { (char)c };
		char *out = cp1252_to_utf8(in, 1, NULL);
		char want[3] = { (char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)), '\0' };
		bad += !out || strcmp(out, want) != 0;
		free(out);
	}
	CHECK_INT(bad, 0);

	char *out = cp1252_to_utf8("caf\xe9 \x93hi\x94 \x80 \x96", 13, NULL);
	CHECK_STR(out, "caf\xc3\xa9 \xe2\x80\x9chi\xe2\x80\x9d \xe2\x82\xac \xe2\x80\x93");
	free(out);
	out = cp1252_to_utf8("plain", 5, NULL);
	CHECK_STR(out, "plain");
	free(out);
	out = cp1252_to_utf8("plain", 2, NULL);
	CHECK_STR(out, "pl");
	free(out);
	out = cp1252_to_utf8("", 0, NULL);
	CHECK_STR(out, "");
	free(out);
	out = cp1252_to_utf8(NULL, 0, NULL);
	CHECK_STR(out, "");
	free(out);
	size_t bad_at = 0;
	CHECK(cp1252_to_utf8("ab\x81", 3, &bad_at) == NULL);
	CHECK_INT(bad_at, 2);
	CHECK(cp1252_to_utf8("\x9d", 1, NULL) == NULL);

	/* every defined byte gives valid UTF-8 */
	char all[256];
	for (int c = 0; c < 256; c++)
		all[c] = (char)c;
	out = cp1252_to_utf8(all + 1, 0x7F, NULL);
	CHECK(out != NULL && strlen(out) == 0x7F && memcmp(out, all + 1, 0x7F) == 0);
	free(out);
	bad = 0;
	for (int c = 1; c < 256; c++) {
		out = cp1252_to_utf8(all + c, 1, NULL);
		bad += out && !utf8_valid(out, strlen(out), NULL);
		free(out);
	}
	CHECK_INT(bad, 0);

	char *big = repeat("\x93", 1 << 20);
	out = cp1252_to_utf8(big, 1 << 20, NULL);
	CHECK_INT(strlen(out), 3 << 20);
	free(out);
	free(big);
}

/* ---- references ------------------------------------------------------------------ */

static void test_ref_parse(void)
{
	static const struct {
		const char *in, *ref, *rest;
	} CASES[] = {
		{ "1 How does the Board", "1", "How does the Board" },
		{ "1a. Does the Board", "1a", "Does the Board" },
		{ "1a Does", "1a", "Does" },
		{ "1A. Upper", "1A", "Upper" },
		{ "3.2 Text", "3.2", "Text" },
		{ "1.1. An improvement", "1.1", "An improvement" },
		{ "3.2.1 Deep", "3.2.1", "Deep" },
		{ "3.2a text", "3.2a", "text" },
		{ "12. Theme", "12", "Theme" },
		{ "123 x", "123", "x" },
		{ "1) text", "1", "text" },
		{ "2 - text", "2", "text" },
		{ "2 \xe2\x80\x93 text", "2", "text" },
		{ "2\xe2\x80\x94text", "2", "text" },
		{ "4: text", "4", "text" },
		{ "  7. Indented", "7", "Indented" },
		{ "5", "5", "" },
		{ "5.", "5", "" },
		{ "Finding 1: There is", "1", "There is" },
		{ "FINDING 2 - x", "2", "x" },
		{ "Recommendation 2 The LSCB", "2", "The LSCB" },
		{ "Recommendation Two", "2", "" },
		{ "Recommendation two: x", "2", "x" },
		{ "Recommendation Twelve. x", "12", "x" },
		{ "Rec. 2 x", "2", "x" },
		{ "Q4 text", "4", "text" },
		{ "q4 text", "4", "text" },
		{ "Q 4 text", "4", "text" },
		{ "Q4a text", "4a", "text" },
		{ "Question 4:", "4", "" },
		{ "Question 4: Does", "4", "Does" },
		{ "Theme 3 - Neglect", "3", "Neglect" },
		{ "(a) text", "a", "text" },
		{ "(B) text", "B", "text" },
		{ "(1) text", "1", "text" },
		{ "(2.1)", "2.1", "" },
		{ "1.\tTabbed", "1", "Tabbed" },
		{ "1.\nNext line", "1", "Next line" },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		const char *rest = NULL;
		char *ref = ref_parse(CASES[i].in, &rest);
		CHECK_STR(ref, CASES[i].ref);
		CHECK_STR(rest, CASES[i].rest);
		free(ref);
	}
}

static void test_ref_parse_none(void)
{
	static const char *const NONE[] = {
		"How does the Board", "", "   ", "2016 review", "31.03.2016 meeting", "1/6/16 text",
		"10am meeting", "1st June", "1000 staff", "1,000 staff", "Recommendation for the Board",
		"Questions to the board", "Quality", "Finding", "Finding:", "Q", "Q: what",
		"(see above)", "(a", "()", "1.05 x", "1ab text", "1a2 x", "a) text", ".5 x",
		"\xe2\x80\xae\x31 evil", "\x1b[1 x", "-1 x", "Recommendation Twentyone",
	};
	for (size_t i = 0; i < N_OF(NONE); i++) {
		const char *rest = NULL;
		char *ref = ref_parse(NONE[i], &rest);
		if (*ref)
			fprintf(stderr, "ref_parse(\"%s\") gave \"%s\"\n", NONE[i], ref);
		CHECK_STR(ref, "");
		CHECK(rest == NONE[i]);
		free(ref);
	}
	const char *rest = "x";
	char *ref = ref_parse(NULL, &rest);
	CHECK_STR(ref, "");
	CHECK(rest == NULL);
	free(ref);
	ref = ref_parse("3.2 x", NULL);
	CHECK_STR(ref, "3.2");
	free(ref);

	char *big = repeat("1.", 1 << 18);
	ref = ref_parse(big, &rest);
	CHECK(strlen(ref) < 32);
	free(ref);
	free(big);
}

static int cmp_key(const void *a, const void *b)
{
	char *ka = ref_sort_key(*(const char *const *)a);
	char *kb = ref_sort_key(*(const char *const *)b);
	int c = strcmp(ka, kb);
	free(ka);
	free(kb);
	return c;
}

static void test_ref_sort_key(void)
{
	static const struct {
		const char *in, *key;
	} CASES[] = {
		{ "", "" },
		{ "2", "00000002" },
		{ "10", "00000010" },
		{ "1a", "00000001a" },
		{ "1A", "00000001a" },
		{ "3.2", "00000003.00000002" },
		{ "3.10", "00000003.00000010" },
		{ "007", "00000007" },
		{ "0", "00000000" },
		{ "12345678", "12345678" },
		{ "x", "x" },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		char *key = ref_sort_key(CASES[i].in);
		CHECK_STR(key, CASES[i].key);
		free(key);
	}
	char *key = ref_sort_key(NULL);
	CHECK_STR(key, "");
	free(key);

	const char *refs[] = { "10", "2", "1b", "", "3.10", "1", "3.2", "1a", "10.1", "2.1", "1.1", "9" };
	const char *want[] = { "", "1", "1.1", "1a", "1b", "2", "2.1", "3.2", "3.10", "9", "10", "10.1" };
	qsort(refs, N_OF(refs), sizeof refs[0], cmp_key);
	for (size_t i = 0; i < N_OF(refs); i++)
		CHECK_STR(refs[i], want[i]);

	/* the key of a ref_parse result orders like the ref */
	const char *rest;
	char *r1 = ref_parse("Question 2: x", &rest), *r2 = ref_parse("10. y", &rest);
	char *k1 = ref_sort_key(r1), *k2 = ref_sort_key(r2);
	CHECK(strcmp(k1, k2) < 0);
	free(r1), free(r2), free(k1), free(k2);

	char *big = repeat("9a.", 1 << 16);
	key = ref_sort_key(big);
	CHECK_INT(strlen(key), (8 + 2) * (1 << 16));
	free(key);
	free(big);
}

/* ---- terminal width and visible text ----------------------------------------------- */

static void test_text_visible(void)
{
	static const struct {
		const char *in;
		char nl_as;
		const char *out;
	} CASES[] = {
		{ "abc", 0, "abc" },
		{ "", 0, "" },
		{ "a\x1b[31mb", 0, "a\\x1b[31mb" },
		{ "a\nb", 0, "a\nb" },
		{ "a\nb", '|', "a|b" },
		{ "a\tb", '|', "a b" },
		{ "a\tb", 0, "a\tb" },
		{ "\r", 0, "\\x0d" },
		{ "\a\b", 0, "\\x07\\x08" },
		{ "\x7f", 0, "\\x7f" },
		{ "\xc2\x85", 0, "\\u0085" },
		{ "\xc2\x9b" "2J", 0, "\\u009b2J" },
		{ "\xe2\x80\xae" "evil", 0, "\\u202eevil" },
		{ "\xe2\x80\xaa", 0, "\\u202a" },
		{ "\xe2\x81\xa6", 0, "\\u2066" },
		{ "\xe2\x81\xa9", 0, "\\u2069" },
		{ "\xe2\x80\x8e", 0, "\\u200e" },
		{ "\xe2\x80\x8f", 0, "\\u200f" },
		{ "\xd8\x9c", 0, "\\u061c" },
		{ "\xff", 0, "\\xff" },
		{ "\xc0\xaf", 0, "\\xc0\\xaf" },
		{ "\xed\xa0\x80", 0, "\\xed\\xa0\\x80" },
		{ "a\xe2\x80", 0, "a\\xe2\\x80" },
		{ "\xe2\x80\x9cq\xe2\x80\x9d \xe2\x80\x93 \xe2\x80\xa2 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 caf\xc3\xa9", 0,
		  "\xe2\x80\x9cq\xe2\x80\x9d \xe2\x80\x93 \xe2\x80\xa2 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 caf\xc3\xa9" },
		{ "\xc2\xa0", 0, "\xc2\xa0" },
		{ "\xe2\x80\x8b", 0, "\xe2\x80\x8b" },  /* zero width space is printable */
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		char *out = text_visible(CASES[i].in, CASES[i].nl_as);
		CHECK_STR(out, CASES[i].out);
		free(out);
	}
	char *out = text_visible(NULL, 0);
	CHECK_STR(out, "");
	free(out);

	/* the result never holds a control byte, with or without nl_as */
	int bad = 0;
	char all[256];
	for (int c = 1; c < 256; c++)
		all[c - 1] = (char)c;
	all[255] = '\0';
	out = text_visible(all, ' ');
	for (const char *p = out; *p; p++)
		bad += (unsigned char)*p < 0x20 || *p == 0x7f;
	bad += !utf8_valid(out, strlen(out), NULL);
	free(out);
	CHECK_INT(bad, 0);

	char *big = repeat("\x1b", 1 << 20);
	out = text_visible(big, 0);
	CHECK_INT(strlen(out), 4 << 20);
	free(out);
	free(big);
}

static void test_text_width(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		printf("SKIP text_width: no C.UTF-8 locale\n");
		return;
	}
	static const struct {
		const char *in;
		int width;
	} CASES[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "caf\xc3\xa9", 4 },
		{ "\xe2\x80\x99", 1 },
		{ "\xe2\x80\x94", 1 },
		{ "\xe2\x80\xa2", 1 },
		{ "\xe6\x97\xa5\xe6\x9c\xac", 4 },
		{ "\xf0\x9f\x98\x80", 2 },
		{ "e\xcc\x81", 1 },
		{ "\x1b", 4 },
		{ "a\x1b[31m", 9 },
		{ "\xc2\x85", 6 },
		{ "\xe2\x80\xae", 6 },
		{ "\xff", 4 },
		{ "a\nb", 3 },
		{ "\t", 1 },
		{ "\x7f", 4 },
		{ "\xc0\xaf", 8 },
	};
	for (size_t i = 0; i < N_OF(CASES); i++)
		CHECK_INT(text_width(CASES[i].in), CASES[i].width);
	CHECK_INT(text_width(NULL), 0);

	/* a string is as wide as its visible form */
	int bad = 0;
	for (size_t i = 0; i < N_OF(CASES); i++) {
		char *vis = text_visible(CASES[i].in, ' ');
		bad += text_width(vis) != text_width(CASES[i].in);
		free(vis);
	}
	CHECK_INT(bad, 0);

	char *big = repeat("\xe6\x97\xa5", 1 << 20);
	CHECK_INT(text_width(big), 2 << 20);
	free(big);
	setlocale(LC_ALL, "C");
}

static void test_text_ascii(void)
{
	static const struct {
		const char *in, *out;
	} CASES[] = {
		{ "", "" },
		{ "plain ASCII, kept: 1-2 | x", "plain ASCII, kept: 1-2 | x" },
		{ "data.db \xc2\xb7 all 629 actions", "data.db - all 629 actions" },
		{ "cut\xe2\x80\xa6", "cut..." },
		{ "2015\xe2\x80\x93" "2016 \xe2\x80\x94 done", "2015-2016 - done" },
		{ "\xe2\x94\x82", "|" },
		{ "\xe2\x94\x8c\xe2\x94\x80\xe2\x94\x90", "+-+" },
		{ "\xe2\x80\x9cno exceptions\xe2\x80\x9d, the board\xe2\x80\x99s", "\"no exceptions\", the board's" },
		{ "\xe2\x97\x86 Traffic Light", "* Traffic Light" },       /* julia.csv's bullets */
		{ "\xef\x82\xb7 Word's symbol bullet", "* Word's symbol bullet" },
		{ "Zo\xc3\xab, Soci\xc3\xa9" "t\xc3\xa9, \xc5\x81\xc3\xb3" "d\xc5\xba, Stra\xc3\x9f" "e", "Zoe, Societe, Lodz, Strasse" },
		{ "e\xcc\x81", "e" },                                         /* a combining accent */
		{ "\xc2\xa3" "5\xc2\xa0" "000", "GBP5 000" },
		{ "\xe6\x97\xa5", "\\u65e5" },
		{ "\xf0\x9f\x98\x80", "\\u1f600" },
		{ "a\xff" "b", "a\\xff" "b" },
		{ "\xe2\x80\x8bzero\xef\xbb\xbf", "zero" },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		char *out = text_ascii(CASES[i].in);
		CHECK_STR(out, CASES[i].out);
		free(out);
	}
	/* never a '?' that was not there, always ASCII, whatever the bytes */
	int bad = 0;
	char s[3] = { 0 }, one[TEXT_ASCII_MAX];
	for (uint32_t cp = 0x80; cp < 0x30000; cp++) {
		char u[5] = { 0 };
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		u[utf8_put(cp, u)] = '\0';
		size_t n = text_ascii_next(u, one);
		bad += n != strlen(u) || strchr(one, '?') != NULL;
		for (const char *p = one; *p; p++)
			bad += (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f;
	}
	for (int c = 0x80; c < 0x100; c++) {
		s[0] = (char)c;
		bad += text_ascii_next(s, one) != 1 || strchr(one, '?') != NULL;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(text_ascii_next("", one), 0);
	char *out = text_ascii(NULL);
	CHECK_STR(out, "");
	free(out);
}

static void test_utf8_char_put(void)
{
	uint32_t cp = 0;
	char out[4];
	CHECK_INT(utf8_char("\xe2\x80\x93x", &cp), 3);
	CHECK_INT(cp, 0x2013);
	CHECK_INT(utf8_char("", &cp), 0);
	CHECK_INT(utf8_char("\xc0\xaf", &cp), 0);
	int bad = 0;
	for (uint32_t c = 1; c < 0x110000; c += 7) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		char buf[5] = { 0 };
		size_t n = utf8_put(c, buf);
		bad += utf8_char(buf, &cp) != n || cp != c;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(utf8_put(0x20AC, out), 3);
	CHECK(memcmp(out, "\xe2\x82\xac", 3) == 0);
}

/* ---- fitting text to a width ------------------------------------------------------ */

/* The tests below measure with wcwidth: they need a UTF-8 locale. */
static int fit_locale(const char *what)
{
	if (setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	printf("SKIP %s: no C.UTF-8 locale\n", what);
	return 0;
}

#define E_ACUTE "\xc3\xa9"            /* é */
#define COMBINING "\xcc\x81"          /* U+0301, a combining acute accent */
#define NI "\xe6\x97\xa5"             /* 日, two columns */
#define HON "\xe6\x9c\xac"            /* 本 */
#define GO "\xe8\xaa\x9e"             /* 語 */
#define ELL "\xe2\x80\xa6"            /* … */

static void test_text_next(void)
{
	if (!fit_locale("text_next"))
		return;
	static const struct {
		const char *in;
		unsigned flags;
		size_t len;
		uint32_t cp;
		int width;
	} CASES[] = {
		{ "", 0, 0, 0, 0 },
		{ "ab", 0, 1, 'a', 1 },
		{ E_ACUTE "x", 0, 2, 0xE9, 1 },
		{ NI, 0, 3, 0x65E5, 2 },                         /* wide */
		{ "\xf0\x9f\x98\x80", 0, 4, 0x1F600, 2 },
		{ COMBINING "x", 0, 2, 0x301, 0 },               /* zero width */
		{ "\xe2\x80\x8b", 0, 3, 0x200B, 0 },             /* zero-width space */
		{ "\xff" "a", 0, 1, 0xFFFD, 4 },                 /* invalid: one byte, shown \xff */
		{ "\xc0\xaf", 0, 1, 0xFFFD, 4 },                 /* overlong */
		{ "\xe6\x97", 0, 1, 0xFFFD, 4 },                 /* cut short */
		{ "\x1b[2J", 0, 1, 0x1B, 4 },                    /* a control: its escape \x1b */
		{ "\xe2\x80\xae", 0, 3, 0x202E, 6 },             /* bidi override: \u202e */
		{ "\n", 0, 1, '\n', 1 },
		{ "\t", 0, 1, '\t', 1 },
		/* ASCII stand-ins */
		{ "ab", TEXT_AS_ASCII, 1, 'a', 1 },
		{ E_ACUTE, TEXT_AS_ASCII, 2, 0xE9, 1 },          /* e */
		{ "\xc3\x86", TEXT_AS_ASCII, 2, 0xC6, 2 },       /* Æ: AE */
		{ NI, TEXT_AS_ASCII, 3, 0x65E5, 6 },             /* \u65e5 */
		{ ELL, TEXT_AS_ASCII, 3, 0x2026, 3 },            /* ... */
		{ COMBINING, TEXT_AS_ASCII, 2, 0x301, 0 },       /* nothing */
		{ "\xe2\x80\x8b", TEXT_AS_ASCII, 3, 0x200B, 0 },
		{ "\xff", TEXT_AS_ASCII, 1, 0xFFFD, 4 },         /* \xff */
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		uint32_t cp = 1;
		int width = -1;
		CHECK_INT(text_next(CASES[i].in, CASES[i].flags, &cp, &width), CASES[i].len);
		CHECK_INT(cp, CASES[i].cp);
		CHECK_INT(width, CASES[i].width);
	}
	CHECK_INT(text_next(NULL, 0, NULL, NULL), 0);
	CHECK_INT(text_next("a", 0, NULL, NULL), 1);

	/* stepping adds up to text_width, and to the width of text_ascii's string */
	static const char *const TEXTS[] = {
		"plain", "caf" E_ACUTE, NI HON GO, "e" COMBINING "t" E_ACUTE, "a\x1b[31mb", "\xff\xfe" "x",
		"\xe2\x80\xae" "evil", "tab\there\nnl", "Stra\xc3\x9f" "e \xe2\x80\x94 \xe2\x80\x9cq\xe2\x80\x9d",
	};
	int bad = 0;
	for (size_t i = 0; i < N_OF(TEXTS); i++) {
		int sum = 0, ascii = 0, w;
		for (const char *p = TEXTS[i]; *p;) {
			size_t n = text_next(p, 0, NULL, &w);
			bad += n == 0 || n != text_next(p, TEXT_AS_ASCII, NULL, NULL);
			sum += w;
			text_next(p, TEXT_AS_ASCII, NULL, &w);
			ascii += w;
			p += n ? n : 1;
		}
		char *a = text_ascii(TEXTS[i]);
		bad += sum != text_width(TEXTS[i]) || ascii != (int)strlen(a);
		free(a);
	}
	CHECK_INT(bad, 0);
	setlocale(LC_ALL, "C");
}

static void test_text_fit(void)
{
	if (!fit_locale("text_fit"))
		return;
	static const struct {
		const char *in;
		int width;
		unsigned flags;
		size_t len;
		int used;
	} CASES[] = {
		{ "abcdef", 3, 0, 3, 3 },
		{ "abc", 3, 0, 3, 3 },                           /* exactly */
		{ "abc", 4, 0, 3, 3 },
		{ "abc", 0, 0, 0, 0 },
		{ "abc", -5, 0, 0, 0 },
		{ "", 5, 0, 0, 0 },
		{ NI HON, 3, 0, 3, 2 },                          /* never half a wide character */
		{ NI HON, 4, 0, 6, 4 },
		{ "e" COMBINING "x", 1, 0, 3, 1 },               /* the mark stays with its letter */
		{ COMBINING "x", 0, 0, 2, 0 },                   /* zero width fits in nothing */
		{ "\xff" "a", 3, 0, 0, 0 },                      /* \xff takes 4 */
		{ "\xff" "a", 5, 0, 2, 5 },
		{ NI "a", 6, TEXT_AS_ASCII, 3, 6 },              /* \u65e5 */
		{ NI "a", 5, TEXT_AS_ASCII, 0, 0 },
		{ ELL "x", 3, TEXT_AS_ASCII, 3, 3 },             /* ... */
		{ E_ACUTE E_ACUTE, 1, TEXT_AS_ASCII, 2, 1 },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		int used = -1;
		CHECK_INT(text_fit(CASES[i].in, CASES[i].width, CASES[i].flags, &used), CASES[i].len);
		CHECK_INT(used, CASES[i].used);
	}
	CHECK_INT(text_fit(NULL, 5, 0, NULL), 0);
	char *big = repeat(NI, 1 << 16);
	int used;
	CHECK_INT(text_fit(big, INT_MAX, 0, &used), 3 << 16);
	CHECK_INT(used, 2 << 16);
	free(big);
	setlocale(LC_ALL, "C");
}

static void test_text_cut_bytes(void)
{
	if (!fit_locale("text_cut_bytes"))
		return;
	static const struct {
		const char *in;
		size_t max, len;
	} CASES[] = {
		{ "abc", 5, 3 },
		{ "abc", 3, 3 },
		{ "abc", 2, 2 },
		{ "abc", 0, 0 },
		{ E_ACUTE E_ACUTE E_ACUTE, 3, 2 },               /* not inside the second é */
		{ E_ACUTE E_ACUTE E_ACUTE, 4, 4 },
		{ NI, 2, 0 },
		{ "e" COMBINING "x", 2, 0 },                     /* not between a letter and its mark */
		{ "ae" COMBINING, 2, 1 },
		{ "ae" COMBINING, 4, 4 },
		{ "ae" COMBINING COMBINING, 5, 1 },
		{ "\xff\xfe\xfd", 2, 2 },                        /* invalid bytes are characters of their own */
		{ "a\xe6\x97", 2, 2 },
		{ "", 5, 0 },
	};
	for (size_t i = 0; i < N_OF(CASES); i++)
		CHECK_INT(text_cut_bytes(CASES[i].in, CASES[i].max), CASES[i].len);
	CHECK_INT(text_cut_bytes(NULL, 5), 0);

	/* the import warning's value: "Ab" and forty é, 82 bytes */
	char *forty = repeat(E_ACUTE, 40), *v = xasprintf("Ab%s", forty);
	CHECK_INT(text_cut_bytes(v, 57), 56);
	CHECK_INT(text_cut_bytes(v, 56), 56);
	CHECK_INT(text_cut_bytes(v, 82), 82);
	/* every cut of valid text is valid */
	int bad = 0;
	for (size_t max = 0; max <= strlen(v) + 1; max++)
		bad += !utf8_valid(v, text_cut_bytes(v, max), NULL) || text_cut_bytes(v, max) > max;
	CHECK_INT(bad, 0);
	free(v);
	free(forty);
	setlocale(LC_ALL, "C");
}

static void test_text_shorten(void)
{
	if (!fit_locale("text_shorten"))
		return;
	char *forty = repeat(E_ACUTE, 40), *v = xasprintf("Ab%s", forty);
	char *want_tail = repeat(E_ACUTE, 27), *want = xasprintf("Ab%s...", want_tail);
	CHECK_STR(text_shorten(v, 60), want);
	CHECK(utf8_valid(v, strlen(v), NULL));
	CHECK_INT(strlen(v), 59);
	free(v);
	free(want);
	free(want_tail);
	free(forty);

	char *sixty = repeat("x", 60), *sixty_one = repeat("x", 61), *s57 = repeat("x", 57);
	char *cut = xasprintf("%s...", s57);
	CHECK_STR(text_shorten(sixty, 60), sixty);                 /* exactly: unchanged */
	CHECK_INT(strlen(sixty), 60);
	CHECK_STR(text_shorten(sixty_one, 60), cut);
	free(sixty);
	free(sixty_one);
	free(s57);
	free(cut);
	char one[] = "short";
	CHECK_STR(text_shorten(one, 60), "short");
	char mark[] = "abcde" COMBINING "fgh";                     /* 10 bytes */
	CHECK_STR(text_shorten(mark, 9), "abcd...");               /* é stays whole or goes */
	setlocale(LC_ALL, "C");
}

static void test_text_cut(void)
{
	if (!fit_locale("text_cut"))
		return;
	static const struct {
		const char *in;
		int width;
		unsigned flags;
		const char *out;
	} CASES[] = {
		{ "abcdef", 5, 0, "abcd" ELL },
		{ "abcde", 5, 0, "abcde" },                      /* exactly: whole */
		{ "abcdef", 6, 0, "abcdef" },
		{ "abc", 1, 0, ELL },
		{ "abc", 0, 0, "" },
		{ "abc", -1, 0, "" },
		{ "", 3, 0, "" },
		{ NI HON GO, 6, 0, NI HON GO },
		{ NI HON GO, 5, 0, NI HON ELL },
		{ NI HON GO, 4, 0, NI ELL },                     /* width 3: no half character */
		{ NI HON GO, 1, 0, ELL },
		{ "e" COMBINING "t" E_ACUTE, 3, 0, "e" COMBINING "t" E_ACUTE },
		{ "e" COMBINING "t" E_ACUTE "x", 3, 0, "e" COMBINING "t" ELL },
		{ "ab  cd", 5, 0, "ab  " ELL },
		{ "ab  cd", 5, TEXT_CUT_TRIM, "ab" ELL },
		{ "a\x1b[2J", 4, 0, "a" ELL },                   /* \x1b is 4 columns */
		{ "\xff" "abc", 5, 0, "\xff" ELL },
		/* ASCII stand-ins: measured as shown, "..." */
		{ "abcdef", 5, TEXT_AS_ASCII, "ab..." },
		{ "abcdef", 6, TEXT_AS_ASCII, "abcdef" },
		{ "abcdef", 2, TEXT_AS_ASCII, "ab" },            /* narrower than "...": no ellipsis */
		{ "abcdef", 3, TEXT_AS_ASCII, "..." },
		{ E_ACUTE NI, 7, TEXT_AS_ASCII, E_ACUTE NI },    /* e\u65e5 */
		{ E_ACUTE NI "x", 7, TEXT_AS_ASCII, E_ACUTE "..." },
		{ "\xc3\x86on of text", 6, TEXT_AS_ASCII, "\xc3\x86o..." },   /* Æ is AE */
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		char *got = text_cut(CASES[i].in, CASES[i].width, CASES[i].flags);
		CHECK_STR(got, CASES[i].out);
		int w;
		text_fit(got, INT_MAX, CASES[i].flags, &w);
		CHECK(w <= (CASES[i].width > 0 ? CASES[i].width : 0));
		free(got);
	}
	char *got = text_cut(NULL, 5, 0);
	CHECK_STR(got, "");
	free(got);
	setlocale(LC_ALL, "C");
}

static void wrap_collect(const char *line, size_t len, void *ctx)
{
	struct buf *b = ctx;
	if (b->len)
		buf_addc(b, '|');
	buf_add(b, line, len);
	buf_addc(b, '.');           /* so an empty line shows */
}

/* The lines text_wrap gives, each ended by '.' and separated by '|'.  Caller frees. */
static char *wrapped(const char *s, int width, unsigned flags)
{
	struct buf b = {0};
	text_wrap(s, width, flags, wrap_collect, &b);
	return buf_steal(&b);
}

static void test_text_wrap(void)
{
	if (!fit_locale("text_wrap"))
		return;
	static const struct {
		const char *in;
		int width;
		unsigned flags;
		const char *out;
	} CASES[] = {
		{ "the quick brown fox", 9, 0, "the quick.|brown fox." },   /* a word ends at the width */
		{ "aaa bbb ccc", 7, 0, "aaa bbb.|ccc." },
		{ "aaa bbb ccc", 6, 0, "aaa.|bbb.|ccc." },
		{ "aaa bbb ccc", 11, 0, "aaa bbb ccc." },
		{ "aaa bbb", 3, 0, "aaa.|bbb." },
		{ "abcdefghij", 4, 0, "abcd.|efgh.|ij." },                 /* a long word is broken */
		{ "aa abcdefghij", 4, 0, "aa.|abcd.|efgh.|ij." },
		{ "abcdefghij", 4, TEXT_WRAP_WHOLE, "abcdefghij." },       /* or kept whole */
		{ "aa abcdefghij bb", 4, TEXT_WRAP_WHOLE, "aa.|abcdefghij.|bb." },
		{ "a\n\nb", 10, 0, "a.|.|b." },                            /* paragraphs, an empty one */
		{ "a\n", 10, 0, "a.|." },
		{ "", 10, 0, "." },
		{ "  ab cd", 5, 0, "  ab.|cd." },                           /* a paragraph's indent stays */
		{ "ab   cd", 4, 0, "ab.|cd." },                             /* spaces at a break go */
		{ "ab   cd", 10, 0, "ab   cd." },
		{ "ab   ", 10, 0, "ab." },
		{ "  ab \t  cd  \n  ef ", 10, TEXT_WRAP_SQUEEZE, "ab cd.|ef." },
		{ "   ", 10, TEXT_WRAP_SQUEEZE, "." },
		{ NI HON GO NI HON, 4, 0, NI HON ".|" GO NI ".|" HON "." },
		{ NI HON GO, 5, 0, NI HON ".|" GO "." },
		{ NI "x", 1, 0, NI ".|x." },                              /* wider than the line: alone */
		{ "ab", 0, 0, "a.|b." },                                    /* width at least 1 */
		{ "e" COMBINING "e" COMBINING "e" COMBINING, 2, 0, "e" COMBINING "e" COMBINING ".|e" COMBINING "." },
		{ "\xff\xff", 4, 0, "\xff.|\xff." },                        /* \xff takes 4 */
		{ NI " x", 7, TEXT_AS_ASCII, NI ".|x." },                  /* \u65e5 takes 6 */
		{ NI " x", 8, TEXT_AS_ASCII, NI " x." },
		{ E_ACUTE E_ACUTE E_ACUTE, 2, TEXT_AS_ASCII, E_ACUTE E_ACUTE ".|" E_ACUTE "." },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		char *got = wrapped(CASES[i].in, CASES[i].width, CASES[i].flags);
		CHECK_STR(got, CASES[i].out);
		free(got);
	}
	char *got = wrapped(NULL, 10, 0);
	CHECK_STR(got, ".");
	free(got);
	setlocale(LC_ALL, "C");
}

/* s without spaces and line breaks (text_wrap drops only those).  Caller frees. */
static char *no_spaces(const char *s, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '|' && s[i] != '.')
			*o++ = s[i];
	*o = '\0';
	return out;
}

/* The fitting toolkit's promises over any bytes: a cut fits and loses nothing but its
 * end, a cut of visible text is valid UTF-8, and wrapping keeps every character. */
static int fit_holds(const char *s)
{
	int bad = 0, w;
	char *vis = text_visible(s, '\n');
	for (unsigned flags = 0; flags <= TEXT_AS_ASCII; flags++) {
		char *cut = text_cut(s, 10, flags);
		text_fit(cut, INT_MAX, flags, &w);
		bad += w > 10;
		free(cut);
		cut = text_cut(vis, 10, flags);
		bad += !utf8_valid(cut, strlen(cut), NULL);
		free(cut);
		for (unsigned whole = 0; whole <= TEXT_WRAP_WHOLE; whole += TEXT_WRAP_WHOLE) {
			char *lines = wrapped(vis, 8, flags | whole);
			char *a = no_spaces(lines, strlen(lines)), *b = no_spaces(vis, strlen(vis));
			bad += strcmp(a, b) != 0;
			free(a);
			free(b);
			free(lines);
		}
	}
	for (size_t max = 0; max < 12; max++)
		bad += text_cut_bytes(vis, max) > max || !utf8_valid(vis, text_cut_bytes(vis, max), NULL);
	free(vis);
	return bad;
}

/* Random bytes through every function: no crash (ASan/UBSan watch), and the
 * promises each one makes hold. */
static int hostile_one(const char *s)
{
	int bad = 0;
	size_t len = strlen(s), bad_at, consumed;
	enum guess how;
	enum rag r = rag_parse(s, &how);
	bad += (int)r < 0 || r >= RAG_COUNT || how > GUESS_UNKNOWN || (how == GUESS_UNKNOWN && r);

	char iso[11];
	how = date_parse(s, iso, &consumed);
	bad += how == GUESS_UNKNOWN ? (iso[0] || consumed) : (!date_is_iso(iso) || consumed > len);

	bad += !clean_twice_ok(s);

	const char *rest;
	char *ref = ref_parse(s, &rest), *key = ref_sort_key(ref);
	bad += rest < s || rest > s + len || strlen(ref) >= 32 || (!*ref && rest != s);
	free(ref);
	free(key);

	char *vis = text_visible(s, ' ');
	for (const char *p = vis; *p; p++)
		bad += (unsigned char)*p < 0x20 || *p == 0x7f;
	bad += !utf8_valid(vis, strlen(vis), NULL) || text_width(vis) != text_width(s);
	free(vis);

	bad += fit_holds(s);

	char *u = cp1252_to_utf8(s, len, &bad_at);
	bad += u ? !utf8_valid(u, strlen(u), NULL) : !strchr("\x81\x8d\x8f\x90\x9d", s[bad_at]);
	free(u);
	return bad;
}

static void test_hostile_random(void)
{
	uint32_t seed = 987654321;
	int bad = 0;
	for (int n = 0; n < 5000; n++) {
		char s[80];
		seed = seed * 1103515245u + 12345u;
		size_t len = (seed >> 16) % (sizeof s - 1);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* half the time printable ASCII, so tags, entities and dates form */
			unsigned v = (seed >> 16) & 0x1FF;
			s[i] = v < 0x100 ? (char)(1 + v % 255) : "<>/&;#0123456789 pbrli.-Jun"[v % 27];
		}
		s[len] = '\0';
		bad += hostile_one(s);
	}
	CHECK_INT(bad, 0);
}

/* Status words as real plans write them (issue 12): each decided, and said why. */
static void test_rag_notes(void)
{
	static const struct {
		const char *raw;
		enum rag rag;
		enum guess how;
		enum rag_note note;
	} CASES[] = {
		{ "In progress", RAG_UNSET, GUESS_UNKNOWN, RAG_NOTE_PROGRESS },
		{ "Ongoing", RAG_UNSET, GUESS_UNKNOWN, RAG_NOTE_PROGRESS },
		{ "On going", RAG_UNSET, GUESS_UNKNOWN, RAG_NOTE_PROGRESS },
		{ "Not started", RAG_UNSET, GUESS_UNKNOWN, RAG_NOTE_PROGRESS },
		{ "Complete: evidence seen by the panel", RAG_BLUE, GUESS_INFERRED, RAG_NOTE_DONE_TEXT },
		{ "Complete - Where a procedure is created", RAG_BLUE, GUESS_INFERRED, RAG_NOTE_DONE_TEXT },
		{ "Completed - audit repeated 04/03/2020", RAG_BLUE, GUESS_INFERRED, RAG_NOTE_DONE_TEXT },
		{ "Complete CSE risk assessments", RAG_UNSET, GUESS_UNKNOWN, RAG_NOTE_NONE },   /* an order */
		{ "Red Amber Green", RAG_UNSET, GUESS_UNKNOWN, RAG_NOTE_LEGEND },
		{ "Red / Amber / Green / Blue", RAG_UNSET, GUESS_UNKNOWN, RAG_NOTE_LEGEND },
		{ "R/A/G", RAG_UNSET, GUESS_UNKNOWN, RAG_NOTE_LEGEND },
		{ "Amber/Green", RAG_AMBER, GUESS_INFERRED, RAG_NOTE_NONE },     /* two states: a mix */
		{ "Green", RAG_GREEN, GUESS_EXACT, RAG_NOTE_NONE },
		{ "Completed", RAG_BLUE, GUESS_INFERRED, RAG_NOTE_NONE },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		enum guess how = GUESS_EXACT;
		enum rag_note note = RAG_NOTE_NONE;
		enum rag r = rag_parse_note(CASES[i].raw, &how, &note);
		if (r != CASES[i].rag || how != CASES[i].how || note != CASES[i].note)
			fprintf(stderr, "rag_parse_note(\"%s\") = %d %d %d\n", CASES[i].raw, r, how, note);
		CHECK_INT(r, CASES[i].rag);
		CHECK_INT(how, CASES[i].how);
		CHECK_INT(note, CASES[i].note);
	}
	CHECK_INT(rag_parse_note("Green", NULL, NULL), RAG_GREEN);
	char *k = rag_word_key("  On   Track. ");
	CHECK_STR(k, "on track");
	free(k);
	k = rag_word_key(NULL);
	CHECK_STR(k, "");
	free(k);
}

/* Whole target cells: dates after words, several dates, impossible dates, status words. */
static void test_date_read_cell(void)
{
	static const struct {
		const char *text;
		const char *iso;
		enum date_note note;
		int ndates;
		const char *bad;
	} CASES[] = {
		{ "31/12/2016", "2016-12-31", DATE_NOTE_NONE, 1, "" },
		{ "By 31/12/2016", "2016-12-31", DATE_NOTE_AFTER_WORDS, 1, "" },
		{ "End of March 2017", "2017-03-31", DATE_NOTE_AFTER_WORDS, 1, "" },
		{ "Review June 2016", "2016-06-30", DATE_NOTE_AFTER_WORDS, 1, "" },
		{ "1. 28 February 2020 2. 28 February 2020 3. 31 October 2020", "2020-10-31", DATE_NOTE_SEVERAL, 2, "" },
		{ "31.03.2016 and 30.06.2016", "2016-06-30", DATE_NOTE_SEVERAL, 2, "" },
		{ "31 September 2020", "", DATE_NOTE_NOT_REAL, 0, "31 September 2020" },
		{ "30/02/2021", "", DATE_NOTE_NOT_REAL, 0, "30/02/2021" },
		{ "Completed", "", DATE_NOTE_STATUS, 0, "" },
		{ "Done.", "", DATE_NOTE_STATUS, 0, "" },
		{ "On-going", "", DATE_NOTE_ONGOING, 0, "" },
		{ "30.06.2016 / ongoing", "2016-06-30", DATE_NOTE_NONE, 1, "" },
		{ "June 2016", "2016-06-30", DATE_NOTE_NONE, 1, "" },
		{ "42460", "2016-03-31", DATE_NOTE_NONE, 1, "" },
		{ "Ref 42460", "", DATE_NOTE_NONE, 0, "" },       /* a serial only as the whole cell */
		{ "Q1 2017/18", "", DATE_NOTE_NONE, 0, "" },
		{ "", "", DATE_NOTE_NONE, 0, "" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct date_cell dc;
		date_read_cell(CASES[i].text, &dc);
		if (strcmp(dc.iso, CASES[i].iso) || dc.note != CASES[i].note)
			fprintf(stderr, "date_read_cell(\"%s\") = [%s] note %d\n", CASES[i].text, dc.iso, dc.note);
		CHECK_STR(dc.iso, CASES[i].iso);
		CHECK_INT(dc.note, CASES[i].note);
		CHECK_INT(dc.ndates, CASES[i].ndates);
		CHECK_STR(dc.bad, CASES[i].bad);
		if (CASES[i].note != DATE_NOTE_NONE)
			CHECK_INT(dc.how, dc.iso[0] ? GUESS_INFERRED : GUESS_UNKNOWN);
	}
	struct date_cell dc;
	date_read_cell("31.03.2016 - see evidence", &dc);
	CHECK_INT(dc.lead, 10);
	CHECK_INT(dc.how, GUESS_EXACT);
	date_read_cell(NULL, &dc);
	CHECK_STR(dc.iso, "");
	CHECK_INT(dc.how, GUESS_UNKNOWN);
}

int main(void)
{
	test_rag_parse();
	test_rag_parse_huge();
	test_rag_names();
	test_rag_from_user();
	test_rag_notes();
	test_date_read_cell();
	test_date_parse();
	test_date_parse_rejects();
	test_date_is_iso();
	test_date_arith();
	test_date_roundtrip();
	test_text_clean();
	test_text_clean_idempotent();
	test_text_clean_huge();
	test_utf8_valid();
	test_cp1252();
	test_ref_parse();
	test_ref_parse_none();
	test_ref_sort_key();
	test_text_visible();
	test_text_width();
	test_text_ascii();
	test_utf8_char_put();
	test_text_next();
	test_text_fit();
	test_text_cut_bytes();
	test_text_shorten();
	test_text_cut();
	test_text_wrap();
	test_hostile_random();
	return check_report();
}
