/* util: allocation that aborts on failure, growable strings, small helpers. */
#ifndef RAGTRACK_UTIL_H
#define RAGTRACK_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Allocation failure prints a message and aborts: callers never check. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);          /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated byte string.  Zero-initialise, or buf_init. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);            /* length 0, keeps memory */
/* Room for extra more bytes (and the NUL) without another allocation. */
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const char *s, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_steal(struct buf *b);           /* caller frees; b is reset */

/* Empty or NULL. */
int str_empty(const char *s);
/* Trim ASCII white space in place; returns s. */
char *str_trim(char *s);
/* Case-insensitive ASCII compare, NULL-safe (NULL sorts first). */
int str_casecmp(const char *a, const char *b);
/* Equal, treating NULL as "". */
int str_eq(const char *a, const char *b);

/* Edit distance, ignoring ASCII case (suggestions for mistyped names). */
size_t str_distance(const char *a, const char *b);

/* Today as YYYY-MM-DD: $RAGTRACK_TODAY when set (tests), else local date. */
const char *util_today(void);
/* Current UTC time as YYYY-MM-DDTHH:MM:SSZ, or $RAGTRACK_NOW when set. */
const char *util_now(void);
/* The acting user: explicit name, else $USER, else $LOGNAME, else the account's name
 * (util_os_user); never empty. */
const char *util_user(const char *explicit_user);
/* The operating-system account running the program (getpwuid(geteuid())), or "uid N"
 * when the system has no name for it.  A static buffer. */
const char *util_os_user(void);

/* A test hook that makes "the program is at this point" a state a test can wait for
 * instead of a race: when the environment variable env names a PATH, create PATH.held
 * and wait (at most ten minutes) until PATH exists.  Nothing when env is unset. */
void util_test_hold(const char *env);

/* ---- files ---------------------------------------------------------------------- */

/* Does path (links followed) name a regular file that starts with SQLite's header
 * ("SQLite format 3")?  Never blocks on a pipe; 0 when it cannot be read. */
int util_file_is_sqlite(const char *path);

/* Create the one kind of temporary file every writer uses: DIR/.NAME.PID-XXXXXX beside
 * target (DIR/NAME), made by mkstemp (O_EXCL, an unpredictable name: never an existing
 * file or a link), mode 0600.  Returns its descriptor and sets *tmp (caller frees), or
 * -1 with errno set and *tmp NULL.  The PID lets util_tmp_sweep tell a dead writer's
 * leftover from a running one's. */
int util_tmp_create(const char *target, char **tmp);
/* Remove the temporary files util_tmp_create made for target whose writer is no longer
 * running (killed mid-write), with any -journal, -wal, -shm or -fts beside them: regular files
 * owned by this user, links never followed.
 * Returns how many were removed. */
int util_tmp_sweep(const char *target);

#endif
