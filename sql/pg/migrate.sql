-- sql/pg/migrate.sql - the migration ledger, ausdash.schema_migrations
-- (lib/pg/migrate.c).  One row per action on a version, never updated.

-- name: ledger_ensure
-- Creates the ledger, or brings an older one up to date (the "repair"
-- action came later).  Several commands: run without parameters.
CREATE SCHEMA IF NOT EXISTS ausdash;
CREATE TABLE IF NOT EXISTS ausdash.schema_migrations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version integer NOT NULL,
  name text NOT NULL,
  action text NOT NULL CHECK (action IN ('apply', 'rollback', 'baseline', 'repair')),
  outcome text NOT NULL CHECK (outcome IN ('ok', 'failed')),
  checksum_sha256 text NOT NULL,
  checksum_normalized_sha256 text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  applied_by text NOT NULL DEFAULT CURRENT_USER,
  duration_ms bigint NOT NULL,
  tool_version text NOT NULL,
  error text
);
CREATE INDEX IF NOT EXISTS schema_migrations_version_idx
  ON ausdash.schema_migrations (version, id);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint
                 WHERE conname = 'schema_migrations_action_check'
                   AND pg_catalog.pg_get_constraintdef(oid) LIKE '%repair%') THEN
    ALTER TABLE ausdash.schema_migrations
      DROP CONSTRAINT IF EXISTS schema_migrations_action_check,
      ADD CONSTRAINT schema_migrations_action_check
        CHECK (action IN ('apply', 'rollback', 'baseline', 'repair'));
  END IF;
END $$;

-- name: ledger_exists
-- status and verify change nothing, not even the ledger's existence.
SELECT pg_catalog.to_regclass('ausdash.schema_migrations') IS NOT NULL;

-- name: ledger_applied
-- The applied versions: a version is applied when its last successful
-- action applied it.
SELECT version, name, checksum_sha256, checksum_normalized_sha256,
       pg_catalog.to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), action
FROM (SELECT DISTINCT ON (version) *
      FROM ausdash.schema_migrations
      WHERE outcome = 'ok'
      ORDER BY version, id DESC) AS last
WHERE action IN ('apply', 'baseline', 'repair')
ORDER BY version;

-- name: ledger_failed
-- The failed versions: the last row of the version is a failed apply.
SELECT version, pg_catalog.to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       COALESCE(error, '')
FROM (SELECT DISTINCT ON (version) *
      FROM ausdash.schema_migrations
      ORDER BY version, id DESC) AS last
WHERE action = 'apply' AND outcome = 'failed'
ORDER BY version;

-- name: record
-- One action: version $1, name $2, action $3, outcome $4, checksums $5
-- and $6, duration $7 ms, error $8, the tool's version $9.
INSERT INTO ausdash.schema_migrations
  (version, name, action, outcome, checksum_sha256,
   checksum_normalized_sha256, duration_ms, tool_version, error)
VALUES ($1, $2, $3, $4, $5, $6, $7, $9, $8);
