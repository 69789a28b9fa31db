/* colmap: which column of a spreadsheet holds what, read from its header's words.
 *
 * Two readings, in order: the whole header against the headers boards are known to
 * write (SYNONYMS, compared with case, spacing and punctuation removed), then its
 * words: each word has a class (WORDS), and a few rules over the classes present
 * decide the field (classify_words).  A header with as many unknown words as known
 * ones names nothing: "Evidence to be probed" is not the evidence, and a wrong field
 * is worse than an extra one, which keeps the cells under their own header. */
#include "ragtrack/colmap.h"
#include "ragtrack/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Longest normalised header worth comparing; longer ones name no column. */
#define HEADER_KEY_MAX 48
#define WORDS_MAX 16     /* a header of more words is a sentence, not a name */
#define WORD_MAX 24

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

/* ---- words ------------------------------------------------------------------------- */

enum word_class {
	WC_UNKNOWN = 0, WC_STOP, WC_NEUTRAL,
	WC_REF, WC_QUESTION, WC_ACTION, WC_RAG, WC_STATUS, WC_DATE, WC_COMPLETION,
	WC_EVIDENCE, WC_UPDATE, WC_LEAD, WC_AGENCY, WC_RESPONSE, WC_FINDING, WC_CONSTRAINT,
	WC_DESIRED, WC_REVIEW, WC_BOARD, WC_COUNT
};

/* Words after folding (lowercase, plural "s"/"ies" dropped, "to date" is not a date).
 * WC_STOP and WC_NEUTRAL words neither name a field nor count against one: "Key
 * actions", "Named lead", "Actions to be taken". */
static const struct {
	const char *word;
	enum word_class wc;
} WORDS[] = {
	{ "a", WC_STOP }, { "an", WC_STOP }, { "the", WC_STOP }, { "of", WC_STOP },
	{ "to", WC_STOP }, { "be", WC_STOP }, { "by", WC_STOP }, { "for", WC_STOP },
	{ "in", WC_STOP }, { "on", WC_STOP }, { "and", WC_STOP }, { "or", WC_STOP },
	{ "with", WC_STOP }, { "will", WC_STOP }, { "what", WC_STOP }, { "is", WC_STOP },
	{ "are", WC_STOP }, { "been", WC_STOP }, { "this", WC_STOP }, { "that", WC_STOP },
	{ "from", WC_STOP }, { "at", WC_STOP }, { "as", WC_STOP }, { "it", WC_STOP },
	{ "its", WC_STOP }, { "their", WC_STOP }, { "our", WC_STOP }, { "we", WC_STOP },
	{ "against", WC_STOP }, { "any", WC_STOP }, { "ie", WC_STOP }, { "eg", WC_STOP },
	{ "etc", WC_STOP }, { "ha", WC_STOP }, { "have", WC_STOP }, { "how", WC_STOP },
	{ "which", WC_STOP }, { "per", WC_STOP }, { "up", WC_STOP }, { "all", WC_STOP },
	{ "each", WC_STOP }, { "so", WC_STOP }, { "far", WC_STOP }, { "please", WC_STOP },
	{ "key", WC_NEUTRAL }, { "agreed", WC_NEUTRAL }, { "current", WC_NEUTRAL },
	{ "latest", WC_NEUTRAL }, { "named", WC_NEUTRAL }, { "name", WC_NEUTRAL },
	{ "overall", WC_NEUTRAL }, { "planned", WC_NEUTRAL }, { "proposed", WC_NEUTRAL },
	{ "required", WC_NEUTRAL }, { "taken", WC_NEUTRAL }, { "take", WC_NEUTRAL },
	{ "identified", WC_NEUTRAL }, { "further", WC_NEUTRAL }, { "specific", WC_NEUTRAL },
	{ "main", WC_NEUTRAL }, { "detail", WC_NEUTRAL }, { "made", WC_NEUTRAL },
	{ "achieved", WC_NEUTRAL }, { "undertaken", WC_NEUTRAL }, { "improvement", WC_NEUTRAL },
	{ "development", WC_NEUTRAL }, { "revised", WC_NEUTRAL }, { "new", WC_NEUTRAL },
	{ "actual", WC_NEUTRAL },
	{ "individual", WC_NEUTRAL }, { "measure", WC_NEUTRAL }, { "criteria", WC_NEUTRAL },
	{ "indicator", WC_NEUTRAL }, { "brief", WC_NEUTRAL }, { "summary", WC_NEUTRAL },
	{ "ref", WC_REF }, { "reference", WC_REF }, { "no", WC_REF }, { "number", WC_REF },
	{ "num", WC_REF }, { "nr", WC_REF },
	{ "recommendation", WC_QUESTION }, { "rec", WC_QUESTION }, { "question", WC_QUESTION },
	{ "q", WC_QUESTION },
	{ "action", WC_ACTION }, { "task", WC_ACTION }, { "step", WC_ACTION },
	{ "activity", WC_ACTION }, { "done", WC_ACTION }, { "intervention", WC_ACTION },
	{ "rag", WC_RAG }, { "brag", WC_RAG }, { "rating", WC_RAG }, { "rated", WC_RAG },
	{ "status", WC_STATUS },
	{ "date", WC_DATE }, { "timescale", WC_DATE }, { "timeframe", WC_DATE },
	{ "deadline", WC_DATE }, { "due", WC_DATE }, { "when", WC_DATE }, { "target", WC_DATE },
	{ "timeline", WC_DATE },
	{ "completion", WC_COMPLETION }, { "completed", WC_COMPLETION },
	{ "evidence", WC_EVIDENCE }, { "outcome", WC_EVIDENCE }, { "progress", WC_EVIDENCE },
	{ "impact", WC_EVIDENCE }, { "assurance", WC_EVIDENCE }, { "milestone", WC_EVIDENCE },
	{ "update", WC_UPDATE }, { "updated", WC_UPDATE },
	{ "lead", WC_LEAD }, { "responsible", WC_LEAD }, { "responsibility", WC_LEAD },
	{ "owner", WC_LEAD }, { "ownership", WC_LEAD }, { "person", WC_LEAD },
	{ "officer", WC_LEAD }, { "who", WC_LEAD }, { "whom", WC_LEAD }, { "manager", WC_LEAD },
	{ "agency", WC_AGENCY }, { "organisation", WC_AGENCY }, { "organization", WC_AGENCY },
	{ "partner", WC_AGENCY }, { "service", WC_AGENCY }, { "body", WC_AGENCY },
	{ "provider", WC_AGENCY },
	{ "response", WC_RESPONSE }, { "reply", WC_RESPONSE },
	{ "finding", WC_FINDING }, { "theme", WC_FINDING }, { "issue", WC_FINDING },
	{ "area", WC_FINDING }, { "concern", WC_FINDING },
	{ "constraint", WC_CONSTRAINT }, { "problem", WC_CONSTRAINT }, { "barrier", WC_CONSTRAINT },
	{ "risk", WC_CONSTRAINT }, { "challenge", WC_CONSTRAINT },
	{ "desired", WC_DESIRED }, { "intended", WC_DESIRED }, { "sought", WC_DESIRED },
	{ "success", WC_DESIRED }, { "expected", WC_DESIRED },
	{ "review", WC_REVIEW }, { "case", WC_REVIEW },
	{ "board", WC_BOARD }, { "lscb", WC_BOARD }, { "lscp", WC_BOARD }, { "sab", WC_BOARD },
	{ "lsab", WC_BOARD },
};

static enum word_class word_class_of(const char *w)
{
	for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++)
		if (strcmp(w, WORDS[i].word) == 0)
			return WORDS[i].wc;
	return WC_UNKNOWN;
}

/* Plural to singular, as far as headers need: "agencies", "actions", "timescales";
 * "status", "progress", "ha(s)" stay (or are listed as folded). */
static void word_fold(char *w)
{
	size_t n = strlen(w);
	if (n > 4 && strcmp(w + n - 3, "ies") == 0)
		strcpy(w + n - 3, "y");
	else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
		w[n - 1] = '\0';
	else if (n == 3 && strcmp(w, "has") == 0)
		w[2] = '\0';
}

struct header_words {
	char w[WORDS_MAX][WORD_MAX + 1];
	int n;
	int too_long;
};

static int is_alpha(int c) { return c >= 'a' && c <= 'z'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Split a header into lowercase words: letters and digits part ("Agency2"), footnote
 * marks ("[1]", "*", superscripts: any byte outside ASCII) and lone digits go, a run
 * of single letters is one word ("R.A.G.", "i.e."), a lone letter after a word is a
 * plural mark ("Action(s)"), "#" is "number". */
static void header_split(const char *h, struct header_words *hw)
{
	char raw[WORDS_MAX * 2][WORD_MAX + 1];
	int nraw = 0;
	memset(hw, 0, sizeof *hw);
	for (const char *p = h; *p;) {
		char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
		if (c == '[') {                      /* footnote mark: "[1]", "[a]" */
			const char *close = strchr(p, ']');
			if (close && close - p <= 4) {
				p = close + 1;
				continue;
			}
		}
		if (c == '#' || is_alpha(c) || is_digit(c)) {
			if (nraw == WORDS_MAX * 2) {
				hw->too_long = 1;
				return;
			}
			size_t n = 0;
			if (c == '#') {
				strcpy(raw[nraw], "number");
				p++;
			} else {
				int digits = is_digit(c);
				while (*p) {
					char d = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
					if (digits ? !is_digit(d) : !is_alpha(d))
						break;
					if (n < WORD_MAX)
						raw[nraw][n++] = d;
					else
						hw->too_long = 1;
					p++;
				}
				raw[nraw][n] = '\0';
				if (digits)
					continue;            /* footnote numbers, "Agency2" */
			}
			nraw++;
			continue;
		}
		p++;
	}
	for (int i = 0; i < nraw; i++) {
		char joined[WORD_MAX + 1];
		size_t n = 0;
		int j = i;
		while (j < nraw && raw[j][1] == '\0' && n < WORD_MAX)
			joined[n++] = raw[j++][0];
		if (n >= 2) {                           /* "r a g" -> "rag" */
			joined[n] = '\0';
			i = j - 1;
		} else if (n == 1 && raw[i][0] != 'q') {
			continue;                           /* "(s)", a stray letter */
		} else {
			strcpy(joined, raw[i]);
		}
		if (hw->n == WORDS_MAX) {
			hw->too_long = 1;
			return;
		}
		word_fold(joined);
		strcpy(hw->w[hw->n++], joined);
	}
}

/* The field the classes present name; see the file comment. */
static enum col classify_words(const struct header_words *hw)
{
	int has[WC_COUNT] = {0}, known = 0, unknown = 0;
	enum word_class head = WC_UNKNOWN;      /* the last lead or agency word: the noun */
	for (int i = 0; i < hw->n; i++) {
		enum word_class wc = word_class_of(hw->w[i]);
		if (wc == WC_DATE && strcmp(hw->w[i], "date") == 0 && i > 0 && strcmp(hw->w[i - 1], "to") == 0)
			wc = WC_NEUTRAL;                 /* "Progress to date" */
		if (wc == WC_DATE && i > 0 && strcmp(hw->w[i - 1], "please") == 0)
			wc = WC_NEUTRAL;                 /* "Update (please date)": an instruction */
		if (wc == WC_UNKNOWN)
			unknown++;
		else if (wc > WC_NEUTRAL) {
			known++;
			has[wc]++;
			if (wc == WC_LEAD || wc == WC_AGENCY)
				head = wc;
		}
	}
	if (!known || unknown >= known || hw->too_long)
		return COL_UNKNOWN;
	int evidence = has[WC_EVIDENCE] || has[WC_UPDATE];
	if (has[WC_REF])
		return known == has[WC_REF] + has[WC_QUESTION] ? COL_REF : COL_UNKNOWN;
	if (has[WC_RAG])
		return COL_RAG;
	if (has[WC_STATUS])
		return has[WC_UPDATE] ? COL_EVIDENCE : COL_RAG;
	if (has[WC_DESIRED])
		return COL_DESIRED;
	if (has[WC_DATE] && evidence)
		return COL_TARGET_EVIDENCE;
	if (evidence)
		return COL_EVIDENCE;
	if (has[WC_DATE] || has[WC_COMPLETION])
		return COL_TARGET;
	if (has[WC_RESPONSE])
		return COL_RESPONSE;
	if (has[WC_ACTION])
		return COL_ACTION;
	if (head != WC_UNKNOWN)
		return head == WC_LEAD ? COL_LEAD : COL_AGENCY;
	static const struct { enum word_class wc; enum col col; } REST[] = {
		{ WC_QUESTION, COL_QUESTION }, { WC_CONSTRAINT, COL_CONSTRAINTS }, { WC_FINDING, COL_FINDING }, { WC_REVIEW, COL_REVIEW }, { WC_BOARD, COL_BOARD },
	};
	for (size_t i = 0; i < sizeof REST / sizeof REST[0]; i++)
		if (has[REST[i].wc])
			return REST[i].col;
	return COL_UNKNOWN;
}

/* ---- whole headers ------------------------------------------------------------------ */

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

static enum col synonym_of(const char *key)
{
	for (size_t i = 0; i < sizeof SYNONYMS / sizeof SYNONYMS[0]; i++)
		if (strcmp(key, SYNONYMS[i].key) == 0)
			return SYNONYMS[i].col;
	return COL_UNKNOWN;
}

enum col colmap_classify(const char *header, enum colmap_how *how)
{
	char key[HEADER_KEY_MAX + 1];
	enum col c = COL_UNKNOWN;
	enum colmap_how h = COLMAP_NONE;
	if (header && colmap_key(header, key) && key[0] && (c = synonym_of(key)) != COL_UNKNOWN)
		h = COLMAP_NAME;
	else if (header) {
		struct header_words hw;
		header_split(header, &hw);
		c = classify_words(&hw);
		h = c == COL_UNKNOWN ? COLMAP_NONE : COLMAP_WORDS;
	}
	if (how)
		*how = h;
	return c;
}

enum col colmap_lookup(const char *header)
{
	return colmap_classify(header, NULL);
}

/* Optimal string alignment distance (adjacent swaps cost 1: "Agnecy"), capped. */
static int spelling_distance(const char *a, const char *b, int cap)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > HEADER_KEY_MAX || m > HEADER_KEY_MAX || (n > m ? n - m : m - n) > (size_t)cap)
		return cap + 1;
	int d[HEADER_KEY_MAX + 1][HEADER_KEY_MAX + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

enum col colmap_suggest(const char *header)
{
	char key[HEADER_KEY_MAX + 1];
	if (!header || !colmap_key(header, key) || strlen(key) < 2)
		return COL_UNKNOWN;
	int cap = strlen(key) <= 5 ? 1 : 2, best = cap + 1;
	enum col found = COL_UNKNOWN;
	for (size_t i = 0; i < sizeof SYNONYMS / sizeof SYNONYMS[0]; i++) {
		int d = spelling_distance(key, SYNONYMS[i].key, cap);
		if (d < best) {
			best = d;
			found = SYNONYMS[i].col;
		}
	}
	return found;
}

enum col colmap_field_named(const char *name)
{
	char key[HEADER_KEY_MAX + 1], want[HEADER_KEY_MAX + 1];
	if (!name || !colmap_key(name, key) || !key[0])
		return COL_UNKNOWN;
	if (strcmp(key, "extra") == 0 || strcmp(key, "extrafield") == 0)
		return COL_EXTRA;
	if (strcmp(key, "skip") == 0)
		return COL_SKIP;
	for (int c = 0; c < COL_COUNT; c++)
		if (colmap_key(COL_NAMES[c], want) && strcmp(key, want) == 0)
			return (enum col)c;
	return synonym_of(key);
}

const char *colmap_name(enum col c)
{
	if (c == COL_EXTRA)
		return "extra field";
	if (c == COL_SKIP)
		return "skipped";
	return (int)c >= 0 && c < COL_COUNT ? COL_NAMES[c] : "";
}

const char *colmap_expected(void)
{
	return "ID, Review (Case Review), Board (LSCB), Finding (Theme, Issues identified), "
	       "Question (Recommendation), Ref (Rec. No., No.), Agency (Lead agency, Organisation, Partner, Service), "
	       "Response (Agency Response), Action (Actions agreed, Key actions, What will be done), "
	       "RAG (Status, RAG rating), Target Date (Timescale, Completion date, Due by, Date), "
	       "Evidence/Outcome (Evidence, Progress update, Latest update), "
	       "Lead Person (Lead officer, Person responsible, Owner), "
	       "Constraints/Problems (Barriers, Risks), Desired Outcome (Measure of success), Target Date/Evidence";
}

int colmap_one_value(enum col c)
{
	switch (c) {
	case COL_ID: case COL_REVIEW: case COL_BOARD: case COL_FINDING: case COL_QUESTION:
	case COL_REF: case COL_AGENCY: case COL_RAG: case COL_TARGET:
		return 1;
	default:
		return 0;
	}
}

/* ---- a header row -------------------------------------------------------------------- */

static int header_blank(const char *h)
{
	for (; h && *h; h++)
		if (*h != ' ' && *h != '\t' && *h != '\r' && *h != '\n')
			return 0;
	return 1;
}

/* The override for column i, or NULL: "#N" first, then the header by its key. */
static const struct colmap_override *override_for(const struct colmap_override *ov, size_t nov,
                                                  const char *header, size_t i)
{
	char key[HEADER_KEY_MAX + 1], want[HEADER_KEY_MAX + 1];
	int have_key = header && colmap_key(header, key) && key[0];
	for (size_t k = 0; k < nov; k++) {
		const char *h = ov[k].header;
		if (h && h[0] == '#' && h[1]) {
			char *end;
			long n = strtol(h + 1, &end, 10);
			if (!*end && n >= 1 && (size_t)n == i + 1)
				return &ov[k];
			if (!*end)
				continue;
		}
		if (have_key && h && colmap_key(h, want) && strcmp(key, want) == 0)
			return &ov[k];
	}
	return NULL;
}

static void column_place(struct colmap *m, size_t i, enum col c, enum colmap_how how)
{
	struct colmap_column *col = &m->cols[i];
	col->read_as = c < 0 ? COL_UNKNOWN : c;
	col->how = how;
	if (c < 0) {
		col->col = c == COL_SKIP ? COL_SKIP : COL_EXTRA;
		return;
	}
	if (m->at[c] < 0) {
		m->at[c] = (int)i;
		col->col = c;
		return;
	}
	col->same_as = m->at[c];       /* a second column of one field */
	col->how = COLMAP_REPEAT;
	col->col = colmap_one_value(c) ? c : COL_EXTRA;
}

int colmap_build(struct colmap *m, const char *const *cells, size_t ncells,
                 const struct colmap_override *ov, size_t nov)
{
	if (!m)
		return 0;
	for (int c = 0; c < COL_COUNT; c++)
		m->at[c] = -1;
	m->ncols = ncells;
	m->cols = ncells ? xcalloc(ncells, sizeof *m->cols) : NULL;
	m->placed = m->unplaced = 0;
	unsigned char *used = nov ? xcalloc(nov, 1) : NULL;
	int fields = 0;
	for (size_t i = 0; i < ncells; i++) {
		const char *h = cells && i < INT_MAX ? cells[i] : NULL;
		m->cols[i] = (struct colmap_column){ xstrdup(h ? h : ""), COL_EXTRA, COL_UNKNOWN, COLMAP_NONE, -1,
		                                     COL_UNKNOWN };
		const struct colmap_override *o = override_for(ov, nov, h, i);
		enum colmap_how how;
		enum col c = o ? o->col : colmap_classify(h, &how);
		if (o) {
			how = COLMAP_USER;
			used[o - ov] = 1;
		}
		if (c == COL_UNKNOWN && !header_blank(h))
			m->cols[i].hint = colmap_suggest(h);
		column_place(m, i, c == COL_UNKNOWN ? COL_EXTRA : c, c == COL_UNKNOWN ? COLMAP_NONE : how);
		if (!header_blank(h) || o) {
			if (m->cols[i].how == COLMAP_NONE)
				m->unplaced++;
			else
				m->placed++;
		}
		fields += m->cols[i].col >= 0 && m->cols[i].how != COLMAP_REPEAT;
	}
	m->overrides_unused = 0;
	m->first_unused = -1;
	for (size_t k = 0; k < nov; k++)
		if (!used[k] && !m->overrides_unused++)
			m->first_unused = (int)k;
	free(used);
	return fields;
}

int colmap_is_extra(const struct colmap *m, size_t i)
{
	return m && m->cols && i < m->ncols && m->cols[i].col == COL_EXTRA;
}

void colmap_clear(struct colmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; m->cols && i < m->ncols; i++)
		free(m->cols[i].header);
	free(m->cols);
	m->cols = NULL;
	m->ncols = 0;
	for (int c = 0; c < COL_COUNT; c++)
		m->at[c] = -1;
}
