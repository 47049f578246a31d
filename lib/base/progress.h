/*
 * lib/base/progress.h - what a long run is doing, on a terminal.
 *
 * A run goes through phases ("reading", "merging observations (3/7)",
 * "committing"), each maybe in steps ("building index 2/5").  On a
 * terminal, unless -q, one line shows the phase, its elapsed time and its
 * step, or the phase's own progress (bytes read, rate, ETA); it is
 * redrawn at most once a second, also while a statement runs
 * (progress_tick(), called by lib/pg/db.c as it waits).  With -v, each
 * phase that ends logs one info line with its duration, terminal or not.
 */
#ifndef AUSDASH_PROGRESS_H
#define AUSDASH_PROGRESS_H

#include "base/common.h"

/* Ends the current phase (logging its duration at -v) and starts another. */
void		progress_phase(const char *fmt,...) AUSDASH_PRINTF(1, 2);

/* Names the current phase's step (shown after the phase and its time). */
void		progress_step(const char *fmt,...) AUSDASH_PRINTF(1, 2);

/* Shows the phase's own progress instead of its elapsed time (now). */
void		progress_show(const char *fmt,...) AUSDASH_PRINTF(1, 2);

/* Redraws the line with the elapsed time when a second has passed. */
void		progress_tick(void);

/* Ends the last phase (its duration at -v) and clears the line. */
void		progress_done(void);

/* True while a phase is shown on the terminal (waits should tick). */
bool		progress_shown(void);

/* True while a phase runs, shown or not. */
bool		progress_active(void);

#endif
