-- 0006_report_indexes: what the reports need to answer in about a second
-- on tens of millions of observations (ausdash-freshness, ausdash-parity).
--
-- The latest observation of a (series, region) by the dashboard's rule:
-- date, then vintage (compared byte-wise, as the dashboard's JavaScript
-- compares them), then published_at, then ingested_at, all descending.
-- The freshness report walks the regions of a series through this index
-- and reads one entry per region.
CREATE INDEX observations_latest_idx
  ON public.observations (series_id, region_code, date COLLATE "C" DESC,
                          vintage COLLATE "C" DESC, published_at DESC, ingested_at DESC);
