// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: usage texts.  Keep them in step with aoctl.8.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "aoctl.h"
#include "util.h"

static const char usage_main[] =
"Usage: aoctl [OPTIONS] OBJECT { COMMAND | help }\n"
"       aoctl [OPTIONS] -b FILE [--sync] [--check]\n"
"       aoctl -V\n"
"where  OBJECT := { keychain | peer | conn | stats | monitor | limits | flush }\n"
"       OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -b[atch] FILE |\n"
"                    -V[ersion] | -h[elp] }\n"
"       --sync: FILE is the whole configuration; change only what differs\n"
"       --check: check FILE and every secret-file, change nothing\n"
"       Words may be abbreviated on the command line: aoctl k s = aoctl keychain show\n";

static const char usage_keychain[] =
"Usage: aoctl keychain add NAME key ID SECRET send-id N recv-id N [KEY-OPTIONS]\n"
"       aoctl keychain add NAME [tolerance SECONDS]\n"
"       aoctl keychain set NAME key ID [SECRET] [KEY-OPTIONS] [send-id N] [recv-id N]\n"
"       aoctl keychain set NAME tolerance SECONDS\n"
"       aoctl keychain del NAME [key ID]\n"
"       aoctl keychain show [NAME] [detail]\n"
"where  SECRET := { secret STRING | secret-file { PATH | - } | secret-hex HEX }\n"
"       KEY-OPTIONS := [ cryptographic-algorithm { hmac-sha-1-96 | aes-128-cmac-96 } ]\n"
"                      [ start-time YYYY-MM-DD.HH:MM[:SS] [ +HHMM | -HHMM ] ]\n"
"                      [ tcp-ao-option { enabled | disabled } ]\n"
"       NAME: 1-63 characters   ID: 0-63   N: 0-255   SECRET: 1-80 bytes\n"
"       SECONDS: 0-999999999 (default 3600)   start-time: UTC unless an offset is given\n";

static const char usage_peer[] =
"Usage: aoctl peer add PREFIX keychain NAME [port { PORT | any }] [vrf DEV]\n"
"                      [allow-without-tcpao] [accept-icmps]\n"
"       aoctl peer del PREFIX [port { PORT | any }] [vrf DEV] [keychain NAME ...]\n"
"       aoctl peer show [SELECTORS]\n"
"where  PREFIX := { IPV4-ADDRESS | IPV6-ADDRESS }[/LEN]   PORT: 1-65535\n"
"       SELECTORS := [PREFIX] [port { PORT | any }] [vrf DEV] [keychain NAME]\n";

static const char usage_conn[] =
"Usage: aoctl conn show [SELECTORS] [detail]\n"
"where  SELECTORS := [PREFIX] [port PORT] [vrf DEV] [keychain NAME]\n";

static const char usage_stats[] =
"Usage: aoctl stats [show]\n"
"       aoctl stats peer [SELECTORS]\n"
"where  SELECTORS := [PREFIX] [port { PORT | any }] [vrf DEV] [keychain NAME]\n";

static const char usage_monitor[] =
"Usage: aoctl monitor\n";

static const char usage_limits[] =
"Usage: aoctl limits show\n"
"       aoctl limits set [keychains N] [peers N] [conns N] [bindings N]\n";

static const char usage_flush[] =
"Usage: aoctl flush\n";

static const struct {
	const char *object;
	const char *text;
} usages[] = {
	{ "keychain", usage_keychain },
	{ "peer", usage_peer },
	{ "conn", usage_conn },
	{ "stats", usage_stats },
	{ "monitor", usage_monitor },
	{ "limits", usage_limits },
	{ "flush", usage_flush },
};

void print_usage_short(FILE *fp)
{
	fputs("Usage: aoctl [OPTIONS] OBJECT { COMMAND | help }\n"
	      "where  OBJECT := { keychain | peer | conn | stats | monitor | limits | flush }\n"
	      "Try 'aoctl help' for the commands and options, or see aoctl(8).\n",
	      fp);
}

bool usage_known_object(const char *object)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(usages); i++)
		if (!strcmp(object, usages[i].object))
			return true;
	return false;
}

void print_usage(FILE *fp, const char *object)
{
	unsigned int i;

	if (object) {
		for (i = 0; i < ARRAY_SIZE(usages); i++) {
			if (!strcmp(object, usages[i].object)) {
				fputs(usages[i].text, fp);
				return;
			}
		}
	}
	fputs(usage_main, fp);
	for (i = 0; i < ARRAY_SIZE(usages); i++) {
		fputc('\n', fp);
		fputs(usages[i].text, fp);
	}
	fputs("\nSee aoctl(8).\n", fp);
}
