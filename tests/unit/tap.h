/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for aoctl's unit tests.
 *
 *	ok(cond, "name %d", i);
 *	is_int(got, want, "name");
 *	is_str(got, want, "name");
 *	return tap_done();	(prints the plan, exit status 1 on failure)
 */
#ifndef AOCTL_TAP_H
#define AOCTL_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline int __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   Failed at %s line %d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do {					\
	long long __g = (long long)(got), __w = (long long)(want);	\
	if (!ok(__g == __w, __VA_ARGS__))				\
		printf("#   got: %lld\n#   expected: %lld\n", __g, __w);	\
} while (0)

/* Out of line: a NULL test inline would make GCC warn about %s args. */
static __attribute__((noinline, unused)) int tap_streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

#define is_str(got, want, ...) do {					\
	const char *__g = (got), *__w = (want);				\
	if (!ok(tap_streq(__g, __w), __VA_ARGS__))			\
		printf("#   got:      '%s'\n#   expected: '%s'\n",		\
		       __g ? __g : "(null)", __w ? __w : "(null)");	\
} while (0)

static __attribute__((noinline, unused)) int tap_contains(const char *a, const char *b)
{
	return a && b && strstr(a, b);
}

/* Substring check. */
#define like(got, needle, ...) do {					\
	const char *__g = (got), *__n = (needle);			\
	if (!ok(tap_contains(__g, __n), __VA_ARGS__))			\
		printf("#   got:      '%s'\n#   expected to contain: '%s'\n", \
		       __g ? __g : "(null)", __n);			\
} while (0)

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# %d of %d tests failed\n", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}

#endif
