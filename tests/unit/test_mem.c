/*
 * tests/unit/test_mem.c - the allocation wrappers and their out-of-memory
 * path, which must say so and exit 70 without allocating.
 */
#include "unit.h"

#include <errno.h>

#include "base/mem.h"
#include "base/banned.h"

/*
 * Under AddressSanitizer, let malloc return NULL as glibc's does, and do
 * not count as a leak what an exit on out-of-memory leaves behind.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1:detect_leaks=0";
}

static void
huge_malloc(void *arg)
{
	/* no allocator can give this; malloc returns NULL */
	(void) mem_malloc(SIZE_MAX / 2);
}

static void
huge_realloc(void *arg)
{
	char	   *p = mem_malloc(16);

	(void) mem_realloc(p, SIZE_MAX / 2);
}

static void
huge_calloc(void *arg)
{
	(void) mem_calloc(SIZE_MAX / 4, 4);
}

static void
test_out_of_memory(void **state)
{
	void		(*fns[]) (void *) = {huge_malloc, huge_realloc, huge_calloc};
	char		err[256];
	char		want[128];

	snprintf(want, sizeof(want), "%s: error: out of memory\n", program_invocation_short_name);
	for (size_t i = 0; i < lengthof(fns); i++)
	{
		assert_int_equal(unit_in_child(fns[i], NULL, STDERR_FILENO, err, sizeof(err)),
						 AUSDASH_EXIT_SOFTWARE);
		/* (under AddressSanitizer its own warning comes first) */
		assert_true(strlen(err) >= strlen(want));
		assert_string_equal(err + strlen(err) - strlen(want), want);
	}
}

static void
test_copies(void **state)
{
	char	   *s = mem_strndup("abcdef", 3);
	char	   *t = mem_asprintf("%s-%d", s, 42);
	char	   *z = mem_calloc(4, 4);

	assert_string_equal(s, "abc");
	assert_string_equal(t, "abc-42");
	for (int i = 0; i < 16; i++)
		assert_int_equal(z[i], 0);
	mem_free(&s);
	assert_null(s);
	mem_free(&s);				/* twice is harmless */
	free(t);
	free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_copies),
	};

	return UNIT_RUN(tests);
}
