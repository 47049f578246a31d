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
-- so do index builds after a bulk insert.  (Several commands: run without
-- parameters.)
SET LOCAL temp_buffers = '1GB';
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';

-- name: savepoint
-- Around a step that may fail and be tried again in the same transaction.
SAVEPOINT ausdash_retry;

-- name: rollback_to_savepoint
ROLLBACK TO SAVEPOINT ausdash_retry;

-- name: release_savepoint
RELEASE SAVEPOINT ausdash_retry;
