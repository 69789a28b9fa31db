/* handlers: what each action does.  They switch on the action, never on a raw key,
 * change the state, and return what must be reloaded and redrawn; only the main loop
 * draws (modal prompts aside). */
#include "tui_int.h"
#include "ragtrack/export.h"
#include "ragtrack/fields.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"
#include "ragtrack/writeguard.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- moving ------------------------------------------------------------------------------ */

static int move_by(struct tui *t, long delta)
{
	switch (t->screen) {
	case SCREEN_LIST:
		return list_move(t, delta);
	case SCREEN_DETAIL:
		return detail_scroll(t, (int)(delta > 100000 ? 100000 : delta < -100000 ? -100000 : delta));
	case SCREEN_DASH:
		return dash_move(t, (int)(delta > 100000 ? 100000 : delta < -100000 ? -100000 : delta));
	case SCREEN_HELP:
		return help_scroll(t, (int)(delta > 100000 ? 100000 : delta < -100000 ? -100000 : delta));
	}
	return 0;
}

static long page_rows(const struct tui *t)
{
	long h = layout_body_rows(t) - (t->screen == SCREEN_LIST ? 2 : 1);
	return h < 1 ? 1 : h;
}

static int move_end(struct tui *t, int last)
{
	if (t->screen == SCREEN_LIST)
		return list_goto(t, last ? t->count - 1 : 0);
	return move_by(t, last ? 1L << 30 : -(1L << 30));
}

static int open_detail(struct tui *t)
{
	struct row *r = list_row(t, t->cursor);
	if (!r)
		return 0;
	t->detail_id = r->id;
	t->detail_scroll = 0;
	t->screen = SCREEN_DETAIL;
	return DRAW_ALL | RELOAD_DETAIL;
}

static int step_item(struct tui *t, long delta)
{
	int bits = list_move(t, delta);
	struct row *r = list_row(t, t->cursor);
	if (!bits || !r) {
		tui_message(t, 0, delta > 0 ? "this is the last action" : "this is the first action");
		return DRAW_BOTTOM;
	}
	t->detail_id = r->id;
	t->detail_scroll = 0;
	return DRAW_ALL;
}

static int mouse(struct tui *t)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return 0;
	if (ev.bstate & BUTTON4_PRESSED)
		return move_by(t, -3);
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED)
		return move_by(t, 3);
#endif
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED)))
		return 0;
	if (ev.bstate & BUTTON1_RELEASED && !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return 0;
	if (t->screen == SCREEN_DASH) {
		int k = t->dash_top + ev.y - layout_body_top();
		if (k < 0 || k >= t->ndash || !t->dash[k].name)
			return 0;
		if (k == t->dash_cursor)
			return dash_open(t);
		t->dash_cursor = k;
		return DRAW_BODY | DRAW_BOTTOM;
	}
	if (t->screen != SCREEN_LIST && !(t->screen == SCREEN_DETAIL && layout_split(t)))
		return 0;
	if (ev.x >= layout_list_width(t)) {
		return t->screen == SCREEN_LIST ? open_detail(t) : 0;
	}
	long pos = list_pos_at(t, ev.y);
	if (pos < 0)
		return 0;
	if (pos == t->cursor && t->screen == SCREEN_LIST)
		return open_detail(t);
	t->screen = SCREEN_LIST;
	return list_goto(t, pos) | DRAW_ALL;
}

/* ---- filters -------------------------------------------------------------------------------- */

static int toggle_rag(struct tui *t, enum rag r)
{
	t->f.rag_mask ^= RAG_BIT(r);
	return RELOAD_ALL | FILTER_CHANGED;
}

static int clear_filters(struct tui *t)
{
	enum sort_field sort[FILTER_MAX_SORT];
	size_t nsort = t->f.nsort;
	memcpy(sort, t->f.sort, sizeof sort);
	if (!filter_active(&t->f)) {
		tui_message(t, 0, "no filter to clear");
		return DRAW_BOTTOM;
	}
	filter_free(&t->f);
	memcpy(t->f.sort, sort, sizeof sort);
	t->f.nsort = nsort;
	tui_message(t, 0, "filters cleared");
	return RELOAD_ALL | FILTER_CHANGED;
}

static int search(struct tui *t)
{
	char *words = prompt_line(t, "Search: ", t->f.search, NULL, NULL);
	if (!words)
		return DRAW_ALL;
	str_trim(words);
	struct err e = {0};
	if (store_search_check(words, &e) != OK) {       /* bounded work, said */
		tui_message(t, 1, "%s", e.msg);
		free(words);
		return DRAW_ALL;
	}
	free(t->f.search);
	t->f.search = *words ? words : NULL;
	if (!*words)
		free(words);
	return RELOAD_ALL | FILTER_CHANGED;
}

static int search_step(struct tui *t, int dir)
{
	if (str_empty(t->f.search)) {
		tui_message(t, 1, "no search: / searches");
		return DRAW_BOTTOM;
	}
	if (!t->count)
		return DRAW_BOTTOM;
	long pos = (t->cursor + dir + t->count) % t->count;
	int bits = list_goto(t, pos) | DRAW_BOTTOM;
	struct row *r = t->screen == SCREEN_DETAIL ? list_row(t, t->cursor) : NULL;
	if (r) {                       /* the detail pane follows to the result */
		t->detail_id = r->id;
		t->detail_scroll = 0;
		bits |= DRAW_ALL;
	}
	tui_message(t, 0, "result %ld of %ld%s", t->cursor + 1, t->count,
	            (dir > 0 && pos == 0) ? " (from the top)" : (dir < 0 && pos == t->count - 1) ? " (from the end)" : "");
	return bits;
}

static const enum sort_field SORT_CYCLE[] = {
	SORT_DEFAULT, SORT_TARGET, SORT_RAG, SORT_AGENCY, SORT_UPDATED, SORT_LEAD,
};
#define NSORT_CYCLE (sizeof SORT_CYCLE / sizeof *SORT_CYCLE)

static int cycle_sort(struct tui *t)
{
	enum sort_field cur = t->f.nsort ? t->f.sort[0] : SORT_DEFAULT;
	size_t i = 0;
	while (i < NSORT_CYCLE && SORT_CYCLE[i] != cur)
		i++;
	enum sort_field next = SORT_CYCLE[(i + 1) % NSORT_CYCLE];
	t->f.nsort = next == SORT_DEFAULT ? 0 : 1;
	t->f.sort[0] = next;
	tui_message(t, 0, "sorted by %s", next == SORT_DEFAULT ? "review, question and agency" : sort_name(next));
	return RELOAD_ALL | FILTER_CHANGED;
}

/* ---- edits ---------------------------------------------------------------------------------- */

enum status tui_fetch_shown(struct tui *t, int64_t id, int64_t version, struct action *a)
{
	struct err e = {0};
	if (store_get(t->s, id, a, &e) != OK) {
		tui_message(t, 1, "%s", e.msg);
		return e.code;
	}
	if (a->version != version) {
		action_clear(a);
		tui_message(t, 1, "#%lld was changed by someone else since it was shown: reloaded", (long long)id);
		return ERR_CONFLICT;
	}
	return OK;
}

/* Can the keys change the database: not under --read-only, and only where the store
 * has the edit ("set", "note", "undo": a server may not have them yet). */
static int writable_for(struct tui *t, const char *command)
{
	struct err e = {0};
	if (store_read_only(t->s)) {
		tui_message(t, 1, "read-only: the database was opened with --read-only, nothing can be changed");
		return 0;
	}
	if (store_command_allowed(t->s, command, &e) != OK) {
		tui_message(t, 1, "%s", e.msg);
		return 0;
	}
	return 1;
}

static int writable(struct tui *t)
{
	return writable_for(t, "set");
}

/* The action the keys act on and the version on screen. */
static int current(struct tui *t, int64_t *id, int64_t *version)
{
	if (t->screen == SCREEN_DETAIL && t->detail && t->detail->id == t->detail_id) {
		if (!t->detail->version) {     /* it could not be read: never act on another row */
			tui_message(t, 1, "#%lld cannot be read now: nothing changed", (long long)t->detail->id);
			return 0;
		}
		*id = t->detail->id;
		*version = t->detail->version;
		return 1;
	}
	struct row *r = list_row(t, t->cursor);
	if (!r) {
		tui_message(t, 1, "no action selected");
		return 0;
	}
	*id = r->id;
	*version = r->version;
	return 1;
}

/* The store's message for a refused edit; a conflict also reloads the screen. */
static int edit_failed(struct tui *t, enum status st, const struct err *e)
{
	tui_message(t, 1, "%s%s", e->msg, st == ERR_CONFLICT ? ": reloaded" : "");
	return RELOAD_ALL;
}

static int evidence_check(const char *text, char *hint, size_t n, void *ctx)
{
	(void)ctx;
	char *v = str_trim(xstrdup(text));
	int ok = *v != '\0';
	snprintf(hint, n, ok ? "Enter: next, an optional reason" : "Blue needs evidence");
	free(v);
	return ok;
}

/* Blue = completed and evidenced: the evidence (what is there, to confirm or add to)
 * and an optional reason are asked for first; Esc at either changes nothing.  The
 * changes go in ch[1] (evidence, when it changed) and *reason; returns 0 when cancelled. */
static int ask_blue(struct tui *t, int64_t id, int64_t version, struct field_change *ch, size_t *n,
                    char **evidence, char **reason)
{
	struct action a;
	if (tui_fetch_shown(t, id, version, &a) != OK)
		return 0;
	char *label = xasprintf("Evidence for Blue on #%lld: ", (long long)id);
	*evidence = prompt_line(t, label, a.evidence, evidence_check, NULL);
	free(label);
	if (*evidence) {
		str_trim(*evidence);
		if (!str_eq(*evidence, a.evidence ? a.evidence : "")) {
			ch[1] = (struct field_change){ FIELD_EVIDENCE, *evidence };
			*n = 2;
		}
		*reason = prompt_line(t, "Reason (optional, Enter for none): ", NULL, NULL, NULL);
	}
	action_clear(&a);
	if (!*evidence || !*reason) {
		tui_message(t, 0, "not changed: Blue was cancelled");
		return 0;
	}
	str_trim(*reason);
	return 1;
}

static int set_rag(struct tui *t, enum rag r)
{
	int64_t id, version;
	if (!writable(t) || !current(t, &id, &version))
		return DRAW_BOTTOM;
	struct field_change ch[2] = { { FIELD_RAG, r == RAG_UNSET ? "unset" : rag_name(r) }, { FIELD_EVIDENCE, NULL } };
	size_t n = 1;
	char *evidence = NULL, *reason = NULL;
	if (r == RAG_BLUE && !ask_blue(t, id, version, ch, &n, &evidence, &reason)) {
		free(evidence);
		free(reason);
		return RELOAD_ALL;
	}
	struct err e = {0};
	int changed = 0;
	enum status st = store_set(t->s, id, version, ch, n, str_empty(reason) ? NULL : reason, &changed, &e);
	free(evidence);
	free(reason);
	if (st != OK)
		return edit_failed(t, st, &e);
	if (changed)
		tui_message(t, 0, "#%lld is now %s%s%s", (long long)id, r == RAG_UNSET ? "unset" : rag_name(r),
		            r == RAG_UNSET ? "" : ": ", rag_meaning(r));
	else
		tui_message(t, 0, "#%lld is already %s", (long long)id, r == RAG_UNSET ? "unset" : rag_name(r));
	return RELOAD_ALL;
}

/* r, then the letter: the menu's letters are the RAG scope's keys in the key table. */
static int rag_menu(struct tui *t)
{
	static const enum action_id acts[] = { ACT_SET_RED, ACT_SET_AMBER, ACT_SET_GREEN, ACT_SET_BLUE, ACT_SET_UNSET };
	static const enum rag rags[] = { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_BLUE, RAG_UNSET };
	static const char *const labels[] = {
		"Red: not on track, remedial action required", "Amber: needs monitoring", "Green: on track (not done)",
		"Blue: completed and evidenced", "not set",
	};
	static const enum role roles[] = { ROLE_RED, ROLE_AMBER, ROLE_GREEN, ROLE_BLUE, ROLE_UNSET };
	struct menu_item items[5];
	for (int i = 0; i < 5; i++)
		items[i] = (struct menu_item){ keys_for_in(SCOPE_RAG, acts[i]), labels[i], roles[i] };
	int64_t id, version;
	if (!writable(t) || !current(t, &id, &version))
		return DRAW_BOTTOM;
	char *title = xasprintf("RAG of #%lld", (long long)id);
	int k = prompt_menu(t, title, items, 5, 0);
	free(title);
	if (k < 0)
		return DRAW_ALL;
	return set_rag(t, rags[k]) | DRAW_ALL;
}

static int edit_form(struct tui *t)
{
	int64_t id, version;
	if (!writable(t) || !current(t, &id, &version))
		return DRAW_BOTTOM;
	return form_edit(t, id, version);
}

/* The texts e offers, by their letter; labels and values come from the field table. */
static const struct {
	int key;
	enum field_id field;
	const char *note;         /* after the label in the menu */
} LONG_TEXTS[] = {
	{ 'a', FLD_ACTION, "" },
	{ 'e', FLD_EVIDENCE, "" },
	{ 'c', FLD_CONSTRAINTS, "" },
	{ 'd', FLD_DESIRED, "" },
	{ 'r', FLD_RESPONSE, " of the agency (shared by its actions on this question)" },
};
#define NLONG_TEXTS ((int)(sizeof LONG_TEXTS / sizeof *LONG_TEXTS))

/* Which text to edit: an index into LONG_TEXTS, or -1 when cancelled.  *label gets the
 * menu's label of it (the caller frees). */
static int long_text_menu(struct tui *t, int64_t id, char **label)
{
	struct menu_item items[NLONG_TEXTS];
	char *labels[NLONG_TEXTS];
	for (int i = 0; i < NLONG_TEXTS; i++) {
		labels[i] = xasprintf("%s%s", FIELDS[LONG_TEXTS[i].field].label, LONG_TEXTS[i].note);
		items[i] = (struct menu_item){ LONG_TEXTS[i].key, labels[i], ROLE_NORMAL };
	}
	char *title = xasprintf("Edit which text of #%lld?", (long long)id);
	int k = prompt_menu(t, title, items, NLONG_TEXTS, 1);
	free(title);
	for (int i = 0; i < NLONG_TEXTS; i++)
		if (i == k)
			*label = labels[i];
		else
			free(labels[i]);
	return k;
}

static int edit_long(struct tui *t)
{
	int64_t id, version;
	if (!writable(t) || !current(t, &id, &version))
		return DRAW_BOTTOM;
	char *label = NULL;
	int k = long_text_menu(t, id, &label);
	if (k < 0)
		return DRAW_ALL;
	struct action a;
	if (tui_fetch_shown(t, id, version, &a) != OK) {
		free(label);
		return RELOAD_ALL;
	}
	const struct field *def = &FIELDS[LONG_TEXTS[k].field];
	char *head = xasprintf("#%lld %s", (long long)id, label);
	char tmp[FIELD_TMP];
	char *text = editor_run(t, head, field_text(def, &a, tmp));
	free(head);
	free(label);
	action_clear(&a);
	if (!text)
		return RELOAD_ALL;
	struct field_change ch = { def->edit, text };
	int changed = 0;
	struct err e = {0};
	enum status st = store_set(t->s, id, version, &ch, 1, NULL, &changed, &e);
	free(text);
	if (st != OK)
		return edit_failed(t, st, &e);
	tui_message(t, 0, "#%lld: %s saved", (long long)id, def->key);
	return RELOAD_ALL;
}

static int add_note(struct tui *t)
{
	int64_t id, version;
	if (!writable_for(t, "note") || !current(t, &id, &version))
		return DRAW_BOTTOM;
	char *label = xasprintf("Note for #%lld: ", (long long)id);
	char *text = prompt_line(t, label, NULL, NULL, NULL);
	free(label);
	if (!text)
		return DRAW_ALL;
	struct err e = {0};
	enum status st = store_note_add(t->s, id, str_trim(text), &e);
	free(text);
	if (st != OK)
		return edit_failed(t, st, &e);
	tui_message(t, 0, "note added to #%lld", (long long)id);
	if (t->screen == SCREEN_DETAIL)
		t->detail_scroll = 1 << 20;   /* show it: the notes are near the end */
	return RELOAD_ALL;
}

static int undo(struct tui *t)
{
	if (!writable_for(t, "undo"))
		return DRAW_BOTTOM;
	char *what = NULL;
	struct err e = {0};
	enum status st = store_undo(t->s, &what, &e);
	if (st != OK) {
		tui_message(t, 1, "%s", e.msg);
		free(what);
		return st == ERR_CONFLICT ? RELOAD_ALL : DRAW_BOTTOM;
	}
	char *shown = text_visible(what ? what : "", ' ');
	tui_message(t, 0, "undone: %s", shown);
	free(shown);
	free(what);
	return RELOAD_ALL;
}

/* ---- export ----------------------------------------------------------------------------------- */

static int export_check(const char *text, char *hint, size_t n, void *ctx)
{
	(void)ctx;
	char *v = str_trim(xstrdup(text));
	int ok = *v != '\0';
	snprintf(hint, n, ok ? "Enter writes it, Esc cancels" : "a file name is needed");
	free(v);
	return ok;
}

/* Excel form or plain: Excel is what a meeting's spreadsheet wants, so it comes first.
 * Returns 1 for Excel, 0 for plain, -1 when cancelled. */
static int export_form(struct tui *t)
{
	static const struct menu_item items[] = {
		{ 'x', "Excel form: BOM, CRLF, formulas guarded (for a meeting)", ROLE_NORMAL },
		{ 'p', "Plain CSV: UTF-8 as stored, LF line ends", ROLE_NORMAL },
	};
	int k = prompt_menu(t, "Export as", items, 2, 0);
	return k < 0 ? -1 : k == 0;
}

/* Ask before replacing a file; 1 when it may be written. */
static int export_may_write(struct tui *t, const char *path)
{
	if (access(path, F_OK) != 0)
		return 1;
	static const struct menu_item items[] = {
		{ 'n', "No, keep it", ROLE_NORMAL },
		{ 'y', "Yes, replace it", ROLE_NORMAL },
	};
	tui_draw(t, DRAW_ALL);        /* the form's menu goes before this one is drawn */
	char *shown = text_visible(path, ' ');
	char *title = xasprintf("%s exists: replace it?", shown);
	int k = prompt_menu(t, title, items, 2, 0);
	free(title);
	if (k != 1)
		tui_message(t, 0, "not exported: %s kept as it was", shown);
	free(shown);
	return k == 1;
}

static int export(struct tui *t)
{
	if (store_read_only(t->s)) {       /* --read-only writes only files named on the command line */
		tui_message(t, 1, "read-only: the browser writes no files; ragtrack --read-only export -o FILE does");
		return DRAW_BOTTOM;
	}
	char *proposal = xasprintf("ragtrack-%s.csv", util_today());
	char *label = xasprintf("Export %ld action%s to: ", t->count, t->count == 1 ? "" : "s");
	char *path = prompt_line(t, label, proposal, export_check, NULL);
	free(label);
	free(proposal);
	if (!path)
		return DRAW_ALL;
	str_trim(path);
	struct err e = {0};
	if (writeguard_check(t->s, path, &e) != OK) {      /* refused before any question about it */
		tui_message(t, 1, "%s", e.msg);
		free(path);
		return DRAW_ALL;
	}
	int excel = export_form(t);
	if (excel < 0 || !export_may_write(t, path)) {
		if (excel < 0)
			tui_message(t, 0, "not exported");
		free(path);
		return DRAW_ALL;
	}
	long n = 0;
	if (export_write(t->s, &t->f, path, excel ? EXPORT_EXCEL : 0, &n, &e) != OK)
		tui_message(t, 1, "%s", e.msg);
	else {
		char *shown = text_visible(path, ' ');
		tui_message(t, 0, "%ld action%s exported to %s%s", n, n == 1 ? "" : "s", shown,
		            excel ? " (Excel form)" : " (plain CSV)");
		free(shown);
	}
	free(path);
	return DRAW_ALL;
}

/* ---- screens -------------------------------------------------------------------------------- */

static int back(struct tui *t)
{
	if (t->screen == SCREEN_LIST) {
		if (t->msg[0])
			return DRAW_BOTTOM;
		return 0;
	}
	if (t->screen == SCREEN_HELP && t->help_from != SCREEN_HELP) {
		t->screen = t->help_from;
		return DRAW_ALL;
	}
	t->screen = SCREEN_LIST;
	t->detail_id = 0;
	t->detail_scroll = 0;
	return DRAW_ALL | RELOAD_DETAIL;
}

static int dashboard(struct tui *t)
{
	t->screen = SCREEN_DASH;
	return DRAW_ALL | RELOAD_DASH;
}

static int help(struct tui *t)
{
	if (t->screen != SCREEN_HELP)
		t->help_from = t->screen;
	t->screen = SCREEN_HELP;
	t->help_scroll = 0;
	return DRAW_ALL;
}

int handle_action(struct tui *t, enum action_id a)
{
	switch (a) {
	case ACT_MOVE_UP: return move_by(t, -1);
	case ACT_MOVE_DOWN: return move_by(t, 1);
	case ACT_PAGE_UP: return move_by(t, -page_rows(t));
	case ACT_PAGE_DOWN: return move_by(t, page_rows(t));
	case ACT_MOVE_FIRST: return move_end(t, 0);
	case ACT_MOVE_LAST: return move_end(t, 1);
	case ACT_MOUSE: return mouse(t);
	case ACT_OPEN: return t->screen == SCREEN_DASH ? dash_open(t) : open_detail(t);
	case ACT_BACK: return back(t);
	case ACT_NEXT_ITEM: return step_item(t, 1);
	case ACT_PREV_ITEM: return step_item(t, -1);
	case ACT_TOGGLE_RED: return toggle_rag(t, RAG_RED);
	case ACT_TOGGLE_AMBER: return toggle_rag(t, RAG_AMBER);
	case ACT_TOGGLE_GREEN: return toggle_rag(t, RAG_GREEN);
	case ACT_TOGGLE_BLUE: return toggle_rag(t, RAG_BLUE);
	case ACT_TOGGLE_UNSET: return toggle_rag(t, RAG_UNSET);
	case ACT_CLEAR_FILTERS: return clear_filters(t);
	case ACT_PICK_AGENCY: return picker_run(t, GROUP_AGENCY);
	case ACT_PICK_REVIEW: return picker_run(t, GROUP_REVIEW);
	case ACT_TOGGLE_OVERDUE: t->f.overdue = !t->f.overdue; return RELOAD_ALL | FILTER_CHANGED;
	case ACT_SEARCH: return search(t);
	case ACT_SEARCH_NEXT: return search_step(t, 1);
	case ACT_SEARCH_PREV: return search_step(t, -1);
	case ACT_CYCLE_SORT: return cycle_sort(t);
	case ACT_SET_RAG: return rag_menu(t);
	case ACT_EDIT_FORM: return edit_form(t);
	case ACT_EDIT_LONG: return edit_long(t);
	case ACT_ADD_NOTE: return add_note(t);
	case ACT_UNDO: return undo(t);
	case ACT_EXPORT: return export(t);
	case ACT_DASHBOARD: return dashboard(t);
	case ACT_RELOAD: clearok(curscr, TRUE); return RELOAD_ALL;
	case ACT_HELP: return help(t);
	case ACT_QUIT: return DO_QUIT;
	default: break;          /* the RAG menu's, the prompts' and the editor's own */
	}
	return 0;
}
