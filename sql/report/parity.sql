-- sql/report/parity.sql - ausdash-parity: the database side of the
-- comparison with a store.  Templates: {table} an entity's table, {where}
-- a filter (one of those below, or nothing), {key} and {digest} from
-- lib/pg/sqlbuild.c.

-- name: keys
-- Each row's key and digest.
SELECT {key}, {digest} FROM public.{table} t {where}

-- name: observation_keys
-- The key and digest of each of the observations {rows}.
SELECT {key}, {digest} FROM {rows}

-- name: count
SELECT pg_catalog.count(*) FROM public.{table} t {where}

-- name: store_runs_only
-- The runs ausdash-export writes to a store.
WHERE {{store_run}}

-- name: in_segments
-- The observations of the segments $1 (series ids) and $2 (regions), pairwise.
public.observations t WHERE (t.series_id, t.region_code) IN
  (SELECT * FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::text[])))

-- name: segments
-- Per (series, region) of the observations {rows}: its rows and the sum of
-- their digests modulo 2^64, as an unsigned decimal.
SELECT t.series_id || chr(31) || t.region_code, pg_catalog.count(*),
  (((pg_catalog.sum({digest}::numeric) % 18446744073709551616) + 18446744073709551616)
   % 18446744073709551616)::text
FROM {rows} GROUP BY 1

-- name: all_rows
-- Every observation (--deep, or when store_digest cannot be read).
public.observations t

-- name: unplaced_rows
-- The observations without a place in the store's array: no backfill's row
-- can vouch for them.
public.observations t WHERE t.store_ord IS NULL

-- name: gone_rows
-- The observations at the places of rows whose store_digest matched no
-- record (the ranges from $1[i] to $2[i], lib/load/known.h), found through
-- store_ord's index range by range (the subquery is kept apart, OFFSET 0,
-- so that the planner cannot join the ranges with a scan of the whole
-- table instead).
ROWS FROM (pg_catalog.unnest($1::bigint[]), pg_catalog.unnest($2::bigint[])) AS r(lo, hi)
CROSS JOIN LATERAL (
  SELECT * FROM public.observations o
  WHERE o.store_ord >= r.lo AND o.store_ord < r.hi
  OFFSET 0) t

-- name: in_segments_unvouched
-- in_segments of the segments $3 and $4 here, of the rows no record
-- matched: {unplaced} (unplaced_rows) and {gone} (gone_rows, the places
-- from $1[i] to $2[i]), each found through store_ord's index, then kept
-- when in a segment.  (Filtering the segments' rows instead reads every
-- row of a segment that differs by one row: 0.5 s for a store's
-- wholesale series at 1M observations.)
(SELECT t.* FROM {unplaced} UNION ALL SELECT t.* FROM {gone}) t
WHERE (t.series_id, t.region_code) IN
  (SELECT * FROM ROWS FROM (pg_catalog.unnest($3::text[]), pg_catalog.unnest($4::text[])))
