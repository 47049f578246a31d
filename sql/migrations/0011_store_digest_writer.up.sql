-- 0011_store_digest_writer: a backfill's own update keeps the digest it
-- writes.  Migration 0010's trigger forgets the digest of a row an update
-- leaves it unchanged in, taking such an update for another writer's.  But
-- a backfill that puts back what a write without triggers changed
-- (session_replication_role = replica) writes the very digest the row
-- still has, and lost it, so the run failed its verification.  A
-- backfill's transaction says it writes the digests itself
-- (ausdash.store_digest_writer, set by lib/load/stage.c), and the trigger
-- then leaves them.  (Since this version the digest is that of the record
-- text a backfill copied the row from, with its place, not of the row's
-- COPY text: lib/model/entity.h, entity_record_place_digest().  The column
-- is the same; the first backfill after the upgrade records the new ones.)
CREATE OR REPLACE FUNCTION public.ausdash_forget_store_digest() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF pg_catalog.current_setting('ausdash.store_digest_writer', true) = 'on' THEN
    RETURN NEW;
  END IF;
  NEW.store_digest := NULL;
  RETURN NEW;
END
$$;
