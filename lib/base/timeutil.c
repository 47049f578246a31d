/*
 * lib/base/timeutil.c - clocks and durations shared by the tools.
 */
#include "base/common.h"

#include <time.h>

#include "base/timeutil.h"
#include "base/banned.h"

int64_t
timeutil_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long
timeutil_now_ms(void)
{
	return (long) (timeutil_now_us() / 1000);
}

int64_t
timeutil_epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
timeutil_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}
