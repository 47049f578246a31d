-- 0003_store_extras: what a lossless round trip of live-store.json needs
-- beyond the dashboard's tables: the store's own version and updatedAt,
-- and the price-intake arrays (priceIntakeBatches, unresolvedPriceItems).

-- One row: the store document's top-level version and updatedAt.
CREATE TABLE public.store_meta (
  singleton boolean NOT NULL DEFAULT true,
  store_version integer NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT store_meta_pkey PRIMARY KEY (singleton),
  CONSTRAINT store_meta_singleton_check CHECK (singleton),
  CONSTRAINT store_meta_version_check CHECK (store_version = 1)
);

CREATE TABLE public.price_intake_batches (
  batch_id text NOT NULL,
  source_id text NOT NULL,
  captured_at timestamptz NOT NULL,
  raw_snapshot_id text NOT NULL,
  item_count integer NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT price_intake_batches_pkey PRIMARY KEY (batch_id),
  CONSTRAINT price_intake_batches_item_count_check CHECK (item_count >= 0)
);

-- Known fields as columns (NULL when the store omits them); any other
-- field of an item is kept in extra, so nothing is dropped.
CREATE TABLE public.unresolved_price_items (
  unresolved_item_id text NOT NULL,
  batch_id text NOT NULL,
  source_id text NOT NULL,
  raw_snapshot_id text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  observed_at timestamptz NOT NULL,
  merchant_name text NOT NULL,
  merchant_slug text,
  region_code text NOT NULL,
  title text NOT NULL,
  external_product_id text,
  external_offer_id text NOT NULL,
  price_amount numeric NOT NULL,
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
  extra jsonb,
  CONSTRAINT unresolved_price_items_pkey PRIMARY KEY (unresolved_item_id),
  CONSTRAINT unresolved_price_items_status_check
    CHECK (status IN ('open', 'reconciled', 'promoted')),
  CONSTRAINT unresolved_price_items_ai_exposure_check
    CHECK (ai_exposure_level IS NULL OR ai_exposure_level IN ('low', 'medium', 'high'))
);

CREATE INDEX unresolved_price_items_batch_idx
  ON public.unresolved_price_items (batch_id);
