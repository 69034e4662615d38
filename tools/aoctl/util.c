// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: error reporting.
 */
#include <stdarg.h>
#include <stdio.h>

#include "util.h"

FILE *err_fp;
static char location[512];

void err_set_location(const char *file, unsigned int line)
{
	if (file)
		snprintf(location, sizeof(location), "%s:%u: ", file, line);
	else
		location[0] = '\0';
}

const char *err_location(void)
{
	return location;
}

static FILE *efp(void)
{
	return err_fp ? err_fp : stderr;
}

void aoctl_err(const char *what, const char *fmt, ...)
{
	FILE *fp = efp();
	va_list ap;

	fprintf(fp, "aoctl: %s", location);
	if (what && *what)
		fprintf(fp, "%s: ", what);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}

void aoctl_warn(const char *fmt, ...)
{
	FILE *fp = efp();
	va_list ap;

	fprintf(fp, "aoctl: %swarning: ", location);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}
