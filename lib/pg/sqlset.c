/*
 * lib/pg/sqlset.c - every SQL statement ausdash runs, embedded at build time.
 */
#include "base/common.h"

#include "base/log.h"
#include "pg/sqlset.h"
#include "base/banned.h"

const char *
sqlset_sql(sqlset_id id)
{
	return sqlset_data_entries[id].sql;
}


const char *
sqlset_name_of(const char *sql, char *buf, size_t size)
{
	size_t		line;

	for (int i = 0; i < SQLSET_COUNT; i++)
		if (sqlset_data_entries[i].sql == sql)
		{
			snprintf(buf, size, "%s/%s", sqlset_data_entries[i].set, sqlset_data_entries[i].name);
			return buf;
		}
	line = strcspn(sql, "\n");
	snprintf(buf, size, "%.*s%s", (int) (line < 60 ? line : 60), sql, line > 60 ? "..." : "");
	return buf;
}

void
sqlset_render(sqlset_id id, sbuf *out, const char *const *vars)
{
	const char *p = sqlset_data_entries[id].sql;

	while (*p)
	{
		const char *open = strchr(p, '{');
		size_t		len;
		int			i;

		if (open == NULL)
		{
			sbuf_appends(out, p);
			return;
		}
		sbuf_append(out, p, (size_t) (open - p));
		len = strspn(open + 1, "abcdefghijklmnopqrstuvwxyz_");
		if (len == 0 || open[1 + len] != '}')
		{
			sbuf_appendc(out, '{');
			p = open + 1;
			continue;
		}
		for (i = 0; vars[i]; i += 2)
			if (strlen(vars[i]) == len && memcmp(vars[i], open + 1, len) == 0)
				break;
		if (vars[i] == NULL)
			log_fatal(AUSDASH_EXIT_SOFTWARE, "%s/%s: no value for {%.*s}",
					  sqlset_data_entries[id].set, sqlset_data_entries[id].name, (int) len,
					  open + 1);
		sbuf_appends(out, vars[i + 1]);
		p = open + len + 2;
	}
}
