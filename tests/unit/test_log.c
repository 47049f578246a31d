/*
 * tests/unit/test_log.c - message format, levels, locus, detail and hint.
 */
#include "unit.h"

#include <unistd.h>

#include "base/log.h"
#include "base/banned.h"

static char path[] = "/tmp/ausdash-test-log-XXXXXX";

static char *
captured(void)
{
	FILE	   *f;
	static char buf[4096];
	size_t		n;

	fflush(stderr);
	f = fopen(path, "rb");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
setup(void **state)
{
	assert_non_null(freopen(path, "w", stderr));
	log_set_level(LOG_LEVEL_WARNING);
	log_set_locus(NULL, NULL);
	return 0;
}

static void
locus(sbuf *out, void *arg)
{
	sbuf_appendf(out, "\"%s\":%d", (const char *) arg, 12);
}

static void
test_format(void **state)
{
	log_error("could not open file \"%s\": %s", "x.json", "No such file or directory");
	log_detail("A full sentence.");
	log_hint("Another one.");
	assert_string_equal(captured(),
						"test_log: error: could not open file \"x.json\": No such file or directory\n"
						"test_log: detail: A full sentence.\n"
						"test_log: hint: Another one.\n");
}

static void
test_levels(void **state)
{
	log_info("hidden by default");
	log_detail("hidden with its message");
	log_warning("shown");
	log_less_verbose();			/* -q */
	log_warning("hidden with -q");
	log_more_verbose();
	log_more_verbose();			/* -v */
	log_info("shown with -v");
	log_debug("not yet");
	assert_string_equal(captured(),
						"test_log: warning: shown\n"
						"test_log: info: shown with -v\n");
}

static void
test_locus(void **state)
{
	log_set_locus(locus, "store.json");
	log_error("invalid number");
	log_info("no locus on info");
	log_more_verbose();
	log_info("still none");
	log_set_locus(NULL, NULL);
	assert_string_equal(captured(),
						"test_log: error: \"store.json\":12: invalid number\n"
						"test_log: info: still none\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_format, setup),
		cmocka_unit_test_setup(test_levels, setup),
		cmocka_unit_test_setup(test_locus, setup),
	};
	int			fd = mkstemp(path);
	int			rc;

	close(fd);
	log_init("/some/dir/test_log");
	/* cmocka prints TAP on stdout; stderr is ours to capture */
	rc = UNIT_RUN(tests);
	unlink(path);
	return rc;
}
