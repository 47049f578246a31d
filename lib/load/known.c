/*
 * lib/load/known.c - a table's digests by place, read beside the main
 * connection and matched with records in order (see known.h).
 */
#include "base/common.h"

#include "pg/copy.h"
#include "pg/db.h"
#include "load/known.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sbuf.h"
#include "pg/sqlset.h"
#include "base/banned.h"

/*
 * A set of places, added in ascending order, kept as ranges [lo, hi): the
 * texts of two int8[] literals, their lower and their upper bounds (the
 * last range still open).  (Not an int8multirange: the server took 2.2 s
 * to read one of the 100,000 ranges of a store with every tenth value
 * changed; an array of bigints takes milliseconds.)
 */
typedef struct posset
{
	sbuf		lo_text;
	sbuf		hi_text;
	long long	lo;				/* the open range [lo, hi), if hi > 0 */
	long long	hi;
	bool		closed;
} posset;

struct known
{
	PGconn	   *conn;			/* the second connection, until stopped */
	copy_reader *in;			/* NULL once read to the end or failed */
	bool		failed;			/* it failed before its end */
	bool		have;			/* a row is read and not yet passed: */
	long long	ord;			/* its place (else the last one read) */
	int64_t		digest;
	bool		no_digest;		/* (NULL) */
	posset		held;
	posset		gone;
};

/* Appends the range [lo, hi) to the two literals. */
static void
posset_range(posset *p, long long lo, long long hi)
{
	sbuf_appendf(&p->lo_text, "%s%lld", p->lo_text.len > 1 ? "," : "", lo);
	sbuf_appendf(&p->hi_text, "%s%lld", p->hi_text.len > 1 ? "," : "", hi);
}

static void
posset_add(posset *p, long long ord)
{
	if (p->hi > 0 && ord == p->hi)
	{
		p->hi++;
		return;
	}
	if (p->lo_text.len == 0)
	{
		sbuf_appendc(&p->lo_text, '{');
		sbuf_appendc(&p->hi_text, '{');
	}
	if (p->hi > 0)
		posset_range(p, p->lo, p->hi);
	p->lo = ord;
	p->hi = ord + 1;
}

/*
 * Closes the set; with tail >= 0, every place from tail on is in it too
 * (up to the largest bigint).
 */
static void
posset_close(posset *p, long long tail)
{
	if (p->closed)
		return;
	if (p->lo_text.len == 0)
	{
		sbuf_appendc(&p->lo_text, '{');
		sbuf_appendc(&p->hi_text, '{');
	}
	if (p->hi > 0 && tail >= 0 && tail <= p->hi)
	{
		tail = p->lo;			/* the open range runs on */
		p->hi = 0;
	}
	if (p->hi > 0)
		posset_range(p, p->lo, p->hi);
	if (tail >= 0)
		posset_range(p, tail, INT64_MAX);
	sbuf_appendc(&p->lo_text, '}');
	sbuf_appendc(&p->hi_text, '}');
	p->hi = 0;
	p->closed = true;
}

/* A decimal bigint as COPY writes it (strtoll's work without its generality). */
static long long
parse_ll(const char *p, const char **end)
{
	bool		neg = *p == '-';
	unsigned long long u = 0;

	p += neg;
	while (*p >= '0' && *p <= '9')
		u = u * 10 + (unsigned long long) (*p++ - '0');
	if (end)
		*end = p;
	return neg ? (long long) (0 - u) : (long long) u;
}

/* Reads the next row; at the end or on a failure there is none. */
static void
advance(known *k)
{
	const char *row;
	const char *end;
	int			n;

	k->have = false;
	if (k->in == NULL)
		return;
	if ((n = copy_out_next(k->in, &row)) <= 0)
	{
		k->failed = n < 0;
		copy_out_end(&k->in);
		db_disconnect(&k->conn);
		return;
	}
	k->ord = parse_ll(row, &end);
	k->no_digest = strcmp(end, "\t\\N") == 0;
	k->digest = k->no_digest ? 0 : (int64_t) parse_ll(end + 1, NULL);
	k->have = true;
}

known *
known_open(PGconn *conn, const entity_desc *d)
{
	known	   *k = mem_calloc(1, sizeof(*k));
	sbuf		sql;

	sbuf_init(&k->held.lo_text);
	sbuf_init(&k->held.hi_text);
	sbuf_init(&k->gone.lo_text);
	sbuf_init(&k->gone.hi_text);
	k->ord = -1;
	sbuf_init(&sql);
	sqlset_render(SQLSET_KNOWN_DIGESTS, &sql, (const char *const[]) {"table", d->table, NULL});
	if ((k->conn = db_connect_beside(conn)) == NULL ||
		!db_command(k->conn, sqlset_sql(SQLSET_TXN_READER_SETTINGS), 0, NULL) ||
		(k->in = copy_out_begin(k->conn, sql.data)) == NULL)
	{
		log_info("comparing every record of public.%s: its digests could not be read",
				 d->table);
		known_free(&k);
	}
	else
		advance(k);
	sbuf_release(&sql);
	return k;
}

bool
known_matches(known *k, long long ord, uint64_t digest)
{
	bool		match;

	if (k == NULL || k->held.closed)
		return false;
	while (k->have && k->ord < ord)
	{
		posset_add(&k->gone, k->ord);
		advance(k);
	}
	if (!k->have || k->ord != ord)
		return false;
	match = !k->no_digest && k->digest == (int64_t) digest;
	advance(k);
	/* a place held twice is no one's */
	while (k->have && k->ord == ord)
	{
		match = false;
		advance(k);
	}
	posset_add(match ? &k->held : &k->gone, ord);
	return match;
}

void
known_stop(known *k)
{
	long long	tail = -1;

	if (k == NULL || k->held.closed)
		return;
	if (k->have)
		tail = k->ord;			/* that row and the rest were not passed */
	else if (k->in || k->failed)
		tail = k->ord + 1;
	copy_out_end(&k->in);
	db_disconnect(&k->conn);
	k->have = false;
	posset_close(&k->gone, tail);
	posset_close(&k->held, -1);
}

void
known_held(known *k, const char *bounds[2])
{
	known_stop(k);
	bounds[0] = k->held.lo_text.data;
	bounds[1] = k->held.hi_text.data;
}

void
known_gone(known *k, const char *bounds[2])
{
	known_stop(k);
	bounds[0] = k->gone.lo_text.data;
	bounds[1] = k->gone.hi_text.data;
}

void
known_free(known **kp)
{
	known	   *k = *kp;

	if (k == NULL)
		return;
	copy_out_end(&k->in);
	db_disconnect(&k->conn);
	sbuf_release(&k->held.lo_text);
	sbuf_release(&k->held.hi_text);
	sbuf_release(&k->gone.lo_text);
	sbuf_release(&k->gone.hi_text);
	free(k);
	*kp = NULL;
}
