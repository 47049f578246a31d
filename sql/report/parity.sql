-- sql/report/parity.sql - ausdash-parity: the database side of the
-- comparison with a store.  Templates: {table} an entity's table, {where}
-- a filter (one of those below, or nothing), {key} and {digest} from
-- lib/pg/sqlbuild.c.

-- name: keys
-- Each row's key and digest.
SELECT {key}, {digest} FROM public.{table} t {where}

-- name: count
SELECT pg_catalog.count(*) FROM public.{table} t {where}

-- name: store_runs_only
-- The runs ausdash-export writes to a store.
WHERE {{store_run}}

-- name: in_segments
-- The observations of the segments $1 (series ids) and $2 (regions), pairwise.
WHERE (t.series_id, t.region_code) IN
  (SELECT * FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::text[])))

-- name: segments
-- Per (series, region): its rows and the sum of their digests modulo 2^64,
-- as an unsigned decimal.
SELECT t.series_id || chr(31) || t.region_code, pg_catalog.count(*),
  (((pg_catalog.sum({digest}::numeric) % 18446744073709551616) + 18446744073709551616)
   % 18446744073709551616)::text
FROM public.observations t GROUP BY 1
