/* filter: parsing, describing and saving the one filter model. */
#include "ragtrack/filter.h"
#include "ragtrack/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const SORT_NAMES[SORT_COUNT] = {
#define SORT_NAME(id, name) name,
	SORT_FIELDS(SORT_NAME)
#undef SORT_NAME
};

const char FILTER_HELP[] =
	"  --rag LIST          RAG states: red,amber,green,blue,unset (names or letters R,A,G,B,-)\n"
	"  --agency NAME       an agency (name or alias); repeat for several\n"
	"  --review NAME       one review\n"
	"  --finding REF       one finding or theme (\"1\")\n"
	"  --question REF      one question or recommendation (\"1a\", \"3.2\")\n"
	"  --lead TEXT         lead person contains TEXT\n"
	"  --overdue           target date passed and not Blue\n"
	"  --due-within DAYS   target date within DAYS from today, not Blue\n"
	"  --stale DAYS        no change or note for DAYS, not Blue\n"
	"  --search WORDS      full-text search of question, response, action, evidence and notes\n"
	"  --changed-since DATE  changed on or after DATE\n"
	"  --withdrawn         only withdrawn actions (no longer in the plan; left out otherwise)\n"
	"  --include-withdrawn withdrawn actions as well as the others\n"
	"  --sort FIELDS       default,target,rag,agency,updated,lead,id (comma separated)\n";

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof *f);
	f->due_within = -1;
	f->stale = -1;
}

void filter_free(struct filter *f)
{
	for (size_t i = 0; i < f->nagencies; i++)
		free(f->agencies[i]);
	free(f->agencies);
	free(f->review);
	free(f->finding);
	free(f->question);
	free(f->lead);
	free(f->search);
	free(f->changed_since);
	filter_init(f);
}

void filter_copy(struct filter *dst, const struct filter *src)
{
	*dst = *src;
	dst->agencies = src->nagencies ? xcalloc(src->nagencies, sizeof *dst->agencies) : NULL;
	for (size_t i = 0; i < src->nagencies; i++)
		dst->agencies[i] = xstrdup(src->agencies[i]);
	dst->review = xstrdup(src->review);
	dst->finding = xstrdup(src->finding);
	dst->question = xstrdup(src->question);
	dst->lead = xstrdup(src->lead);
	dst->search = xstrdup(src->search);
	dst->changed_since = xstrdup(src->changed_since);
}

const char *sort_name(enum sort_field s)
{
	return SORT_NAMES[s];
}

enum status filter_parse_rags(const char *list, unsigned *mask, struct err *err)
{
	char *copy = xstrdup(list);
	enum status st = OK;
	*mask = 0;
	for (char *save = NULL, *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		enum rag r;
		if (rag_from_user(w, &r) != 0) {
			st = err_set(err, ERR_INVALID, "--rag: '%s' is not Red, Amber, Green, Blue or unset", w);
			break;
		}
		*mask |= RAG_BIT(r);
	}
	free(copy);
	if (st == OK && !*mask)
		st = err_set(err, ERR_INVALID, "--rag needs at least one of red, amber, green, blue, unset");
	return st;
}

enum status filter_parse_sort(struct filter *f, const char *list, struct err *err)
{
	char *copy = xstrdup(list);
	enum status st = OK;
	f->nsort = 0;
	for (char *save = NULL, *w = strtok_r(copy, ", ", &save); w && st == OK; w = strtok_r(NULL, ", ", &save)) {
		int found = -1;
		for (int i = 0; i < SORT_COUNT; i++)
			if (strcasecmp(w, SORT_NAMES[i]) == 0)
				found = i;
		if (found < 0)
			st = err_set(err, ERR_INVALID, "--sort: '%s' is not one of default, target, rag, agency, updated, lead, id", w);
		else if (f->nsort >= FILTER_MAX_SORT)
			st = err_set(err, ERR_INVALID, "--sort: at most %d fields", FILTER_MAX_SORT);
		else if (found != SORT_DEFAULT)
			f->sort[f->nsort++] = (enum sort_field)found;
	}
	free(copy);
	return st;
}

static enum status parse_days(const char *opt, const char *val, int *out, struct err *err)
{
	char *end;
	long v = strtol(val, &end, 10);
	if (end == val || *end || v < 0 || v > 36500)
		return err_set(err, ERR_INVALID, "--%s: '%s' is not a number of days", opt, val);
	*out = (int)v;
	return OK;
}

static void set_text(char **slot, const char *val)
{
	free(*slot);
	*slot = xstrdup(val);
}

static const struct { const char *name; int arity; } OPTIONS[] = {
	{ "rag", 1 }, { "agency", 1 }, { "review", 1 }, { "finding", 1 }, { "question", 1 },
	{ "lead", 1 }, { "overdue", 0 }, { "due-within", 1 }, { "stale", 1 }, { "search", 1 },
	{ "changed-since", 1 }, { "sort", 1 }, { "withdrawn", 0 }, { "include-withdrawn", 0 },
};

int filter_option_arity(const char *opt)
{
	for (size_t i = 0; i < sizeof OPTIONS / sizeof *OPTIONS; i++)
		if (strcmp(opt, OPTIONS[i].name) == 0)
			return OPTIONS[i].arity;
	return -1;
}

enum status filter_parse_option(struct filter *f, const char *opt, const char *val, struct err *err)
{
	if (filter_option_arity(opt) < 0)
		return ERR_USAGE;
	if (filter_option_arity(opt) && str_empty(val))
		return err_set(err, ERR_INVALID, "--%s needs a value", opt);
	if (strcmp(opt, "rag") == 0) {
		unsigned mask;
		enum status st = filter_parse_rags(val, &mask, err);
		if (st == OK)
			f->rag_mask |= mask;
		return st;
	}
	if (strcmp(opt, "agency") == 0) {
		f->agencies = xrealloc(f->agencies, (f->nagencies + 1) * sizeof *f->agencies);
		f->agencies[f->nagencies++] = xstrdup(val);
	} else if (strcmp(opt, "review") == 0)
		set_text(&f->review, val);
	else if (strcmp(opt, "finding") == 0)
		set_text(&f->finding, val);
	else if (strcmp(opt, "question") == 0)
		set_text(&f->question, val);
	else if (strcmp(opt, "lead") == 0)
		set_text(&f->lead, val);
	else if (strcmp(opt, "search") == 0)
		set_text(&f->search, val);
	else if (strcmp(opt, "overdue") == 0)
		f->overdue = 1;
	else if (strcmp(opt, "withdrawn") == 0)
		f->withdrawn = FILTER_WITHDRAWN_ONLY;
	else if (strcmp(opt, "include-withdrawn") == 0)
		f->withdrawn = FILTER_WITHDRAWN_TOO;
	else if (strcmp(opt, "due-within") == 0)
		return parse_days(opt, val, &f->due_within, err);
	else if (strcmp(opt, "stale") == 0)
		return parse_days(opt, val, &f->stale, err);
	else if (strcmp(opt, "sort") == 0)
		return filter_parse_sort(f, val, err);
	else if (strcmp(opt, "changed-since") == 0) {
		char iso[11];
		size_t used = 0;
		if (date_parse(val, iso, &used) == GUESS_UNKNOWN || val[used + strspn(val + used, " ")])
			return err_set(err, ERR_INVALID, "--changed-since: '%s' is not a date", val);
		set_text(&f->changed_since, iso);
	}
	return OK;
}

int filter_active(const struct filter *f)
{
	return f->rag_mask || f->nagencies || !str_empty(f->review) || !str_empty(f->finding) ||
	       !str_empty(f->question) || !str_empty(f->lead) || !str_empty(f->search) ||
	       !str_empty(f->changed_since) || f->overdue || f->due_within >= 0 || f->stale >= 0 ||
	       f->withdrawn != FILTER_WITHDRAWN_OUT;
}

static void describe_rags(struct buf *b, unsigned mask)
{
	int n = 0;
	for (int r = RAG_RED; r <= RAG_COUNT; r++) {
		int bit = r == RAG_COUNT ? RAG_UNSET : r;
		if (!(mask & RAG_BIT(bit)))
			continue;
		buf_adds(b, n++ ? " or " : "");
		buf_adds(b, bit == RAG_UNSET ? "unset" : rag_name((enum rag)bit));
	}
}

char *filter_describe(const struct filter *f)
{
	struct buf b = {0};
	if (f->rag_mask)
		describe_rags(&b, f->rag_mask);
	for (size_t i = 0; i < f->nagencies; i++)
		buf_printf(&b, "%s%s", b.len ? (i ? " or " : "; agency ") : (i ? " or " : "agency "), f->agencies[i]);
	struct { const char *label, *v; } text[] = {
		{ "review", f->review }, { "finding", f->finding }, { "question", f->question },
		{ "lead", f->lead }, { "search", f->search }, { "changed since", f->changed_since },
	};
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		if (!str_empty(text[i].v))
			buf_printf(&b, "%s%s %s%s%s", b.len ? "; " : "", text[i].label,
			           strcmp(text[i].label, "search") == 0 ? "\"" : "", text[i].v,
			           strcmp(text[i].label, "search") == 0 ? "\"" : "");
	if (f->overdue)
		buf_printf(&b, "%soverdue", b.len ? "; " : "");
	if (f->due_within >= 0)
		buf_printf(&b, "%sdue within %d days", b.len ? "; " : "", f->due_within);
	if (f->stale >= 0)
		buf_printf(&b, "%sno change for %d days", b.len ? "; " : "", f->stale);
	if (f->withdrawn)
		buf_printf(&b, "%s%s", b.len ? "; " : "", f->withdrawn == FILTER_WITHDRAWN_ONLY ? "withdrawn" : "withdrawn included");
	if (!b.len)
		buf_adds(&b, "all actions");
	return buf_steal(&b);
}

/* Serialised form: option=value pairs separated by \x1e, so any text is safe. */
char *filter_serialise(const struct filter *f)
{
	struct buf b = {0};
	buf_printf(&b, "ragmask=%u", f->rag_mask);
	for (size_t i = 0; i < f->nagencies; i++)
		buf_printf(&b, "\x1e" "agency=%s", f->agencies[i]);
	struct { const char *opt, *v; } text[] = {
		{ "review", f->review }, { "finding", f->finding }, { "question", f->question },
		{ "lead", f->lead }, { "search", f->search }, { "changed-since", f->changed_since },
	};
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		if (!str_empty(text[i].v))
			buf_printf(&b, "\x1e%s=%s", text[i].opt, text[i].v);
	if (f->overdue)
		buf_adds(&b, "\x1e" "overdue=1");
	if (f->due_within >= 0)
		buf_printf(&b, "\x1e" "due-within=%d", f->due_within);
	if (f->stale >= 0)
		buf_printf(&b, "\x1e" "stale=%d", f->stale);
	if (f->withdrawn)
		buf_adds(&b, f->withdrawn == FILTER_WITHDRAWN_ONLY ? "\x1e" "withdrawn=1" : "\x1e" "include-withdrawn=1");
	for (size_t i = 0; i < f->nsort; i++)
		buf_printf(&b, "%s%s", i ? "," : "\x1esort=", SORT_NAMES[f->sort[i]]);
	return buf_steal(&b);
}

enum status filter_deserialise(struct filter *f, const char *line, struct err *err)
{
	filter_init(f);
	char *copy = xstrdup(line);
	enum status st = OK;
	for (char *save = NULL, *kv = strtok_r(copy, "\x1e", &save); kv && st == OK; kv = strtok_r(NULL, "\x1e", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq = '\0';
		if (strcmp(kv, "ragmask") == 0)
			f->rag_mask = (unsigned)strtoul(eq + 1, NULL, 10) & ((1u << RAG_COUNT) - 1);
		else if (strcmp(kv, "overdue") == 0)
			f->overdue = 1;
		else if (strcmp(kv, "withdrawn") == 0 || strcmp(kv, "include-withdrawn") == 0)
			st = filter_parse_option(f, kv, NULL, err);
		else
			st = filter_parse_option(f, kv, eq + 1, err);
	}
	free(copy);
	if (st != OK)
		filter_free(f);
	return st;
}
