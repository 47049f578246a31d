/*
 * lib/store/storeread.h - a streaming reader of live-store.json.
 *
 * The input is fed in chunks of any size to yajl; each element of a
 * top-level entity array is handed over as one entity_record as soon as
 * its closing brace is read, and then forgotten.  Memory is bounded by the
 * largest record (a raw snapshot's payload), never by the file.  Numbers
 * keep their JSON text.  Every position is known as line, byte offset and
 * JSON path (observations[1042].publishedAt).
 *
 * The shape is checked here: one top-level object; "version" must be 1;
 * "updatedAt" a timestamp; each known array at most once; the arrays
 * observations, sources, sourceCursors and ingestionRuns present
 * (rawSnapshots and the price arrays may be missing, the legacy shapes);
 * an unknown top-level key is an error unless ignore_unknown is set.
 * Field-level checks belong to entity_check_record().
 */
#ifndef AUSDASH_STOREREAD_H
#define AUSDASH_STOREREAD_H

#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "model/entity.h"
#include "base/sbuf.h"

typedef struct storeread_handler
{
	/* "version" or "updatedAt", after its check; may be NULL */
	bool		(*meta) (void *arg, const entity_field *f);
	/* an entity array opens; may be NULL */
	bool		(*array_begin) (void *arg, const entity_desc *d);
	/* one element of it (any object; check it with entity_check_record) */
	bool		(*record) (void *arg, const entity_desc *d, const entity_record *rec);
	/* the array closed after n elements; may be NULL */
	bool		(*array_end) (void *arg, const entity_desc *d, long long n);
} storeread_handler;

typedef struct storeread storeread;

/*
 * A new reader.  name is the input's name for messages ("-" is shown as
 * "standard input"); handler and arg must outlive the reader.  A handler
 * returning false stops reading: storeread_feed() then returns false with
 * an empty storeread_error().  The caller frees it with storeread_free().
 */
storeread  *storeread_new(const char *name, const storeread_handler *handler,
						  void *arg, bool ignore_unknown);
void		storeread_free(storeread **sr);

/*
 * Reads the store file path through handler, from start to end.  False
 * (logged, with the place) when it could not be read or is not a valid
 * store; *exit_code (if not NULL) then says which: 66 missing, 74 read
 * error, 65 invalid, or what the handler left there.
 */
bool		storeread_file(const char *path, const storeread_handler *handler, void *arg,
						   bool ignore_unknown, int *exit_code);

/*
 * How many bytes the next storeread_feed() should get: STOREREAD_CHUNK,
 * or twice the last chunk's size when that chunk had no quote in it (it was
 * all inside one long string).
 * yajl lexes a token that spans chunks again from its start at each
 * chunk, so fixed chunks make a long string (a raw snapshot's payload)
 * cost its length squared; doubling keeps it linear.
 */
#define STOREREAD_CHUNK (256 * 1024)
size_t		storeread_next_chunk(const storeread *sr);

/*
 * read(2) until want bytes, end of file, an error or a signal: the bytes
 * read, 0 at the end, -1 (errno set, EINTR for a signal) when nothing was.  A pipe hands
 * out 64 kB at a time; a chunk must be whole for the doubling to work.
 */
ssize_t		storeread_read(int fd, void *buf, size_t want);

/* Reads one more chunk.  False on an error (see storeread_error()). */
bool		storeread_feed(storeread *sr, const void *buf, size_t len);
/* The input ended.  False if it was incomplete or missed required keys. */
bool		storeread_finish(storeread *sr);

/*
 * The error that stopped the reader, already with its place:
 *     "store.json", line 3, byte 1234: observations[2]: expected an object
 * Empty when a handler stopped it.  Static to the reader; do not free.
 */
const char *storeread_error(const storeread *sr);

/*
 * Appends a place in the input to out in the same form as errors:
 *     "store.json", line 3, byte 1234: observations[2].value
 * (field may be NULL for the record itself).
 */
void		storeread_where(const storeread *sr, sbuf *out, const entity_record *rec,
							const char *field);

/* Appends a place given as line and byte offset, in the same form. */
void		storeread_where_at(const storeread *sr, sbuf *out, uint64_t line,
							   uint64_t offset);

/* Top-level keys ignored so far (only with ignore_unknown). */
int			storeread_ignored_keys(const storeread *sr);

/* Bytes fed so far. */
uint64_t	storeread_bytes(const storeread *sr);

/*
 * Called with each chunk read, before the reader sees it (to checksum it,
 * count it, show progress); false stops the read: the caller says why.
 */
typedef bool (*storeread_chunk_fn) (void *arg, const void *buf, size_t len);

/*
 * Reads fd (named name in messages) to its end through sr, in the chunks
 * sr asks for.  False when the read failed (logged; *exit_code, if not
 * NULL, 74), the reader stopped (its error logged; 65, unless a handler
 * stopped it without one) or on_chunk said stop (*exit_code untouched).
 */
bool		storeread_stream(storeread *sr, int fd, const char *name,
							 storeread_chunk_fn on_chunk, void *arg, int *exit_code);

/* The store's path when none is given: the dashboard's own default. */
#define STOREREAD_DEFAULT_PATH "data/live-store.json"

/*
 * Where the dashboard keeps its store: $AUS_DASH_STORE_PATH when it is set
 * and not empty, else STOREREAD_DEFAULT_PATH (relative to the working
 * directory, as the dashboard resolves it).
 */
const char *storeread_default_path(void);

#endif
