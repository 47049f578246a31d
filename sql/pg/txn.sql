-- sql/pg/txn.sql - transactions (lib/pg/db.h: db_begin, db_commit, db_rollback).

-- name: begin
BEGIN;

-- name: commit
COMMIT;

-- name: rollback
ROLLBACK;

-- name: begin_snapshot
-- One consistent, read-only view of the database for a whole report or export.
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;

-- name: batch_settings
-- For a bulk load's transaction: staging tables live in local buffers
-- (temp_buffers must be set before the first one is touched), the dedupe
-- and merge sort and hash far more than the defaults allow in memory, and
-- so do index builds after a bulk insert.  No JIT: the estimates of
-- statements over unanalyzed staging tables and ranges given as parameters
-- run high, and compiling one then costs more (a few hundred ms) than the
-- statement itself.  (Several commands: run without parameters.)
SET LOCAL temp_buffers = '1GB';
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
SET LOCAL jit = off;

-- name: savepoint
-- Around a step that may fail and be tried again in the same transaction.
SAVEPOINT ausdash_retry;

-- name: rollback_to_savepoint
ROLLBACK TO SAVEPOINT ausdash_retry;

-- name: release_savepoint
RELEASE SAVEPOINT ausdash_retry;

-- name: export_snapshot
-- What a second connection reads (db_connect_beside): this transaction's view.
SELECT pg_catalog.pg_export_snapshot();

-- name: set_snapshot
-- On that second connection, after begin_snapshot; {snapshot} is the
-- exported name as a quoted literal.
SET TRANSACTION SNAPSHOT {snapshot};

-- name: reader_settings
-- For a connection that reads beside a run's own (db_connect_beside): it
-- reads for as long as the run reads its input, so no statement timeout;
-- and it never waits long for a lock, since what it reads is only a
-- shortcut (the run does without), and the run may hold that lock itself.
-- And rows in an index's order rather than sorted: a sort holds every row
-- back until it has them all, while the run waits for the first (the
-- planner would sort when it does not know yet that a table is all
-- visible, as after a COPY FREEZE until the first VACUUM).  (Several
-- commands: run without parameters.)
SET LOCAL statement_timeout = 0;
SET LOCAL lock_timeout = '1s';
SET LOCAL enable_sort = off;
