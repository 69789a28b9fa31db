/* Unit tests for colmap: header lookup, synonyms, mapping a header row. */
#include "ragtrack/colmap.h"
#include "ragtrack/util.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

static void test_lookup_canonical(void)
{
	for (int c = 0; c < COL_COUNT; c++) {
		const char *name = colmap_name((enum col)c);
		CHECK(name != NULL && *name);
		CHECK_INT(colmap_lookup(name), c);
	}
	CHECK_STR(colmap_name(COL_ID), "ID");
	CHECK_STR(colmap_name(COL_TARGET), "Target Date");
	CHECK_STR(colmap_name(COL_EVIDENCE), "Evidence/Outcome");
	CHECK_STR(colmap_name(COL_TARGET_EVIDENCE), "Target Date/Evidence");
	CHECK_STR(colmap_name(COL_UNKNOWN), "");
	CHECK_STR(colmap_name(COL_COUNT), "");
	CHECK_STR(colmap_name((enum col)1000), "");
}

static void test_lookup_synonyms(void)
{
	static const struct {
		const char *header;
		enum col col;
	} CASES[] = {
		/* the data/ files' headers */
		{ "Finding", COL_FINDING }, { "Questions", COL_QUESTION }, { "Agency", COL_AGENCY },
		{ "Response", COL_RESPONSE }, { "Actions", COL_ACTION }, { "RAG", COL_RAG },
		{ "Constraints/Problems", COL_CONSTRAINTS },
		{ "Target Date/Evidence", COL_TARGET_EVIDENCE }, { "Lead Person", COL_LEAD },
		{ "Desired Outcome", COL_DESIRED }, { "Target Date", COL_TARGET },
		{ "Evidence/Outcome", COL_EVIDENCE }, { "Agency Lead Person", COL_LEAD },
		{ "Review", COL_REVIEW }, { "Recommendation", COL_QUESTION }, { "Theme", COL_FINDING },
		/* Review */
		{ "Review Name", COL_REVIEW }, { "Case Review", COL_REVIEW }, { "Case", COL_REVIEW },
		/* Board */
		{ "Board", COL_BOARD }, { "LSCB", COL_BOARD }, { "Board name", COL_BOARD },
		/* Finding */
		{ "Findings", COL_FINDING }, { "Themes", COL_FINDING }, { "Finding/Theme", COL_FINDING },
		{ "Area", COL_FINDING },
		/* Question */
		{ "Question", COL_QUESTION }, { "Recommendations", COL_QUESTION },
		{ "Review Question", COL_QUESTION }, { "Question / Recommendation", COL_QUESTION },
		/* Agency */
		{ "Agencies", COL_AGENCY }, { "Organisation", COL_AGENCY }, { "Organization", COL_AGENCY },
		{ "Partner Agency", COL_AGENCY }, { "Service", COL_AGENCY },
		/* Response */
		{ "Agency Response", COL_RESPONSE }, { "Responses", COL_RESPONSE },
		/* Action */
		{ "Action", COL_ACTION }, { "Action Taken", COL_ACTION }, { "Action(s) Taken", COL_ACTION },
		{ "Agreed Action", COL_ACTION }, { "Agreed Actions", COL_ACTION },
		/* RAG */
		{ "Status", COL_RAG }, { "RAG Rating", COL_RAG }, { "RAG status", COL_RAG },
		{ "Rating", COL_RAG }, { "R.A.G.", COL_RAG }, { "  rag  ", COL_RAG },
		/* Target */
		{ "Target", COL_TARGET }, { "Timescale", COL_TARGET }, { "Timescale(s)", COL_TARGET },
		{ "Deadline", COL_TARGET }, { "Due Date", COL_TARGET }, { "By When?", COL_TARGET },
		{ "TARGET DATE", COL_TARGET }, { "Target-Date", COL_TARGET }, { "target_date", COL_TARGET },
		{ "Target Date & Evidence", COL_TARGET_EVIDENCE },
		/* Evidence */
		{ "Evidence", COL_EVIDENCE }, { "Outcome", COL_EVIDENCE }, { "Evidence of Progress", COL_EVIDENCE },
		{ "Progress", COL_EVIDENCE }, { "Update", COL_EVIDENCE }, { "Evidence of Impact", COL_EVIDENCE },
		{ "Evidence / Outcome", COL_EVIDENCE }, { "Evidence & Outcome", COL_EVIDENCE },
		/* Lead */
		{ "Lead", COL_LEAD }, { "Lead Officer", COL_LEAD }, { "Responsible Officer", COL_LEAD },
		{ "Owner", COL_LEAD },
		/* Constraints, Desired */
		{ "Constraints", COL_CONSTRAINTS }, { "Problems", COL_CONSTRAINTS },
		{ "Barriers", COL_CONSTRAINTS }, { "Constraints & Problems", COL_CONSTRAINTS },
		{ "Desired Outcomes", COL_DESIRED },
		/* ID */
		{ "ID", COL_ID }, { "id", COL_ID }, { "Id.", COL_ID },
		/* a UTF-8 byte order mark and a stray CR are not letters */
		{ "\xef\xbb\xbfReview", COL_REVIEW }, { "Agency\r", COL_AGENCY },
		/* names no column */
		{ "", COL_UNKNOWN }, { "   ", COL_UNKNOWN }, { "!!!", COL_UNKNOWN },
		{ "Learning Point", COL_UNKNOWN }, { "Learning points", COL_UNKNOWN },
		{ "Comments", COL_UNKNOWN }, { "Notes", COL_UNKNOWN }, { "RAGs", COL_UNKNOWN },
		{ "Agency2", COL_UNKNOWN }, { "Date", COL_UNKNOWN }, { "Ref", COL_UNKNOWN },
		{ "\x1b[31mRAG", COL_UNKNOWN }, { "\xff\xfe", COL_UNKNOWN },
	};
	for (size_t i = 0; i < N_OF(CASES); i++) {
		enum col c = colmap_lookup(CASES[i].header);
		if (c != CASES[i].col)
			fprintf(stderr, "colmap_lookup(\"%s\")\n", CASES[i].header);
		CHECK_INT(c, CASES[i].col);
	}
	CHECK_INT(colmap_lookup(NULL), COL_UNKNOWN);

	/* long headers: junk around a synonym, or too long to be one */
	char *big = xmalloc(10001);
	memset(big, 'x', 10000);
	big[10000] = '\0';
	CHECK_INT(colmap_lookup(big), COL_UNKNOWN);
	memset(big, ' ', 10000);
	memcpy(big + 5000, "RAG", 3);
	CHECK_INT(colmap_lookup(big), COL_RAG);
	memset(big, '&', 10000);
	CHECK_INT(colmap_lookup(big), COL_UNKNOWN);
	free(big);
}

static void test_expected(void)
{
	const char *e = colmap_expected();
	CHECK(e != NULL && *e);
	CHECK(e == colmap_expected());
	for (int c = 0; c < COL_COUNT; c++) {
		if (!strstr(e, colmap_name((enum col)c)))
			fprintf(stderr, "colmap_expected lacks %s\n", colmap_name((enum col)c));
		CHECK(strstr(e, colmap_name((enum col)c)) != NULL);
	}
	CHECK(strstr(e, "Timescale") != NULL);
	CHECK(strchr(e, '\n') == NULL);
}

/* A colmap filled with garbage, to show colmap_build sets every field. */
static void colmap_dirty(struct colmap *m)
{
	for (int c = 0; c < COL_COUNT; c++)
		m->at[c] = 12345;
	m->ncols = 999;
}

static void test_build_real(void)
{
	static const char *const JULIA[] = {
		"Finding", "Questions", "Agency", "Response", "Actions", "RAG",
		"Constraints/Problems", "Target Date/Evidence", "Lead Person", "Desired Outcome",
	};
	static const char *const MEGAN[] = {
		"Questions", "Agency", "Actions", "RAG", "Target Date", "Evidence/Outcome",
		"Agency Lead Person",
	};
	struct colmap m;
	int unknown[16];
	colmap_dirty(&m);
	memset(unknown, 0x55, sizeof unknown);
	CHECK_INT(colmap_build(&m, JULIA, N_OF(JULIA), unknown), 10);
	CHECK_INT(m.ncols, 10);
	CHECK_INT(m.at[COL_FINDING], 0);
	CHECK_INT(m.at[COL_QUESTION], 1);
	CHECK_INT(m.at[COL_AGENCY], 2);
	CHECK_INT(m.at[COL_RESPONSE], 3);
	CHECK_INT(m.at[COL_ACTION], 4);
	CHECK_INT(m.at[COL_RAG], 5);
	CHECK_INT(m.at[COL_CONSTRAINTS], 6);
	CHECK_INT(m.at[COL_TARGET_EVIDENCE], 7);
	CHECK_INT(m.at[COL_LEAD], 8);
	CHECK_INT(m.at[COL_DESIRED], 9);
	CHECK_INT(m.at[COL_ID], -1);
	CHECK_INT(m.at[COL_REVIEW], -1);
	CHECK_INT(m.at[COL_TARGET], -1);
	CHECK_INT(m.at[COL_EVIDENCE], -1);
	CHECK_INT(m.at[COL_BOARD], -1);
	for (size_t i = 0; i < N_OF(JULIA); i++)
		CHECK_INT(unknown[i], 0);
	CHECK_INT(unknown[10], 0x55555555);

	colmap_dirty(&m);
	CHECK_INT(colmap_build(&m, MEGAN, N_OF(MEGAN), unknown), 7);
	CHECK_INT(m.at[COL_QUESTION], 0);
	CHECK_INT(m.at[COL_TARGET], 4);
	CHECK_INT(m.at[COL_EVIDENCE], 5);
	CHECK_INT(m.at[COL_LEAD], 6);
	CHECK_INT(m.at[COL_FINDING], -1);
	CHECK_INT(m.at[COL_TARGET_EVIDENCE], -1);
}

static void test_build_repeats(void)
{
	struct colmap m;
	int unknown[8];

	static const char *const TWO_AGENCIES[] = { "Agency", "Action", "Agency" };
	colmap_dirty(&m);
	CHECK_INT(colmap_build(&m, TWO_AGENCIES, 3, unknown), 2);
	CHECK_INT(m.at[COL_AGENCY], 0);
	CHECK_INT(m.at[COL_ACTION], 1);
	CHECK_INT(unknown[0], 0);
	CHECK_INT(unknown[1], 0);
	CHECK_INT(unknown[2], 1);

	/* two synonyms of one column: the first wins */
	static const char *const SYN[] = { "Recommendation", "Questions", "Status", "RAG" };
	CHECK_INT(colmap_build(&m, SYN, 4, unknown), 2);
	CHECK_INT(m.at[COL_QUESTION], 0);
	CHECK_INT(m.at[COL_RAG], 2);
	CHECK_INT(unknown[1], 1);
	CHECK_INT(unknown[3], 1);

	static const char *const MIXED[] = { "Foo", "RAG", "", "Target Date", "Target Date/Evidence" };
	CHECK_INT(colmap_build(&m, MIXED, 5, unknown), 3);
	CHECK_INT(unknown[0], 1);
	CHECK_INT(unknown[1], 0);
	CHECK_INT(unknown[2], 1);
	CHECK_INT(unknown[3], 0);
	CHECK_INT(unknown[4], 0);
	CHECK_INT(m.at[COL_TARGET], 3);
	CHECK_INT(m.at[COL_TARGET_EVIDENCE], 4);
}

static void test_build_edges(void)
{
	struct colmap m;
	int unknown[4] = { 7, 7, 7, 7 };

	static const char *const ID_ONLY[] = { "ID" };
	colmap_dirty(&m);
	CHECK_INT(colmap_build(&m, ID_ONLY, 1, unknown), 0);
	CHECK_INT(m.at[COL_ID], 0);
	CHECK_INT(unknown[0], 0);

	static const char *const ID_REVIEW[] = { "ID", "Review", "id" };
	CHECK_INT(colmap_build(&m, ID_REVIEW, 3, unknown), 1);
	CHECK_INT(unknown[2], 1);

	colmap_dirty(&m);
	CHECK_INT(colmap_build(&m, NULL, 0, NULL), 0);
	CHECK_INT(m.ncols, 0);
	int all_absent = 1;
	for (int c = 0; c < COL_COUNT; c++)
		all_absent &= m.at[c] == -1;
	CHECK(all_absent);

	/* no cells array, or NULL cells: nothing usable, every cell unknown */
	CHECK_INT(colmap_build(&m, NULL, 3, unknown), 0);
	CHECK_INT(m.ncols, 3);
	CHECK_INT(unknown[0] + unknown[1] + unknown[2], 3);
	const char *holes[] = { NULL, "RAG", NULL };
	CHECK_INT(colmap_build(&m, holes, 3, unknown), 1);
	CHECK_INT(unknown[0], 1);
	CHECK_INT(unknown[1], 0);
	CHECK_INT(unknown[2], 1);
	CHECK_INT(m.at[COL_RAG], 1);

	/* unknown may be NULL; m may be NULL */
	static const char *const ONE[] = { "Agency", "Agency" };
	CHECK_INT(colmap_build(&m, ONE, 2, NULL), 1);
	CHECK_INT(colmap_build(NULL, ONE, 2, unknown), 0);

	/* every canonical header once: all usable but ID */
	const char *all[COL_COUNT];
	int unk[COL_COUNT];
	for (int c = 0; c < COL_COUNT; c++)
		all[c] = colmap_name((enum col)c);
	CHECK_INT(colmap_build(&m, all, COL_COUNT, unk), COL_COUNT - 1);
	int in_place = 1;
	for (int c = 0; c < COL_COUNT; c++)
		in_place &= m.at[c] == c && unk[c] == 0;
	CHECK(in_place);

	/* a wide row of junk */
	enum { WIDE = 5000 };
	const char **wide = xcalloc(WIDE, sizeof *wide);
	int *wunk = xcalloc(WIDE, sizeof *wunk);
	for (int i = 0; i < WIDE; i++)
		wide[i] = i == WIDE - 1 ? "Action" : "junk";
	CHECK_INT(colmap_build(&m, wide, WIDE, wunk), 1);
	CHECK_INT(m.at[COL_ACTION], WIDE - 1);
	CHECK_INT(wunk[0], 1);
	CHECK_INT(wunk[WIDE - 1], 0);
	free(wide);
	free(wunk);
}

int main(void)
{
	test_lookup_canonical();
	test_lookup_synonyms();
	test_expected();
	test_build_real();
	test_build_repeats();
	test_build_edges();
	return check_report();
}
