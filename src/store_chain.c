/* store_chain: the change log's hash chain.  Each row carries prev_hash (the hash of
 * the row before it, "" for the first) and hash = SHA-256 of prev_hash and the row's
 * own content, so a row rewritten, removed or moved breaks the chain where it was.
 * SQLite cannot stop someone who can write the file from rewriting every row and
 * recomputing the whole chain; the chain makes that the only way not to be seen
 * (docs/reliability.md).  SHA-256 is FIPS 180-4, written here to need no library.
 * Also check, which walks the chain: one copy for both engines through the statement
 * layer, with what only one engine has (SQLite's integrity_check and FTS5 index, the
 * server's row-level security) said to be that engine's. */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SHA-256 --------------------------------------------------------------------- */

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t used;
};

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_init(struct sha256 *c)
{
	static const uint32_t H0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(c->h, H0, sizeof H0);
	c->bytes = 0;
	c->used = 0;
}

static void sha256_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, c->h, sizeof v);
	for (int i = 0; i < 64; i++) {
		uint32_t s1 = ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + s1 + ch + K[i] + w[i];
		uint32_t s0 = ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		memmove(v + 1, v, 7 * sizeof *v);
		v[4] += t1;
		v[0] = t1 + s0 + maj;
	}
	for (int i = 0; i < 8; i++)
		c->h[i] += v[i];
}

static void sha256_add(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	c->bytes += n;
	while (n) {
		size_t take = 64 - c->used < n ? 64 - c->used : n;
		memcpy(c->block + c->used, p, take);
		c->used += take;
		p += take;
		n -= take;
		if (c->used == 64) {
			sha256_block(c, c->block);
			c->used = 0;
		}
	}
}

/* Finish: the digest as 64 lower-case hex digits and a NUL in hex. */
static void sha256_hex(struct sha256 *c, char hex[65])
{
	uint64_t bits = c->bytes * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	sha256_add(c, &pad, 1);
	while (c->used != 56)
		sha256_add(c, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_add(c, len, 8);
	for (int i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08x", c->h[i]);
}

void store_sha256_hex(const void *data, size_t n, char hex[65])
{
	struct sha256 c;
	sha256_init(&c);
	sha256_add(&c, data, n);
	sha256_hex(&c, hex);
}

/* ---- a row's hash --------------------------------------------------------------- */

/* One value as hashed: "|" then its byte length, ":" and its bytes, or "|-" for NULL
 * (unambiguous whatever the value holds). */
static void hash_value(struct sha256 *c, const char *v)
{
	char head[32];
	int n = v ? snprintf(head, sizeof head, "|%zu:", strlen(v)) : snprintf(head, sizeof head, "|-");
	sha256_add(c, head, (size_t)n);
	if (v)
		sha256_add(c, v, strlen(v));
}

void store_chain_hash(const char *prev_hash, const char *const v[CHAIN_COLUMNS], char hex[65])
{
	struct sha256 c;
	sha256_init(&c);
	sha256_add(&c, prev_hash ? prev_hash : "", prev_hash ? strlen(prev_hash) : 0);
	for (int i = 0; i < CHAIN_COLUMNS; i++)
		hash_value(&c, v[i]);
	sha256_hex(&c, hex);
}

/* The columns hashed, in order: every column but id, prev_hash and hash.  Integers as
 * SQLite writes them as text, which is how PostgreSQL writes them too.  Read in id
 * order CHAIN_BATCH rows at a time (?1: the last id read), so a long log never sits
 * whole in memory (PostgreSQL's driver holds a statement's result). */
#define CHAIN_SELECT "SELECT id, prev_hash, hash, action_id, at, \"user\", os_user, field, old_value, new_value," \
	" source, reason, batch, undoes, undoes_change FROM change_log WHERE id > ?1 ORDER BY id LIMIT 10000"
#define CHAIN_BATCH 10000

static void row_values(struct db_stmt *st, const char *v[CHAIN_COLUMNS])
{
	for (int i = 0; i < CHAIN_COLUMNS; i++)
		v[i] = db_col_text(st, 3 + i);
}

/* ---- the upgrade: chain the rows written before there was a chain ----------------- */

enum status store_chain_unhashed(struct store *s, struct err *err)
{
	struct db_stmt *st = NULL, *up = NULL;
	enum status rc = store_exec(s, "DROP TRIGGER IF EXISTS change_log_no_update", err);
	if (rc != OK)
		return rc;
	if (db_prepare(store_db(s), CHAIN_SELECT, &st, err) != OK ||
	    db_prepare(store_db(s), "UPDATE change_log SET prev_hash = ?, hash = ? WHERE id = ?", &up, err) != OK) {
		db_finalize(st);
		return store_fail(s, err, "chaining the change log");
	}
	char prev[65] = "";
	int64_t last = 0;
	for (long rows = CHAIN_BATCH; rc == OK && rows == CHAIN_BATCH;) {
		rows = 0;
		db_bind_int(st, 1, last);
		while (rc == OK && db_step(st, err) == DB_ROW) {
			rows++;
			last = db_col_int(st, 0);
			const char *stored = db_col_text(st, 2);
			if (stored && *stored) {          /* already chained: go on from it */
				snprintf(prev, sizeof prev, "%s", stored);
				continue;
			}
			const char *v[CHAIN_COLUMNS];
			char hex[65];
			row_values(st, v);
			store_chain_hash(prev, v, hex);
			db_bind_text(up, 1, prev);
			db_bind_text(up, 2, hex);
			db_bind_int(up, 3, last);
			if (db_step(up, err) != DB_DONE)
				rc = store_fail(s, err, "chaining the change log");
			db_reset(up);
			memcpy(prev, hex, sizeof prev);
		}
		db_reset(st);
	}
	db_finalize(st);
	db_finalize(up);
	if (rc == OK)
		rc = store_exec(s, "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log"
		                   " BEGIN SELECT RAISE(ABORT, 'the change log cannot be edited'); END", err);
	return rc;
}

/* ---- check ------------------------------------------------------------------------- */

/* The id of the row whose stored hash is hash (0 when none). */
static int64_t row_with_hash(struct store *s, const char *hash)
{
	struct db_stmt *st;
	int64_t id = 0;
	if (db_prepare(store_db(s), "SELECT id FROM change_log WHERE hash = ? ORDER BY id LIMIT 1", &st, NULL) != OK)
		return 0;
	db_bind_text(st, 1, hash);
	if (db_step(st, NULL) == DB_ROW)
		id = db_col_int(st, 0);
	db_finalize(st);
	return id;
}

/* Why row id does not follow the row before it (prev_id, whose hash is prev). */
static void chain_break(struct store *s, struct buf *b, int64_t id, const char *linked, int64_t prev_id)
{
	int64_t from = *linked ? row_with_hash(s, linked) : 0;
	if (!*linked && prev_id)
		buf_printf(b, "change log: row %lld was written first: the rows before it were moved after it\n",
		           (long long)id);
	else if (from && from != prev_id)
		buf_printf(b, "change log: row %lld is out of order: it was written after row %lld\n", (long long)id,
		           (long long)from);
	else if (!prev_id)
		buf_printf(b, "change log: row %lld: the rows before it were removed\n", (long long)id);
	else if (prev_id + 2 == id)
		buf_printf(b, "change log: row %lld was removed (row %lld does not follow row %lld)\n",
		           (long long)prev_id + 1, (long long)id, (long long)prev_id);
	else if (prev_id + 1 < id)
		buf_printf(b, "change log: rows %lld to %lld were removed (row %lld does not follow row %lld)\n",
		           (long long)prev_id + 1, (long long)id - 1, (long long)id, (long long)prev_id);
	else
		buf_printf(b, "change log: row %lld does not follow row %lld: row %lld was rewritten, or rows between"
		           " them removed\n", (long long)id, (long long)prev_id, (long long)prev_id);
}

void store_chain_check(struct store *s, struct buf *b, int *problems)
{
	struct db_stmt *st;
	struct err e = {0};
	if (db_prepare(store_db(s), CHAIN_SELECT, &st, &e) != OK) {
		buf_printf(b, "change log chain: cannot run: %s\n", e.msg);
		(*problems)++;
		return;
	}
	char prev[65] = "";
	int64_t prev_id = 0, rows = 0;
	int found = 0;
	enum db_step step = DB_ROW;
	for (long batch = CHAIN_BATCH; step != DB_ERROR && batch == CHAIN_BATCH;) {
		batch = 0;
		db_bind_int(st, 1, prev_id);
		while ((step = db_step(st, &e)) == DB_ROW) {
			int64_t id = db_col_int(st, 0);
			const char *linked = db_col_text(st, 1);
			linked = linked ? linked : "";     /* NOT NULL, unless the table was remade */
			const char *stored = db_col_text(st, 2);
			const char *v[CHAIN_COLUMNS];
			char hex[65];
			row_values(st, v);
			store_chain_hash(linked, v, hex);
			int bad = 1;
			if (!stored || strcmp(stored, hex) != 0) {
				if (found < 20)
					buf_printf(b, "change log: row %lld was rewritten: its content does not match its hash\n",
					           (long long)id);
			} else if (strcmp(linked, prev) != 0) {
				if (found < 20)
					chain_break(s, b, id, linked, prev_id);
			} else {
				bad = 0;
			}
			found += bad;
			snprintf(prev, sizeof prev, "%s", stored ? stored : "");
			prev_id = id;
			rows++;
			batch++;
		}
		db_reset(st);
	}
	db_finalize(st);
	if (step == DB_ERROR) {
		buf_printf(b, "change log chain: cannot read it after row %lld: %s\n", (long long)prev_id, e.msg);
		found++;
	}
	if (found > 20)
		buf_printf(b, "change log: ... and %d more rows out of the chain\n", found - 20);
	*problems += found;
	if (!found && !rows)
		buf_adds(b, "change log chain: ok (no changes yet)\n");
	else if (!found)
		buf_printf(b, "change log chain: ok, %lld rows; the last is row %lld, hash %.16s\n", (long long)rows,
		           (long long)prev_id, prev);
}

enum status store_check_head(struct store *s, int64_t row, const char *hash, char **report, struct err *err)
{
	struct db_stmt *st;
	*report = NULL;
	if (db_prepare(store_db(s), "SELECT hash FROM change_log WHERE id = ?", &st, err) != OK)
		return store_db_fail(s, err, "preparing a query");
	db_bind_int(st, 1, row);
	enum db_step step = db_step(st, err);
	int found = step == DB_ROW;
	char *stored = found && db_col_text(st, 0) ? xstrdup(db_col_text(st, 0)) : NULL;
	db_finalize(st);
	if (step == DB_ERROR)
		return store_db_fail(s, err, "reading the change log");
	size_t n = strlen(hash);
	enum status rc = OK;
	if (!found) {
		*report = xasprintf("change log head: row %lld, noted as the last, is not there: rows were removed from"
		                    " the end\n", (long long)row);
		rc = err_set(err, ERR_DB, "%s: the change log lost rows since row %lld was noted", s->path, (long long)row);
	} else if (n < 8 || !stored || strncmp(stored, hash, n) != 0) {
		*report = xasprintf("change log head: row %lld is not the row noted (its hash is %.16s, not %s): the log was"
		                    " rewritten there or before\n", (long long)row, stored ? stored : "", hash);
		rc = err_set(err, ERR_DB, "%s: the change log was rewritten at or before row %lld", s->path, (long long)row);
	} else {
		*report = xasprintf("change log head: row %lld as noted\n", (long long)row);
	}
	free(stored);
	return rc;
}

/* ---- the whole check ---------------------------------------------------------------- */

/* Run sql (rows of one text: "ok", or a problem) under title: one line per problem (at
 * most 20), or "TITLE: ok". */
static void check_collect(struct store *s, const char *sql, const char *title, struct buf *b, int *problems)
{
	struct db_stmt *st;
	struct err e = {0};
	/* on the server a check that cannot run must not abort the others' transaction */
	if (s->pg && db_exec(s->pg, "SAVEPOINT check_one", &e) != OK) {
		buf_printf(b, "%s: cannot run: %s\n", title, e.msg);
		(*problems)++;
		return;
	}
	if (db_prepare(store_db(s), sql, &st, &e) != OK) {
		buf_printf(b, "%s: cannot run: %s\n", title, e.msg);
		(*problems)++;
		if (s->pg)
			db_exec(s->pg, "ROLLBACK TO SAVEPOINT check_one", NULL);
		return;
	}
	int rows = 0;
	enum db_step step;
	while ((step = db_step(st, &e)) == DB_ROW) {
		const char *v = db_col_text(st, 0);
		if (v && strcmp(v, "ok") == 0)
			continue;
		if (rows++ < 20)
			buf_printf(b, "%s: %s\n", title, v ? v : "problem");
		(*problems)++;
	}
	db_finalize(st);
	if (s->pg)
		db_exec(s->pg, step == DB_ERROR ? "ROLLBACK TO SAVEPOINT check_one" : "RELEASE SAVEPOINT check_one", NULL);
	if (step == DB_ERROR) {
		buf_printf(b, "%s: cannot run: %s\n", title, e.msg);
		(*problems)++;
	} else if (!rows) {
		buf_printf(b, "%s: ok\n", title);
	}
}

/* SQLite: the full-text index against the text it was built from (FTS5's own check,
 * which re-reads every action's text). */
static void check_search_index(struct store *s, struct buf *b, int *problems)
{
	if (s->read_only) {     /* FTS5 runs its check as an INSERT, which read-only refuses */
		buf_adds(b, "search index against the text: not compared (read-only)\n");
		return;
	}
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, "INSERT INTO action_fts(action_fts, rank) VALUES ('integrity-check', 1)",
	                      NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		buf_adds(b, "search index against the text: ok\n");
	else {
		buf_printf(b, "search index against the text: does not match (%s)\n", msg ? msg : sqlite3_errstr(rc));
		(*problems)++;
	}
	sqlite3_free(msg);
}

/* Both engines: every action's response is its question's and agency's, and the RAG
 * totals (rag_count, kept by triggers on either) are the actions' counts. */
static void check_shared(struct store *s, struct buf *b, int *problems)
{
	check_collect(s, "SELECT 'action ' || a.id || ' and its response ' || r.id || ' differ in question or agency'"
	                 " FROM action a JOIN response r ON r.id = a.response_id"
	                 " WHERE r.question_id <> a.question_id OR coalesce(r.agency_id, 0) <> coalesce(a.agency_id, 0)"
	                 " UNION ALL SELECT 'action ' || a.id || ' is in review ' || a.review_id || ' but its question in"
	                 " review ' || q.review_id FROM action a JOIN question q ON q.id = a.question_id"
	                 " WHERE q.review_id <> a.review_id", "actions", b, problems);
	check_collect(s, "SELECT 'review ' || r || ', agency ' || g || ', RAG ' || k || ': ' || c || ' counted, ' || a"
	                 " || ' actions' || CASE WHEN cd <> ad THEN ', ' || cd || ' counted with a target date, ' || ad"
	                 " ELSE '' END FROM"
	                 " (SELECT review_id r, agency_id g, rag k, sum(c) c, sum(a) a, sum(cd) cd, sum(ad) ad FROM"
	                 " (SELECT review_id, agency_id, rag, n c, 0 a, dated cd, 0 ad FROM rag_count UNION ALL"
	                 " SELECT review_id, coalesce(agency_id, 0), rag, 0, 1, 0, CASE WHEN target_date IS NULL THEN 0"
	                 " ELSE 1 END FROM action) byrag GROUP BY 1, 2, 3) totals"
	                 " WHERE c <> a OR cd <> ad ORDER BY r, g, k", "RAG totals", b, problems);
}

static void check_sqlite(struct store *s, struct buf *b, int *problems)
{
	check_collect(s, "PRAGMA integrity_check", "integrity", b, problems);
	check_collect(s, "SELECT printf('%s row %d refers to a missing %s', \"table\", rowid, parent)"
	                 " FROM pragma_foreign_key_check", "foreign keys", b, problems);
	check_collect(s, "SELECT CASE WHEN a = f THEN 'ok' ELSE printf('%d entries for %d actions', f, a) END"
	                 " FROM (SELECT (SELECT count(*) FROM action) AS a, (SELECT count(*) FROM action_fts_docsize) AS f)",
	              "search index", b, problems);
	check_search_index(s, b, problems);
	check_shared(s, b, problems);
	check_collect(s, "SELECT printf('trigger %s is missing: the change log can be altered', t.name) FROM"
	                 " (SELECT 'change_log_no_update' AS name UNION ALL SELECT 'change_log_no_delete') t"
	                 " WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'trigger' AND m.name = t.name)",
	              "change log", b, problems);
}

/* The server's foreign keys, each checked for rows that refer to nothing (the server
 * enforces them, unless someone turned its triggers off: session_replication_role,
 * DISABLE TRIGGER ALL).  One query per single-column key the catalogue names. */
static void check_pg_keys(struct store *s, struct buf *b, int *problems)
{
	struct db_stmt *st;
	struct err e = {0};
	struct buf q = {0};
	if (db_prepare(store_db(s),
	        "SELECT format('SELECT %L || '' row '' || %s || '' refers to a missing '' || %L FROM ragtrack.%I t"
	        " WHERE t.%I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ragtrack.%I p WHERE p.%I = t.%I)',"
	        "  c.conrelid::regclass::text, CASE WHEN EXISTS (SELECT 1 FROM pg_attribute i WHERE i.attrelid = c.conrelid"
	        "   AND i.attname = 'id') THEN 't.id' ELSE 't.' || quote_ident(ca.attname) END,"
	        "  c.confrelid::regclass::text, c.conrelid::regclass::text, ca.attname, c.confrelid::regclass::text,"
	        "  fa.attname, ca.attname)"
	        " FROM pg_constraint c JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = c.conkey[1]"
	        " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]"
	        " WHERE c.contype = 'f' AND c.connamespace = 'ragtrack'::regnamespace AND cardinality(c.conkey) = 1"
	        " ORDER BY 1", &st, &e) != OK) {
		buf_printf(b, "foreign keys: cannot run: %s\n", e.msg);
		(*problems)++;
		return;
	}
	enum db_step step;
	while ((step = db_step(st, &e)) == DB_ROW)
		buf_printf(&q, "%s%s", q.len ? " UNION ALL " : "", db_col_text(st, 0));
	db_finalize(st);
	if (step == DB_ERROR) {
		buf_printf(b, "foreign keys: cannot run: %s\n", e.msg);
		(*problems)++;
		buf_free(&q);
		return;
	}
	if (!q.len)
		buf_adds(&q, "SELECT 'the schema has no foreign keys' WHERE true");
	char *sql = xasprintf("SELECT * FROM (%s) orphans LIMIT 100", q.s);
	check_collect(s, sql, "foreign keys", b, problems);
	free(sql);
	buf_free(&q);
}

/* The guards of the append-only records, and row-level security on every table of an
 * agency's data (one policy or more each). */
static void check_pg_guards(struct store *s, struct buf *b, int *problems)
{
	check_collect(s, "SELECT 'trigger ' || t.name || ' is ' || CASE WHEN g.tgname IS NULL THEN 'missing' ELSE 'disabled' END"
	                 " || ': the ' || t.what || ' can be altered' FROM (VALUES"
	                 " ('change_log', 'change_log_no_update', 'change log'), ('change_log', 'change_log_no_delete', 'change log'),"
	                 " ('change_log', 'change_log_no_truncate', 'change log'), ('board', 'board_no_update', 'recorded boards'),"
	                 " ('board', 'board_no_delete', 'recorded boards'), ('board', 'board_no_truncate', 'recorded boards'),"
	                 " ('board_action', 'board_action_no_update', 'recorded boards'),"
	                 " ('board_action', 'board_action_no_delete', 'recorded boards'),"
	                 " ('board_action', 'board_action_no_truncate', 'recorded boards')) t(tbl, name, what)"
	                 " LEFT JOIN pg_trigger g ON g.tgrelid = ('ragtrack.' || t.tbl)::regclass AND g.tgname = t.name"
	                 " WHERE g.tgname IS NULL OR g.tgenabled = 'D'", "change log", b, problems);
	check_collect(s, "SELECT 'table ' || t.tbl || CASE WHEN NOT c.relrowsecurity THEN ' has it turned off'"
	                 " ELSE ' has no policy' END || ': every login reads every agency''s rows there' FROM (VALUES"
	                 " ('action'), ('response'), ('note'), ('change_log'), ('rag_count'), ('board_action'), ('ui_state'))"
	                 " t(tbl) JOIN pg_class c ON c.oid = ('ragtrack.' || t.tbl)::regclass"
	                 " WHERE NOT c.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)",
	              "row-level security", b, problems);
}

static void check_pg(struct store *s, struct buf *b, int *problems)
{
	buf_adds(b, "integrity: SQLite only (a file's pages; a server's storage is its administrator's: pg_amcheck)\n");
	check_pg_keys(s, b, problems);
	check_collect(s, "SELECT CASE WHEN n = 0 THEN 'ok' ELSE n || ' of ' || a || ' actions have no search vector' END"
	                 " FROM (SELECT count(*) FILTER (WHERE search IS NULL) n, count(*) a FROM action) v",
	              "search index", b, problems);
	/* every action's vector made again from its text, as FTS5's check re-reads all */
	check_collect(s, "SELECT CASE WHEN n = 0 THEN 'ok' ELSE 'does not match (' || n || ' of ' || a"
	                 " || ' actions, the first action ' || first || ')' END FROM"
	                 " (SELECT count(*) FILTER (WHERE bad) n, count(*) a, min(id) FILTER (WHERE bad) first FROM"
	                 "  (SELECT id, search IS DISTINCT FROM rt_doc(question_id, response_id, id, text, evidence, extra) bad"
	                 "   FROM action) d) v", "search index against the text", b, problems);
	check_shared(s, b, problems);
	check_pg_guards(s, b, problems);
}

enum status store_check(struct store *s, char **report, struct err *err)
{
	struct buf b = {0};
	int problems = 0;
	if (s->pg) {       /* one snapshot of the server for every check */
		struct err e = {0};
		if (db_exec(s->pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", &e) != OK)
			return err_set(err, e.code, "%s", e.msg);
		check_pg(s, &b, &problems);
	} else {
		check_sqlite(s, &b, &problems);
	}
	store_chain_check(s, &b, &problems);
	if (s->pg)
		db_exec(s->pg, "COMMIT", NULL);
	buf_printf(&b, problems ? "%d problem(s) found\n" : "database is sound\n", problems);
	*report = buf_steal(&b);
	return problems ? err_set(err, ERR_DB, "%s: %d problem(s) found", s->path, problems) : OK;
}
