/*
 * lib/store/readerup.c - the dashboard reader's source-mix seed.
 */
#include "base/common.h"

#include "store/readerup.h"
#include "base/banned.h"

bool
readerup_is_source_mix(const entity_desc *d, const entity_record *rec)
{
	const entity_field *f;

	if (strcmp(d->name, "observations") != 0 ||
		(f = entity_record_field(rec, "seriesId")) == NULL || f->type != ENTITY_JSON_STRING)
		return false;
	return f->len >= strlen(READERUP_SOURCE_MIX_PREFIX) &&
		memcmp(f->val, READERUP_SOURCE_MIX_PREFIX, strlen(READERUP_SOURCE_MIX_PREFIX)) == 0;
}

const char *
readerup_seed_path(const char *seed)
{
	const char *env = getenv("AUS_DASH_SEED_STORE_PATH");

	if (seed && *seed)
		return seed;
	return env && *env ? env : NULL;
}

typedef struct seeding
{
	const storeread_handler *to;
	void	   *arg;
	long long	index;			/* the next record's index */
	long long	added;
	bool		open;			/* the observations array was begun */
} seeding;

static bool
seed_record(void *arg, const entity_desc *d, const entity_record *rec)
{
	seeding    *s = arg;
	entity_record r;

	if (!readerup_is_source_mix(d, rec))
		return true;
	if (!s->open)
	{
		if (s->to->array_begin && !s->to->array_begin(s->arg, d))
			return false;
		s->open = true;
	}
	r = *rec;
	r.index = s->index++;
	s->added++;
	return s->to->record(s->arg, d, &r);
}

bool
readerup_seed_source_mix(const char *seed, const storeread_handler *handler, void *arg,
						 long long index_base, long long *added, int *exit_code)
{
	static const storeread_handler filter = {NULL, NULL, seed_record, NULL};
	seeding		s = {handler, arg, index_base, 0, false};
	bool		ok;

	ok = storeread_file(seed, &filter, &s, true, exit_code);
	if (s.open && handler->array_end &&
		!handler->array_end(arg, entity_find("observations"), s.added))
		ok = false;
	*added = s.added;
	return ok;
}
