/*
 * lib/run/ingestrun.h - an ausdash-ingest or ausdash-replay run: a source's
 * payloads mapped in the run lifecycle of lib/run/lifecycle.h (lock
 * "ingest:<source>"), and the store and dual backends after the commit.
 *
 *   ingestrun_init(); getopt loop with ingestopt_option() (lib/cli);
 *   ingestopt_check();                  usage errors, before any input
 *   ingestrun_start();                  connect, lock "ingest:<source>",
 *                                       run row, BEGIN, ingest_prepare()
 *   ... ingest_snapshot/payload/merge on r.in ...
 *   return ingestrun_end(&r, ok);       COMMIT or ROLLBACK, summary
 */
#ifndef AUSDASH_INGESTRUN_H
#define AUSDASH_INGESTRUN_H

#include <stdbool.h>

#include "pg/db.h"
#include "feed/feed.h"
#include "load/ingest.h"
#include "model/reject.h"
#include "run/backend.h"
#include "run/lifecycle.h"
#include "run/run.h"
#include "base/sha256.h"
#include "load/storeingest.h"

struct ingestrun
{
	/* options */
	const char *tool;
	const char *source_id;
	const char *format_name;	/* --format, or NULL */
	const feed_format *format;	/* resolved by ingestopt_check() */
	bool		check_footer;
	bool		allow_rewind;
	bool		strict_dates;

	/*
	 * the run: lc.dry_run, .json, .lock_wait_ms, .budget.max_errors and
	 * .rejects_path are options; lc.conn and lc.run are the run's
	 */
	lifecycle	lc;
	ingest	   *in;
	char		lock_name[160];
	char		job[160];
	char		busy[256];

	/* what the tool reports */
	const char *input;
	long long	input_bytes;
	char		input_sha256[SHA256_HEX_LEN + 1];
	char		snapshot_id[200];	/* ingest: the snapshot stored */
	char		duplicate_of[200];	/* ingest: the snapshot it duplicates */
	bool		skipped;		/* ingest: this job mapped that payload already */
	bool		nothing_to_do;	/* replay: no snapshot matched; no run is kept */
	long long	snapshots;		/* replay: snapshots mapped */

	/* the store backend (ingest): set before ingestrun_start */
	const backend *backend;		/* &backend_postgres, unless --backend says otherwise */
	const char *store_path;
	const char *payload;		/* the payload as stored */
	char		as_of[25];		/* its capture time */
	char		new_snapshot_id[200];	/* the id a new snapshot gets */
	storeingest *si;
	storeingest_result sres;
	bool		store_applied;
	long long	drift;			/* keys that differ between the backends */
	sbuf		drift_json;		/* [{"key":...,"side":...}, ...] */
};

void		ingestrun_init(ingestrun *r, const char *tool);




/*
 * Connects, locks, records the run as running, begins; exits on failure.
 * Backend "store": none of that; the payload's observations are collected
 * for the store.  "dual": both.
 */
void		ingestrun_start(ingestrun *r, const db_options *dbo);

/* The largest payload ausdash-ingest takes. */
#define INGESTRUN_MAX_PAYLOAD (512L * 1024 * 1024)

/*
 * ausdash-ingest's run of one payload, raw (as read from input; too_large:
 * more than INGESTRUN_MAX_PAYLOAD, cut): decoded, checksummed, stored as a
 * raw snapshot unless it is stored already, mapped and merged, between
 * ingestrun_start() and ingestrun_end(); a payload that cannot be read is
 * a failed run too.  Returns the exit code.
 */
int			ingestrun_payload(ingestrun *r, const db_options *dbo, const char *input,
							  const sbuf *raw, bool too_large);

/*
 * Ends the run: ok, commits (or rolls back a dry run) with the run's row;
 * otherwise rolls back and records the run as failed.  Then, for the store
 * and dual backends, applies the run to the store; for dual, compares the
 * keys the run touched on both sides and records the drift on the run.
 * Prints the summary and returns the exit code.
 */
int			ingestrun_end(ingestrun *r, bool ok);

#endif
