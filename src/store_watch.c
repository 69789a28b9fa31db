/* store_watch: other connections' commits, for the browser's live refresh.  On
 * PostgreSQL the schema's statement triggers (rt_changed) call pg_notify on one channel
 * at every change to what the browser shows, with an empty payload (the notification
 * reaches every listener, a lead of another agency too: it must say nothing about the
 * rows), and the server delivers it at commit; the store LISTENs from its open (the
 * window cache goes by the same notifications) and the browser polls the connection's
 * socket.  A SQLite file has no socket: its data_version moves when
 * another connection commits, cheap enough to ask once a second. */
#include "store_int.h"
#include "store_db.h"

/* *changed = 1 when another connection committed a change since the last look (this
 * handle's own writes do not count); the first look only notes where the database
 * stands.  On the server: the notifications the driver has heard of from others (no
 * round trip); on a file: PRAGMA data_version. */
static enum status changed_by_others(struct store *s, int *changed, struct err *err)
{
	*changed = 0;
	if (!s->db) {            /* PostgreSQL: other connections' commits heard of (LISTEN) */
		int64_t all, others;
		db_heard(s->pg, &all, &others);
		*changed = s->seen_version >= 0 && others != s->seen_version;
		s->seen_version = others;
		return OK;
	}
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, "PRAGMA data_version", err);
	if (rc != OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(st, 0);
		*changed = s->seen_version >= 0 && v != s->seen_version;
		s->seen_version = v;
	} else {
		rc = store_fail(s, err, "reading data_version");
	}
	sqlite3_finalize(st);
	return rc;
}

enum status store_watch_start(struct store *s, struct err *err)
{
	if (s->watching)
		return OK;
	enum status rc = changed_by_others(s, &(int){0}, err);   /* where the look starts */
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
	if (rc == OK)
		rc = changed_by_others(s, changed, err);
	if (rc == OK && s->pg && db_pg_socket(s->pg) < 0)   /* libpq drops a connection that broke */
		rc = err_set(err, ERR_DB, "%s: the connection to the server was lost", s->path);
	return rc;
}
