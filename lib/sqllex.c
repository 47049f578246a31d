/*
 * lib/sqllex.c - SQL statement splitting and destructive-statement lint.
 */
#include "common.h"

#include <ctype.h>

#include "mem.h"
#include "sqllex.h"
#include "banned.h"

#define WORD_MAX 64

typedef struct lexer
{
	const char *s;
	size_t		len;
	size_t		pos;
	int			line;
} lexer;

typedef enum tok_kind
{
	TOK_EOF,
	TOK_WORD,					/* keyword or unquoted identifier */
	TOK_OTHER,					/* quoted identifier, literal, operator, ... */
	TOK_SEMI
} tok_kind;

typedef struct token
{
	tok_kind	kind;
	size_t		start;
	int			line;
	char		word[WORD_MAX];	/* upper-cased, for TOK_WORD */
} token;

static void
advance(lexer *lx, size_t n)
{
	while (n-- > 0 && lx->pos < lx->len)
	{
		if (lx->s[lx->pos] == '\n')
			lx->line++;
		lx->pos++;
	}
}

static bool
at(const lexer *lx, const char *lit)
{
	size_t		n = strlen(lit);

	return lx->pos + n <= lx->len && memcmp(lx->s + lx->pos, lit, n) == 0;
}

static void
skip_space_and_comments(lexer *lx)
{
	for (;;)
	{
		while (lx->pos < lx->len && isspace((unsigned char) lx->s[lx->pos]))
			advance(lx, 1);
		if (at(lx, "--"))
		{
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				advance(lx, 1);
		}
		else if (at(lx, "/*"))
		{
			int			depth = 0;

			do
			{
				if (at(lx, "/*"))
				{
					depth++;
					advance(lx, 2);
				}
				else if (at(lx, "*/"))
				{
					depth--;
					advance(lx, 2);
				}
				else
					advance(lx, 1);
			} while (depth > 0 && lx->pos < lx->len);
		}
		else
			return;
	}
}

/* Skips a quoted run starting at the opening quote q. */
static void
skip_quoted(lexer *lx, char q, bool backslash)
{
	advance(lx, 1);
	while (lx->pos < lx->len)
	{
		char		c = lx->s[lx->pos];

		if (backslash && c == '\\')
			advance(lx, 2);
		else if (c == q)
		{
			advance(lx, 1);
			if (lx->pos < lx->len && lx->s[lx->pos] == q)
				advance(lx, 1);
			else
				return;
		}
		else
			advance(lx, 1);
	}
}

/* At '$': skips a dollar-quoted string if one starts here. */
static bool
skip_dollar(lexer *lx)
{
	size_t		i = lx->pos + 1;
	size_t		taglen;
	const char *close;

	while (i < lx->len && (isalnum((unsigned char) lx->s[i]) || lx->s[i] == '_'))
		i++;
	if (i >= lx->len || lx->s[i] != '$' || (i > lx->pos + 1 && isdigit((unsigned char) lx->s[lx->pos + 1])))
		return false;
	taglen = i - lx->pos + 1;
	close = NULL;
	for (size_t j = i + 1; j + taglen <= lx->len; j++)
		if (memcmp(lx->s + j, lx->s + lx->pos, taglen) == 0)
		{
			close = lx->s + j;
			break;
		}
	advance(lx, close ? (size_t) (close - (lx->s + lx->pos)) + taglen : lx->len - lx->pos);
	return true;
}

static token
next_token(lexer *lx)
{
	token		t;
	char		c;

	skip_space_and_comments(lx);
	memset(&t, 0, sizeof(t));
	t.start = lx->pos;
	t.line = lx->line;
	if (lx->pos >= lx->len)
	{
		t.kind = TOK_EOF;
		return t;
	}
	c = lx->s[lx->pos];
	if (c == ';')
	{
		t.kind = TOK_SEMI;
		advance(lx, 1);
		return t;
	}
	t.kind = TOK_OTHER;
	if ((c == 'E' || c == 'e') && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '\'')
	{
		advance(lx, 1);
		skip_quoted(lx, '\'', true);
		return t;
	}
	if (isalpha((unsigned char) c) || c == '_' || (unsigned char) c >= 0x80)
	{
		size_t		n = 0;

		t.kind = TOK_WORD;
		while (lx->pos < lx->len)
		{
			c = lx->s[lx->pos];
			if (!(isalnum((unsigned char) c) || c == '_' || c == '$' || (unsigned char) c >= 0x80))
				break;
			if (n < WORD_MAX - 1)
				t.word[n++] = (char) toupper((unsigned char) c);
			advance(lx, 1);
		}
		return t;
	}
	if (c == '\'' || c == '"')
	{
		skip_quoted(lx, c, false);
		return t;
	}
	if (c == '$' && skip_dollar(lx))
		return t;
	advance(lx, 1);
	return t;
}

int
sqllex_split(const char *sql, size_t len, sqllex_stmt **stmts)
{
	lexer		lx = {sql, len, 0, 1};
	int			n = 0;
	int			cap = 8;
	bool		open = false;
	sqllex_stmt cur = {0, 0, 0};

	*stmts = mem_malloc(sizeof(sqllex_stmt) * (size_t) cap);
	for (;;)
	{
		token		t = next_token(&lx);

		if (t.kind == TOK_EOF || t.kind == TOK_SEMI)
		{
			if (open)
			{
				cur.end = lx.pos;
				if (n == cap)
				{
					cap *= 2;
					*stmts = mem_realloc(*stmts, sizeof(sqllex_stmt) * (size_t) cap);
				}
				(*stmts)[n++] = cur;
				open = false;
			}
			if (t.kind == TOK_EOF)
				return n;
			continue;
		}
		if (!open)
		{
			open = true;
			cur.start = t.start;
			cur.line = t.line;
		}
	}
}

static bool
is(const token *toks, int n, int i, const char *word)
{
	return i >= 0 && i < n && toks[i].kind == TOK_WORD && strcmp(toks[i].word, word) == 0;
}

/* Returns the description of a destructive statement, or NULL. */
static const char *
classify(const token *t, int n)
{
	int			i;

	if (is(t, n, 0, "DROP") && is(t, n, 1, "TABLE"))
		return "DROP TABLE";
	if (is(t, n, 0, "DROP") && is(t, n, 1, "SCHEMA"))
		return "DROP SCHEMA";
	if (is(t, n, 0, "TRUNCATE"))
		return "TRUNCATE";
	if (is(t, n, 0, "DELETE"))
	{
		for (i = 1; i < n; i++)
			if (is(t, n, i, "WHERE"))
				return NULL;
		return "DELETE without WHERE";
	}
	if (!(is(t, n, 0, "ALTER") && is(t, n, 1, "TABLE")))
		return NULL;
	for (i = 2; i < n; i++)
	{
		if (is(t, n, i, "DROP") &&
			!is(t, n, i + 1, "CONSTRAINT") && !is(t, n, i + 1, "DEFAULT") &&
			!is(t, n, i + 1, "NOT") && !is(t, n, i + 1, "IDENTITY") &&
			!is(t, n, i + 1, "EXPRESSION") && i + 1 < n)
			return "ALTER TABLE ... DROP COLUMN";
		if (is(t, n, i, "TYPE") &&
			((is(t, n, i - 1, "DATA") && is(t, n, i - 2, "SET")) ||
			 (!is(t, n, i - 1, "COLUMN") &&
			  (is(t, n, i - 2, "ALTER") ||
			   (is(t, n, i - 2, "COLUMN") && is(t, n, i - 3, "ALTER"))))))
			return "ALTER COLUMN ... TYPE";
		if (is(t, n, i, "SET") && is(t, n, i + 1, "NOT") && is(t, n, i + 2, "NULL"))
			return "SET NOT NULL";
	}
	return NULL;
}

bool
sqllex_find_destructive(const char *sql, size_t len, int *line, const char **what)
{
	lexer		lx = {sql, len, 0, 1};
	token	   *toks = NULL;
	int			n = 0;
	int			cap = 0;
	bool		found = false;

	for (;;)
	{
		token		t = next_token(&lx);

		if (t.kind == TOK_EOF || t.kind == TOK_SEMI)
		{
			const char *w = n > 0 ? classify(toks, n) : NULL;

			if (w)
			{
				*line = toks[0].line;
				*what = w;
				found = true;
				break;
			}
			n = 0;
			if (t.kind == TOK_EOF)
				break;
			continue;
		}
		if (n == cap)
		{
			cap = cap ? cap * 2 : 32;
			toks = mem_realloc(toks, sizeof(token) * (size_t) cap);
		}
		toks[n++] = t;
	}
	free(toks);
	return found;
}
