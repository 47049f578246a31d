/*
 * lib/pg/sqlbuild.c - SQL put together from an entity's descriptor.
 */
#include "base/common.h"

#include "model/digest.h"
#include "pg/sqlbuild.h"
#include "pg/sqlset.h"
#include "base/banned.h"

void
sqlbuild_column(const entity_column *c, bool trim_numbers, sbuf *out)
{
	const char *vars[] = {"column", c->column, NULL};
	sqlset_id	id = SQLSET_COLUMN_TEXT;

	if (c->kind == ENTITY_TIMESTAMP)
		id = SQLSET_COLUMN_EPOCH_MS;
	else if (c->kind == ENTITY_NUMERIC && trim_numbers)
		id = SQLSET_COLUMN_NUMERIC_TEXT;
	sqlset_render(id, out, vars);
}

void
sqlbuild_key(const entity_desc *d, sbuf *out)
{
	for (int i = 0; d->key[i]; i++)
	{
		if (i > 0)
			sbuf_appends(out, sqlset_sql(SQLSET_DIGEST_KEY_SEPARATOR));
		sqlbuild_column(entity_column_find(d, d->key[i]), false, out);
	}
}

void
sqlbuild_digest(const entity_desc *d, const char *const *skip, sbuf *out)
{
	sbuf		fields;
	sbuf		value;

	sbuf_init(&fields);
	sbuf_init(&value);
	for (int i = 0; i < d->ncolumns; i++)
	{
		const entity_column *c = &d->columns[i];
		const char *vars[] = {"column", c->column, "value", NULL, NULL};

		if (digest_skipped(c->field, skip))
			continue;
		sbuf_reset(&value);
		sqlbuild_column(c, true, &value);
		vars[3] = value.data;
		sqlset_render(SQLSET_DIGEST_FIELD, &fields, vars);
	}
	sqlset_render(SQLSET_DIGEST_RECORD, out, (const char *const[]) {"fields", fields.data, NULL});
	sbuf_release(&fields);
	sbuf_release(&value);
}
