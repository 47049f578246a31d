-- sql/merge/source_cursors.sql - stage and merge for public.source_cursors.
--
-- Source cursors (sourceCursors[]), keeping the store's updatedAt.
-- Statements are named by "-- name:" lines and embedded in the tools at
-- build time (lib/sqlset.c).  ord is the record's position in the input
-- (the last occurrence of a key wins); line and byte_offset say where it was.

-- name: create
CREATE TEMP TABLE ausdash_stage_source_cursors (
  ord bigint NOT NULL,
  line bigint NOT NULL,
  byte_offset bigint NOT NULL,
  source_id text,
  cursor text,
  updated_at timestamptz
) ON COMMIT DROP;

-- name: dedupe
-- In-input duplicates of a key: keep the last occurrence.  Finding the
-- duplicated keys first (usually none) avoids joining the whole table
-- with itself.
WITH d AS (
  SELECT source_id, pg_catalog.max(ord) AS last
  FROM pg_temp.ausdash_stage_source_cursors
  GROUP BY source_id
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM pg_temp.ausdash_stage_source_cursors s
USING d
WHERE d.source_id = s.source_id
  AND s.ord < d.last;

-- name: merge
-- Only new or changed rows reach the upsert, so unchanged rows are neither
-- locked nor rewritten; returns changed, inserted, updated.
WITH changed AS (
  SELECT s.*
  FROM pg_temp.ausdash_stage_source_cursors s
  LEFT JOIN public.source_cursors t ON t.source_id = s.source_id
  WHERE t.source_id IS NULL
     OR (t.cursor, t.updated_at)
        IS DISTINCT FROM (s.cursor, s.updated_at)
), m AS (
  INSERT INTO public.source_cursors AS t
    (source_id, cursor, updated_at)
  SELECT source_id, cursor, updated_at
  FROM changed
  ORDER BY source_id
  ON CONFLICT ON CONSTRAINT source_cursors_pkey DO UPDATE SET
    cursor = EXCLUDED.cursor,
    updated_at = EXCLUDED.updated_at
  WHERE (t.cursor, t.updated_at)
        IS DISTINCT FROM (EXCLUDED.cursor, EXCLUDED.updated_at)
  RETURNING (t.xmax = 0) AS inserted
)
SELECT (SELECT pg_catalog.count(*) FROM changed) AS changed,
       pg_catalog.count(*) FILTER (WHERE inserted) AS inserted,
       pg_catalog.count(*) FILTER (WHERE NOT inserted) AS updated
FROM m;

-- name: verify
-- Staged rows missing from the target or different there (must be none),
-- and the first such row's position.
SELECT pg_catalog.count(*) AS mismatched, pg_catalog.min(s.ord) AS first_ord
FROM pg_temp.ausdash_stage_source_cursors s
LEFT JOIN public.source_cursors t ON t.source_id = s.source_id
WHERE t.source_id IS NULL
   OR (t.cursor, t.updated_at)
      IS DISTINCT FROM (s.cursor, s.updated_at);
