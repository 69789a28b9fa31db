/* store_chain: the change log's hash chain.  Each row carries prev_hash (the hash of
 * the row before it, "" for the first) and hash = SHA-256 of prev_hash and the row's
 * own content, so a row rewritten, removed or moved breaks the chain where it was.
 * SQLite cannot stop someone who can write the file from rewriting every row and
 * recomputing the whole chain; the chain makes that the only way not to be seen
 * (docs/reliability.md).  SHA-256 is FIPS 180-4, written here to need no library. */
#include "store_int.h"
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
 * SQLite writes them as text. */
#define CHAIN_SELECT "SELECT id, prev_hash, hash, action_id, at, user, os_user, field, old_value, new_value," \
	" source, reason, batch, undoes, undoes_change FROM change_log"

static void row_values(sqlite3_stmt *st, const char *v[CHAIN_COLUMNS])
{
	for (int i = 0; i < CHAIN_COLUMNS; i++)
		v[i] = (const char *)sqlite3_column_text(st, 3 + i);
}

/* ---- the upgrade: chain the rows written before there was a chain ----------------- */

enum status store_chain_unhashed(struct store *s, struct err *err)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	enum status rc = store_exec(s, "DROP TRIGGER IF EXISTS change_log_no_update", err);
	if (rc != OK)
		return rc;
	rc = store_prepare(s, &st, CHAIN_SELECT " ORDER BY id", err);
	if (rc == OK)
		rc = store_prepare(s, &up, "UPDATE change_log SET prev_hash = ?, hash = ? WHERE id = ?", err);
	if (rc != OK) {
		sqlite3_finalize(st);
		return rc;
	}
	char prev[65] = "";
	int step;
	while (rc == OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *stored = (const char *)sqlite3_column_text(st, 2);
		if (stored && *stored) {          /* already chained: go on from it */
			snprintf(prev, sizeof prev, "%s", stored);
			continue;
		}
		const char *v[CHAIN_COLUMNS];
		char hex[65];
		row_values(st, v);
		store_chain_hash(prev, v, hex);
		sqlite3_bind_text(up, 1, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(up, 2, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 3, sqlite3_column_int64(st, 0));
		if (sqlite3_step(up) != SQLITE_DONE)
			rc = store_fail(s, err, "chaining the change log");
		sqlite3_reset(up);
		memcpy(prev, hex, sizeof prev);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	if (rc == OK)
		rc = store_exec(s, "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log"
		                   " BEGIN SELECT RAISE(ABORT, 'the change log cannot be edited'); END", err);
	return rc;
}

/* ---- check ------------------------------------------------------------------------- */

/* The id of the row whose stored hash is hash (0 when none). */
static int64_t row_with_hash(struct store *s, const char *hash)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	if (store_prepare(s, &st, "SELECT id FROM change_log WHERE hash = ? ORDER BY id LIMIT 1", NULL) != OK)
		return 0;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
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
	sqlite3_stmt *st;
	if (store_prepare(s, &st, CHAIN_SELECT " ORDER BY id", NULL) != OK) {
		buf_printf(b, "change log chain: cannot run: %s\n", sqlite3_errmsg(s->db));
		(*problems)++;
		return;
	}
	char prev[65] = "";
	int64_t prev_id = 0, rows = 0;
	int found = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *linked = (const char *)sqlite3_column_text(st, 1);
		linked = linked ? linked : "";     /* NOT NULL, unless the table was remade */
		const char *stored = (const char *)sqlite3_column_text(st, 2);
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
	}
	sqlite3_finalize(st);
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
	sqlite3_stmt *st;
	*report = NULL;
	enum status rc = store_prepare(s, &st, "SELECT hash FROM change_log WHERE id = ?", err);
	if (rc != OK)
		return rc;
	sqlite3_bind_int64(st, 1, row);
	int found = sqlite3_step(st) == SQLITE_ROW;
	char *stored = found ? store_col_dup(st, 0) : NULL;
	sqlite3_finalize(st);
	size_t n = strlen(hash);
	rc = OK;
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
