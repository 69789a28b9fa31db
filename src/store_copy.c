/* store_copy: db copy FROM TO, a SQLite database into a PostgreSQL one, ids, history
 * and notes kept.  Every table goes over in one COPY (never a round trip per row), in
 * one transaction with the derived data paused; the search vectors and RAG totals are
 * then rebuilt in two statements and the identities and sequences set past the ids
 * copied.  The other direction comes later. */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

/* The tables copied, in the order their references need; rag_count is rebuilt, meta
 * gets the rows that are not the destination's own (its schema version, board login). */
static const char *const COPY_TABLES[] = {
	"meta", "review", "finding", "question", "agency", "agency_alias", "response", "action", "extra_field",
	"change_log", "note", "rag_word", "ui_state", "board", "board_action",
};
#define NTABLES (sizeof COPY_TABLES / sizeof *COPY_TABLES)
static const char META_OWN[] = "('schema_version', 'board_login', 'import_run')";

/* A destination table's columns, as a list for SELECT and COPY ("user" quoted), and
 * how many; action's search vector is left to the rebuild, the logins (change_log,
 * ui_state) to the server, which stamps the login that copies. */
static enum status copy_columns(struct db *pg, const char *table, char **list, int *n, struct err *err)
{
	struct db_stmt *st;
	enum status rc = db_prepare(pg, "SELECT quote_ident(column_name) FROM information_schema.columns"
	                                " WHERE table_schema = 'ragtrack' AND table_name = ?1 AND column_name NOT IN ('search', 'login')"
	                                " ORDER BY ordinal_position", &st, err);
	if (rc != OK)
		return rc;
	db_bind_text(st, 1, table);
	struct buf b = {0};
	enum db_step step;
	*n = 0;
	while ((step = db_step(st, err)) == DB_ROW) {
		buf_printf(&b, "%s%s", (*n)++ ? ", " : "", db_col_text(st, 0));
	}
	db_finalize(st);
	if (step == DB_ERROR || !*n) {
		buf_free(&b);
		return step == DB_ERROR ? ERR_DB : err_set(err, ERR_SCHEMA, "%s: has no table %s", pg->name, table);
	}
	*list = buf_steal(&b);
	return OK;
}

/* What the file's SELECT reads for cols (a new string the caller frees): the same
 * columns, but action's import signature (a BLOB) in bytea's text form, "\\x" and hex
 * digits, which COPY takes for a bytea. */
static char *copy_select_list(const char *table, const char *cols)
{
	const char *at = strcmp(table, "action") == 0 ? strstr(cols, "import_sig") : NULL;
	if (!at)
		return xstrdup(cols);
	return xasprintf("%.*s'\\x' || lower(hex(import_sig))%s", (int)(at - cols), cols, at + strlen("import_sig"));
}

/* One table: read from the file, sent with COPY.  *rows gets how many went in. */
static enum status copy_table(struct db *lite, struct db *pg, const char *table, int64_t *rows, struct err *err)
{
	char *cols = NULL;
	int n;
	enum status rc = copy_columns(pg, table, &cols, &n, err);
	if (rc != OK)
		return rc;
	char *list = copy_select_list(table, cols);
	char *select = xasprintf("SELECT %s FROM %s%s%s", list, table,
	                         strcmp(table, "meta") == 0 ? " WHERE key NOT IN " : "",
	                         strcmp(table, "meta") == 0 ? META_OWN : "");
	char *copy = xasprintf("COPY ragtrack.%s (%s) FROM STDIN", table, cols);
	struct db_stmt *st = NULL;
	rc = db_prepare(lite, select, &st, err);
	if (rc == OK)
		rc = db_copy_begin(pg, copy, err);
	if (rc == OK) {
		const char **v = xcalloc((size_t)n, sizeof *v);
		enum db_step step = DB_DONE;
		while (rc == OK && (step = db_step(st, err)) == DB_ROW) {
			for (int i = 0; i < n; i++)
				v[i] = db_col_text(st, i);
			rc = db_copy_row(pg, n, v, err);
		}
		if (rc == OK && step == DB_ERROR)
			rc = ERR_DB;
		free(v);
		struct err end = {0};
		enum status ended = db_copy_end(pg, rows, &end);
		if (rc == OK && ended != OK) {
			rc = ended;
			if (err)
				*err = end;
		}
	}
	if (rc != OK && err) {          /* which table: the server's words name no table */
		char *msg = xstrdup(err->msg);
		err_set(err, err->code, "copying %s: %s", table, msg);
		free(msg);
	}
	db_finalize(st);
	free(select);
	free(list);
	free(copy);
	free(cols);
	return rc;
}

/* The destination must hold no rows of its own (the ids are the file's). */
static enum status copy_check_empty(struct db *pg, struct err *err)
{
	int64_t rows = db_scalar_int(pg, "SELECT (SELECT count(*) FROM review) + (SELECT count(*) FROM agency)"
	                                 " + (SELECT count(*) FROM action) + (SELECT count(*) FROM change_log)"
	                                 " + (SELECT count(*) FROM board) + (SELECT count(*) FROM ui_state)", 0, -1);
	if (rows < 0)
		return err_set(err, ERR_DB, "%s: cannot count its rows", pg->name);
	if (rows > 0)
		return err_set(err, ERR_CONFLICT, "%s: already holds actions or other rows: db copy writes only into a "
		               "database without them (nothing was copied)", pg->name);
	return OK;
}

/* After the rows: the derived data, and every identity and sequence past what was
 * copied, so new rows never take a copied id. */
static enum status copy_settle(struct db *pg, struct err *err)
{
	static const char SQL[] =
		"UPDATE action a SET search = rt_doc(a.question_id, a.response_id, a.id, a.text, a.evidence, a.extra);"
		"DELETE FROM rag_count;"
		"INSERT INTO rag_count SELECT review_id, coalesce(agency_id, 0), rag, count(*) FROM action GROUP BY 1, 2, 3;"
		"SELECT setval('change_batch', greatest(max(batch), 1), max(batch) IS NOT NULL) FROM change_log;"
		"SELECT setval('import_run', greatest(max(greatest(run, created_run)), 1), max(run) IS NOT NULL) FROM response;";
	enum status rc = db_exec(pg, SQL, err);
	static const char *const IDS[] = { "review", "finding", "question", "agency", "response", "action", "change_log",
	                                   "note", "board" };
	for (size_t i = 0; rc == OK && i < sizeof IDS / sizeof *IDS; i++) {
		char *sql = xasprintf("SELECT setval(pg_get_serial_sequence('ragtrack.%1$s', 'id'), greatest(max(id), 1),"
		                      " max(id) IS NOT NULL) FROM %1$s", IDS[i]);
		rc = db_exec(pg, sql, err);
		free(sql);
	}
	return rc;
}

/* The rows of a table in the file, for the report and the check that all went over. */
static int64_t copy_source_rows(struct db *lite, const char *table)
{
	char *sql = xasprintf("SELECT count(*) FROM %s%s%s", table, strcmp(table, "meta") == 0 ? " WHERE key NOT IN " : "",
	                      strcmp(table, "meta") == 0 ? META_OWN : "");
	int64_t n = db_scalar_int(lite, sql, 0, -1);
	free(sql);
	return n;
}

static enum status copy_all(struct store *src, struct store *dst, const char *from, struct buf *report, struct err *err)
{
	struct db *lite = db_sqlite_wrap(src->db, from);
	struct db *pg = dst->pg;
	int64_t copied[NTABLES] = {0};
	enum status rc = copy_check_empty(pg, err);
	if (rc == OK)             /* the triggers leave search vectors and totals to copy_settle */
		rc = db_exec(pg, "SET LOCAL ragtrack.import_run = 'on'", err);
	for (size_t i = 0; rc == OK && i < NTABLES; i++) {
		rc = copy_table(lite, pg, COPY_TABLES[i], &copied[i], err);
		int64_t want = rc == OK ? copy_source_rows(lite, COPY_TABLES[i]) : 0;
		if (rc == OK && want != copied[i])
			rc = err_set(err, ERR_DB, "copying %s: %lld rows of %lld went over", COPY_TABLES[i], (long long)copied[i],
			             (long long)want);
	}
	if (rc == OK)
		rc = db_exec(pg, "SET LOCAL ragtrack.import_run = 'off'", err);
	if (rc == OK)
		rc = copy_settle(pg, err);
	if (rc == OK)
		buf_printf(report, "%s: copied from %s: reviews %lld, actions %lld, notes %lld, change-log entries %lld, "
		           "boards recorded %lld (ids kept; search vectors and RAG totals rebuilt)\n", pg->name, from,
		           (long long)copied[1], (long long)copied[7], (long long)copied[10], (long long)copied[9],
		           (long long)copied[13]);
	db_close(lite);
	return rc;
}

enum status store_copy(const char *from, const char *to, const struct store_opts *o, char **report, struct err *err)
{
	*report = NULL;
	if (store_pg_target(from))
		return err_set(err, ERR_USAGE, "db copy: copying from a PostgreSQL database is not available yet");
	if (!store_pg_target(to))
		return err_set(err, ERR_USAGE, "db copy: TO must be a PostgreSQL database (postgresql://..., pg:service=NAME);"
		               " a copy into a file is ragtrack backup FILE");
	struct store_opts so = { .read_only = 1, .source = SOURCE_CLI, .command = "db" };
	struct store *src;
	enum status rc = store_open(from, &so, &src, err);
	if (rc != OK)
		return rc;
	struct buf b = {0};
	struct store *dst = NULL;
	rc = store_exec(src, "BEGIN", err);      /* one snapshot of the file, whoever writes to it */
	if (rc == OK)
		rc = store_pg_begin_init(to, o, &dst, &b, err);
	if (rc == OK)
		rc = copy_all(src, dst, from, &b, err);
	if (rc == OK)
		rc = db_exec(dst->pg, "COMMIT", err);
	store_close(dst);                        /* without the COMMIT: rolled back */
	store_close(src);
	if (rc == OK)
		*report = buf_steal(&b);
	buf_free(&b);
	return rc;
}
