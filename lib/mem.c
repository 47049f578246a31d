/*
 * lib/mem.c - allocation wrappers that exit on out-of-memory.
 */
#include "common.h"

#include <stdarg.h>

#include "log.h"
#include "mem.h"
#include "banned.h"

static void
oom(void)
{
	log_fatal(AUSDASH_EXIT_SOFTWARE, "out of memory");
}

void *
mem_malloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
mem_calloc(size_t nmemb, size_t size)
{
	void	   *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
mem_realloc(void *ptr, size_t size)
{
	void	   *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

char *
mem_strdup(const char *s)
{
	char	   *p = strdup(s);

	if (p == NULL)
		oom();
	return p;
}

char *
mem_strndup(const char *s, size_t len)
{
	char	   *p = mem_malloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
mem_asprintf(const char *fmt,...)
{
	va_list		ap;
	char	   *p;
	int			n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return p;
}

void
mem_free(void *p)
{
	void	  **pp = p;

	free(*pp);
	*pp = NULL;
}
