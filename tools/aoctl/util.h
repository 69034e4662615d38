/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aoctl: error reporting shared by every part of the tool.
 *
 * All diagnostics go to err_fp (stderr; the unit tests point it at a
 * memory stream) in the form
 *
 *	aoctl: [FILE:LINE: ]COMMAND: MESSAGE
 *
 * where FILE:LINE is set while a batch file is processed.
 */
#ifndef AOCTL_UTIL_H
#define AOCTL_UTIL_H

#include <stdarg.h>
#include <stdio.h>

/* Exit codes. */
#define EXIT_OK		0
#define EXIT_ERR	1	/* runtime or kernel error */
#define EXIT_USAGE	2	/* the command line is wrong */

extern FILE *err_fp;

/* "FILE:LINE: " while running a batch, "" otherwise. */
void err_set_location(const char *file, unsigned int line);
const char *err_location(void);

/* aoctl: [loc]WHAT: message.  WHAT may be NULL. */
void aoctl_err(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* aoctl: [loc]warning: message */
void aoctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
