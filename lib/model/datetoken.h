/*
 * lib/model/datetoken.h - the date tokens of observations, as the dashboard
 * reads them.
 *
 * An observation's "date" is free text in the dashboard's store; its
 * freshness code reads YYYY, YYYY-MM, YYYY-MM-DD, ISO 8601 timestamps and
 * YYYY-Qn (quarter n as the 1st of month 3n, the dashboard's quirk) and
 * treats anything else as unknown.  A token of one of those shapes that is
 * not a real date ("2025-02-30", "2025-13", "2025-Q5") loads like free
 * text but then reads as an unknown lag; datetoken_audit() reports such
 * tokens when they are loaded, once per series, or rejects them when
 * strict.
 */
#ifndef AUSDASH_DATETOKEN_H
#define AUSDASH_DATETOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/entity.h"
#include "base/sbuf.h"

/* A token as epoch ms (its start), false if it is none of the shapes above. */
bool		datetoken_ms(const char *token, int64_t *ms);

/* Orders two tokens by time (byte order when either is unparsable). */
int			datetoken_cmp(const char *a, const char *b);

/*
 * The cursor rule every writer follows (ingest, the store backend,
 * backfill): a source's cursor moves forward only.  True when moving it
 * from old (NULL or "" for none) to new would move it back and
 * allow_rewind is false: the old one stays.
 */
bool		datetoken_cursor_stays(const char *old, const char *new_cursor, bool allow_rewind);

/*
 * Why token[0..len) has a date's shape (YYYY-MM-DD, YYYY-MM, YYYY-Qn, or
 * YYYY-MM-DDT... ) but is not a date: a static reason ("day out of
 * range"); NULL when it is a date, or free text of another shape.
 */
const char *datetoken_impossible(const char *token, size_t len);

/* What one load saw of impossible dates (caller-owned: _init/_release). */
typedef struct datetoken_audit
{
	bool		strict;			/* reject them (--strict-dates) */
	long long	count;			/* impossible tokens seen */
	sbuf		warned;			/* series warned about, each NUL-terminated */
} datetoken_audit;

void		datetoken_audit_init(datetoken_audit *a, bool strict);
void		datetoken_audit_release(datetoken_audit *a);

/* Appends where rec is, as messages print it, to out. */
typedef void (*datetoken_where_fn) (sbuf *out, void *arg, const entity_record *rec);

/*
 * Looks at one observation's date token.  Returns true to load the
 * record: the token is a date, free text, or impossible and not strict
 * (then counted, and reported as a warning, located by where(), for the
 * first of its series).  Returns false when strict and impossible, with
 * the reason appended to why, for the caller to reject the record under
 * its --max-errors budget.
 */
bool		datetoken_audit_record(datetoken_audit *a, const entity_record *rec,
								   datetoken_where_fn where, void *arg, sbuf *why);

#endif
