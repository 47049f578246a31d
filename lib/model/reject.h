/*
 * lib/model/reject.h - the rejects file: one JSON object per line (NDJSON) per
 * record that was left out of a run, with where it was and why:
 *     {"entity":"observations","index":1042,"line":9123,"offset":401234,
 *      "path":"observations[1042].publishedAt","reason":"invalid timestamp ...",
 *      "record":{...the record as read...}}
 * "record" is missing when the record is not at hand (a conflict found by
 * the server); "key" then names it.
 */
#ifndef AUSDASH_REJECT_H
#define AUSDASH_REJECT_H

#include <stdbool.h>

typedef struct reject_file reject_file;

typedef struct reject_info
{
	const char *entity;
	long long	index;
	long long	line;
	long long	offset;
	const char *path;			/* JSON path, e.g. observations[3].value */
	const char *reason;
	const char *record;			/* the record as JSON text, or NULL */
	const char *key;			/* or its key, or NULL */
} reject_info;

/*
 * Opens (truncates) path for writing; NULL with the error logged when it
 * cannot.  The caller closes it with reject_close().
 */
reject_file *reject_open(const char *path);

/* Appends one line; false (logged) on a write error. */
bool		reject_write(reject_file *rf, const reject_info *ri);

/* Flushes and closes; false (logged) on a write error.  Sets *rf NULL. */
bool		reject_close(reject_file **rf);

/*
 * A run's budget of bad records (--max-errors) and its rejects file
 * (--rejects, or NULL): one rule for every writing tool.
 */
typedef struct reject_budget
{
	int			max_errors;
	reject_file *file;
	long long	taken;			/* records left out so far */
	int			exit_code;		/* why the last reject_take() said no, or 0 */
} reject_budget;

/*
 * One bad record at where (as printed).  Within the budget it is left out:
 * warned about ("<where>: <reason> (record rejected)"), written to the
 * file, and true is returned.  Past the budget: false, exit_code
 * AUSDASH_EXIT_DATAERR, nothing printed (the caller says why its run
 * stops); a file that cannot be written: false, AUSDASH_EXIT_IOERR.
 */
bool		reject_take(reject_budget *b, const char *where, const reject_info *ri);

#endif
