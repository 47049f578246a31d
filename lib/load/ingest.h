/*
 * lib/load/ingest.h - feed payloads into PostgreSQL: the part ausdash-ingest
 * and ausdash-replay share.
 *
 * Inside the caller's transaction: ingest_prepare() reads what a format
 * needs from the catalog; ingest_payload() parses one payload (lib/feed/feed.h)
 * and stages its observations with COPY, each checked against the
 * observations descriptor as backfill checks a store's records, bad ones
 * rejected within max_errors; ingest_merge() merges them exactly as
 * backfill does (lib/load/stage.h) and moves the source's cursor, never
 * backwards unless allowed.
 */
#ifndef AUSDASH_INGEST_H
#define AUSDASH_INGEST_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "feed/feed.h"
#include "feed/feed_registry.h"
#include "model/reject.h"
#include "load/stage.h"
#include "load/storeingest.h"

typedef struct ingest
{
	/* set by the caller after ingest_new() */
	reject_budget *budget;		/* the run's (lifecycle); ->taken: rows rejected */
	bool		check_footer;
	bool		allow_rewind;
	/* each observation mapped is also handed to on_row(row_arg, ...), if set */
	void		(*on_row) (void *arg, const entity_record *rec);
	void	   *row_arg;
	datetoken_audit dates;		/* impossible date tokens (.strict: reject them) */

	/* results */
	long long	read;			/* observations produced and rows rejected */
	long long	skipped;		/* rows the mappings leave out by rule */
	long long	payloads;
	char		cursor[FEED_TOKEN_MAX];	/* newest date token of all payloads */
	char		old_cursor[FEED_TOKEN_MAX];	/* the stored one before, or "" */
	bool		cursor_moved;
	bool		cursor_kept;	/* the payload's was older; not moved back */
	int			exit_code;		/* of the failure, when one happened */

	/* internal */
	PGconn	   *conn;
	char	   *source_id;
	stage	   *st;
	feed	   *current;
	long long	next_index;
	char	   *source_url;
	feed_series_map *map;
	int			nmap;
	sbuf		why;
} ingest;

/*
 * conn NULL: nothing is staged or merged (the store backend): payloads are
 * parsed, checked and collected into capture; the RBA series codes are
 * those of migration 0005 (feed_registry_builtin_map).
 */
ingest	   *ingest_new(PGconn *conn, const char *source_id);
void		ingest_free(ingest **in);

/* Reads the source's catalog URL and, if fmt needs it, its series codes. */
bool		ingest_prepare(ingest *in, const feed_format *fmt);

/*
 * Parses one payload (named name in messages, captured at as_of) and
 * stages its observations.  False (logged) when it stopped: bad input,
 * more bad rows than max_errors, or a server error; exit_code says which.
 */
bool		ingest_payload(ingest *in, const feed_format *fmt, const char *name,
						   const char *as_of, const char *buf, size_t len);

/* Merges everything staged and moves the cursor.  False (logged) on failure. */
bool		ingest_merge(ingest *in);

/* The merge counts of the observations. */
const stage_counts *ingest_counts(const ingest *in);

/*
 * Stores a payload as the source's raw snapshot unless (source, checksum)
 * is there already: 1 stored, 0 a duplicate (its id in existing), -1 an
 * error (logged).
 */
int			ingest_snapshot(ingest *in, const char *snapshot_id, const char *checksum,
							const char *captured_at, const feed_format *fmt,
							const char *payload, size_t len, char *existing,
							size_t existing_size);

/*
 * Whether a run of job already mapped the payload of checksum (two jobs
 * can share a source and its payloads, as the dashboard's retail and DMO
 * jobs do): 1 yes, 0 no, -1 error (logged).
 */
int			ingest_mapped_before(ingest *in, const char *job, const char *checksum);

/*
 * Makes a payload storable as text: UTF-8 as it is; for formats that read
 * Windows-1252, other bytes are decoded from it into out (*text then
 * points into out).  False with the reason in why: a NUL byte, or bytes
 * that are not UTF-8, with their line and offset.
 */
bool		ingest_text(const feed_format *fmt, const char *name, const char *buf,
						size_t len, const char **text, size_t *text_len, sbuf *out,
						sbuf *why);

#endif
