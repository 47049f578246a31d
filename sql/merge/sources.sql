-- sql/merge/sources.sql - stage and merge for public.sources.
--
-- The source catalog (sources[]): the store's metadata wins.
-- Statements are named by "-- name:" lines and embedded in the tools at
-- build time (lib/sqlset.c).  ord is the record's position in the input
-- (the last occurrence of a key wins); line and byte_offset say where it was.

-- name: create
CREATE TEMP TABLE ausdash_stage_sources (
  ord bigint NOT NULL,
  line bigint NOT NULL,
  byte_offset bigint NOT NULL,
  source_id text,
  domain text,
  name text,
  url text,
  expected_cadence text
) ON COMMIT DROP;

-- name: dedupe
-- In-input duplicates of a key: keep the last occurrence.  Finding the
-- duplicated keys first (usually none) avoids joining the whole table
-- with itself.
WITH d AS (
  SELECT source_id, pg_catalog.max(ord) AS last
  FROM pg_temp.ausdash_stage_sources
  GROUP BY source_id
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM pg_temp.ausdash_stage_sources s
USING d
WHERE d.source_id = s.source_id
  AND s.ord < d.last;

-- name: merge
-- Only new or changed rows reach the upsert, so unchanged rows are neither
-- locked nor rewritten; returns changed, inserted, updated.
WITH changed AS (
  SELECT s.*
  FROM pg_temp.ausdash_stage_sources s
  LEFT JOIN public.sources t ON t.source_id = s.source_id
  WHERE t.source_id IS NULL
     OR (t.domain, t.name, t.url, t.expected_cadence)
        IS DISTINCT FROM (s.domain, s.name, s.url, s.expected_cadence)
), m AS (
  INSERT INTO public.sources AS t
    (source_id, domain, name, url, expected_cadence)
  SELECT source_id, domain, name, url, expected_cadence
  FROM changed
  ORDER BY source_id
  ON CONFLICT ON CONSTRAINT sources_pkey DO UPDATE SET
    domain = EXCLUDED.domain,
    name = EXCLUDED.name,
    url = EXCLUDED.url,
    expected_cadence = EXCLUDED.expected_cadence
  WHERE (t.domain, t.name, t.url, t.expected_cadence)
        IS DISTINCT FROM (EXCLUDED.domain, EXCLUDED.name, EXCLUDED.url, EXCLUDED.expected_cadence)
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
FROM pg_temp.ausdash_stage_sources s
LEFT JOIN public.sources t ON t.source_id = s.source_id
WHERE t.source_id IS NULL
   OR (t.domain, t.name, t.url, t.expected_cadence)
      IS DISTINCT FROM (s.domain, s.name, s.url, s.expected_cadence);
