/*
 * lib/base/jsonw.h - writing JSON into an sbuf with yajl's generator.
 *
 * A thin layer over yajl_gen for the suite's summaries, rejects and
 * captured values: a generator that appends to an sbuf, and key/value
 * helpers.  Strings are escaped by yajl; jsonw_raw() inserts text that is
 * already JSON (a number kept as text, a captured object) unchanged.
 */
#ifndef AUSDASH_JSONW_H
#define AUSDASH_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "base/sbuf.h"

/*
 * A generator appending to out (which must outlive it); pretty: indented,
 * one member a line.  UTF-8 is not re-validated (our strings come from
 * yajl's validating parser).  Exits on out-of-memory; the caller frees it
 * with yajl_gen_free().
 */
yajl_gen	jsonw_new(sbuf *out, bool pretty);

/* Object members: "key": value. */
void		jsonw_key(yajl_gen g, const char *key);
void		jsonw_str(yajl_gen g, const char *key, const char *value);	/* NULL: null */
void		jsonw_int(yajl_gen g, const char *key, long long value);
void		jsonw_bool(yajl_gen g, const char *key, bool value);

/* Inserts text that is already valid JSON, as a value. */
void		jsonw_raw(yajl_gen g, const char *json, size_t len);

/* Writes a parsed value (yajl_tree) with g; numbers keep their text. */
void		jsonw_tree(yajl_gen g, yajl_val v);

#endif
