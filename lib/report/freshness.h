/*
 * lib/report/freshness.h - the report of ausdash-freshness(1): per series
 * and region the latest date token, its lag and the dashboard's status
 * (lib/report/fresh.h), judged against thresholds per cadence; per job the
 * age of its last success against its source's cadence and its failures
 * (lib/report/health.h).  From the database or from a store.
 */
#ifndef AUSDASH_FRESHNESS_H
#define AUSDASH_FRESHNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pg/db.h"
#include "report/report.h"

#define FRESHNESS_MAX_SERIES 256
#define FRESHNESS_NCADENCES 4

/* The cadences with thresholds of their own; any other cadence is "other". */
extern const char *const freshness_cadences[FRESHNESS_NCADENCES];

typedef struct freshness_options
{
	const char *series[FRESHNESS_MAX_SERIES];	/* only these (every region) */
	int			nseries;
	bool		all;			/* every series and region */
	const char *store;			/* a store instead of the database, or NULL */
	long		warn_after[FRESHNESS_NCADENCES];	/* minutes */
	long		error_after[FRESHNESS_NCADENCES];	/* minutes; < 0: 3 times warn_after */
	int64_t		at_ms;			/* set by freshness_report() */
} freshness_options;

/* Defaults: warn after the dashboard's stale threshold, error after 3 times. */
void		freshness_options_init(freshness_options *o);

/* The index of the cadence name[0..len) in freshness_cadences, or -1. */
int			freshness_cadence(const char *name, size_t len);

/* Judges, prints the report, returns its exit code (0-3). */
int			freshness_report(freshness_options *o, const report_options *ro,
							 const db_options *dbo);

#endif
