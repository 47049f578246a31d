/*
 * tests/unit/test_sha256.c - SHA-256 against published test vectors.
 */
#include "unit.h"

#include <unistd.h>

#include "base/sha256.h"
#include "base/banned.h"

static void
check(const char *input, size_t len, const char *expected)
{
	char		hex[SHA256_HEX_LEN + 1];

	unsigned char raw[SHA256_LEN];
	char		fromraw[SHA256_HEX_LEN + 1];

	assert_int_equal(sha256_hex(input, len, hex), 0);
	assert_string_equal(hex, expected);
	/* the raw bytes of the same digest */
	assert_int_equal(sha256_raw(input, len, raw), 0);
	for (int i = 0; i < SHA256_LEN; i++)
		snprintf(fromraw + 2 * i, 3, "%02x", raw[i]);
	assert_string_equal(fromraw, expected);
}

/* FIPS 180-2 / NIST CSRC examples */
static void
test_vectors(void **state)
{
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* the dashboard's own snapshot (aus-dash-reference.md section 1) */
static void
test_dashboard_snapshot(void **state)
{
	const char *payload =
		"SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n"
		"2026-02-27T01:55:00Z,NSW1,118,5000\n2026-02-27T01:55:00Z,VIC1,99,3000\n"
		"2026-02-27T01:55:00Z,QLD1,132,2700\n2026-02-27T01:55:00Z,SA1,136,1200\n"
		"2026-02-27T01:55:00Z,TAS1,103,620\n2026-02-27T02:00:00Z,NSW1,120,5000\n"
		"2026-02-27T02:00:00Z,VIC1,100,3000\n2026-02-27T02:00:00Z,QLD1,140,2000\n"
		"2026-02-27T02:00:00Z,SA1,138,1250\n2026-02-27T02:00:00Z,TAS1,104,640";

	check(payload, strlen(payload),
		  "f1f6ffa864b430b72567cac30950e7b67fde6bbc4988c4beac439ba8849b9de5");
}

/* a million 'a's fed in uneven chunks equals the one-shot vector */
static void
test_incremental(void **state)
{
	char		chunk[997];
	char		hex[SHA256_HEX_LEN + 1];
	sha256_ctx *ctx = sha256_create();
	size_t		left = 1000000;

	memset(chunk, 'a', sizeof(chunk));
	while (left > 0)
	{
		size_t		n = left < sizeof(chunk) ? left : sizeof(chunk);

		assert_int_equal(sha256_update(ctx, chunk, n), 0);
		left -= n;
	}
	assert_int_equal(sha256_final(ctx, hex), 0);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	assert_string_equal(sha256_error(ctx), "no error");
	sha256_free(&ctx);
	assert_null(ctx);
	sha256_free(&ctx);			/* freeing NULL is a no-op */
}

/*
 * A file's digest beside its reader: from the fd's offset to its end, in
 * more than one block, the offset left where it was.
 */
static void
test_fd_beside(void **state)
{
	char		path[] = "/tmp/ausdash-test-sha256-XXXXXX";
	int			fd = mkstemp(path);
	size_t		n = 3 * 1024 * 1024 + 7;
	char	   *data = malloc(n);
	char		expected[SHA256_HEX_LEN + 1];
	char		hex[SHA256_HEX_LEN + 1];
	uint64_t	bytes = 0;
	sha256_fd  *h;

	assert_true(fd >= 0);
	unlink(path);
	for (size_t i = 0; i < n; i++)
		data[i] = (char) (i * 31 % 251);
	assert_int_equal(write(fd, data, n), (ssize_t) n);
	assert_int_equal(lseek(fd, 5, SEEK_SET), 5);
	h = sha256_fd_start(fd);
	assert_non_null(h);
	assert_int_equal(sha256_fd_finish(&h, hex, &bytes), 0);
	assert_null(h);
	assert_int_equal(bytes, n - 5);
	assert_int_equal(sha256_hex(data + 5, n - 5, expected), 0);
	assert_string_equal(hex, expected);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 5);
	close(fd);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_dashboard_snapshot),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_fd_beside),
	};

	return UNIT_RUN(tests);
}
