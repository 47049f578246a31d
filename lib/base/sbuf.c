/*
 * lib/base/sbuf.c - a growable byte buffer.
 */
#include "base/common.h"

#include "base/mem.h"
#include "base/sbuf.h"
#include "base/banned.h"

void
sbuf_init(sbuf *sb)
{
	sb->cap = 64;
	sb->len = 0;
	sb->data = mem_malloc(sb->cap);
	sb->data[0] = '\0';
}

void
sbuf_release(sbuf *sb)
{
	mem_free(&sb->data);
	sb->len = sb->cap = 0;
}

void
sbuf_reset(sbuf *sb)
{
	sb->len = 0;
	sb->data[0] = '\0';
}

void
sbuf_grow(sbuf *sb, size_t extra)
{
	size_t		need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->data = mem_realloc(sb->data, sb->cap);
}

void
sbuf_append(sbuf *sb, const char *data, size_t len)
{
	sbuf_grow(sb, len);
	memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
}

void
sbuf_append0(sbuf *sb, const char *data, size_t len)
{
	sbuf_grow(sb, len + 1);
	memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len++] = '\0';
	sb->data[sb->len] = '\0';
}

void
sbuf_appends(sbuf *sb, const char *s)
{
	sbuf_append(sb, s, strlen(s));
}

void
sbuf_appendc(sbuf *sb, char c)
{
	sbuf_grow(sb, 1);
	sb->data[sb->len++] = c;
	sb->data[sb->len] = '\0';
}

void
sbuf_vappendf(sbuf *sb, const char *fmt, va_list ap)
{
	va_list		ap2;
	int			n;

	va_copy(ap2, ap);
	n = vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t) n >= sb->cap - sb->len)
	{
		sbuf_grow(sb, (size_t) n);
		vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t) n;
}

void
sbuf_appendf(sbuf *sb, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	sbuf_vappendf(sb, fmt, ap);
	va_end(ap);
}

char *
sbuf_detach(sbuf *sb, size_t *len)
{
	char	   *p = sb->data;

	if (len)
		*len = sb->len;
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return p;
}
