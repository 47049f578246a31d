/*
 * lib/base/common.h - included first by every ausdash source file.
 *
 * Feature-test macros, the standard headers everyone needs, the exit-code
 * table, and banned.h last so that no later include can reintroduce a
 * banned function.
 */
#ifndef AUSDASH_COMMON_H
#define AUSDASH_COMMON_H

#define _GNU_SOURCE 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/exitcode.h"

#ifndef AUSDASH_VERSION
#define AUSDASH_VERSION "0.1.0"
#endif

#if defined(__GNUC__)
#define AUSDASH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define AUSDASH_NORETURN __attribute__((noreturn))
#else
#define AUSDASH_PRINTF(f, a)
#define AUSDASH_NORETURN
#endif

#define lengthof(array) (sizeof(array) / sizeof((array)[0]))

#endif
