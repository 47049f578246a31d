/*
 * lib/model/entity.h - the store's record types, field by field, and the
 * table and columns each one lands in.
 *
 * One descriptor per top-level array of live-store.json
 * (aus-dash-reference.md section 1).  The reader (storeread) produces
 * entity_record values; the stager (stage) checks each field against its
 * descriptor and writes the row.  The export path reads the same table.
 */
#ifndef AUSDASH_ENTITY_H
#define AUSDASH_ENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sbuf.h"

/* The JSON type of a field's value as it appeared in the input. */
typedef enum entity_json_type
{
	ENTITY_JSON_NULL,
	ENTITY_JSON_BOOL,			/* val is "true" or "false" */
	ENTITY_JSON_NUMBER,			/* val is the number's text, unchanged */
	ENTITY_JSON_STRING,			/* val is the decoded UTF-8 string */
	ENTITY_JSON_CONTAINER		/* val is the object or array as JSON text */
} entity_json_type;

typedef struct entity_field
{
	const char *name;			/* NUL-terminated */
	entity_json_type type;
	const char *val;			/* NUL-terminated; may contain NULs (strings) */
	size_t		len;
	uint64_t	line;			/* 1-based line of the value */
	uint64_t	offset;			/* byte offset of the value in the input */
} entity_field;

/* One record (array element); storage belongs to whoever produced it. */
typedef struct entity_record
{
	const char *entity;			/* top-level key, e.g. "observations" */
	long long	index;			/* position in its array, from 0 */
	uint64_t	line;			/* where the record starts */
	uint64_t	offset;
	int			nfields;
	const entity_field *fields;
	/*
	 * The digest of the record's text when a store reader gave it
	 * (has_digest): the 64-bit XXH3 of its JSON text exactly as read, from
	 * its brace to its brace, seeded with ENTITY_RECORD_DIGEST_SEED.  What
	 * a row keeps is entity_record_place_digest().
	 */
	bool		has_digest;
	uint64_t	digest;
} entity_record;

/*
 * The seed of entity_record.digest.  A backfill keeps the digest of the
 * record each row was copied from (store_digest) and trusts a record with
 * the same digest at the same place to give the same row: change this
 * whenever the same record text would be checked or copied otherwise (a
 * column, a check, the layout JSON), so that every row is compared again
 * (tests/unit/test_entity.c fails until it is changed).
 */
#define ENTITY_RECORD_DIGEST_SEED 1

/* What a column holds, and so how a field is checked. */
typedef enum entity_kind
{
	ENTITY_TEXT,				/* any string without NUL */
	ENTITY_ENUM,				/* a string from column.allowed */
	ENTITY_TIMESTAMP,			/* an ISO 8601 string (isotime) */
	ENTITY_NUMERIC,				/* any JSON number, kept as text */
	ENTITY_INT,					/* a JSON integer in int4 range */
	ENTITY_COUNT,				/* a JSON integer in 0..2^31-1 */
	ENTITY_BOOL,				/* true or false */
	ENTITY_SHA256				/* 64 lowercase hex digits */
} entity_kind;

typedef struct entity_column
{
	const char *field;			/* JSON field name */
	const char *column;			/* SQL column */
	entity_kind kind;
	bool		required;
	const char *const *allowed; /* ENTITY_ENUM: NULL-terminated list */
} entity_column;

typedef struct entity_desc entity_desc;

/*
 * A check over the whole record after each field passed (e.g. a raw
 * snapshot's checksum).  Returns false with the reason in why and the
 * offending field's name in *field.
 */
typedef bool (*entity_check_fn) (const entity_desc *d, const entity_record *rec,
								 sbuf *why, const char **field);

struct entity_desc
{
	const char *name;			/* top-level key in the store */
	const char *table;			/* target table (schema public) */
	const char *constraint_name;	/* the unique constraint of the key */
	const entity_column *columns;
	int			ncolumns;
	const char *const *key;		/* JSON fields of the unique key */
	bool		extra;			/* unknown fields go to an "extra" jsonb column */
	entity_check_fn check;
	bool		digested;		/* its table has ENTITY_DIGEST_COLUMN */
};

/*
 * The column of every entity's table that keeps its record's place in the
 * store's array (migration 0009; NULL for rows no backfill placed).
 */
#define ENTITY_POSITION_COLUMN "store_ord"

/* Its companion: the record's field order, when not the export's (jsonb). */
#define ENTITY_LAYOUT_COLUMN "store_fields"

/*
 * And, in the tables of the entities marked digested (migration 0010), the
 * digest of the row as a backfill last copied it (bigint; NULL once
 * another writer updated the row).
 */
#define ENTITY_DIGEST_COLUMN "store_digest"

/* The SQL type of a kind ("text", "timestamptz", ...). */
const char *entity_sql_type(entity_kind kind);

/* The store's entity arrays, in the order they are merged. */
extern const entity_desc *const entity_all[];
extern const int entity_count;

/* The descriptor of a top-level key, or NULL. */
const entity_desc *entity_find(const char *name);

/* d's position in entity_all (0 .. entity_count-1). */
int			entity_index(const entity_desc *d);

/*
 * Appends the JSON path of a record, or of one of its fields (field may be
 * NULL), to out: "observations[1042]" or "observations[1042].publishedAt".
 */
void		entity_path(sbuf *out, const char *entity, long long index, const char *field);

/* The column for a JSON field name, or NULL. */
const entity_column *entity_column_find(const entity_desc *d, const char *field);

/* The field of a record by name (last occurrence), or NULL. */
const entity_field *entity_record_field(const entity_record *rec, const char *name);
/*
 * The same for a checked record (no field twice), looking from *hint
 * (start at 0) on and setting it past the field found: a caller that asks
 * for fields in the order the record tends to hold them finds each at the
 * first look.
 */
const entity_field *entity_record_field_next(const entity_record *rec, const char *name,
											 int *hint);

/*
 * Checks one field's value against its column.  Returns false with the
 * reason appended to why (a lower-case phrase, e.g. "expected a string,
 * found a number").  A null value is accepted for optional columns (it
 * means absent).
 */
bool		entity_check_value(const entity_column *c, const entity_field *f, sbuf *why);

/* "a string", "a number", ... for messages. */
const char *entity_json_type_name(entity_json_type t);

/* The most columns an entity has (bycol arrays are this long). */
#define ENTITY_MAX_COLUMNS 64

/*
 * Checks a whole record: each known field, no field twice, required
 * fields present, unknown fields (an error unless d->extra or
 * allow_unknown), then d->check.  Fills bycol[i] with the field of column
 * i (NULL when absent).  On failure appends the reason to why, sets *field
 * to the offending field name (NULL for the record itself) and returns
 * false.
 */
bool		entity_check_record(const entity_desc *d, const entity_record *rec,
								bool allow_unknown, const entity_field **bycol,
								sbuf *why, const char **field);

/*
 * Appends the record as one JSON object (fields in input order, numbers as
 * their text) to out; used to write rejected records.
 */
void		entity_record_to_json(const entity_record *rec, sbuf *out);

/*
 * Appends the fields that have no column (d->extra) as one JSON object to
 * out; returns the number of such fields (0: nothing appended).
 */
int			entity_extra_to_json(const entity_desc *d, const entity_record *rec,
								 sbuf *out);

/*
 * The record's layout when ausdash-export would not write it back as it
 * came (bycol as entity_check_record() filled it): the names of its stored
 * fields (columns, including those given as
 * null, and with d->extra the free ones) as one JSON array in input order,
 * appended to out; returns false, appending nothing, when the export's own
 * order gives the same (the columns present, in the descriptor's order,
 * then the free fields in jsonb's key order).
 */
bool		entity_layout_json(const entity_desc *d, const entity_record *rec,
							   const entity_field *const *bycol, sbuf *out);

/*
 * A copy of rec with its fields and their text in one allocation (free()
 * it); rec->entity is kept as a pointer.
 */
entity_record *entity_record_dup(const entity_record *rec);

/*
 * The digest of the record (its text: has_digest must be set) at its place
 * (index): what a backfill keeps in the row (store_digest).  A row moved to
 * another place gets another one, so an update that keeps a row's digest
 * is never a backfill's (the trigger of migration 0010).
 */
uint64_t	entity_record_place_digest(const entity_record *rec);

#endif
