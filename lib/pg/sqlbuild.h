/*
 * lib/pg/sqlbuild.h - SQL put together from an entity's descriptor
 * (lib/model/entity.h) and the templates of sql/pg/column.sql and
 * sql/pg/digest.sql: a column as the tools read it, a row's key, a row's
 * digest.  Every table is read under the alias t.
 */
#ifndef AUSDASH_SQLBUILD_H
#define AUSDASH_SQLBUILD_H

#include <stdbool.h>

#include "model/entity.h"
#include "base/sbuf.h"

/*
 * Column c as text, a timestamp as epoch milliseconds (a bigint), and with
 * trim_numbers a number without trailing zeros.
 */
void		sqlbuild_column(const entity_column *c, bool trim_numbers, sbuf *out);

/* d's key as text, its fields joined with '|' (digest_key()'s text). */
void		sqlbuild_key(const entity_desc *d, sbuf *out);

/*
 * A row's digest, the same as digest_record() of the record in the store;
 * skip: JSON field names left out (NULL-terminated, or NULL).
 */
void		sqlbuild_digest(const entity_desc *d, const char *const *skip, sbuf *out);

#endif
