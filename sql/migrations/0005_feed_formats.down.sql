-- 0005_feed_formats (down): forgets the snapshots' formats and the RBA
-- series codes.
DROP INDEX public.series_source_code_unique;
UPDATE public.series SET source_series_code = NULL
  WHERE id IN ('rates.oo.variable_pct', 'rates.oo.fixed_pct');
ALTER TABLE public.raw_snapshots DROP COLUMN format;
