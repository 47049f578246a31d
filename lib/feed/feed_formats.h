/*
 * lib/feed/feed_formats.h - the formats behind lib/feed/feed.h and the helpers they
 * share (CSV rows with line numbers, JSON trees with placed errors, the
 * wholesale price aggregate, JSON records).  Internal to lib/feed/.
 */
#ifndef AUSDASH_FEED_FORMATS_H
#define AUSDASH_FEED_FORMATS_H

#include <math.h>

#include <yajl/yajl_tree.h>

#include "feed/feed.h"

/*
 * The formats, one file per family of sources.  The dashboard's own payload
 * shapes (aus-dash-reference.md section 7) are mapped to observations
 * exactly as its jobs map them: series ids, units, vintages, publishedAt,
 * market and methodology fields; where a job takes the ingest date, the
 * snapshot's capture date (feed.as_of) stands in for it, so that a replay
 * maps a snapshot as its first run did.
 */

/* lib/feed/feed_wholesale.c: the dashboard's wholesale CSV */
extern const feed_format feed_wholesale_csv;

/* lib/feed/feed_aer.c: AER product reference data */
extern const feed_format feed_aer_prd;
extern const feed_format feed_aer_dmo;

/* lib/feed/feed_abs.c: ABS housing and CPI electricity */
extern const feed_format feed_abs_housing;
extern const feed_format feed_abs_cpi;

/* lib/feed/feed_global.c: global wholesale prices */
extern const feed_format feed_global_eia;
extern const feed_format feed_global_entsoe;
extern const feed_format feed_global_nea;

/* lib/feed/feed_aemo.c: AEMO's own formats, and its NEM/WEM dashboards' fuel mix */
extern const feed_format feed_aemo_mms;
extern const feed_format feed_aemo_5min_json;
extern const feed_format feed_aemo_source_mix;

/* lib/feed/feed_rba.c: the RBA statistical tables */
extern const feed_format feed_rba_table;
extern const feed_format feed_rba_rates;

/* lib/feed/feed_generic.c: observations with the store's field names */
extern const feed_format feed_generic_ndjson;
extern const feed_format feed_generic_csv;

/* --- CSV (lib/feed/feed_util.c) ------------------------------------------------ */

#define FEED_CSV_MAX_FIELDS 4096

/*
 * One CSV row: its 1-based line (where it ends), fields NUL-terminated
 * and trimmed of spaces.  Return false to stop (with f->error set).
 */
typedef bool (*feed_util_row_fn) (feed *f, void *arg, long long line, int n,
								 char **fields, size_t *lens);

/* Splits buf into rows (RFC 4180 quoting, CRLF or LF); blank lines skipped. */
bool		feed_util_csv_rows(feed *f, const char *buf, size_t len, feed_util_row_fn fn, void *arg);

/* Lines in buf (a last line without its newline counts). */
long long	feed_util_count_lines(const char *buf, size_t len);

/* --- JSON (lib/feed/feed_util.c) ----------------------------------------------- */

/* The tree of buf, or NULL with f->error placed at the syntax error. */
yajl_val	feed_util_json_parse(feed *f, const char *buf, size_t len);

/* obj[key] (the last occurrence), or NULL. */
yajl_val	feed_util_json_get(yajl_val obj, const char *key);

/* The first of two spellings that is present (e.g. "regionCode", "region_code"). */
yajl_val	feed_util_json_get2(yajl_val obj, const char *key, const char *alt);

/* The array under obj[key], or NULL with f->error set ("path.key: ..."). */
yajl_val	feed_util_json_array(feed *f, yajl_val obj, const char *path, const char *key);

/* "a string", "a number", ... */
const char *feed_util_json_type(yajl_val v);

/* --- the wholesale price aggregate (lib/feed/feed_wholesale.c) ---------------------- */

typedef struct feed_wholesale feed_wholesale;

/* The series of AEMO's intervention pricing rows (INTERVENTION=1). */
#define FEED_SERIES_INTERVENTION "energy.wholesale.rrp.region_aud_mwh.intervention"

/*
 * Rows of regional prices; emitted per interval, in time order, as the
 * regional series plus the demand-weighted AU value when every row of the
 * interval has a demand (aus-dash-reference.md section 7, job 2).
 */
feed_wholesale *feed_wholesale_new(void);
/* Frees *w (NULL is fine) and sets it NULL. */
void		feed_wholesale_free(feed_wholesale **w);

/*
 * date: the interval's UTC timestamp (its end); start: its start (the
 * dashboard's own CSV uses the date); published: when it was published;
 * region: as given (a trailing "1" is dropped); rrp: decimal text;
 * demand FEED_NO_DEMAND for none (a negative demand is a demand); series: the regional series; in_au: the row counts
 * toward the AU value (not intervention or trading rows).
 */
/* "no demand given" (NaN: a demand read from a payload is always finite) */
#define FEED_NO_DEMAND NAN

void		feed_wholesale_add(feed_wholesale *w, const char *date, const char *start,
							   const char *published, const char *region, size_t region_len,
							   const char *rrp, double demand, const char *series,
							   bool in_au, long long line);

/*
 * A demand given apart from the prices (MMS DISPATCH REGIONSUM), for the
 * price row of the same interval, region and intervention flag.
 */
void		feed_wholesale_add_demand(feed_wholesale *w, const char *date, const char *region,
									  size_t region_len, bool intervention, double demand);

/*
 * A bad row of the interval date (feed_bad_row()); that interval then gets
 * no AU value, which would leave the region out.
 */
bool		feed_wholesale_bad_row(feed *f, feed_wholesale *w, const char *date, long long line,
								   const char *fmt,...) AUSDASH_PRINTF(5, 6);

/*
 * What is wrong with an RRP's text: "is not a number", "is out of range"
 * (beyond a double: the dashboard could not read it back), or NULL.
 */
const char *feed_wholesale_rrp_problem(const char *text, size_t len);

/* The rows added so far. */
long long	feed_wholesale_count(const feed_wholesale *w);

/* Emits everything added; false when the parse must stop. */
bool		feed_wholesale_emit(feed *f, feed_wholesale *w);

/*
 * Fields every observation of the dashboard's jobs carries: sourceName,
 * sourceUrl (the catalog's, else source_url), ingestedAt, vintage (NULL:
 * the capture date), isModeled and confidence.
 */
void		feed_obs_common(feed *f, const char *source_name, const char *source_url,
							const char *vintage, bool modeled);

/* --- lib/feed/feed_jrow.c: one JSON record's fields, the first error kept --- */

typedef struct feed_jrow
{
	feed	   *f;
	yajl_val	r;
	char		path[80];
	bool		bad;
	bool		go_on;
} feed_jrow;

/* Starts on element i of array, r; a record that is not an object is bad. */
void		feed_jrow_init(feed_jrow *j, feed *f, yajl_val r, const char *array, size_t i);
/* The record's first error: key is not what was expected. */
void		feed_jrow_bad(feed_jrow *j, const char *key, const char *expected, yajl_val v);
/* A non-empty string under k1 (or k2), or NULL (the row is then bad). */
const char *feed_jrow_str(feed_jrow *j, const char *k1, const char *k2);
/* A number's text under k1 (or k2), or NULL (the row is then bad). */
const char *feed_jrow_num(feed_jrow *j, const char *k1, const char *k2);
/* A timestamp string under k1 (or k2). */
const char *feed_jrow_time(feed_jrow *j, const char *k1, const char *k2);
/* Parses buf and returns the array under key (NULL: f->error set). */
yajl_val	feed_jrow_array(feed *f, const char *buf, size_t len, const char *key, yajl_val *root);

#endif
