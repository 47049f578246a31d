-- sql/merge/source_cursors.sql - what source cursors need beyond entity.sql.
--
-- A cursor moves one way (datetoken_cursor_stays): backfill reads the
-- database's cursors first, in the loading transaction, and leaves a
-- store's older cursor out of the merge.

-- name: current
-- The database's cursors, locked until the load commits.
SELECT source_id, cursor FROM public.source_cursors FOR UPDATE;
