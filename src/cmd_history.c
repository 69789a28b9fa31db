/* cmd_history: ragtrack history [ID] [--since DATE] [--format table|csv] */
#include "ragtrack/cli.h"
#include "ragtrack/output.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fixed columns of the table; the change gets what is left of the line.  WHEN shows
 * the time too when the line has room (100 columns), else the date alone, so 80
 * columns leave the change 18.  NO is the change's number (undo --change N); ID, the
 * action's, has room for "#1000000". */
enum { W_NO = 5, W_DATE = 10, W_DATE_TIME = 16, W_USER = 10, W_SOURCE = 6, W_ID = 8, W_FIELD = 11, GAP = 2, W_CHANGE_MIN = 16,
       W_REASON_MIN = 8 };

struct history {
	int csv;
	int when;                 /* width of WHEN: W_DATE or W_DATE_TIME */
	int width;                /* of the CHANGE column */
	long rows;
	struct change *notes;     /* progress notes, shown among the changes by time */
	size_t nnotes, next;
	const char *since;
};

/* v as one line cut to at most w columns with an ellipsis.  Caller frees. */
static char *fit(const char *v, int w)
{
	char *line = output_oneline(v ? v : "");
	int width = text_width(line);
	struct buf b = {0};
	output_fit(&b, line, width < w ? width : w, 0);
	free(line);
	return buf_steal(&b);
}

static void put_cell(const char *s, int w)
{
	fputs(s, stdout);
	for (int n = text_width(s); n < w + GAP; n++)
		putchar(' ');
}

static void history_header(const struct history *h)
{
	printf("%-*s%-*s%-*s%-*s%-*s%-*sCHANGE\n", W_NO + GAP, "NO", h->when + GAP, "WHEN", W_USER + GAP, "USER", W_SOURCE + GAP, "SOURCE",
	       W_ID + GAP, "ID", W_FIELD + GAP, "FIELD");
}

/* "old -> new (reason: ...)" cut to fit w columns: when it is too long the reason
 * keeps at least a third of the room (or is left out when that is under
 * W_REASON_MIN), the values share the rest. */
static char *change_text(const struct change *c, int w)
{
	if (strcmp(c->field, "note") == 0 || strcmp(c->field, "added") == 0) {
		/* a note's text; an added action's text and where it came from (file:line) */
		char *where = str_empty(c->reason) ? xstrdup("") : xasprintf(" (%s)", c->reason);
		int ww = text_width(where);
		char *t = fit(str_empty(c->new_value) ? "(no text)" : c->new_value, w - ww > 8 ? w - ww : 8);
		char *out = xasprintf("%s%s", t, where);
		free(t);
		free(where);
		return out;
	}
	int raw = strcmp(c->source, "import") == 0;   /* an import's reason is the cell as written */
	int rag = strcmp(c->field, "rag") == 0;
	const char *old_value = !str_empty(c->old_value) ? c->old_value : rag ? "unset" : "(none)";
	const char *new_value = !str_empty(c->new_value) ? c->new_value : rag ? "unset" : "(none)";
	const char *undo = c->undoes ? " (undo)" : "";
	int wo = text_width(old_value), wn = text_width(new_value);
	int extra = (int)strlen(undo) + (str_empty(c->reason) ? 0 : 11), wr = str_empty(c->reason) ? 0 : text_width(c->reason);
	if (wo + wn + 4 + extra + wr > w) {
		if (wr) {
			int room = w - wo - wn - 4 - extra;
			wr = room > w / 3 - extra ? room : wr < w / 3 - extra ? wr : w / 3 - extra;
			if (wr < W_REASON_MIN) {
				wr = 0;
				extra = (int)strlen(undo);
			}
		}
		int rest = w - 4 - extra - wr, half = rest / 2;
		if (wo <= half)
			wn = rest - wo;
		else if (wn <= half)
			wo = rest - wn;
		else {
			wo = half;
			wn = rest - half;
		}
	}
	char *o = fit(old_value, wo > 1 ? wo : 1), *n = fit(new_value, wn > 1 ? wn : 1);
	char *r = wr ? fit(c->reason, wr) : NULL;
	char *out = xasprintf("%s -> %s%s%s%s%s", o, n, undo, r ? (raw ? " (\"" : " (reason: ") : "", r ? r : "",
	                      r ? (raw ? "\")" : ")") : "");
	free(o);
	free(n);
	free(r);
	return out;
}

static int history_row(const struct change *c, struct history *h)
{
	char when[32], id[24], no[24];
	snprintf(no, sizeof no, "%lld", (long long)c->id);
	snprintf(when, sizeof when, "%.10s %.5s", c->at, strlen(c->at) > 11 ? c->at + 11 : "");
	when[h->when] = '\0';
	snprintf(id, sizeof id, "#%lld", (long long)c->action_id);
	if (!h->rows++)
		history_header(h);
	char *user = fit(c->user, W_USER), *field = fit(c->field, W_FIELD), *change = change_text(c, h->width);
	put_cell(no, W_NO);
	put_cell(when, h->when);
	put_cell(user, W_USER);
	put_cell(c->source, W_SOURCE);
	put_cell(id, W_ID);
	put_cell(field, W_FIELD);
	printf("%s\n", change);
	free(user);
	free(field);
	free(change);
	return 0;
}

/* One CSV field: quoted when it holds a comma, quote or line break; control
 * characters other than newline and tab made visible. */
static void csv_field(const char *v, int last)
{
	output_csv_cell(stdout, v ? v : "", OUTPUT_VISIBLE);
	putchar(last ? '\n' : ',');
}

static int history_csv_row(const struct change *c, struct history *h)
{
	char id[24], action[24], batch[24], undoes[24];
	if (!h->rows++)
		printf("id,at,user,source,action,field,old,new,reason,batch,undoes,account\n");
	snprintf(id, sizeof id, "%lld", (long long)c->id);
	snprintf(action, sizeof action, "%lld", (long long)c->action_id);
	snprintf(batch, sizeof batch, "%lld", (long long)c->batch);
	snprintf(undoes, sizeof undoes, "%lld", (long long)c->undoes);
	const char *cells[] = { id, c->at, c->user, c->source, action, c->field, c->old_value, c->new_value, c->reason,
	                        batch, c->undoes ? undoes : "", c->os_user };
	size_t n = sizeof cells / sizeof *cells;
	for (size_t i = 0; i < n; i++)
		csv_field(cells[i], i + 1 == n);
	return 0;
}

static int history_one(const struct change *c, struct history *h)
{
	return h->csv ? history_csv_row(c, h) : history_row(c, h);
}

/* Notes written before at (all of them: at NULL) go first. */
static void notes_until(struct history *h, const char *at)
{
	for (; h->next < h->nnotes && (!at || strcmp(h->notes[h->next].at, at) <= 0); h->next++)
		history_one(&h->notes[h->next], h);
}

static int history_each(const struct change *c, void *ctx)
{
	struct history *h = ctx;
	notes_until(h, c->at);
	return history_one(c, h);
}

static int note_keep(const struct note *n, void *ctx)
{
	struct history *h = ctx;
	if (h->since && strcmp(n->at, h->since) < 0)
		return 0;
	h->notes = xrealloc(h->notes, (h->nnotes + 1) * sizeof *h->notes);
	h->notes[h->nnotes++] = (struct change){ .id = n->id, .action_id = n->action_id, .at = xstrdup(n->at),
	                                          .user = xstrdup(n->user), .field = "note", .new_value = xstrdup(n->text),
	                                          .source = "note" };
	return 0;
}

static void notes_free(struct history *h)
{
	for (size_t i = 0; i < h->nnotes; i++) {
		free((char *)h->notes[i].at);
		free((char *)h->notes[i].user);
		free((char *)h->notes[i].new_value);
	}
	free(h->notes);
}

struct history_args {
	long long id;
	char since[11];
	int csv;
};

static int history_parse(struct history_args *a, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if ((strcmp(arg, "--since") == 0 || strcmp(arg, "--format") == 0) && i + 1 >= argc)
			return cli_usage("history", "%s needs a value", arg);
		if (strcmp(arg, "--since") == 0) {
			const char *v = argv[++i];
			size_t used = 0;
			if (date_parse(v, a->since, &used) == GUESS_UNKNOWN || used != strlen(v))
				return cli_usage("history", "--since: '%s' is not a date (use YYYY-MM-DD or 31.03.2026)", v);
		} else if (strcmp(arg, "--format") == 0) {
			const char *v = argv[++i];
			if (strcmp(v, "csv") != 0 && strcmp(v, "table") != 0)
				return cli_usage("history", "--format: '%s' is not table or csv", v);
			a->csv = strcmp(v, "csv") == 0;
		} else if (arg[0] == '-' && arg[1]) {
			return cli_usage("history", "unknown option %s", arg);
		} else if (a->id) {
			return cli_usage("history", "one action at a time: '%s' is one too many", arg);
		} else if (!(a->id = cli_parse_id(arg))) {
			return cli_usage("history", "'%s' is not an action ID (a number such as 12 or #12)", arg);
		}
	}
	return 0;
}

int cmd_history(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\nOptions:\n"
		       "  ID                 only this action's changes\n"
		       "  --since DATE       only changes made on or after DATE\n"
		       "  --format table|csv an aligned table (the default) or CSV with every value in full\n"
		       "Changes and notes are listed oldest first: imports, edits, undos and notes alike.\n");
		return 0;
	}
	struct history_args a = {0};
	int rc = history_parse(&a, argc, argv);
	if (rc)
		return rc;
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	if (!s)
		return c->status;
	int columns = output_width(stdout, 120);
	struct history h = { .csv = a.csv, .when = columns >= 100 ? W_DATE_TIME : W_DATE };
	h.width = columns - (W_NO + h.when + W_USER + W_SOURCE + W_ID + W_FIELD + 6 * GAP);
	if (h.width < W_CHANGE_MIN)
		h.width = W_CHANGE_MIN;
	struct err e = {0};
	h.since = a.since[0] ? a.since : NULL;
	if (store_notes(s, a.id, note_keep, &h, &e) != OK || store_history(s, a.id, h.since, history_each, &h, &e) != OK)
		rc = cli_fail(&e);
	else
		notes_until(&h, NULL);
	notes_free(&h);
	if (!rc && !h.rows && !h.csv)
		printf("no changes\n");
	else if (!rc && !h.rows)
		printf("id,at,user,source,action,field,old,new,reason,batch,undoes,account\n");
	store_close(s);
	return rc;
}
