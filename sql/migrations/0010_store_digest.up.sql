-- 0010_store_digest: what lets a backfill of a store the database already
-- holds leave unchanged observations alone instead of staging them again.
--   store_digest  a 64-bit hash (XXH3) of the row as the last
--                 backfill copied it (every column it wrote, store_ord and
--                 store_fields included); NULL when no backfill wrote the
--                 row as it is now
-- and an index that gives them in store_ord's order.
-- Nullable without a default: adding it rewrites no table.  A writer other
-- than ausdash-backfill (an ingest, the dashboard) that updates a row does
-- not set the column, so the trigger forgets the digest, and the next
-- backfill compares that row in full.
ALTER TABLE public.observations ADD COLUMN store_digest bigint;

-- The digests in the order of the store's array, read as a backfill reads
-- the store, without sorting first (an index-only scan).
CREATE INDEX observations_store_ord_idx ON public.observations (store_ord)
  INCLUDE (store_digest) WHERE store_ord IS NOT NULL;

CREATE FUNCTION public.ausdash_forget_store_digest() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.store_digest := NULL;
  RETURN NEW;
END
$$;

-- Only an update that leaves a digest as it was: a backfill's own update
-- writes the new row's digest, and the trigger does not even run.
CREATE TRIGGER ausdash_forget_store_digest
  BEFORE UPDATE ON public.observations
  FOR EACH ROW
  WHEN (OLD.store_digest IS NOT NULL AND NEW.store_digest IS NOT DISTINCT FROM OLD.store_digest)
  EXECUTE FUNCTION public.ausdash_forget_store_digest();
