/* Unit tests for status: err_set keeps a message whole when it fits and, when it does
 * not, cuts it between two characters (a message is printed, and must stay UTF-8). */
#include "ragtrack/status.h"
#include "ragtrack/text.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>

/* A message of n copies of unit after a one-byte prefix "x" (so every width of cut is
 * tried against the multi-byte characters). */
static void fill(char *buf, size_t size, const char *unit, size_t shift)
{
	size_t u = strlen(unit), n = 0;
	for (size_t i = 0; i < shift && n + 1 < size; i++)
		buf[n++] = 'x';
	while (n + u < size) {
		memcpy(buf + n, unit, u);
		n += u;
	}
	buf[n] = '\0';
}

static void test_err_set_fits(void)
{
	struct err e;
	err_clear(&e);
	CHECK_INT(err_set(&e, ERR_INVALID, "rag: '%s' is not a RAG status", "Rouge"), ERR_INVALID);
	CHECK_INT(e.code, ERR_INVALID);
	CHECK_STR(e.msg, "rag: 'Rouge' is not a RAG status");
	CHECK_INT(err_set(NULL, ERR_DB, "nothing kept"), ERR_DB);
}

/* Every cut of two-, three- and four-byte characters at every offset ends on a whole
 * character, as long as the message can be. */
static void test_err_set_cuts_whole_characters(void)
{
	static const char *const UNITS[] = { "\xc3\xa9", "\xe2\x80\x94", "\xf0\x9f\x98\x80", "a\xcc\x81" };
	static char big[4096];
	struct err e;
	for (size_t u = 0; u < sizeof UNITS / sizeof *UNITS; u++)
		for (size_t shift = 0; shift < 4; shift++) {
			fill(big, sizeof big, UNITS[u], shift);
			err_set(&e, ERR_DB, "%s", big);
			size_t n = strlen(e.msg);
			CHECK(n < sizeof e.msg);
			CHECK(n + 4 >= sizeof e.msg - 1);          /* cut only what a character needs */
			CHECK(utf8_valid(e.msg, n, NULL));
			CHECK_INT(memcmp(e.msg, big, n), 0);        /* a start of the message, unchanged */
		}
}

int main(void)
{
	test_err_set_fits();
	test_err_set_cuts_whole_characters();
	return check_report();
}
