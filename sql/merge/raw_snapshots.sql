-- sql/merge/raw_snapshots.sql - what raw snapshots need beyond entity.sql.
--
-- A payload is stored once per source (raw_snapshots_source_checksum_unique),
-- so a staged snapshot whose (source, checksum) is already stored, or staged
-- earlier, under another snapshotId is a conflict to resolve before the merge.

-- name: conflicts
-- Snapshots whose (source, checksum) is already stored, or staged earlier,
-- under another snapshotId: the same payload twice.
SELECT s.ord, s.line, s.byte_offset, s.snapshot_id, t.snapshot_id AS other_id, true AS stored
FROM pg_temp.ausdash_stage_raw_snapshots s
JOIN public.raw_snapshots t
  ON t.source_id = s.source_id AND t.checksum_sha256 = s.checksum_sha256
 AND t.snapshot_id <> s.snapshot_id
WHERE NOT EXISTS (SELECT 1 FROM pg_temp.ausdash_stage_raw_snapshots o
                  WHERE o.snapshot_id = t.snapshot_id)
UNION ALL
SELECT s.ord, s.line, s.byte_offset, s.snapshot_id, e.snapshot_id, false
FROM pg_temp.ausdash_stage_raw_snapshots s
JOIN pg_temp.ausdash_stage_raw_snapshots e
  ON e.source_id = s.source_id AND e.checksum_sha256 = s.checksum_sha256
 AND e.snapshot_id <> s.snapshot_id AND e.ord < s.ord
ORDER BY 1;

-- name: alias
-- A snapshotId of another store lineage for a payload stored under $2
-- (migration 0007); a row already there is left as it is.
INSERT INTO public.raw_snapshot_aliases AS a (alias_id, snapshot_id)
VALUES ($1, $2)
ON CONFLICT (alias_id) DO UPDATE SET snapshot_id = EXCLUDED.snapshot_id
WHERE a.snapshot_id IS DISTINCT FROM EXCLUDED.snapshot_id;

-- name: drop
-- Removes a staged row (a rejected conflict) by its position.
DELETE FROM pg_temp.ausdash_stage_raw_snapshots WHERE ord = $1;
