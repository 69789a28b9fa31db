/* state: the filters, sort and cursor a user had on a database, saved in the store
 * (ui_state) so the next start opens where the last one left off.  Saved per user and
 * per agency lens; never under --read-only. */
#include "tui_int.h"
#include "ragtrack/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many rows, finding a moved action again is not worth the wait. */
#define POSITION_SEARCH_MAX 200000

static char *state_key(const struct tui *t, const char *name)
{
	const char *lens = store_lens(t->s);
	return lens ? xasprintf("tui.%s@%s", name, lens) : xasprintf("tui.%s", name);
}

static void state_put(struct tui *t, const char *name, const char *value)
{
	char *key = state_key(t, name);
	struct err e = {0};
	if (store_ui_set(t->s, key, value, &e) != OK)
		tui_message(t, 1, "could not save the screen state: %s", e.msg);
	free(key);
}

static char *state_get(struct tui *t, const char *name)
{
	char *key = state_key(t, name);
	char *value = NULL;
	struct err e = {0};
	store_ui_get(t->s, key, &value, &e);
	free(key);
	return value;
}

void state_save(struct tui *t)
{
	if (store_read_only(t->s))
		return;
	char *f = filter_serialise(&t->f);
	struct row *r = list_row(t, t->cursor);
	/* the stamp the row's window was read under: the place holds while it does */
	char *cursor = r && t->win.stamp
		? xasprintf("%ld %ld %lld %s", t->cursor, t->top, (long long)r->id, t->win.stamp)
		: xasprintf("%ld %ld %lld", t->cursor, t->top, r ? (long long)r->id : 0LL);
	state_put(t, "filter", f);
	state_put(t, "cursor", cursor);
	free(f);
	free(cursor);
}

/* The saved filter, if it still names things the database has.  0 when one was saved
 * but dropped: the saved cursor is then about another list. */
static int state_load_filter(struct tui *t)
{
	char *saved = state_get(t, "filter");
	if (!saved)
		return 1;
	struct filter f;
	struct err e = {0};
	int kept = 0;
	if (filter_deserialise(&f, saved, &e) == OK) {
		if (store_filter_check(t->s, &f, &e) == OK) {
			filter_free(&t->f);
			t->f = f;
			kept = 1;
		} else {
			tui_message(t, 1, "last session's filter dropped: %s", e.msg);
			filter_free(&f);
		}
	}
	free(saved);
	return kept;
}

/* Whether stamp is the database's state now: nothing any list shows has changed since
 * it was taken. */
static int state_stamp_holds(struct tui *t, const char *stamp)
{
	char *now = NULL;
	struct err e = {0};
	int same = store_data_stamp(t->s, &now, &e) == OK && strcmp(now, stamp) == 0;
	free(now);
	return same;
}

/* "cursor top id stamp" (or, saved before the stamp, "cursor top id"): when the stamp
 * still holds, the store is told where the action is, so the window around it is read
 * from there and not by walking the list from its start (a reopen deep in a long list). */
static void state_load_cursor(struct tui *t, int same_list)
{
	char *saved = state_get(t, "cursor");
	long pos = 0, top = 0;
	long long id = 0;
	char stamp[128];
	int n = saved ? sscanf(saved, "%ld %ld %lld %127s", &pos, &top, &id, stamp) : 0;
	if (n >= 3) {
		t->cursor = pos;
		t->top = top;
		list_clamp(t);
		if (n == 4 && id && same_list && t->cursor == pos && state_stamp_holds(t, stamp)) {
			struct err e = {0};
			store_place(t->s, &t->f, t->cursor, id, &e);   /* not in the list: found below */
		}
		struct row *r = list_row(t, t->cursor);
		if (id && (!r || r->id != id) && t->count <= POSITION_SEARCH_MAX) {
			struct err e = {0};
			long found = -1;
			if (store_position(t->s, &t->f, id, &found, &e) == OK && found >= 0) {
				t->cursor = found;
				list_clamp(t);
			}
		}
	}
	free(saved);
}

void state_load(struct tui *t, const struct filter *cmdline)
{
	int given = cmdline && (filter_active(cmdline) || cmdline->nsort);
	if (given) {
		filter_free(&t->f);
		filter_copy(&t->f, cmdline);
	}
	int same_list = given || state_load_filter(t);
	list_reload_counts(t);
	if (!given)
		state_load_cursor(t, same_list);
}
