/*
 * lib/base/exitcode.h - the one table of exit codes used by every ausdash tool.
 *
 * Writing tools (migrate, backfill, ingest, replay, export) use the
 * AUSDASH_EXIT_* codes; the codes from 64 up are those of sysexits(3).
 * Report tools (freshness, parity, runs) use the monitoring convention
 * AUSDASH_MON_* (Nagios plugin API), so that 0..3 mean OK..UNKNOWN there.
 * cron/ wrappers and runbooks/ key off these numbers: they are stable.
 * The same table is documented in README.md and ausdash(7).
 */
#ifndef AUSDASH_EXITCODE_H
#define AUSDASH_EXITCODE_H

#include <errno.h>

enum ausdash_exit
{
	AUSDASH_EXIT_OK = 0,			/* everything done */
	AUSDASH_EXIT_FAILURE = 1,		/* failed; nothing was committed */
	AUSDASH_EXIT_PARTIAL = 2,		/* committed, but rows were rejected within
									 * the --max-errors budget */
	AUSDASH_EXIT_DRIFT = 3,			/* committed, but the two backends differ */

	/* ausdash-migrate refusals: the ledger and the files disagree */
	AUSDASH_EXIT_MIGRATION_CHANGED = 10,	/* an applied file was edited */
	AUSDASH_EXIT_MIGRATION_DUPLICATE = 11,	/* two files with one version */
	AUSDASH_EXIT_MIGRATION_MISSING = 12,	/* applied version not on disk */
	AUSDASH_EXIT_MIGRATION_ORDER = 13,	/* pending version below the newest
										 * applied one */
	AUSDASH_EXIT_MIGRATION_DESTRUCTIVE = 14,	/* destructive statement without
												 * the marker or option */
	AUSDASH_EXIT_MIGRATION_FAILED = 15, /* a no-transaction migration failed
										 * partway and is not repaired */

	AUSDASH_EXIT_USAGE = 64,		/* EX_USAGE: bad options or arguments */
	AUSDASH_EXIT_DATAERR = 65,		/* EX_DATAERR: bad input data */
	AUSDASH_EXIT_NOINPUT = 66,		/* EX_NOINPUT: input file missing or
									 * unreadable */
	AUSDASH_EXIT_UNAVAILABLE = 69,	/* EX_UNAVAILABLE: database unavailable */
	AUSDASH_EXIT_SOFTWARE = 70,		/* EX_SOFTWARE: internal error */
	AUSDASH_EXIT_IOERR = 74,		/* EX_IOERR: could not write output */
	AUSDASH_EXIT_LOCKED = 75,		/* EX_TEMPFAIL: another run holds the lock, or
									 * --lock-timeout expired (55P03) */
	AUSDASH_EXIT_CONFIG = 78		/* EX_CONFIG: installation or configuration
									 * problem (e.g. no SQL directory) */
};

enum ausdash_monitor_exit
{
	AUSDASH_MON_OK = 0,
	AUSDASH_MON_WARNING = 1,
	AUSDASH_MON_CRITICAL = 2,
	AUSDASH_MON_UNKNOWN = 3
};

/*
 * The exit status for an input that could not be opened (errno err): 66
 * when it is missing or unreadable, else 74.
 */
static inline int
exitcode_for_open_error(int err)
{
	return err == ENOENT || err == ENOTDIR || err == EACCES || err == EPERM ||
		err == ELOOP || err == ENAMETOOLONG ? AUSDASH_EXIT_NOINPUT : AUSDASH_EXIT_IOERR;
}

#endif
