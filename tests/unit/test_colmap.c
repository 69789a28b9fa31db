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
		{ "Comments", COL_UNKNOWN }, { "Notes", COL_UNKNOWN }, { "\xff\xfe", COL_UNKNOWN },
		/* read by their words now: plurals, footnote digits, a bare Date, a Ref column */
		{ "RAGs", COL_RAG }, { "Agency2", COL_AGENCY }, { "Date", COL_TARGET }, { "Ref", COL_REF },
		{ "\x1b[31mRAG", COL_UNKNOWN },
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

/* Headers as published action plans write them, with the field each must land in.
 * Sources: KMPT "Mr S homicide action plan" (kmpt.nhs.uk, NHS England / Niche review,
 * 2020); ELFT "Independent Investigation - Action Plan Mr X and Mr Y" (NHS England
 * homicide investigation, 2016: its header and its prompt row); the Home Office DHR
 * multi-agency statutory guidance's action plan template; the forms issue 12 lists from
 * NHS trust, LSCB, DHR, serious-incident and council improvement plans; the Thurrock and
 * North East Lincolnshire plans in data/; and headers common to LSCB/LSCP review
 * progress tables and safeguarding adults board plans (RAG Status, Lead Officer,
 * Measure of success ...). */
static const struct {
	const char *header;
	enum col col;
} REAL[] = {
	/* KMPT Mr S homicide action plan */
	{ "Issues identified", COL_FINDING }, { "Actions to be taken", COL_ACTION },
	{ "Person responsible", COL_LEAD }, { "Target completion date", COL_TARGET },
	{ "Evidence to be probed", COL_EXTRA }, { "Progress to date", COL_EVIDENCE },
	/* ELFT Mr X and Mr Y: header row, then the template's prompt row */
	{ "Service", COL_AGENCY }, { "Action", COL_ACTION }, { "Evidence", COL_EVIDENCE },
	{ "Lead/Ownership", COL_LEAD }, { "Target Date", COL_TARGET },
	{ "Add provider or commissioner and recommendation number", COL_EXTRA },
	{ "Additional action required", COL_EXTRA }, { "Evidence and assurance", COL_EVIDENCE },
	{ "Roles no names", COL_EXTRA }, { "Realistic target date", COL_TARGET },
	/* Home Office DHR action plan template */
	{ "Recommendation", COL_QUESTION },
	{ "Scope of recommendation i.e. local or regional", COL_EXTRA },
	{ "Action to take", COL_ACTION }, { "Lead Agency", COL_AGENCY },
	{ "Key milestones achieved in enacting recommendation", COL_EVIDENCE },
	{ "Date of completion and Outcome", COL_TARGET_EVIDENCE },
	/* issue 12's forms */
	{ "Action(s) agreed", COL_ACTION }, { "Key actions", COL_ACTION },
	{ "What will be done", COL_ACTION }, { "Responsible officer", COL_LEAD },
	{ "Owner", COL_LEAD }, { "Named lead", COL_LEAD }, { "Lead organisation", COL_AGENCY },
	{ "Partner", COL_AGENCY }, { "Completion date", COL_TARGET }, { "Due by", COL_TARGET },
	{ "Timescale for completion", COL_TARGET }, { "Latest update", COL_EVIDENCE },
	{ "Progress update", COL_EVIDENCE }, { "Evidence of completion", COL_EVIDENCE },
	{ "Update", COL_EVIDENCE }, { "Current status", COL_RAG }, { "RAG rating", COL_RAG },
	{ "Status", COL_RAG }, { "Rec. No.", COL_REF }, { "No.", COL_REF },
	{ "RECOMMENDATIONS", COL_QUESTION },
	/* data/ (Thurrock Megan and Julia, Child L, Family Y, priorities) */
	{ "Questions", COL_QUESTION }, { "Actions", COL_ACTION }, { "RAG", COL_RAG },
	{ "Evidence/Outcome", COL_EVIDENCE }, { "Agency Lead Person", COL_LEAD },
	{ "Finding", COL_FINDING }, { "Response", COL_RESPONSE },
	{ "Constraints/Problems", COL_CONSTRAINTS }, { "Target Date/Evidence", COL_TARGET_EVIDENCE },
	{ "Lead Person", COL_LEAD }, { "Desired Outcome", COL_DESIRED }, { "Theme", COL_FINDING },
	{ "Review", COL_REVIEW },
	/* LSCB/LSCP progress tables and SAB plans */
	{ "Recommendation No.", COL_REF }, { "Lead Officer", COL_LEAD }, { "Timescale", COL_TARGET },
	{ "RAG Status", COL_RAG }, { "Evidence of impact", COL_EVIDENCE },
	{ "Outcome / Impact", COL_EVIDENCE }, { "Measure of success", COL_DESIRED },
	{ "Success criteria", COL_DESIRED }, { "By whom", COL_LEAD }, { "By when", COL_TARGET },
	{ "Expected outcome", COL_DESIRED }, { "Progress RAG", COL_RAG }, { "BRAG", COL_RAG },
	{ "Risks / Issues", COL_CONSTRAINTS }, { "Single agency actions", COL_ACTION },
	{ "Single agency or multi-agency", COL_EXTRA }, { "Progress/Update (please date)", COL_EVIDENCE },
	{ "Agency response to recommendation", COL_RESPONSE }, { "Learning point", COL_EXTRA },
	{ "Comments", COL_EXTRA },
};

static void test_real_headers(void)
{
	size_t n = N_OF(REAL);
	CHECK(n >= 60);
	for (size_t i = 0; i < n; i++) {
		enum col want = REAL[i].col == COL_EXTRA ? COL_UNKNOWN : REAL[i].col;
		enum col got = colmap_lookup(REAL[i].header);
		if (got != want)
			fprintf(stderr, "colmap_lookup(\"%s\") = %s, want %s\n", REAL[i].header, colmap_name(got), colmap_name(want));
		CHECK_INT(got, want);
	}
}

/* Footnote marks, line breaks and case are not part of a header's meaning. */
static void test_marks(void)
{
	CHECK_INT(colmap_lookup("Lead Agency[1]"), COL_AGENCY);
	CHECK_INT(colmap_lookup("Status*"), COL_RAG);
	CHECK_INT(colmap_lookup("Target\ndate"), COL_TARGET);
	CHECK_INT(colmap_lookup("Person\r\nresponsible"), COL_LEAD);
	CHECK_INT(colmap_lookup("PERSON RESPONSIBLE"), COL_LEAD);
	CHECK_INT(colmap_lookup("Timescale\xc2\xb9"), COL_TARGET);          /* superscript one */
	CHECK_INT(colmap_lookup("Action (s) agreed [a]"), COL_ACTION);
	CHECK_INT(colmap_lookup("Ref #"), COL_REF);
	CHECK_INT(colmap_lookup("#"), COL_REF);
	/* the noun decides between a person and an organisation */
	CHECK_INT(colmap_lookup("Agency lead"), COL_LEAD);
	CHECK_INT(colmap_lookup("Lead agency"), COL_AGENCY);
	CHECK_INT(colmap_lookup("Responsible agency"), COL_AGENCY);
	/* "to date" is not a date; a ref with another field's word is no ref */
	CHECK_INT(colmap_lookup("Progress to date"), COL_EVIDENCE);
	CHECK_INT(colmap_lookup("Action No."), COL_UNKNOWN);
	/* how */
	enum colmap_how how = COLMAP_USER;
	CHECK_INT(colmap_classify("Agency Lead Person", &how), COL_LEAD);
	CHECK_INT(how, COLMAP_NAME);
	CHECK_INT(colmap_classify("Person responsible", &how), COL_LEAD);
	CHECK_INT(how, COLMAP_WORDS);
	CHECK_INT(colmap_classify("Budget", &how), COL_UNKNOWN);
	CHECK_INT(how, COLMAP_NONE);
	CHECK_INT(colmap_classify(NULL, &how), COL_UNKNOWN);
	/* a sentence is not a header */
	CHECK_INT(colmap_lookup("action action action action action action action action action action action action "
	                        "action action action action action"), COL_UNKNOWN);
}

static void test_suggest(void)
{
	CHECK_INT(colmap_suggest("Agnecy"), COL_AGENCY);
	CHECK_INT(colmap_suggest("Actons"), COL_ACTION);
	CHECK_INT(colmap_suggest("RGA"), COL_RAG);
	CHECK_INT(colmap_suggest("Traget Date"), COL_TARGET);
	CHECK_INT(colmap_suggest("Evidnce"), COL_EVIDENCE);
	CHECK_INT(colmap_suggest("Budget"), COL_UNKNOWN);
	CHECK_INT(colmap_suggest("x"), COL_UNKNOWN);
	CHECK_INT(colmap_suggest(NULL), COL_UNKNOWN);
	CHECK_INT(colmap_field_named("lead person"), COL_LEAD);
	CHECK_INT(colmap_field_named("Target Date/Evidence"), COL_TARGET_EVIDENCE);
	CHECK_INT(colmap_field_named("extra"), COL_EXTRA);
	CHECK_INT(colmap_field_named("SKIP"), COL_SKIP);
	CHECK_INT(colmap_field_named("Ref"), COL_REF);
	CHECK_INT(colmap_field_named("Nonsense"), COL_UNKNOWN);
	CHECK_STR(colmap_name(COL_EXTRA), "extra field");
	CHECK_STR(colmap_name(COL_SKIP), "skipped");
	CHECK(colmap_one_value(COL_RAG) && colmap_one_value(COL_AGENCY) && colmap_one_value(COL_ID));
	CHECK(!colmap_one_value(COL_ACTION) && !colmap_one_value(COL_EVIDENCE));
}

static void test_build_real(void)
{
	/* the KMPT plan's header, as in the issue's example */
	static const char *const KMPT[] = {
		"Issues identified", "Actions to be taken", "Person responsible", "Target completion date",
		"Evidence to be probed", "Progress to date",
	};
	struct colmap m;
	CHECK_INT(colmap_build(&m, KMPT, N_OF(KMPT), NULL, 0), 5);
	CHECK_INT(m.ncols, 6);
	CHECK_INT(m.at[COL_FINDING], 0);
	CHECK_INT(m.at[COL_ACTION], 1);
	CHECK_INT(m.at[COL_LEAD], 2);
	CHECK_INT(m.at[COL_TARGET], 3);
	CHECK_INT(m.at[COL_EVIDENCE], 5);
	CHECK_INT(m.cols[4].col, COL_EXTRA);
	CHECK_INT(m.cols[4].how, COLMAP_NONE);
	CHECK_STR(m.cols[4].header, "Evidence to be probed");
	CHECK_INT(m.cols[2].how, COLMAP_WORDS);
	CHECK_INT(m.placed, 5);
	CHECK_INT(m.unplaced, 1);
	CHECK_INT(m.at[COL_AGENCY], -1);
	colmap_clear(&m);
	CHECK(m.cols == NULL);
}

static void test_build_repeats(void)
{
	struct colmap m;
	/* a one-value field twice: both feed it, the importer checks they agree */
	static const char *const TWO_AGENCIES[] = { "Agency", "Action", "Agency" };
	CHECK_INT(colmap_build(&m, TWO_AGENCIES, 3, NULL, 0), 2);
	CHECK_INT(m.at[COL_AGENCY], 0);
	CHECK_INT(m.cols[2].col, COL_AGENCY);
	CHECK_INT(m.cols[2].how, COLMAP_REPEAT);
	CHECK_INT(m.cols[2].same_as, 0);
	CHECK(!colmap_is_extra(&m, 2));
	colmap_clear(&m);

	/* a text field twice: the first is the field, the rest extra fields */
	static const char *const EVID[] = { "Action", "Evidence", "Progress", "Actions" };
	CHECK_INT(colmap_build(&m, EVID, 4, NULL, 0), 2);
	CHECK_INT(m.at[COL_EVIDENCE], 1);
	CHECK_INT(m.cols[2].col, COL_EXTRA);
	CHECK_INT(m.cols[2].read_as, COL_EVIDENCE);
	CHECK_INT(m.cols[2].how, COLMAP_REPEAT);
	CHECK_INT(m.cols[3].col, COL_EXTRA);
	CHECK_INT(m.cols[3].same_as, 0);
	CHECK(!colmap_is_extra(&m, 0) && !colmap_is_extra(&m, 1));
	CHECK(colmap_is_extra(&m, 2) && colmap_is_extra(&m, 3));
	CHECK(!colmap_is_extra(&m, 4) && !colmap_is_extra(NULL, 0));
	CHECK_INT(m.placed, 4);
	CHECK_INT(m.unplaced, 0);
	colmap_clear(&m);

	/* blanks and misspellings: hints, and blank headers count for nothing */
	static const char *const MISSPELT[] = { "Agnecy", "Actons", "", "RGA", "Traget Date", "Questions" };
	CHECK_INT(colmap_build(&m, MISSPELT, 6, NULL, 0), 1);
	CHECK_INT(m.unplaced, 4);
	CHECK_INT(m.placed, 1);
	CHECK_INT(m.cols[0].hint, COL_AGENCY);
	CHECK_INT(m.cols[3].hint, COL_RAG);
	CHECK_INT(m.cols[2].col, COL_EXTRA);
	CHECK_INT(m.cols[2].hint, COL_UNKNOWN);
	colmap_clear(&m);
}

static void test_build_overrides(void)
{
	struct colmap m;
	static const char *const H[] = { "Agnecy", "Actons", "Status", "Status", "Budget" };
	const struct colmap_override ov[] = {
		{ "agnecy", COL_AGENCY }, { "ACTONS", COL_ACTION }, { "#4", COL_EXTRA }, { "Budget", COL_SKIP },
	};
	CHECK_INT(colmap_build(&m, H, 5, ov, N_OF(ov)), 3);
	CHECK_INT(m.at[COL_AGENCY], 0);
	CHECK_INT(m.at[COL_ACTION], 1);
	CHECK_INT(m.at[COL_RAG], 2);
	CHECK_INT(m.cols[0].how, COLMAP_USER);
	CHECK_INT(m.cols[3].col, COL_EXTRA);
	CHECK_INT(m.cols[3].how, COLMAP_USER);
	CHECK_INT(m.cols[4].col, COL_SKIP);
	CHECK(colmap_is_extra(&m, 3) && !colmap_is_extra(&m, 4));
	CHECK_INT(m.placed, 5);
	CHECK_INT(m.unplaced, 0);
	CHECK_INT(m.overrides_unused, 0);
	CHECK_INT(m.first_unused, -1);
	colmap_clear(&m);

	/* "#N" past the row, or not a number, names no column */
	const struct colmap_override odd[] = { { "#9", COL_ACTION }, { "#x", COL_ACTION } };
	CHECK_INT(colmap_build(&m, H, 5, odd, 2), 1);
	CHECK_INT(m.at[COL_ACTION], -1);
	CHECK_INT(m.overrides_unused, 2);
	CHECK_INT(m.first_unused, 0);
	colmap_clear(&m);
}

static void test_build_edges(void)
{
	struct colmap m;
	CHECK_INT(colmap_build(&m, NULL, 0, NULL, 0), 0);
	CHECK_INT(m.ncols, 0);
	int all_absent = 1;
	for (int c = 0; c < COL_COUNT; c++)
		all_absent &= m.at[c] == -1;
	CHECK(all_absent);
	colmap_clear(&m);

	/* no cells array, or NULL cells: every column extra, none counted */
	CHECK_INT(colmap_build(&m, NULL, 3, NULL, 0), 0);
	CHECK_INT(m.ncols, 3);
	CHECK_INT(m.cols[1].col, COL_EXTRA);
	CHECK_STR(m.cols[1].header, "");
	CHECK_INT(m.placed + m.unplaced, 0);
	colmap_clear(&m);
	const char *holes[] = { NULL, "RAG", NULL };
	CHECK_INT(colmap_build(&m, holes, 3, NULL, 0), 1);
	CHECK_INT(m.at[COL_RAG], 1);
	colmap_clear(&m);
	CHECK_INT(colmap_build(NULL, holes, 3, NULL, 0), 0);
	colmap_clear(NULL);

	/* every canonical header once: each in place */
	const char *all[COL_COUNT];
	for (int c = 0; c < COL_COUNT; c++)
		all[c] = colmap_name((enum col)c);
	CHECK_INT(colmap_build(&m, all, COL_COUNT, NULL, 0), COL_COUNT);
	int in_place = 1;
	for (int c = 0; c < COL_COUNT; c++)
		in_place &= m.at[c] == c && m.cols[c].col == c;
	CHECK(in_place);
	colmap_clear(&m);

	/* a wide row of junk */
	enum { WIDE = 5000 };
	const char **wide = xcalloc(WIDE, sizeof *wide);
	for (int i = 0; i < WIDE; i++)
		wide[i] = i == WIDE - 1 ? "Action" : "junk";
	CHECK_INT(colmap_build(&m, wide, WIDE, NULL, 0), 1);
	CHECK_INT(m.at[COL_ACTION], WIDE - 1);
	CHECK_INT(m.unplaced, WIDE - 1);
	colmap_clear(&m);
	free(wide);
}

int main(void)
{
	test_lookup_canonical();
	test_lookup_synonyms();
	test_expected();
	test_real_headers();
	test_marks();
	test_suggest();
	test_build_real();
	test_build_repeats();
	test_build_overrides();
	test_build_edges();
	return check_report();
}
