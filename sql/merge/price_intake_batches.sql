-- sql/merge/price_intake_batches.sql - stage and merge for public.price_intake_batches.
--
-- Price intake batches (priceIntakeBatches[]).
-- Statements are named by "-- name:" lines and embedded in the tools at
-- build time (lib/sqlset.c).  ord is the record's position in the input
-- (the last occurrence of a key wins); line and byte_offset say where it was.

-- name: create
CREATE TEMP TABLE ausdash_stage_price_intake_batches (
  ord bigint NOT NULL,
  line bigint NOT NULL,
  byte_offset bigint NOT NULL,
  batch_id text,
  source_id text,
  captured_at timestamptz,
  raw_snapshot_id text,
  item_count integer,
  created_at timestamptz
) ON COMMIT DROP;

-- name: dedupe
-- In-input duplicates of a key: keep the last occurrence.  Finding the
-- duplicated keys first (usually none) avoids joining the whole table
-- with itself.
WITH d AS (
  SELECT batch_id, pg_catalog.max(ord) AS last
  FROM pg_temp.ausdash_stage_price_intake_batches
  GROUP BY batch_id
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM pg_temp.ausdash_stage_price_intake_batches s
USING d
WHERE d.batch_id = s.batch_id
  AND s.ord < d.last;

-- name: merge
-- Only new or changed rows reach the upsert, so unchanged rows are neither
-- locked nor rewritten; returns changed, inserted, updated.
WITH changed AS (
  SELECT s.*
  FROM pg_temp.ausdash_stage_price_intake_batches s
  LEFT JOIN public.price_intake_batches t ON t.batch_id = s.batch_id
  WHERE t.batch_id IS NULL
     OR (t.source_id, t.captured_at, t.raw_snapshot_id, t.item_count,
        t.created_at)
        IS DISTINCT FROM (s.source_id, s.captured_at, s.raw_snapshot_id, s.item_count,
        s.created_at)
), m AS (
  INSERT INTO public.price_intake_batches AS t
    (batch_id, source_id, captured_at, raw_snapshot_id, item_count, created_at)
  SELECT batch_id, source_id, captured_at, raw_snapshot_id, item_count, created_at
  FROM changed
  ORDER BY batch_id
  ON CONFLICT ON CONSTRAINT price_intake_batches_pkey DO UPDATE SET
    source_id = EXCLUDED.source_id,
    captured_at = EXCLUDED.captured_at,
    raw_snapshot_id = EXCLUDED.raw_snapshot_id,
    item_count = EXCLUDED.item_count,
    created_at = EXCLUDED.created_at
  WHERE (t.source_id, t.captured_at, t.raw_snapshot_id, t.item_count,
        t.created_at)
        IS DISTINCT FROM (EXCLUDED.source_id, EXCLUDED.captured_at, EXCLUDED.raw_snapshot_id,
        EXCLUDED.item_count, EXCLUDED.created_at)
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
FROM pg_temp.ausdash_stage_price_intake_batches s
LEFT JOIN public.price_intake_batches t ON t.batch_id = s.batch_id
WHERE t.batch_id IS NULL
   OR (t.source_id, t.captured_at, t.raw_snapshot_id, t.item_count, t.created_at)
      IS DISTINCT FROM (s.source_id, s.captured_at, s.raw_snapshot_id, s.item_count, s.created_at);
