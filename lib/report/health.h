/*
 * lib/report/health.h - when a job's runs make a report warn or go
 * critical: one rule for ausdash-freshness(1) and ausdash-runs(1).
 */
#ifndef AUSDASH_HEALTH_H
#define AUSDASH_HEALTH_H

#include "report/report.h"

/*
 * A job's failures since its last success (failed and abandoned runs) and
 * its abandoned runs since then: two failures in a row are CRITICAL, one,
 * or any abandoned run, a WARNING.
 */
report_level health_job(long long failures, long long abandoned);

/*
 * A job's last success age_minutes ago (-1: never) against its cadence of
 * every_minutes (<= 0: none known, no judgement): older than four times the
 * cadence (or never) is CRITICAL, than twice a WARNING.
 */
report_level health_success_age(long long age_minutes, long every_minutes);

/* The worse of two levels. */
report_level health_worse(report_level a, report_level b);

#endif
