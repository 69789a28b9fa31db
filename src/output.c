/* output: record writers (CSV, TSV, JSON), table cells and wrapped text for a terminal,
 * and files written to a temporary name and renamed into place.
 *
 * Terminal safety: everything meant for a terminal goes through text_visible, and the
 * JSON and TSV writers escape the same characters themselves, so data text can never
 * move the cursor, start an escape sequence or reorder the line (bidi overrides). */
#include "ragtrack/output.h"
#include "ragtrack/text.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define WIDTH_MAX 4096     /* no terminal is wider; measuring stops here */
#define FLEX_MIN 30        /* what a flex column keeps before others shrink to their min */

int output_format_parse(const char *name, enum output_format *out)
{
	static const char *const NAMES[] = { "table", "csv", "tsv", "json" };
	for (size_t i = 0; name && i < sizeof NAMES / sizeof *NAMES; i++)
		if (strcasecmp(name, NAMES[i]) == 0) {
			*out = (enum output_format)i;
			return 0;
		}
	return -1;
}

/* The characters text_visible escapes: controls, C1, and the bidi and direction marks
 * that reorder what follows.  JSON escapes these and the two line separators. */
static int cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0x2028 || cp == 0x2029;
}

/* ---- cells ------------------------------------------------------------------------ */

void output_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const char *p = s ? s : ""; *p;) {
		uint32_t cp;
		size_t n = utf8_char(p, &cp);
		if (n == 0) {
			fputs("\\ufffd", out);
			p++;
			continue;
		}
		if (cp == '"' || cp == '\\')
			fprintf(out, "\\%c", (char)cp);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp == '\t')
			fputs("\\t", out);
		else if (cp == '\r')
			fputs("\\r", out);
		else if (cp_unsafe(cp))
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(p, 1, n, out);
		p += n;
	}
	fputc('"', out);
}

/* A cell a spreadsheet would take for a formula (OWASP "CSV injection"). */
static int csv_formula(const char *s)
{
	return *s && strchr("=+-@\t\r", *s) != NULL;
}

void output_csv_cell(FILE *out, const char *s, unsigned flags)
{
	char *shown = NULL;
	if (!s)
		s = "";
	if (flags & OUTPUT_VISIBLE)
		s = shown = text_visible(s, 0);
	const char *mark = (flags & OUTPUT_PROTECT) && csv_formula(s) ? "'" : "";
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(mark, out);
		fputs(s, out);
	} else {
		fputc('"', out);
		fputs(mark, out);
		for (const char *p = s; *p;) {      /* runs up to each quote, written whole */
			size_t n = strcspn(p, "\"");
			fwrite(p, 1, n, out);
			p += n;
			if (*p == '"') {
				fputs("\"\"", out);
				p++;
			}
		}
		fputc('"', out);
	}
	free(shown);
}

/* Backslash escapes for the TSV separators, then text_visible for the rest: a
 * backslash is always doubled, so "\x1b" in the output can only mean ESC. */
static void tsv_cell(FILE *out, const char *s)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (const char *p = s ? s : ""; *p; p++) {
		const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : NULL;
		if (esc)
			buf_adds(&b, esc);
		else
			buf_addc(&b, *p);
	}
	char *shown = text_visible(b.s, 0);
	fputs(shown, out);
	free(shown);
	buf_free(&b);
}

/* ---- records ---------------------------------------------------------------------- */

static void rows_line_end(struct output_rows *w)
{
	fputs(w->format == OUTPUT_CSV && (w->flags & OUTPUT_CRLF) ? "\r\n" : "\n", w->out);
}

void output_rows_begin(struct output_rows *w, FILE *out, enum output_format format, unsigned flags,
                       const char *const *names, size_t ncols)
{
	*w = (struct output_rows){ .out = out, .format = format, .flags = flags, .names = names, .ncols = ncols };
	if (flags & OUTPUT_BOM)
		fputs("\xEF\xBB\xBF", out);
	if (format == OUTPUT_JSON) {
		fputc('[', out);
		return;
	}
	for (size_t i = 0; i < ncols; i++) {
		if (i)
			fputc(format == OUTPUT_TSV ? '\t' : ',', out);
		if (format == OUTPUT_TSV)
			tsv_cell(out, names[i]);
		else
			output_csv_cell(out, names[i], flags);
	}
	rows_line_end(w);
}

/* What goes before the next cell: separators, or the JSON object and key. */
static void rows_cell_start(struct output_rows *w)
{
	if (w->format == OUTPUT_JSON) {
		if (w->cell == 0)
			fputs(w->records ? ",\n{" : "\n{", w->out);
		else
			fputc(',', w->out);
		output_json_string(w->out, w->cell < w->ncols ? w->names[w->cell] : "");
		fputc(':', w->out);
	} else if (w->cell) {
		fputc(w->format == OUTPUT_TSV ? '\t' : ',', w->out);
	}
	w->cell++;
}

void output_rows_text(struct output_rows *w, const char *s)
{
	rows_cell_start(w);
	if (w->format == OUTPUT_JSON) {
		if (s)
			output_json_string(w->out, s);
		else
			fputs("null", w->out);
	} else if (w->format == OUTPUT_TSV) {
		tsv_cell(w->out, s);
	} else {
		output_csv_cell(w->out, s, w->flags);
	}
}

void output_rows_int(struct output_rows *w, long long v)
{
	rows_cell_start(w);
	fprintf(w->out, "%lld", v);
}

void output_rows_end_record(struct output_rows *w)
{
	if (w->format == OUTPUT_JSON)
		fputc('}', w->out);
	else
		rows_line_end(w);
	w->cell = 0;
	w->records++;
}

void output_rows_finish(struct output_rows *w)
{
	if (w->format == OUTPUT_JSON)
		fputs(w->records ? "\n]\n" : "]\n", w->out);
}

/* ---- text for a terminal ------------------------------------------------------------ */

static int ascii_shown, ascii_used;

static int charset_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0);
}

/* The C library's name for the plain ASCII of the C locale, and its other spellings. */
static int charset_is_ascii(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "ANSI_X3.4-1968") == 0 || strcasecmp(cs, "ASCII") == 0 ||
	              strcasecmp(cs, "US-ASCII") == 0);
}

/* Terminal types that predate UTF-8: an ASCII locale there means ASCII. */
static int term_lacks_utf8(void)
{
	const char *t = getenv("TERM");
	return t && (strncmp(t, "vt", 2) == 0 || strncmp(t, "ansi", 4) == 0 || strcmp(t, "dumb") == 0);
}

int output_charset_init(void)
{
	ascii_shown = 0;
	if (charset_is_utf8())
		return 1;
	/* An explicit 8-bit locale (ISO-8859-1, say) describes its terminal: kept. */
	if (charset_is_ascii() && !term_lacks_utf8() &&
	    (setlocale(LC_CTYPE, "C.UTF-8") || setlocale(LC_CTYPE, "C.utf8")) && charset_is_utf8())
		return 1;
	ascii_shown = 1;
	return 0;
}

int output_ascii(void)
{
	return ascii_shown;
}

int output_ascii_used(void)
{
	return ascii_used;
}

/* text_ascii of v when showing ASCII (v is freed then).  Returns what to use. */
static char *shown_charset(char *v)
{
	if (!ascii_shown)
		return v;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p >= 0x80) {
			char *a = text_ascii(v);
			free(v);
			ascii_used = 1;
			return a;
		}
	return v;
}

char *output_oneline(const char *s)
{
	char *v = shown_charset(text_visible(s, ' '));
	char *o = v;
	for (const char *p = v; *p; p++) {
		if (*p == ' ' && (o == v || o[-1] == ' '))
			continue;
		*o++ = *p;
	}
	if (o > v && o[-1] == ' ')
		o--;
	*o = '\0';
	return v;
}

static void add_spaces(struct buf *b, int n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

/* How a table measures and cuts: "…" needs a UTF-8 locale and a terminal that shows it. */
static unsigned fit_flags(void)
{
	return MB_CUR_MAX > 1 && !ascii_shown ? 0 : TEXT_AS_ASCII;
}

void output_fit(struct buf *b, const char *line, int width, int right)
{
	if (width <= 0)
		return;
	int w;
	if (!line[text_fit(line, width, fit_flags(), &w)]) {
		add_spaces(b, right ? width - w : 0);
		buf_adds(b, line);
		add_spaces(b, right ? 0 : width - w);
		return;
	}
	char *cut = text_cut(line, width, fit_flags());
	text_fit(cut, width, fit_flags(), &w);
	buf_adds(b, cut);
	add_spaces(b, width - w);           /* a wide character that did not fit */
	free(cut);
}

struct wrap_out {
	struct buf *b;
	int indent;
};

static void wrap_line(const char *line, size_t len, void *ctx)
{
	struct wrap_out *w = ctx;
	if (len) {
		add_spaces(w->b, w->indent);
		buf_add(w->b, line, len);
	}
	buf_addc(w->b, '\n');
}

void output_wrap(struct buf *b, const char *s, int indent, int width)
{
	if (str_empty(s))
		return;
	char *v = shown_charset(text_visible(s, '\n'));
	int avail = width - indent < 20 ? 20 : width - indent;
	text_wrap(v, avail, TEXT_WRAP_SQUEEZE, wrap_line, &(struct wrap_out){ b, indent });
	free(v);
}

int output_width(FILE *out, int dflt)
{
	long w = 0;
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	if (env && *env) {
		char *end;
		w = strtol(env, &end, 10);
		if (*end)
			w = 0;
	}
	if (w <= 0 && isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	if (w <= 0)
		w = dflt;
	return w < 20 ? 20 : w > WIDTH_MAX ? WIDTH_MAX : (int)w;
}

/* ---- table layout ---------------------------------------------------------------- */

enum shrink_set { SHRINK_FIXED, SHRINK_FLEX };

/* Take up to excess columns from the widest of the chosen set, never below floor().
 * Returns what is still in excess. */
static long shrink(struct output_column *cols, size_t n, long excess, enum shrink_set set,
                   int (*floor_of)(const struct output_column *))
{
	while (excess > 0) {
		struct output_column *widest = NULL;
		for (size_t i = 0; i < n; i++) {
			struct output_column *c = &cols[i];
			if ((c->flex != 0) == (set == SHRINK_FLEX) && c->width > floor_of(c) &&
			    (!widest || c->width >= widest->width))
				widest = c;
		}
		if (!widest)
			break;
		widest->width--;
		excess--;
	}
	return excess;
}

static int floor_min(const struct output_column *c)
{
	return c->min < c->natural ? c->min : c->natural;
}

static int floor_cap(const struct output_column *c)
{
	int f = c->cap > 0 ? c->cap : c->natural;
	return f > floor_min(c) ? f : floor_min(c);
}

static int floor_flex(const struct output_column *c)
{
	int f = c->natural < FLEX_MIN ? c->natural : FLEX_MIN;
	return f > floor_min(c) ? f : floor_min(c);
}

void output_table_layout(struct output_column *cols, size_t n, int total, int gap)
{
	long sum = 0;
	for (size_t i = 0; i < n; i++) {
		cols[i].width = cols[i].natural;
		sum += cols[i].width + (i ? gap : 0);
	}
	long excess = sum - total;
	excess = shrink(cols, n, excess, SHRINK_FIXED, floor_cap);
	excess = shrink(cols, n, excess, SHRINK_FLEX, floor_flex);
	excess = shrink(cols, n, excess, SHRINK_FIXED, floor_min);
	shrink(cols, n, excess, SHRINK_FLEX, floor_min);
}

/* ---- files replaced atomically ---------------------------------------------------- */

/* The temporary file's writer: asks the kernel to start writing each 8 MiB back to disk
 * as soon as it is written (sync_file_range), so the fsync at commit finds little left.
 * Without it a 1.7 GB export waited 6 s in that fsync, after the last row. */
#define WRITEBACK_STEP (8 << 20)

struct writeback {
	int fd;
	off_t written, started;
};

static ssize_t writeback_write(void *cookie, const char *data, size_t n)
{
	struct writeback *w = cookie;
	for (size_t done = 0; done < n;) {
		ssize_t k = write(w->fd, data + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return done ? (ssize_t)done : -1;
		done += (size_t)k;
		w->written += k;
	}
	if (w->written - w->started >= WRITEBACK_STEP) {
		sync_file_range(w->fd, w->started, w->written - w->started, SYNC_FILE_RANGE_WRITE);
		w->started = w->written;
	}
	return (ssize_t)n;
}

static int writeback_close(void *cookie)
{
	struct writeback *w = cookie;
	int rc = close(w->fd);
	free(w);
	return rc;
}

/* A stream over fd that starts writeback as it goes; NULL (fd untouched) on failure. */
static FILE *writeback_open(int fd)
{
	struct writeback *w = xcalloc(1, sizeof *w);
	w->fd = fd;
	FILE *fp = fopencookie(w, "w", (cookie_io_functions_t){ .write = writeback_write, .close = writeback_close });
	if (!fp)
		free(w);
	else
		setvbuf(fp, NULL, _IOFBF, 1 << 16);
	return fp;
}

static void file_free(struct output_file *f)
{
	free(f->path);
	free(f->target);
	free(f->tmp);
	*f = (struct output_file){0};
}

static enum status file_error(struct output_file *f, const char *path, int errnum, struct err *err)
{
	enum status st = errnum == ENOSPC || errnum == EDQUOT
	                 ? err_set(err, ERR_FULL, "%s: disk is full (%s): nothing was written", path, strerror(errnum))
	                 : err_set(err, ERR_IO, "%s: %s", path, errnum ? strerror(errnum) : "write error");
	output_file_abort(f);
	return st;
}

/* The folder part of path ("." when none) and the name part. */
static char *path_dir(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

enum status output_file_open(struct output_file *f, const char *path, struct err *err)
{
	*f = (struct output_file){0};
	if (!path || strcmp(path, "-") == 0) {
		f->fp = stdout;
		return OK;
	}
	f->path = xstrdup(path);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return file_error(f, path, EISDIR, err);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or pipe (/dev/stdout, >(gzip)): renaming over it would replace it */
		if (!(f->fp = fopen(path, "w")))
			return file_error(f, path, errno, err);
		return OK;
	}
	char *real = realpath(path, NULL);        /* write beside a symlink's file, not over the link */
	f->target = real ? real : xstrdup(path);
	const char *name;
	char *dir = path_dir(f->target, &name);
	if (!*name) {
		free(dir);
		return file_error(f, path, EISDIR, err);
	}
	free(dir);
	util_tmp_sweep(f->target);                /* a killed writer's leftover */
	int fd = util_tmp_create(f->target, &f->tmp);
	if (fd < 0)
		return file_error(f, path, errno, err);
	/* A file being replaced keeps its permissions (chmod 600 stays 600) less any world
	 * access (exports hold case-review text); a new one gets 0660 less the umask. */
	mode_t mask = umask(0);
	umask(mask);
	mode_t mode = 0660 & ~mask;
	if (stat(f->target, &st) == 0 && S_ISREG(st.st_mode))
		mode = st.st_mode & 0770;
	f->fd = fd;
	if (fchmod(fd, mode) != 0 || !(f->fp = writeback_open(fd))) {
		int e = errno;
		close(fd);
		return file_error(f, path, e, err);
	}
	return OK;
}

/* Make the rename itself durable. */
static void sync_dir(const char *target)
{
	const char *name;
	char *dir = path_dir(target, &name);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

enum status output_file_commit(struct output_file *f, struct err *err)
{
	const char *shown = f->path ? f->path : "standard output";
	errno = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp))
		return file_error(f, shown, errno, err);
	if (f->fp == stdout) {
		file_free(f);
		return OK;
	}
	if (f->tmp && fsync(f->fd) != 0)
		return file_error(f, shown, errno, err);
	int closed = fclose(f->fp);
	f->fp = NULL;
	if (closed != 0)
		return file_error(f, shown, errno, err);
	if (f->tmp && rename(f->tmp, f->target) != 0)
		return file_error(f, shown, errno, err);
	if (f->tmp)
		sync_dir(f->target);
	free(f->tmp);
	f->tmp = NULL;
	file_free(f);
	return OK;
}

void output_file_abort(struct output_file *f)
{
	if (f->fp && f->fp != stdout)
		fclose(f->fp);
	if (f->tmp)
		unlink(f->tmp);
	file_free(f);
}
