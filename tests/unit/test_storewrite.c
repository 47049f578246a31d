/*
 * tests/unit/test_storewrite.c - the store writer (lib/store/storewrite.h):
 * the dashboard's exact shape (JSON.stringify(store, null, 2)), written
 * atomically: a committed store replaces the old one, an aborted one
 * leaves it as it was, and a held lock is said to be the reason.
 */
#include "unit.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/storewrite.h"
#include "base/banned.h"

#define F(n, t, v) {n, ENTITY_JSON_##t, v, sizeof(v) - 1, 1, 0}

static char dir[] = "/tmp/ausdash-test-storewrite-XXXXXX";
static char path[256];

static char *
slurp(const char *p)
{
	static char buf[8192];
	int			fd = open(p, O_RDONLY);
	ssize_t		n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void
write_store(bool commit, const char *value)
{
	const entity_field fields[] = {
		F("sourceId", STRING, "rba"), F("domain", STRING, "housing"), F("name", STRING, "RBA"),
		F("url", STRING, "https://rba.gov.au"), F("expectedCadence", STRING, "daily"),
	};
	const entity_field obs[] = {F("seriesId", STRING, "s"), F("value", NUMBER, "1.5")};
	entity_record rec = {"sources", 0, 1, 0, 5, fields, false, 0};
	entity_record orec = {"observations", 0, 1, 0, 2, obs, false, 0};
	entity_field changed[2] = {F("seriesId", STRING, "s"), F("value", NUMBER, "")};
	bool		locked = true;
	storewrite *sw = storewrite_open(path, 0, &locked);

	assert_non_null(sw);
	assert_false(locked);
	if (value)
	{
		changed[1].val = value;
		changed[1].len = strlen(value);
		orec.fields = changed;
	}
	storewrite_meta(sw, "1", "2026-03-01T00:00:00.000Z");
	storewrite_array_begin(sw, "observations");
	storewrite_record(sw, &orec);
	storewrite_array_end(sw);
	storewrite_array_begin(sw, "sources");
	storewrite_record(sw, &rec);
	storewrite_array_end(sw);
	if (commit)
		assert_true(storewrite_commit(&sw));
	else
		storewrite_abort(&sw);
	assert_null(sw);
}

static void
test_shape(void **state)
{
	write_store(true, NULL);
	assert_string_equal(slurp(path),
						"{\n"
						"  \"version\": 1,\n"
						"  \"updatedAt\": \"2026-03-01T00:00:00.000Z\",\n"
						"  \"observations\": [\n"
						"    {\n"
						"      \"seriesId\": \"s\",\n"
						"      \"value\": 1.5\n"
						"    }\n"
						"  ],\n"
						"  \"sources\": [\n"
						"    {\n"
						"      \"sourceId\": \"rba\",\n"
						"      \"domain\": \"housing\",\n"
						"      \"name\": \"RBA\",\n"
						"      \"url\": \"https://rba.gov.au\",\n"
						"      \"expectedCadence\": \"daily\"\n"
						"    }\n"
						"  ]\n"
						"}");
}

static void
test_abort_keeps_the_store(void **state)
{
	char		before[8192];
	char		tmpl[300];

	write_store(true, NULL);
	snprintf(before, sizeof(before), "%s", slurp(path));
	write_store(false, "2.5");
	assert_string_equal(slurp(path), before);
	/* no temporary file is left beside it */
	snprintf(tmpl, sizeof(tmpl), "ls -A '%s' | grep -v -x -e store.json -e store.json.lock | "
			 "grep -q .", dir);
	assert_int_not_equal(system(tmpl), 0);
	write_store(true, "2.5");
	assert_non_null(strstr(slurp(path), "\"value\": 2.5"));
}

static void
test_lock_held(void **state)
{
	char		lock[300];
	int			fd;
	bool		locked = false;
	storewrite *sw;

	snprintf(lock, sizeof(lock), "%s.lock", path);
	fd = open(lock, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	sw = storewrite_open(path, 0, &locked);
	assert_null(sw);
	assert_true(locked);
	close(fd);
}

static int
setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/store.json", dir);
	return 0;
}

static int
teardown(void **state)
{
	char		cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_abort_keeps_the_store),
		cmocka_unit_test(test_lock_held),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return _cmocka_run_group_tests(__FILE__, tests, lengthof(tests), setup, teardown);
}
