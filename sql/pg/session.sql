-- sql/pg/session.sql - what lib/pg/db.c sets on every connection.

-- name: settings
-- A secure search_path (every statement names its objects with their
-- schema), and UTC, so that a timestamp without an offset means the same
-- everywhere.
SELECT pg_catalog.set_config('search_path', '', false),
       pg_catalog.set_config('TimeZone', 'UTC', false);

-- name: timeouts
-- --statement-timeout ($1) and --lock-timeout ($2), in ms; NULL keeps the
-- server's setting.
SELECT pg_catalog.set_config('statement_timeout',
         COALESCE($1, pg_catalog.current_setting('statement_timeout')), false),
       pg_catalog.set_config('lock_timeout',
         COALESCE($2, pg_catalog.current_setting('lock_timeout')), false);

-- name: no_jit
-- For the reports: their statements are short, and the live-lock test of
-- sql/rules.sql (pg_locks) makes the planner's estimate pass jit_above_cost,
-- so JIT compilation (about 100 ms) would be most of a report's time.
SELECT pg_catalog.set_config('jit', 'off', false);
