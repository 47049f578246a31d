-- 0001_core_tables (down): drops the dashboard's tables and their data.
DROP TABLE public.watchlist_items;
DROP TABLE public.scenarios;
DROP TABLE public.raw_snapshots;
DROP TABLE public.ingestion_runs;
DROP TABLE public.source_cursors;
DROP TABLE public.observations;
DROP TABLE public.series;
DROP TABLE public.sources;
DROP TABLE public.regions;
