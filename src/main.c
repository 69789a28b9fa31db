/* main: the entry point.  The command line itself is src/cli.c. */
#include "ragtrack/cli.h"

#include <locale.h>

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return cli_main(argc, argv);
}
