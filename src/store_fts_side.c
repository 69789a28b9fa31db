/* store_fts_side: a first import's full-text index, built by a second thread.
 *
 * A first import writes a new private database (see cmd_import.c) and is CPU-bound:
 * one core parses, cleans and inserts rows while the other would sit idle until the
 * index is built at commit.  Here the second core builds the index as the rows arrive,
 * in a contentless FTS5 table of the same columns and tokenizer in a file of its own;
 * at commit store_import.c copies its three data tables into action_fts's (SQLite's
 * transfer optimisation: records copied as they are, nothing re-tokenised).  The index format does not depend on where
 * the text lives, so the copy is the index an external-content rebuild would make, and
 * `ragtrack check` compares the two (tests/cli/import_threads.sh, tests/unit/test_fts_side.c).
 *
 * The main thread feeds exactly the values action_fts_source holds when a row is
 * inserted, and before a text changes it feeds a delete with the old values (what the
 * index holds), then the new row at commit: the same protocol as the triggers.  Anything
 * that goes wrong here (no second file, a full disk) marks the builder failed; the
 * import then indexes at commit as it would without it. */
#include "store_int.h"
#include "ragtrack/util.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIDE_QUEUE_BYTES (8u << 20)      /* rows waiting: absorbs the builder's segment merges */
#define SIDE_BATCH_BYTES (256u << 10)    /* rows handed over at once: one wake-up each */
#define SIDE_HASH_BYTES "8388608"        /* FTS5 'hashsize': see FTS_HASH_BYTES */

/* Rows travel packed in batches (one allocation, one hand-over, one free per batch):
 * each is a struct side_head, then its FTS_SIDE_COLUMNS texts, each NUL-terminated. */
struct side_head {
	int64_t id;
	uint32_t len[FTS_SIDE_COLUMNS];
	int32_t del;
};

struct side_batch {
	struct side_batch *next;
	size_t used, cap;
	char data[];
};

struct fts_side {
	char *path;
	sqlite3 *db;
	sqlite3_stmt *put, *del;
	pthread_t thread;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	struct side_batch *head, *tail;    /* the queue, under mu */
	size_t bytes;
	int done, failed;
	struct side_batch *open;           /* the main thread's, being filled */
};

/* action_fts's own definition with its content options swapped for content=''. */
static char *side_schema(sqlite3 *main_db)
{
	static const char external[] = "content = 'action_fts_source', content_rowid = 'id',";
	sqlite3_stmt *st;
	char *sql = NULL;
	if (sqlite3_prepare_v2(main_db, "SELECT sql FROM sqlite_schema WHERE name = 'action_fts'", -1, &st, NULL))
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *def = (const char *)sqlite3_column_text(st, 0);
		const char *at = def ? strstr(def, external) : NULL;
		if (at)
			sql = xasprintf("%.*scontent = '',%s", (int)(at - def), def, at + sizeof external - 1);
	}
	sqlite3_finalize(st);
	return sql;
}

static int side_open(struct fts_side *x, sqlite3 *main_db)
{
	char *schema = side_schema(main_db);
	char *sql = schema ? xasprintf("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
	                               " PRAGMA locking_mode = EXCLUSIVE; %s;"
	                               " INSERT INTO action_fts(action_fts, rank) VALUES ('hashsize', " SIDE_HASH_BYTES ");"
	                               " BEGIN", schema)
	                   : NULL;
	int ok = sql && sqlite3_open_v2(x->path, &x->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK &&
	         sqlite3_exec(x->db, sql, NULL, NULL, NULL) == SQLITE_OK &&
	         sqlite3_prepare_v2(x->db, "INSERT INTO action_fts(rowid, question, response, action, evidence, extra)"
	                            " VALUES (?, ?, ?, ?, ?, ?)", -1, &x->put, NULL) == SQLITE_OK &&
	         sqlite3_prepare_v2(x->db, "INSERT INTO action_fts(action_fts, rowid, question, response, action, evidence, extra)"
	                            " VALUES ('delete', ?, ?, ?, ?, ?, ?)", -1, &x->del, NULL) == SQLITE_OK;
	free(sql);
	free(schema);
	return ok;
}

static void side_fail(struct fts_side *x)
{
	pthread_mutex_lock(&x->mu);
	x->failed = 1;
	pthread_cond_signal(&x->can_put);
	pthread_mutex_unlock(&x->mu);
}

/* Index or take out each row of a batch; 0 when SQLite refused one. */
static int side_write(struct fts_side *x, const struct side_batch *b)
{
	for (size_t at = 0; at < b->used;) {
		struct side_head h;
		memcpy(&h, b->data + at, sizeof h);
		at += sizeof h;
		sqlite3_stmt *st = h.del ? x->del : x->put;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, h.id);
		for (int i = 0; i < FTS_SIDE_COLUMNS; i++) {
			sqlite3_bind_text(st, i + 2, b->data + at, (int)h.len[i], SQLITE_STATIC);
			at += h.len[i] + 1;
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			return 0;
	}
	return 1;
}

static void batches_free(struct side_batch *b)
{
	while (b) {
		struct side_batch *next = b->next;
		free(b);
		b = next;
	}
}

static void *side_main(void *arg)
{
	struct fts_side *x = arg;
	for (;;) {
		pthread_mutex_lock(&x->mu);
		while (!x->head && !x->done)
			pthread_cond_wait(&x->can_take, &x->mu);
		struct side_batch *got = x->head;
		int done = x->done && !got;
		x->head = x->tail = NULL;
		x->bytes = 0;
		int failed = x->failed;
		pthread_cond_signal(&x->can_put);
		pthread_mutex_unlock(&x->mu);
		if (done)
			break;
		for (struct side_batch *b = got; b && !failed; b = b->next)
			if (!side_write(x, b)) {
				side_fail(x);
				failed = 1;
			}
		batches_free(got);
	}
	if (sqlite3_exec(x->db, x->failed ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		side_fail(x);
	return NULL;
}

struct fts_side *fts_side_start(sqlite3 *main_db, const char *db_path)
{
	struct fts_side *x = xcalloc(1, sizeof *x);
	x->path = xasprintf("%s-fts", db_path);
	int fd = open(x->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);   /* text: private */
	if (fd < 0) {
		free(x->path);
		free(x);
		return NULL;
	}
	close(fd);
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->can_put, NULL);
	pthread_cond_init(&x->can_take, NULL);
	if (!side_open(x, main_db) || pthread_create(&x->thread, NULL, side_main, x) != 0) {
		fts_side_free(x);
		return NULL;
	}
	x->started = 1;
	return x;
}

/* Queue the main thread's batch, waiting while the builder is behind. */
static void side_flush(struct fts_side *x)
{
	struct side_batch *b = x->open;
	if (!b)
		return;
	x->open = NULL;
	pthread_mutex_lock(&x->mu);
	while (x->bytes > SIDE_QUEUE_BYTES && !x->failed)
		pthread_cond_wait(&x->can_put, &x->mu);
	if (x->tail)
		x->tail->next = b;
	else
		x->head = b;
	x->tail = b;
	x->bytes += b->used;
	pthread_cond_signal(&x->can_take);
	pthread_mutex_unlock(&x->mu);
}

void fts_side_put(struct fts_side *x, int del, int64_t id, const char *const text[FTS_SIDE_COLUMNS])
{
	struct side_head h = { .id = id, .del = del };
	size_t need = sizeof h;
	for (int i = 0; i < FTS_SIDE_COLUMNS; i++)
		need += (h.len[i] = (uint32_t)strlen(text[i] ? text[i] : "")) + 1;
	if (x->open && x->open->used + need > x->open->cap)
		side_flush(x);
	if (!x->open) {
		size_t cap = need > SIDE_BATCH_BYTES ? need : SIDE_BATCH_BYTES;
		x->open = xmalloc(sizeof *x->open + cap);
		*x->open = (struct side_batch){ .cap = cap };
	}
	char *p = x->open->data + x->open->used;
	memcpy(p, &h, sizeof h);
	p += sizeof h;
	for (int i = 0; i < FTS_SIDE_COLUMNS; i++) {
		memcpy(p, text[i] ? text[i] : "", h.len[i]);
		p[h.len[i]] = '\0';
		p += h.len[i] + 1;
	}
	x->open->used += need;
}

/* Let the thread finish what it holds, then close its database. */
static void side_stop(struct fts_side *x)
{
	if (x->started) {
		pthread_mutex_lock(&x->mu);
		x->done = 1;
		pthread_cond_signal(&x->can_take);
		pthread_mutex_unlock(&x->mu);
		pthread_join(x->thread, NULL);
		x->started = 0;
	}
	sqlite3_finalize(x->put);
	sqlite3_finalize(x->del);
	x->put = x->del = NULL;
	sqlite3_close_v2(x->db);
	x->db = NULL;
}

const char *fts_side_finish(struct fts_side *x)
{
	side_flush(x);
	side_stop(x);
	return x->failed ? NULL : x->path;     /* the thread has ended: no lock needed */
}

void fts_side_free(struct fts_side *x)
{
	if (!x)
		return;
	side_fail(x);         /* rows still queued are dropped, not indexed */
	side_stop(x);
	batches_free(x->open);
	batches_free(x->head);
	unlink(x->path);
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->can_put);
	pthread_cond_destroy(&x->can_take);
	free(x->path);
	free(x);
}
