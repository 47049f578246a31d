/*
 * lib/pg/sqlset.c - the SQL in sql/merge/, embedded at build time.
 */
#include "base/common.h"

#include "base/log.h"
#include "pg/sqlset.h"
#include "base/banned.h"

const char *
sqlset_find(const char *set, const char *name)
{
	for (const sqlset_entry *e = sqlset_data_entries; e->set; e++)
		if (strcmp(e->set, set) == 0 && strcmp(e->name, name) == 0)
			return e->sql;
	return NULL;
}

const char *
sqlset_get(const char *set, const char *name)
{
	const char *sql = sqlset_find(set, name);

	if (sql == NULL)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "no statement \"%s\" in sql/merge/%s.sql", name, set);
	return sql;
}
