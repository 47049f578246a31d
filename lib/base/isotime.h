/*
 * lib/base/isotime.h - strict parsing of the ISO 8601 timestamps in the store.
 *
 * Accepted, as both JavaScript's Date and PostgreSQL's timestamptz read
 * them the same way:
 *     YYYY-MM-DD
 *     YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|+HH:MM|-HH:MM|+HHMM|-HHMM]
 * A value without an offset is UTC (ausdash sessions run with
 * TimeZone=UTC).  Month, day (leap years included), hour, minute and
 * second ranges are checked; the year is 0001..9999.
 */
#ifndef AUSDASH_ISOTIME_H
#define AUSDASH_ISOTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parses s[0..len).  On success stores milliseconds since the Unix epoch
 * (fractions below a millisecond truncated) in *epoch_ms (if not NULL) and
 * returns true; otherwise returns false and points *why (if not NULL) at a
 * static reason ("month out of range").
 */
bool		isotime_parse(const char *s, size_t len, int64_t *epoch_ms,
						  const char **why);

/*
 * The n decimal digits at s[pos..pos+n) as a number in *out; false when
 * they run past len or one is not a digit.
 */
bool		isotime_digits(const char *s, size_t len, size_t pos, int n, int *out);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t		isotime_days_from_civil(int year, int month, int day);

/*
 * Formats epoch ms as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" (JavaScript's
 * toISOString); with drop_zero_ms, a whole second as "...:SSZ".
 */
void		isotime_format(int64_t ms, bool drop_zero_ms, char out[25]);

#endif
