// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink message contents without a socket: the attributes of every
 * request, and the text and JSON printing of synthetic replies and events
 * (the Junos keychain table, peers, connections, counters, limits).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "aoctl.h"
#include "batch.h"
#include "msg.h"
#include "out.h"
#include "util.h"
#include "pycheck.h"
#include "tap.h"

static struct parse_opts opts = { .batch = true, .now = 1795000000 };

/* ---- Requests ---- */

static struct nl_msg *request(const char *line, struct aoctl_cmd *c,
			      struct nlattr **tb)
{
	char *copy = strdup(line), *argv[BATCH_MAX_ARGS], e[256];
	struct genlmsghdr g = { .cmd = 0 };
	struct nl_msg *msg;
	int argc = batch_split(copy, argv, BATCH_MAX_ARGS, e, sizeof(e));

	if (aoctl_parse(argc, argv, c, &opts))
		abort();
	free(copy);
	msg = nlmsg_alloc_simple(0x20, 0);
	nlmsg_append(msg, &g, sizeof(g), NLMSG_ALIGNTO);
	if (msg_build(msg, c) < 0)
		abort();
	nlmsg_parse(nlmsg_hdr(msg), GENL_HDRLEN, tb, TCPAO_A_MAX, NULL);
	return msg;
}

static void nest(struct nlattr **tb, int max, struct nlattr *a)
{
	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	if (a)
		nla_parse_nested(tb, max, a, NULL);
}

static int only(struct nlattr **tb, int max, const int *want, int n)
{
	int i, j, count = 0;

	for (i = 1; i <= max; i++) {
		bool expected = false;

		for (j = 0; j < n; j++)
			expected |= want[j] == i;
		if (!!tb[i] != expected)
			return 0;
		count++;
	}
	return count;
}

static void test_requests(void)
{
	struct nlattr *tb[TCPAO_A_MAX + 1], *kc[TCPAO_KC_A_MAX + 1];
	struct nlattr *key[TCPAO_KEY_A_MAX + 1], *peer[TCPAO_PEER_A_MAX + 1];
	struct nlattr *lim[TCPAO_LIMITS_A_MAX + 1];
	struct aoctl_cmd c;
	struct nl_msg *msg;
	uint8_t gcmd;
	int flags;

	msg = request("keychain add k key 1 secret hunter2 send-id 2 recv-id 3", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	ok(gcmd == TCPAO_CMD_KEY_NEW && flags == 0, "keychain add key: KEY_NEW");
	nest(kc, TCPAO_KC_A_MAX, tb[TCPAO_A_KEYCHAIN]);
	nest(key, TCPAO_KEY_A_MAX, tb[TCPAO_A_KEY]);
	ok(kc[TCPAO_KC_A_NAME] && !strcmp(nla_get_string(kc[TCPAO_KC_A_NAME]), "k"),
	   "  TCPAO_A_KEYCHAIN { NAME k }");
	ok((tb[TCPAO_A_KEYCHAIN]->nla_type & NLA_F_NESTED) &&
	   (tb[TCPAO_A_KEY]->nla_type & NLA_F_NESTED),
	   "  nests carry NLA_F_NESTED (strict kernel validation)");
	ok(nla_len(kc[TCPAO_KC_A_NAME]) == 2 &&
	   ((char *)nla_data(kc[TCPAO_KC_A_NAME]))[1] == '\0',
	   "  strings are NUL-terminated");
	{
		static const int want[] = { TCPAO_KEY_A_ID, TCPAO_KEY_A_SECRET,
			TCPAO_KEY_A_SEND_ID, TCPAO_KEY_A_RECV_ID, TCPAO_KEY_A_ALG,
			TCPAO_KEY_A_TCP_OPTIONS };

		ok(only(key, TCPAO_KEY_A_MAX, want, 6), "  TCPAO_A_KEY: exactly id, secret, ids, alg, tcp options");
	}
	ok(nla_get_u8(key[TCPAO_KEY_A_ID]) == 1 &&
	   nla_get_u8(key[TCPAO_KEY_A_SEND_ID]) == 2 &&
	   nla_get_u8(key[TCPAO_KEY_A_RECV_ID]) == 3 &&
	   nla_get_u8(key[TCPAO_KEY_A_ALG]) == TCPAO_ALG_HMAC_SHA1_96 &&
	   nla_get_u8(key[TCPAO_KEY_A_TCP_OPTIONS]) == 0 &&
	   nla_len(key[TCPAO_KEY_A_ID]) == 1 && nla_len(key[TCPAO_KEY_A_ALG]) == 1,
	   "  values (u8)");
	ok(nla_len(key[TCPAO_KEY_A_SECRET]) == 7 &&
	   !memcmp(nla_data(key[TCPAO_KEY_A_SECRET]), "hunter2", 7),
	   "  secret: binary, no NUL");
	nlmsg_free(msg);
	aoctl_cmd_wipe(&c);

	msg = request("keychain add k key 0 secret-hex 00ff send-id 0 recv-id 0 "
		      "start-time 2026-11-24.12:00 cryptographic-algorithm aes-128-cmac-96 "
		      "tcp-ao-option enabled", &c, tb);
	nest(key, TCPAO_KEY_A_MAX, tb[TCPAO_A_KEY]);
	ok(key[TCPAO_KEY_A_START_TIME] && nla_len(key[TCPAO_KEY_A_START_TIME]) == 8 &&
	   nla_get_s64(key[TCPAO_KEY_A_START_TIME]) == 1795521600,
	   "  start-time: s64 seconds (UTC)");
	ok(nla_get_u8(key[TCPAO_KEY_A_ALG]) == TCPAO_ALG_AES_128_CMAC_96 &&
	   nla_get_u8(key[TCPAO_KEY_A_TCP_OPTIONS]) == 1,
	   "  aes-128-cmac-96, tcp-ao-option enabled = 1");
	nlmsg_free(msg);

	msg = request("keychain set k key 4 send-id 9", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	nest(key, TCPAO_KEY_A_MAX, tb[TCPAO_A_KEY]);
	{
		static const int want[] = { TCPAO_KEY_A_ID, TCPAO_KEY_A_SEND_ID };

		ok(gcmd == TCPAO_CMD_KEY_SET && only(key, TCPAO_KEY_A_MAX, want, 2),
		   "keychain set key: KEY_SET with id and the changed attribute only");
	}
	nlmsg_free(msg);

	msg = request("keychain del k key 4", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	nest(key, TCPAO_KEY_A_MAX, tb[TCPAO_A_KEY]);
	{
		static const int want[] = { TCPAO_KEY_A_ID };

		ok(gcmd == TCPAO_CMD_KEY_DEL && only(key, TCPAO_KEY_A_MAX, want, 1) &&
		   tb[TCPAO_A_KEYCHAIN], "keychain del key: KEY_DEL { keychain, id }");
	}
	nlmsg_free(msg);

	msg = request("keychain add k tolerance 60", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	nest(kc, TCPAO_KC_A_MAX, tb[TCPAO_A_KEYCHAIN]);
	ok(gcmd == TCPAO_CMD_KEYCHAIN_NEW && kc[TCPAO_KC_A_TOLERANCE] &&
	   nla_get_u32(kc[TCPAO_KC_A_TOLERANCE]) == 60 && !tb[TCPAO_A_KEY],
	   "keychain add NAME tolerance: KEYCHAIN_NEW");
	nlmsg_free(msg);

	msg = request("keychain set k tolerance 0", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	nest(kc, TCPAO_KC_A_MAX, tb[TCPAO_A_KEYCHAIN]);
	ok(gcmd == TCPAO_CMD_KEYCHAIN_SET && kc[TCPAO_KC_A_TOLERANCE] &&
	   nla_get_u32(kc[TCPAO_KC_A_TOLERANCE]) == 0,
	   "keychain set tolerance 0: KEYCHAIN_SET");
	nlmsg_free(msg);

	msg = request("keychain del k", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	ok(gcmd == TCPAO_CMD_KEYCHAIN_DEL && tb[TCPAO_A_KEYCHAIN] && !tb[TCPAO_A_KEY],
	   "keychain del: KEYCHAIN_DEL");
	nlmsg_free(msg);

	msg = request("keychain show", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	ok(gcmd == TCPAO_CMD_KEYCHAIN_GET && flags == NLM_F_DUMP &&
	   !tb[TCPAO_A_KEYCHAIN] && !tb[TCPAO_A_DETAIL], "keychain show: dump");
	nlmsg_free(msg);
	msg = request("keychain show k detail", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	ok(gcmd == TCPAO_CMD_KEYCHAIN_GET && flags == 0 && tb[TCPAO_A_KEYCHAIN] &&
	   tb[TCPAO_A_DETAIL] && nla_len(tb[TCPAO_A_DETAIL]) == 0,
	   "keychain show NAME detail: doit with the DETAIL flag");
	nlmsg_free(msg);
	msg = request("keychain show detail", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	ok(flags == NLM_F_DUMP && tb[TCPAO_A_DETAIL], "keychain show detail: dump with DETAIL");
	nlmsg_free(msg);

	msg = request("peer add 10.1.0.0/16 keychain k port 179 allow-without-tcpao", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	nest(peer, TCPAO_PEER_A_MAX, tb[TCPAO_A_PEER]);
	{
		static const uint8_t a[4] = { 10, 1, 0, 0 };
		static const int want[] = { TCPAO_PEER_A_ADDR, TCPAO_PEER_A_PREFIXLEN,
			TCPAO_PEER_A_PORT, TCPAO_PEER_A_KEYCHAIN, TCPAO_PEER_A_FLAGS };

		ok(gcmd == TCPAO_CMD_PEER_NEW && only(peer, TCPAO_PEER_A_MAX, want, 5),
		   "peer add: PEER_NEW { addr, prefixlen, port, keychain, flags }");
		ok(nla_len(peer[TCPAO_PEER_A_ADDR]) == 4 &&
		   !memcmp(nla_data(peer[TCPAO_PEER_A_ADDR]), a, 4) &&
		   nla_get_u8(peer[TCPAO_PEER_A_PREFIXLEN]) == 16 &&
		   nla_len(peer[TCPAO_PEER_A_PORT]) == 2 &&
		   nla_get_u16(peer[TCPAO_PEER_A_PORT]) == 179 &&
		   !strcmp(nla_get_string(peer[TCPAO_PEER_A_KEYCHAIN]), "k") &&
		   nla_get_u32(peer[TCPAO_PEER_A_FLAGS]) == TCPAO_F_ALLOW_WITHOUT_AO,
		   "  values (addr network order, port host order)");
	}
	nlmsg_free(msg);

	msg = request("peer del 2001:db8::/32 vrf blue", &c, tb);
	nlmsg_free(msg);
	c.ifindex = 42;		/* as run() resolves "blue" */
	msg = nlmsg_alloc_simple(0x20, 0);
	{
		struct genlmsghdr g = { 0 };

		nlmsg_append(msg, &g, sizeof(g), NLMSG_ALIGNTO);
	}
	msg_build(msg, &c);
	nlmsg_parse(nlmsg_hdr(msg), GENL_HDRLEN, tb, TCPAO_A_MAX, NULL);
	msg_cmd(&c, &gcmd, &flags);
	nest(peer, TCPAO_PEER_A_MAX, tb[TCPAO_A_PEER]);
	{
		static const int want[] = { TCPAO_PEER_A_ADDR, TCPAO_PEER_A_PREFIXLEN,
			TCPAO_PEER_A_IFINDEX };

		ok(gcmd == TCPAO_CMD_PEER_DEL && only(peer, TCPAO_PEER_A_MAX, want, 3) &&
		   nla_len(peer[TCPAO_PEER_A_ADDR]) == 16 &&
		   nla_get_u32(peer[TCPAO_PEER_A_IFINDEX]) == 42,
		   "peer del: PEER_DEL { addr (16 bytes), prefixlen, ifindex }");
	}
	nlmsg_free(msg);

	msg = request("peer add 10.1.0.0/16 keychain k port any", &c, tb);
	nest(peer, TCPAO_PEER_A_MAX, tb[TCPAO_A_PEER]);
	{
		static const int want[] = { TCPAO_PEER_A_ADDR, TCPAO_PEER_A_PREFIXLEN,
			TCPAO_PEER_A_KEYCHAIN, TCPAO_PEER_A_FLAGS };

		ok(only(peer, TCPAO_PEER_A_MAX, want, 4),
		   "peer add ... port any: no port attribute (every port)");
	}
	nlmsg_free(msg);
	msg = request("peer del 10.1.0.0/16 keychain k port 179 allow-without-tcpao accept-icmps",
		      &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	nest(peer, TCPAO_PEER_A_MAX, tb[TCPAO_A_PEER]);
	{
		static const int want[] = { TCPAO_PEER_A_ADDR, TCPAO_PEER_A_PREFIXLEN,
			TCPAO_PEER_A_PORT };

		ok(gcmd == TCPAO_CMD_PEER_DEL && only(peer, TCPAO_PEER_A_MAX, want, 3),
		   "peer del with the words of add: PEER_DEL { addr, prefixlen, port }");
	}
	nlmsg_free(msg);

	msg = request("limits set peers 10 bindings 0", &c, tb);
	msg_cmd(&c, &gcmd, &flags);
	nest(lim, TCPAO_LIMITS_A_MAX, tb[TCPAO_A_LIMITS]);
	{
		static const int want[] = { TCPAO_LIMITS_A_PEERS, TCPAO_LIMITS_A_BINDINGS };

		ok(gcmd == TCPAO_CMD_LIMITS_SET && only(lim, TCPAO_LIMITS_A_MAX, want, 2) &&
		   nla_get_u32(lim[TCPAO_LIMITS_A_PEERS]) == 10 &&
		   nla_get_u32(lim[TCPAO_LIMITS_A_BINDINGS]) == 0,
		   "limits set: LIMITS_SET with the given limits only");
	}
	nlmsg_free(msg);

	{
		static const struct {
			const char *line;
			uint8_t cmd;
			int flags;
		} m[] = {
			{ "peer show", TCPAO_CMD_PEER_GET, NLM_F_DUMP },
			{ "peer show 10.0.0.0/8 port 179 keychain k", TCPAO_CMD_PEER_GET, NLM_F_DUMP },
			{ "stats peer", TCPAO_CMD_PEER_GET, NLM_F_DUMP },
			{ "stats peer 10.0.0.2 port any", TCPAO_CMD_PEER_GET, NLM_F_DUMP },
			{ "conn show detail", TCPAO_CMD_CONN_GET, NLM_F_DUMP },
			{ "conn show 10.0.0.2 port 179 keychain k detail", TCPAO_CMD_CONN_GET, NLM_F_DUMP },
			{ "stats", TCPAO_CMD_STATS_GET, 0 },
			{ "limits show", TCPAO_CMD_LIMITS_GET, 0 },
			{ "flush", TCPAO_CMD_FLUSH, 0 },
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(m); i++) {
			msg = request(m[i].line, &c, tb);
			msg_cmd(&c, &gcmd, &flags);
			ok(gcmd == m[i].cmd && flags == m[i].flags &&
			   nlmsg_attrlen(nlmsg_hdr(msg), GENL_HDRLEN) == 0,
			   "%s: command %u, no attributes", m[i].line, m[i].cmd);
			nlmsg_free(msg);
		}
	}
}

/* ---- Replies ---- */

static struct nl_msg *rmsg;

static struct nlattr *kc_nest(const char *name, int active, int next,
			      int64_t transition, bool keys)
{
	struct nlattr *kc = nla_nest_start(rmsg, TCPAO_A_KEYCHAIN);

	nla_put_string(rmsg, TCPAO_KC_A_NAME, name);
	nla_put_u32(rmsg, TCPAO_KC_A_TOLERANCE, 3600);
	if (active >= 0) {
		nla_put_u8(rmsg, TCPAO_KC_A_ACTIVE_SEND, (uint8_t)active);
		nla_put_u8(rmsg, TCPAO_KC_A_ACTIVE_RECV, (uint8_t)active);
	}
	if (next >= 0) {
		nla_put_u8(rmsg, TCPAO_KC_A_NEXT_SEND, (uint8_t)next);
		nla_put_u8(rmsg, TCPAO_KC_A_NEXT_RECV, (uint8_t)next);
	}
	if (transition >= 0)
		nla_put_s64(rmsg, TCPAO_KC_A_TRANSITION, transition);
	nla_put_u32(rmsg, TCPAO_KC_A_PEERS, 1);
	nla_put_u32(rmsg, TCPAO_KC_A_CONNS, 2);
	nla_put_u32(rmsg, TCPAO_KC_A_BINDINGS, 0);
	if (keys) {
		struct nlattr *ks = nla_nest_start(rmsg, TCPAO_KC_A_KEYS);
		struct nlattr *k = nla_nest_start(rmsg, TCPAO_A_KEY);

		nla_put_u8(rmsg, TCPAO_KEY_A_ID, 0);
		nla_put_s64(rmsg, TCPAO_KEY_A_START_TIME, 1795521600);
		nla_put_u8(rmsg, TCPAO_KEY_A_SEND_ID, 0);
		nla_put_u8(rmsg, TCPAO_KEY_A_RECV_ID, 0);
		nla_put_u8(rmsg, TCPAO_KEY_A_ALG, TCPAO_ALG_HMAC_SHA1_96);
		nla_put_u8(rmsg, TCPAO_KEY_A_TCP_OPTIONS, 0);
		nla_put_u8(rmsg, TCPAO_KEY_A_STATE, TCPAO_KEY_STATE_ACTIVE);
		nla_put_u32(rmsg, TCPAO_KEY_A_CONNS, 2);
		nla_put_u8(rmsg, TCPAO_KEY_A_SECRET_LEN, 16);
		/* Even if a (buggy) kernel sent it, it is never printed. */
		nla_put(rmsg, TCPAO_KEY_A_SECRET, 12, "LEAKEDSECRET");
		nla_nest_end(rmsg, k);
		k = nla_nest_start(rmsg, TCPAO_A_KEY);
		nla_put_u8(rmsg, TCPAO_KEY_A_ID, 1);
		nla_put_s64(rmsg, TCPAO_KEY_A_START_TIME, 1795521600 + 93784);
		nla_put_u8(rmsg, TCPAO_KEY_A_SEND_ID, 1);
		nla_put_u8(rmsg, TCPAO_KEY_A_RECV_ID, 1);
		nla_put_u8(rmsg, TCPAO_KEY_A_ALG, TCPAO_ALG_AES_128_CMAC_96);
		nla_put_u8(rmsg, TCPAO_KEY_A_TCP_OPTIONS, 1);
		nla_put_u8(rmsg, TCPAO_KEY_A_STATE, TCPAO_KEY_STATE_FUTURE);
		nla_put_u32(rmsg, TCPAO_KEY_A_CONNS, 0);
		nla_put_u8(rmsg, TCPAO_KEY_A_SECRET_LEN, 80);
		nla_nest_end(rmsg, k);
		nla_nest_end(rmsg, ks);
	}
	nla_nest_end(rmsg, kc);
	return kc;
}

static struct nlattr *peer_nest(int family, const char *addr, unsigned int len,
				int port, uint32_t ifindex, uint32_t flags)
{
	struct nlattr *p = nla_nest_start(rmsg, TCPAO_A_PEER);
	uint8_t a[16];

	inet_pton(family, addr, a);
	nla_put_u16(rmsg, TCPAO_PEER_A_FAMILY, (uint16_t)family);
	nla_put(rmsg, TCPAO_PEER_A_ADDR, family == AF_INET ? 4 : 16, a);
	nla_put_u8(rmsg, TCPAO_PEER_A_PREFIXLEN, (uint8_t)len);
	if (port)
		nla_put_u16(rmsg, TCPAO_PEER_A_PORT, (uint16_t)port);
	if (ifindex)
		nla_put_u32(rmsg, TCPAO_PEER_A_IFINDEX, ifindex);
	nla_put_string(rmsg, TCPAO_PEER_A_KEYCHAIN, "new_auth_key");
	nla_put_u32(rmsg, TCPAO_PEER_A_FLAGS, flags);
	nla_put_u32(rmsg, TCPAO_PEER_A_CONNS, 3);
	nla_nest_end(rmsg, p);
	return p;
}

/* A policy of a PEER_GET reply with its counters (stats peer). */
static struct nlattr *peer_stats_nest(const char *addr, unsigned int len,
				      int port, uint64_t base)
{
	static const int attrs[] = {
		TCPAO_STATS_A_GOOD, TCPAO_STATS_A_SIGNED, TCPAO_STATS_A_BAD_MAC,
		TCPAO_STATS_A_KEY_NOT_FOUND, TCPAO_STATS_A_AO_REQUIRED,
		TCPAO_STATS_A_MALFORMED, TCPAO_STATS_A_KEY_EXPIRED,
		TCPAO_STATS_A_KEY_NOT_VALID, TCPAO_STATS_A_NO_SEND_KEY,
		TCPAO_STATS_A_NO_STATE, TCPAO_STATS_A_MD5_CONFLICT,
		TCPAO_STATS_A_CONNS, TCPAO_STATS_A_CONNS_CREATED,
	};
	struct nlattr *p = nla_nest_start(rmsg, TCPAO_A_PEER);
	struct nlattr *st;
	uint8_t a[16];
	unsigned int i;

	inet_pton(AF_INET, addr, a);
	nla_put_u16(rmsg, TCPAO_PEER_A_FAMILY, AF_INET);
	nla_put(rmsg, TCPAO_PEER_A_ADDR, 4, a);
	nla_put_u8(rmsg, TCPAO_PEER_A_PREFIXLEN, (uint8_t)len);
	if (port)
		nla_put_u16(rmsg, TCPAO_PEER_A_PORT, (uint16_t)port);
	nla_put_string(rmsg, TCPAO_PEER_A_KEYCHAIN, "new_auth_key");
	nla_put_u32(rmsg, TCPAO_PEER_A_FLAGS, 0);
	nla_put_u32(rmsg, TCPAO_PEER_A_CONNS, 1);
	st = nla_nest_start(rmsg, TCPAO_PEER_A_STATS);
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		uint64_t v = base ? base + (uint64_t)attrs[i] : 0;

		/* Some drop counters zero: "Dropped" lists the others. */
		if (attrs[i] == TCPAO_STATS_A_BAD_MAC ||
		    attrs[i] == TCPAO_STATS_A_MALFORMED)
			v = 0;
		nla_put_u64(rmsg, attrs[i], v);
	}
	nla_nest_end(rmsg, st);
	nla_nest_end(rmsg, p);
	return p;
}

static struct nlattr *conn_nest(int type, bool full)
{
	struct nlattr *c = nla_nest_start(rmsg, type);
	uint8_t l[4] = { 10, 0, 0, 1 }, r[4] = { 10, 0, 0, 2 };
	uint8_t l6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t r6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	if (full) {
		nla_put_u16(rmsg, TCPAO_CONN_A_FAMILY, AF_INET);
		nla_put(rmsg, TCPAO_CONN_A_LADDR, 4, l);
		nla_put(rmsg, TCPAO_CONN_A_RADDR, 4, r);
		nla_put_u16(rmsg, TCPAO_CONN_A_LPORT, 179);
		nla_put_u16(rmsg, TCPAO_CONN_A_RPORT, 50123);
		nla_put_u32(rmsg, TCPAO_CONN_A_IFINDEX, 0);
		nla_put_string(rmsg, TCPAO_CONN_A_KEYCHAIN, "new_auth_key");
		nla_put_u8(rmsg, TCPAO_CONN_A_STATE, TCPAO_CONN_ESTABLISHED);
		nla_put_u32(rmsg, TCPAO_CONN_A_FLAGS,
			    TCPAO_CONN_F_SOCKET | TCPAO_CONN_F_ACCEPT_ICMPS);
		nla_put_u8(rmsg, TCPAO_CONN_A_SEND_KEYID, 0);
		nla_put_u8(rmsg, TCPAO_CONN_A_SEND_RNEXT, 1);
		nla_put_u8(rmsg, TCPAO_CONN_A_RECV_KEYID, 1);
		nla_put_u8(rmsg, TCPAO_CONN_A_RECV_RNEXT, 0);
		nla_put_u32(rmsg, TCPAO_CONN_A_SND_SNE, 0);
		nla_put_u32(rmsg, TCPAO_CONN_A_RCV_SNE, 2);
		nla_put_u64(rmsg, TCPAO_CONN_A_PKTS_GOOD, 12);
		nla_put_u64(rmsg, TCPAO_CONN_A_PKTS_BAD, 1);
		nla_put_u64(rmsg, TCPAO_CONN_A_PKTS_SIGNED, 13);
		nla_put_u32(rmsg, TCPAO_CONN_A_LISN, 1000);
		nla_put_u32(rmsg, TCPAO_CONN_A_RISN, 4000000000u);
	} else {
		nla_put_u16(rmsg, TCPAO_CONN_A_FAMILY, AF_INET6);
		nla_put(rmsg, TCPAO_CONN_A_LADDR, 16, l6);
		nla_put(rmsg, TCPAO_CONN_A_RADDR, 16, r6);
		nla_put_u16(rmsg, TCPAO_CONN_A_LPORT, 40000);
		nla_put_u16(rmsg, TCPAO_CONN_A_RPORT, 179);
		nla_put_u32(rmsg, TCPAO_CONN_A_IFINDEX, 1);
		nla_put_string(rmsg, TCPAO_CONN_A_KEYCHAIN, "k6");
		nla_put_u8(rmsg, TCPAO_CONN_A_STATE, TCPAO_CONN_SYN_SENT);
	}
	nla_nest_end(rmsg, c);
	return c;
}

static struct nlattr *stats_nest(void)
{
	struct nlattr *s = nla_nest_start(rmsg, TCPAO_A_STATS);
	int a;

	for (a = TCPAO_STATS_A_GOOD; a <= TCPAO_STATS_A_MAX; a++)
		if (a != TCPAO_STATS_A_PAD)
			nla_put_u64(rmsg, a, (uint64_t)a * 1000);
	nla_nest_end(rmsg, s);
	return s;
}

static struct nlattr *limits_nest(void)
{
	struct nlattr *s = nla_nest_start(rmsg, TCPAO_A_LIMITS);

	nla_put_u32(rmsg, TCPAO_LIMITS_A_KEYCHAINS, 1024);
	nla_put_u32(rmsg, TCPAO_LIMITS_A_PEERS, 65536);
	nla_put_u32(rmsg, TCPAO_LIMITS_A_CONNS, 65536);
	nla_put_u32(rmsg, TCPAO_LIMITS_A_BINDINGS, 65536);
	nla_nest_end(rmsg, s);
	return s;
}

/* Print one dump of the given top-level nests through print_reply(). */
static char *dump(enum aoctl_op op, bool detail, bool json, bool pretty,
		  struct nlattr **items, int n, int type)
{
	struct print_ctx pc = { .op = op, .detail = detail };
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int i;

	out_init(m, json, pretty);
	out_doc_begin();
	print_begin(&pc);
	for (i = 0; i < n; i++) {
		struct nlattr *tb[TCPAO_A_MAX + 1] = { 0 };

		tb[type] = items[i];
		print_reply(&pc, 0, tb);
	}
	print_end(&pc);
	out_doc_end(true);
	fclose(m);
	return buf;
}

static char *event_at(uint8_t cmd, bool json, struct nlattr **tb,
		      const struct timespec *when)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	out_init(m, json, false);
	print_event(cmd, tb, when);
	fclose(m);
	return buf;
}

static char *event(uint8_t cmd, bool json, struct nlattr **tb)
{
	return event_at(cmd, json, tb, NULL);
}

static void test_keychains(void)
{
	struct nlattr *kcs[2];
	char *out;

	kcs[0] = kc_nest("new_auth_key", 0, 1, 93784, true);
	kcs[1] = kc_nest("lonely", -1, -1, -1, false);

	out = dump(OP_KEYCHAIN_SHOW, false, false, false, kcs, 2, TCPAO_A_KEYCHAIN);
	is_str(out,
	       "Keychain          Active-ID        Next-ID          Transition       Tolerance\n"
	       "                  Send  Receive    Send  Receive\n"
	       "new_auth_key      0     0          1     1          1d 02:03:04      3600\n"
	       "lonely            -     -          -     -          -                3600\n",
	       "keychain show: the Junos table");
	free(out);

	out = dump(OP_KEYCHAIN_SHOW, true, false, false, kcs, 1, TCPAO_A_KEYCHAIN);
	is_str(out,
	       "Keychain          Active-ID        Next-ID          Transition       Tolerance\n"
	       "                  Send  Receive    Send  Receive\n"
	       "new_auth_key      0     0          1     1          1d 02:03:04      3600\n"
	       "    peers 1 bindings 0 connections 2\n"
	       "    key 0 send-id 0 recv-id 0 cryptographic-algorithm hmac-sha-1-96 tcp-ao-option disabled start-time 2026-11-24.12:00:00 UTC state active connections 2 secret-length 16\n"
	       "    key 1 send-id 1 recv-id 1 cryptographic-algorithm aes-128-cmac-96 tcp-ao-option enabled start-time 2026-11-25.14:03:04 UTC state future connections 0 secret-length 80\n",
	       "keychain show detail: one line per key");
	ok(!strstr(out, "LEAKEDSECRET"), "  never the secret");
	free(out);

	out = dump(OP_KEYCHAIN_SHOW, false, false, false, kcs, 0, TCPAO_A_KEYCHAIN);
	is_str(out, "", "no keychains: no header");
	free(out);
	out = dump(OP_KEYCHAIN_SHOW, false, true, false, kcs, 0, TCPAO_A_KEYCHAIN);
	is_str(out, "[]\n", "no keychains, JSON: []");
	free(out);

	out = dump(OP_KEYCHAIN_SHOW, true, true, false, kcs, 2, TCPAO_A_KEYCHAIN);
	ok(py_check(out, "doc",
		    "len(d) == 2 and d[0]['name'] == 'new_auth_key' and "
		    "d[0]['tolerance'] == 3600 and d[0]['active_send_id'] == 0 and "
		    "d[0]['active_recv_id'] == 0 and d[0]['next_send_id'] == 1 and "
		    "d[0]['next_recv_id'] == 1 and d[0]['transition'] == 93784 and "
		    "d[0]['peers'] == 1 and d[0]['connections'] == 2 and "
		    "d[0]['bindings'] == 0 and len(d[0]['keys']) == 2 and "
		    "d[0]['keys'][0] == {'id': 0, 'send_id': 0, 'recv_id': 0, "
		    "'algorithm': 'hmac-sha-1-96', 'tcp_ao_option': 'disabled', "
		    "'start_time': 1795521600, 'state': 'active', 'connections': 2, "
		    "'secret_length': 16} and "
		    "d[0]['keys'][1]['algorithm'] == 'aes-128-cmac-96' and "
		    "d[0]['keys'][1]['tcp_ao_option'] == 'enabled' and "
		    "d[0]['keys'][1]['state'] == 'future' and "
		    "d[1]['active_send_id'] is None and d[1]['next_recv_id'] is None and "
		    "d[1]['transition'] is None and 'keys' not in d[1] and "
		    "set(d[1]) == set(d[0]) - {'keys'}"),
	   "keychain show detail -j: values, numbers, nulls, stable keys");
	ok(!strstr(out, "LEAKEDSECRET") && !strstr(out, "secret\""),
	   "  never the secret in JSON");
	free(out);
	out = dump(OP_KEYCHAIN_SHOW, true, true, true, kcs, 2, TCPAO_A_KEYCHAIN);
	ok(py_check(out, "doc", "len(d) == 2 and d[0]['keys'][1]['secret_length'] == 80"),
	   "keychain show detail -p: valid JSON");
	free(out);
}

static void test_peers(void)
{
	struct nlattr *ps[3];
	char *out;

	ps[0] = peer_nest(AF_INET, "10.0.0.2", 32, 0, 0, 0);
	ps[1] = peer_nest(AF_INET6, "2001:db8::", 32, 179, 1,
			  TCPAO_F_ALLOW_WITHOUT_AO | TCPAO_F_ACCEPT_ICMPS);
	ps[2] = peer_nest(AF_INET, "0.0.0.0", 0, 0, 99999, 0);

	out = dump(OP_PEER_SHOW, false, false, false, ps, 3, TCPAO_A_PEER);
	is_str(out,
	       "Prefix                   Port   VRF              Keychain          Flags                              Connections\n"
	       "10.0.0.2/32              any    default          new_auth_key      -                                  3\n"
	       "2001:db8::/32            179    lo               new_auth_key      allow-without-tcpao,accept-icmps   3\n"
	       "0.0.0.0/0                any    if99999          new_auth_key      -                                  3\n",
	       "peer show: table (VRF names from ifindex)");
	free(out);
	out = dump(OP_PEER_SHOW, false, true, false, ps, 3, TCPAO_A_PEER);
	ok(py_check(out, "doc",
		    "d[0] == {'prefix': '10.0.0.2/32', 'family': 'inet', "
		    "'address': '10.0.0.2', 'prefixlen': 32, 'port': None, "
		    "'vrf': 'default', 'ifindex': 0, 'keychain': 'new_auth_key', "
		    "'flags': [], 'connections': 3} and "
		    "d[1]['family'] == 'inet6' and d[1]['port'] == 179 and "
		    "d[1]['vrf'] == 'lo' and d[1]['ifindex'] == 1 and "
		    "d[1]['flags'] == ['allow-without-tcpao', 'accept-icmps'] and "
		    "d[2]['prefix'] == '0.0.0.0/0' and d[2]['vrf'] == 'if99999'"),
	   "peer show -j");
	free(out);
}

/* A connection whose last failure was diagnosed: the reason line. */
static void test_conn_diag(void)
{
	struct nlattr *cs[1], *c;
	char *out;

	c = nla_nest_start(rmsg, TCPAO_A_CONN);
	nla_put_u16(rmsg, TCPAO_CONN_A_FAMILY, AF_INET);
	nla_put_u8(rmsg, TCPAO_CONN_A_STATE, TCPAO_CONN_SYN_SENT);
	nla_put_u8(rmsg, TCPAO_CONN_A_DIAG, TCPAO_DIAG_KEY_FUTURE);
	nla_put_u8(rmsg, TCPAO_CONN_A_DIAG_KEYID, 3);
	nla_put_s64(rmsg, TCPAO_CONN_A_DIAG_START, 1767225600);
	nla_nest_end(rmsg, c);
	cs[0] = c;
	out = dump(OP_CONN_SHOW, false, false, false, cs, 1, TCPAO_A_CONN);
	like(out, "\n   reason: peer uses key 3, which starts at 2026-01-01.00:00:00 UTC here (clock or start-time mismatch)\n",
	     "conn show: the reason line of a diagnosed failure");
	free(out);
	out = dump(OP_CONN_SHOW, false, true, false, cs, 1, TCPAO_A_CONN);
	ok(py_check(out, "doc",
		    "d[0]['diagnosis'] == {'cause': 'key-not-yet-valid', "
		    "'keyid': 3, 'start_time': 1767225600, 'reason': "
		    "'peer uses key 3, which starts at 2026-01-01.00:00:00 UTC here "
		    "(clock or start-time mismatch)'}"),
	   "conn show -j: the diagnosis object");
	free(out);
}

static void test_conns(void)
{
	struct nlattr *cs[2];
	char *out;

	cs[0] = conn_nest(TCPAO_A_CONN, true);
	cs[1] = conn_nest(TCPAO_A_CONN, false);

	out = dump(OP_CONN_SHOW, false, false, false, cs, 2, TCPAO_A_CONN);
	is_str(out,
	       "Local                  Remote                 VRF        Keychain          State        Send         Recv         SNE          Good       Bad        Signed\n"
	       "                                                                                        KeyID/RNext  KeyID/RNext  send/recv\n"
	       "10.0.0.1:179           10.0.0.2:50123         default    new_auth_key      established  0/1          1/0          0/2          12         1          13\n"
	       "[2001:db8::1]:40000    [2001:db8::2]:179      lo         k6                syn-sent     -/-          -/-          -            0          0          0\n",
	       "conn show: one line per connection");
	free(out);
	out = dump(OP_CONN_SHOW, true, false, false, cs, 1, TCPAO_A_CONN);
	like(out, "13\n    lisn 1000 risn 4000000000 flags socket,accept-icmps\n",
	     "conn show detail: ISNs and flags");
	free(out);
	out = dump(OP_CONN_SHOW, false, true, false, cs, 2, TCPAO_A_CONN);
	ok(py_check(out, "doc",
		    "d[0] == {'family': 'inet', 'local_address': '10.0.0.1', "
		    "'local_port': 179, 'remote_address': '10.0.0.2', "
		    "'remote_port': 50123, 'vrf': 'default', 'ifindex': 0, "
		    "'keychain': 'new_auth_key', 'state': 'established', "
		    "'send_keyid': 0, 'send_rnext': 1, 'recv_keyid': 1, "
		    "'recv_rnext': 0, 'snd_sne': 0, 'rcv_sne': 2, 'good': 12, "
		    "'bad': 1, 'signed': 13, 'lisn': 1000, 'risn': 4000000000, "
		    "'flags': ['socket', 'accept-icmps']} and "
		    "d[1]['family'] == 'inet6' and d[1]['send_keyid'] is None and "
		    "d[1]['lisn'] is None and d[1]['flags'] == [] and "
		    "set(d[0]) == set(d[1])"),
	   "conn show -j: every field, stable keys");
	free(out);
}

static void test_stats_limits(void)
{
	struct nlattr *s[1];
	char *out;

	s[0] = stats_nest();
	out = dump(OP_STATS, false, false, false, s, 1, TCPAO_A_STATS);
	like(out, "good                 1000\nsigned               2000\nbad-mac              3000\n",
	     "stats: text, in order");
	{
		static const struct {
			const char *name;
			int attr;
		} names[] = {
			{ "good", TCPAO_STATS_A_GOOD },
			{ "signed", TCPAO_STATS_A_SIGNED },
			{ "bad-mac", TCPAO_STATS_A_BAD_MAC },
			{ "key-not-found", TCPAO_STATS_A_KEY_NOT_FOUND },
			{ "ao-required", TCPAO_STATS_A_AO_REQUIRED },
			{ "malformed", TCPAO_STATS_A_MALFORMED },
			{ "icmp-dropped", TCPAO_STATS_A_ICMP_DROPPED },
			{ "without-ao-accepted", TCPAO_STATS_A_WITHOUT_AO },
			{ "key-expired", TCPAO_STATS_A_KEY_EXPIRED },
			{ "key-not-yet-valid", TCPAO_STATS_A_KEY_NOT_VALID },
			{ "no-send-key", TCPAO_STATS_A_NO_SEND_KEY },
			{ "no-option-space", TCPAO_STATS_A_NO_SPACE },
			{ "no-state", TCPAO_STATS_A_NO_STATE },
			{ "conn-limit", TCPAO_STATS_A_CONN_LIMIT },
			{ "md5-conflict", TCPAO_STATS_A_MD5_CONFLICT },
			{ "tx-error", TCPAO_STATS_A_TX_ERROR },
			{ "connections", TCPAO_STATS_A_CONNS },
			{ "connections-created", TCPAO_STATS_A_CONNS_CREATED },
			{ "bindings", TCPAO_STATS_A_BINDINGS },
			{ "rx-error", TCPAO_STATS_A_RX_ERROR },
			{ "keys-derived", TCPAO_STATS_A_KEYS_DERIVED },
			{ "diag-options-covered", TCPAO_STATS_A_DIAG_OPTS_COVERED },
			{ "diag-options-excluded", TCPAO_STATS_A_DIAG_OPTS_EXCLUDED },
			{ "diag-ids-swapped", TCPAO_STATS_A_DIAG_IDS_SWAPPED },
			{ "diag-other-algorithm", TCPAO_STATS_A_DIAG_OTHER_ALG },
			{ "diag-key-not-yet-valid", TCPAO_STATS_A_DIAG_KEY_FUTURE },
			{ "diag-key-expired", TCPAO_STATS_A_DIAG_KEY_EXPIRED },
			{ "diag-unknown-key", TCPAO_STATS_A_DIAG_UNKNOWN },
			{ "diag-runs", TCPAO_STATS_A_DIAG_RUNS },
			{ "diag-skipped", TCPAO_STATS_A_DIAG_SKIPPED },
		};
		char want[2048] = "", line[64];
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(names); i++) {
			snprintf(line, sizeof(line), "%-20s %d\n", names[i].name,
				 names[i].attr * 1000);
			strcat(want, line);
		}
		is_str(out, want, "stats: every counter by name, in order");
	}
	free(out);
	out = dump(OP_STATS, false, true, false, s, 1, TCPAO_A_STATS);
	ok(py_check(out, "doc",
		    "list(d) == ['good', 'signed', 'bad_mac', 'key_not_found', "
		    "'ao_required', 'malformed', 'icmp_dropped', 'without_ao_accepted', "
		    "'key_expired', 'key_not_yet_valid', 'no_send_key', "
		    "'no_option_space', 'no_state', 'conn_limit', 'md5_conflict', "
		    "'tx_error', 'connections', 'connections_created', 'bindings', "
		    "'rx_error', "
		    "'keys_derived', "
		    "'diag_options_covered', 'diag_options_excluded', "
		    "'diag_ids_swapped', 'diag_other_algorithm', "
		    "'diag_key_not_yet_valid', 'diag_key_expired', "
		    "'diag_unknown_key', 'diag_runs', 'diag_skipped'] and "
		    "d['bad_mac'] == 3000 and d['bindings'] == 20000 and "
		    "all(type(v) is int for v in d.values())"),
	   "stats -j: snake_case keys, numbers");
	free(out);

	s[0] = limits_nest();
	out = dump(OP_LIMITS_SHOW, false, false, false, s, 1, TCPAO_A_LIMITS);
	is_str(out, "keychains  1024\npeers      65536\nconns      65536\nbindings   65536\n",
	       "limits show");
	free(out);
	out = dump(OP_LIMITS_SHOW, false, true, false, s, 1, TCPAO_A_LIMITS);
	ok(py_check(out, "doc", "d == {'keychains': 1024, 'peers': 65536, "
		    "'conns': 65536, 'bindings': 65536}"), "limits show -j");
	free(out);
}

static void test_peer_stats(void)
{
	struct nlattr *ps[2];
	char *out;

	ps[0] = peer_stats_nest("192.0.2.2", 32, 179, 100);
	ps[1] = peer_stats_nest("10.0.0.0", 8, 0, 0);
	out = dump(OP_STATS_PEER, false, false, false, ps, 2, TCPAO_A_PEER);
	is_str(out,
	       "Prefix                   Port   VRF              Keychain          Conns  Created  Good       Signed     Dropped\n"
	       "192.0.2.2/32             179    default          new_auth_key      116    117      101        102        key-not-found 104 ao-required 105 key-expired 109 key-not-yet-valid 110 no-send-key 111 no-state 113 md5-conflict 115\n"
	       "10.0.0.0/8               any    default          new_auth_key      0      0        0          0          0\n",
	       "stats peer: a row per policy, the drops by cause that are not 0");
	free(out);
	out = dump(OP_STATS_PEER, false, true, false, ps, 2, TCPAO_A_PEER);
	ok(py_check(out, "doc",
		    "d[0] == {'prefix': '192.0.2.2/32', 'family': 'inet', 'port': 179, "
		    "'vrf': 'default', 'ifindex': 0, 'keychain': 'new_auth_key', "
		    "'good': 101, 'signed': 102, 'bad_mac': 0, 'key_not_found': 104, "
		    "'ao_required': 105, 'malformed': 0, 'key_expired': 109, "
		    "'key_not_yet_valid': 110, 'no_send_key': 111, 'no_state': 113, "
		    "'md5_conflict': 115, 'connections': 116, "
		    "'connections_created': 117} and d[1]['port'] is None and "
		    "d[1]['good'] == 0 and set(d[0]) == set(d[1])"),
	   "stats peer -j: the counters named as in stats -j, every one");
	free(out);
}

/* Parse a command for its selectors (as run() would, VRF resolved). */
static void sel(const char *line, struct aoctl_cmd *c, uint32_t ifindex)
{
	char *copy = strdup(line), *argv[BATCH_MAX_ARGS], e[256];
	int argc = batch_split(copy, argv, BATCH_MAX_ARGS, e, sizeof(e));

	if (aoctl_parse(argc, argv, c, &opts))
		abort();
	c->ifindex = ifindex;
	free(copy);
}

static void test_selectors(void)
{
	struct nlattr *host, *net, *v6, *def, *blue, *c4, *c6;
	struct print_ctx pc;
	struct aoctl_cmd c;
	char *out;

	host = peer_nest(AF_INET, "192.0.2.2", 32, 179, 0, 0);
	net = peer_nest(AF_INET, "192.0.2.0", 24, 0, 0, 0);
	def = peer_nest(AF_INET, "0.0.0.0", 0, 0, 0, 0);
	v6 = peer_nest(AF_INET6, "2001:db8::", 32, 179, 0, 0);
	blue = peer_nest(AF_INET, "192.0.2.2", 32, 179, 7, 0);

	sel("peer show 192.0.2.2", &c, 0);
	ok(peer_selected(&c, host) && peer_selected(&c, net) &&
	   peer_selected(&c, def) && peer_selected(&c, blue) &&
	   !peer_selected(&c, v6),
	   "peer show ADDRESS: the policies whose prefix covers it");
	sel("peer show 192.0.2.0/25", &c, 0);
	ok(!peer_selected(&c, host) && peer_selected(&c, net) &&
	   peer_selected(&c, def), "peer show PREFIX: covering prefixes only");
	sel("peer show 2001:db8::2", &c, 0);
	ok(peer_selected(&c, v6) && !peer_selected(&c, def),
	   "peer show IPV6-ADDRESS: IPv6 policies only");
	sel("peer show port 179", &c, 0);
	ok(peer_selected(&c, host) && peer_selected(&c, v6) &&
	   !peer_selected(&c, net), "peer show port PORT: that port");
	sel("peer show port any", &c, 0);
	ok(!peer_selected(&c, host) && peer_selected(&c, net) &&
	   peer_selected(&c, def), "peer show port any: the policies without one");
	sel("peer show vrf default", &c, 0);
	ok(peer_selected(&c, host) && !peer_selected(&c, blue),
	   "peer show vrf default: the default VRF only");
	sel("peer show vrf blue", &c, 7);
	ok(!peer_selected(&c, host) && peer_selected(&c, blue),
	   "peer show vrf DEV: that VRF (ifindex)");
	sel("peer show keychain other", &c, 0);
	ok(!peer_selected(&c, host), "peer show keychain NAME: that keychain");
	sel("peer show 192.0.2.2 port 179 keychain new_auth_key vrf default", &c, 0);
	ok(peer_selected(&c, host) && !peer_selected(&c, net) &&
	   !peer_selected(&c, blue), "peer show: selectors combine");

	{
		struct nlattr *items[3] = { host, net, v6 };

		sel("peer show 192.0.2.2 port 179", &c, 0);
		memset(&pc, 0, sizeof(pc));
		out = NULL;
		{
			size_t len = 0;
			FILE *m = open_memstream(&out, &len);
			struct nlattr *tb[TCPAO_A_MAX + 1];
			int i;

			pc.op = OP_PEER_SHOW;
			pc.sel = &c;
			out_init(m, false, false);
			out_doc_begin();
			print_begin(&pc);
			for (i = 0; i < 3; i++) {
				memset(tb, 0, sizeof(tb));
				tb[TCPAO_A_PEER] = items[i];
				print_reply(&pc, 0, tb);
			}
			print_end(&pc);
			out_doc_end(true);
			fclose(m);
		}
		is_str(out,
		       "Prefix                   Port   VRF              Keychain          Flags                              Connections\n"
		       "192.0.2.2/32             179    default          new_auth_key      -                                  3\n",
		       "peer show 192.0.2.2 port 179: the header and that policy only");
		free(out);
	}

	c4 = conn_nest(TCPAO_A_CONN, true);	/* 10.0.0.1:179 <- 10.0.0.2:50123 */
	c6 = conn_nest(TCPAO_A_CONN, false);	/* [..1]:40000 -> [..2]:179, k6 */
	sel("conn show 10.0.0.2", &c, 0);
	ok(conn_selected(&c, c4) && !conn_selected(&c, c6),
	   "conn show ADDRESS: connections to that peer");
	sel("conn show 10.0.0.0/8", &c, 0);
	ok(conn_selected(&c, c4), "conn show PREFIX: peers inside it");
	sel("conn show 10.0.0.1", &c, 0);
	ok(!conn_selected(&c, c4), "conn show: the remote address, not the local one");
	sel("conn show port 179", &c, 0);
	ok(conn_selected(&c, c4) && conn_selected(&c, c6),
	   "conn show port PORT: local or remote port");
	sel("conn show port 50123", &c, 0);
	ok(conn_selected(&c, c4) && !conn_selected(&c, c6),
	   "conn show port PORT: the remote port too");
	sel("conn show keychain k6", &c, 0);
	ok(!conn_selected(&c, c4) && conn_selected(&c, c6),
	   "conn show keychain NAME");
	sel("conn show vrf default", &c, 0);
	ok(conn_selected(&c, c4) && !conn_selected(&c, c6),
	   "conn show vrf default: ifindex 0");
	sel("conn show 2001:db8::/32 port 179 keychain k6 detail", &c, 1);
	ok(conn_selected(&c, c6) && !conn_selected(&c, c4) && c.detail,
	   "conn show: selectors combine, with detail");
}

static void test_events(void)
{
	struct nlattr *tb[TCPAO_A_MAX + 1];
	struct nlattr *ev, *ev_bad_mac;
	char *all = NULL, *out;
	size_t alllen = 0;
	FILE *lines = open_memstream(&all, &alllen);

	memset(tb, 0, sizeof(tb));
	tb[TCPAO_A_KEYCHAIN] = kc_nest("new_auth_key", 0, 1, 20, false);
	out = event(TCPAO_CMD_KEYCHAIN_NEW, false, tb);
	is_str(out, "keychain-new new_auth_key tolerance 3600 active-send-id 0 active-recv-id 0 next-send-id 1 next-recv-id 1 transition 00:00:20 peers 1 bindings 0 connections 2\n",
	       "event keychain-new (text)");
	free(out);
	out = event(TCPAO_CMD_KEYCHAIN_NEW, true, tb);
	fputs(out, lines);
	free(out);

	memset(tb, 0, sizeof(tb));
	{
		struct nlattr *kc = nla_nest_start(rmsg, TCPAO_A_KEYCHAIN);
		struct nlattr *k;

		nla_put_string(rmsg, TCPAO_KC_A_NAME, "new_auth_key");
		nla_nest_end(rmsg, kc);
		tb[TCPAO_A_KEYCHAIN] = kc;
		k = nla_nest_start(rmsg, TCPAO_A_KEY);
		nla_put_u8(rmsg, TCPAO_KEY_A_ID, 1);
		nla_put_u8(rmsg, TCPAO_KEY_A_SEND_ID, 11);
		nla_put_u8(rmsg, TCPAO_KEY_A_RECV_ID, 21);
		nla_nest_end(rmsg, k);
		tb[TCPAO_A_KEY] = k;
	}
	out = event(TCPAO_CMD_KEY_NEW, false, tb);
	is_str(out, "key-new new_auth_key key 1 send-id 11 recv-id 21\n", "event key-new (text)");
	free(out);
	out = event(TCPAO_CMD_KEY_DEL, true, tb);
	fputs(out, lines);
	free(out);

	memset(tb, 0, sizeof(tb));
	tb[TCPAO_A_PEER] = peer_nest(AF_INET, "10.0.0.2", 32, 179, 0, TCPAO_F_ACCEPT_ICMPS);
	out = event(TCPAO_CMD_PEER_NEW, false, tb);
	is_str(out, "peer-new 10.0.0.2/32 port 179 vrf default keychain new_auth_key flags accept-icmps connections 3\n",
	       "event peer-new (text)");
	free(out);
	out = event(TCPAO_CMD_PEER_DEL, true, tb);
	fputs(out, lines);
	free(out);

	memset(tb, 0, sizeof(tb));
	ev = nla_nest_start(rmsg, TCPAO_A_EVENT);
	nla_put_string(rmsg, TCPAO_EV_A_KEYCHAIN, "new_auth_key");
	nla_put_u8(rmsg, TCPAO_EV_A_KEY_ID, 1);
	nla_nest_end(rmsg, ev);
	tb[TCPAO_A_EVENT] = ev;
	out = event(TCPAO_CMD_EVENT_KEY_ACTIVE, false, tb);
	is_str(out, "key-active keychain new_auth_key key 1\n", "event key-active (text)");
	free(out);
	out = event(TCPAO_CMD_EVENT_KEY_ACTIVE, true, tb);
	fputs(out, lines);
	free(out);

	ev = nla_nest_start(rmsg, TCPAO_A_EVENT);
	conn_nest(TCPAO_EV_A_CONN, true);
	nla_put_u8(rmsg, TCPAO_EV_A_WHAT, TCPAO_RNEXT_PEER_RNEXT);
	nla_put_u8(rmsg, TCPAO_EV_A_OLD, 0);
	nla_put_u8(rmsg, TCPAO_EV_A_NEW, 1);
	nla_nest_end(rmsg, ev);
	tb[TCPAO_A_EVENT] = ev;
	out = event(TCPAO_CMD_EVENT_RNEXT, false, tb);
	is_str(out, "rnext 10.0.0.1:179 10.0.0.2:50123 vrf default keychain new_auth_key state established peer-rnext 0 -> 1\n",
	       "event rnext (text)");
	free(out);
	out = event(TCPAO_CMD_EVENT_RNEXT, true, tb);
	fputs(out, lines);
	free(out);

	ev = nla_nest_start(rmsg, TCPAO_A_EVENT);
	conn_nest(TCPAO_EV_A_CONN, true);
	nla_put_u8(rmsg, TCPAO_EV_A_CAUSE, TCPAO_DROP_BAD_MAC);
	nla_put_u32(rmsg, TCPAO_EV_A_COUNT, 3);
	nla_put_u8(rmsg, TCPAO_EV_A_KEYID, 5);
	nla_nest_end(rmsg, ev);
	tb[TCPAO_A_EVENT] = ev;
	ev_bad_mac = ev;
	out = event(TCPAO_CMD_EVENT_AUTH_FAIL, false, tb);
	is_str(out, "auth-fail 10.0.0.1:179 10.0.0.2:50123 vrf default keychain new_auth_key state established cause bad-mac keyid 5 count 3\n",
	       "event auth-fail (text)");
	free(out);
	out = event(TCPAO_CMD_EVENT_AUTH_FAIL, true, tb);
	fputs(out, lines);
	free(out);

	/* A diagnosed drop: the cause and the fix, text and JSON. */
	ev = nla_nest_start(rmsg, TCPAO_A_EVENT);
	conn_nest(TCPAO_EV_A_CONN, true);
	nla_put_u8(rmsg, TCPAO_EV_A_CAUSE, TCPAO_DROP_KEY_NOT_FOUND);
	nla_put_u32(rmsg, TCPAO_EV_A_COUNT, 1);
	nla_put_u8(rmsg, TCPAO_EV_A_KEYID, 7);
	nla_put_u8(rmsg, TCPAO_EV_A_DIAG, TCPAO_DIAG_IDS_SWAPPED);
	nla_nest_end(rmsg, ev);
	tb[TCPAO_A_EVENT] = ev;
	out = event(TCPAO_CMD_EVENT_AUTH_FAIL, false, tb);
	like(out, " cause key-not-found keyid 7 diagnosis ids-swapped (send-id/recv-id look swapped (the peer's KeyID 7 is one of our send-ids)) count 1\n",
	     "event auth-fail with a diagnosis (text)");
	free(out);
	out = event(TCPAO_CMD_EVENT_AUTH_FAIL, true, tb);
	ok(py_check(out, "doc",
		    "d['diagnosis'] == 'ids-swapped' and d['keyid'] == 7 and "
		    "d['reason'].startswith('send-id/recv-id look swapped')"),
	   "event auth-fail with a diagnosis (JSON)");
	free(out);

	/* A key that starts later here: when it starts (the clocks). */
	ev = nla_nest_start(rmsg, TCPAO_A_EVENT);
	nla_put_string(rmsg, TCPAO_EV_A_KEYCHAIN, "new_auth_key");
	nla_put_u8(rmsg, TCPAO_EV_A_CAUSE, TCPAO_DROP_KEY_NOT_VALID);
	nla_put_u32(rmsg, TCPAO_EV_A_COUNT, 1);
	nla_put_u8(rmsg, TCPAO_EV_A_KEYID, 3);
	nla_put_u8(rmsg, TCPAO_EV_A_DIAG, TCPAO_DIAG_KEY_FUTURE);
	nla_put_s64(rmsg, TCPAO_EV_A_DIAG_START, 1767225600);
	nla_nest_end(rmsg, ev);
	tb[TCPAO_A_EVENT] = ev;
	out = event(TCPAO_CMD_EVENT_AUTH_FAIL, false, tb);
	like(out, " diagnosis key-not-yet-valid (peer uses key 3, which starts at 2026-01-01.00:00:00 UTC here (clock or start-time mismatch)) count 1\n",
	     "event auth-fail, key not valid yet: its start time (text)");
	free(out);
	out = event(TCPAO_CMD_EVENT_AUTH_FAIL, true, tb);
	ok(py_check(out, "doc",
		    "d['diagnosis'] == 'key-not-yet-valid' and "
		    "d['start_time'] == 1767225600"),
	   "event auth-fail, key not valid yet: its start time (JSON)");
	free(out);

	out = event(99, true, tb);
	fputs(out, lines);
	free(out);

	/* The time the event arrived, first (local time, RFC 3339): the
	 * bad-mac event above.
	 */
	tb[TCPAO_A_EVENT] = ev_bad_mac;
	{
		struct timespec ts = { .tv_sec = 1795521600, .tv_nsec = 123456789 };

		setenv("TZ", "UTC", 1);
		tzset();
		out = event_at(TCPAO_CMD_EVENT_AUTH_FAIL, false, tb, &ts);
		is_str(out, "2026-11-24T12:00:00.123+00:00 auth-fail 10.0.0.1:179 10.0.0.2:50123 vrf default keychain new_auth_key state established cause bad-mac keyid 5 count 3\n",
		       "monitor: each line starts with the time (UTC here)");
		free(out);
		setenv("TZ", "EST5EDT", 1);
		tzset();
		out = event_at(TCPAO_CMD_EVENT_AUTH_FAIL, false, tb, &ts);
		like(out, "2026-11-24T07:00:00.123-05:00 auth-fail ",
		     "monitor: local time with its offset from UTC");
		free(out);
		out = event_at(TCPAO_CMD_EVENT_AUTH_FAIL, true, tb, &ts);
		ok(py_check(out, "doc", "d['time'] == '2026-11-24T07:00:00.123-05:00' and "
			    "list(d)[:2] == ['time', 'event'] and d['cause'] == 'bad-mac'"),
		   "monitor -j: a time member, first");
		free(out);
		setenv("TZ", "UTC", 1);
		tzset();
	}

	fclose(lines);
	ok(py_check(all, "lines",
		    "[e['event'] for e in d] == ['keychain-new', 'key-del', "
		    "'peer-del', 'key-active', 'rnext', 'auth-fail', 'event-99'] and "
		    "d[0]['keychain'] == 'new_auth_key' and d[0]['transition'] == 20 and "
		    "d[1] == {'event': 'key-del', 'keychain': 'new_auth_key', 'id': 1, "
		    "'send_id': 11, 'recv_id': 21} and "
		    "d[2]['prefix'] == '10.0.0.2/32' and d[2]['flags'] == ['accept-icmps'] and "
		    "d[3] == {'event': 'key-active', 'keychain': 'new_auth_key', 'id': 1} and "
		    "d[4]['what'] == 'peer-rnext' and d[4]['old'] == 0 and d[4]['new'] == 1 and "
		    "d[4]['local_port'] == 179 and d[4]['remote_address'] == '10.0.0.2' and "
		    "d[5]['cause'] == 'bad-mac' and d[5]['count'] == 3 and d[5]['keyid'] == 5"),
	   "monitor -j: one JSON object per line, every event type");
	free(all);
}

int main(void)
{
	test_requests();

	rmsg = nlmsg_alloc_size(65536);
	test_keychains();
	test_peers();
	test_conns();
	test_stats_limits();
	test_peer_stats();
	test_selectors();
	test_conn_diag();
	test_events();
	nlmsg_free(rmsg);

	return tap_done();
}
