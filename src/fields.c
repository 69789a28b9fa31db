/* fields: the table of an action's fields (include/ragtrack/fields.h) and the
 * accessors every writer and screen reads values through. */
#include "ragtrack/fields.h"
#include "ragtrack/colmap.h"
#include "ragtrack/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

const struct field FIELDS[FLD_COUNT] = {
#define FIELD_ROW(id, key, label, col, edit, member, flags) { id, key, label, col, edit, member, flags },
	FIELD_TABLE(FIELD_ROW)
#undef FIELD_ROW
};

const struct field *field_by_key(const char *key)
{
	for (int i = 0; i < FLD_COUNT; i++)
		if (strcasecmp(key, FIELDS[i].key) == 0)
			return &FIELDS[i];
	return NULL;
}

const struct field *field_of_edit(enum action_field f)
{
	for (int i = 0; f != FIELD_NONE && i < FLD_COUNT; i++)
		if (FIELDS[i].edit == f)
			return &FIELDS[i];
	return NULL;
}

const char *field_header(const struct field *f)
{
	return f->col == COL_UNKNOWN ? "" : colmap_name((enum col)f->col);
}

long long field_number(const struct field *f, const struct action *a)
{
	switch (f->id) {
	case FLD_ID: return a->id;
	case FLD_NOTES: return a->nnotes;
	default: return 0;
	}
}

/* The fields with no char * of their own. */
static const char *field_computed(const struct field *f, const struct action *a, char tmp[FIELD_TMP])
{
	switch (f->id) {
	case FLD_RAG:
		return a->rag == RAG_UNSET ? NULL : rag_name(a->rag);
	case FLD_TARGET:
		return a->target_date ? a->target_date : str_empty(a->target_raw) ? NULL : a->target_raw;
	case FLD_WITHDRAWN:
		return a->withdrawn ? "yes" : "no";
	default:
		snprintf(tmp, FIELD_TMP, "%lld", field_number(f, a));
		return tmp;
	}
}

const char *field_text(const struct field *f, const struct action *a, char tmp[FIELD_TMP])
{
	if (f->member == FIELD_COMPUTED)
		return field_computed(f, a, tmp);
	return *(char *const *)((const char *)a + f->member);
}

char **field_slot(const struct field *f, struct action *a)
{
	return f->member == FIELD_COMPUTED ? NULL : (char **)((char *)a + f->member);
}

const char *field_column_name(const struct field_column *c, int key_names)
{
	if (!c->def)
		return c->extra;
	return key_names ? c->def->key : field_header(c->def);
}

const char *field_column_text(const struct field_column *c, const struct action *a, char tmp[FIELD_TMP])
{
	return c->def ? field_text(c->def, a, tmp) : action_extra_value(a, c->extra, c->nth);
}

void field_columns_free(struct field_column *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		free(c[i].extra);
		c[i].extra = NULL;
	}
}

void field_iter_init(struct field_iter *it, const struct action *a, unsigned want)
{
	*it = (struct field_iter){ .a = a, .want = want };
}

int field_iter_next(struct field_iter *it)
{
	while (it->next < FLD_COUNT) {
		const struct field *f = &FIELDS[it->next++];
		if (f->flags & it->want) {
			it->def = f;
			it->label = f->label;
			it->value = field_text(f, it->a, it->tmp);
			return 1;
		}
	}
	size_t x = it->next - FLD_COUNT;
	if (!(it->want & FF_EXTRA) || x >= it->a->nextra)
		return 0;
	it->next++;
	it->def = NULL;
	it->label = it->a->extra[x].name;
	it->value = it->a->extra[x].value;
	return 1;
}
