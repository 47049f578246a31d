/*
 * tests/unit/unit.h - common includes for the cmocka unit tests.
 *
 * Each test program prints TAP (cmocka's CM_OUTPUT_TAP), so "make check"
 * runs them through the same prove as the integration tests.
 */
#ifndef AUSDASH_UNIT_H
#define AUSDASH_UNIT_H

#include "base/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

static inline int
unit_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return _cmocka_run_group_tests(name, tests, n, NULL, NULL);
}

/*
 * Runs fn(arg) in a child with file descriptor fd (stdout or stderr) going
 * to a temporary file, for code that exits or closes its output as the
 * tools do; its output into out (NUL-terminated).  Returns the child's exit
 * status (fn returning is 0).
 */
static inline int
unit_in_child(void (*fn) (void *arg), void *arg, int fd, char *out, size_t size)
{
	char		path[] = "/tmp/ausdash-unit-XXXXXX";
	int			tmp = mkstemp(path);
	pid_t		pid;
	int			status;
	ssize_t		n;

	assert_true(tmp >= 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
	{
		dup2(tmp, fd);
		fn(arg);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	n = pread(tmp, out, size - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(tmp);
	unlink(path);
	return WEXITSTATUS(status);
}

#define UNIT_RUN(tests) unit_run(__FILE__, tests, sizeof(tests) / sizeof((tests)[0]))

#endif
