-- sql/merge/raw_snapshots.sql - stage and merge for public.raw_snapshots.
--
-- Raw snapshots (rawSnapshots[]), keeping the store's snapshotId.
-- Statements are named by "-- name:" lines and embedded in the tools at
-- build time (lib/sqlset.c).  ord is the record's position in the input
-- (the last occurrence of a key wins); line and byte_offset say where it was.

-- name: create
CREATE TEMP TABLE ausdash_stage_raw_snapshots (
  ord bigint NOT NULL,
  line bigint NOT NULL,
  byte_offset bigint NOT NULL,
  snapshot_id text,
  source_id text,
  checksum_sha256 text,
  captured_at timestamptz,
  content_type text,
  payload text
) ON COMMIT DROP;

-- name: dedupe
-- In-input duplicates of a key: keep the last occurrence.  Finding the
-- duplicated keys first (usually none) avoids joining the whole table
-- with itself.
WITH d AS (
  SELECT snapshot_id, pg_catalog.max(ord) AS last
  FROM pg_temp.ausdash_stage_raw_snapshots
  GROUP BY snapshot_id
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM pg_temp.ausdash_stage_raw_snapshots s
USING d
WHERE d.snapshot_id = s.snapshot_id
  AND s.ord < d.last;

-- name: merge
-- Only new or changed rows reach the upsert, so unchanged rows are neither
-- locked nor rewritten; returns changed, inserted, updated.
WITH changed AS (
  SELECT s.*
  FROM pg_temp.ausdash_stage_raw_snapshots s
  LEFT JOIN public.raw_snapshots t ON t.snapshot_id = s.snapshot_id
  WHERE t.snapshot_id IS NULL
     OR (t.source_id, t.checksum_sha256, t.captured_at, t.content_type, t.payload)
        IS DISTINCT FROM (s.source_id, s.checksum_sha256, s.captured_at, s.content_type, s.payload)
), m AS (
  INSERT INTO public.raw_snapshots AS t
    (snapshot_id, source_id, checksum_sha256, captured_at, content_type, payload)
  SELECT snapshot_id, source_id, checksum_sha256, captured_at, content_type,
         payload
  FROM changed
  ORDER BY snapshot_id
  ON CONFLICT ON CONSTRAINT raw_snapshots_pkey DO UPDATE SET
    source_id = EXCLUDED.source_id,
    checksum_sha256 = EXCLUDED.checksum_sha256,
    captured_at = EXCLUDED.captured_at,
    content_type = EXCLUDED.content_type,
    payload = EXCLUDED.payload
  WHERE (t.source_id, t.checksum_sha256, t.captured_at, t.content_type, t.payload)
        IS DISTINCT FROM (EXCLUDED.source_id, EXCLUDED.checksum_sha256, EXCLUDED.captured_at,
        EXCLUDED.content_type, EXCLUDED.payload)
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
FROM pg_temp.ausdash_stage_raw_snapshots s
LEFT JOIN public.raw_snapshots t ON t.snapshot_id = s.snapshot_id
WHERE t.snapshot_id IS NULL
   OR (t.source_id, t.checksum_sha256, t.captured_at, t.content_type, t.payload)
      IS DISTINCT FROM (s.source_id, s.checksum_sha256, s.captured_at, s.content_type, s.payload);

-- name: conflicts
-- Snapshots whose (source, checksum) is already stored, or staged earlier,
-- under another snapshotId: the same payload twice.
SELECT s.ord, s.line, s.byte_offset, s.snapshot_id, t.snapshot_id AS other_id
FROM pg_temp.ausdash_stage_raw_snapshots s
JOIN public.raw_snapshots t
  ON t.source_id = s.source_id AND t.checksum_sha256 = s.checksum_sha256
 AND t.snapshot_id <> s.snapshot_id
WHERE NOT EXISTS (SELECT 1 FROM pg_temp.ausdash_stage_raw_snapshots o
                  WHERE o.snapshot_id = t.snapshot_id)
UNION ALL
SELECT s.ord, s.line, s.byte_offset, s.snapshot_id, e.snapshot_id
FROM pg_temp.ausdash_stage_raw_snapshots s
JOIN pg_temp.ausdash_stage_raw_snapshots e
  ON e.source_id = s.source_id AND e.checksum_sha256 = s.checksum_sha256
 AND e.snapshot_id <> s.snapshot_id AND e.ord < s.ord
ORDER BY 1;

-- name: drop
-- Removes a staged row (a rejected conflict) by its position.
DELETE FROM pg_temp.ausdash_stage_raw_snapshots WHERE ord = $1;
