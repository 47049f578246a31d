/*
 * lib/load/storeingest.c - an ingest run applied to live-store.json.
 */
#include "base/common.h"


#include "feed/feed.h"
#include "model/digest.h"
#include "base/isotime.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sbuf.h"
#include "load/storeingest.h"
#include "store/storeread.h"
#include "store/storewrite.h"
#include "base/timeutil.h"
#include "base/banned.h"


typedef struct item
{
	char	   *key;
	entity_record *rec;			/* the payload's */
	entity_record *old;			/* the store's before, if any */
	long long	order;			/* first occurrence in the payload */
	long long	seq;			/* last occurrence */
	bool		placed;
	bool		written;		/* the store now holds rec */
} item;

struct storeingest
{
	item	   *items;
	long long	n;
	long long	cap;
	bool		ready;			/* deduplicated and sorted by key */
};

typedef struct apply_state
{
	storeingest *si;
	const storeingest_run *run;
	storeingest_result *res;
	storewrite *sw;
	bool		seen[16];
	bool		cursor_written;
	bool		move_cursor;
	char		now[25];
	char		run_id[200];
	char		counts[2][24];
} apply_state;

storeingest *
storeingest_new(void)
{
	return mem_calloc(1, sizeof(storeingest));
}

void
storeingest_free(storeingest **sip)
{
	storeingest *si = *sip;

	if (si == NULL)
		return;
	for (long long i = 0; i < si->n; i++)
	{
		free(si->items[i].key);
		free(si->items[i].rec);
		free(si->items[i].old);
	}
	free(si->items);
	free(si);
	*sip = NULL;
}

/* The store's observation key (seriesId|regionCode|date|vintage). */
static char *
obs_key(const entity_record *rec)
{
	sbuf		key;

	sbuf_init(&key);
	digest_key(entity_find("observations"), rec, &key);
	return sbuf_detach(&key, NULL);
}

void
storeingest_add(storeingest *si, const entity_record *rec)
{
	item	   *it;

	if (si->n == si->cap)
	{
		si->cap = si->cap ? si->cap * 2 : 256;
		si->items = mem_realloc(si->items, si->cap * sizeof(item));
	}
	it = &si->items[si->n];
	memset(it, 0, sizeof(*it));
	it->key = obs_key(rec);
	it->rec = entity_record_dup(rec);
	it->order = it->seq = si->n++;
	si->ready = false;
}

static int
item_key_cmp(const void *a, const void *b)
{
	const item *x = a;
	const item *y = b;
	int			c = strcmp(x->key, y->key);

	return c ? c : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static int
item_order_cmp(const void *a, const void *b)
{
	const item *const *x = a;
	const item *const *y = b;

	return (*x)->order < (*y)->order ? -1 : (*x)->order > (*y)->order;
}

/* One item per key: the last record, at the place of the first. */
static void
prepare(storeingest *si)
{
	long long	out = 0;

	if (si->ready)
		return;
	if (si->n > 1)
		qsort(si->items, si->n, sizeof(item), item_key_cmp);
	for (long long i = 0; i < si->n; i++)
	{
		if (out > 0 && strcmp(si->items[out - 1].key, si->items[i].key) == 0)
		{
			long long	first = si->items[out - 1].order;

			free(si->items[out - 1].key);
			free(si->items[out - 1].rec);
			si->items[out - 1] = si->items[i];
			si->items[out - 1].order = first;
			continue;
		}
		si->items[out++] = si->items[i];
	}
	si->n = out;
	si->ready = true;
}

/* The payload's item of rec's key (binary search; one item per key). */
static item *
find(storeingest *si, const entity_record *rec)
{
	char	   *key = obs_key(rec);
	long long	lo = 0,
				hi = si->n;
	item	   *it;

	while (lo < hi)
	{
		long long	mid = (lo + hi) / 2;

		if (strcmp(si->items[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	it = lo < si->n && strcmp(si->items[lo].key, key) == 0 ? &si->items[lo] : NULL;
	free(key);
	return it;
}

static bool
field_is(const entity_record *rec, const char *name, const char *value)
{
	const entity_field *f = entity_record_field(rec, name);

	return f && f->len == strlen(value) && memcmp(f->val, value, f->len) == 0;
}

/* --- the two reads ---------------------------------------------------------- */

static bool
first_record(void *arg, const entity_desc *d, const entity_record *rec)
{
	apply_state *st = arg;
	const storeingest_run *run = st->run;

	if (strcmp(d->name, "rawSnapshots") == 0 && field_is(rec, "sourceId", run->source_id) &&
		field_is(rec, "checksumSha256", run->checksum))
	{
		const entity_field *id = entity_record_field(rec, "snapshotId");

		st->res->duplicate = true;
		snprintf(st->res->duplicate_of, sizeof(st->res->duplicate_of), "%.*s",
				 id ? (int) id->len : 1, id ? id->val : "?");
	}
	else if (strcmp(d->name, "sourceCursors") == 0 && field_is(rec, "sourceId", run->source_id))
	{
		const entity_field *c = entity_record_field(rec, "cursor");

		if (c)
			snprintf(st->res->old_cursor, sizeof(st->res->old_cursor), "%.*s", (int) c->len,
					 c->val);
	}
	else if (strcmp(d->name, "observations") == 0)
	{
		item	   *it = find(st->si, rec);

		if (it && it->old == NULL)
			it->old = entity_record_dup(rec);
	}
	return true;
}

static void
write_fields(storewrite *sw, int n, const char *const *names, const char *const *vals,
			 const entity_json_type *types)
{
	entity_field f[16];
	entity_record rec = {0};

	memset(f, 0, sizeof(f));
	for (int i = 0; i < n; i++)
	{
		f[rec.nfields].name = names[i];
		f[rec.nfields].val = vals[i];
		f[rec.nfields].len = vals[i] ? strlen(vals[i]) : 0;
		f[rec.nfields].type = types[i];
		if (vals[i])
			rec.nfields++;
	}
	rec.fields = f;
	storewrite_record(sw, &rec);
}

static const entity_json_type S = ENTITY_JSON_STRING;
static const entity_json_type N = ENTITY_JSON_NUMBER;

static void
write_cursor(apply_state *st)
{
	static const char *const names[] = {"sourceId", "cursor", "updatedAt"};
	const char *vals[] = {st->run->source_id, st->run->cursor, st->now};
	const entity_json_type types[] = {S, S, S};

	write_fields(st->sw, 3, names, vals, types);
	st->cursor_written = true;
	st->res->cursor_moved = true;
}

static bool
second_array_begin(void *arg, const entity_desc *d)
{
	apply_state *st = arg;

	st->seen[entity_index(d)] = true;
	storewrite_array_begin(st->sw, d->name);
	return true;
}

static bool
second_record(void *arg, const entity_desc *d, const entity_record *rec)
{
	apply_state *st = arg;

	if (!st->res->duplicate && strcmp(d->name, "observations") == 0)
	{
		item	   *it = find(st->si, rec);

		if (it && !it->placed)
		{
			storewrite_record(st->sw, it->rec);
			it->placed = it->written = true;
			return true;
		}
		if (it)
			return true;		/* the store had the key twice: one place is enough */
	}
	if (st->move_cursor && strcmp(d->name, "sourceCursors") == 0 &&
		field_is(rec, "sourceId", st->run->source_id))
	{
		if (!st->cursor_written)
			write_cursor(st);
		return true;
	}
	storewrite_record(st->sw, rec);
	return true;
}

/* What the run adds at the end of an array. */
static void
append(apply_state *st, const char *name)
{
	const storeingest_run *run = st->run;
	storeingest *si = st->si;

	if (strcmp(name, "observations") == 0 && !st->res->duplicate)
	{
		item	  **order = mem_malloc((si->n + 1) * sizeof(item *));

		for (long long i = 0; i < si->n; i++)
			order[i] = &si->items[i];
		if (si->n > 1)
			qsort(order, si->n, sizeof(item *), item_order_cmp);
		for (long long i = 0; i < si->n; i++)
			if (!order[i]->placed)
			{
				storewrite_record(st->sw, order[i]->rec);
				order[i]->placed = order[i]->written = true;
			}
		free(order);
	}
	else if (strcmp(name, "rawSnapshots") == 0 && !st->res->duplicate)
	{
		static const char *const names[] = {"snapshotId", "sourceId", "checksumSha256",
		"capturedAt", "contentType", "payload"};
		const char *vals[] = {run->snapshot_id, run->source_id, run->checksum,
		run->captured_at, run->content_type, run->payload};
		const entity_json_type types[] = {S, S, S, S, S, S};

		write_fields(st->sw, 6, names, vals, types);
	}
	else if (strcmp(name, "sourceCursors") == 0 && st->move_cursor && !st->cursor_written)
		write_cursor(st);
	else if (strcmp(name, "ingestionRuns") == 0)
	{
		static const char *const names[] = {"runId", "job", "status", "startedAt",
		"finishedAt", "rowsInserted", "rowsUpdated", "runMode"};
		const char *vals[] = {st->run_id, run->job, "ok", run->captured_at, st->now,
		st->counts[0], st->counts[1], run->run_mode};
		const entity_json_type types[] = {S, S, S, S, S, N, N, S};

		write_fields(st->sw, 8, names, vals, types);
	}
}

static bool
second_array_end(void *arg, const entity_desc *d, long long n)
{
	apply_state *st = arg;

	append(st, d->name);
	storewrite_array_end(st->sw);
	return true;
}

/* Reads the store once through handler h; false (logged) on an error. */
static bool
read_store(const char *path, const storeread_handler *h, apply_state *st)
{
	if (storeread_file(path, h, st, false, &st->res->exit_code))
		return true;
	if (st->res->exit_code == AUSDASH_EXIT_NOINPUT)
		log_hint("The store backend updates an existing store; set AUS_DASH_STORE_PATH.");
	return false;
}

bool
storeingest_apply(storeingest *si, const storeingest_run *run, storeingest_result *res)
{
	static const storeread_handler first = {NULL, NULL, first_record, NULL};
	static const storeread_handler second = {NULL, second_array_begin, second_record,
	second_array_end};
	static const char *const optional[] = {"rawSnapshots", "priceIntakeBatches",
	"unresolvedPriceItems", NULL};
	apply_state st = {0};
	int64_t		now = timeutil_epoch_ms();

	memset(res, 0, sizeof(*res));
	res->exit_code = AUSDASH_EXIT_FAILURE;
	prepare(si);
	st.si = si;
	st.run = run;
	st.res = res;
	isotime_format(now, false, st.now);
	if (run->run_id)
		snprintf(st.run_id, sizeof(st.run_id), "%s", run->run_id);
	else
		snprintf(st.run_id, sizeof(st.run_id), "%s-%lld", run->job, (long long) now);

	/* the lock first: nobody writes between the two reads and the rename */
	st.sw = storewrite_open(run->path, run->lock_wait_ms, &res->locked);
	if (st.sw == NULL)
	{
		res->exit_code = res->locked ? AUSDASH_EXIT_LOCKED : AUSDASH_EXIT_IOERR;
		return false;
	}
	if (!read_store(run->path, &first, &st))
	{
		storewrite_abort(&st.sw);
		return false;
	}
	for (long long i = 0; i < si->n && !res->duplicate; i++)
	{
		if (si->items[i].old)
			res->updated++;
		else
			res->inserted++;
	}
	snprintf(st.counts[0], sizeof(st.counts[0]), "%lld", res->inserted);
	snprintf(st.counts[1], sizeof(st.counts[1]), "%lld", res->updated);
	st.move_cursor = !res->duplicate && run->cursor[0] &&
		!datetoken_cursor_stays(res->old_cursor, run->cursor, run->allow_rewind);
	storewrite_meta(st.sw, "1", st.now);
	if (!read_store(run->path, &second, &st))
	{
		storewrite_abort(&st.sw);
		return false;
	}
	for (int i = 0; optional[i]; i++)
	{
		if (st.seen[entity_index(entity_find(optional[i]))])
			continue;
		storewrite_array_begin(st.sw, optional[i]);
		append(&st, optional[i]);
		storewrite_array_end(st.sw);
	}
	if (!storewrite_commit(&st.sw))
	{
		res->exit_code = AUSDASH_EXIT_IOERR;
		return false;
	}
	res->exit_code = AUSDASH_EXIT_OK;
	return true;
}

void
storeingest_each(const storeingest *si,
				 void (*fn) (void *arg, const char *key, const entity_record *now), void *arg)
{
	for (long long i = 0; i < si->n; i++)
	{
		const item *it = &si->items[i];

		fn(arg, it->key, it->written ? it->rec : it->old);
	}
}
