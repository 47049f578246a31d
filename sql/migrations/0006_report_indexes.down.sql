-- 0006_report_indexes (down)
DROP INDEX public.observations_latest_idx;
