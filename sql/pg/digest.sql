-- sql/pg/digest.sql - a record's digest computed by the server, the same
-- as digest_record() in lib/model/digest.c computes from the store's JSON
-- (the rule is in lib/model/digest.h).  Templates, put together by
-- lib/pg/sqlbuild.c.

-- name: record
-- The first 64 bits of the SHA-256 of {fields} (each field's text, below),
-- as a bigint.
('x' || pg_catalog.substr(pg_catalog.encode(pg_catalog.sha256(
  pg_catalog.convert_to('' {fields}, 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint

-- name: field
-- "column=value" and a 0x1f; nothing when the value is NULL.
 || COALESCE('{column}=' || ({value})::text || pg_catalog.chr(31), '')

-- name: key_separator
-- Between the fields of a key, joined as lib/model/digest.c joins them.
 || '|' ||
