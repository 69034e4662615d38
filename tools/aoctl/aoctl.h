/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aoctl: a parsed command.  args.c turns words into a struct aoctl_cmd
 * (client-side validation, no netlink); msg.c turns it into a request;
 * aoctl.c runs it.
 */
#ifndef AOCTL_AOCTL_H
#define AOCTL_AOCTL_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "parse.h"

enum aoctl_op {
	OP_NONE,
	OP_HELP,		/* help [OBJECT] */
	OP_KEYCHAIN_NEW,	/* keychain add NAME [tolerance N] */
	OP_KEYCHAIN_SET,	/* keychain set NAME tolerance N */
	OP_KEYCHAIN_DEL,	/* keychain del NAME */
	OP_KEYCHAIN_SHOW,	/* keychain show [NAME] [detail] */
	OP_KEY_NEW,		/* keychain add NAME key ID ... */
	OP_KEY_SET,		/* keychain set NAME key ID ... */
	OP_KEY_DEL,		/* keychain del NAME key ID */
	OP_PEER_NEW,		/* peer add PREFIX keychain NAME ... */
	OP_PEER_DEL,		/* peer del PREFIX ... */
	OP_PEER_SHOW,		/* peer show [SELECTORS] */
	OP_CONN_SHOW,		/* conn show [SELECTORS] [detail] */
	OP_STATS,		/* stats [show] */
	OP_STATS_PEER,		/* stats peer [SELECTORS] */
	OP_MONITOR,
	OP_LIMITS_SHOW,
	OP_LIMITS_SET,
	OP_FLUSH,
};

enum aoctl_limit {
	LIMIT_KEYCHAINS,
	LIMIT_PEERS,
	LIMIT_CONNS,
	LIMIT_BINDINGS,
	LIMIT_COUNT,
};

struct aoctl_cmd {
	enum aoctl_op op;
	char what[24];			/* "keychain add": for messages */
	char help_topic[16];		/* OP_HELP: object or "" */

	/* keychain and key */
	char keychain[TCPAO_KEYCHAIN_NAME_LEN];
	bool has_keychain;
	bool has_key_id, has_secret, has_send_id, has_recv_id, has_alg;
	bool has_tcp_options, has_start_time, has_tolerance;
	uint8_t key_id, send_id, recv_id, alg, tcp_options;
	int64_t start_time;
	uint32_t tolerance;
	struct aoctl_secret secret;
	bool detail;

	/* peer; and the selectors of peer show, conn show, stats peer */
	struct aoctl_prefix prefix;
	bool has_prefix;		/* selectors only: add/del need one */
	bool has_port;			/* port PORT or port any */
	uint16_t port;			/* 0: "port any" */
	bool has_vrf;			/* a VRF device to resolve */
	char vrf[IF_NAMESIZE];
	bool sel_vrf;			/* selectors: vrf given (default too) */
	uint32_t ifindex;		/* resolved from vrf when run */
	uint32_t flags;			/* TCPAO_F_* */
	bool replace;			/* peer add: replace (a sync's) */

	/* limits */
	bool has_limit[LIMIT_COUNT];
	uint32_t limit[LIMIT_COUNT];
};

/* How args.c behaves: set by main() / the batch driver / the tests. */
struct parse_opts {
	bool batch;		/* words come from a batch file */
	bool batch_stdin;	/* ... read from standard input */
	bool quiet_usage;	/* no usage text after syntax errors */
	bool check;		/* --check: secret files must be private */
	int64_t now;		/* for "start-time now" */
};

/*
 * Parse OBJECT [VERB [ARGS]] (argv[0] is the object).  Returns EXIT_OK,
 * EXIT_USAGE (message printed, and the object's usage unless
 * quiet_usage) or EXIT_ERR (e.g. a secret file cannot be read).
 * Secret words (secret STRING, secret-hex HEX) are wiped in argv.
 * The struct keeps no pointer into argv.
 */
int aoctl_parse(int argc, char **argv, struct aoctl_cmd *cmd,
		const struct parse_opts *opts);
void aoctl_cmd_wipe(struct aoctl_cmd *cmd);

/* usage.c: the usage of an object (NULL: everything). */
void print_usage(FILE *fp, const char *object);
/* Three lines: the synopsis and where to look (no object given). */
void print_usage_short(FILE *fp);
/* Is this a known object (for "help OBJECT")? */
bool usage_known_object(const char *object);

#endif
