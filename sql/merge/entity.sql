-- sql/merge/entity.sql - stage and merge one entity of the store.
--
-- One template for every entity; lib/load/stage.c fills the placeholders from
-- the entity's descriptor (lib/model/entity.c):
--   {table}        target table in schema public; the staging table is
--                  pg_temp.ausdash_stage_{table}
--   {constraint}   the unique constraint that identifies a row
--   {stage_columns} the staged columns with their types, one a line
--   {columns}      every staged column, comma-separated
--   {key}          the key columns, comma-separated; {key1} the first
--   {key_eq(a,b)}  a.k1 = b.k1 AND a.k2 = b.k2 ...
--   {values(a)}    (a.c1, a.c2, ...) over the columns that are not key (with
--                  store_ord, store_fields and, for a digested entity,
--                  store_digest last when a backfill keeps positions)
--   {data(a)}      the same without those
--   {set}          c1 = EXCLUDED.c1, ... over the same
-- ord is the record's position in the input (the last occurrence of a key
-- wins); line and byte_offset say where it was.

-- name: create
CREATE TEMP TABLE ausdash_stage_{table} (
  ord bigint NOT NULL,
  line bigint NOT NULL,
  byte_offset bigint NOT NULL,
{stage_columns}
) ON COMMIT DROP;

-- name: copy
-- The rows, in the order lib/load/stage.c writes their fields.
COPY pg_temp.ausdash_stage_{table} (ord, line, byte_offset, {columns}) FROM STDIN;

-- name: dedupe
-- In-input duplicates of a key: keep the last occurrence.  Finding the
-- duplicated keys first (usually none) avoids joining the whole table
-- with itself.
WITH d AS (
  SELECT {key}, pg_catalog.max(ord) AS last
  FROM pg_temp.ausdash_stage_{table}
  GROUP BY {key}
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM pg_temp.ausdash_stage_{table} s
USING d
WHERE {key_eq(d,s)}
  AND s.ord < d.last;

-- name: merge
-- Only new or changed rows reach the upsert, so unchanged rows are neither
-- locked nor rewritten; changed rows are upserted in the order they lie in
-- the target (each heap page visited once, not once per series), new rows
-- after them in key order.  The statement verifies itself: the staged rows
-- it leaves out were found equal to the target's, and those it writes must come back from RETURNING equal to
-- the staged ones (mismatched counts those that do not; first_ord is the
-- first one's position).  Returns changed, inserted, updated, mismatched,
-- first_ord.  A row that only moved in its array (store_ord) is written
-- but counted as neither inserted nor updated: its content is unchanged.
-- A row counts as inserted when its key was not in the target
-- as the statement began (not from xmax, which a partitioned target does
-- not return); a key another session inserts meanwhile is then updated
-- but counted as inserted, and the sum still adds up.  Each staged key
-- is looked up through an index of the target on it (the subquery kept
-- apart, OFFSET 0), as the upsert looks it up again: a backfill that
-- leaves held records unstaged stages few rows, and a join the planner
-- picks would hash the whole target for them (2.9 s of 1M rows for 100k
-- staged, against 0.8 s looked up; with every row staged, --compare-all,
-- 3.9 s looked up against 3.2 s hashed).
WITH changed AS (
  SELECT s.*, (t.{key1} IS NULL) AS missing, t.target_ctid,
         (t.{key1} IS NOT NULL AND {data(t)} IS NOT DISTINCT FROM {data(s)}) AS moved
  FROM pg_temp.ausdash_stage_{table} s
  LEFT JOIN LATERAL (
    SELECT o.*, o.ctid AS target_ctid FROM public.{table} o
    WHERE {key_eq(o,s)}
    OFFSET 0) t ON true
  WHERE t.{key1} IS NULL
     OR {values(t)}
        IS DISTINCT FROM {values(s)}
), m AS (
  INSERT INTO public.{table} AS t ({columns})
  SELECT {columns}
  FROM changed
  ORDER BY target_ctid, {key}
  ON CONFLICT ON CONSTRAINT {constraint} DO UPDATE SET
    {set}
  WHERE {values(t)}
        IS DISTINCT FROM {values(EXCLUDED)}
  RETURNING t.*
), bad AS (
  SELECT c.ord
  FROM changed c
  LEFT JOIN m ON {key_eq(m,c)}
  WHERE m.{key1} IS NULL
     OR {values(m)}
        IS DISTINCT FROM {values(c)}
)
SELECT (SELECT pg_catalog.count(*) FILTER (WHERE NOT moved) FROM changed) AS changed,
       (SELECT pg_catalog.count(*) FILTER (WHERE missing) FROM changed) AS inserted,
       (SELECT pg_catalog.count(*) FROM m)
         - (SELECT pg_catalog.count(*) FILTER (WHERE missing OR moved) FROM changed) AS updated,
       (SELECT pg_catalog.count(*) FROM bad) AS mismatched,
       (SELECT pg_catalog.min(ord) FROM bad) AS first_ord;

-- name: empty
-- Whether the target has no rows at all (then "insert" replaces "merge").
SELECT NOT EXISTS (SELECT 1 FROM public.{table}) AS empty;

-- name: insert
-- The target was empty: every staged row is new, so a plain INSERT does
-- (no join, no comparison, no speculative insertion).  Key order keeps
-- the unique index growing at its right edge instead of splitting pages
-- all over.  A row another session inserted meanwhile makes it fail with
-- a unique violation, and the run with it.
INSERT INTO public.{table} ({columns})
SELECT {columns}
FROM pg_temp.ausdash_stage_{table}
ORDER BY {key};

-- name: indexes
-- The target's indexes as pairs of statements, one that drops the index (or
-- the constraint it backs) and one that builds it again exactly, for a
-- bulk insert into an empty table that builds its indexes afterwards.  No
-- rows unless every index can be dropped and built again that way: the
-- table is a plain table, no foreign key refers to it, no index is its
-- replica identity, has a comment or backs an exclusion or deferrable
-- constraint or a constraint of another name.
WITH idx AS (
  SELECT ic.relname AS index_name, i.indexrelid, i.indisreplident,
         c.oid AS con_oid, c.conname, c.contype, c.condeferrable,
         pg_catalog.obj_description(i.indexrelid, 'pg_class') AS index_comment,
         pg_catalog.obj_description(c.oid, 'pg_constraint') AS con_comment
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  LEFT JOIN pg_catalog.pg_constraint c
    ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
   AND c.contype IN ('p', 'u', 'x')
  WHERE i.indrelid = 'public.{table}'::pg_catalog.regclass
)
SELECT pg_catalog.format(CASE WHEN conname IS NULL THEN 'DROP INDEX public.%I'
                              ELSE 'ALTER TABLE public.{table} DROP CONSTRAINT %I' END,
                         index_name) AS drop_sql,
       CASE WHEN conname IS NULL THEN pg_catalog.pg_get_indexdef(indexrelid)
            ELSE pg_catalog.format('ALTER TABLE public.{table} ADD CONSTRAINT %I %s',
                                   conname, pg_catalog.pg_get_constraintdef(con_oid))
       END AS create_sql
FROM idx
WHERE (SELECT relkind FROM pg_catalog.pg_class
       WHERE oid = 'public.{table}'::pg_catalog.regclass) = 'r'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f
                  WHERE f.confrelid = 'public.{table}'::pg_catalog.regclass)
  AND NOT EXISTS (SELECT 1 FROM idx
                  WHERE indisreplident OR index_comment IS NOT NULL
                     OR con_comment IS NOT NULL OR contype = 'x' OR condeferrable
                     OR (conname IS NOT NULL AND conname <> index_name))
ORDER BY conname IS NULL, index_name;

-- name: insert_unindexed
-- The target was empty and its indexes are dropped ("indexes"): every
-- staged row goes in as it comes, and the indexes are built afterwards,
-- each with one sort, which is faster than growing them row by row.
INSERT INTO public.{table} ({columns})
SELECT {columns}
FROM pg_temp.ausdash_stage_{table};

-- name: direct_ok
-- Whether a backfill may COPY straight into the target (stage_set_direct):
-- the target is empty, no trigger of a user's could change or add rows
-- (so the rows stored are the rows sent, as a count verifies), and the
-- loader may truncate it (COPY FREEZE wants a table truncated in the same
-- transaction).  Asked before and again after "lock".
SELECT NOT EXISTS (SELECT 1 FROM public.{table})
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                   WHERE tgrelid = 'public.{table}'::pg_catalog.regclass
                     AND NOT tgisinternal
                     AND tgname <> 'ausdash_forget_store_digest')
   AND pg_catalog.has_table_privilege('public.{table}', 'TRUNCATE') AS ok;

-- name: lock
-- Before the indexes are dropped: nobody else reads or writes the target
-- until the run ends, so it stays empty but for the rows copied.
LOCK TABLE public.{table} IN ACCESS EXCLUSIVE MODE;

-- name: truncate
-- The target is empty and locked; truncating it here lets the COPY freeze
-- its rows, so no later reader or vacuum writes every page again.
TRUNCATE public.{table};

-- name: copy_direct
-- The rows straight into the emptied target, its indexes dropped
-- ("indexes"), frozen.  The columns as "copy" writes them, without ord,
-- line and byte_offset: store_ord is the position instead.
COPY public.{table} ({columns}) FROM STDIN (FREEZE);

-- name: dedupe_direct
-- After "copy_direct", when a unique index could not be built again: keys
-- copied more than once keep their last occurrence (the greatest store_ord).
WITH d AS (
  SELECT {key}, pg_catalog.max(store_ord) AS last
  FROM public.{table}
  GROUP BY {key}
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM public.{table} t
USING d
WHERE {key_eq(d,t)}
  AND t.store_ord < d.last;

-- name: verify
-- After "insert": staged rows missing from the target or different there
-- (must be none), and the first such row's position.
SELECT pg_catalog.count(*) AS mismatched, pg_catalog.min(s.ord) AS first_ord
FROM pg_temp.ausdash_stage_{table} s
LEFT JOIN public.{table} t ON {key_eq(t,s)}
WHERE t.{key1} IS NULL
   OR {values(t)}
      IS DISTINCT FROM {values(s)};

-- name: unplace
-- After a backfill's merge (stage_set_positions): the rows of the target
-- that the store does not hold lose their place in its array, so that
-- ausdash-export writes them after the store's rows, in key order.  Every
-- staged row is placed by now, so when the target has no more placed rows
-- than $1 (the distinct staged rows) there is nothing to do, and the
-- one-time filter spares the anti-join (a rerun of the same store).
UPDATE public.{table} t SET store_ord = NULL
WHERE (SELECT pg_catalog.count(*) FROM public.{table} WHERE store_ord IS NOT NULL) > $1::bigint
  AND t.store_ord IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM pg_temp.ausdash_stage_{table} s WHERE {key_eq(s,t)});

-- name: superseded
-- Before the merge, when records were left unstaged because the target
-- holds them as they are (their places: the ranges from $1[i] to $2[i],
-- ascending, lib/load/known.h): a key the store holds twice
-- keeps its last occurrence, as "dedupe" does.  Deletes the staged rows an
-- unstaged later occurrence supersedes (staged_superseded), and counts the
-- unstaged rows a staged later occurrence supersedes (skipped_superseded).
-- Only a staged row whose key the target holds at another place can be
-- either, so the positions are checked for those alone.  Each staged key
-- is looked up through an index of the target on it (the subquery kept
-- apart, OFFSET 0): the merge looks up the same keys next, so this costs
-- no more than the merge does, where the join the planner picks would
-- hash the whole target for a few staged rows.
WITH other AS MATERIALIZED (
  SELECT s.ord, t.store_ord AS held_at
  FROM pg_temp.ausdash_stage_{table} s
  CROSS JOIN LATERAL (
    SELECT o.store_ord FROM public.{table} o
    WHERE {key_eq(o,s)}
    OFFSET 0) t
  WHERE t.store_ord <> s.ord
), held AS MATERIALIZED (
  SELECT ord, held_at FROM other
  WHERE held_at < ($2::bigint[])[pg_catalog.width_bucket(held_at, $1::bigint[])]
), gone AS (
  DELETE FROM pg_temp.ausdash_stage_{table} s
  USING held h
  WHERE s.ord = h.ord AND h.held_at > h.ord
  RETURNING 1
)
SELECT (SELECT pg_catalog.count(*) FROM gone) AS staged_superseded,
       (SELECT pg_catalog.count(*) FROM held WHERE held_at < ord) AS skipped_superseded;

-- name: unplace_skipping
-- "unplace" after a merge that left records unstaged: only a row read by
-- "digests" without a match may have lost its place (their places: the
-- ranges from $1[i] to $2[i]), and it has unless it is the staged row at
-- its place.  The rows at those places are found through store_ord's
-- index (migration 0010), range by range (the subquery kept apart, OFFSET
-- 0, so that the planner cannot join the ranges with a scan of the whole
-- table instead), then compared with the staged rows, then updated by
-- their physical place.
WITH c AS MATERIALIZED (
  SELECT t.rel, t.row_id, t.store_ord, {key}
  FROM ROWS FROM (pg_catalog.unnest($1::bigint[]), pg_catalog.unnest($2::bigint[])) AS r(lo, hi)
  CROSS JOIN LATERAL (
    SELECT o.tableoid AS rel, o.ctid AS row_id, o.* FROM public.{table} o
    WHERE o.store_ord >= r.lo AND o.store_ord < r.hi
    OFFSET 0) t
), lost AS MATERIALIZED (
  SELECT rel, row_id FROM c
  WHERE NOT EXISTS (SELECT 1 FROM pg_temp.ausdash_stage_{table} s
                    WHERE s.ord = c.store_ord AND {key_eq(s,c)})
)
UPDATE public.{table} t SET store_ord = NULL
FROM lost
WHERE t.tableoid = lost.rel AND t.ctid = lost.row_id;

-- name: drift
-- Staged rows the target lacks or holds otherwise, without merging: what a
-- dual write compares (ausdash-ingest --backend dual).
SELECT s.ord, (t.{key1} IS NULL) AS missing
FROM pg_temp.ausdash_stage_{table} s
LEFT JOIN public.{table} t ON {key_eq(t,s)}
WHERE t.{key1} IS NULL
   OR {values(t)}
      IS DISTINCT FROM {values(s)}
ORDER BY s.ord;

-- name: column_eq
-- One column of {key_eq(a,b)}; they are joined by key_eq_and.
{a}.{column} = {b}.{column}

-- name: key_eq_and
 AND

-- name: column_set
-- One column of {set}.
{column} = EXCLUDED.{column}
