/* cli: what the commands share: opening the store, errors, filters, IDs. */
#include "ragtrack/cli.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The last exit status a failure here set, for callers that only see NULL or -1. */
static int last_status;

int cli_fail(const struct err *e)
{
	char *msg = text_visible(e->msg[0] ? e->msg : status_text(e->code), ' ');
	fprintf(stderr, "ragtrack: %s\n", msg);
	free(msg);
	return last_status = status_exit(e->code);
}

int cli_usage(const char *command, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *raw = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);
	va_end(ap);
	char *shown = text_visible(raw, ' ');     /* the message may quote what was typed */
	buf_printf(&b, "ragtrack%s%s: %s", command ? " " : "", command ? command : "", shown);
	if (command)
		buf_printf(&b, " (ragtrack %s --help)", command);
	fprintf(stderr, "%s\n", b.s);
	free(raw);
	free(shown);
	buf_free(&b);
	return last_status = status_exit(ERR_USAGE);
}

int cli_help_requested(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_command_help(stdout, argv[0]);
			return 1;
		}
	}
	return 0;
}

int cli_wait_message(void *ctx, const char *message, int first)
{
	(void)ctx;
	if (first) {
		char *shown = text_visible(message, ' ');
		fprintf(stderr, "ragtrack: %s (Ctrl-C gives up; nothing is written then)\n", shown);
		free(shown);
	}
	return 0;
}

struct store *cli_open(struct cli *c, int create, enum store_source source)
{
	struct store_opts o = {
		.read_only = c->read_only, .as_agency = c->as_agency, .user = c->user,
		.source = source, .create = create, .on_wait = cli_wait_message, .command = c->command,
	};
	struct store *s;
	struct err e = {0};
	if (store_open(c->db, &o, &s, &e) != OK) {
		c->status = cli_fail(&e);
		return NULL;
	}
	return s;
}

long long cli_parse_id(const char *s)
{
	if (!s)
		return 0;
	if (*s == '#')
		s++;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	return (errno || end == s || *end || v <= 0) ? 0 : v;
}

int cli_last_status(void)
{
	return last_status ? last_status : status_exit(ERR_USAGE);
}

int cli_parse_filters(const char *command, int argc, char **argv, struct filter *f)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int arity = strncmp(a, "--", 2) == 0 ? filter_option_arity(a + 2) : -1;
		if (arity < 0) {
			argv[out++] = argv[i];
			continue;
		}
		const char *val = NULL;
		if (arity) {
			if (i + 1 >= argc)
				return cli_usage(command, "%s needs a value", a), -1;
			val = argv[++i];
		}
		struct err e = {0};
		if (filter_parse_option(f, a + 2, val, &e) != OK) {
			cli_fail(&e);
			return -1;
		}
	}
	argv[out] = NULL;
	return out;
}
