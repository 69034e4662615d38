// SPDX-License-Identifier: GPL-2.0
/*
 * The command grammar: every rejection with its message and exit code 2
 * (1 for environment errors), and what valid commands turn into.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "aoctl.h"
#include "batch.h"
#include "util.h"
#include "tap.h"

static char *errbuf;
static size_t errlen;
static struct parse_opts opts = { .now = 1795000000 };

/* Parse a command line given as one string; stderr text in *err. */
static int run(const char *line, struct aoctl_cmd *c, const char **err)
{
	char *copy = strdup(line), *argv[BATCH_MAX_ARGS], e[256];
	int argc, ret;

	argc = batch_split(copy, argv, BATCH_MAX_ARGS, e, sizeof(e));
	if (argc < 0)
		abort();
	/* Empty the captured stderr. */
	fflush(err_fp);
	if (errlen)
		memset(errbuf, 0, errlen);
	rewind(err_fp);
	ret = aoctl_parse(argc, argv, c, &opts);
	fflush(err_fp);
	*err = errbuf;
	free(copy);
	return ret;
}

/* Rejected with exit code rc, the first line of stderr being msg. */
static void rejected(const char *line, int rc, const char *msg)
{
	struct aoctl_cmd c;
	const char *err;
	int ret = run(line, &c, &err);
	const char *first = err;

	/* Skip the warning about secrets on the command line. */
	while (!strncmp(first, "aoctl: warning:", 15) && strchr(first, '\n'))
		first = strchr(first, '\n') + 1;
	ok(ret == rc && !strncmp(first, msg, strlen(msg)) &&
	   first[strlen(msg)] == '\n', "rejected (%d): %s", rc, line);
	if (ret != rc || strncmp(first, msg, strlen(msg)))
		diag("got %d, stderr:\n%s# expected: %s", ret, err, msg);
	aoctl_cmd_wipe(&c);
}

static void accepted(const char *line, struct aoctl_cmd *c)
{
	const char *err;
	int ret = run(line, c, &err);

	if (!ok(ret == 0, "accepted: %s", line))
		diag("stderr: %s", err);
}

int main(void)
{
	struct aoctl_cmd c;
	const char *err;
	char k81[100], name64[80], line[300];
	int ret;

	err_fp = open_memstream(&errbuf, &errlen);
	memset(k81, 'k', 81);
	k81[81] = '\0';
	memset(name64, 'n', 64);
	name64[64] = '\0';

	/* ---- keychain add ---- */
#define ADD "keychain add k "
	rejected(ADD "key 64 secret x send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: key ID 64 is out of range (0-63)");
	rejected(ADD "key -1 secret x send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: key ID '-1' is not a number");
	rejected(ADD "key one secret x send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: key ID 'one' is not a number");
	rejected(ADD "key 1 secret x send-id 256 recv-id 1", 2,
		 "aoctl: keychain add: send-id 256 is out of range (0-255)");
	rejected(ADD "key 1 secret x send-id 1 recv-id 300", 2,
		 "aoctl: keychain add: recv-id 300 is out of range (0-255)");
	rejected(ADD "key 1 secret x send-id 99999999999999999999999 recv-id 1", 2,
		 "aoctl: keychain add: send-id 99999999999999999999999 is out of range (0-255)");
	rejected(ADD "key 1 secret '' send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: secret is empty");
	snprintf(line, sizeof(line), ADD "key 1 secret %s send-id 1 recv-id 1", k81);
	rejected(line, 2, "aoctl: keychain add: secret is 81 bytes long; the maximum is 80");
	rejected(ADD "key 1 secret-hex abc send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: secret-hex has an odd number of hex digits (3)");
	rejected(ADD "key 1 secret x send-id 1 recv-id 1 cryptographic-algorithm hmac-md5", 2,
		 "aoctl: keychain add: unknown cryptographic-algorithm 'hmac-md5' (hmac-sha-1-96 or aes-128-cmac-96)");
	rejected(ADD "key 1 secret x send-id 1 recv-id 1 start-time 2024-02-30.12:00", 2,
		 "aoctl: keychain add: invalid start-time '2024-02-30.12:00': day 30 is out of range (2024-02 has 29 days)");
	rejected(ADD "key 1 secret x send-id 1 recv-id 1 start-time 2025-01-01.25:00", 2,
		 "aoctl: keychain add: invalid start-time '2025-01-01.25:00': hour 25 is out of range (0-23)");
	rejected(ADD "key 1 secret x send-id 1 recv-id 1 start-time yesterday", 2,
		 "aoctl: keychain add: invalid start-time 'yesterday': expected YYYY-MM-DD.HH:MM[:SS] [+HHMM|-HHMM]");
	rejected(ADD "key 1 secret x send-id 1 recv-id 1 start-time 2025-01-01.00:00 +1300x", 2,
		 "aoctl: keychain add: invalid UTC offset '+1300x': expected +HHMM or -HHMM");
	rejected(ADD "key 1 secret x send-id 1 recv-id 1 tcp-ao-option on", 2,
		 "aoctl: keychain add: tcp-ao-option must be 'enabled' or 'disabled', not 'on'");
	rejected(ADD "key 1 send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: missing secret (secret STRING, secret-file PATH or secret-hex HEX)");
	rejected(ADD "key 1 secret x recv-id 1", 2,
		 "aoctl: keychain add: missing 'send-id N'");
	rejected(ADD "key 1 secret x send-id 1", 2,
		 "aoctl: keychain add: missing 'recv-id N'");
	rejected(ADD "secret x send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: missing 'key ID': the key attributes belong to a key");
	rejected(ADD "key 1 secret x secret-hex 00 send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: only one of secret, secret-file and secret-hex may be given");
	rejected(ADD "key 1 secret x send-id 1 send-id 2 recv-id 1", 2,
		 "aoctl: keychain add: 'send-id' given twice");
	rejected(ADD "key 1 key 2 secret x send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: 'key' given twice");
	rejected(ADD "key 1 secret x send-id 1 recv-id 1 tolerance 5", 2,
		 "aoctl: keychain add: tolerance is a keychain setting: give it alone ('aoctl keychain set k tolerance SECONDS')");
	rejected(ADD "key 1 secret x send-id 1 recv-id", 2,
		 "aoctl: keychain add: missing argument after 'recv-id'");
	rejected(ADD "key 1 secret x send-id 1 recv-id 1 color blue", 2,
		 "aoctl: keychain add: unknown keyword 'color'");
	rejected(ADD "tolerance 1000000000", 2,
		 "aoctl: keychain add: tolerance 1000000000 is out of range (0-999999999)");
	rejected("keychain add", 2, "aoctl: keychain add: missing keychain name");
	rejected("keychain add ''", 2, "aoctl: keychain add: keychain name is empty");
	snprintf(line, sizeof(line), "keychain add %s", name64);
	rejected(line, 2, "aoctl: keychain add: keychain name is 64 characters long; the maximum is 63");
	rejected("keychain add 'a\tb'", 2,
		 "aoctl: keychain add: keychain name contains a non-printable character");
	rejected(ADD "key 1 secret-file /nonexistent/secret send-id 1 recv-id 1", 1,
		 "aoctl: keychain add: cannot open secret-file /nonexistent/secret: No such file or directory");

	/* ---- keychain set/del/show ---- */
	rejected("keychain set k", 2,
		 "aoctl: keychain set: missing 'key ID ...' or 'tolerance SECONDS'");
	rejected("keychain set k key 1", 2, "aoctl: keychain set: nothing to set for key 1");
	rejected("keychain set k key 99 send-id 1", 2,
		 "aoctl: keychain set: key ID 99 is out of range (0-63)");
	rejected("keychain set k tolerance -5", 2,
		 "aoctl: keychain set: tolerance '-5' is not a number");
	rejected("keychain set k tolerance 60 key 1 send-id 2", 2,
		 "aoctl: keychain set: tolerance is a keychain setting: give it alone ('aoctl keychain set k tolerance SECONDS')");
	rejected("keychain set k send-id 1", 2,
		 "aoctl: keychain set: missing 'key ID': the key attributes belong to a key");
	rejected("keychain del", 2, "aoctl: keychain del: missing keychain name");
	rejected("keychain del k key 64", 2, "aoctl: keychain del: key ID 64 is out of range (0-63)");
	rejected("keychain del k send-id 1", 2, "aoctl: keychain del: unknown keyword 'send-id'");
	rejected("keychain show a b", 2, "aoctl: keychain show: unexpected 'b'");
	rejected("keychain frobnicate", 2, "aoctl: keychain: unknown command 'frobnicate'");

	/* ---- peer ---- */
	rejected("peer add 10.0.0.1/24 keychain k", 2,
		 "aoctl: peer add: invalid prefix '10.0.0.1/24': host bits are set (the prefix is 10.0.0.0/24)");
	rejected("peer add 2001:db8::1/64 keychain k", 2,
		 "aoctl: peer add: invalid prefix '2001:db8::1/64': host bits are set (the prefix is 2001:db8::/64)");
	rejected("peer add 10.0.0.0/33 keychain k", 2,
		 "aoctl: peer add: invalid prefix '10.0.0.0/33': prefix length is out of range (0-32)");
	rejected("peer add router1 keychain k", 2,
		 "aoctl: peer add: invalid prefix 'router1': 'router1' is not an IPv4 or IPv6 address");
	rejected("peer add 10.0.0.2", 2, "aoctl: peer add: missing 'keychain NAME'");
	rejected("peer add", 2, "aoctl: peer add: missing prefix");
	rejected("peer add 10.0.0.2 keychain k port 0", 2,
		 "aoctl: peer add: port 0 is out of range (1-65535)");
	rejected("peer add 10.0.0.2 keychain k port 65536", 2,
		 "aoctl: peer add: port 65536 is out of range (1-65535)");
	rejected("peer add 10.0.0.2 keychain k vrf averyveryverylongname", 2,
		 "aoctl: peer add: vrf 'averyveryverylongname' is not a valid device name");
	rejected("peer add 10.0.0.2 keychain k keychain j", 2,
		 "aoctl: peer add: 'keychain' given twice");
	rejected("peer add 10.0.0.2 keychain k accept-icmps accept-icmps", 2,
		 "aoctl: peer add: 'accept-icmps' given twice");
	rejected("peer add 10.0.0.2 keychain k md5", 2,
		 "aoctl: peer add: unknown keyword 'md5'");
	rejected("peer del 10.0.0.2 keychain k keychain j", 2,
		 "aoctl: peer del: 'keychain' given twice");
	rejected("peer del 10.0.0.2 md5", 2, "aoctl: peer del: unknown keyword 'md5'");
	rejected("peer add 10.0.0.2 keychain k port 179 port any", 2,
		 "aoctl: peer add: 'port' given twice");
	rejected("peer add 10.0.0.2 keychain k port all", 2,
		 "aoctl: peer add: port 'all' is not a number");
	rejected("peer show router1", 2, "aoctl: peer show: unknown keyword 'router1'");
	rejected("peer show 10.0.0.2 10.0.0.3", 2,
		 "aoctl: peer show: unexpected '10.0.0.3': one prefix only");
	rejected("peer show 10.0.0.1/24", 2,
		 "aoctl: peer show: invalid prefix '10.0.0.1/24': host bits are set (the prefix is 10.0.0.0/24)");
	rejected("peer show allow-without-tcpao", 2,
		 "aoctl: peer show: unknown keyword 'allow-without-tcpao'");
	rejected("peer show detail", 2, "aoctl: peer show: unknown keyword 'detail'");
	rejected("peer set 10.0.0.2", 2, "aoctl: peer set: 'peer set' is not a command");

	/* ---- others ---- */
	rejected("conn show everything", 2, "aoctl: conn show: unknown keyword 'everything'");
	rejected("conn show port", 2, "aoctl: conn show: missing argument after 'port'");
	rejected("conn show detail detail", 2, "aoctl: conn show: 'detail' given twice");
	rejected("stats peer 10.0.0.2 detail", 2, "aoctl: stats peer: unknown keyword 'detail'");
	rejected("stats show show", 2, "aoctl: stats: unexpected 'show'");
	rejected("conn add", 2, "aoctl: conn add: 'conn add' is not a command");
	rejected("stats reset", 2, "aoctl: stats: unexpected 'reset'");
	rejected("monitor all", 2, "aoctl: monitor: unexpected 'all'");
	rejected("flush all", 2, "aoctl: flush: unexpected 'all'");
	rejected("limits set", 2, "aoctl: limits set: nothing to set");
	rejected("limits set keychains", 2, "aoctl: limits set: missing argument after 'keychains'");
	rejected("limits set keychains 4294967296", 2,
		 "aoctl: limits set: keychains 4294967296 is out of range (0-4294967295)");
	rejected("limits set sockets 5", 2, "aoctl: limits set: unknown keyword 'sockets'");
	rejected("limits set peers 5 peers 6", 2, "aoctl: limits set: 'peers' given twice");
	rejected("limits show all", 2, "aoctl: limits show: unexpected 'all'");
	rejected("route show", 2, "aoctl: unknown object 'route'");
	rejected("help route", 2, "aoctl: unknown object 'route'");

	/* ---- abbreviations (command line only) ---- */
	rejected("keychain add k key 1 se x send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: 'se' is ambiguous: secret, secret-file, secret-hex, send-id");
	rejected("keychain add k key 1 secret-hex 00 s 1 recv-id 1", 2,
		 "aoctl: keychain add: 's' is ambiguous: secret, secret-file, secret-hex, send-id, start-time");
	rejected("keychain add k t 5", 2,
		 "aoctl: keychain add: 't' is ambiguous: tolerance, tcp-ao-option");
	rejected("peer add 10.0.0.2 keychain k a", 2,
		 "aoctl: peer add: 'a' is ambiguous: allow-without-tcpao, accept-icmps");
	rejected("f", 2, "aoctl: 'f': write flush in full (it deletes every keychain and peer policy)");
	rejected("flus", 2, "aoctl: 'flus': write flush in full (it deletes every keychain and peer policy)");
	rejected("keychain x", 2, "aoctl: keychain: unknown command 'x'");
	rejected("keychain add k key 1 secret-hex 00 send-id 1 recv-id 1 tcp-ao-option x", 2,
		 "aoctl: keychain add: tcp-ao-option must be 'enabled' or 'disabled', not 'x'");
	rejected("keychain add k key 1 secret-hex 00 send-id 1 recv-id 1 cryptographic-algorithm x", 2,
		 "aoctl: keychain add: unknown cryptographic-algorithm 'x' (hmac-sha-1-96 or aes-128-cmac-96)");
	opts.batch = true;
	rejected("k s", 2, "aoctl: 'k': batch files spell keywords out (keychain)");
	rejected("keychain sh", 2,
		 "aoctl: keychain: 'sh': batch files spell keywords out (show)");
	rejected("peer add 10.0.0.2 keychain k port 179 v blue", 2,
		 "aoctl: peer add: 'v': batch files spell keywords out (vrf)");
	rejected("keychain add k key 1 secret-hex 00 send-id 1 recv-id 1 tcp-ao-option e", 2,
		 "aoctl: keychain add: 'e': batch files spell keywords out (enabled)");
	accepted("keychain show", &c);
	ok(c.op == OP_KEYCHAIN_SHOW, "  batch: whole words");
	opts.batch = false;

	accepted("k s", &c);
	ok(c.op == OP_KEYCHAIN_SHOW && !c.has_keychain, "  k s = keychain show (s: show, not set)");
	accepted("keychain sh", &c);
	ok(c.op == OP_KEYCHAIN_SHOW, "  keychain sh");
	accepted("k se k tolerance 5", &c);
	ok(c.op == OP_KEYCHAIN_SET && c.tolerance == 5, "  k se = keychain set");
	accepted("k d k", &c);
	ok(c.op == OP_KEYCHAIN_DEL, "  k d = keychain del (del and delete are one)");
	accepted("k l", &c);
	ok(c.op == OP_KEYCHAIN_SHOW, "  k l = keychain list");
	accepted("ke a k ke 1 secret-h 0102 sen 2 r 3 c a tc e st now", &c);
	ok(c.op == OP_KEY_NEW && c.key_id == 1 && c.secret.len == 2 &&
	   c.send_id == 2 && c.recv_id == 3 && c.alg == TCPAO_ALG_AES_128_CMAC_96 &&
	   c.tcp_options == 1 && c.start_time == opts.now,
	   "  keywords and their values abbreviated");
	accepted("keychain add k key 1 secret-hex 00 send-id 1 recv-id 1 cryptographic-algorithm h tcp-ao-option d", &c);
	ok(c.alg == TCPAO_ALG_HMAC_SHA1_96 && c.tcp_options == 0,
	   "  cryptographic-algorithm h, tcp-ao-option d");
	accepted("keychain show d", &c);
	ok(c.op == OP_KEYCHAIN_SHOW && c.has_keychain && !strcmp(c.keychain, "d") &&
	   !c.detail, "  keychain show d: a keychain named d (names are never abbreviations)");
	accepted("keychain show k d", &c);
	ok(c.has_keychain && !strcmp(c.keychain, "k") && c.detail,
	   "  keychain show NAME d: detail");
	accepted("keychain del k k 3", &c);
	ok(c.op == OP_KEY_DEL && c.key_id == 3, "  keychain del NAME k ID");
	accepted("p a 10.0.0.2 k k p 179 v blue al ac", &c);
	ok(c.op == OP_PEER_NEW && c.port == 179 && !strcmp(c.vrf, "blue") &&
	   !strcmp(c.keychain, "k") &&
	   c.flags == (TCPAO_F_ALLOW_WITHOUT_AO | TCPAO_F_ACCEPT_ICMPS),
	   "  p a PREFIX k NAME p PORT v DEV al ac");
	accepted("c s d", &c);
	ok(c.op == OP_CONN_SHOW && c.detail, "  c s d = conn show detail");
	accepted("s", &c);
	ok(c.op == OP_STATS, "  s = stats");
	accepted("s p", &c);
	ok(c.op == OP_STATS_PEER, "  s p = stats peer");
	accepted("l s", &c);
	ok(c.op == OP_LIMITS_SHOW, "  l s = limits show");
	accepted("l se k 3 p 4 c 5 b 6", &c);
	ok(c.op == OP_LIMITS_SET && c.limit[LIMIT_KEYCHAINS] == 3 &&
	   c.limit[LIMIT_PEERS] == 4 && c.limit[LIMIT_CONNS] == 5 &&
	   c.limit[LIMIT_BINDINGS] == 6, "  l se k N p N c N b N");
	accepted("m", &c);
	ok(c.op == OP_MONITOR, "  m = monitor");
	accepted("h k", &c);
	ok(c.op == OP_HELP && !strcmp(c.help_topic, "keychain"), "  h k = help keychain");
	accepted("k h", &c);
	ok(c.op == OP_HELP && !strcmp(c.help_topic, "keychain"), "  k h = keychain help");

	/* ---- selectors, stats help, port any, peer del words ---- */
	accepted("stats help", &c);
	ok(c.op == OP_HELP && !strcmp(c.help_topic, "stats"), "  stats help");
	accepted("monitor help", &c);
	ok(c.op == OP_HELP && !strcmp(c.help_topic, "monitor"), "  monitor help");
	accepted("flush help", &c);
	ok(c.op == OP_HELP && !strcmp(c.help_topic, "flush"), "  flush help");
	accepted("stats show peer", &c);
	ok(c.op == OP_STATS_PEER && !c.has_prefix, "  stats show peer");
	accepted("stats peer 192.0.2.0/24 port any vrf default keychain k", &c);
	ok(c.op == OP_STATS_PEER && c.has_prefix && c.prefix.len == 24 &&
	   c.has_port && c.port == 0 && c.sel_vrf && !c.has_vrf &&
	   c.has_keychain && !strcmp(c.keychain, "k"), "  stats peer SELECTORS");
	accepted("peer show 192.0.2.2", &c);
	ok(c.op == OP_PEER_SHOW && c.has_prefix && c.prefix.family == AF_INET &&
	   c.prefix.len == 32 && !c.has_port, "  peer show ADDRESS");
	accepted("peer show port 179 2001:db8::/32 vrf blue", &c);
	ok(c.op == OP_PEER_SHOW && c.has_prefix && c.prefix.family == AF_INET6 &&
	   c.has_port && c.port == 179 && c.sel_vrf && c.has_vrf &&
	   !strcmp(c.vrf, "blue"), "  peer show: selectors in any order");
	accepted("conn show 192.0.2.2 port 179 keychain new_auth_key detail", &c);
	ok(c.op == OP_CONN_SHOW && c.has_prefix && c.port == 179 && c.detail &&
	   c.has_keychain, "  conn show SELECTORS detail");
	run("peer add 10.0.0.2 keychain k", &c, &err);
	like(err, "aoctl: warning: peer add 10.0.0.2/32: no port: the policy protects every TCP connection to and from 10.0.0.2/32 (SSH and NETCONF too); add 'port 179' for BGP alone, or 'port any' to mean all\n",
	     "peer add without a port: a warning");
	ok(c.op == OP_PEER_NEW && !c.has_port, "  and the policy is added all the same");
	run("peer add 10.0.0.2 keychain k port any", &c, &err);
	is_str(err, "", "peer add ... port any: no warning");
	ok(c.op == OP_PEER_NEW && c.has_port && c.port == 0, "  port any: every port");
	run("peer add 10.0.0.2 keychain k port 179", &c, &err);
	is_str(err, "", "peer add ... port 179: no warning");
	accepted("peer del 10.0.0.2 keychain k port 179 allow-without-tcpao accept-icmps", &c);
	ok(c.op == OP_PEER_DEL && c.port == 179 && c.flags == 0,
	   "  peer del takes the words of peer add (flags not sent)");
	accepted("peer del 10.0.0.2 port any", &c);
	ok(c.op == OP_PEER_DEL && c.has_port && c.port == 0, "  peer del ... port any");

	/* Syntax errors come with the usage, value errors without. */
	run("keychain add k key 1 secret x send-id 1 recv-id 1 colour blue", &c, &err);
	like(err, "Usage: aoctl keychain add NAME key ID SECRET", "syntax error: usage follows");
	run("keychain add k key 99", &c, &err);
	ok(!strstr(err, "Usage:"), "value error: no usage");
	run("route", &c, &err);
	like(err, "Usage: aoctl [OPTIONS] OBJECT", "unknown object: main usage");
	opts.quiet_usage = true;
	run("keychain add k key 1 secret x send-id 1 recv-id 1 colour blue", &c, &err);
	ok(!strstr(err, "Usage:"), "quiet_usage: no usage (batch)");
	opts.quiet_usage = false;

	/* Warnings about secrets in argv, not in batch files */
	run(ADD "key 1 secret hunter2 send-id 1 recv-id 1", &c, &err);
	like(err, "aoctl: warning: a secret on the command line may be recorded in the shell history",
	     "secret on the command line: warning");
	ok(!strstr(err, "hunter2"), "  the warning does not show the secret");
	opts.batch = true;
	run(ADD "key 1 secret hunter2 send-id 1 recv-id 1", &c, &err);
	is_str(err, "", "secret in a batch: no shell history warning");
	opts.batch_stdin = true;
	rejected(ADD "key 1 secret-file - send-id 1 recv-id 1", 2,
		 "aoctl: keychain add: secret-file - cannot be used when the batch is read from standard input");
	opts.batch = opts.batch_stdin = false;

	/* The secret is wiped from argv. */
	{
		char w0[] = "keychain", w1[] = "add", w2[] = "k", w3[] = "key",
		     w4[] = "1", w5[] = "secret", w6[] = "hunter2",
		     w7[] = "send-id", w8[] = "1", w9[] = "recv-id", w10[] = "2";
		char *argv[] = { w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, NULL };
		char zero[sizeof(w6)] = { 0 };

		ret = aoctl_parse(11, argv, &c, &opts);
		ok(ret == 0 && !memcmp(w6, zero, sizeof(w6)),
		   "secret STRING wiped from argv after parsing");
		ok(c.has_secret && c.secret.len == 7 &&
		   !memcmp(c.secret.buf, "hunter2", 7), "  and kept in the command");
		aoctl_cmd_wipe(&c);
		ok(c.secret.len == 0 && c.secret.buf[0] == 0, "aoctl_cmd_wipe wipes it");
	}

	/* ---- what valid commands become ---- */
	accepted(ADD "key 1 secret x send-id 2 recv-id 3", &c);
	ok(c.op == OP_KEY_NEW && c.key_id == 1 && c.send_id == 2 &&
	   c.recv_id == 3 && !strcmp(c.keychain, "k"), "  KEY_NEW k key 1 2/3");
	ok(c.has_alg && c.alg == TCPAO_ALG_HMAC_SHA1_96,
	   "  default algorithm hmac-sha-1-96 is sent");
	ok(c.has_tcp_options && c.tcp_options == 0,
	   "  default tcp-ao-option disabled is sent");
	ok(!c.has_start_time, "  start-time left to the kernel (now)");
	is_str(c.what, "keychain add", "  what");

	accepted("keychain add new_auth_key key 63 secret-hex 0x0102 send-id 255 "
		 "recv-id 0 cryptographic-algorithm aes-128-cmac-96 "
		 "start-time 2026-11-24.12:00 +0100 tcp-ao-option enabled", &c);
	ok(c.op == OP_KEY_NEW && c.key_id == 63 && c.send_id == 255 &&
	   c.recv_id == 0 && c.alg == TCPAO_ALG_AES_128_CMAC_96 &&
	   c.tcp_options == 1 && c.has_start_time &&
	   c.start_time == 1795521600 - 3600 && c.secret.len == 2,
	   "  all key options");
	accepted("keychain add k start-time now key 0 recv-id 1 send-id 1 secret x", &c);
	ok(c.has_start_time && c.start_time == opts.now, "  start-time now, any order");
	accepted("keychain add k", &c);
	ok(c.op == OP_KEYCHAIN_NEW && !c.has_tolerance, "  KEYCHAIN_NEW");
	accepted("keychain add k tolerance 0", &c);
	ok(c.op == OP_KEYCHAIN_NEW && c.has_tolerance && c.tolerance == 0,
	   "  KEYCHAIN_NEW tolerance 0");
	accepted("keychain set k tolerance 999999999", &c);
	ok(c.op == OP_KEYCHAIN_SET && c.tolerance == 999999999, "  KEYCHAIN_SET");
	accepted("keychain set k key 2 tcp-ao-option enabled", &c);
	ok(c.op == OP_KEY_SET && c.key_id == 2 && c.has_tcp_options &&
	   c.tcp_options == 1 && !c.has_alg && !c.has_secret && !c.has_send_id,
	   "  KEY_SET sends only what was given");
	accepted("keychain set k key 2 send-id 7 recv-id 8 secret x", &c);
	ok(c.op == OP_KEY_SET && c.has_send_id && c.has_recv_id && c.has_secret,
	   "  KEY_SET ids and secret");
	accepted("keychain del k", &c);
	ok(c.op == OP_KEYCHAIN_DEL, "  KEYCHAIN_DEL");
	accepted("keychain delete k key 0", &c);
	ok(c.op == OP_KEY_DEL && c.key_id == 0, "  KEY_DEL (delete)");
	accepted("keychain", &c);
	ok(c.op == OP_KEYCHAIN_SHOW && !c.has_keychain && !c.detail,
	   "  keychain = keychain show");
	accepted("keychain show detail new_auth_key", &c);
	ok(c.op == OP_KEYCHAIN_SHOW && c.has_keychain && c.detail,
	   "  show detail NAME");
	accepted("keychain list new_auth_key", &c);
	ok(c.op == OP_KEYCHAIN_SHOW && c.has_keychain && !c.detail, "  list NAME");

	accepted("peer add 10.0.0.0/24 keychain k port 179 vrf blue "
		 "allow-without-tcpao accept-icmps", &c);
	ok(c.op == OP_PEER_NEW && c.prefix.len == 24 && c.has_port &&
	   c.port == 179 && c.has_vrf && !strcmp(c.vrf, "blue") &&
	   c.flags == (TCPAO_F_ALLOW_WITHOUT_AO | TCPAO_F_ACCEPT_ICMPS),
	   "  PEER_NEW with everything");
	accepted("peer add 2001:db8::2 keychain k vrf default", &c);
	ok(c.op == OP_PEER_NEW && c.prefix.len == 128 && !c.has_vrf &&
	   c.flags == 0, "  vrf default = no VRF");
	accepted("peer del 10.0.0.0/24 port 179", &c);
	ok(c.op == OP_PEER_DEL && c.has_port, "  PEER_DEL");
	accepted("peer", &c);
	ok(c.op == OP_PEER_SHOW, "  peer = peer show");
	accepted("conn show detail", &c);
	ok(c.op == OP_CONN_SHOW && c.detail, "  conn show detail");
	accepted("stats", &c);
	ok(c.op == OP_STATS, "  stats");
	accepted("stats show", &c);
	ok(c.op == OP_STATS, "  stats show");
	accepted("monitor", &c);
	ok(c.op == OP_MONITOR, "  monitor");
	accepted("limits", &c);
	ok(c.op == OP_LIMITS_SHOW, "  limits = limits show");
	accepted("limits set keychains 5 conns 7", &c);
	ok(c.op == OP_LIMITS_SET && c.has_limit[LIMIT_KEYCHAINS] &&
	   c.limit[LIMIT_KEYCHAINS] == 5 && c.has_limit[LIMIT_CONNS] &&
	   c.limit[LIMIT_CONNS] == 7 && !c.has_limit[LIMIT_PEERS],
	   "  limits set");
	accepted("flush", &c);
	ok(c.op == OP_FLUSH, "  flush");
	accepted("help", &c);
	ok(c.op == OP_HELP && !c.help_topic[0], "  help");
	accepted("peer help", &c);
	ok(c.op == OP_HELP && !strcmp(c.help_topic, "peer"), "  peer help");
	accepted("help keychain", &c);
	ok(c.op == OP_HELP && !strcmp(c.help_topic, "keychain"), "  help keychain");

	return tap_done();
}
