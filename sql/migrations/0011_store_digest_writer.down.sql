-- 0011_store_digest_writer (down): the trigger forgets every digest an
-- update leaves as it was, a backfill's too.
CREATE OR REPLACE FUNCTION public.ausdash_forget_store_digest() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.store_digest := NULL;
  RETURN NEW;
END
$$;
