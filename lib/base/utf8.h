/*
 * lib/base/utf8.h - strict UTF-8: what PostgreSQL's text and JavaScript's
 * strings both take.
 *
 * Strict means no overlong forms (C0 AF), no surrogates (ED A0 80) and
 * nothing past U+10FFFF: PostgreSQL refuses them, so a reader must refuse
 * them first, with a place, rather than let the server fail a COPY.
 */
#ifndef AUSDASH_UTF8_H
#define AUSDASH_UTF8_H

#include <stddef.h>

/* The length (1..4) of the valid sequence at s[0..len), or 0. */
size_t		utf8_seq(const char *s, size_t len);

/* The offset of the first byte of buf that starts no valid sequence, or -1. */
long long	utf8_invalid(const char *buf, size_t len);

#endif
