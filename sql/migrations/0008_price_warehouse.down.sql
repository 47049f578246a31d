-- 0008_price_warehouse (down): the price warehouse and all it holds.
DROP TABLE public.index_weights;
DROP TABLE public.index_basket_versions;
DROP TABLE public.index_definitions;
DROP TABLE public.price_rollups_daily;
DROP TABLE public.price_observations;
DROP TABLE public.offers;
DROP TABLE public.merchant_locations;
DROP TABLE public.product_aliases;
DROP TABLE public.merchants;
DROP TABLE public.products;
DROP TABLE public.product_categories;
