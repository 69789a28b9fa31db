/* colkinds: what the importer's classifier makes of each header given as an argument,
 * one line each: "field", "extra", "skip" or "repeat" (a one-value field named again,
 * whose cells must agree with the first).  Used by bench/cells_kept.py. */
#include "ragtrack/colmap.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	struct colmap m;
	colmap_build(&m, (const char *const *)argv + 1, (size_t)(argc - 1), NULL, 0);
	for (size_t i = 0; i < m.ncols; i++) {
		const struct colmap_column *c = &m.cols[i];
		puts(c->col == COL_SKIP ? "skip" : c->col < 0 ? "extra" : c->how == COLMAP_REPEAT ? "repeat" : "field");
	}
	colmap_clear(&m);
	return 0;
}
