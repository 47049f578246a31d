-- sql/pg/lock.sql - named advisory locks (lib/pg/lock.c); $1 is the lock's
-- key, a bigint made from its name.

-- name: try
SELECT pg_catalog.pg_try_advisory_lock($1::pg_catalog.int8);

-- name: release
SELECT pg_catalog.pg_advisory_unlock($1::pg_catalog.int8);

-- name: holder
-- Who holds it: pid, application, client, session age (s), transaction.
SELECT a.pid, COALESCE(NULLIF(a.application_name, ''), 'no application_name'),
  COALESCE(pg_catalog.host(a.client_addr), 'the local socket'),
  pg_catalog.floor(EXTRACT(epoch FROM pg_catalog.now() - a.backend_start))::bigint,
  CASE WHEN a.xact_start IS NULL THEN 'it is not in a transaction'
    ELSE 'its transaction has run for ' || pg_catalog.floor(EXTRACT(epoch FROM
      pg_catalog.now() - a.xact_start))::bigint || ' s' END
FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND ((l.classid::pg_catalog.int8 << 32) | l.objid::pg_catalog.int8) = $1::pg_catalog.int8;

-- name: ledger_exists
-- Whether the run ledger exists yet (ausdash-migrate locks before it does).
SELECT pg_catalog.to_regclass('public.ingestion_runs') IS NOT NULL;

-- name: running_run
SELECT run_id FROM public.ingestion_runs WHERE lock_key = $1::pg_catalog.int8
  AND status = 'running' ORDER BY started_at DESC LIMIT 1;
