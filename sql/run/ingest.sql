-- sql/run/ingest.sql - a feed payload into PostgreSQL (lib/load/ingest.c):
-- the source's catalog entry and series codes, the raw snapshot, the cursor.

-- name: source_url
SELECT url FROM public.sources WHERE source_id = $1;

-- name: series_codes
-- The series-code mapping of source $1 (migration 0005's series table).
SELECT source_series_code, id, unit FROM public.series
WHERE source = $1 AND source_series_code IS NOT NULL
ORDER BY source_series_code;

-- name: cursor_for_update
SELECT cursor FROM public.source_cursors WHERE source_id = $1 FOR UPDATE;

-- name: move_cursor
INSERT INTO public.source_cursors AS c (source_id, cursor, updated_at)
VALUES ($1, $2, pg_catalog.now())
ON CONFLICT (source_id) DO UPDATE
SET cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at;

-- name: store_snapshot
-- The payload, once per source and checksum: returns the snapshot id when
-- it is new, no row when the same payload is stored already.
INSERT INTO public.raw_snapshots (snapshot_id, source_id, checksum_sha256,
  captured_at, content_type, payload, format)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (source_id, checksum_sha256) DO NOTHING RETURNING snapshot_id;

-- name: snapshot_of_checksum
SELECT snapshot_id FROM public.raw_snapshots
WHERE source_id = $1 AND checksum_sha256 = $2;

-- name: mapped_before
-- Did job $1 map the payload of checksum $2 (source $3) in a run that
-- loaded it (ausdash's own statuses: a skipped duplicate mapped nothing)?
SELECT 1 FROM public.ingestion_runs WHERE job = $1
  AND input_checksum_sha256 = $2 AND source_id = $3
  AND status IN ('ok', 'partial') LIMIT 1;

-- name: replay_snapshots
-- ausdash-replay: the stored snapshots of source $1 captured in [$2, $3)
-- (either may be NULL: open), or the one named $4, oldest first.
SELECT snapshot_id,
  pg_catalog.to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  format, payload
FROM public.raw_snapshots
WHERE source_id = $1
  AND ($2::timestamptz IS NULL OR captured_at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR captured_at < $3::timestamptz)
  AND ($4::text IS NULL OR snapshot_id = $4)
ORDER BY captured_at, snapshot_id;
