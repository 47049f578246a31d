/*
 * lib/pg/sqlparse.c - statements and destructive statements, by libpg_query.
 */
#include "base/common.h"

#include <pg_query.h>
#include <yajl/yajl_tree.h>

#include "base/mem.h"
#include "pg/sqlparse.h"
#include "base/banned.h"

static int
line_of(const char *s, size_t at)
{
	int			line = 1;

	for (size_t i = 0; i < at && s[i]; i++)
		line += s[i] == '\n';
	return line;
}

/* Past white space and comments (-- and nested slash-star) from at. */
static size_t
skip_blank(const char *s, size_t at, size_t end)
{
	while (at < end)
	{
		if (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r' || s[at] == '\f')
			at++;
		else if (s[at] == '-' && at + 1 < end && s[at + 1] == '-')
		{
			while (at < end && s[at] != '\n')
				at++;
		}
		else if (s[at] == '/' && at + 1 < end && s[at + 1] == '*')
		{
			int			depth = 0;

			do
			{
				if (s[at] == '/' && at + 1 < end && s[at + 1] == '*')
					depth++, at += 2;
				else if (s[at] == '*' && at + 1 < end && s[at + 1] == '/')
					depth--, at += 2;
				else
					at++;
			} while (depth > 0 && at < end);
		}
		else
			break;
	}
	return at;
}

static void
set_error(sqlparse_error *err, const char *sql, const PgQueryError *e)
{
	err->line = line_of(sql, e->cursorpos > 0 ? (size_t) e->cursorpos - 1 : 0);
	snprintf(err->msg, sizeof(err->msg), "%s", e->message ? e->message : "syntax error");
}

int
sqlparse_split(const char *sql, size_t len, sqlparse_stmt **stmts, sqlparse_error *err)
{
	char	   *copy = mem_strndup(sql, len);
	PgQuerySplitResult r = pg_query_split_with_parser(copy);
	int			n = 0;

	*stmts = NULL;
	if (r.error)
	{
		set_error(err, copy, r.error);
		pg_query_free_split_result(r);
		free(copy);
		return -1;
	}
	*stmts = mem_calloc(r.n_stmts > 0 ? r.n_stmts : 1, sizeof(sqlparse_stmt));
	for (int i = 0; i < r.n_stmts; i++)
	{
		size_t		loc = (size_t) r.stmts[i]->stmt_location;
		size_t		end = r.stmts[i]->stmt_len > 0 ? loc + (size_t) r.stmts[i]->stmt_len : len;
		size_t		start = skip_blank(copy, loc, end);

		if (start >= end)
			continue;
		if (end < len && copy[end] == ';')
			end++;
		(*stmts)[n].start = start;
		(*stmts)[n].end = end;
		(*stmts)[n].line = line_of(copy, start);
		n++;
	}
	pg_query_free_split_result(r);
	free(copy);
	return n;
}

static const char *
string_of(yajl_val obj, const char *key)
{
	const char *path[2] = {key, NULL};
	yajl_val	v = yajl_tree_get(obj, path, yajl_t_string);

	return v ? YAJL_GET_STRING(v) : "";
}

static bool
has_key(yajl_val obj, const char *key)
{
	const char *path[2] = {key, NULL};

	return yajl_tree_get(obj, path, yajl_t_any) != NULL;
}

/* What a node of the given type is, if destructive; NULL if not. */
static const char *
destructive_node(const char *type, yajl_val node)
{
	static const struct
	{
		const char *object;
		const char *what;
	}			drops[] = {
		{"OBJECT_TABLE", "DROP TABLE"}, {"OBJECT_SCHEMA", "DROP SCHEMA"},
		{"OBJECT_INDEX", "DROP INDEX"}, {"OBJECT_VIEW", "DROP VIEW"},
		{"OBJECT_MATVIEW", "DROP MATERIALIZED VIEW"}, {"OBJECT_SEQUENCE", "DROP SEQUENCE"},
		{"OBJECT_FUNCTION", "DROP FUNCTION"}, {"OBJECT_TYPE", "DROP TYPE"},
	};

	if (strcmp(type, "DropStmt") == 0)
	{
		const char *object = string_of(node, "removeType");

		for (size_t i = 0; i < lengthof(drops); i++)
			if (strcmp(object, drops[i].object) == 0)
				return drops[i].what;
		return "DROP";
	}
	if (strcmp(type, "TruncateStmt") == 0)
		return "TRUNCATE";
	if (strcmp(type, "DeleteStmt") == 0 && !has_key(node, "whereClause"))
		return "DELETE without WHERE";
	if (strcmp(type, "UpdateStmt") == 0 && !has_key(node, "whereClause"))
		return "UPDATE without WHERE";
	if (strcmp(type, "AlterTableCmd") == 0)
	{
		const char *sub = string_of(node, "subtype");

		if (strcmp(sub, "AT_DropColumn") == 0)
			return "ALTER TABLE ... DROP COLUMN";
		if (strcmp(sub, "AT_AlterColumnType") == 0)
			return "ALTER COLUMN ... TYPE";
		if (strcmp(sub, "AT_SetNotNull") == 0)
			return "SET NOT NULL";
	}
	if (strcmp(type, "RenameStmt") == 0)
	{
		const char *object = string_of(node, "renameType");

		if (strcmp(object, "OBJECT_COLUMN") == 0)
			return "RENAME COLUMN";
		if (strcmp(object, "OBJECT_TABLE") == 0)
			return "RENAME TABLE";
		return "RENAME";
	}
	return NULL;
}

/* The first destructive node under v, or NULL. */
static const char *
walk(yajl_val v)
{
	const char *what;

	if (YAJL_IS_ARRAY(v))
	{
		for (size_t i = 0; i < v->u.array.len; i++)
			if ((what = walk(v->u.array.values[i])) != NULL)
				return what;
	}
	else if (YAJL_IS_OBJECT(v))
	{
		for (size_t i = 0; i < v->u.object.len; i++)
		{
			const char *key = v->u.object.keys[i];

			/* a function's body (BEGIN ATOMIC) does not run when it is created */
			if (strcmp(key, "sql_body") == 0)
				continue;
			if ((what = destructive_node(key, v->u.object.values[i])) != NULL ||
				(what = walk(v->u.object.values[i])) != NULL)
				return what;
		}
	}
	return NULL;
}

int
sqlparse_find_destructive(const char *sql, size_t len, int *line, const char **what,
						  sqlparse_error *err)
{
	char	   *copy = mem_strndup(sql, len);
	PgQueryParseResult r = pg_query_parse(copy);
	const char *path[2] = {"stmts", NULL};
	yajl_val	tree;
	yajl_val	stmts;
	int			found = 0;

	if (r.error)
	{
		set_error(err, copy, r.error);
		pg_query_free_parse_result(r);
		free(copy);
		return -1;
	}
	/* the parser's own output, as deep as the SQL: not bounded like input */
	tree = yajl_tree_parse(r.parse_tree, NULL, 0);
	stmts = tree ? yajl_tree_get(tree, path, yajl_t_array) : NULL;
	for (size_t i = 0; stmts && i < stmts->u.array.len && !found; i++)
	{
		yajl_val	s = stmts->u.array.values[i];
		const char *lpath[2] = {"stmt_location", NULL};
		yajl_val	loc = yajl_tree_get(s, lpath, yajl_t_number);
		size_t		at = loc ? (size_t) YAJL_GET_INTEGER(loc) : 0;

		if ((*what = walk(s)) != NULL)
		{
			*line = line_of(copy, skip_blank(copy, at, len));
			found = 1;
		}
	}
	if (tree)
		yajl_tree_free(tree);
	pg_query_free_parse_result(r);
	free(copy);
	return found;
}
