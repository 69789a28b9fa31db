/* csvread: stream CSV rows through libcsv with line numbers and encoding checks.
 *
 * Two passes over a file: the first only checks the encoding (UTF-8, else Windows-1252,
 * else reject) so that the second can convert as it parses; both read in fixed-size
 * chunks, so memory depends on the largest row, not the file.  The parser is fed one
 * physical line at a time, which is how rows learn the line they start on. */
#include "ragtrack/csvread.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (256 * 1024)
#define MAX_ROW_BYTES ((size_t)256 * 1024 * 1024)

struct reader {
	const char *name;
	struct csv_parser parser;
	csv_row_fn fn;
	void *ctx;
	struct err *err;
	enum status status;        /* first failure from a callback */
	struct csvread_info *info;
	/* the row being assembled */
	char **cells;
	size_t ncells, cap;
	const char **view;         /* the row as its callback sees it (cells may be taken) */
	size_t view_cap;
	size_t row_bytes;
	/* line bookkeeping */
	long line;                 /* line of the next byte fed */
	long row_line;             /* line the current row started on */
	int at_row_start;
	int prev_cr;               /* the last byte seen was a CR (for CRLF across chunks) */
	int cp1252;
	struct buf conv;           /* converted chunk when reading Windows-1252 */
};

static void reader_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->status != OK)
		return;
	r->row_bytes += len;
	if (r->row_bytes > MAX_ROW_BYTES) {
		r->status = err_set(r->err, ERR_PARSE, "%s:%ld: row larger than %zu MB",
		                    r->name, r->row_line, MAX_ROW_BYTES >> 20);
		return;
	}
	if (r->ncells == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->cells = xrealloc(r->cells, r->cap * sizeof *r->cells);
	}
	r->cells[r->ncells++] = xstrndup(s ? s : "", len);
}

static void reader_clear_row(struct reader *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		free(r->cells[i]);
	r->ncells = 0;
	r->row_bytes = 0;
}

static void reader_row(int term, void *data)
{
	struct reader *r = data;
	(void)term;
	if (r->status == OK) {
		if (r->view_cap < r->ncells + 1) {
			r->view_cap = r->cap + 1;
			r->view = xrealloc(r->view, r->view_cap * sizeof *r->view);
		}
		for (size_t i = 0; i < r->ncells; i++)
			r->view[i] = r->cells[i];
		struct csv_row row = {
			.cells = r->view, .ncells = r->ncells, .own = r->cells,
			.line = r->row_line, .end_line = r->line,
		};
		if (r->info)
			r->info->rows++;
		r->status = r->fn(&row, r->ctx, r->err);
	}
	reader_clear_row(r);
	r->at_row_start = 1;
}

/* Remove NUL bytes in place (they would cut a field short), remembering the first line. */
static size_t reader_drop_nul(struct reader *r, char *p, size_t n, long line)
{
	if (!memchr(p, '\0', n))
		return n;
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n')
			line++;
		if (p[i] == '\0') {
			if (r->info && !r->info->nul_line)
				r->info->nul_line = line;
			continue;
		}
		p[out++] = p[i];
	}
	return out;
}

static int reader_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/* Feed one segment that ends a physical line (or the chunk). */
static enum status reader_feed(struct reader *r, const char *p, size_t n)
{
	if (r->at_row_start && !reader_blank(p, n)) {
		r->row_line = r->line;
		r->at_row_start = 0;
	}
	if (csv_parse(&r->parser, p, n, reader_field, reader_row, r) != n && r->status == OK)
		return err_set(r->err, ERR_PARSE, "%s:%ld: %s", r->name, r->line,
		               csv_error(&r->parser) == CSV_EPARSE
		                       ? "malformed quoted field (a quote inside an unquoted field, or text after a closing quote)"
		                       : csv_strerror(csv_error(&r->parser)));
	return r->status;
}

/* Split a chunk at line ends, feeding each piece and counting lines (CRLF, LF, CR).
 * A CR that ends a chunk counts the line; an LF opening the next chunk then does not. */
static enum status reader_chunk(struct reader *r, char *p, size_t n)
{
	n = reader_drop_nul(r, p, n, r->line);
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		int counts;
		if (p[i] == '\n')
			counts = !(r->prev_cr && i == 0);
		else if (p[i] == '\r' && !(i + 1 < n && p[i + 1] == '\n'))
			counts = 1;
		else {
			r->prev_cr = 0;
			continue;
		}
		r->prev_cr = p[i] == '\r';
		enum status st = reader_feed(r, p + start, i + 1 - start);
		if (st != OK)
			return st;
		r->line += counts;
		start = i + 1;
	}
	return start < n ? reader_feed(r, p + start, n - start) : OK;
}

static long count_lines(const char *p, size_t n)
{
	long lines = 1;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= n || p[i + 1] != '\n')))
			lines++;
	return lines;
}

/* A byte source: a file or a buffer in memory. */
struct source {
	FILE *fp;
	const char *mem;
	size_t len, pos;
};

static size_t source_read(struct source *src, char *out, size_t cap)
{
	if (src->fp)
		return fread(out, 1, cap, src->fp);
	size_t n = src->len - src->pos < cap ? src->len - src->pos : cap;
	memcpy(out, src->mem + src->pos, n);
	src->pos += n;
	return n;
}

static enum status source_rewind(struct source *src, const char *name, struct err *err)
{
	if (!src->fp) {
		src->pos = 0;
		return OK;
	}
	if (fseek(src->fp, 0, SEEK_SET) != 0)
		return err_set(err, ERR_IO, "%s: %s", name, strerror(errno));
	return OK;
}

/* Trailing bytes of p that start a UTF-8 sequence the chunk cuts short (0..3). */
static size_t utf8_cut_tail(const unsigned char *p, size_t n)
{
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char c = p[n - back];
		if ((c & 0xC0) == 0x80)
			continue;                       /* continuation: look further back */
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > back ? back : 0;
	}
	return 0;
}

static int cp1252_undefined(unsigned char c)
{
	return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
}

struct scan {
	int utf8_ok;
	int bom;                   /* starts with a UTF-8 byte-order mark: it declares UTF-8 */
	long bad_line;             /* line of the first invalid UTF-8 byte */
	size_t bad_offset;         /* its offset in the file, from 0 */
	unsigned char bad_byte;
	long undefined_line;       /* line of the first byte Windows-1252 leaves undefined */
	int utf16;
};

/* Pass one: is the whole source UTF-8, else Windows-1252? */
static enum status scan_encoding(struct source *src, char *chunk, struct scan *sc,
                                 const char *name, struct err *err)
{
	size_t carry = 0, n, base = 0;
	long line = 1;
	int first = 1;
	sc->utf8_ok = 1;
	while ((n = source_read(src, chunk + carry, CHUNK - carry)) > 0 || carry) {
		size_t total = carry + n;
		const unsigned char *u = (const unsigned char *)chunk;
		if (first && total >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
			sc->utf16 = 1;
		if (first && total >= 3 && memcmp(u, "\xEF\xBB\xBF", 3) == 0)
			sc->bom = 1;
		first = 0;
		size_t tail = n ? utf8_cut_tail((unsigned char *)chunk, total) : 0;
		size_t bad;
		if (sc->utf8_ok && !utf8_valid(chunk, total - tail, &bad)) {
			sc->utf8_ok = 0;
			sc->bad_line = line + count_lines(chunk, bad) - 1;
			sc->bad_offset = base + bad;
			sc->bad_byte = u[bad];
		}
		for (size_t i = 0; i < total - tail && !sc->undefined_line; i++)
			if (cp1252_undefined((unsigned char)chunk[i]))
				sc->undefined_line = line + count_lines(chunk, i) - 1;
		line += count_lines(chunk, total - tail) - 1;
		memmove(chunk, chunk + total - tail, tail);
		base += total - tail;
		carry = tail;
		if (!n)
			break;
	}
	if (src->fp && ferror(src->fp))
		return err_set(err, ERR_IO, "%s: read error: %s", name, strerror(errno));
	return OK;
}

static enum status encoding_verdict(const struct scan *sc, const char *name, struct err *err)
{
	if (sc->utf16)
		return err_set(err, ERR_ENCODING, "%s:1: the file is UTF-16; save it as \"CSV UTF-8\"", name);
	if (!sc->utf8_ok && sc->bom)    /* it says UTF-8: reading it as anything else would be a guess */
		return err_set(err, ERR_ENCODING,
		               "%s:%ld: the file starts with a UTF-8 byte-order mark, but byte %zu (0x%02X, counted from 0) is not UTF-8; "
		               "save it again as \"CSV UTF-8\"", name, sc->bad_line, sc->bad_offset, sc->bad_byte);
	if (!sc->utf8_ok && sc->undefined_line)
		return err_set(err, ERR_ENCODING,
		               "%s:%ld: not valid UTF-8, and not Windows-1252 either (line %ld); save it as \"CSV UTF-8\"",
		               name, sc->bad_line, sc->undefined_line);
	return OK;
}

/* Pass two: parse, converting from Windows-1252 when pass one said so. */
static enum status parse_source(struct reader *r, struct source *src, char *chunk)
{
	size_t n;
	int first = 1;
	enum status st = OK;
	while (st == OK && (n = source_read(src, chunk, CHUNK)) > 0) {
		char *p = chunk;
		if (first && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			n -= 3;
			if (r->info)
				r->info->had_bom = 1;
		}
		first = 0;
		if (r->cp1252) {
			size_t bad;
			n = reader_drop_nul(r, p, n, r->line);
			char *u = cp1252_to_utf8(p, n, &bad);
			buf_reset(&r->conv);
			buf_adds(&r->conv, u);
			free(u);
			p = r->conv.s;
			n = r->conv.len;
		}
		st = reader_chunk(r, p, n);
	}
	if (st == OK && src->fp && ferror(src->fp))
		st = err_set(r->err, ERR_IO, "%s: read error: %s", r->name, strerror(errno));
	if (st == OK && csv_fini(&r->parser, reader_field, reader_row, r) != 0)
		st = err_set(r->err, ERR_PARSE, "%s:%ld: unterminated quoted field", r->name, r->row_line);
	return st == OK ? r->status : st;
}

static enum status csvread_source(const char *name, struct source *src, csv_row_fn fn, void *ctx,
                                  struct csvread_info *info, struct err *err)
{
	struct csvread_info local = {0};
	struct reader r = { .name = name, .fn = fn, .ctx = ctx, .err = err, .status = OK,
	                    .info = info ? info : &local, .line = 1, .row_line = 1, .at_row_start = 1 };
	memset(r.info, 0, sizeof *r.info);
	char *chunk = xmalloc(CHUNK);
	struct scan sc = {0};
	enum status st = scan_encoding(src, chunk, &sc, name, err);
	if (st == OK)
		st = encoding_verdict(&sc, name, err);
	if (st == OK)
		st = source_rewind(src, name, err);
	if (st == OK) {
		r.cp1252 = r.info->cp1252 = !sc.utf8_ok;
		r.info->cp1252_line = sc.utf8_ok ? 0 : sc.bad_line;
		if (csv_init(&r.parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
			st = err_set(err, ERR_IO, "%s: cannot start the CSV parser", name);
		else {
			/* libcsv grows a cell's buffer by this much at a time (128 bytes by default):
			 * a multi-megabyte cell would be reallocated tens of thousands of times. */
			csv_set_blk_size(&r.parser, 64 * 1024);
			st = parse_source(&r, src, chunk);
			csv_free(&r.parser);
		}
	}
	r.info->lines = r.line;
	reader_clear_row(&r);
	free(r.cells);
	free(r.view);
	buf_free(&r.conv);
	free(chunk);
	return st;
}

enum status csvread_file(const char *path, csv_row_fn fn, void *ctx, struct csvread_info *info,
                         struct err *err)
{
	/* Opened without blocking: opening a FIFO no one writes to would wait for ever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {   /* read twice: a pipe cannot be */
		close(fd);
		return err_set(err, ERR_IO, "%s: not a regular file (save the plan to a file first)", path);
	}
	struct source src = { .fp = NULL };
	if (fcntl(fd, F_SETFL, 0) != 0 || !(src.fp = fdopen(fd, "rb"))) {
		int e = errno;
		close(fd);
		return err_set(err, ERR_IO, "%s: %s", path, strerror(e));
	}
	enum status st = csvread_source(path, &src, fn, ctx, info, err);
	fclose(src.fp);
	return st;
}

enum status csvread_buffer(const char *name, const char *data, size_t len, csv_row_fn fn,
                           void *ctx, struct csvread_info *info, struct err *err)
{
	struct source src = { .mem = data, .len = len };
	return csvread_source(name, &src, fn, ctx, info, err);
}
