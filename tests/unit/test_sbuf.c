/*
 * tests/unit/test_sbuf.c - the growable buffer.
 */
#include "unit.h"

#include "base/sbuf.h"
#include "base/banned.h"

static void
test_append_and_grow(void **state)
{
	sbuf		sb;
	int			i;
	char	   *p;
	size_t		len;

	sbuf_init(&sb);
	for (i = 0; i < 1000; i++)
		sbuf_appendf(&sb, "%d,", i % 10);
	assert_int_equal(sb.len, 2000);
	assert_int_equal(sb.data[sb.len], '\0');
	assert_memory_equal(sb.data, "0,1,2,", 6);
	sbuf_append(&sb, "a\0b", 3);
	assert_int_equal(sb.len, 2003);
	assert_int_equal(sb.data[2001], '\0');
	sbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.data, "");
	sbuf_appends(&sb, "xyz");
	sbuf_appendc(&sb, '!');
	p = sbuf_detach(&sb, &len);
	assert_string_equal(p, "xyz!");
	assert_int_equal(len, 4);
	assert_null(sb.data);
	free(p);
}

static void
test_long_format(void **state)
{
	sbuf		sb;
	char		big[5000];

	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sbuf_init(&sb);
	sbuf_appendf(&sb, "<%s>", big);
	assert_int_equal(sb.len, sizeof(big) + 1);
	assert_int_equal(sb.data[0], '<');
	assert_int_equal(sb.data[sb.len - 1], '>');
	sbuf_release(&sb);
}

/* An arena of C strings: each kept with its NUL, the whole still terminated. */
static void
test_append0(void **state)
{
	sbuf		sb;
	size_t		at;

	sbuf_init(&sb);
	for (int i = 0; i < 300; i++)
	{
		at = sb.len;
		sbuf_append0(&sb, "key", 3);
		assert_int_equal(sb.len, at + 4);
		assert_string_equal(sb.data + at, "key");
		assert_int_equal(sb.data[sb.len], '\0');
	}
	at = sb.len;
	sbuf_append0(&sb, "a\0b", 3);
	assert_int_equal(sb.len, at + 4);
	assert_memory_equal(sb.data + at, "a\0b\0", 5);
	sbuf_append0(&sb, "", 0);
	assert_int_equal(sb.len, at + 5);
	assert_int_equal(sb.data[at + 4], '\0');
	assert_int_equal(sb.data[sb.len], '\0');
	sbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_grow),
		cmocka_unit_test(test_long_format),
		cmocka_unit_test(test_append0),
	};

	return UNIT_RUN(tests);
}
