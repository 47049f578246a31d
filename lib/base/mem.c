/*
 * lib/base/mem.c - allocation wrappers that exit on out-of-memory.
 */
#include "base/common.h"

#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/banned.h"

/*
 * Like PostgreSQL's fe_memutils.c, this path allocates nothing (no stdio
 * buffer, no sbuf), so that it cannot recurse into itself; it depends on
 * no other module.  The program's name is the one glibc took from argv[0],
 * the same basename lib/base/log.c prints.
 */
void
mem_oom(void)
{
	static const char msg[] = ": error: out of memory\n";
	const char *name = program_invocation_short_name;

	if (write(STDERR_FILENO, name, strlen(name)) < 0 ||
		write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
	{
		/* nothing more can be said */
	}
	exit(AUSDASH_EXIT_SOFTWARE);
}

void *
mem_malloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		mem_oom();
	return p;
}

void *
mem_calloc(size_t nmemb, size_t size)
{
	void	   *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		mem_oom();
	return p;
}

void *
mem_realloc(void *ptr, size_t size)
{
	void	   *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
		mem_oom();
	return p;
}

char *
mem_strdup(const char *s)
{
	char	   *p = strdup(s);

	if (p == NULL)
		mem_oom();
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
		mem_oom();
	return p;
}

void
mem_free(void *p)
{
	void	  **pp = p;

	free(*pp);
	*pp = NULL;
}
