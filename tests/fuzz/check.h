/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHECK(cond): what the fuzz targets assert.  A failure names the file,
 * line and condition, then aborts, which libFuzzer reports as a crash
 * with the input that caused it.
 */
#ifndef _TCPAO_FUZZ_CHECK_H
#define _TCPAO_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
			__LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#endif /* _TCPAO_FUZZ_CHECK_H */
