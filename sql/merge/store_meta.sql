-- sql/merge/store_meta.sql - the store's own "version" and "updatedAt".
--
-- One row (public.store_meta), replaced when different.  $1 is the
-- version, $2 the updatedAt timestamp.

-- name: merge
WITH m AS (
  INSERT INTO public.store_meta AS t (singleton, store_version, updated_at)
  VALUES (true, $1::integer, $2::timestamptz)
  ON CONFLICT ON CONSTRAINT store_meta_pkey DO UPDATE SET
    store_version = EXCLUDED.store_version,
    updated_at = EXCLUDED.updated_at
  WHERE (t.store_version, t.updated_at)
        IS DISTINCT FROM (EXCLUDED.store_version, EXCLUDED.updated_at)
  RETURNING (t.xmax = 0) AS inserted
)
SELECT 1 AS changed,
       pg_catalog.count(*) FILTER (WHERE inserted) AS inserted,
       pg_catalog.count(*) FILTER (WHERE NOT inserted) AS updated
FROM m;

-- name: verify
SELECT pg_catalog.count(*) FILTER (WHERE NOT (store_version = $1::integer
                                              AND updated_at = $2::timestamptz))
         + 1 - pg_catalog.count(*) AS mismatched,
       NULL::bigint AS first_ord
FROM public.store_meta;
