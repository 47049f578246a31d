/*
 * lib/pg/sqlparse.h - SQL read by PostgreSQL's own parser (libpg_query):
 * statement boundaries and destructive statements.
 *
 * Used to run no-transaction migrations one statement at a time and to
 * refuse destructive statements in up migrations.  The parser is the
 * server's (version 15), so whatever psql -f runs splits the same way:
 * dollar quotes, nested comments, E'' strings, BEGIN ATOMIC function
 * bodies, CREATE RULE with several actions.
 */
#ifndef AUSDASH_SQLPARSE_H
#define AUSDASH_SQLPARSE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sqlparse_stmt
{
	size_t		start;			/* byte offset of the first significant char */
	size_t		end;			/* byte offset just past the terminating ';' */
	int			line;			/* 1-based line of start */
} sqlparse_stmt;

/* Why a script did not parse, and where. */
typedef struct sqlparse_error
{
	int			line;			/* 1-based */
	char		msg[256];		/* the parser's message */
} sqlparse_error;

/*
 * Splits sql into statements (empty ones skipped).  Returns the number
 * found and sets *stmts to a malloc'd array the caller frees with free();
 * -1 with *err filled when the script does not parse.
 */
int			sqlparse_split(const char *sql, size_t len, sqlparse_stmt **stmts,
						   sqlparse_error *err);

/*
 * Looks for a destructive statement anywhere in the parse tree, CTEs
 * included (not in function bodies, which do not run): DROP of any object,
 * TRUNCATE, DELETE or UPDATE without WHERE, ALTER TABLE ... DROP COLUMN,
 * ALTER COLUMN ... TYPE, SET NOT NULL, and renames.  Returns 1 for the
 * first one found, with the 1-based line of its statement and a static
 * description; 0 for none; -1 with *err filled when the script does not
 * parse.
 */
int			sqlparse_find_destructive(const char *sql, size_t len, int *line,
									  const char **what, sqlparse_error *err);

#endif
