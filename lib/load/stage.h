/*
 * lib/load/stage.h - stage records with COPY into temporary tables, then merge
 * them into their targets, the one write path of backfill and ingest.
 *
 * Per entity, inside the caller's transaction:
 *   stage_copy_begin() .. stage_add() per record .. stage_copy_end()
 *       COPY ... FROM STDIN into pg_temp.ausdash_stage_<table>
 *       (created by sql/merge/<table>.sql "create" on first use, dropped
 *       at commit);
 *   stage_merge()
 *       "dedupe": in-input duplicates of a key, the last one wins;
 *       "merge": INSERT ... ON CONFLICT ... DO UPDATE ... WHERE (...) IS
 *       DISTINCT FROM (...), fed only the new and changed rows;
 *       "verify": every staged row is now in the target, equal;
 *   or, into an empty target of a big backfill (stage_set_direct()),
 *       COPY ... FREEZE straight into it, its indexes dropped and then
 *       built again by stage_merge().
 * Only one COPY can be open on a connection at a time.
 */
#ifndef AUSDASH_STAGE_H
#define AUSDASH_STAGE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/entity.h"

typedef struct stage_counts
{
	long long	staged;			/* rows copied */
	long long	skipped;		/* not copied: the target holds them as they are */
	long long	duplicates;		/* superseded by a later row of the same key */
	long long	inserted;
	long long	updated;
	long long	unchanged;
	long long	conflicts;		/* dropped by stage_conflicts() */
} stage_counts;

typedef struct stage stage;

/* A stager on conn; the caller frees it with stage_free(). */
stage	   *stage_new(PGconn *conn);
void		stage_free(stage **s);

/*
 * Leaves the column of a JSON field (e.g. "ingestedAt") out of the test
 * whether a row changed: a row that differs only there is unchanged and
 * kept as it is; a changed row still takes the new value.  Call it before
 * anything is staged.
 */
void		stage_set_uncompared(stage *s, const char *field);

/*
 * How rows go into an empty target: with its indexes in place ("during",
 * the default), or into the table without them, its indexes built again
 * after the insert in the same transaction ("after"; the target is then
 * locked against readers until the transaction ends); "auto" is "after"
 * from STAGE_INDEX_AFTER_MIN_ROWS rows on.  "after" is taken only where
 * every index can be dropped and built again as it was (see the "indexes"
 * statement of sql/merge/entity.sql); otherwise "during".
 */
typedef enum stage_index_build
{
	STAGE_INDEX_DURING,
	STAGE_INDEX_AUTO,
	STAGE_INDEX_AFTER
} stage_index_build;

#define STAGE_INDEX_AFTER_MIN_ROWS 50000

void		stage_set_index_build(stage *s, stage_index_build how);

/*
 * With on (a backfill that knows the load is big: "after", or "auto" and
 * an input of STAGE_DIRECT_MIN_BYTES or more), the rows of an entity whose
 * target is empty are copied straight into the target instead of a
 * staging table: at its first stage_copy_begin() the target is locked
 * (ACCESS EXCLUSIVE), its indexes dropped and the table truncated, and
 * COPY ... FREEZE fills it; stage_merge() builds the indexes again, after
 * deleting the earlier rows of a key copied twice when a unique index
 * says so.  Only where "after" would be taken, the target has no
 * triggers of its own and no conflict rule, and positions are on (see the
 * "direct_ok" statement of sql/merge/entity.sql); otherwise staged.
 */
void		stage_set_direct(stage *s, bool on);

/*
 * For a backfill keeping positions: a record of a digested entity (the
 * descriptor says) whose row at its place was copied from the same record
 * text (entity_record_place_digest(), kept in store_digest, migration
 * 0010) is not staged, and counts as unchanged.  The target's digests are
 * read by place beside the COPY (lib/load/known.h); without a second
 * connection every record is staged.  Off by default.
 */
void		stage_set_skip_unchanged(stage *s, bool on);

#define STAGE_DIRECT_MIN_BYTES (25 * 1000 * 1000)

/*
 * With on (a backfill), each row also carries store_ord, its record's place
 * in its array of the store, and store_fields, its fields' order when the
 * export's would differ (entity_layout_json()), staged, compared and merged
 * like columns (a row that differs only there is written but counted as
 * unchanged), so that ausdash-export writes the store back as it was;
 * without (an ingest), new rows get neither and merged rows keep theirs.
 * Before the first statement.
 */
void		stage_set_positions(stage *s, bool on);
/* Parses "during", "auto" or "after"; false for anything else. */
bool		stage_parse_index_build(const char *name, stage_index_build *how);

/* Creates d's staging table if not yet done and starts its COPY. */
bool		stage_copy_begin(stage *s, const entity_desc *d);
/*
 * Writes one record, checked by entity_check_record() (which filled bycol,
 * its fields by column), as a row of the open COPY.
 */
bool		stage_add(stage *s, const entity_record *rec, const entity_field *const *bycol);
/* Ends the open COPY; false (logged) when the server refused it. */
bool		stage_copy_end(stage *s);
/* Ends the open COPY, if any, with an error, so nothing of it stays. */
void		stage_copy_abort(stage *s, const char *reason);

/*
 * Called for each staged row that conflicts with another row under
 * another key (the "conflicts" statement of d's SQL, if it has one): the
 * row's position (ord, line, byte offset), its key, the other row's key
 * and whether that one is stored already (true) or staged earlier from the
 * same input (false).  Returns true to drop the row (it is then not
 * merged; it counts as a conflict) or false to fail the merge.
 */
typedef bool (*stage_conflict_fn) (void *arg, const entity_desc *d, long long ord,
								   long long line, long long offset,
								   const char *key, const char *other, bool stored);

/*
 * Dedupes, resolves conflicts through fn (NULL: any conflict fails),
 * merges and verifies d's staged rows; nothing staged, nothing to do.
 * False (logged) on a failure or a verification mismatch.
 */
bool		stage_merge(stage *s, const entity_desc *d, stage_conflict_fn fn, void *arg);

/*
 * Merges the store's version and updatedAt into public.store_meta, with
 * its counts in *c.
 */
bool		stage_merge_meta(stage *s, const char *version, const char *updated_at,
							 stage_counts *c);

/*
 * Compares d's staged rows with the target, by key, without merging:
 * calls fn for each staged row that the target lacks (missing) or holds
 * with other values.  Returns how many, or -1 (logged) on an error.
 */
long long	stage_drift(stage *s, const entity_desc *d,
						void (*fn) (void *arg, long long ord, bool missing), void *arg);

/* Counts of d so far (zeros if never staged). */
const stage_counts *stage_get_counts(const stage *s, const entity_desc *d);

#endif
