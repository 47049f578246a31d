/*
 * lib/timeutil.h - clocks and durations shared by the tools.
 */
#ifndef AUSDASH_TIMEUTIL_H
#define AUSDASH_TIMEUTIL_H

/* Milliseconds on the monotonic clock (for measuring durations). */
long		timeutil_now_ms(void);

/* Sleeps for ms milliseconds (nothing when ms <= 0). */
void		timeutil_sleep_ms(long ms);

#endif
