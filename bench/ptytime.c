/* ptytime: time a full-screen terminal program's screens.
 *
 *   ptytime [OPTIONS] -- COMMAND [ARG...]
 *
 * Starts COMMAND in a pseudo-terminal (120x40, TERM=xterm-256color by default), reads
 * everything it writes into a small screen model, and times "phases": the first screen,
 * then one phase per --keys.  A phase is complete when
 *   - the program has written something since the phase began,
 *   - the screen differs from the screen at the start of the phase (key phases only),
 *   - the screen shows the phase's --until TEXT (within one row), if one was given, and
 *   - the program has then written nothing for --settle milliseconds.
 * The phase's time runs from its start (the fork, or the write of its keys) to the last
 * byte the program wrote before falling quiet, so the settle wait is not counted.
 *
 * Why a screen model and not a search of the output stream: curses sends only what
 * changed, and shifts text with insert/delete-character, so a status text that stays or
 * moves ("20,000 actions" -> "1,014 actions") is never written again.  The model knows
 * just what xterm-256color's curses output uses (cursor motion, erase, insert/delete,
 * scroll regions, repeat), enough to read the screen back, nothing more.
 *
 * Options, in order; --until and --label apply to the phase last opened (the first
 * screen before any --keys):
 *   --cols N --rows N       terminal size (120x40)
 *   --term NAME             TERM (xterm-256color)
 *   --until TEXT            text the screen must show before the phase may end
 *   --keys SEQ              open a timed phase: send SEQ (\r \n \t \e \\ \xNN escapes)
 *   --send SEQ              send SEQ and wait for the program to fall quiet, untimed
 *                           (typing a search word before timing its Enter)
 *   --label NAME            name of the phase in the output (first, key1, key2 ...)
 *   --settle MS             quiet time that ends a phase (250)
 *   --timeout S             longest a phase may take (60)
 *   --quit SEQ              sent after the last phase (q); the program then has 5 s to exit
 *   --log FILE              copy everything the program writes to FILE
 *   --screen FILE           write the final screen to FILE as text (for choosing --until)
 *
 * Output on stdout, one line per timed phase and one for memory, tab-separated:
 *   phase  LABEL  MS  BYTES  CPU_MS  (MS with three decimals; CPU_MS: the program's own
 *                                    time on a CPU during the phase, from
 *                                    /proc/PID/schedstat, -1 when unknown: on a loaded
 *                                    machine the figure the load does not inflate)
 *   rss_kb KB                        (the child's VmHWM just before --quit)
 * Exit status: 0 when every phase completed; 3 when the program exited first; 4 when a
 * phase timed out (the screen is then shown on stderr); 2 for usage errors; 1 otherwise.
 *
 * Depends on libc and libutil (forkpty). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PHASES 64
#define MAX_PARAMS 16

struct phase {
	char *keys;          /* decoded bytes to send; NULL for the first screen */
	size_t nkeys;
	int timed;           /* 0 for --send */
	const char *until;   /* NULL: no text required */
	const char *label;
	double ms;           /* result */
	long bytes;
	double cpu_ms;       /* the child's CPU time in the phase, -1 when unknown */
};

static struct phase phases[MAX_PHASES];
static int nphases = 1;
static FILE *logfile;

static pid_t child = -1;
static int master = -1;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what)
{
	perror(what);
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		die("ptytime: calloc");
	return p;
}

static void usage(void)
{
	fputs("usage: ptytime [--cols N] [--rows N] [--term NAME] [--until TEXT] [--settle MS]\n"
	      "               [--timeout S] [--send SEQ] [--keys SEQ [--until TEXT] [--label NAME]]...\n"
	      "               [--quit SEQ] [--log FILE] [--screen FILE] -- COMMAND [ARG...]\n", stderr);
	exit(2);
}

/* Decode \r \n \t \e \\ \xNN; returns a new buffer and its length. */
static char *decode_keys(const char *s, size_t *n)
{
	char *out = xcalloc(strlen(s) + 1, 1);
	size_t k = 0;
	for (const char *p = s; *p; p++) {
		if (*p != '\\' || !p[1]) {
			out[k++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'r': out[k++] = '\r'; break;
		case 'n': out[k++] = '\n'; break;
		case 't': out[k++] = '\t'; break;
		case 'e': out[k++] = 0x1b; break;
		case '\\': out[k++] = '\\'; break;
		case 'x': {
			char hex[3] = { 0 };
			if (p[1] && p[2]) {
				hex[0] = p[1];
				hex[1] = p[2];
				out[k++] = (char)strtol(hex, NULL, 16);
				p += 2;
			}
			break;
		}
		default: out[k++] = '\\'; out[k++] = *p; break;
		}
	}
	*n = k;
	return out;
}

/* ---- the screen model ------------------------------------------------------------------- */

struct screen {
	int rows, cols;
	uint32_t *cell;          /* rows * cols code points; ' ' when blank */
	int x, y;                /* cursor */
	int wrap_pending;        /* wrote the last column: the next character wraps */
	int top, bottom;         /* scroll region, inclusive */
	int saved_x, saved_y;
	uint32_t last;           /* last character written, for REP */
	int g0_graphics, g1_graphics, shifted;   /* DEC line-drawing charsets */
	/* parser state */
	enum { P_TEXT, P_ESC, P_CSI, P_STRING, P_STRING_ESC, P_CHARSET } state;
	char charset_target;     /* '(' or ')' */
	char priv;               /* CSI private marker: ? > = */
	int param[MAX_PARAMS];
	int nparam;
	uint32_t utf8_cp;        /* UTF-8 decoding */
	int utf8_left;
};

static struct screen scr;

#define CELL(s, r, c) ((s)->cell[(size_t)(r) * (size_t)(s)->cols + (size_t)(c)])

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void screen_init(struct screen *s, int rows, int cols)
{
	memset(s, 0, sizeof *s);
	s->rows = rows;
	s->cols = cols;
	s->cell = xcalloc((size_t)rows * (size_t)cols, sizeof *s->cell);
	for (size_t i = 0; i < (size_t)rows * (size_t)cols; i++)
		s->cell[i] = ' ';
	s->bottom = rows - 1;
}

static void blank(struct screen *s, int r, int c0, int c1)   /* [c0, c1) */
{
	for (int c = c0; c < c1; c++)
		CELL(s, r, c) = ' ';
}

/* Scroll rows [top, bottom] up by n (new blank rows at the bottom); n < 0 scrolls down. */
static void scroll_region(struct screen *s, int top, int bottom, int n)
{
	int h = bottom - top + 1;
	if (h <= 0 || n == 0)
		return;
	size_t w = (size_t)s->cols * sizeof *s->cell;
	if (n >= h || -n >= h) {
		for (int r = top; r <= bottom; r++)
			blank(s, r, 0, s->cols);
		return;
	}
	if (n > 0) {
		memmove(&CELL(s, top, 0), &CELL(s, top + n, 0), (size_t)(h - n) * w);
		for (int r = bottom - n + 1; r <= bottom; r++)
			blank(s, r, 0, s->cols);
	} else {
		n = -n;
		memmove(&CELL(s, top + n, 0), &CELL(s, top, 0), (size_t)(h - n) * w);
		for (int r = top; r < top + n; r++)
			blank(s, r, 0, s->cols);
	}
}

static void line_feed(struct screen *s)
{
	s->wrap_pending = 0;
	if (s->y == s->bottom)
		scroll_region(s, s->top, s->bottom, 1);
	else if (s->y < s->rows - 1)
		s->y++;
}

static uint32_t line_drawing(uint32_t c)
{
	switch (c) {
	case 'q': return 0x2500;     /* ─ */
	case 'x': return 0x2502;     /* │ */
	case 'l': case 'k': case 'm': case 'j': case 'n': case 't': case 'u': case 'v': case 'w':
		return '+';
	case 'a': return '#';
	case '~': return 0x00b7;
	default: return c;
	}
}

static void put_char(struct screen *s, uint32_t c)
{
	if ((s->shifted ? s->g1_graphics : s->g0_graphics) && c >= 0x60 && c < 0x7f)
		c = line_drawing(c);
	/* Combining marks join the previous cell. */
	if ((c >= 0x300 && c < 0x370) || c == 0x200d || (c >= 0xfe00 && c <= 0xfe0f))
		return;
	if (s->wrap_pending) {
		s->x = 0;
		line_feed(s);
	}
	CELL(s, s->y, s->x) = c;
	s->last = c;
	if (s->x == s->cols - 1)
		s->wrap_pending = 1;
	else
		s->x++;
}

static int param(const struct screen *s, int i, int dflt)
{
	return i < s->nparam && s->param[i] > 0 ? s->param[i] : dflt;
}

static void csi_dispatch(struct screen *s, char final)
{
	int n = param(s, 0, 1), r, c;
	if (s->priv == '?' || s->priv == '>' || s->priv == '=') {
		if (s->priv == '?' && (final == 'h' || final == 'l')) {
			for (int i = 0; i < s->nparam; i++)
				if (s->param[i] == 1049 || s->param[i] == 47 || s->param[i] == 1047)
					for (r = 0; r < s->rows; r++)
						blank(s, r, 0, s->cols);
		}
		return;
	}
	s->wrap_pending = 0;
	switch (final) {
	case 'A': s->y = clamp(s->y - n, s->y >= s->top ? s->top : 0, s->rows - 1); break;
	case 'B': s->y = clamp(s->y + n, 0, s->y <= s->bottom ? s->bottom : s->rows - 1); break;
	case 'C': s->x = clamp(s->x + n, 0, s->cols - 1); break;
	case 'D': s->x = clamp(s->x - n, 0, s->cols - 1); break;
	case 'E': s->y = clamp(s->y + n, 0, s->rows - 1); s->x = 0; break;
	case 'F': s->y = clamp(s->y - n, 0, s->rows - 1); s->x = 0; break;
	case 'G': case '`': s->x = clamp(n - 1, 0, s->cols - 1); break;
	case 'd': s->y = clamp(n - 1, 0, s->rows - 1); break;
	case 'H': case 'f':
		s->y = clamp(param(s, 0, 1) - 1, 0, s->rows - 1);
		s->x = clamp(param(s, 1, 1) - 1, 0, s->cols - 1);
		break;
	case 'J': {
		int mode = s->nparam ? s->param[0] : 0;
		if (mode == 0) {
			blank(s, s->y, s->x, s->cols);
			for (r = s->y + 1; r < s->rows; r++)
				blank(s, r, 0, s->cols);
		} else if (mode == 1) {
			blank(s, s->y, 0, s->x + 1);
			for (r = 0; r < s->y; r++)
				blank(s, r, 0, s->cols);
		} else {
			for (r = 0; r < s->rows; r++)
				blank(s, r, 0, s->cols);
		}
		break;
	}
	case 'K': {
		int mode = s->nparam ? s->param[0] : 0;
		if (mode == 0)
			blank(s, s->y, s->x, s->cols);
		else if (mode == 1)
			blank(s, s->y, 0, s->x + 1);
		else
			blank(s, s->y, 0, s->cols);
		break;
	}
	case 'X': blank(s, s->y, s->x, clamp(s->x + n, 0, s->cols)); break;
	case '@':       /* insert n blanks */
		n = clamp(n, 0, s->cols - s->x);
		memmove(&CELL(s, s->y, s->x + n), &CELL(s, s->y, s->x),
		        (size_t)(s->cols - s->x - n) * sizeof *s->cell);
		blank(s, s->y, s->x, s->x + n);
		break;
	case 'P':       /* delete n characters */
		n = clamp(n, 0, s->cols - s->x);
		memmove(&CELL(s, s->y, s->x), &CELL(s, s->y, s->x + n),
		        (size_t)(s->cols - s->x - n) * sizeof *s->cell);
		blank(s, s->y, s->cols - n, s->cols);
		break;
	case 'L':
		if (s->y >= s->top && s->y <= s->bottom)
			scroll_region(s, s->y, s->bottom, -n);
		s->x = 0;
		break;
	case 'M':
		if (s->y >= s->top && s->y <= s->bottom)
			scroll_region(s, s->y, s->bottom, n);
		s->x = 0;
		break;
	case 'S': scroll_region(s, s->top, s->bottom, n); break;
	case 'T': scroll_region(s, s->top, s->bottom, -n); break;
	case 'b':       /* repeat the last character */
		for (c = 0; c < n && c < s->cols * s->rows; c++)
			put_char(s, s->last);
		break;
	case 'r':
		s->top = clamp(param(s, 0, 1) - 1, 0, s->rows - 1);
		s->bottom = clamp(param(s, 1, s->rows) - 1, 0, s->rows - 1);
		if (s->bottom <= s->top) {
			s->top = 0;
			s->bottom = s->rows - 1;
		}
		s->x = s->y = 0;
		break;
	case 's': s->saved_x = s->x; s->saved_y = s->y; break;
	case 'u': s->x = s->saved_x; s->y = s->saved_y; break;
	case 'n':       /* cursor position report: answer, so programs that ask are not left waiting */
		if (param(s, 0, 0) == 6 && master >= 0) {
			char reply[32];
			int len = snprintf(reply, sizeof reply, "\x1b[%d;%dR", s->y + 1, s->x + 1);
			if (write(master, reply, (size_t)len) < 0)
				(void)0;
		}
		break;
	default:        /* SGR and modes change no text */
		break;
	}
}

static void esc_dispatch(struct screen *s, unsigned char c)
{
	s->state = P_TEXT;
	switch (c) {
	case '[': s->state = P_CSI; s->priv = 0; s->nparam = 0; memset(s->param, 0, sizeof s->param); break;
	case ']': case 'P': case '_': case '^': case 'X': s->state = P_STRING; break;
	case '(': case ')': case '*': case '+': s->state = P_CHARSET; s->charset_target = (char)c; break;
	case '#': case '%': case ' ': s->state = P_CHARSET; s->charset_target = 0; break;
	case '7': s->saved_x = s->x; s->saved_y = s->y; break;
	case '8': s->x = s->saved_x; s->y = s->saved_y; s->wrap_pending = 0; break;
	case 'D': line_feed(s); break;
	case 'E': s->x = 0; line_feed(s); break;
	case 'M':
		s->wrap_pending = 0;
		if (s->y == s->top)
			scroll_region(s, s->top, s->bottom, -1);
		else if (s->y > 0)
			s->y--;
		break;
	case 'c': {
		int rows = s->rows, cols = s->cols;
		uint32_t *cell = s->cell;
		memset(s, 0, sizeof *s);
		s->rows = rows;
		s->cols = cols;
		s->cell = cell;
		s->bottom = rows - 1;
		for (int r = 0; r < rows; r++)
			blank(s, r, 0, cols);
		break;
	}
	default: break;  /* ESC = ESC > and the rest change no text */
	}
}

static void control(struct screen *s, unsigned char c)
{
	switch (c) {
	case '\r': s->x = 0; s->wrap_pending = 0; break;
	case '\n': case '\v': case '\f': line_feed(s); break;
	case '\b': if (s->x > 0) s->x--; s->wrap_pending = 0; break;
	case '\t': s->x = clamp((s->x / 8 + 1) * 8, 0, s->cols - 1); break;
	case 0x0e: s->shifted = 1; break;
	case 0x0f: s->shifted = 0; break;
	case 0x1b: s->state = P_ESC; break;
	default: break;
	}
}

static void screen_feed(struct screen *s, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		switch (s->state) {
		case P_TEXT:
			if (s->utf8_left) {
				if ((c & 0xc0) == 0x80) {
					s->utf8_cp = (s->utf8_cp << 6) | (c & 0x3f);
					if (--s->utf8_left == 0)
						put_char(s, s->utf8_cp);
					break;
				}
				s->utf8_left = 0;
				put_char(s, 0xfffd);
			}
			if (c < 0x20 || c == 0x7f)
				control(s, c);
			else if (c < 0x80)
				put_char(s, c);
			else if ((c & 0xe0) == 0xc0) {
				s->utf8_cp = c & 0x1f;
				s->utf8_left = 1;
			} else if ((c & 0xf0) == 0xe0) {
				s->utf8_cp = c & 0x0f;
				s->utf8_left = 2;
			} else if ((c & 0xf8) == 0xf0) {
				s->utf8_cp = c & 0x07;
				s->utf8_left = 3;
			} else
				put_char(s, 0xfffd);
			break;
		case P_ESC:
			esc_dispatch(s, c);
			break;
		case P_CSI:
			if (c >= '0' && c <= '9') {
				if (s->nparam == 0)
					s->nparam = 1;
				int *p = &s->param[s->nparam - 1];
				if (*p < 100000)
					*p = *p * 10 + (c - '0');
			} else if (c == ';' || c == ':') {
				if (s->nparam == 0)
					s->nparam = 1;
				if (s->nparam < MAX_PARAMS)
					s->param[s->nparam++] = 0;
			} else if (c == '?' || c == '>' || c == '=' || c == '<') {
				s->priv = (char)c;
			} else if (c >= 0x40 && c <= 0x7e) {
				s->state = P_TEXT;
				csi_dispatch(s, (char)c);
			} else if (c == 0x1b) {
				s->state = P_ESC;
			} else if (c < 0x20) {
				control(s, c);   /* controls inside a sequence act at once */
			}
			break;
		case P_STRING:
			if (c == 0x07)
				s->state = P_TEXT;
			else if (c == 0x1b)
				s->state = P_STRING_ESC;
			break;
		case P_STRING_ESC:
			s->state = c == '\\' ? P_TEXT : P_STRING;
			break;
		case P_CHARSET:
			if (s->charset_target == '(')
				s->g0_graphics = c == '0';
			else if (s->charset_target == ')')
				s->g1_graphics = c == '0';
			s->state = P_TEXT;
			break;
		}
	}
}

/* Row r as UTF-8, right-trimmed, into out (at least cols * 4 + 1 bytes); returns length. */
static size_t screen_row(const struct screen *s, int r, char *out)
{
	size_t k = 0, end = 0;
	for (int c = 0; c < s->cols; c++) {
		uint32_t cp = CELL(s, r, c);
		if (cp < 0x80) {
			out[k++] = (char)cp;
		} else if (cp < 0x800) {
			out[k++] = (char)(0xc0 | (cp >> 6));
			out[k++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out[k++] = (char)(0xe0 | (cp >> 12));
			out[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[k++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[k++] = (char)(0xf0 | (cp >> 18));
			out[k++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			out[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[k++] = (char)(0x80 | (cp & 0x3f));
		}
		if (cp != ' ')
			end = k;
	}
	out[end] = '\0';
	return end;
}

static int screen_shows(const struct screen *s, const char *text)
{
	char *row = xcalloc((size_t)s->cols * 4 + 1, 1);
	int found = 0;
	size_t tlen = strlen(text);
	for (int r = 0; r < s->rows && !found; r++) {
		size_t n = screen_row(s, r, row);
		found = memmem(row, n, text, tlen) != NULL;
	}
	free(row);
	return found;
}

static uint64_t screen_hash(const struct screen *s)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < (size_t)s->rows * (size_t)s->cols; i++)
		h = (h ^ s->cell[i]) * 1099511628211ull;
	return h;
}

static void screen_write(const struct screen *s, FILE *f)
{
	char *row = xcalloc((size_t)s->cols * 4 + 1, 1);
	int last = -1;
	for (int r = 0; r < s->rows; r++)
		if (screen_row(s, r, row))
			last = r;
	for (int r = 0; r <= last; r++) {
		screen_row(s, r, row);
		fprintf(f, "%s\n", row);
	}
	free(row);
}

/* ---- the run ----------------------------------------------------------------------------- */

static void write_all(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(master, s, n);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("ptytime: write to terminal");
		}
		s += w;
		n -= (size_t)w;
	}
}

static void show_screen(void)
{
	fputs("ptytime: the screen:\n", stderr);
	screen_write(&scr, stderr);
}

static void report_exit(int status)
{
	if (WIFEXITED(status))
		fprintf(stderr, "ptytime: the program exited with status %d before the screen was complete\n",
		        WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "ptytime: the program was killed by signal %d before the screen was complete\n",
		        WTERMSIG(status));
	show_screen();
}

/* Peak resident set of the child in kB (VmHWM), or -1. */
static long child_hwm_kb(void)
{
	char path[64], line[256];
	long kb = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)child);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

/* The child's time on a CPU so far in ms (its main thread: /proc/PID/schedstat's first
 * field, in ns), or -1. */
static double child_cpu_ms(void)
{
	char path[64];
	unsigned long long ns = 0;
	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)child);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fscanf(f, "%llu", &ns) == 1;
	fclose(f);
	return ok ? ns / 1e6 : -1;
}

/* Is the phase's screen there?  (Called only once the program has fallen quiet.) */
static int phase_done(const struct phase *ph, uint64_t start_hash)
{
	if (!ph->timed)
		return 1;
	if (ph->bytes == 0)
		return 0;
	if (ph->keys && ph->timed && screen_hash(&scr) == start_hash)
		return 0;
	return !ph->until || !*ph->until || screen_shows(&scr, ph->until);
}

/* Read from the terminal until the phase completes.  Returns 0, 3 (exited) or 4 (timeout). */
static int run_phase(struct phase *ph, double start, int settle_ms, int timeout_s)
{
	char buf[65536];
	double last = ph->timed ? -1 : start;   /* --send: quiet counts from the keys */
	uint64_t start_hash = screen_hash(&scr);
	ph->bytes = 0;
	for (;;) {
		double t = now_ms();
		double deadline = start + timeout_s * 1e3;
		if (t >= deadline) {
			fprintf(stderr, "ptytime: %s timed out after %d s (%s)\n", ph->label, timeout_s,
			        ph->bytes == 0 ? "no output" :
			        !phase_done(ph, start_hash) ? "the screen never matched" : "output never fell quiet");
			show_screen();
			return 4;
		}
		int wait = last >= 0 ? (int)(last + settle_ms - t) + 1 : (int)(deadline - t) + 1;
		wait = clamp(wait, 0, 1000);
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		int r = poll(&pfd, 1, wait);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("ptytime: poll");
		}
		if (r == 0) {
			if (last >= 0 && now_ms() - last >= settle_ms && phase_done(ph, start_hash)) {
				ph->ms = last - start;
				return 0;
			}
			int status;
			if (waitpid(child, &status, WNOHANG) == child) {
				child = -1;
				report_exit(status);
				return 3;
			}
			continue;
		}
		ssize_t n = read(master, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {          /* EIO: the slave side closed, the program is gone */
			int status = 0;
			waitpid(child, &status, 0);
			child = -1;
			report_exit(status);
			return 3;
		}
		last = now_ms();
		ph->bytes += n;
		if (logfile)
			fwrite(buf, 1, (size_t)n, logfile);
		screen_feed(&scr, buf, (size_t)n);
	}
}

/* Send the quit keys, drain output, and make sure the child is gone. */
static void finish(const char *quit)
{
	if (child <= 0)
		return;
	size_t n;
	char *q = decode_keys(quit, &n);
	write_all(q, n);
	free(q);
	double deadline = now_ms() + 5000;
	char buf[65536];
	while (now_ms() < deadline) {
		int status;
		if (waitpid(child, &status, WNOHANG) == child) {
			child = -1;
			return;
		}
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		if (poll(&pfd, 1, 50) > 0 && read(master, buf, sizeof buf) <= 0) {
			waitpid(child, &status, 0);
			child = -1;
			return;
		}
	}
	fprintf(stderr, "ptytime: the program did not exit after the quit keys; killing it\n");
	kill(child, SIGTERM);
	usleep(200000);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	child = -1;
}

int main(int argc, char **argv)
{
	int cols = 120, rows = 40, settle_ms = 250, timeout_s = 60;
	const char *term = "xterm-256color", *quit = "q", *screen_file = NULL;
	int i;
	phases[0].label = "first";
	phases[0].timed = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		struct phase *cur = &phases[nphases - 1];
		if (strcmp(a, "--cols") == 0)
			cols = atoi(v);
		else if (strcmp(a, "--rows") == 0)
			rows = atoi(v);
		else if (strcmp(a, "--term") == 0)
			term = v;
		else if (strcmp(a, "--settle") == 0)
			settle_ms = atoi(v);
		else if (strcmp(a, "--timeout") == 0)
			timeout_s = atoi(v);
		else if (strcmp(a, "--quit") == 0)
			quit = v;
		else if (strcmp(a, "--screen") == 0)
			screen_file = v;
		else if (strcmp(a, "--log") == 0) {
			if (!(logfile = fopen(v, "w")))
				die(v);
		} else if (strcmp(a, "--label") == 0)
			cur->label = v;
		else if (strcmp(a, "--until") == 0)
			cur->until = v;
		else if (strcmp(a, "--keys") == 0 || strcmp(a, "--send") == 0) {
			if (nphases == MAX_PHASES) {
				fputs("ptytime: too many --keys\n", stderr);
				return 2;
			}
			cur = &phases[nphases++];
			cur->keys = decode_keys(v, &cur->nkeys);
			cur->timed = strcmp(a, "--keys") == 0;
			static char labels[MAX_PHASES][16];
			snprintf(labels[nphases - 1], sizeof labels[0], "%s%d", cur->timed ? "key" : "send", nphases - 1);
			cur->label = labels[nphases - 1];
		} else {
			usage();
		}
	}
	if (i >= argc || cols <= 0 || rows <= 0 || settle_ms < 0 || timeout_s <= 0)
		usage();
	char **cmd = argv + i;

	screen_init(&scr, rows, cols);
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	signal(SIGPIPE, SIG_IGN);
	double start = now_ms();
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0)
		die("ptytime: forkpty");
	if (child == 0) {
		setenv("TERM", term, 1);
		unsetenv("LINES");
		unsetenv("COLUMNS");
		execvp(cmd[0], cmd);
		fprintf(stderr, "ptytime: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}

	int rc = 0;
	for (int p = 0; p < nphases; p++) {
		struct phase *ph = &phases[p];
		double t0 = start, cpu0 = p == 0 ? 0 : child_cpu_ms();
		if (ph->keys) {
			t0 = now_ms();
			write_all(ph->keys, ph->nkeys);
		}
		rc = run_phase(ph, t0, settle_ms, timeout_s);
		if (rc)
			break;
		double cpu1 = child_cpu_ms();
		ph->cpu_ms = cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1;
		if (ph->timed) {
			printf("phase\t%s\t%.3f\t%ld\t%.3f\n", ph->label, ph->ms, ph->bytes, ph->cpu_ms);
			fflush(stdout);
		}
	}
	if (rc == 0) {
		printf("rss_kb\t%ld\n", child > 0 ? child_hwm_kb() : -1L);
		fflush(stdout);
	}
	if (screen_file) {
		FILE *f = fopen(screen_file, "w");
		if (!f)
			die(screen_file);
		screen_write(&scr, f);
		fclose(f);
	}
	finish(quit);
	if (logfile)
		fclose(logfile);
	return rc;
}
