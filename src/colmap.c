/* colmap: which column of a spreadsheet holds what, found by header name. */
#include "ragtrack/colmap.h"

#include <limits.h>
#include <string.h>

/* Longest normalised header worth comparing; longer ones name no column. */
#define HEADER_KEY_MAX 48

static const char *const COL_NAMES[COL_COUNT] = {
#define COL_NAME(id, name) [id] = name,
	COLUMNS(COL_NAME)
#undef COL_NAME
};

/* Headers as boards write them, normalised (lowercase letters and digits only, "&"
 * spelt "and"): "Agency Lead Person" is "agencyleadperson", "R.A.G." is "rag".
 * Learning points are left out on purpose: they are not questions to answer. */
static const struct {
	const char *key;
	enum col col;
} SYNONYMS[] = {
	{ "id",                        COL_ID },
	{ "review",                    COL_REVIEW },
	{ "reviewname",                COL_REVIEW },
	{ "casereview",                COL_REVIEW },
	{ "case",                      COL_REVIEW },
	{ "board",                     COL_BOARD },
	{ "boardname",                 COL_BOARD },
	{ "lscb",                      COL_BOARD },
	{ "lscp",                      COL_BOARD },
	{ "finding",                   COL_FINDING },
	{ "findings",                  COL_FINDING },
	{ "theme",                     COL_FINDING },
	{ "themes",                    COL_FINDING },
	{ "findingtheme",              COL_FINDING },
	{ "area",                      COL_FINDING },
	{ "question",                  COL_QUESTION },
	{ "questions",                 COL_QUESTION },
	{ "recommendation",            COL_QUESTION },
	{ "recommendations",           COL_QUESTION },
	{ "reviewquestion",            COL_QUESTION },
	{ "reviewquestions",           COL_QUESTION },
	{ "questionrecommendation",    COL_QUESTION },
	{ "agency",                    COL_AGENCY },
	{ "agencies",                  COL_AGENCY },
	{ "organisation",              COL_AGENCY },
	{ "organization",              COL_AGENCY },
	{ "partneragency",             COL_AGENCY },
	{ "service",                   COL_AGENCY },
	{ "response",                  COL_RESPONSE },
	{ "responses",                 COL_RESPONSE },
	{ "agencyresponse",            COL_RESPONSE },
	{ "action",                    COL_ACTION },
	{ "actions",                   COL_ACTION },
	{ "actiontaken",               COL_ACTION },
	{ "actionstaken",              COL_ACTION },
	{ "agreedaction",              COL_ACTION },
	{ "agreedactions",             COL_ACTION },
	{ "rag",                       COL_RAG },
	{ "status",                    COL_RAG },
	{ "ragrating",                 COL_RAG },
	{ "ragstatus",                 COL_RAG },
	{ "rating",                    COL_RAG },
	{ "targetdate",                COL_TARGET },
	{ "targetdates",               COL_TARGET },
	{ "target",                    COL_TARGET },
	{ "timescale",                 COL_TARGET },
	{ "timescales",                COL_TARGET },
	{ "deadline",                  COL_TARGET },
	{ "duedate",                   COL_TARGET },
	{ "bywhen",                    COL_TARGET },
	{ "targetdateevidence",        COL_TARGET_EVIDENCE },
	{ "targetdateandevidence",     COL_TARGET_EVIDENCE },
	{ "evidenceoutcome",           COL_EVIDENCE },
	{ "evidenceandoutcome",        COL_EVIDENCE },
	{ "evidence",                  COL_EVIDENCE },
	{ "outcome",                   COL_EVIDENCE },
	{ "evidenceofprogress",        COL_EVIDENCE },
	{ "progress",                  COL_EVIDENCE },
	{ "progressupdate",            COL_EVIDENCE },
	{ "update",                    COL_EVIDENCE },
	{ "evidenceofimpact",          COL_EVIDENCE },
	{ "leadperson",                COL_LEAD },
	{ "agencyleadperson",          COL_LEAD },
	{ "lead",                      COL_LEAD },
	{ "leadofficer",               COL_LEAD },
	{ "responsibleofficer",        COL_LEAD },
	{ "responsibleperson",         COL_LEAD },
	{ "owner",                     COL_LEAD },
	{ "actionowner",               COL_LEAD },
	{ "constraintsproblems",       COL_CONSTRAINTS },
	{ "constraintsandproblems",    COL_CONSTRAINTS },
	{ "constraints",               COL_CONSTRAINTS },
	{ "problems",                  COL_CONSTRAINTS },
	{ "barriers",                  COL_CONSTRAINTS },
	{ "desiredoutcome",            COL_DESIRED },
	{ "desiredoutcomes",           COL_DESIRED },
};

/* The header as SYNONYMS spells it; 0 when it is too long to be one. */
static int colmap_key(const char *header, char key[HEADER_KEY_MAX + 1])
{
	size_t n = 0;
	for (const char *p = header; *p; p++) {
		char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		size_t len = alnum ? 1 : c == '&' ? 3 : 0;
		if (n + len > HEADER_KEY_MAX)
			return 0;
		memcpy(key + n, alnum ? &c : "and", len);
		n += len;
	}
	key[n] = '\0';
	return 1;
}

enum col colmap_lookup(const char *header)
{
	char key[HEADER_KEY_MAX + 1];
	if (!header || !colmap_key(header, key) || !key[0])
		return COL_UNKNOWN;
	for (size_t i = 0; i < sizeof SYNONYMS / sizeof SYNONYMS[0]; i++)
		if (strcmp(key, SYNONYMS[i].key) == 0)
			return SYNONYMS[i].col;
	return COL_UNKNOWN;
}

const char *colmap_name(enum col c)
{
	return (int)c >= 0 && c < COL_COUNT ? COL_NAMES[c] : "";
}

const char *colmap_expected(void)
{
	return "ID, Review (Case Review), Board (LSCB), Finding (Theme, Area), "
	       "Question (Questions, Recommendation), Agency (Organisation, Service), "
	       "Response (Agency Response), Action (Actions, Actions Taken), RAG (Status, Rating), "
	       "Target Date (Timescale, Deadline, Due Date, By When), "
	       "Evidence/Outcome (Evidence, Progress, Update), "
	       "Lead Person (Agency Lead Person, Lead Officer, Owner), "
	       "Constraints/Problems (Barriers), Desired Outcome, Target Date/Evidence";
}

int colmap_build(struct colmap *m, const char *const *cells, size_t ncells, int *unknown)
{
	int usable = 0;
	if (!m)
		return 0;
	for (int c = 0; c < COL_COUNT; c++)
		m->at[c] = -1;
	m->ncols = ncells;
	for (size_t i = 0; i < ncells; i++) {
		enum col c = cells && i < INT_MAX ? colmap_lookup(cells[i]) : COL_UNKNOWN;
		int fresh = c != COL_UNKNOWN && m->at[c] < 0;
		if (fresh) {
			m->at[c] = (int)i;
			usable += c != COL_ID;
		}
		if (unknown)
			unknown[i] = !fresh;
	}
	return usable;
}
