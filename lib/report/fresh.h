/*
 * lib/report/fresh.h - freshness as the dashboard's API computes it
 * (aus-dash-reference.md section 5), for ausdash-freshness and
 * ausdash-parity, on the database or on a store file.
 *
 * A date token (YYYY, YYYY-MM, YYYY-MM-DD, an ISO timestamp, or YYYY-Qn,
 * which is the 1st of month 3q) is an instant; the lag is
 * max(0, floor((at - token) / 60000)) minutes, and infinite when the token
 * is none of those.  The dashboard calls a series stale when the lag
 * exceeds its cadence's threshold: 5m 20, daily 2880, monthly 4320,
 * anything else 10080 minutes.
 */
#ifndef AUSDASH_FRESH_H
#define AUSDASH_FRESH_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/entity.h"

/* The dashboard's key series (all for region AU) and their cadences. */
typedef struct fresh_key
{
	const char *series_id;
	const char *cadence;
} fresh_key;

extern const fresh_key fresh_key_series[];

/* The dashboard's stale threshold of a cadence, in minutes. */
long		fresh_threshold(const char *cadence);

/* The lag of a date token at at_ms, in minutes; -1 when infinite. */
long long	fresh_lag_minutes(const char *token, int64_t at_ms);

/* One (series, region) and its latest observation. */
typedef struct fresh_point
{
	char	   *series_id;
	char	   *region;
	char	   *date;			/* latest date token, or NULL: none */
	char	   *vintage;
	char	   *published_at;
	char	   *ingested_at;
	char	   *source_name;
	char	   *source_url;
	char	   *value;
} fresh_point;

typedef struct fresh_set
{
	fresh_point *points;
	int			n;
	int			cap;
} fresh_set;

void		fresh_set_release(fresh_set *s);

/* qsort() and bsearch() order of points: by series, then region (bytes). */
int			fresh_point_cmp(const void *a, const void *b);

/* A job's runs, as freshness judges its source. */
typedef struct fresh_job
{
	char	   *job;
	char	   *source_id;		/* or NULL when not known */
	int64_t		last_success_ms;	/* finished; -1: never */
	int64_t		last_run_ms;	/* started */
	long long	consecutive_failures;	/* failed since the last success */
	long long	abandoned;		/* abandoned since the last success */
} fresh_job;

typedef struct fresh_jobs
{
	fresh_job  *jobs;
	int			n;
	int			cap;
} fresh_jobs;

void		fresh_jobs_release(fresh_jobs *j);

/* The dashboard's and ausdash's ingest jobs up to at_ms, from the ledger. */
bool		fresh_jobs_from_db(PGconn *conn, int64_t at_ms, fresh_jobs *out);

/* A source's expected cadence in minutes (first token of its catalog text); 0: none. */
long		fresh_cadence_minutes(const char *expected_cadence);

/*
 * The latest observation per (series, region) in the database: of the key
 * series for AU when series is NULL and all is false; of the given series
 * (every region); or of every series when all.  False (logged) on error.
 */
bool		fresh_from_db(PGconn *conn, const char *const *series, int nseries, bool all,
						  fresh_set *out);

/*
 * The same from a store file, streamed, choosing the latest as the
 * dashboard's store backend does (date, vintage, publishedAt, ingestedAt,
 * sourceName, sourceUrl, all compared as strings, descending).  False
 * (logged) when the store cannot be read.  Also the store's runs up to at_ms
 * as jobs, and its sources' cadences as a NULL-terminated list of
 * "source_id=cadence" strings (the caller frees them).
 */
bool		fresh_from_store(const char *path, const char *const *series, int nseries,
							 bool all, int64_t at_ms, fresh_set *out, fresh_jobs *jobs,
							 char ***cadences);

/*
 * fresh_from_store() for a caller that streams the store itself (to do
 * more with its records in the same pass): fresh_store_begin() with the
 * same arguments, fresh_store_record() for each record, fresh_store_end()
 * with whether the store was read whole, which fills jobs and cadences
 * (each may be NULL: not wanted) and frees the state.
 */
typedef struct fresh_store fresh_store;

fresh_store *fresh_store_begin(const char *const *series, int nseries, bool all,
							   int64_t at_ms, fresh_set *out);
bool		fresh_store_record(fresh_store *st, const entity_desc *d,
							   const entity_record *rec);
void		fresh_store_end(fresh_store **st, bool ok, fresh_jobs *jobs, char ***cadences);

#endif
