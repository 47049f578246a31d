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
#include <cmocka.h>

static inline int
unit_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return _cmocka_run_group_tests(name, tests, n, NULL, NULL);
}

#define UNIT_RUN(tests) unit_run(__FILE__, tests, sizeof(tests) / sizeof((tests)[0]))

#endif
