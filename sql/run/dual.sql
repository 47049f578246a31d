-- sql/run/dual.sql - the dual backend's drift check (lib/run/ingestrun.c):
-- after a run applied to both PostgreSQL and the store, the keys it
-- touched are compared.

-- name: observation_exists
-- Is there an observation whose key ({key}, from lib/pg/sqlbuild.c: the
-- key's fields joined by '|', as lib/model/digest.c joins them) is $1?
SELECT 1 FROM public.observations t WHERE {key} = $1

-- name: record_drift
-- The keys that differ ($2, a JSON array) into the details of run $1.
UPDATE public.ingestion_runs
SET details = COALESCE(details, '{}'::jsonb) || pg_catalog.jsonb_build_object('drift', $2::jsonb)
WHERE run_id = $1;
