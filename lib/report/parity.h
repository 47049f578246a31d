/*
 * lib/report/parity.h - does a live-store.json hold what the database
 * holds?  The report of ausdash-parity(1): counts per entity, then the
 * observations in one streaming pass over the store: those a row's
 * store_digest vouches for (lib/load/known.h) are equal; the others, per
 * (series, region) segment, by count and an order-free digest
 * (lib/model/digest.h) against those of the rows no record matched, which
 * the server computes meanwhile; only differing segments are drilled
 * into, key by key.  Then the latest point per (series, region)
 * and the key series' freshness on both sides.
 */
#ifndef AUSDASH_PARITY_H
#define AUSDASH_PARITY_H

#include "pg/db.h"
#include "report/report.h"

typedef struct parity_options
{
	const char *store;			/* the store's path */
	int			max_diffs;		/* differing keys listed (all are counted) */
	int			warn_max;		/* up to this many differences: WARNING */
	bool		reader_upgrades;	/* compare the store as the dashboard reads it */
	const char *reader_seed;	/* its seed store (lib/store/readerup.h), or NULL */
	bool		deep;			/* digest every observation, trusting no store_digest */
} parity_options;

/* Compares; prints the report; returns its exit code (0-3). */
int			parity_report(const parity_options *o, const report_options *ro,
						  const db_options *dbo);

#endif
