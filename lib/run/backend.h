/*
 * lib/run/backend.h - where ausdash-ingest writes, as one small method
 * table per backend selected by its kind (pg_dump's archive formats are
 * the model):
 *
 *   postgres  the run lifecycle's transaction only
 *   store     no database: the mapped rows go to the store (--store)
 *             after the run, through lib/load/storeingest.c
 *   dual      PostgreSQL first; after its commit the store as above, then
 *             the keys the run touched are compared on both sides (exit 3
 *             when they differ)
 *
 * The rows reach the store side through ingest's row callback, collected
 * while PostgreSQL stages them; after_commit does the rest.
 */
#ifndef AUSDASH_BACKEND_H
#define AUSDASH_BACKEND_H

#include <stdbool.h>

typedef struct ingestrun ingestrun;

typedef enum backend_kind
{
	BACKEND_POSTGRES,
	BACKEND_STORE,
	BACKEND_DUAL
} backend_kind;

typedef struct backend
{
	backend_kind kind;
	const char *name;			/* --backend's value */
	bool		postgres;		/* writes PostgreSQL (the lifecycle connects, locks, records) */
	/* after the commit, or alone: returns the exit code; NULL: nothing to do */
	int			(*after_commit) (ingestrun *r, int code);
} backend;

extern const backend backend_postgres;
extern const backend backend_store;
extern const backend backend_dual;

/* The backend of a name ("postgres", "store", "dual"), or NULL. */
const backend *backend_find(const char *name);

#endif
