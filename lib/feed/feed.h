/*
 * lib/feed/feed.h - source feed formats: one payload in, observations and a
 * cursor out.
 *
 * Every format is a parse function over the whole payload (a feed payload
 * is kept whole anyway: it is stored as the run's raw snapshot).  It
 * builds observation records with the store's field names
 * (aus-dash-reference.md section 1) through feed_obs_*() and hands each to
 * the caller's emit callback, which checks it against the observations
 * descriptor and stages it, exactly as backfill does with a store's
 * records.  A bad row goes to the caller's reject callback (within
 * --max-errors it is skipped); a bad payload as a whole (a wrong header,
 * a footer count that disagrees, invalid JSON) stops the parse with
 * feed_fail().
 *
 * Everything a mapping derives from "now" (ingestedAt, the vintage and
 * date of jobs that use the ingest date) comes from feed.as_of, the
 * snapshot's capture time, so that a replay maps a snapshot exactly as its
 * first ingest did.
 */
#ifndef AUSDASH_FEED_H
#define AUSDASH_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/datetoken.h"
#include "model/entity.h"
#include "base/sbuf.h"

#define FEED_MAX_FIELDS 24
#define FEED_TOKEN_MAX 64

typedef struct feed feed;

/* Takes one observation; false stops the parse (the caller logged why). */
typedef bool (*feed_emit_fn) (void *arg, const entity_record *rec);

/*
 * A bad row or record at where (as printed: "file", line N[: path]), for
 * reason.  Returns true to skip it and go on, false to stop.
 */
typedef bool (*feed_reject_fn) (void *arg, const char *where, long long line,
								const char *path, const char *reason);

/* A source series code mapped to a series id and unit (series table). */
typedef struct feed_series_map
{
	const char *code;
	const char *series_id;
	const char *unit;
} feed_series_map;

struct feed
{
	/* set by the caller (feed_init, then the fields) */
	const char *source_id;
	const char *name;			/* the payload's name in messages */
	const char *as_of;			/* capture time, UTC ISO with milliseconds */
	char		as_of_date[11];	/* its UTC date, YYYY-MM-DD */
	const char *source_url;		/* the source's catalog URL, or NULL */
	bool		check_footer;	/* AEMO: the END OF REPORT line count */
	const feed_series_map *map;
	int			nmap;
	feed_emit_fn emit;
	feed_reject_fn reject;
	void	   *arg;
	long long	next_index;		/* record index of the next observation */

	/* set by the parse */
	long long	emitted;
	long long	skipped;		/* rows left out by the mapping's rules */
	char		cursor[FEED_TOKEN_MAX];	/* newest date token, or "" */
	sbuf		error;			/* why the parse stopped, when it did */
	bool		rejected_stop;	/* it stopped at a reject past the budget */

	/* the observation being built */
	entity_field fields[FEED_MAX_FIELDS];
	size_t		offs[FEED_MAX_FIELDS];
	int			nfields;
	long long	line;
	const char *nonfinite;		/* a computed field that is not finite, or NULL */
	sbuf		arena;
};

typedef struct feed_format
{
	const char *name;			/* --format value */
	const char *content_type;	/* stored with the snapshot */
	const char *job;			/* job name, or NULL for the source's */
	bool		cp1252;			/* bytes that are not UTF-8 are Windows-1252 */
	bool		needs_map;		/* reads the series code mapping */
	const char *summary;		/* one line for --help and the man page */
	bool		(*parse) (feed *f, const char *buf, size_t len);
	/* true when the payload's first bytes say it is this format; may be NULL */
	bool		(*sniff) (const char *buf, size_t len);
} feed_format;

typedef struct feed_source
{
	const char *source_id;
	const char *format;			/* its default format */
	const char *job;			/* its job name in ingestion_runs */
} feed_source;

/* Sets f up with empty results; as_of must be a valid UTC timestamp. */
void		feed_init(feed *f, const char *source_id, const char *name, const char *as_of);
void		feed_release(feed *f);

/* Runs fmt over buf; false with f->error set when it stopped. */
bool		feed_parse(feed *f, const feed_format *fmt, const char *buf, size_t len);

/* --- for the formats ----------------------------------------------------- */

/* Stops the parse: "name", line N: message (line 0: no line). */
bool		feed_fail(feed *f, long long line, const char *fmt,...) AUSDASH_PRINTF(3, 4);

/* Stops the parse: "name": path: message. */
bool		feed_fail_path(feed *f, const char *path, const char *fmt,...) AUSDASH_PRINTF(3, 4);

/*
 * A bad row (line, and path for JSON, may be 0/NULL): true when the
 * caller's budget lets it be skipped, false (f->error set) to stop.
 */
bool		feed_bad_row(feed *f, long long line, const char *path, const char *fmt,...)
			AUSDASH_PRINTF(4, 5);

/* Starts an observation found at line (0 when not known). */
void		feed_obs_begin(feed *f, long long line);
void		feed_obs_str(feed *f, const char *name, const char *val);
void		feed_obs_strn(feed *f, const char *name, const char *val, size_t len);
/* A number given as decimal text (checked by feed_is_decimal). */
void		feed_obs_num(feed *f, const char *name, const char *text);
/*
 * A computed number, printed as JavaScript prints it.  One that is not
 * finite (an overflow, a 0/0) makes feed_obs_emit() reject the observation
 * instead: no row ever holds Infinity or NaN.
 */
void		feed_obs_double(feed *f, const char *name, double v);
void		feed_obs_bool(feed *f, const char *name, bool v);
/* Hands the observation to emit and moves the cursor to its date. */
bool		feed_obs_emit(feed *f);

/* Plain decimal text: -?digits[.digits][e[+-]digits]. */
bool		feed_is_decimal(const char *s, size_t len);

/* Parses decimal text as a double; false unless feed_is_decimal. */
bool		feed_decimal_value(const char *s, size_t len, double *v);

/* The shortest text that reads back as v, in JavaScript's notation. */
void		feed_format_double(double v, char *buf, size_t size);

/*
 * NEM time ("YYYY/MM/DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS", fixed +10:00)
 * to UTC ISO "YYYY-MM-DDTHH:MM:SSZ"; false when malformed.
 */
bool		feed_nem_to_utc(const char *s, size_t len, char out[21]);

/*
 * The encoding a byte-order mark at the start of buf names ("UTF-8",
 * "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"), with its length in
 * *bom_len; NULL (and 0) when buf starts with none.
 */
const char *feed_bom(const char *buf, size_t len, size_t *bom_len);

/*
 * Appends buf to out as UTF-8: valid UTF-8 sequences as they are, every
 * other byte read as Windows-1252 (so a file that mixes the two, as an
 * edit in a spreadsheet leaves it, keeps its genuine UTF-8).
 */
void		feed_cp1252_to_utf8(const char *buf, size_t len, sbuf *out);


#endif
