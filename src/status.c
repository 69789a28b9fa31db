/* status: messages and exit codes for the status enum. */
#include "ragtrack/status.h"
#include "ragtrack/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *text;
	int exit;
} STATUS_INFO[] = {
#define STATUS_INFO_ROW(code, exit, text) { text, exit },
	STATUS_CODES(STATUS_INFO_ROW)
#undef STATUS_INFO_ROW
};

enum status err_set(struct err *e, enum status code, const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	va_list ap;
	va_start(ap, fmt);
	/* Room for the character a cut at sizeof e->msg - 1 would split, to cut before it. */
	char whole[sizeof e->msg + 4];
	vsnprintf(whole, sizeof whole, fmt, ap);
	va_end(ap);
	size_t n = text_cut_bytes(whole, sizeof e->msg - 1);
	memcpy(e->msg, whole, n);
	e->msg[n] = '\0';
	return code;
}

void err_clear(struct err *e)
{
	if (e) {
		e->code = OK;
		e->msg[0] = '\0';
	}
}

const char *status_text(enum status code)
{
	return STATUS_INFO[code].text;
}

int status_exit(enum status code)
{
	return STATUS_INFO[code].exit;
}
