/* cmd_note: ragtrack note ID TEXT... */
#include "ragtrack/cli.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

int cmd_note(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		printf("\nThe words after the ID are joined with spaces into one note, dated now and\n"
		       "signed with --user (else $USER, $LOGNAME, the account).  Notes are a dated\n"
		       "record: they cannot be edited or removed, and they do not change the action's\n"
		       "version.\n");
		return 0;
	}
	int i = 1;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		return cli_usage("note", "which action? give its ID and the note");
	long long id = cli_parse_id(argv[i]);
	if (!id)
		return cli_usage("note", "'%s' is not an action ID (a number such as 12 or #12)", argv[i]);
	struct buf text = {0};
	for (i++; i < argc; i++) {
		if (text.len == 0 && strcmp(argv[i], "--") == 0)
			continue;
		buf_printf(&text, "%s%s", text.len ? " " : "", argv[i]);
	}
	if (!text.len) {
		buf_free(&text);
		return cli_usage("note", "no text: give the note after the ID");
	}
	struct store *s = cli_open(c, 0, SOURCE_CLI);
	int rc = s ? 0 : c->status;
	if (s) {
		struct err e = {0};
		if (store_note_add(s, id, text.s, &e) != OK)
			rc = cli_fail(&e);
		else
			printf("#%lld: note added\n", id);
		store_close(s);
	}
	buf_free(&text);
	return rc;
}
