/*
 * lib/base/utf8.c - strict UTF-8 validation.
 */
#include "base/common.h"

#include "base/utf8.h"
#include "base/banned.h"

size_t
utf8_seq(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *) buf;
	size_t		n;
	uint32_t	cp;

	if (len == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 1, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 2, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 3, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t k = 1; k <= n; k++)
	{
		if (k >= len || (s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		(cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n + 1;
}

/*
 * Whether all len bytes are ASCII: eight at a time, the last eight (or
 * four) overlapping the rest, so that a short string costs a load or two
 * and no loop.  Field names and most values are ASCII and short.
 */
static bool
all_ascii(const char *buf, size_t len)
{
	uint64_t	acc = 0;
	uint64_t	w;
	uint32_t	a;
	uint32_t	b;

	if (len >= 8)
	{
		for (size_t i = 0; i + 8 <= len; i += 8)
		{
			memcpy(&w, buf + i, 8);
			acc |= w;
		}
		memcpy(&w, buf + len - 8, 8);
		return ((acc | w) & UINT64_C(0x8080808080808080)) == 0;
	}
	if (len >= 4)
	{
		memcpy(&a, buf, 4);
		memcpy(&b, buf + len - 4, 4);
		return ((a | b) & UINT32_C(0x80808080)) == 0;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char) buf[i] >= 0x80)
			return false;
	return true;
}

long long
utf8_invalid(const char *buf, size_t len)
{
	size_t		i = 0;
	size_t		n;

	if (all_ascii(buf, len))
		return -1;

	while (i < len)
	{
		uint64_t	w;

		/* eight ASCII bytes at a time: the common case by far */
		if (i + 8 <= len)
		{
			memcpy(&w, buf + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0)
			{
				i += 8;
				continue;
			}
		}
		/* the tail of a short string: ASCII without the call */
		if ((unsigned char) buf[i] < 0x80)
		{
			i++;
			continue;
		}
		if ((n = utf8_seq(buf + i, len - i)) == 0)
			return (long long) i;
		i += n;
	}
	return -1;
}
