-- 0007_snapshot_aliases (down)
DROP TABLE public.raw_snapshot_aliases;
