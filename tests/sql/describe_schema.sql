-- tests/sql/describe_schema.sql - a stable, reviewable description of the
-- schema that migrations build (and of ausdash's own ledger schema).
-- "make schema-expected" writes it to sql/schema.expected; the test
-- tests/t/020_schema.t compares a fresh database with that file, so an
-- unreviewed schema change fails "make check".
WITH rels AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.reloptions
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname IN ('public', 'ausdash') AND c.relkind IN ('r', 'p', 'v', 'm')
),
lines AS (
  SELECT r.nspname, r.relname, 0 AS kind, 0 AS ord,
         'table ' || r.nspname || '.' || r.relname AS line
  FROM rels r
  UNION ALL
  SELECT r.nspname, r.relname, 0, 1,
         '  with ' || pg_catalog.array_to_string(r.reloptions, ', ')
  FROM rels r WHERE r.reloptions IS NOT NULL
  UNION ALL
  SELECT r.nspname, r.relname, 1, a.attnum,
         '  column ' || a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || COALESCE(' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid), '')
         || CASE WHEN a.attidentity <> '' THEN ' identity' ELSE '' END
  FROM rels r
  JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
  UNION ALL
  SELECT r.nspname, r.relname, 2, 0,
         '  constraint ' || co.conname || ' ' || pg_catalog.pg_get_constraintdef(co.oid)
  FROM rels r JOIN pg_catalog.pg_constraint co ON co.conrelid = r.oid
  UNION ALL
  SELECT r.nspname, r.relname, 3, 0,
         '  index ' || i.relname || ' ' || pg_catalog.pg_get_indexdef(i.oid)
  FROM rels r
  JOIN pg_catalog.pg_index x ON x.indrelid = r.oid
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  UNION ALL
  SELECT r.nspname, r.relname, 4, 0,
         '  trigger ' || t.tgname || ' ' || pg_catalog.pg_get_triggerdef(t.oid)
  FROM rels r
  JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
)
SELECT line FROM lines ORDER BY nspname, relname, kind, ord, line;
