/* store_watch: other connections' commits, for the browser's live refresh.  On
 * PostgreSQL the schema's statement triggers call pg_notify on one channel at every
 * change to what the browser shows, with an empty payload (the notification reaches
 * every listener, a lead of another agency too: it must say nothing about the rows),
 * and the server delivers it at commit; the store LISTENs and the browser polls the
 * connection's socket.  A SQLite file has no socket: its data_version moves when
 * another connection commits, cheap enough to ask once a second. */
#include "store_int.h"
#include "store_db.h"

/* The channel schema_pg.sql's rt_notify_change() notifies. */
#define WATCH_CHANNEL "ragtrack_changes"

enum status store_watch_start(struct store *s, struct err *err)
{
	if (s->watching)
		return OK;
	enum status rc;
	if (s->pg)
		rc = db_exec(s->pg, "LISTEN " WATCH_CHANNEL, err);
	else
		rc = store_changed_by_others(s, &(int){0}, err);
	s->watching = rc == OK;
	return rc;
}

int store_watch_fd(struct store *s)
{
	return s->watching && s->pg ? db_pg_socket(s->pg) : -1;
}

enum status store_watch_changed(struct store *s, int *changed, struct err *err)
{
	*changed = 0;
	enum status rc = store_watch_start(s, err);
	if (rc != OK)
		return rc;
	if (s->pg) {
		int n = 0;
		rc = db_pg_notifications(s->pg, WATCH_CHANNEL, &n, err);
		*changed = n > 0;
	} else {
		rc = store_changed_by_others(s, changed, err);
	}
	if (*changed)
		s->others_changes++;
	return rc;
}
