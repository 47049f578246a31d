/*
 * lib/base/progress.c - phases of a run on a terminal, their times at -v.
 */
#include "base/common.h"

#include <stdarg.h>

#include "base/progress.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "base/banned.h"

static struct
{
	bool		active;
	char		phase[160];
	char		step[160];
	long		started_ms;
	long		shown_ms;
} cur;

/* A terminal, and not -q: where the line is drawn. */
static bool
display(void)
{
	return log_stderr_is_tty() && log_get_level() <= LOG_LEVEL_WARNING;
}

static void
render(void)
{
	long		now = timeutil_now_ms();
	double		secs = (now - cur.started_ms) / 1000.0;
	char		elapsed[32];

	cur.shown_ms = now;
	snprintf(elapsed, sizeof(elapsed), secs < 10 ? "%.1f s" : "%.0f s", secs);
	if (cur.step[0])
		log_progress("%s, %s: %s", cur.phase, elapsed, cur.step);
	else
		log_progress("%s, %s", cur.phase, elapsed);
}

static void
end_phase(void)
{
	if (!cur.active)
		return;
	cur.active = false;
	log_info("%s: %.3f s", cur.phase, (timeutil_now_ms() - cur.started_ms) / 1000.0);
}

void
progress_phase(const char *fmt,...)
{
	va_list		ap;

	end_phase();
	va_start(ap, fmt);
	vsnprintf(cur.phase, sizeof(cur.phase), fmt, ap);
	va_end(ap);
	cur.step[0] = '\0';
	cur.started_ms = timeutil_now_ms();
	cur.active = true;
	if (display())
		render();
}

void
progress_step(const char *fmt,...)
{
	va_list		ap;

	if (!cur.active)
		return;
	va_start(ap, fmt);
	vsnprintf(cur.step, sizeof(cur.step), fmt, ap);
	va_end(ap);
	if (display())
		render();
}

void
progress_show(const char *fmt,...)
{
	va_list		ap;
	char		text[256];

	if (!cur.active || !display())
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cur.shown_ms = timeutil_now_ms();
	log_progress("%s: %s", cur.phase, text);
}

void
progress_tick(void)
{
	if (cur.active && display() && timeutil_now_ms() - cur.shown_ms >= 1000)
		render();
}

void
progress_done(void)
{
	end_phase();
	log_progress_clear();
}

bool
progress_active(void)
{
	return cur.active;
}

bool
progress_shown(void)
{
	return cur.active && display();
}
