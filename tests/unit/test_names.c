// SPDX-License-Identifier: GPL-2.0
/*
 * One word for one cause, in the kernel log and in aoctl: an operator greps
 * "key-not-found" in dmesg and in "aoctl stats" or "aoctl monitor" and finds
 * both.  The kernel's names (src/drop.c, tcpao_cause_names) and aoctl's
 * (parse.c, drop_cause_name) are two tables of one uAPI enum; this reads
 * the kernel's from its source and compares them, cause by cause, and
 * likewise the diagnoses the kernel log line carries (tcpao_diag_why) with
 * what aoctl prints for them.  A cause added on one side only fails here.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tap.h"

#define E(x) { x, #x }

static const struct {
	unsigned int v;
	const char *sym;
} drops[] = {
	E(TCPAO_DROP_BAD_MAC), E(TCPAO_DROP_KEY_NOT_FOUND),
	E(TCPAO_DROP_AO_REQUIRED), E(TCPAO_DROP_MALFORMED),
	E(TCPAO_DROP_KEY_EXPIRED), E(TCPAO_DROP_KEY_NOT_VALID),
	E(TCPAO_DROP_NO_STATE), E(TCPAO_DROP_MD5_CONFLICT),
	E(TCPAO_DROP_NO_SEND_KEY),
}, diags[] = {
	E(TCPAO_DIAG_OPTS_COVERED), E(TCPAO_DIAG_OPTS_EXCLUDED),
	E(TCPAO_DIAG_IDS_SWAPPED), E(TCPAO_DIAG_OTHER_ALG),
	E(TCPAO_DIAG_KEY_FUTURE), E(TCPAO_DIAG_KEY_EXPIRED),
	E(TCPAO_DIAG_UNKNOWN),
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

/*
 * The string literal initialising "[SYM] =" in @src, after @table (the
 * table's name: the same symbol indexes several tables), or NULL.
 */
static char *initialiser(const char *src, const char *table, const char *sym)
{
	char key[96];
	const char *p = strstr(src, table), *q;
	char *s;

	if (!p)
		return NULL;
	snprintf(key, sizeof(key), "[%s]", sym);
	p = strstr(p, key);
	if (!p)
		return NULL;
	p += strlen(key);
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '=')
		return NULL;
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '"')
		return NULL;
	q = strchr(p, '"');
	if (!q)
		return NULL;
	s = strndup(p, q - p);
	return s;
}

int main(void)
{
	const char *top = getenv("TOPDIR");
	char path[4096], buf[256];
	char *src, *k;
	size_t i;

	snprintf(path, sizeof(path), "%s/src/drop.c", top ? top : "../..");
	src = slurp(path);
	if (!ok(src, "read %s", path))
		return tap_done();

	is_int(sizeof(drops) / sizeof(drops[0]), __TCPAO_DROP_MAX - 1,
	       "every drop cause of the uAPI is listed here");
	for (i = 0; i < sizeof(drops) / sizeof(drops[0]); i++) {
		k = initialiser(src, "tcpao_cause_names", drops[i].sym);
		ok(k, "%s: named in the kernel", drops[i].sym);
		is_str(drop_cause_name(drops[i].v, buf, sizeof(buf)), k,
		       "%s: aoctl says it as the kernel log does", drops[i].sym);
		free(k);
	}

	is_int(sizeof(diags) / sizeof(diags[0]), __TCPAO_DIAG_MAX - 1,
	       "every diagnosis of the uAPI is listed here");
	for (i = 0; i < sizeof(diags) / sizeof(diags[0]); i++) {
		const char *fix;

		k = initialiser(src, "tcpao_diag_why", diags[i].sym);
		ok(k, "%s: explained in the kernel log line", diags[i].sym);
		diag_reason(diags[i].v, 7, INT64_MIN, buf, sizeof(buf));
		/*
		 * aoctl knows the KeyID and says it ("peer uses key 7, ..."),
		 * the log line names the connection instead: the fix, after
		 * the colon or in the parentheses, is the same words.
		 */
		fix = k ? strrchr(k, ':') : NULL;
		fix = fix ? fix + 2 : k;
		ok(k && fix && strstr(buf, fix),
		   "%s: aoctl's reason \"%s\" carries the log line's \"%s\"",
		   diags[i].sym, buf, fix ? fix : "(none)");
		free(k);
	}
	free(src);
	return tap_done();
}
