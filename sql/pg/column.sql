-- sql/pg/column.sql - a column of an entity's table (over alias t), as the
-- tools read it; lib/pg/sqlbuild.c picks one by the column's kind.  Templates:
-- {column} is the column's name.

-- name: text
t.{column}::text

-- name: epoch_ms
-- A timestamp as epoch milliseconds, the store's precision.
pg_catalog.floor(EXTRACT(epoch FROM t.{column}) * 1000)::bigint

-- name: numeric_text
-- A number as text without trailing zeros (1.50 -> 1.5), as JSON writes it.
pg_catalog.trim_scale(t.{column})::text

-- name: name
-- The column itself (an ORDER BY, a key).
t.{column}
