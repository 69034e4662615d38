// SPDX-License-Identifier: GPL-2.0
/*
 * Batch files: word splitting (quotes, escapes, comments) and line
 * reading (continuations, line numbers, CRLF).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "batch.h"
#include "tap.h"

/* Split s and compare with the words in want, separated by '|'. */
static void split(const char *s, const char *want)
{
	char *line = strdup(s), *argv[BATCH_MAX_ARGS];
	char err[256] = "", got[1024] = "";
	int argc = batch_split(line, argv, BATCH_MAX_ARGS, err, sizeof(err));
	int i;

	for (i = 0; i < argc; i++) {
		if (i)
			strcat(got, "|");
		strcat(got, "<");
		strcat(got, argv[i]);
		strcat(got, ">");
	}
	if (argc < 0)
		snprintf(got, sizeof(got), "ERROR: %s", err);
	is_str(got, want, "split [%s]", s);
	free(line);
}

static const char text[] =
	"keychain show\n"
	"\n"
	"# comment\n"
	"peer add 10.0.0.2 \\\n"
	"   keychain k\n"
	"limits show\r\n"
	"stats";

int main(void)
{
	char *argv[BATCH_MAX_ARGS], err[256], many[1024] = "";
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0, first = 0;
	FILE *fp;
	int i;

	split("keychain show", "<keychain>|<show>");
	split("  keychain\tshow  ", "<keychain>|<show>");
	split("", "");
	split("   ", "");
	split("# a comment", "");
	split("   # indented comment", "");
	split("keychain show # trailing comment", "<keychain>|<show>");
	split("secret a#b", "<secret>|<a#b>");
	split("secret 'two words'", "<secret>|<two words>");
	split("secret \"two words\"", "<secret>|<two words>");
	split("secret ''", "<secret>|<>");
	split("secret \"\"", "<secret>|<>");
	split("secret 'it''s'", "<secret>|<its>");
	split("secret \"it's\"", "<secret>|<it's>");
	split("secret 'say \"hi\"'", "<secret>|<say \"hi\">");
	split("secret \"a\\\"b\"", "<secret>|<a\"b>");
	split("secret \"a\\\\b\"", "<secret>|<a\\b>");
	split("secret \"a\\nb\"", "<secret>|<a\\nb>");
	split("secret 'a\\b'", "<secret>|<a\\b>");
	split("secret a\\ b", "<secret>|<a b>");
	split("secret ab\"cd ef\"gh", "<secret>|<abcd efgh>");
	split("secret '#not a comment'", "<secret>|<#not a comment>");
	split("start-time \"2011-6-23.20:19:00 -0700\"",
	      "<start-time>|<2011-6-23.20:19:00 -0700>");
	split("secret 'unterminated", "ERROR: unterminated single quote");
	split("secret \"unterminated", "ERROR: unterminated double quote");
	split("secret abc\\", "ERROR: backslash at the end of the line");

	for (i = 0; i < BATCH_MAX_ARGS; i++)
		strcat(many, "w ");
	ok(batch_split(many, argv, BATCH_MAX_ARGS, err, sizeof(err)) == -1,
	   "too many words rejected");
	like(err, "too many words", "  message");

	/* Reading */
	fp = fmemopen((char *)text, strlen(text), "r");
	ok(batch_read(fp, &line, &cap, &lineno, &first) >= 0 &&
	   !strcmp(line, "keychain show") && first == 1, "line 1");
	ok(batch_read(fp, &line, &cap, &lineno, &first) >= 0 &&
	   !strcmp(line, "") && first == 2, "line 2 (blank)");
	ok(batch_read(fp, &line, &cap, &lineno, &first) >= 0 && first == 3,
	   "line 3 (comment)");
	ok(batch_read(fp, &line, &cap, &lineno, &first) >= 0 && first == 4 &&
	   lineno == 5, "lines 4-5: continuation, numbered from its first line");
	is_str(line, "peer add 10.0.0.2     keychain k", "  joined");
	ok(batch_read(fp, &line, &cap, &lineno, &first) >= 0 &&
	   !strcmp(line, "limits show") && first == 6, "line 6: CRLF");
	ok(batch_read(fp, &line, &cap, &lineno, &first) >= 0 &&
	   !strcmp(line, "stats") && first == 7, "line 7: no final newline");
	ok(batch_read(fp, &line, &cap, &lineno, &first) < 0, "end of file");
	batch_free_line(&line, &cap);
	ok(line == NULL && cap == 0, "line freed");
	fclose(fp);

	return tap_done();
}
