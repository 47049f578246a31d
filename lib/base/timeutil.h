/*
 * lib/base/timeutil.h - clocks and durations shared by the tools.
 */
#ifndef AUSDASH_TIMEUTIL_H
#define AUSDASH_TIMEUTIL_H

#include <stdint.h>

/* Milliseconds on the monotonic clock (for measuring durations). */
long		timeutil_now_ms(void);

/* Microseconds on the monotonic clock. */
int64_t		timeutil_now_us(void);

/* Wall-clock milliseconds since the Unix epoch. */
int64_t		timeutil_epoch_ms(void);

/* Sleeps for ms milliseconds (nothing when ms <= 0). */
void		timeutil_sleep_ms(long ms);

#endif
