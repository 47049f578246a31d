/*
 * lib/load/known.h - what a digested entity's rows hold, read by position
 * beside the main connection, matched with records as they are read.
 *
 * A backfill records in each row the digest of the record it was copied
 * from (store_digest, migration 0010; entity_record.digest) and its place
 * (store_ord).  known_open() streams the (store_ord, store_digest) pairs of
 * the table in order of place on a second connection that sees what the
 * first one sees; known_matches() is asked, in ascending order of place,
 * whether the row at a place holds the record with a digest.  A place held
 * by more than one row, or by a row whose digest was forgotten (NULL),
 * matches nothing.  Places asked about and matched are "held"; places of
 * rows read without a match are "gone" (with every place from the first
 * row not read on, when the reading stopped early).  Both are kept as
 * ranges [lo, hi), ascending and apart, given as two int8[] literals: the
 * lower bounds and the upper bounds (the largest bigint for "no end").
 */
#ifndef AUSDASH_KNOWN_H
#define AUSDASH_KNOWN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/entity.h"

typedef struct known known;

/*
 * Starts reading d's digests beside conn (which must be in a
 * transaction).  NULL, said at -v, when no second connection can be had
 * or the reading does not start: the caller then compares every record.
 */
known	   *known_open(PGconn *conn, const entity_desc *d);

/* Whether the row at place ord holds the record of this digest. */
bool		known_matches(known *k, long long ord, uint64_t digest);

/*
 * Stops reading (the second connection goes) and closes the sets; then
 * known_held() and known_gone() give them: bounds[0] the lower bounds,
 * bounds[1] the upper ones, as int8[] literals (parameters $N and $N+1 of
 * the statements that take them).
 */
void		known_stop(known *k);
void		known_held(known *k, const char *bounds[2]);
void		known_gone(known *k, const char *bounds[2]);

void		known_free(known **k);

#endif							/* AUSDASH_KNOWN_H */
