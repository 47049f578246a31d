/*
 * tests/unit/test_copy.c - COPY text escaping, and the COPY writer's
 * protocol use against a faked libpq (linked with -Wl,--wrap), to reach
 * the error paths a real server cannot produce on demand.
 */
#include "unit.h"

#include "pg/copy.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "base/banned.h"

/* ---- the fake libpq ---- */
static ExecStatusType fake_exec_status = PGRES_COPY_IN;
static ExecStatusType fake_end_status = PGRES_COMMAND_OK;
static bool fake_put_fails;
static int	fake_results_left;
static sbuf sent;
static char *end_errmsg;
static int	end_calls;
static int	put_calls;
static long long fake_stored = -1;	/* rows the server says it stored; -1: those sent */

PGresult   *__wrap_PQexec(PGconn *conn, const char *query);
int			__wrap_PQputCopyData(PGconn *conn, const char *buffer, int nbytes);
int			__wrap_PQputCopyEnd(PGconn *conn, const char *errormsg);
PGresult   *__wrap_PQgetResult(PGconn *conn);
char	   *__wrap_PQerrorMessage(const PGconn *conn);
char	   *__wrap_PQcmdTuples(PGresult *res);

PGresult *
__wrap_PQexec(PGconn *conn, const char *query)
{
	return PQmakeEmptyPGresult(NULL, fake_exec_status);
}

int
__wrap_PQputCopyData(PGconn *conn, const char *buffer, int nbytes)
{
	put_calls++;
	if (fake_put_fails)
		return -1;
	sbuf_append(&sent, buffer, (size_t) nbytes);
	return 1;
}

int
__wrap_PQputCopyEnd(PGconn *conn, const char *errormsg)
{
	end_calls++;
	free(end_errmsg);
	end_errmsg = errormsg ? strdup(errormsg) : NULL;
	fake_results_left = 1;
	return 1;
}

PGresult *
__wrap_PQgetResult(PGconn *conn)
{
	if (fake_results_left-- > 0)
		return PQmakeEmptyPGresult(NULL, fake_end_status);
	return NULL;
}

char *
__wrap_PQerrorMessage(const PGconn *conn)
{
	return "server closed the connection unexpectedly\n";
}

char *
__wrap_PQcmdTuples(PGresult *res)
{
	static char buf[32];
	long long	n = 0;

	for (size_t i = 0; i < sent.len; i++)
		n += sent.data[i] == '\n';
	snprintf(buf, sizeof(buf), "%lld", fake_stored >= 0 ? fake_stored : n);
	return buf;
}

static int
reset(void **state)
{
	fake_stored = -1;
	fake_exec_status = PGRES_COPY_IN;
	fake_end_status = PGRES_COMMAND_OK;
	fake_put_fails = false;
	fake_results_left = 0;
	end_calls = put_calls = 0;
	free(end_errmsg);
	end_errmsg = NULL;
	sbuf_reset(&sent);
	return 0;
}

/* ---- tests ---- */
static void
test_escape(void **state)
{
	sbuf		out;

	sbuf_init(&out);
	assert_true(copy_escape(&out, "a\tb\\c\nd\re", 9));
	assert_string_equal(out.data, "a\\tb\\\\c\\nd\\re");
	sbuf_reset(&out);
	assert_true(copy_escape(&out, "plain ünïcödé", strlen("plain ünïcödé")));
	assert_string_equal(out.data, "plain ünïcödé");
	sbuf_reset(&out);
	assert_true(copy_escape(&out, "\\N", 2));	/* a literal \N is not NULL */
	assert_string_equal(out.data, "\\\\N");
	sbuf_reset(&out);
	assert_false(copy_escape(&out, "a\0b", 3));
	assert_int_equal(out.len, 0);
	sbuf_release(&out);
}

static void
test_rows_and_flush(void **state)
{
	copy_writer *w = copy_begin((PGconn *) 1, "COPY x FROM STDIN");
	long long	rows = -1;
	int			i;

	assert_non_null(w);
	for (i = 0; i < 10000; i++)
	{
		assert_true(copy_field_str(w, "k\tey"));
		copy_field_null(w);
		assert_true(copy_field_str(w, "1.5"));
		assert_true(copy_row_end(w));
	}
	assert_true(put_calls >= 1);	/* flushed in chunks, not at the end only */
	assert_true(copy_end(&w, &rows));
	assert_true(put_calls >= 2);
	assert_null(w);
	assert_int_equal(rows, 10000);
	assert_int_equal(end_calls, 1);
	assert_null(end_errmsg);	/* success ends with a NULL message */
	assert_int_equal(sent.len, 10000 * strlen("k\\tey\t\\N\t1.5\n"));
	assert_memory_equal(sent.data, "k\\tey\t\\N\t1.5\nk\\tey", 18);
}

/* The server's count of the rows it stored must be the count sent. */
static void
test_server_stored_fewer(void **state)
{
	copy_writer *w = copy_begin((PGconn *) 1, "COPY x FROM STDIN");
	long long	rows = -1;

	for (int i = 0; i < 3; i++)
	{
		assert_true(copy_field_str(w, "a"));
		assert_true(copy_row_end(w));
	}
	fake_stored = 2;
	assert_false(copy_end(&w, &rows));
	assert_null(w);
	assert_int_equal(rows, -1);
	assert_null(end_errmsg);	/* the COPY itself ended normally */
}

static void
test_nul_field_rejected(void **state)
{
	copy_writer *w = copy_begin((PGconn *) 1, "COPY x FROM STDIN");

	assert_true(copy_field_str(w, "a"));
	assert_false(copy_field(w, "b\0c", 3));
	assert_true(copy_field_str(w, "d"));
	assert_true(copy_row_end(w));
	assert_true(copy_end(&w, NULL));
	assert_string_equal(sent.data, "a\td\n");
}

static void
test_send_failure_aborts(void **state)
{
	copy_writer *w = copy_begin((PGconn *) 1, "COPY x FROM STDIN");
	bool		ok = true;
	int			i;

	fake_put_fails = true;
	for (i = 0; i < 10000 && ok; i++)
	{
		copy_field_str(w, "some row data to fill the buffer");
		ok = copy_row_end(w);
	}
	assert_false(ok);
	assert_false(copy_end(&w, NULL));
	assert_int_equal(end_calls, 1);
	/* the COPY is ended with an error, never committed as complete */
	assert_non_null(end_errmsg);
}

static void
test_server_rejects_at_end(void **state)
{
	copy_writer *w = copy_begin((PGconn *) 1, "COPY x FROM STDIN");
	long long	rows = -1;

	fake_end_status = PGRES_FATAL_ERROR;
	copy_field_str(w, "x");
	copy_row_end(w);
	assert_false(copy_end(&w, &rows));
	assert_int_equal(rows, -1);
}

static void
test_abort_sends_reason(void **state)
{
	copy_writer *w = copy_begin((PGconn *) 1, "COPY x FROM STDIN");

	copy_field_str(w, "x");
	copy_row_end(w);
	copy_abort(&w, "input error at line 3");
	assert_null(w);
	assert_string_equal(end_errmsg, "input error at line 3");
	copy_abort(&w, "again");	/* NULL writer: no-op */
	assert_int_equal(end_calls, 1);
}

static void
test_begin_requires_copy_in(void **state)
{
	fake_exec_status = PGRES_FATAL_ERROR;
	assert_null(copy_begin((PGconn *) 1, "COPY nosuch FROM STDIN"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_escape, reset),
		cmocka_unit_test_setup(test_rows_and_flush, reset),
		cmocka_unit_test_setup(test_server_stored_fewer, reset),
		cmocka_unit_test_setup(test_nul_field_rejected, reset),
		cmocka_unit_test_setup(test_send_failure_aborts, reset),
		cmocka_unit_test_setup(test_server_rejects_at_end, reset),
		cmocka_unit_test_setup(test_abort_sends_reason, reset),
		cmocka_unit_test_setup(test_begin_requires_copy_in, reset),
	};
	int			rc;

	log_init("test_copy");
	log_set_level(LOG_LEVEL_OFF);
	sbuf_init(&sent);
	rc = UNIT_RUN(tests);
	sbuf_release(&sent);
	free(end_errmsg);
	return rc;
}
