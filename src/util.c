/* util: allocation, growable strings and small string helpers. */
#include "ragtrack/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>

static void out_of_memory(size_t n)
{
	fprintf(stderr, "ragtrack: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory(n);
	return q;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	b.cap = (size_t)n + 1;
	b.s = xmalloc(b.cap);
	va_start(ap, fmt);
	vsnprintf(b.s, b.cap, fmt, ap);
	va_end(ap);
	return b.s;
}

void buf_init(struct buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void buf_free(struct buf *b)
{
	free(b->s);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void buf_reserve(struct buf *b, size_t extra)
{
	buf_grow(b, extra);
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	if (s)
		buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *buf_steal(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	buf_init(b);
	return s;
}

int str_empty(const char *s)
{
	return !s || !*s;
}

char *str_trim(char *s)
{
	size_t n = strlen(s), i = 0;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i);
	s[n - i] = '\0';
	return s;
}

int str_casecmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcasecmp(a, b);
}

int str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

const char *util_today(void)
{
	static char today[11];
	const char *env = getenv("RAGTRACK_TODAY");
	if (env && strlen(env) == 10)
		return env;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	return today;
}

const char *util_now(void)
{
	static char now[32];
	const char *env = getenv("RAGTRACK_NOW");
	if (env && *env)
		return env;
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return now;
}

const char *util_user(const char *explicit_user)
{
	if (!str_empty(explicit_user))
		return explicit_user;
	const char *u = getenv("USER");
	if (str_empty(u))
		u = getenv("LOGNAME");
	return str_empty(u) ? util_os_user() : u;
}

const char *util_os_user(void)
{
	static char name[64];
	struct passwd *pw = getpwuid(geteuid());
	if (pw && !str_empty(pw->pw_name))
		snprintf(name, sizeof name, "%s", pw->pw_name);
	else
		snprintf(name, sizeof name, "uid %lu", (unsigned long)geteuid());
	return name;
}

size_t str_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xcalloc(lb + 1, sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

/* ---- files ------------------------------------------------------------------------ */

int util_file_is_sqlite(const char *path)
{
	static const char magic[16] = "SQLite format 3";     /* with its NUL: 16 bytes */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	char head[16];
	int is = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, head, sizeof head) == (ssize_t)sizeof head &&
	         memcmp(head, magic, sizeof magic) == 0;
	close(fd);
	return is;
}

/* The folder of path ("." when none) and, in *name, the part after the last slash. */
static char *tmp_dir(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

int util_tmp_create(const char *target, char **tmp)
{
	const char *name;
	char *dir = tmp_dir(target, &name);
	*tmp = xasprintf("%s/.%s.%ld-XXXXXX", dir, name, (long)getpid());
	free(dir);
	int fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

/* Is entry one of util_tmp_create's names for name (or a database's -journal, -wal,
 * -shm or a first import's -fts index beside one), and its writer's PID gone? */
static int tmp_is_stale(const char *entry, const char *name)
{
	size_t n = strlen(name);
	if (entry[0] != '.' || strncmp(entry + 1, name, n) != 0 || entry[n + 1] != '.')
		return 0;
	const char *p = entry + n + 2;
	char *end;
	errno = 0;
	long pid = strtol(p, &end, 10);
	if (errno || end == p || pid <= 0 || *end != '-' || strlen(end + 1) < 6)
		return 0;
	const char *side = end + 7;     /* a database's companions go too */
	static const char *const sides[] = { "", "-journal", "-wal", "-shm", "-fts", "-fts-journal", "-fts-wal",
	                                      "-fts-shm" };
	for (size_t i = 0; i < sizeof sides / sizeof *sides; i++)
		if (strcmp(side, sides[i]) == 0)
			return kill((pid_t)pid, 0) != 0 && errno == ESRCH && pid != (long)getpid();
	return 0;
}

int util_tmp_sweep(const char *target)
{
	const char *name;
	char *dir = tmp_dir(target, &name);
	int removed = 0;
	DIR *d = *name ? opendir(dir) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		struct stat st;
		if (!tmp_is_stale(e->d_name, name) || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	if (d)
		closedir(d);
	free(dir);
	return removed;
}

void util_test_hold(const char *env)
{
	const char *path = getenv(env);
	if (str_empty(path))
		return;
	char *held = xasprintf("%s.held", path);
	int fd = open(held, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	for (int i = 0; i < 30000 && access(path, F_OK) != 0; i++)
		nanosleep(&tick, NULL);
	free(held);
}
