/*
 * lib/pg/sqlset.h - the SQL in sql/merge/, embedded at build time.
 *
 * Each file sql/merge/SET.sql holds statements named by "-- name: NAME"
 * lines; sql/embed.awk turns them into lib/sqlset_data.c, so the
 * installed tools need no SQL files at run time and the SQL stays
 * readable (and reviewable) as SQL.
 */
#ifndef AUSDASH_SQLSET_H
#define AUSDASH_SQLSET_H

typedef struct sqlset_entry
{
	const char *set;
	const char *name;
	const char *sql;
} sqlset_entry;

/* Every statement, ended by an entry of NULLs (lib/sqlset_data.c). */
extern const sqlset_entry sqlset_data_entries[];

/* The statement, or NULL when there is none (static storage). */
const char *sqlset_find(const char *set, const char *name);

/* The statement; a missing one is a bug: exits with AUSDASH_EXIT_SOFTWARE. */
const char *sqlset_get(const char *set, const char *name);

#endif
