/* gen: a deterministic generator of realistic flat action plans for `make bench`.
 *
 *   bench/gen N SEED > plan.csv
 *
 * Writes an RFC 4180 CSV (CRLF between records, LF inside cells) with a header row and
 * exactly N action rows, shaped like the boards' own trackers (data/julia.csv,
 * data/megan.csv): reviews of about 2,000 actions, findings "Finding 3: ...", questions
 * "3b. How does the Board ...", each question answered by a dozen agencies with 1-4
 * actions each on continuation rows whose Finding/Question/Agency cells are blank
 * ("same as above").  RAG and target-date cells are written the dozen ways boards write
 * them; evidence is 1-3 paragraphs of safeguarding prose with embedded newlines, commas,
 * doubled quotes, curly quotes, en-dashes, <p> fragments and &amp;.  About 1,280 bytes a
 * row.  The word "Gillick" appears in about 0.1% of rows, for the full-text benchmarks.
 *
 * The same N and SEED give byte-identical output on every platform: one splitmix64
 * stream drives every choice, and nothing depends on the locale, the clock or the libc.
 * Depends on nothing but libc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_PER_REVIEW 2000
#define NAGENCIES 12
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- randomness ---------------------------------------------------------------------- */

static uint64_t rng_state;

/* splitmix64: tiny, fast, and fully specified, so output never depends on the libc. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); the modulo bias is irrelevant for n this small. */
static unsigned rnd(unsigned n)
{
	return (unsigned)((rng_next() >> 32) % n);
}

/* 1 with probability per/1000. */
static int chance(unsigned per_mille)
{
	return rnd(1000) < per_mille;
}

#define PICK(a) ((a)[rnd(COUNT(a))])

/* ---- output --------------------------------------------------------------------------- */

static char outbuf[1 << 20];
static size_t outlen;

static void out_flush(void)
{
	if (outlen && fwrite(outbuf, 1, outlen, stdout) != outlen) {
		perror("gen: write");
		exit(1);
	}
	outlen = 0;
}

static void out_bytes(const char *s, size_t n)
{
	if (outlen + n > sizeof outbuf)
		out_flush();
	if (n > sizeof outbuf) {
		if (fwrite(s, 1, n, stdout) != n) {
			perror("gen: write");
			exit(1);
		}
		return;
	}
	memcpy(outbuf + outlen, s, n);
	outlen += n;
}

/* One cell, quoted only when it must be (comma, quote, CR or LF), quotes doubled. */
static void out_cell(const char *s, size_t n, int last)
{
	if (strcspn(s, ",\"\r\n") < n) {
		out_bytes("\"", 1);
		const char *p = s, *end = s + n, *q;
		while ((q = memchr(p, '"', (size_t)(end - p))) != NULL) {
			out_bytes(p, (size_t)(q - p) + 1);
			out_bytes("\"", 1);
			p = q + 1;
		}
		out_bytes(p, (size_t)(end - p));
		out_bytes("\"", 1);
	} else {
		out_bytes(s, n);
	}
	out_bytes(last ? "\r\n" : ",", last ? 2 : 1);
}

/* ---- cell text ---------------------------------------------------------------------------- */

/* A growing string for one cell. */
struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = realloc(b->s, b->cap);
		if (!b->s) {
			fputs("gen: out of memory\n", stderr);
			exit(1);
		}
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_fmt_int(struct buf *b, const char *fmt, long v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, fmt, v);
	buf_add(b, tmp, (size_t)n);
}

static void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* ---- the banks -------------------------------------------------------------------------- */

static const char *const agencies[NAGENCIES] = {
	"Police", "Children's Social Care", "NELFT", "Thurrock CCG", "BTUH", "CAFCASS",
	"NPS", "CRC", "Education", "Probation", "Health Visiting", "Youth Offending Service",
};

/* The same agencies as they are named inside prose (sometimes abbreviated, sometimes with
 * a curly apostrophe). */
static const char *const agency_prose[] = {
	"Essex Police", "Children’s Social Care", "CSC", "NELFT", "the CCG", "BTUH", "CAFCASS",
	"the National Probation Service", "the CRC", "Education", "Health Visiting",
	"the Youth Offending Service", "the MASH", "Early Offer of Help", "School Nursing",
	"the LSCB", "Adult Social Care", "the Local Authority",
};

static const char *const review_kinds[] = { "Child", "Baby", "Family", "Young Person", "Sibling Group" };

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};

static const char *const topics[] = {
	"child sexual exploitation", "neglect", "domestic abuse", "parental mental health",
	"substance misuse", "missing episodes", "self-harm", "disguised compliance",
	"children missing education", "private fostering", "female genital mutilation",
	"online safety", "gang affiliation", "teenage relationship abuse", "escalation",
	"thresholds", "information sharing", "the voice of the child", "fabricated illness",
	"non-accidental injury in non-mobile babies", "resistant parenting", "chronologies",
};

static const char *const roles[] = {
	"Designated Nurse", "Named Nurse Safeguarding Children", "Head of Service",
	"Service Manager, MASH", "LSCB Business Manager", "Detective Inspector, CAIT",
	"Head of Safeguarding", "Senior Probation Officer", "Education Safeguarding Lead",
	"Designated Doctor", "Team Manager, Assessment", "Named GP", "YOS Manager",
	"Principal Social Worker", "Quality Assurance Manager",
};

static const char *const initials[] = {
	"AC", "JT", "NL", "MT", "RE", "MWT", "TG", "JH", "SK", "DB", "PW", "LM", "KO’D",
};

static const char *const people[] = {
	"Zoë Hamilton", "Siân Roberts", "Chloé Martin", "Bernadette O’Leary", "Ravi Patel",
	"Grażyna Nowak", "Alex Bamber", "Shirley Kennerson", "Tomás Byrne", "Anaïs Dubois",
	"Mehmet Yıldız", "Fiona McLeod",
};

static const char *const forums[] = {
	"the LSCB Training Group", "the SCR Sub Group", "the Performance and Quality Assurance Group",
	"the GP Safeguarding Leads Forum", "the Health Executive Forum", "the MASH Board",
	"the Countywide CSE Group", "the Learning and Improvement Group", "the Leadership Board",
	"the Safeguarding Partnership Executive", "the Missing and Exploited sub-group",
};

/* Evidence and response sentences.  Slots: %A agency, %T topic, %F forum, %R role,
 * %M month, %Y year (2014-2021), %D date 31.03.2016, %N number 2-99, %K "12 of 40",
 * %P percentage,
 * %I initials, %U person, %Q a quoted name with straight quotes ("champions"), %W a quoted
 * feeling ("confusing"),
 * %C a quoted phrase with curly quotes, %E a year range with an en-dash (2016–17),
 * %& an ampersand (&amp; in an HTML cell). */
static const char *const sentences[] = {
	"The Child Abuse Investigation Team complete a set of checks for each referral which are recorded on a check sheet and uploaded onto the Athena record.",
	"%A pass this information during strategy discussions and meetings to Children's Social Care and other attendees.",
	"A report was presented to %F in %M %Y on the impact and difference made as a result of the learning from the review.",
	"Four interagency practice forums were held in %M %Y where the key findings were shared with managers and practitioners, and awareness of %T was raised.",
	"The event evaluated positively, with %P of practitioners reporting an immediate impact on their practice.",
	"An audit of %N cases completed in %M %Y found that %T was identified at the point of referral in %P of them.",
	"%A have delivered %Q training so that professionals recognise the signs of vulnerability, including %T.",
	"Update %D: exemplars of referrals are being collated and will be discussed at %F.",
	"The quality of safeguarding referrals is audited on an annual basis; following the CQC review, %A are planning to implement a real-time quality assurance process.",
	"Guidance, including the threshold document, is available on the %A website and was re-launched in %M %Y.",
	"A safeguarding duty desk is available to support practitioners completing referrals, seven days a week.",
	"Threshold and CAF workshops were delivered to GPs as part of the GP Safeguarding Leads Forum (%N attended).",
	"The %C approach has been rolled out across %A, with %N practitioners trained in %M %Y.",
	"Training figures for %E show %P compliance for Level 3 safeguarding training across front-line staff.",
	"Supervision records were sampled in %M %Y; %K files sampled evidenced reflective discussion of %T.",
	"The escalation policy was refreshed and re-published in %M %Y after feedback from practitioners that it was %W to use.",
	"Section 11 audit returns were received from all agencies; %A self-assessed as %C for this standard.",
	"%A attended %K strategy meetings held during the quarter, up from %P in the previous year.",
	"A multi-agency audit of %T (%N cases) will report to %F in %M %Y.",
	"Learning from this review has been incorporated into the single-agency training programme for %E.",
	"The MASH (EOF %& TF) Board has agreed an action plan, which is reviewed monthly by %R.",
	"Staff were reminded of the need to record the child's lived experience, in the child's own words where possible.",
	"Chronologies are now a mandatory part of every single assessment; compliance was %P at the last audit.",
	"A 7-minute briefing on %T was circulated to all staff in %M %Y and is available on the intranet.",
	"Minutes and agendas are kept as a formal record; copies are available on request from %R.",
	"There are challenges due to low Health Visitor and School Nurse numbers – recruitment is ongoing and %N posts remain vacant.",
	"%U (%R) has been identified as the lead for this action and reports progress to %F quarterly.",
	"The Designated Nurse meets the contract leads monthly; %T is included as a Key Performance Indicator in all provider contracts.",
	"A%&E flags are now replaced by a flag stating \"Previously\" on a CP plan when the plan ends, so history is not lost.",
	"Probation was not directly involved in this case, however the learning has been cascaded through team meetings and the %C newsletter.",
	"RAG status remains amber because the new electronic record cannot yet share alerts with %A; a fix is expected by %D.",
	"School safeguarding leads received termly updates; %K schools returned the annual safeguarding audit.",
	"%A have revised the referral form so that previous concerns, siblings and significant adults must be recorded.",
	"Performance data on %T is now reported to %F each quarter, with exception reports where targets are missed.",
	"A task-and-finish group, chaired by %I, reviewed the pathway and reported in %M %Y.",
	"Feedback from families – gathered through %N telephone interviews – was largely positive, although some said they felt %W about the process.",
	"The Board has received assurance, but evidence of impact on outcomes for children is still limited.",
	"No further action is required by %A; this action can be closed.",
	"Practice standards for %T were agreed on %D and launched at a practitioner event attended by %N staff.",
	"Evidence: audit report, training register, %F minutes (%M %Y), and the revised procedure.",
};

/* Rare sentence for the full-text benchmark: the only place "Gillick" appears. */
static const char gillick_sentence[] =
	"Practitioners were reminded that Gillick competence and the Fraser guidelines must be considered and recorded whenever a young person under 16 seeks sexual health advice.";

static const char *const action_leads[] = {
	"Work with", "Raise awareness with", "Deliver training to", "Audit the work of",
	"Review the procedures of", "Seek assurance from", "Continue to improve and develop the offer of",
	"Develop guidance for", "Monitor the compliance of", "Re-launch the escalation policy with",
};

static const char *const action_tails[] = {
	"so that %T is recognised and referred at the first opportunity.",
	"to ensure that all referrals include the relevant history of the family.",
	"so that the voice of the child is recorded in every assessment.",
	"with a report to %F by %M %Y.",
	"including a dip-sample audit of %N cases.",
	"and share the learning from this review at %F.",
	"so that thresholds are applied consistently across the partnership.",
	"to ensure that %T is included in supervision discussions.",
};

static const char *const question_stems[] = {
	"How does the Board ensure that",
	"Does the Board recognise that",
	"What assurance can partner agencies give that",
	"How does the Board know that",
	"How will the Board be assured that",
	"What does the Board need to do so that",
	"How can agencies evidence that",
};

static const char *const question_tails[] = {
	"referrals contain the relevant history of the family so that all agencies are aware of recurrent themes?",
	"agencies share information about %T in a timely way?",
	"practitioners are confident to challenge and escalate when they disagree with decisions?",
	"the learning about %T is embedded in practice and not just in training?",
	"fathers and significant males are included in assessments?",
	"children missing from education are identified and followed up?",
	"thresholds for %T are understood and applied consistently?",
	"practitioners see and speak to the child alone?",
	"supervision provides challenge and reflection on cases involving %T?",
	"the impact of cumulative harm is recognised?",
};

static const char *const finding_texts[] = {
	"There is a pattern whereby national and local policy agendas have driven practice in relation to %T to have a stronger focus on process than on risk",
	"Professionals tend to accept parental explanations at face value, with the result that %T is not identified",
	"The way that agencies record information means that the history of %T is not visible to the professionals who need it",
	"There is an over-reliance on single-agency assessments, so the cumulative picture of %T is missed",
	"Escalation processes exist but are rarely used, because practitioners are not confident that challenge will make a difference",
	"The needs of adolescents are assessed through the lens of %T rather than of the child's wider safety",
	"Multi-agency meetings focus on tasks, and the voice of the child is lost",
};

static const char *const constraints[] = {
	"Capacity within the team while vacancies are filled.",
	"Awaiting the new IT system; interim manual process in place.",
	"Training budget for %E not yet confirmed.",
	"Dependent on national guidance, expected %M %Y.",
	"Data cannot yet be broken down by agency.",
	"Staff turnover means training needs to be repeated.",
};

static const char *const desired[] = {
	"To ensure that there is a consistent, appropriate response to %T across the partnership.",
	"Increase in awareness among staff regarding %T.",
	"%P of front-line staff to attend the training by %M %Y.",
	"Children are safer because risks are identified earlier.",
	"The Board is assured that the learning is embedded in practice.",
	"Referrals are of good quality and contain the family's history.",
};

/* RAG cells as boards write them, with weights in per-mille.  Red is written only as
 * "R" or "Red", so a peer can count Red with `rag IN ('R','Red')`. */
static const struct {
	const char *text;
	unsigned weight;
} rags[] = {
	{ "G", 130 }, { "Green", 150 }, { "green", 10 }, { "A", 90 }, { "Amber", 110 },
	{ "Amber ", 10 }, { "R", 20 }, { "Red", 30 }, { "Action complete", 100 },
	{ "Completed", 60 }, { "Blue", 80 }, { "Amber/Green", 30 }, { "Green / Blue", 30 },
	{ "0", 20 }, { "N/A", 20 }, { "", 90 },
};

/* ---- slot expansion ---------------------------------------------------------------------- */

static int in_html;   /* the cell being built is an HTML fragment: & is written &amp; */

static void expand(struct buf *b, const char *tpl)
{
	const char *p = tpl, *pct;
	while ((pct = strchr(p, '%')) != NULL) {
		buf_add(b, p, (size_t)(pct - p));
		switch (pct[1]) {
		case 'A': buf_str(b, PICK(agency_prose)); break;
		case 'T': buf_str(b, PICK(topics)); break;
		case 'F': buf_str(b, PICK(forums)); break;
		case 'R': buf_str(b, PICK(roles)); break;
		case 'M': buf_str(b, PICK(months)); break;
		case 'Y': buf_fmt_int(b, "%ld", 2014 + (long)rnd(8)); break;
		case 'D':
			buf_fmt_int(b, "%02ld.", 1 + (long)rnd(28));
			buf_fmt_int(b, "%02ld.", 1 + (long)rnd(12));
			buf_fmt_int(b, "%ld", 2014 + (long)rnd(8));
			break;
		case 'N': buf_fmt_int(b, "%ld", 2 + (long)rnd(98)); break;
		case 'P': buf_fmt_int(b, "%ld%%", 40 + (long)rnd(61)); break;
		case 'I': buf_str(b, PICK(initials)); break;
		case 'U': buf_str(b, PICK(people)); break;
		case 'Q': {
			static const char *const q[] = { "\"champions\"", "\"train the trainer\"",
				"\"Think Family\"", "\"Was Not Brought\"", "\"lunch and learn\"" };
			buf_str(b, PICK(q));
			break;
		}
		case 'W': {
			static const char *const w[] = { "\"difficult\"", "\"confusing\"", "\"too long\"",
				"\"worried\"", "\"not listened to\"" };
			buf_str(b, PICK(w));
			break;
		}
		case 'C': {
			static const char *const q[] = { "“Signs of Safety”", "“Think Family”",
				"“Team Around the Family”", "“Graded Care Profile 2”", "‘Brighter Futures’",
				"“Partially Compliant”" };
			buf_str(b, PICK(q));
			break;
		}
		case 'E': {
			long y = 2014 + (long)rnd(7);
			buf_fmt_int(b, "%ld–", y);
			buf_fmt_int(b, "%02ld", (y + 1) % 100);
			break;
		}
		case 'K': {
			long whole = 5 + (long)rnd(95);
			buf_fmt_int(b, "%ld of ", 1 + (long)rnd((unsigned)whole));
			buf_fmt_int(b, "%ld", whole);
			break;
		}
		case '&': buf_str(b, in_html ? "&amp;" : "&"); break;
		default: buf_add(b, pct, 2); break;
		}
		p = pct + 2;
	}
	buf_str(b, p);
}

/* One paragraph of n sentences. */
static void paragraph(struct buf *b, unsigned n, int *gillick)
{
	for (unsigned i = 0; i < n; i++) {
		if (i)
			buf_str(b, " ");
		if (*gillick && (i == n - 1 || chance(300))) {
			buf_str(b, gillick_sentence);
			*gillick = 0;
		} else {
			expand(b, PICK(sentences));
		}
	}
}

/* Prose of 1-maxpara paragraphs in one of the shapes boards' spreadsheets hold: plain
 * lines, blank-line-separated paragraphs, <p> fragments, or a dated update. */
static void prose(struct buf *b, unsigned maxpara, unsigned minsent, unsigned spread, int gillick)
{
	unsigned np = 1 + rnd(maxpara);
	unsigned shape = rnd(100);
	in_html = shape >= 75;
	for (unsigned i = 0; i < np; i++) {
		int g = gillick && i == np - 1;
		if (in_html) {
			if (i)
				buf_str(b, " ");
			buf_str(b, "<p>");
			paragraph(b, minsent + rnd(spread), &g);
			buf_str(b, "</p>");
		} else {
			if (i)
				buf_str(b, shape < 45 ? "\n" : "\n\n");
			if (i && shape >= 65) {
				buf_str(b, "Update ");
				expand(b, "%D: ");
			}
			paragraph(b, minsent + rnd(spread), &g);
		}
	}
	in_html = 0;
}

/* Target-date cells in the forms boards use. */
static void target_date(struct buf *b)
{
	unsigned y = 2014 + rnd(8), m = 1 + rnd(12), d = 1 + rnd(28);
	static const unsigned ends[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	switch (rnd(20)) {
	case 0: case 1: case 2: case 3: case 4:          /* 31.03.2016, end of month */
		buf_fmt_int(b, "%02ld.", (long)ends[m - 1]);
		buf_fmt_int(b, "%02ld.", (long)m);
		buf_fmt_int(b, "%ld", (long)y);
		break;
	case 5: case 6: case 7:                          /* 01/06/16 */
		buf_fmt_int(b, "%02ld/", (long)d);
		buf_fmt_int(b, "%02ld/", (long)m);
		buf_fmt_int(b, "%02ld", (long)(y % 100));
		break;
	case 8: case 9: case 10:                         /* June 2016 */
		buf_str(b, months[m - 1]);
		buf_fmt_int(b, " %ld", (long)y);
		break;
	case 11: case 12:                                /* 2016-06-01 */
		buf_fmt_int(b, "%ld-", (long)y);
		buf_fmt_int(b, "%02ld-", (long)m);
		buf_fmt_int(b, "%02ld", (long)d);
		break;
	case 13:                                         /* Excel serial, 2014-2021 */
		buf_fmt_int(b, "%ld", 41640 + (long)rnd(2920));
		break;
	case 14: case 15:
		buf_str(b, rnd(3) ? "ongoing" : "Ongoing");
		break;
	case 16:
		buf_str(b, "Completed");
		break;
	case 17:                                         /* date with a note */
		buf_fmt_int(b, "%02ld/", (long)d);
		buf_fmt_int(b, "%02ld/", (long)m);
		buf_fmt_int(b, "%ld - review at ", (long)y);
		expand(b, "%F");
		break;
	case 18:                                         /* 1st June 2016 */
		buf_fmt_int(b, "%ld", (long)d);
		buf_str(b, d == 1 || d == 21 ? "st " : d == 2 || d == 22 ? "nd " : d == 3 || d == 23 ? "rd " : "th ");
		buf_str(b, months[m - 1]);
		buf_fmt_int(b, " %ld", (long)y);
		break;
	default:
		break;                                       /* blank */
	}
}

static void rag(struct buf *b)
{
	unsigned r = rnd(1000), acc = 0;
	for (size_t i = 0; i < COUNT(rags); i++) {
		acc += rags[i].weight;
		if (r < acc) {
			buf_str(b, rags[i].text);
			return;
		}
	}
}

/* Review r's name, unique for r < 5 * 26 * 11: "Child Q 2019", "Family B 2016" ... */
static void review_name(struct buf *b, long r)
{
	buf_str(b, review_kinds[(size_t)(r / 286) % COUNT(review_kinds)]);
	char letter[3] = { ' ', (char)('A' + r % 26), '\0' };
	buf_str(b, letter);
	buf_fmt_int(b, " %ld", 2012 + (r / 26) % 11);
	if (r >= 286 * (long)COUNT(review_kinds))
		buf_fmt_int(b, " (%ld)", 1 + r / (286 * (long)COUNT(review_kinds)));
}

/* ---- the plan ------------------------------------------------------------------------------ */

enum { F_REVIEW, F_FINDING, F_QUESTION, F_AGENCY, F_RESPONSE, F_ACTION, F_RAG, F_TARGET,
       F_EVIDENCE, F_LEAD, F_CONSTRAINTS, F_DESIRED, F_COUNT };

static const char header[] =
	"Review,Finding,Question,Agency,Response,Action,RAG,Target Date,Evidence/Outcome,"
	"Lead Person,Constraints/Problems,Desired Outcome\r\n";

static struct buf cell[F_COUNT];

static void row_write(void)
{
	for (int i = 0; i < F_COUNT; i++)
		out_cell(cell[i].s ? cell[i].s : "", cell[i].len, i == F_COUNT - 1);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: gen N SEED > plan.csv\n", stderr);
		return 2;
	}
	char *end;
	long long n = strtoll(argv[1], &end, 10);
	if (*end || n < 0) {
		fprintf(stderr, "gen: N must be a count of rows, not '%s'\n", argv[1]);
		return 2;
	}
	unsigned long long seed = strtoull(argv[2], &end, 10);
	if (*end) {
		fprintf(stderr, "gen: SEED must be a number, not '%s'\n", argv[2]);
		return 2;
	}
	rng_state = seed * 0xD1B54A32D192ED03ull + 1;

	out_bytes(header, sizeof header - 1);
	long long row = 0;
	for (long r = 0; row < n; r++) {
		long long review_start = row;
		for (unsigned f = 1; row < n && row - review_start < ROWS_PER_REVIEW; f++) {
			unsigned nq = 2 + rnd(4);
			for (unsigned q = 0; q < nq && row < n; q++) {
				for (unsigned a = 0; a < NAGENCIES && row < n; a++) {
					unsigned nact = 1 + rnd(4);
					for (unsigned k = 0; k < nact && row < n; k++, row++) {
						for (int i = 0; i < F_COUNT; i++)
							buf_reset(&cell[i]);
						review_name(&cell[F_REVIEW], r);
						if (q == 0 && a == 0 && k == 0) {
							buf_fmt_int(&cell[F_FINDING], "Finding %ld: ", (long)f);
							expand(&cell[F_FINDING], PICK(finding_texts));
						}
						if (a == 0 && k == 0) {
							buf_fmt_int(&cell[F_QUESTION], "%ld", (long)f);
							char letter[4] = { (char)('a' + q), '.', ' ', '\0' };
							buf_str(&cell[F_QUESTION], letter);
							buf_str(&cell[F_QUESTION], PICK(question_stems));
							buf_str(&cell[F_QUESTION], " ");
							expand(&cell[F_QUESTION], PICK(question_tails));
						}
						if (k == 0) {
							buf_str(&cell[F_AGENCY], agencies[a]);
							if (!chance(150))
								prose(&cell[F_RESPONSE], 2, 1, 3, 0);
							if (chance(500))
								expand(&cell[F_DESIRED], PICK(desired));
						}
						if (chance(40)) {
							buf_str(&cell[F_ACTION], "0");
						} else {
							if (chance(200))
								buf_fmt_int(&cell[F_ACTION], "%ld ", 1 + (long)k);
							expand(&cell[F_ACTION], PICK(action_leads));
							buf_str(&cell[F_ACTION], " ");
							expand(&cell[F_ACTION], PICK(agency_prose));
							buf_str(&cell[F_ACTION], " ");
							expand(&cell[F_ACTION], PICK(action_tails));
						}
						rag(&cell[F_RAG]);
						target_date(&cell[F_TARGET]);
						if (chance(30))
							buf_str(&cell[F_EVIDENCE], "As above");
						else
							prose(&cell[F_EVIDENCE], 3, 2, 5, chance(1));
						if (k == 0 ? !chance(150) : chance(400)) {
							switch (rnd(4)) {
							case 0:
								expand(&cell[F_LEAD], "%I; %I; %I");
								break;
							case 1:
								expand(&cell[F_LEAD], "%U, %R");
								break;
							default:
								expand(&cell[F_LEAD], "%R");
								break;
							}
						}
						if (chance(120))
							expand(&cell[F_CONSTRAINTS], PICK(constraints));
						row_write();
					}
				}
			}
		}
	}
	out_flush();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen: write");
		return 1;
	}
	return 0;
}
