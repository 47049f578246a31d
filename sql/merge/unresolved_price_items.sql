-- sql/merge/unresolved_price_items.sql - stage and merge for public.unresolved_price_items.
--
-- Unresolved price items (unresolvedPriceItems[]); fields without a column go
-- to "extra".
-- Statements are named by "-- name:" lines and embedded in the tools at
-- build time (lib/sqlset.c).  ord is the record's position in the input
-- (the last occurrence of a key wins); line and byte_offset say where it was.

-- name: create
CREATE TEMP TABLE ausdash_stage_unresolved_price_items (
  ord bigint NOT NULL,
  line bigint NOT NULL,
  byte_offset bigint NOT NULL,
  unresolved_item_id text,
  batch_id text,
  source_id text,
  raw_snapshot_id text,
  status text,
  created_at timestamptz,
  observed_at timestamptz,
  merchant_name text,
  merchant_slug text,
  region_code text,
  title text,
  external_product_id text,
  external_offer_id text,
  price_amount numeric,
  unit_price_amount numeric,
  normalized_quantity numeric,
  normalized_unit text,
  listing_url text,
  category_hint text,
  product_hint text,
  canonical_category_slug text,
  canonical_category_name text,
  canonical_product_slug text,
  canonical_product_name text,
  product_family_slug text,
  country_of_origin text,
  is_australian_made boolean,
  manufacturer_name text,
  domestic_value_share_band text,
  ai_exposure_level text,
  ai_exposure_reason text,
  comparable_unit_basis text,
  is_control_candidate boolean,
  cohort_ready boolean,
  notes text,
  reconciled_at timestamptz,
  promoted_at timestamptz,
  extra jsonb
) ON COMMIT DROP;

-- name: dedupe
-- In-input duplicates of a key: keep the last occurrence.  Finding the
-- duplicated keys first (usually none) avoids joining the whole table
-- with itself.
WITH d AS (
  SELECT unresolved_item_id, pg_catalog.max(ord) AS last
  FROM pg_temp.ausdash_stage_unresolved_price_items
  GROUP BY unresolved_item_id
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM pg_temp.ausdash_stage_unresolved_price_items s
USING d
WHERE d.unresolved_item_id = s.unresolved_item_id
  AND s.ord < d.last;

-- name: merge
-- Only new or changed rows reach the upsert, so unchanged rows are neither
-- locked nor rewritten; returns changed, inserted, updated.
WITH changed AS (
  SELECT s.*
  FROM pg_temp.ausdash_stage_unresolved_price_items s
  LEFT JOIN public.unresolved_price_items t ON t.unresolved_item_id = s.unresolved_item_id
  WHERE t.unresolved_item_id IS NULL
     OR (t.batch_id, t.source_id, t.raw_snapshot_id, t.status, t.created_at,
        t.observed_at, t.merchant_name, t.merchant_slug, t.region_code, t.title,
        t.external_product_id, t.external_offer_id, t.price_amount,
        t.unit_price_amount, t.normalized_quantity, t.normalized_unit,
        t.listing_url, t.category_hint, t.product_hint, t.canonical_category_slug,
        t.canonical_category_name, t.canonical_product_slug,
        t.canonical_product_name, t.product_family_slug, t.country_of_origin,
        t.is_australian_made, t.manufacturer_name, t.domestic_value_share_band,
        t.ai_exposure_level, t.ai_exposure_reason, t.comparable_unit_basis,
        t.is_control_candidate, t.cohort_ready, t.notes, t.reconciled_at,
        t.promoted_at, t.extra)
        IS DISTINCT FROM (s.batch_id, s.source_id, s.raw_snapshot_id, s.status, s.created_at,
        s.observed_at, s.merchant_name, s.merchant_slug, s.region_code, s.title,
        s.external_product_id, s.external_offer_id, s.price_amount,
        s.unit_price_amount, s.normalized_quantity, s.normalized_unit,
        s.listing_url, s.category_hint, s.product_hint, s.canonical_category_slug,
        s.canonical_category_name, s.canonical_product_slug,
        s.canonical_product_name, s.product_family_slug, s.country_of_origin,
        s.is_australian_made, s.manufacturer_name, s.domestic_value_share_band,
        s.ai_exposure_level, s.ai_exposure_reason, s.comparable_unit_basis,
        s.is_control_candidate, s.cohort_ready, s.notes, s.reconciled_at,
        s.promoted_at, s.extra)
), m AS (
  INSERT INTO public.unresolved_price_items AS t
    (unresolved_item_id, batch_id, source_id, raw_snapshot_id, status, created_at,
     observed_at, merchant_name, merchant_slug, region_code, title,
     external_product_id, external_offer_id, price_amount, unit_price_amount,
     normalized_quantity, normalized_unit, listing_url, category_hint,
     product_hint, canonical_category_slug, canonical_category_name,
     canonical_product_slug, canonical_product_name, product_family_slug,
     country_of_origin, is_australian_made, manufacturer_name,
     domestic_value_share_band, ai_exposure_level, ai_exposure_reason,
     comparable_unit_basis, is_control_candidate, cohort_ready, notes,
     reconciled_at, promoted_at, extra)
  SELECT unresolved_item_id, batch_id, source_id, raw_snapshot_id, status,
         created_at, observed_at, merchant_name, merchant_slug, region_code, title,
         external_product_id, external_offer_id, price_amount, unit_price_amount,
         normalized_quantity, normalized_unit, listing_url, category_hint,
         product_hint, canonical_category_slug, canonical_category_name,
         canonical_product_slug, canonical_product_name, product_family_slug,
         country_of_origin, is_australian_made, manufacturer_name,
         domestic_value_share_band, ai_exposure_level, ai_exposure_reason,
         comparable_unit_basis, is_control_candidate, cohort_ready, notes,
         reconciled_at, promoted_at, extra
  FROM changed
  ORDER BY unresolved_item_id
  ON CONFLICT ON CONSTRAINT unresolved_price_items_pkey DO UPDATE SET
    batch_id = EXCLUDED.batch_id,
    source_id = EXCLUDED.source_id,
    raw_snapshot_id = EXCLUDED.raw_snapshot_id,
    status = EXCLUDED.status,
    created_at = EXCLUDED.created_at,
    observed_at = EXCLUDED.observed_at,
    merchant_name = EXCLUDED.merchant_name,
    merchant_slug = EXCLUDED.merchant_slug,
    region_code = EXCLUDED.region_code,
    title = EXCLUDED.title,
    external_product_id = EXCLUDED.external_product_id,
    external_offer_id = EXCLUDED.external_offer_id,
    price_amount = EXCLUDED.price_amount,
    unit_price_amount = EXCLUDED.unit_price_amount,
    normalized_quantity = EXCLUDED.normalized_quantity,
    normalized_unit = EXCLUDED.normalized_unit,
    listing_url = EXCLUDED.listing_url,
    category_hint = EXCLUDED.category_hint,
    product_hint = EXCLUDED.product_hint,
    canonical_category_slug = EXCLUDED.canonical_category_slug,
    canonical_category_name = EXCLUDED.canonical_category_name,
    canonical_product_slug = EXCLUDED.canonical_product_slug,
    canonical_product_name = EXCLUDED.canonical_product_name,
    product_family_slug = EXCLUDED.product_family_slug,
    country_of_origin = EXCLUDED.country_of_origin,
    is_australian_made = EXCLUDED.is_australian_made,
    manufacturer_name = EXCLUDED.manufacturer_name,
    domestic_value_share_band = EXCLUDED.domestic_value_share_band,
    ai_exposure_level = EXCLUDED.ai_exposure_level,
    ai_exposure_reason = EXCLUDED.ai_exposure_reason,
    comparable_unit_basis = EXCLUDED.comparable_unit_basis,
    is_control_candidate = EXCLUDED.is_control_candidate,
    cohort_ready = EXCLUDED.cohort_ready,
    notes = EXCLUDED.notes,
    reconciled_at = EXCLUDED.reconciled_at,
    promoted_at = EXCLUDED.promoted_at,
    extra = EXCLUDED.extra
  WHERE (t.batch_id, t.source_id, t.raw_snapshot_id, t.status, t.created_at,
        t.observed_at, t.merchant_name, t.merchant_slug, t.region_code, t.title,
        t.external_product_id, t.external_offer_id, t.price_amount,
        t.unit_price_amount, t.normalized_quantity, t.normalized_unit,
        t.listing_url, t.category_hint, t.product_hint, t.canonical_category_slug,
        t.canonical_category_name, t.canonical_product_slug,
        t.canonical_product_name, t.product_family_slug, t.country_of_origin,
        t.is_australian_made, t.manufacturer_name, t.domestic_value_share_band,
        t.ai_exposure_level, t.ai_exposure_reason, t.comparable_unit_basis,
        t.is_control_candidate, t.cohort_ready, t.notes, t.reconciled_at,
        t.promoted_at, t.extra)
        IS DISTINCT FROM (EXCLUDED.batch_id, EXCLUDED.source_id, EXCLUDED.raw_snapshot_id,
        EXCLUDED.status, EXCLUDED.created_at, EXCLUDED.observed_at,
        EXCLUDED.merchant_name, EXCLUDED.merchant_slug, EXCLUDED.region_code,
        EXCLUDED.title, EXCLUDED.external_product_id, EXCLUDED.external_offer_id,
        EXCLUDED.price_amount, EXCLUDED.unit_price_amount,
        EXCLUDED.normalized_quantity, EXCLUDED.normalized_unit,
        EXCLUDED.listing_url, EXCLUDED.category_hint, EXCLUDED.product_hint,
        EXCLUDED.canonical_category_slug, EXCLUDED.canonical_category_name,
        EXCLUDED.canonical_product_slug, EXCLUDED.canonical_product_name,
        EXCLUDED.product_family_slug, EXCLUDED.country_of_origin,
        EXCLUDED.is_australian_made, EXCLUDED.manufacturer_name,
        EXCLUDED.domestic_value_share_band, EXCLUDED.ai_exposure_level,
        EXCLUDED.ai_exposure_reason, EXCLUDED.comparable_unit_basis,
        EXCLUDED.is_control_candidate, EXCLUDED.cohort_ready, EXCLUDED.notes,
        EXCLUDED.reconciled_at, EXCLUDED.promoted_at, EXCLUDED.extra)
  RETURNING (t.xmax = 0) AS inserted
)
SELECT (SELECT pg_catalog.count(*) FROM changed) AS changed,
       pg_catalog.count(*) FILTER (WHERE inserted) AS inserted,
       pg_catalog.count(*) FILTER (WHERE NOT inserted) AS updated
FROM m;

-- name: verify
-- Staged rows missing from the target or different there (must be none),
-- and the first such row's position.
SELECT pg_catalog.count(*) AS mismatched, pg_catalog.min(s.ord) AS first_ord
FROM pg_temp.ausdash_stage_unresolved_price_items s
LEFT JOIN public.unresolved_price_items t ON t.unresolved_item_id = s.unresolved_item_id
WHERE t.unresolved_item_id IS NULL
   OR (t.batch_id, t.source_id, t.raw_snapshot_id, t.status, t.created_at,
      t.observed_at, t.merchant_name, t.merchant_slug, t.region_code, t.title,
      t.external_product_id, t.external_offer_id, t.price_amount,
      t.unit_price_amount, t.normalized_quantity, t.normalized_unit, t.listing_url,
      t.category_hint, t.product_hint, t.canonical_category_slug,
      t.canonical_category_name, t.canonical_product_slug,
      t.canonical_product_name, t.product_family_slug, t.country_of_origin,
      t.is_australian_made, t.manufacturer_name, t.domestic_value_share_band,
      t.ai_exposure_level, t.ai_exposure_reason, t.comparable_unit_basis,
      t.is_control_candidate, t.cohort_ready, t.notes, t.reconciled_at,
      t.promoted_at, t.extra)
      IS DISTINCT FROM (s.batch_id, s.source_id, s.raw_snapshot_id, s.status, s.created_at,
      s.observed_at, s.merchant_name, s.merchant_slug, s.region_code, s.title,
      s.external_product_id, s.external_offer_id, s.price_amount,
      s.unit_price_amount, s.normalized_quantity, s.normalized_unit, s.listing_url,
      s.category_hint, s.product_hint, s.canonical_category_slug,
      s.canonical_category_name, s.canonical_product_slug,
      s.canonical_product_name, s.product_family_slug, s.country_of_origin,
      s.is_australian_made, s.manufacturer_name, s.domestic_value_share_band,
      s.ai_exposure_level, s.ai_exposure_reason, s.comparable_unit_basis,
      s.is_control_candidate, s.cohort_ready, s.notes, s.reconciled_at,
      s.promoted_at, s.extra);
