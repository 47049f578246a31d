/*
 * lib/pg/sqlset.h - every SQL statement ausdash runs, from the files under
 * sql/, embedded at build time.
 *
 * Each file sql/AREA/SET.sql holds statements named by "-- name: NAME"
 * lines; sql/embed.awk turns them into lib/pg/sqlset_data.c and the ids of
 * lib/pg/sqlset_names.h (SQLSET_<SET>_<NAME>), so a misspelt name fails
 * the build, the installed tools need no SQL files at run time, and the
 * SQL stays readable (and reviewable) as SQL.  sql/rules.sql holds the
 * rules other statements share ({{NAME}}).
 */
#ifndef AUSDASH_SQLSET_H
#define AUSDASH_SQLSET_H

#include "base/sbuf.h"
#include "pg/sqlset_names.h"

typedef struct sqlset_entry
{
	const char *set;
	const char *name;
	const char *sql;
} sqlset_entry;

/* Every statement, by id (lib/pg/sqlset_data.c). */
extern const sqlset_entry sqlset_data_entries[SQLSET_COUNT];

/* The statement's text (static storage). */
const char *sqlset_sql(sqlset_id id);

/*
 * A name for sql in messages: "SET/NAME" when it is one of the statements
 * (not a rendered template), else its first line, cut to fit buf.
 */
const char *sqlset_name_of(const char *sql, char *buf, size_t size);

/*
 * Appends the template id to out with each placeholder {name} (lower-case
 * letters and _) replaced by its value in vars: name, value, name, value,
 * ..., NULL.  Other braces are copied.  A placeholder without a value is a
 * bug: exits with AUSDASH_EXIT_SOFTWARE.
 */
void		sqlset_render(sqlset_id id, sbuf *out, const char *const *vars);

#endif
