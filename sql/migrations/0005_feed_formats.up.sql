-- 0005_feed_formats: what ausdash-ingest and ausdash-replay need.
--
-- raw_snapshots.format: the feed format a snapshot was ingested with
-- (lib/feed.h), so that a replay maps it with the same parser.  NULL for
-- snapshots that came from the store: those are in their source's
-- default format.
ALTER TABLE public.raw_snapshots ADD COLUMN format text;

-- The RBA statistical-table series the dashboard's series ids stand for
-- (series.source_series_code; the rba-table format maps through it).
-- F6, owner-occupier housing loans funded in the month, all institutions:
-- variable rate, and fixed rate for 3 years or less.
UPDATE public.series SET source_series_code = 'FLRHOFVA' WHERE id = 'rates.oo.variable_pct';
UPDATE public.series SET source_series_code = 'FLRHOFFA' WHERE id = 'rates.oo.fixed_pct';

CREATE UNIQUE INDEX series_source_code_unique
  ON public.series (source, source_series_code)
  WHERE source_series_code IS NOT NULL;
