/*
 * lib/pg/copy.h - a buffered writer for COPY ... FROM STDIN (text format).
 *
 * Used exactly as psql's handleCopyIn: rows are escaped into a buffer and
 * sent with PQputCopyData in chunks; copy_end() finishes with
 * PQputCopyEnd(conn, NULL), requires PGRES_COMMAND_OK and drains results;
 * copy_abort() ends with an error message instead, so the server rolls
 * the COPY back, and also drains.  Never PQputline/PQendcopy.
 */
#ifndef AUSDASH_COPY_H
#define AUSDASH_COPY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/sbuf.h"

typedef struct copy_writer copy_writer;

/*
 * Starts "COPY ... FROM STDIN" (sql is the whole statement).  Returns a
 * writer that copy_end() or copy_abort() frees, or NULL (logged) when the
 * server did not enter COPY IN.
 */
copy_writer *copy_begin(PGconn *conn, const char *sql);

/*
 * Appends one field (escaped for COPY text format).  Returns false, and
 * appends nothing, when the value holds a NUL byte, which text cannot
 * carry.
 */
bool		copy_field(copy_writer *w, const char *s, size_t len);
bool		copy_field_str(copy_writer *w, const char *s);
/* Appends a NULL field. */
void		copy_field_null(copy_writer *w);
/* Ends the row; sends the buffer when it is full.  False on send failure. */
bool		copy_row_end(copy_writer *w);

/* Rows ended so far. */
long long	copy_rows(const copy_writer *w);

/*
 * Sends the rest and ends the COPY.  Returns true when the server
 * accepted every row (*rows, if not NULL, gets its row count); false with
 * the error logged otherwise.  Frees *w and sets it to NULL.
 */
bool		copy_end(copy_writer **w, long long *rows);

/*
 * Ends the COPY with reason as its error, so nothing of it is kept; drains
 * the results.  Frees *w and sets it to NULL; *w may be NULL.
 */
void		copy_abort(copy_writer **w, const char *reason);

/*
 * Appends s[0..len) to out escaped for COPY text format (backslash, tab,
 * newline, carriage return).  Returns false, appending nothing, if s holds
 * a NUL byte.
 */
bool		copy_escape(sbuf *out, const char *s, size_t len);

/*
 * A reader of "COPY ... TO STDOUT" (text format), a row at a time, as
 * psql's handleCopyOut: copy_out_begin() returns NULL (said at -v) when
 * the server did not start it; copy_out_next() gives the next row without
 * its newline (valid until the next call) and its length, 0 after the
 * last, -1 on an error (said at -v); copy_out_end() frees the reader.  A
 * reader ended before its last row leaves the connection in COPY OUT:
 * the caller closes it.
 */
typedef struct copy_reader copy_reader;

copy_reader *copy_out_begin(PGconn *conn, const char *sql);
int			copy_out_next(copy_reader *r, const char **row);
void		copy_out_end(copy_reader **r);

#endif
