/*
 * tests/unit/test_jsonparse.c - bounded JSON: depth, tree size, numbers.
 */
#include "unit.h"

#include "base/jsonparse.h"
#include "base/mem.h"
#include "base/sbuf.h"
#include "base/banned.h"

/* n objects nested in each other, {"a":{"a":...1...}} */
static char *
nested(int n, size_t *len)
{
	sbuf		sb;

	sbuf_init(&sb);
	for (int i = 0; i < n; i++)
		sbuf_appends(&sb, "{\"a\":");
	sbuf_appendc(&sb, '1');
	for (int i = 0; i < n; i++)
		sbuf_appendc(&sb, '}');
	return sbuf_detach(&sb, len);
}

static void
test_depth(void **state)
{
	jsonparse_error err;
	size_t		len;
	char	   *ok = nested(JSONPARSE_MAX_DEPTH, &len);
	yajl_val	v = jsonparse_tree(ok, len, 0, &err);

	assert_non_null(v);
	yajl_tree_free(v);
	free(ok);

	/* one level more is refused, at the byte that opens it */
	ok = nested(JSONPARSE_MAX_DEPTH + 1, &len);
	assert_null(jsonparse_tree(ok, len, 0, &err));
	assert_true(err.limit);
	assert_false(err.truncated);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.byte, (size_t) JSONPARSE_MAX_DEPTH * 5);
	assert_string_equal(err.msg, "JSON nested deeper than 64 levels");
	free(ok);

	/* a million levels: refused before any tree is built (no deep recursion) */
	ok = nested(1000000, &len);
	assert_null(jsonparse_tree(ok, len, 0, &err));
	assert_true(err.limit);
	free(ok);
}

static void
test_tree_size(void **state)
{
	jsonparse_error err;
	const char *text = "[1,2,3,4,5,6,7,8,9,10]";
	yajl_val	v;

	/* 11 values at about 80 bytes and their text: some 900 bytes */
	v = jsonparse_tree(text, strlen(text), 2000, &err);
	assert_non_null(v);
	yajl_tree_free(v);
	assert_null(jsonparse_tree(text, strlen(text), 500, &err));
	assert_true(err.limit);
	assert_non_null(strstr(err.msg, "memory"));
}

static void
test_errors(void **state)
{
	jsonparse_error err;
	const char *trunc = "{\"a\":\n[1,";
	const char *bad = "{\"a\":\n tru}";

	assert_null(jsonparse_tree(trunc, strlen(trunc), 0, &err));
	assert_true(err.truncated);
	assert_false(err.limit);
	assert_int_equal(err.line, 2);
	assert_null(jsonparse_tree(bad, strlen(bad), 0, &err));
	assert_false(err.truncated);
	assert_int_equal(err.line, 2);
	assert_true(err.msg[0] != '\0');
	/* a NUL inside the text */
	assert_null(jsonparse_tree("[1,\0 2]", 7, 0, &err));
	assert_int_equal(err.byte, 3);
}

/* A key twice in one object is refused; the same key in many objects is not. */
static void
test_duplicate_keys(void **state)
{
	jsonparse_error err;
	sbuf		sb;
	yajl_val	v;

	sbuf_init(&sb);
	sbuf_appendc(&sb, '[');
	for (int i = 0; i < 10000; i++)
		sbuf_appends(&sb, "{\"a\":1,\"b\":{\"a\":2}},");
	sbuf_appends(&sb, "{\"a\":1}]");
	v = jsonparse_tree(sb.data, sb.len, 0, &err);
	assert_non_null(v);
	yajl_tree_free(v);
	/* the last object repeats a key: found after the table was rebuilt many times */
	sb.len -= 2;
	sbuf_appends(&sb, ",\"a\":3}]");
	assert_null(jsonparse_tree(sb.data, sb.len, 0, &err));
	assert_true(err.limit);
	assert_string_equal(err.msg, "duplicate key \"a\" in an object");
	/* one object of 5000 keys, then its first key again */
	sbuf_reset(&sb);
	sbuf_appendc(&sb, '{');
	for (int i = 0; i < 5000; i++)
		sbuf_appendf(&sb, "\"k%d\":%d,", i, i);
	sbuf_appends(&sb, "\"k0\":0}");
	assert_null(jsonparse_tree(sb.data, sb.len, 0, &err));
	assert_string_equal(err.msg, "duplicate key \"k0\" in an object");
	sbuf_release(&sb);
}

static void
test_numbers(void **state)
{
	static const char *const good[] = {
		"0", "-0", "1", "-12.5", "1e308", "1.7976931348623157e308", "1E-400", "2.5e+3",
		"123456789012345678901234567890", NULL
	};
	static const char *const bad[] = {
		"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "inf", "-inf", "NaN", "Infinity",
		"1e309", "-1e400", "0x10", "1 ", " 1", "1.5.2", NULL
	};

	for (int i = 0; good[i]; i++)
		assert_true(jsonparse_number_ok(good[i], strlen(good[i])));
	for (int i = 0; bad[i]; i++)
		if (jsonparse_number_ok(bad[i], strlen(bad[i])))
			fail_msg("\"%s\" taken as a JSON number", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_tree_size),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_numbers),
	};

	return UNIT_RUN(tests);
}
