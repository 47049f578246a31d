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

#endif
