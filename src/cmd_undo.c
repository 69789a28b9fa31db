/* cmd_undo: placeholder until the command is written. */
#include "ragtrack/cli.h"

int cmd_undo(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	fprintf(stderr, "ragtrack %s: not available yet\n", argv[0]);
	return 2;
}
