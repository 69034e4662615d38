// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: batch file reading and shell-like word splitting.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

int batch_split(char *line, char **argv, int max, char *err, size_t errlen)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		char quote = 0;
		char *word;

		while (is_blank(*r))
			r++;
		if (!*r || *r == '#')
			break;
		if (argc >= max - 1) {
			snprintf(err, errlen, "too many words (at most %d)",
				 max - 1);
			return -1;
		}
		word = w;
		while (*r) {
			char c = *r;

			if (quote == '\'') {
				if (c == '\'')
					quote = 0;
				else
					*w++ = c;
				r++;
			} else if (quote == '"') {
				if (c == '"') {
					quote = 0;
					r++;
				} else if (c == '\\' && r[1] &&
					   strchr("\"\\$`", r[1])) {
					*w++ = r[1];
					r += 2;
				} else {
					*w++ = c;
					r++;
				}
			} else if (c == '\'' || c == '"') {
				quote = c;
				r++;
			} else if (c == '\\') {
				if (!r[1]) {
					snprintf(err, errlen,
						 "backslash at the end of the line");
					return -1;
				}
				*w++ = r[1];
				r += 2;
			} else if (is_blank(c)) {
				break;
			} else {
				*w++ = c;
				r++;
			}
		}
		if (quote) {
			snprintf(err, errlen, "unterminated %s quote",
				 quote == '"' ? "double" : "single");
			return -1;
		}
		/* The separator is consumed after the terminator is placed:
		 * w <= r always, and w == r only if nothing was removed.
		 */
		if (*r)
			r++;
		*w++ = '\0';
		argv[argc++] = word;
	}
	argv[argc] = NULL;
	return argc;
}

static void wipe(char *p, size_t n)
{
	if (p)
		explicit_bzero(p, n);
}

long batch_read(FILE *fp, char **line, size_t *cap, unsigned int *lineno,
		unsigned int *first)
{
	char *part = NULL;
	size_t partcap = 0;
	size_t len = 0;
	bool started = false;

	if (*line)
		wipe(*line, *cap);
	/* Big enough that getline() rarely reallocates (it would leave an
	 * unwiped copy of the line behind).
	 */
	partcap = 4096;
	part = malloc(partcap);
	if (!part)
		return -1;
	for (;;) {
		ssize_t n = getline(&part, &partcap, fp);
		size_t bs = 0;

		if (n < 0)
			break;
		(*lineno)++;
		if (!started) {
			*first = *lineno;
			started = true;
		}
		if (n > 0 && part[n - 1] == '\n')
			part[--n] = '\0';
		if (n > 0 && part[n - 1] == '\r')
			part[--n] = '\0';
		/* An odd number of trailing backslashes: continuation. */
		while (bs < (size_t)n && part[n - 1 - bs] == '\\')
			bs++;
		if (len + (size_t)n + 2 > *cap) {
			size_t ncap = (len + (size_t)n + 2) * 2;
			char *p = malloc(ncap);

			if (!p) {
				wipe(part, partcap);
				free(part);
				return -1;
			}
			if (*line) {
				memcpy(p, *line, len);
				wipe(*line, *cap);
				free(*line);
			}
			*line = p;
			*cap = ncap;
		}
		memcpy(*line + len, part, (size_t)n);
		len += (size_t)n;
		(*line)[len] = '\0';
		if (bs % 2) {
			/* Drop the backslash; the newline becomes a blank. */
			(*line)[len - 1] = ' ';
			continue;
		}
		break;
	}
	wipe(part, partcap);
	free(part);
	if (!started)
		return -1;
	return (long)len;
}

void batch_free_line(char **line, size_t *cap)
{
	if (*line) {
		wipe(*line, *cap);
		free(*line);
	}
	*line = NULL;
	*cap = 0;
}
