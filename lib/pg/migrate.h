/*
 * lib/pg/migrate.h - schema migrations: files on disk, the ledger, and the
 * checks between them.
 *
 * Files are named NNNN_name.up.sql and NNNN_name.down.sql; NNNN is the
 * version.  A line "-- ausdash:no-transaction" runs a file statement by
 * statement outside a transaction; "-- ausdash:allow-destructive" allows
 * destructive statements in an up file.  The ledger is the append-only
 * table ausdash.schema_migrations (one row per apply, rollback or
 * baseline, with both checksums, who, when and how long).
 */
#ifndef AUSDASH_MIGRATE_H
#define AUSDASH_MIGRATE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "base/sha256.h"

typedef struct migrate_file
{
	int			version;
	char	   *name;			/* owned */
	char	   *up_path;		/* owned */
	char	   *down_path;		/* owned; NULL when there is no down file */
	char	   *up_sql;			/* owned: the up file's bytes, read once */
	size_t		up_len;
	char		checksum[SHA256_HEX_LEN + 1];	/* of the up file's bytes */
	char		checksum_norm[SHA256_HEX_LEN + 1];	/* line endings as LF */
	bool		no_transaction;
	bool		allow_destructive;
} migrate_file;

typedef struct migrate_set
{
	char	   *dir;			/* owned */
	migrate_file *files;		/* owned, sorted by version */
	int			nfiles;
} migrate_set;

typedef struct migrate_applied
{
	int			version;
	char	   *name;			/* owned */
	char	   *checksum;		/* owned */
	char	   *checksum_norm;	/* owned */
	char	   *applied_at;		/* owned */
	char	   *action;			/* owned: apply or baseline */
} migrate_applied;

/* A version whose last attempt to apply it failed. */
typedef struct migrate_failed
{
	int			version;
	char	   *failed_at;		/* owned */
	char	   *error;			/* owned */
} migrate_failed;

typedef struct migrate_ledger
{
	migrate_applied *rows;		/* owned, sorted by version */
	int			nrows;
	migrate_failed *failed;		/* owned, sorted by version */
	int			nfailed;
} migrate_ledger;

typedef struct migrate_flags
{
	bool		allow_out_of_order;
	bool		allow_destructive;
	bool		dry_run;
} migrate_flags;

/*
 * The migrations directory: dir if not NULL; else, for an executable in
 * some X/bin/, X/share/ausdash/migrations (an install tree, even a moved
 * one) or X/sql/migrations (the build tree), the first that exists; else
 * the share directory of the PREFIX it was built for.  Says which at -v
 * (log_info).  Static storage or dir itself; do not free.
 */
const char *migrate_default_dir(const char *dir);

/*
 * Reads every migration file in dir into set (sorted by version; free
 * with migrate_set_release()).  Returns 0, or an exit code with the
 * problem logged: AUSDASH_EXIT_MIGRATION_DUPLICATE, or
 * AUSDASH_EXIT_CONFIG when the directory cannot be read.
 */
int			migrate_set_load(migrate_set *set, const char *dir);
void		migrate_set_release(migrate_set *set);

/* Creates the ledger schema and table if missing; false (logged) on error. */
bool		migrate_ledger_ensure(PGconn *conn);
/* Loads the applied versions; free with migrate_ledger_release(). */
bool		migrate_ledger_load(PGconn *conn, migrate_ledger *ledger);
void		migrate_ledger_release(migrate_ledger *ledger);

/*
 * Compares files and ledger.  Logs every problem and returns the exit
 * code of the first kind found (changed, missing, out of order, then
 * destructive; 0 when consistent).  Pending files above to_version
 * (when to_version >= 0) are not checked for destructive statements.
 */
int			migrate_check(const migrate_set *set, const migrate_ledger *ledger,
						  const migrate_flags *flags, int to_version);

/* Applies pending migrations up to to_version (< 0: all); exit code. */
int			migrate_up(PGconn *conn, const migrate_set *set,
					   const migrate_ledger *ledger, int to_version,
					   const migrate_flags *flags);
/* Rolls back applied migrations above to_version, newest first; exit code. */
int			migrate_down(PGconn *conn, const migrate_set *set,
						 const migrate_ledger *ledger, int to_version,
						 const migrate_flags *flags);
/* Records versions up to to_version as applied without running them. */
int			migrate_baseline(PGconn *conn, const migrate_set *set,
							 const migrate_ledger *ledger, int to_version);
/* Prints one line per version (files and ledger) to stdout. */
void		migrate_print_status(const migrate_set *set, const migrate_ledger *ledger);

/*
 * The pending no-transaction migrations whose last attempt failed: some of
 * their statements stayed.  Logs each (with how to repair it) and returns
 * AUSDASH_EXIT_MIGRATION_FAILED if there is one, else 0.
 */
int			migrate_check_failed(const migrate_set *set, const migrate_ledger *ledger);

/*
 * Records the failed no-transaction migration to_version as applied
 * (action "repair"), after the operator finished or undid it by hand;
 * exit code (64-style refusal logged when it is not failed).
 */
int			migrate_repair(PGconn *conn, const migrate_set *set, const migrate_ledger *ledger,
						   int to_version);

#endif
