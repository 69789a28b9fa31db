/* status: messages and exit codes for the status enum. */
#include "ragtrack/status.h"

#include <stdarg.h>
#include <stdio.h>

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
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
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
