/*
 * lib/sqllex.h - a small SQL lexer: statement boundaries and keywords.
 *
 * Knows enough of PostgreSQL's lexical rules to split a script into
 * statements and see its words: -- and nested slash-star comments,
 * 'strings' (with '' and E'\'' escapes), "quoted identifiers" and
 * $tag$dollar quoting$tag$.  Used to run no-transaction migrations one
 * statement at a time and to find destructive statements.
 */
#ifndef AUSDASH_SQLLEX_H
#define AUSDASH_SQLLEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sqllex_stmt
{
	size_t		start;			/* byte offset of the first significant char */
	size_t		end;			/* byte offset just past the terminating ';' */
	int			line;			/* 1-based line of start */
} sqllex_stmt;

/*
 * Splits sql into statements (empty ones skipped).  Returns the number
 * found and sets *stmts to a malloc'd array the caller frees with free().
 */
int			sqllex_split(const char *sql, size_t len, sqllex_stmt **stmts);

/*
 * Looks for a destructive statement: DROP TABLE, DROP SCHEMA, ALTER TABLE
 * ... DROP [COLUMN], TRUNCATE, DELETE without WHERE, ALTER [COLUMN] ...
 * [SET DATA] TYPE, SET NOT NULL.  Returns true for the first one found,
 * with its 1-based line and a static description of what it is.
 */
bool		sqllex_find_destructive(const char *sql, size_t len, int *line,
									const char **what);

#endif
