-- 0009_store_layout (down): the stores' order and field order are
-- forgotten; ausdash-export writes every array in key order and every
-- record in its own field order again.
ALTER TABLE public.sources DROP COLUMN store_ord, DROP COLUMN store_fields;
ALTER TABLE public.raw_snapshots DROP COLUMN store_ord, DROP COLUMN store_fields;
ALTER TABLE public.observations DROP COLUMN store_ord, DROP COLUMN store_fields;
ALTER TABLE public.source_cursors DROP COLUMN store_ord, DROP COLUMN store_fields;
ALTER TABLE public.ingestion_runs DROP COLUMN store_ord, DROP COLUMN store_fields;
ALTER TABLE public.price_intake_batches DROP COLUMN store_ord, DROP COLUMN store_fields;
ALTER TABLE public.unresolved_price_items DROP COLUMN store_ord, DROP COLUMN store_fields;
