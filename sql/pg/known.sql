-- sql/pg/known.sql - what lib/load/known.c reads beside a run's own
-- connection.

-- name: digests
-- A digested entity's rows by place (store_ord), each with the digest of
-- the record a backfill last copied it from (store_digest, migration 0010;
-- NULL once another writer changed the row): what a backfill compares each
-- record with before staging it, and what ausdash-parity trusts for the
-- records that match.  Read in store_ord's index order.
COPY (SELECT store_ord, store_digest FROM public.{table}
      WHERE store_ord IS NOT NULL
      ORDER BY store_ord) TO STDOUT;

-- name: digest_writer
-- For the rest of a backfill's transaction, before it merges a digested
-- entity: its updates write each row's digest themselves, and migration
-- 0011's trigger keeps it even where it equals the row's old one (the row
-- was changed by a write that fired no trigger, and is put back).
SET LOCAL ausdash.store_digest_writer = 'on';
