-- 0010_store_digest (down): every backfill stages every observation again.
DROP TRIGGER ausdash_forget_store_digest ON public.observations;
DROP FUNCTION public.ausdash_forget_store_digest();
DROP INDEX public.observations_store_ord_idx;
ALTER TABLE public.observations DROP COLUMN store_digest;
