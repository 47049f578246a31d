/*
 * lib/base/mem.h - allocation wrappers that never return NULL.
 *
 * On out-of-memory they print "<tool>: error: out of memory" with one
 * write(2), allocating nothing, and exit with AUSDASH_EXIT_SOFTWARE, so
 * callers need no NULL checks.
 * Memory from these functions is released with free() or mem_free().
 */
#ifndef AUSDASH_MEM_H
#define AUSDASH_MEM_H

#include <stddef.h>

#include "base/common.h"

/* Returns malloc'd memory; the caller frees it with free(). */
void	   *mem_malloc(size_t size);
/* Returns zeroed malloc'd memory; the caller frees it with free(). */
void	   *mem_calloc(size_t nmemb, size_t size);
/* Resizes ptr (which may be NULL); the caller frees the result. */
void	   *mem_realloc(void *ptr, size_t size);
/* Returns a malloc'd copy of s; the caller frees it with free(). */
char	   *mem_strdup(const char *s);
/* Returns a malloc'd, NUL-terminated copy of s[0..len); caller frees it. */
char	   *mem_strndup(const char *s, size_t len);
/* Returns a malloc'd string formatted like printf; the caller frees it. */
char	   *mem_asprintf(const char *fmt,...) __attribute__((format(printf, 1, 2)));
/*
 * Says "out of memory" and exits AUSDASH_EXIT_SOFTWARE, allocating
 * nothing; for other allocators (yajl, libpq) that return NULL.
 */
void		mem_oom(void) AUSDASH_NORETURN;
/* Frees *p and sets *p to NULL; p may point to NULL. */
void		mem_free(void *p);

#endif
