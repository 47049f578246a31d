-- sql/run/dual.sql - the dual backend's drift check (lib/run/ingestrun.c):
-- after a run applied to both PostgreSQL and the store, the keys it
-- touched are compared.

-- name: observation_exists
-- Is there an observation with key $1 (seriesId|regionCode|date|vintage,
-- as lib/model/digest.c joins a key)?
SELECT 1 FROM public.observations
WHERE series_id || '|' || region_code || '|' || date || '|' || vintage = $1;

-- name: record_drift
-- The keys that differ ($2, a JSON array) into the details of run $1.
UPDATE public.ingestion_runs
SET details = COALESCE(details, '{}'::jsonb) || pg_catalog.jsonb_build_object('drift', $2::jsonb)
WHERE run_id = $1;
