-- 0013_unplaced_rows: observations_store_ord_idx holds every row, those
-- without a place in the store too (store_ord NULL: the rows that
-- ausdash-ingest and the dashboard's writers add, and those a backfill
-- took out of the store).  ausdash-parity digests those rows on the
-- server while it reads the store; with the index partial (0010, 0012)
-- the only way to find them was to read the whole table, at every run,
-- beside the store's reading; now it is an index scan of as many entries
-- as there are such rows.  The index is the same for every reader that
-- asks for store_ord IS NOT NULL (the digests in order of place, a
-- backfill's and parity's), and store_ord was indexed already, so an
-- update's chance of being HOT (0012) does not change.
-- The index is dropped and built again with the NULLs: no data is lost.
-- ausdash:allow-destructive
DROP INDEX public.observations_store_ord_idx;
CREATE INDEX observations_store_ord_idx ON public.observations (store_ord);
