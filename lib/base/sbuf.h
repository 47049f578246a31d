/*
 * lib/base/sbuf.h - a growable byte buffer (always NUL-terminated).
 *
 * A caller-owned struct: sbuf_init() before use, sbuf_release() to free
 * its memory, sbuf_reset() to empty it and keep the allocation.  The data
 * may contain NUL bytes; len is authoritative.
 */
#ifndef AUSDASH_SBUF_H
#define AUSDASH_SBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sbuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} sbuf;

void		sbuf_init(sbuf *sb);
void		sbuf_release(sbuf *sb);
void		sbuf_reset(sbuf *sb);
void		sbuf_grow(sbuf *sb, size_t extra);
void		sbuf_append(sbuf *sb, const char *data, size_t len);
/* data and its NUL, both kept: one of an arena's C strings */
void		sbuf_append0(sbuf *sb, const char *data, size_t len);
void		sbuf_appends(sbuf *sb, const char *s);
void		sbuf_appendc(sbuf *sb, char c);
void		sbuf_appendf(sbuf *sb, const char *fmt,...) __attribute__((format(printf, 2, 3)));
void		sbuf_vappendf(sbuf *sb, const char *fmt, va_list ap);
/* Hands the buffer to the caller, who frees it with free(); sb is empty. */
char	   *sbuf_detach(sbuf *sb, size_t *len);

#endif
