-- 0003_store_extras (down): drops the store-only tables and their data.
DROP TABLE public.unresolved_price_items;
DROP TABLE public.price_intake_batches;
DROP TABLE public.store_meta;
