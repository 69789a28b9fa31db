/* status: the error codes every module returns, and the message that goes with one. */
#ifndef RAGTRACK_STATUS_H
#define RAGTRACK_STATUS_H

/* X(CODE, exit status, "short description") */
#define STATUS_CODES(X) \
	X(OK,           0, "ok") \
	X(ERR_USAGE,    2, "usage error") \
	X(ERR_IO,       3, "input/output error") \
	X(ERR_FULL,     3, "disk is full") \
	X(ERR_PARSE,    4, "CSV error") \
	X(ERR_ENCODING, 4, "encoding error") \
	X(ERR_COLUMNS,  4, "no usable columns") \
	X(ERR_INVALID,  5, "invalid value") \
	X(ERR_NOT_FOUND,6, "not found") \
	X(ERR_CONFLICT, 7, "changed by someone else") \
	X(ERR_READ_ONLY,8, "read-only") \
	X(ERR_FORBIDDEN,8, "not allowed") \
	X(ERR_DB,       9, "database error") \
	X(ERR_SCHEMA,   9, "unsupported database") \
	X(ERR_CANCELLED,9, "cancelled")

enum status {
#define STATUS_ENUM(code, exit, text) code,
	STATUS_CODES(STATUS_ENUM)
#undef STATUS_ENUM
};

/* A status with the message that explains it to a user ("plan.csv:4: unterminated quoted field"). */
struct err {
	enum status code;
	char msg[1024];
};

/* Record code and a formatted message in e (if e is not NULL); returns code. */
enum status err_set(struct err *e, enum status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reset e to OK with an empty message. */
void err_clear(struct err *e);
/* The short description of a code, and the process exit status it maps to. */
const char *status_text(enum status code);
int status_exit(enum status code);

#endif
