/*
 * unit.h - the smallest harness for table-driven unit tests: each check
 * prints "PASS name" or "FAIL name: detail" (tests/run.py counts them)
 * and unit_exit() makes the binary's status non-zero on any failure.
 */
#ifndef FOLLOWUP_UNIT_H
#define FOLLOWUP_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures;

#define CHECK(name, cond, ...) do { \
	if (cond) \
		printf("PASS %s\n", (name)); \
	else { \
		printf("FAIL %s: ", (name)); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		unit_failures++; \
	} \
} while (0)

static inline int
unit_exit(void)
{
	return unit_failures ? 1 : 0;
}

#endif
