/* store_db_pg: the statement layer's PostgreSQL driver, over libpq.  Statements are
 * sent with PQsendQueryParams when first stepped (one round trip per execution,
 * parameters as text, results as text), after the neutral SQL's ?N parameters are
 * renumbered $N; while the server runs one, the driver waits on the socket in slices,
 * asking the cancel callback (db_set_cancel) between them. */
#include "store_db.h"
#include "ragtrack/util.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#define PG_MAX_PARAMS 64
/* How long the driver waits on the server between two questions to the cancel callback:
 * short enough that a cancel key takes at once, long enough to cost nothing. */
#define PG_CANCEL_SLICE_MS 25

struct pg_db {
	struct db db;
	PGconn *conn;
	int64_t heard, heard_others;   /* notifications read so far (pg_heard) */
	int writing;               /* a transaction that may write is open: BEGIN ran, no COMMIT or ROLLBACK yet */
	db_cancel_fn cancel;       /* db_set_cancel's, with its context */
	void *cancel_ctx;
	int cancelled;             /* the callback stopped the last statement (pg_fail words it) */
};

struct pg_stmt {
	struct db_stmt st;
	char *sql;                 /* with $N parameters */
	int nparams;
	char *value[PG_MAX_PARAMS];  /* bound values as text; NULL binds NULL */
	PGresult *res;
	int row, nrows;
};

static PGconn *db_pg_conn(struct db *db)
{
	return ((struct pg_db *)db)->conn;
}

/* The first line of a libpq message, without its "ERROR:  " or "FATAL:  " label. */
static void db_pg_first_line(const char *msg, char *out, size_t n)
{
	if (!msg)
		msg = "";
	size_t len = strcspn(msg, "\n");
	snprintf(out, n, "%.*s", (int)len, msg);
}

/* The status a failed result stands for, by its SQLSTATE. */
static enum status pg_status(PGconn *conn, const PGresult *res)
{
	const char *code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(conn) != CONNECTION_OK || (code && strncmp(code, "08", 2) == 0))
		return ERR_DB;
	if (!code)
		return ERR_DB;
	if (strcmp(code, "25006") == 0)
		return ERR_READ_ONLY;
	if (strcmp(code, "42501") == 0)
		return ERR_FORBIDDEN;
	if (strcmp(code, "40001") == 0 || strcmp(code, "40P01") == 0)
		return ERR_CONFLICT;
	if (strcmp(code, "57014") == 0)
		return ERR_CANCELLED;
	if (strcmp(code, "53100") == 0)
		return ERR_FULL;
	return ERR_DB;
}

static enum status pg_fail(struct db *db, const PGresult *res, struct err *err)
{
	PGconn *conn = db_pg_conn(db);
	char line[512];
	if (PQstatus(conn) != CONNECTION_OK) {
		db_pg_first_line(PQerrorMessage(conn), line, sizeof line);
		struct pg_db *d = (struct pg_db *)db;
		int writing = d->writing;
		d->writing = 0;
		return err_set(err, ERR_DB, "%s: the connection to the server was lost: %s%s", db->name, line,
		               writing ? " (the change was not saved: the server rolls back what was not committed)" : "");
	}
	enum status st = pg_status(conn, res);
	if (st == ERR_CANCELLED && ((struct pg_db *)db)->cancelled)
		return err_set(err, st, "%s: cancelled", db->name);     /* as the SQLite store says it */
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	db_pg_first_line(primary ? primary : res ? PQresultErrorMessage(res) : PQerrorMessage(conn), line, sizeof line);
	return err_set(err, st, "%s: %s", db->name, line);
}

static int pg_ok(const PGresult *res)
{
	ExecStatusType t = PQresultStatus(res);
	return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

static void pg_close(struct db *db)
{
	PQfinish(db_pg_conn(db));
	free(db->name);
	free(db);
}

/* Ask the server to stop the statement it runs for conn.  A request that cannot be sent
 * is not an error: the statement then runs to its end. */
static void pg_send_cancel(PGconn *conn)
{
	char why[256];
	PGcancel *c = PQgetCancel(conn);
	if (!c)
		return;
	(void)PQcancel(c, why, sizeof why);
	PQfreeCancel(c);
}

/* Until the statement sent on d has its results: wait on the socket, in slices while a
 * cancel callback is set, asking it after each; on its word, ask the server to cancel
 * (once) and wait for the end without asking again.  A lost connection ends the wait
 * (PQgetResult then says so). */
static void pg_wait(struct pg_db *d)
{
	PGconn *conn = d->conn;
	while (PQisBusy(conn)) {
		int asking = d->cancel && !d->cancelled;
		struct pollfd p = { .fd = PQsocket(conn), .events = POLLIN };
		if (p.fd < 0)
			return;
		int n = poll(&p, 1, asking ? PG_CANCEL_SLICE_MS : -1);
		if (n < 0 && errno != EINTR)
			return;
		if (n > 0 && !PQconsumeInput(conn))
			return;
		if (asking && d->cancel(d->cancel_ctx)) {
			d->cancelled = 1;
			pg_send_cancel(conn);
		}
	}
}

/* The results of the statement sent on d, as PQexec gives them: the last one (a failure
 * ends a statement list), stopping at a COPY; NULL when the send failed.  When the
 * cancel callback stopped it inside a transaction, the transaction is rolled back, as
 * SQLite rolls back an interrupted one, so the connection takes statements again. */
static PGresult *pg_result(struct pg_db *d, int sent)
{
	d->cancelled = 0;
	if (!sent)
		return NULL;
	pg_wait(d);
	PGresult *last = NULL, *res;
	while ((res = PQgetResult(d->conn)) != NULL) {
		PQclear(last);
		last = res;
		ExecStatusType t = PQresultStatus(res);
		if (t == PGRES_COPY_IN || t == PGRES_COPY_OUT || t == PGRES_COPY_BOTH || PQstatus(d->conn) != CONNECTION_OK)
			break;
	}
	if (d->cancelled && PQtransactionStatus(d->conn) == PQTRANS_INERROR) {
		PQclear(PQexec(d->conn, "ROLLBACK"));
		d->writing = 0;
	}
	return last;
}

static enum status pg_exec(struct db *db, const char *sql, struct err *err)
{
	struct pg_db *d = (struct pg_db *)db;
	if (strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0)
		d->writing = 0;        /* a lost COMMIT's outcome is the caller's to find out */
	PGresult *res = pg_result(d, PQsendQuery(d->conn, sql));
	if (strcmp(sql, "BEGIN") == 0 && pg_ok(res))
		d->writing = 1;
	enum status st = pg_ok(res) ? OK : pg_fail(db, res, err);
	PQclear(res);
	return st;
}

/* sql with ?N as $N and each plain ? as the next number, outside quotes; *nparams gets
 * the highest number.  Returns a new string. */
static char *pg_numbered(const char *sql, int *nparams)
{
	struct buf b = {0};
	int next = 0, high = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			buf_addc(&b, *p);
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			buf_addc(&b, *p);
		} else if (*p == '?') {
			int n = 0;
			while (p[1] >= '0' && p[1] <= '9')
				n = n * 10 + (*++p - '0');
			if (!n)
				n = ++next;
			else
				next = n;
			if (n > high)
				high = n;
			buf_printf(&b, "$%d", n);
		} else {
			buf_addc(&b, *p);
		}
	}
	*nparams = high;
	return b.s ? buf_steal(&b) : xstrdup("");
}

static enum status pg_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
	int n;
	char *text = pg_numbered(sql, &n);
	if (n > PG_MAX_PARAMS) {
		free(text);
		return err_set(err, ERR_DB, "%s: a statement with %d parameters (at most %d)", db->name, n, PG_MAX_PARAMS);
	}
	struct pg_stmt *st = xcalloc(1, sizeof *st);
	st->st.db = db;
	st->sql = text;
	st->nparams = n;
	*out = &st->st;
	return OK;
}

static void pg_clear_result(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
}

static void pg_bind(struct db_stmt *s, int i, char *v)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	if (i < 1 || i > st->nparams) {        /* as SQLite: a parameter the SQL lacks is ignored */
		free(v);
		return;
	}
	free(st->value[i - 1]);
	st->value[i - 1] = v;
}

static void pg_bind_int(struct db_stmt *s, int i, int64_t v)
{
	pg_bind(s, i, xasprintf("%lld", (long long)v));
}

static void pg_bind_text(struct db_stmt *s, int i, const char *v)
{
	pg_bind(s, i, v ? xstrdup(v) : NULL);
}

static enum db_step pg_step(struct db_stmt *s, struct err *err)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	if (!st->res) {
		struct pg_db *d = (struct pg_db *)s->db;
		st->res = pg_result(d, PQsendQueryParams(d->conn, st->sql, st->nparams, NULL,
		                                         (const char *const *)st->value, NULL, NULL, 0));
		if (!pg_ok(st->res)) {
			pg_fail(s->db, st->res, err);
			pg_clear_result(st);
			return DB_ERROR;
		}
		st->nrows = PQntuples(st->res);
		st->row = -1;
	}
	if (st->row + 1 >= st->nrows) {
		st->row = st->nrows;
		return DB_DONE;
	}
	st->row++;
	return DB_ROW;
}

static int pg_col_null(struct db_stmt *s, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	return !st->res || st->row < 0 || st->row >= st->nrows || PQgetisnull(st->res, st->row, i);
}

static const char *pg_col_text(struct db_stmt *s, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	return pg_col_null(s, i) ? NULL : PQgetvalue(st->res, st->row, i);
}

static int64_t pg_col_int(struct db_stmt *s, int i)
{
	const char *v = pg_col_text(s, i);
	return v ? strtoll(v, NULL, 10) : 0;
}

static void pg_reset(struct db_stmt *s)
{
	pg_clear_result((struct pg_stmt *)s);
}

static void pg_finalize(struct db_stmt *s)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	pg_clear_result(st);
	for (int i = 0; i < st->nparams; i++)
		free(st->value[i]);
	free(st->sql);
	free(st);
}

/* ---- COPY FROM STDIN, in its text format ---------------------------------------------- */

static enum status pg_copy_begin(struct db *db, const char *sql, struct err *err)
{
	PGresult *res = PQexec(db_pg_conn(db), sql);
	enum status st = PQresultStatus(res) == PGRES_COPY_IN ? OK : pg_fail(db, res, err);
	PQclear(res);
	return st;
}

/* One row as COPY's text format has it: tab between values, \N for NULL, and the
 * backslash, tab, newline and carriage return escaped. */
static void pg_copy_line(struct buf *b, int ncols, const char *const *values)
{
	for (int i = 0; i < ncols; i++) {
		if (i)
			buf_addc(b, '\t');
		if (!values[i]) {
			buf_adds(b, "\\N");
			continue;
		}
		for (const char *p = values[i]; *p; p++) {
			switch (*p) {
			case '\\': buf_adds(b, "\\\\"); break;
			case '\t': buf_adds(b, "\\t"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			default: buf_addc(b, *p);
			}
		}
	}
	buf_addc(b, '\n');
}

static enum status pg_copy_row(struct db *db, int ncols, const char *const *values, struct err *err)
{
	struct buf b = {0};
	pg_copy_line(&b, ncols, values);
	int sent = PQputCopyData(db_pg_conn(db), b.s, (int)b.len);
	buf_free(&b);
	return sent == 1 ? OK : pg_fail(db, NULL, err);
}

static enum status pg_copy_end(struct db *db, int64_t *rows, struct err *err)
{
	PGconn *conn = db_pg_conn(db);
	enum status st = PQputCopyEnd(conn, NULL) == 1 ? OK : pg_fail(db, NULL, err);
	PGresult *res;
	while ((res = PQgetResult(conn)) != NULL) {     /* the COPY's own result, then the end */
		if (st == OK && PQresultStatus(res) != PGRES_COMMAND_OK)
			st = pg_fail(db, res, err);
		else if (st == OK && rows)
			*rows = strtoll(PQcmdTuples(res), NULL, 10);
		PQclear(res);
	}
	return st;
}

static int pg_in_transaction(struct db *db)
{
	return PQtransactionStatus(db_pg_conn(db)) != PQTRANS_IDLE;
}

/* libpq keeps the notifications that came with any result; PQconsumeInput reads those
 * waiting on the socket without blocking.  The payload is never looked at: the server
 * sends one per committed transaction that changed actions, and nothing else. */
static void pg_heard(struct db *db, int64_t *all, int64_t *others)
{
	struct pg_db *d = (struct pg_db *)db;
	PQconsumeInput(d->conn);
	PGnotify *n;
	int me = PQbackendPID(d->conn);
	while ((n = PQnotifies(d->conn)) != NULL) {
		d->heard++;
		d->heard_others += n->be_pid != me;
		PQfreemem(n);
	}
	*all = d->heard;
	*others = d->heard_others;
}

static const struct db_ops PG_OPS = {
	.engine = DB_PG,
	.name = "PostgreSQL",
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.step = pg_step,
	.col_null = pg_col_null,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.copy_begin = pg_copy_begin,
	.copy_row = pg_copy_row,
	.copy_end = pg_copy_end,
	.in_transaction = pg_in_transaction,
	.heard = pg_heard,
	.frag = {
		[DF_NOCASE_ORDER] = "rt_nocase(%1$s), %1$s",
		[DF_LIST_NOCASE] = "(SELECT string_agg(%1$s, ', ' ORDER BY rt_nocase(%1$s), %1$s) FROM %2$s)",
		[DF_NOCASE_EQ] = "rt_nocase(%1$s) = rt_nocase(%2$s)",
		[DF_FEW_OPEN] = "(",
		[DF_FEW_CLOSE] = ")",
		[DF_CONTAINS] = "strpos(lower(%1$s), lower(%2$s::text)) > 0",
		[DF_LIMIT_ALL] = "ALL",
		[DF_IFNULL] = "coalesce",
		[DF_INT] = "(%1$s)::int",
		[DF_DAYS] = "(%1$s::date - %2$s::date)",
		[DF_UNIT_SEP] = "chr(31)",
		[DF_NOCASE_KEY] = "rt_nocase(%1$s)",
		[DF_TRUE] = "true",
		[DF_CROSS_JOIN] = "JOIN",
		[DF_BEGIN_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		[DF_UI_MINE] = "login = session_user AND ",
		[DF_UI_KEY] = "login, ",
	},
};

/* HOST/DATABASE as libpq resolved them (a socket folder is a host too); never the
 * password.  A new string. */
static char *pg_name(PGconn *conn)
{
	const char *host = PQhost(conn), *db = PQdb(conn);
	return xasprintf("%s/%s", str_empty(host) ? "localhost" : host, str_empty(db) ? "?" : db);
}

/* The server's notices ("extension already exists, skipping") are not the user's
 * business: errors come back as results, and the store words them. */
static void pg_quiet(void *ctx, const char *message)
{
	(void)ctx;
	(void)message;
}

enum status db_pg_connect(const char *conninfo, struct db **out, struct err *err)
{
	/* Ours first, so the string's own application_name wins; the encoding last, so
	 * every text crosses as UTF-8 whatever the string or the environment say. */
	const char *const keys[] = { "application_name", "dbname", "client_encoding", NULL };
	const char *const values[] = { "ragtrack", conninfo, "UTF8", NULL };
	*out = NULL;
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	if (!conn)
		return err_set(err, ERR_DB, "cannot connect: out of memory");
	char *name = pg_name(conn);
	if (PQstatus(conn) != CONNECTION_OK) {
		char line[512];
		db_pg_first_line(PQerrorMessage(conn), line, sizeof line);
		err_set(err, ERR_DB, "cannot connect to %s: %s", name, line);
		free(name);
		PQfinish(conn);
		return ERR_DB;
	}
	struct pg_db *d = xcalloc(1, sizeof *d);
	d->db.ops = &PG_OPS;
	d->db.name = name;
	d->conn = conn;
	PQsetNoticeProcessor(conn, pg_quiet, NULL);
	*out = &d->db;
	return OK;
}

/* ---- COPY TO STDOUT, in its text format ----------------------------------------------- */

struct db_copy_out {
	struct db *db;
	int ncols;
	char *line;               /* PQgetCopyData's row, unescaped in place */
	const char **value;
};

enum status db_copy_out_begin(struct db *db, const char *sql, int ncols, struct db_copy_out **out, struct err *err)
{
	*out = NULL;
	if (db->ops->engine != DB_PG)
		return err_set(err, ERR_DB, "%s: COPY is PostgreSQL's", db->name);
	PGresult *res = PQexec(db_pg_conn(db), sql);
	enum status st = PQresultStatus(res) == PGRES_COPY_OUT ? OK : pg_fail(db, res, err);
	PQclear(res);
	if (st != OK)
		return st;
	struct db_copy_out *c = xcalloc(1, sizeof *c);
	c->db = db;
	c->ncols = ncols;
	c->value = xcalloc((size_t)ncols, sizeof *c->value);
	*out = c;
	return OK;
}

/* The value of an octal or hex digit, or -1. */
static int copy_digit(char ch, int base)
{
	if (ch >= '0' && ch <= (base == 8 ? '7' : '9'))
		return ch - '0';
	if (base == 16 && ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (base == 16 && ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* One backslash escape at *p (after the backslash): the byte it stands for; *p moves on. */
static char copy_unescape(const char **p)
{
	static const char SIMPLE[] = "b\bf\fn\nr\rt\tv\v";
	char ch = *(*p)++;
	const char *s = ch ? strchr(SIMPLE, ch) : NULL;
	if (s && (s - SIMPLE) % 2 == 0)
		return s[1];
	int base = ch == 'x' ? 16 : copy_digit(ch, 8) >= 0 ? 8 : 0;
	if (!base)
		return ch;                 /* \\ and any other: the byte itself */
	int v = base == 8 ? copy_digit(ch, 8) : 0, d;
	for (int n = base == 8 ? 1 : 0; n < (base == 8 ? 3 : 2) && (d = copy_digit(**p, base)) >= 0; n++, (*p)++)
		v = v * base + d;
	return (char)v;
}

/* Split and unescape c->line (len bytes, its newline last) into c->value. */
static int copy_split(struct db_copy_out *c, int len)
{
	if (len > 0 && c->line[len - 1] == '\n')
		c->line[--len] = '\0';
	const char *p = c->line;
	char *w = c->line;
	int n = 0;
	for (;;) {
		if (n == c->ncols)
			return 0;
		if (p[0] == '\\' && p[1] == 'N' && (p[2] == '\t' || p[2] == '\0')) {
			c->value[n++] = NULL;
			p += 2;
		} else {
			c->value[n++] = w;
			while (*p && *p != '\t')
				*w++ = *p == '\\' ? (p++, copy_unescape(&p)) : *p++;
		}
		char end = *p;
		*w++ = '\0';
		if (!end)
			return n == c->ncols;
		p++;
	}
}

enum db_step db_copy_out_row(struct db_copy_out *c, const char *const **values, struct err *err)
{
	PGconn *conn = db_pg_conn(c->db);
	if (c->line)
		PQfreemem(c->line);
	c->line = NULL;
	int len = PQgetCopyData(conn, &c->line, 0);
	if (len >= 0) {
		if (!copy_split(c, len)) {
			err_set(err, ERR_DB, "%s: a row of the COPY without its %d columns", c->db->name, c->ncols);
			return DB_ERROR;
		}
		*values = c->value;
		return DB_ROW;
	}
	enum db_step step = DB_DONE;
	PGresult *res;
	if (len == -2)
		step = (pg_fail(c->db, NULL, err), DB_ERROR);
	while ((res = PQgetResult(conn)) != NULL) {     /* the COPY's own result, then the end */
		if (step == DB_DONE && PQresultStatus(res) != PGRES_COMMAND_OK)
			step = (pg_fail(c->db, res, err), DB_ERROR);
		PQclear(res);
	}
	return step;
}

void db_copy_out_end(struct db_copy_out *c)
{
	if (!c)
		return;
	const char *const *v;
	while (db_copy_out_row(c, &v, NULL) == DB_ROW)
		;
	if (c->line)
		PQfreemem(c->line);
	free(c->value);
	free(c);
}

/* ---- cancel -------------------------------------------------------------------------------- */

void db_set_cancel(struct db *db, db_cancel_fn fn, void *ctx)
{
	if (db->ops->engine != DB_PG)
		return;
	struct pg_db *d = (struct pg_db *)db;
	d->cancel = fn;
	d->cancel_ctx = ctx;
}

/* ---- LISTEN and NOTIFY ------------------------------------------------------------------ */

int db_pg_socket(struct db *db)
{
	return db->ops->engine == DB_PG ? PQsocket(db_pg_conn(db)) : -1;
}
