-- 0012_observations_hot: a backfill's update of a changed observation
-- rewrites the row in place (a HOT update), not the row and its six index
-- entries.  PostgreSQL does that only when no indexed column changes and
-- the row's page has room for the new version, so:
--   store_digest leaves observations_store_ord_idx (0010 had it INCLUDEd
--                for an index-only scan); a changed record changes its
--                digest, and an indexed digest ruled HOT out for every
--                update.  The digests are still read in store_ord's
--                order through the index, fetching them from the rows.
--   fillfactor   90: a page is filled to 90%, keeping room for about two
--                new versions of its rows.  It applies to pages written
--                from now on (a backfill into an empty table writes all
--                of them); existing pages keep what room they have.
-- On a partitioned observations (sql/optional/partition_observations.sql)
-- the storage parameter is set on each partition; a partition added
-- later needs WITH (fillfactor = 90) of its own.
DO $$
DECLARE
  part regclass;
BEGIN
  IF (SELECT c.relkind FROM pg_catalog.pg_class c
      WHERE c.oid = 'public.observations'::pg_catalog.regclass) = 'p' THEN
    FOR part IN SELECT i.inhrelid::pg_catalog.regclass FROM pg_catalog.pg_inherits i
                WHERE i.inhparent = 'public.observations'::pg_catalog.regclass
    LOOP
      EXECUTE pg_catalog.format('ALTER TABLE %s SET (fillfactor = 90)', part);
    END LOOP;
  ELSE
    ALTER TABLE public.observations SET (fillfactor = 90);
  END IF;
END
$$;

-- The index is dropped and built again without store_digest: no data is lost.
-- ausdash:allow-destructive
DROP INDEX public.observations_store_ord_idx;
CREATE INDEX observations_store_ord_idx ON public.observations (store_ord)
  WHERE store_ord IS NOT NULL;
