/*
 * lib/model/digest.h - a record's digest, the same from a store's JSON and from
 * the database's row, for ausdash-parity.
 *
 * A record is first written as text, column by column in its descriptor's
 * order, "column=value" and a 0x1f, absent and null fields left out, with
 * the value normalised so that equal values give equal text: strings
 * byte for byte, numbers as exact decimals without exponent, leading or
 * trailing zeros (PostgreSQL's trim_scale(numeric)::text), timestamps as
 * epoch milliseconds, booleans as true/false.  The digest is the first 64
 * bits of the text's SHA-256.  Digests of a set of records add up (modulo
 * 2^64), so a segment's digest does not depend on the order of its rows.
 */
#ifndef AUSDASH_DIGEST_H
#define AUSDASH_DIGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "model/entity.h"
#include "base/sbuf.h"

/* The canonical text of a decimal number (false if s is not one). */
bool		digest_decimal(const char *s, size_t len, sbuf *out);

/*
 * The digest of a record of d; skip: JSON field names left out (NULL-
 * terminated, or NULL).
 */
uint64_t	digest_record(const entity_desc *d, const entity_record *rec,
						  const char *const *skip);

/* Is field among skip (NULL-terminated, or NULL)? */
bool		digest_skipped(const char *field, const char *const *skip);

/* The same digest computed by the server: lib/pg/sqlbuild.h. */

/* d's key of a record, fields joined with '|'. */
void		digest_key(const entity_desc *d, const entity_record *rec, sbuf *out);

#endif
