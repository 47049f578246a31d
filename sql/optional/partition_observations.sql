-- sql/optional/partition_observations.sql - turn public.observations into a
-- table partitioned by HASH (series_id), keeping every name ausdash and the
-- dashboard's API use.  Not a migration: nothing applies it by itself; see
-- docs/scaling.md.  Run it as the schema's owner, at a quiet time (it
-- locks observations and copies every row):
--
--   psql -X -v ON_ERROR_STOP=1 -v partitions=8 -1 -f sql/optional/partition_observations.sql
--
-- Every unique constraint of observations already includes series_id
-- (migration 0001), which is what a partitioned (or Citus-distributed)
-- table requires, so nothing else changes: the merge's ON CONFLICT ON
-- CONSTRAINT observations_series_region_date_vintage_unique, the reports'
-- observations_latest_idx and the API's queries work as before.  Grants on
-- the old table are not carried over; give them again.
-- The whole file runs in one transaction (-1): an error leaves the table
-- as it was.

\if :{?partitions}
\else
\set partitions 8
\endif

LOCK TABLE public.observations IN ACCESS EXCLUSIVE MODE;

-- the old table gives its names up
ALTER TABLE public.observations RENAME TO observations_unpartitioned;
ALTER TABLE public.observations_unpartitioned
  RENAME CONSTRAINT observations_pkey TO observations_unpartitioned_pkey;
ALTER TABLE public.observations_unpartitioned
  RENAME CONSTRAINT observations_series_region_date_vintage_unique
  TO observations_unpartitioned_key_unique;
ALTER INDEX public.observations_series_region_date_idx
  RENAME TO observations_unpartitioned_series_region_date_idx;
ALTER INDEX public.observations_country_metric_date_idx
  RENAME TO observations_unpartitioned_country_metric_date_idx;
ALTER INDEX public.observations_latest_idx
  RENAME TO observations_unpartitioned_latest_idx;
ALTER INDEX public.observations_store_ord_idx
  RENAME TO observations_unpartitioned_store_ord_idx;

-- the same columns, defaults and checks; the same constraint and index names
CREATE TABLE public.observations (
  LIKE public.observations_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS
    INCLUDING STORAGE INCLUDING COMMENTS,
  CONSTRAINT observations_pkey PRIMARY KEY (series_id, id),
  CONSTRAINT observations_series_region_date_vintage_unique
    UNIQUE (series_id, region_code, date, vintage)
) PARTITION BY HASH (series_id);
CREATE INDEX observations_series_region_date_idx
  ON public.observations (series_id, region_code, date);
CREATE INDEX observations_country_metric_date_idx
  ON public.observations (country_code, metric_family, date);
CREATE INDEX observations_latest_idx
  ON public.observations (series_id, region_code, date COLLATE "C" DESC,
                          vintage COLLATE "C" DESC, published_at DESC, ingested_at DESC);

-- migration 0013's: every row, those without a place too (0012: no
-- store_digest, for HOT updates)
CREATE INDEX observations_store_ord_idx ON public.observations (store_ord);

-- migration 0010's trigger: another writer's update forgets a row's digest
CREATE TRIGGER ausdash_forget_store_digest
  BEFORE UPDATE ON public.observations
  FOR EACH ROW
  WHEN (OLD.store_digest IS NOT NULL AND NEW.store_digest IS NOT DISTINCT FROM OLD.store_digest)
  EXECUTE FUNCTION public.ausdash_forget_store_digest();

-- with migration 0012's room on each page for new versions of its rows
SELECT pg_catalog.format('CREATE TABLE public.observations_p%s PARTITION OF public.observations '
                         'FOR VALUES WITH (MODULUS %s, REMAINDER %s) WITH (fillfactor = 90)',
                         r, :partitions, r)
FROM pg_catalog.generate_series(0, :partitions - 1) AS r
\gexec

INSERT INTO public.observations SELECT * FROM public.observations_unpartitioned;
DROP TABLE public.observations_unpartitioned;
ANALYZE public.observations;
