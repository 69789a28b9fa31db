/* cmd_show: ragtrack show ID -- one action in full: where it sits (review, finding,
 * question, agency), its state (RAG, target, lead), its text (response, action,
 * evidence, constraints, desired outcome, then the extra fields that hold something,
 * under their headers as written), then its notes and its change log.
 * Everything is wrapped to the terminal's width and passed through text_visible:
 * line breaks in the data stay line breaks, nothing else can reach the terminal raw. */
#include "ragtrack/cli.h"
#include "ragtrack/fields.h"
#include "ragtrack/output.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

#define LABEL 12          /* width of the labels of the short fields */
#define BODY 4            /* indent of long text under its heading */
#define ENTRY 6           /* indent of a note's or change's text */

struct show {
	int width;
	struct buf out;
	struct buf notes, history;
	long nnotes, nchanges;
	int64_t batch;            /* of the last change shown */
};

/* indent spaces, label, then text wrapped so its lines start label_width further in. */
static void show_hanging(struct buf *b, int indent, const char *label, int label_width, const char *text, int width)
{
	struct buf v = {0};
	size_t at = (size_t)indent, n = strlen(label);
	output_wrap(&v, text, indent + label_width, width);
	if (v.len > at + n && strspn(v.s, " ") >= at + n) {
		memcpy(v.s + at, label, n);
		buf_adds(b, v.s);
	} else {                 /* text starting with a blank line: the label on its own */
		buf_printf(b, "%*s%s\n%s", indent, "", label, v.s ? v.s : "");
	}
	buf_free(&v);
}

/* "Label       value", the value wrapped under itself. */
static void show_field(struct show *sh, const char *label, const char *value)
{
	show_hanging(&sh->out, 0, label, LABEL, str_empty(value) ? "(none)" : value, sh->width);
}

/* A heading, and the text under it. */
static void show_section(struct show *sh, const char *heading, const char *text)
{
	buf_printf(&sh->out, "\n%s\n", heading);
	output_wrap(&sh->out, str_empty(text) ? "(none)" : text, BODY, sh->width);
}

/* "Megan, question 1, NELFT, action 2": the parts there are. */
static char *show_title(const struct action *a)
{
	struct buf b = {0};
	buf_printf(&b, "Action #%lld: %s", (long long)a->id, a->review ? a->review : "");
	if (!str_empty(a->question_ref))
		buf_printf(&b, ", question %s", a->question_ref);
	if (!str_empty(a->agency))
		buf_printf(&b, ", %s", a->agency);
	buf_printf(&b, ", action %d", a->seq);
	return buf_steal(&b);
}

static char *show_rag(const struct action *a)
{
	struct buf b = {0};
	if (a->rag == RAG_UNSET)
		buf_adds(&b, "unset (not rated)");
	else
		buf_printf(&b, "%s: %s", rag_name(a->rag), rag_meaning(a->rag));
	if (!str_empty(a->rag_raw) && str_casecmp(a->rag_raw, rag_name(a->rag)) != 0)
		buf_printf(&b, "; written \"%s\"", a->rag_raw);
	return buf_steal(&b);
}

static char *show_target(const struct action *a)
{
	struct buf b = {0};
	const char *today = util_today();
	if (!a->target_date) {
		buf_adds(&b, str_empty(a->target_raw) ? "(none)" : a->target_raw);
		if (!str_empty(a->target_raw))
			buf_adds(&b, " (no date)");
		return buf_steal(&b);
	}
	buf_adds(&b, a->target_date);
	long days = date_diff_days(a->target_date, today);
	if (a->rag != RAG_BLUE && days > 0)
		buf_printf(&b, ", overdue by %ld day%s", days, days == 1 ? "" : "s");
	if (!str_empty(a->target_raw) && strcmp(a->target_raw, a->target_date) != 0)
		buf_printf(&b, "; written \"%s\"", a->target_raw);
	if (a->first_target_date && strcmp(a->first_target_date, a->target_date) != 0) {
		long slip = date_diff_days(a->first_target_date, a->target_date);
		buf_printf(&b, "; first target %s (moved %ld day%s %s)", a->first_target_date, slip < 0 ? -slip : slip,
		           slip == 1 || slip == -1 ? "" : "s", slip < 0 ? "earlier" : "later");
	}
	return buf_steal(&b);
}

/* The head lines: where the action sits and its state, each "Label  value". */
static void show_head(struct show *sh, const struct action *a)
{
	struct field_iter it;
	for (field_iter_init(&it, a, FF_HEAD); field_iter_next(&it);) {
		char *made = it.def->flags & FF_RAG ? show_rag(a) : it.def->flags & FF_DATE ? show_target(a) : NULL;
		show_field(sh, it.label, made ? made : it.value);
		free(made);
	}
	if (a->withdrawn)
		show_field(sh, FIELDS[FLD_WITHDRAWN].label, "yes: no longer in the plan, kept with its history; lists leave it out"
		                                           " unless --withdrawn or --include-withdrawn (set ID withdrawn=no brings it back)");
}

/* The long texts, then the extra fields that hold something, under their headers. */
static void show_texts(struct show *sh, const struct action *a)
{
	struct field_iter it;
	for (field_iter_init(&it, a, FF_LONG | FF_EXTRA); field_iter_next(&it);) {
		if (it.def) {
			show_section(sh, it.label, it.value);
		} else if (!str_empty(it.value)) {   /* else a column of another plan of the review, or empty here */
			char *heading = output_oneline(it.label);     /* data: made safe, one line */
			show_section(sh, heading, it.value);
			free(heading);
		}
	}
}

static void show_action(struct show *sh, const struct action *a)
{
	char *title = show_title(a);
	char *version = xasprintf("%s (version %lld)", a->updated_at ? a->updated_at : "", (long long)a->version);
	output_wrap(&sh->out, title, 0, sh->width);
	buf_adds(&sh->out, "\n");
	show_head(sh, a);
	show_field(sh, "Created", a->created_at);
	show_field(sh, FIELDS[FLD_UPDATED].label, version);
	show_texts(sh, a);
	free(title);
	free(version);
}

/* "  2016-06-30 12:00  WHO": when (a stored UTC time) and who, then the line's end. */
static void show_entry_head(struct buf *b, const char *at, const char *who)
{
	char when[32];
	at = at ? at : "";
	snprintf(when, sizeof when, "%.10s %.5s", at, strlen(at) > 11 ? at + 11 : "");
	char *line = xasprintf("%s  %s", when, who);
	char *shown = text_visible(line, ' ');
	buf_printf(b, "  %s\n", shown);
	free(shown);
	free(line);
}

static int show_note(const struct note *n, void *ctx)
{
	struct show *sh = ctx;
	show_entry_head(&sh->notes, n->at, n->user ? n->user : "");
	output_wrap(&sh->notes, n->text, ENTRY, sh->width);
	sh->nnotes++;
	return 0;
}

/* Head fields on one line ("rag: Green -> Red"); text fields as was / now. */
static void show_change_values(struct show *sh, const struct change *c)
{
	const struct field *f = field_of_edit(field_from_name(c->field));
	unsigned flags = f ? f->flags : 0;
	const char *none = flags & FF_RAG ? "unset" : "(none)";
	const char *old_value = str_empty(c->old_value) ? none : c->old_value;
	const char *new_value = str_empty(c->new_value) ? none : c->new_value;
	if (flags & FF_HEAD) {
		char *line = xasprintf("%s: %s -> %s", c->field, old_value, new_value);
		output_wrap(&sh->history, line, ENTRY, sh->width);
		free(line);
		return;
	}
	output_wrap(&sh->history, c->field, ENTRY, sh->width);
	show_hanging(&sh->history, ENTRY + 2, "was: ", 5, old_value, sh->width);
	show_hanging(&sh->history, ENTRY + 2, "now: ", 5, new_value, sh->width);
}

/* A batch (one edit, one import run) under one heading: when, who, why. */
static int show_change(const struct change *c, void *ctx)
{
	struct show *sh = ctx;
	if (!sh->nchanges || c->batch != sh->batch) {
		char *who = xasprintf("%s (%s%s)", c->user ? c->user : "", c->source ? c->source : "",
		                      c->undoes ? ", undo" : "");
		show_entry_head(&sh->history, c->at, who);
		free(who);
		if (!str_empty(c->reason))
			show_hanging(&sh->history, ENTRY, "reason: ", 8, c->reason, sh->width);
		sh->batch = c->batch;
	}
	show_change_values(sh, c);
	sh->nchanges++;
	return 0;
}

/* Notes and history under their headings (with counts, known once read). */
static enum status show_log(struct show *sh, struct store *s, int64_t id, struct err *err)
{
	enum status st = store_notes(s, id, show_note, sh, err);
	if (st == OK)
		st = store_history(s, id, NULL, show_change, sh, err);
	if (st != OK)
		return st;
	buf_printf(&sh->out, "\nNotes (%ld)\n%s", sh->nnotes, sh->nnotes ? sh->notes.s : "    (none)\n");
	buf_printf(&sh->out, "\nHistory (%ld)\n%s", sh->nchanges, sh->nchanges ? sh->history.s : "    (no changes)\n");
	return OK;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\nID is the number in the first column of ragtrack list (12 or #12).\n");
		return 0;
	}
	if (argc != 2)
		return cli_usage("show", argc < 2 ? "which action? (an ID such as 12)" : "one action at a time");
	long long id = cli_parse_id(argv[1]);
	if (!id) {
		char *shown = text_visible(argv[1], ' ');
		int rc = cli_usage("show", "'%s' is not an action ID (a number such as 12 or #12)", shown);
		free(shown);
		return rc;
	}
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return cli_last_status();
	struct show sh = { .width = output_width(stdout, 100) };
	struct action a;
	struct err e = {0};
	enum status st = store_get(s, id, &a, &e);
	if (st == OK) {
		show_action(&sh, &a);
		st = show_log(&sh, s, id, &e);
		action_clear(&a);
	}
	if (st == OK && (fputs(sh.out.s, stdout) == EOF || fflush(stdout) != 0))
		st = err_set(&e, ERR_IO, "standard output: write error");
	store_close(s);
	buf_free(&sh.out);
	buf_free(&sh.notes);
	buf_free(&sh.history);
	return st == OK ? 0 : cli_fail(&e);
}
