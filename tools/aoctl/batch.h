/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aoctl: batch files (-b FILE).
 */
#ifndef AOCTL_BATCH_H
#define AOCTL_BATCH_H

#include <stdio.h>

#define BATCH_MAX_ARGS 64

/*
 * Split a line into words, in place, the way a shell would for simple
 * cases: blanks separate words; '...' is literal; "..." is literal except
 * that \" \\ \$ and \` are escapes; a backslash outside quotes escapes the
 * next character; a word starting with '#' starts a comment.  Returns the
 * number of words (argv[argc] = NULL) or -1 with a message in err.
 */
int batch_split(char *line, char **argv, int max, char *err, size_t errlen);

/*
 * Read the next command from fp into *line (getline() buffer, wiped
 * before it is reused or freed by batch_free_line()).  A line ending in a
 * backslash continues on the next one.  *lineno is advanced past the lines
 * read; *first is set to the number of the command's first line.
 * Returns the length, or -1 at the end of the file.
 */
long batch_read(FILE *fp, char **line, size_t *cap, unsigned int *lineno,
		unsigned int *first);
void batch_free_line(char **line, size_t *cap);

#endif
