-- 0012_observations_hot (down): pages filled whole again from now on, and
-- store_digest back in the index (an index-only scan; no HOT update of a
-- changed observation).
DO $$
DECLARE
  part regclass;
BEGIN
  IF (SELECT c.relkind FROM pg_catalog.pg_class c
      WHERE c.oid = 'public.observations'::pg_catalog.regclass) = 'p' THEN
    FOR part IN SELECT i.inhrelid::pg_catalog.regclass FROM pg_catalog.pg_inherits i
                WHERE i.inhparent = 'public.observations'::pg_catalog.regclass
    LOOP
      EXECUTE pg_catalog.format('ALTER TABLE %s RESET (fillfactor)', part);
    END LOOP;
  ELSE
    ALTER TABLE public.observations RESET (fillfactor);
  END IF;
END
$$;

DROP INDEX public.observations_store_ord_idx;
CREATE INDEX observations_store_ord_idx ON public.observations (store_ord)
  INCLUDE (store_digest) WHERE store_ord IS NOT NULL;
