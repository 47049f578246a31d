-- 0013_unplaced_rows (down): observations_store_ord_idx holds the rows
-- with a place only, as 0012 left it.
DROP INDEX public.observations_store_ord_idx;
CREATE INDEX observations_store_ord_idx ON public.observations (store_ord)
  WHERE store_ord IS NOT NULL;
