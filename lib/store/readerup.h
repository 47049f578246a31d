/*
 * lib/store/readerup.h - what the dashboard's store reader adds to a store
 * on every read (aus-dash-reference.md section 1, "Reader behaviour"), so
 * that what ausdash loads and compares is what the dashboard served.
 *
 * From its f8ac5e8 era on, the reader appends its seeded source-mix
 * observations (every observation whose seriesId starts with
 * "energy.source_mix.") when the store holds none.  Those rows are the
 * dashboard's own data: they are read from its seed store (its committed
 * data/live-store.json, which is its seed), named by --reader-seed or
 * AUS_DASH_SEED_STORE_PATH; ausdash carries no copy of them.  (The
 * reader's other upgrades, empty arrays for the missing ones and the
 * canonical source catalog, are migration 0004's and ausdash-export's.)
 */
#ifndef AUSDASH_READERUP_H
#define AUSDASH_READERUP_H

#include <stdbool.h>

#include "model/entity.h"
#include "store/storeread.h"

#define READERUP_SOURCE_MIX_PREFIX "energy.source_mix."

/* True when rec is an observation of the source mix. */
bool		readerup_is_source_mix(const entity_desc *d, const entity_record *rec);

/* The seed store: seed if not NULL, else $AUS_DASH_SEED_STORE_PATH, else NULL. */
const char *readerup_seed_path(const char *seed);

/*
 * Reads the source-mix observations of the seed store through handler as
 * records of the "observations" array (array_begin and array_end around
 * them; nothing else of the seed is handed over), their indexes counted on
 * from index_base, so that they follow the store's own.  Sets *added.
 * False (logged) when the seed cannot be read or the handler stopped;
 * *exit_code (if not NULL) as storeread_file() sets it.
 */
bool		readerup_seed_source_mix(const char *seed, const storeread_handler *handler,
									 void *arg, long long index_base, long long *added,
									 int *exit_code);

#endif
