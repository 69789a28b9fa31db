/* store_agency: reading the agencies, over the statement layer (store_db.h), so the
 * same code runs on a SQLite file and on a PostgreSQL server. */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <stdlib.h>

enum status store_agencies(struct store *s, store_agency_fn fn, void *ctx, struct err *err)
{
	struct db *db = store_db(s);
	char *aliases = xasprintf(db_frag(db, DF_LIST_NOCASE), "alias", "agency_alias WHERE agency_id = g.id");
	char *order = xasprintf(db_frag(db, DF_NOCASE_ORDER), "g.name");
	char *sql = xasprintf("SELECT g.name, coalesce(%s, ''), (SELECT count(*) FROM action WHERE agency_id = g.id)"
	                      " FROM agency g WHERE ?1 = 0 OR g.id = ?1 ORDER BY %s", aliases, order);
	struct db_stmt *st;
	enum status rc = db_prepare(db, sql, &st, err);
	free(aliases);
	free(order);
	free(sql);
	if (rc != OK)
		return rc;
	db_bind_int(st, 1, s->lens_agency);
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		struct agency_info a = {
			.name = db_col_text(st, 0),
			.aliases = db_col_text(st, 1),
			.actions = (long)db_col_int(st, 2),
		};
		if (fn(&a, ctx))
			break;
	}
	if (step == DB_ERROR)
		rc = err ? err->code : ERR_DB;
	db_finalize(st);
	return rc;
}
