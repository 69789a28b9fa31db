/* form: the short fields of an action (target date, lead) in a small form.  The
 * target is checked as it is typed; Enter saves, in one transaction, the fields the
 * user changed (a field left alone is never written).  Newlines, tabs and bidi
 * controls in a field are kept and shown as escapes (lineed_char_draw). */
#include "tui_int.h"
#include "ragtrack/fields.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

enum { F_TARGET, F_LEAD, F_COUNT };

/* The form's fields in the field table (their labels, and the fields set changes). */
static const enum field_id FORM_FIELDS[F_COUNT] = { FLD_TARGET, FLD_LEAD };

/* How a target will be read: empty (no target) or a whole date.  The store refuses
 * anything else ("ongoing" stays only as imported text).  Returns 1 when it may be saved. */
static int form_check_target(const char *text, char *hint, size_t n)
{
	char *v = str_trim(xstrdup(text));
	char iso[11];
	size_t used = 0;
	int ok = 1;
	if (!*v)
		snprintf(hint, n, "no target date");
	else if (date_parse(v, iso, &used) != GUESS_UNKNOWN && used == strlen(v))
		snprintf(hint, n, "read as %s", iso);
	else {
		snprintf(hint, n, "not a date: use 31.03.2016, 31/03/16, 2016-03-31 or March 2016");
		ok = 0;
	}
	free(v);
	return ok;
}

struct form {
	int64_t id, version;
	struct lineed ed[F_COUNT];
	char *orig[F_COUNT];
	int cur;
	char error[sizeof ((struct err *)0)->msg];
};

/* Has the user changed field i?  Compared as edited, not as text: a field left alone
 * is never written, whatever its bytes. */
static int form_touched(const struct form *f, int i)
{
	struct lineed orig;
	lineed_init(&orig, f->orig[i]);
	int same = lineed_same(&orig, &f->ed[i]);
	lineed_free(&orig);
	return !same;
}

static void form_draw(struct tui *t, struct form *f)
{
	int w = t->cols - 4 > 76 ? 76 : t->cols - 4;
	int h = 9;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2;
	char *title = xasprintf("Edit #%lld: target date and lead", (long long)f->id);
	box_draw(y, x, h, w, title);
	free(title);
	int lx = x + 2, fx = x + 11, fw = w - 13;
	char hint[256];
	char *target = lineed_text(&f->ed[F_TARGET]);
	int ok = form_check_target(target, hint, sizeof hint);
	free(target);
	if (!ok && !form_touched(f, F_TARGET)) {
		snprintf(hint, sizeof hint, "kept as written (not a date) unless you change it");
		ok = 1;
	}
	draw_text(y + 1, lx, 8, FIELDS[FORM_FIELDS[F_TARGET]].label, colors_attr(ROLE_KEY), NULL, 0);
	char *cut = draw_cut(hint, fw);
	draw_text(y + 2, fx, fw, cut, colors_attr(ok ? ROLE_DIM : ROLE_ERROR), NULL, 0);
	free(cut);
	draw_text(y + 3, lx, 8, FIELDS[FORM_FIELDS[F_LEAD]].label, colors_attr(ROLE_KEY), NULL, 0);
	if (f->error[0]) {
		cut = draw_cut(f->error, w - 4);
		draw_text(y + 5, lx, w - 4, cut, colors_attr(ROLE_ERROR), NULL, 0);
		free(cut);
	}
	draw_text(y + 7, lx, w - 4, "Tab/Down next field · Enter saves · Esc cancels", colors_attr(ROLE_DIM), NULL, 0);
	int cx[F_COUNT];
	cx[F_TARGET] = lineed_draw(&f->ed[F_TARGET], y + 1, fx, fw, colors_attr(ROLE_FIELD));
	cx[F_LEAD] = lineed_draw(&f->ed[F_LEAD], y + 3, fx, fw, colors_attr(ROLE_FIELD));
	move(f->cur == F_TARGET ? y + 1 : y + 3, cx[f->cur]);
	refresh();
}

/* Save the fields the user changed, and only those.  Returns 1 when the form may close. */
static int form_save(struct tui *t, struct form *f, int *bits)
{
	struct field_change ch[F_COUNT];
	char *val[F_COUNT] = { NULL };
	size_t n = 0;
	for (int i = 0; i < F_COUNT; i++) {
		if (!form_touched(f, i))
			continue;
		val[i] = lineed_text(&f->ed[i]);
		char *a = str_trim(xstrdup(val[i])), *b = str_trim(xstrdup(f->orig[i]));
		if (!str_eq(a, b))
			ch[n++] = (struct field_change){ FIELDS[FORM_FIELDS[i]].edit, val[i] };
		free(a);
		free(b);
	}
	int done = 1;
	char hint[256];
	if (val[F_TARGET] && !form_check_target(val[F_TARGET], hint, sizeof hint)) {
		snprintf(f->error, sizeof f->error, "target: %.200s", hint);
		done = 0;
	} else if (!n) {
		tui_message(t, 0, "#%lld: nothing changed", (long long)f->id);
	} else {
		struct err e = {0};
		int changed = 0;
		enum status st = store_set(t->s, f->id, f->version, ch, n, NULL, &changed, &e);
		if (st == ERR_INVALID) {
			snprintf(f->error, sizeof f->error, "%s", e.msg);
			done = 0;
		} else if (st != OK) {
			tui_message(t, 1, "%s%s", e.msg, st == ERR_CONFLICT ? ": reloaded" : "");
			*bits = RELOAD_ALL;
		} else {
			tui_message(t, 0, "#%lld saved (%d field%s changed)", (long long)f->id, changed, changed == 1 ? "" : "s");
			*bits = RELOAD_ALL;
		}
	}
	for (int i = 0; i < F_COUNT; i++)
		free(val[i]);
	return done;
}

static void form_free(struct form *f)
{
	for (int i = 0; i < F_COUNT; i++) {
		lineed_free(&f->ed[i]);
		free(f->orig[i]);
	}
}

int form_edit(struct tui *t, int64_t id, int64_t version)
{
	struct action a;
	if (tui_fetch_shown(t, id, version, &a) != OK)
		return RELOAD_ALL;
	struct form f = { .id = id, .version = version };
	f.orig[F_TARGET] = xstrdup(!str_empty(a.target_raw) ? a.target_raw : a.target_date ? a.target_date : "");
	f.orig[F_LEAD] = xstrdup(a.lead ? a.lead : "");
	action_clear(&a);
	for (int i = 0; i < F_COUNT; i++) {
		lineed_init(&f.ed[i], f.orig[i]);
		f.ed[i].pos = f.ed[i].len;
	}
	int bits = DRAW_ALL;
	curs_set(1);
	for (;;) {
		if (tui_wait_size(t) < 0) {
			tui_message(t, 0, "edit cancelled");
			break;
		}
		form_draw(t, &f);
		int key = tui_getkey(t);
		enum action_id act = keys_lookup_in(SCOPE_FORM, key);
		if (key == KEY_FN(KEY_RESIZE)) {
			tui_draw(t, DRAW_ALL);
		} else if (act == ACT_CANCEL || t->quit) {
			tui_message(t, 0, "edit cancelled");
			break;
		} else if (act == ACT_NEXT_FIELD) {
			f.cur = (f.cur + 1) % F_COUNT;
		} else if (act == ACT_ACCEPT) {
			if (form_save(t, &f, &bits))
				break;
		} else {
			lineed_key(&f.ed[f.cur], key);
			f.error[0] = '\0';
		}
	}
	curs_set(0);
	form_free(&f);
	return bits;
}
