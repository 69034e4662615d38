// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl --sync without a kernel: the model of a sync file (keychains with
 * all their keys, policies, limits), the plan against a kernel's state
 * (what to keep, add, replace and delete), the KEYCHAIN_SYNC request (every
 * key, secrets included, in one message) and the dumps a sync reads.
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
#include "sync.h"
#include "util.h"
#include "tap.h"

static struct parse_opts opts = { .batch = true, .now = 1795000000 };

/* Parse the lines of @text into @cmds (one per line). */
static size_t parse(const char *text, struct batch_cmd *cmds, size_t max)
{
	char *copy = strdup(text), *line, *save = NULL;
	unsigned int n = 0, lineno = 0;

	for (line = strtok_r(copy, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		char *argv[BATCH_MAX_ARGS], e[256];
		int argc = batch_split(line, argv, BATCH_MAX_ARGS, e, sizeof(e));

		lineno++;
		if (argc <= 0)
			continue;
		cmds[n].line = lineno;
		if (aoctl_parse(argc, argv, &cmds[n].cmd, &opts))
			abort();
		n++;
	}
	free(copy);
	return n;
}

/* The errors sync_model_build() prints, as one string. */
static char errbuf[4096];

static int build(struct sync_model *m, const char *text,
		 struct batch_cmd *cmds, size_t max)
{
	size_t n = parse(text, cmds, max);
	FILE *fp = fmemopen(errbuf, sizeof(errbuf), "w");
	int ret;

	err_fp = fp;
	ret = sync_model_build(m, cmds, n, "f");
	fclose(fp);
	err_fp = NULL;
	return ret;
}

static const char file[] =
	"keychain add a key 1 secret s1 send-id 1 recv-id 2 start-time 2020-01-01.00:00\n"
	"keychain add b tolerance 30\n"
	"keychain add a key 0 secret s0 send-id 3 recv-id 4\n"
	"peer add 10.0.0.0/8 keychain a port 179\n"
	"peer add 2001:db8::/32 keychain b\n"
	"keychain set a tolerance 60\n"
	"peer add 192.0.2.1 keychain a vrf red allow-without-tcpao\n"
	"limits set peers 100\n"
	"limits set conns 200\n";

static void test_model(void)
{
	struct batch_cmd cmds[16];
	struct sync_model m;

	is_int(build(&m, file, cmds, 16), EXIT_OK, "a sync file builds");
	is_str(errbuf, "", "  no message");
	is_int(m.n_kcs, 2, "  two keychains");
	is_str(m.kcs[0].name, "a", "  a first (as named first)");
	is_int(m.kcs[0].line, 1, "  at line 1");
	is_int(m.kcs[0].n_keys, 2, "  a: two keys");
	is_int(m.kcs[0].keys[0]->cmd.key_id, 1, "  a: key 1 then");
	is_int(m.kcs[0].keys[1]->cmd.key_id, 0, "  key 0 (file order)");
	ok(m.kcs[0].has_tolerance && m.kcs[0].tolerance == 60 &&
	   m.kcs[0].tolerance_line == 6, "  a: tolerance 60 from line 6");
	ok(m.kcs[1].n_keys == 0 && m.kcs[1].has_tolerance &&
	   m.kcs[1].tolerance == 30, "  b: no keys, tolerance 30");
	is_int(m.n_peers, 3, "  three peers");
	ok(m.has_limits && m.limits.op == OP_LIMITS_SET &&
	   m.limits.has_limit[LIMIT_PEERS] && m.limits.limit[LIMIT_PEERS] == 100 &&
	   m.limits.has_limit[LIMIT_CONNS] && m.limits.limit[LIMIT_CONNS] == 200 &&
	   !m.limits.has_limit[LIMIT_KEYCHAINS], "  the limits of both lines, merged");
	sync_model_free(&m);

	is_int(build(&m, "", cmds, 16), EXIT_OK, "an empty file builds (it removes everything)");
	ok(m.n_kcs == 0 && m.n_peers == 0 && !m.has_limits, "  with nothing in it");
	sync_model_free(&m);

	is_int(build(&m, "keychain add a key 0 secret x send-id 1 recv-id 2 start-time now\n"
		     "keychain add a key 1 secret x send-id 3 recv-id 4 start-time now\n",
		     cmds, 16), EXIT_USAGE, "two keys with one start time");
	is_str(errbuf, "aoctl: f:2: keychain add: start-time is already used by key 0 (line 1); start times must be unique\n",
	       "  named at the second");
	is_int(build(&m, "keychain add a key 0 secret x send-id 1 recv-id 2\n"
		     "keychain add a key 1 secret x send-id 3 recv-id 4\n",
		     cmds, 16), EXIT_OK, "two keys without start times (the kernel decides)");
	sync_model_free(&m);
	is_int(build(&m, "keychain add a key 0 secret x send-id 1 recv-id 2\n"
		     "keychain add b key 0 secret x send-id 1 recv-id 2\n",
		     cmds, 16), EXIT_OK, "the same key ID and KeyIDs in two keychains");
	sync_model_free(&m);
	is_int(build(&m, "peer add 10.0.0.0/8 keychain a port 179\n"
		     "peer add 10.0.0.0/8 keychain a\n"
		     "peer add 10.0.0.0/8 keychain a vrf blue\n"
		     "keychain add a\n", cmds, 16),
	       EXIT_OK, "one prefix with and without a port, in two VRFs: three policies");
	sync_model_free(&m);
	is_int(build(&m, "keychain add a\npeer add 10.0.0.0/8 keychain a vrf default\n"
		     "peer add 10.0.0.0/8 keychain a\n", cmds, 16),
	       EXIT_USAGE, "vrf default is no VRF: the same policy twice");
	is_str(errbuf, "aoctl: f:3: peer add: peer 10.0.0.0/8 vrf default is already defined at line 2\n",
	       "  named at the second");
	is_int(build(&m, "flush\n", cmds, 16), EXIT_USAGE, "flush has no place in a sync file");
	is_int(build(&m, "keychain set a key 0 start-time now\n", cmds, 16), EXIT_USAGE,
	       "nor has keychain set ... key");
	is_int(build(&m, "peer del 10.0.0.0/8\n", cmds, 16), EXIT_USAGE, "nor peer del");
	is_int(build(&m, "stats\n", cmds, 16), EXIT_USAGE, "nor stats");
}

static void kpeer(struct sync_kstate *k, int family, const char *addr,
		  unsigned int plen, unsigned int port, uint32_t ifindex,
		  const char *kc, uint32_t flags)
{
	struct sync_kpeer p = { .family = family, .plen = plen, .port = port,
				.ifindex = ifindex, .flags = flags };

	inet_pton(family, addr, p.addr);
	snprintf(p.keychain, sizeof(p.keychain), "%s", kc);
	if (sync_kstate_add_peer(k, &p))
		abort();
}

static void kkc(struct sync_kstate *k, const char *name, uint32_t bindings)
{
	struct sync_kkeychain kc = { .bindings = bindings };

	snprintf(kc.name, sizeof(kc.name), "%s", name);
	if (sync_kstate_add_keychain(k, &kc))
		abort();
}

static void test_plan(void)
{
	struct batch_cmd cmds[16];
	struct sync_kstate k = { 0 };
	struct sync_plan p;
	struct sync_model m;
	uint32_t ifindex[3] = { 0, 0, 7 };	/* red is 7 */

	if (build(&m, file, cmds, 16))
		abort();
	/* As the file says. */
	kpeer(&k, AF_INET, "10.0.0.0", 8, 179, 0, "a", 0);
	/* Another keychain. */
	kpeer(&k, AF_INET6, "2001:db8::", 32, 0, 0, "a", 0);
	/* Other flags. */
	kpeer(&k, AF_INET, "192.0.2.1", 32, 0, 7, "a", 0);
	/* Not in the file: the same prefix without the port, in another
	 * VRF, with another length.
	 */
	kpeer(&k, AF_INET, "10.0.0.0", 8, 0, 0, "a", 0);
	kpeer(&k, AF_INET, "10.0.0.0", 8, 179, 8, "a", 0);
	kpeer(&k, AF_INET, "10.0.0.0", 16, 179, 0, "a", 0);
	kkc(&k, "gone", 0);
	kkc(&k, "a", 0);
	kkc(&k, "bound", 2);
	is_int(sync_plan_make(&m, ifindex, &k, &p), 0, "a plan");
	is_int(p.peer_act[0], SYNC_PEER_KEEP, "  a policy the kernel has as it is: kept");
	is_int(p.peer_act[1], SYNC_PEER_REPLACE, "  another keychain: replaced");
	is_int(p.peer_act[2], SYNC_PEER_REPLACE, "  other flags: replaced");
	ok(!p.peer_del[0] && !p.peer_del[1] && !p.peer_del[2],
	   "  none of the three deleted");
	ok(p.peer_del[3] && p.peer_del[4] && p.peer_del[5],
	   "  policies not in the file (port, VRF, length differ): deleted");
	is_int(p.kc_act[0], SYNC_KC_DEL, "  a keychain not in the file: deleted");
	is_int(p.kc_act[1], SYNC_KC_KEEP, "  one in the file: kept (and synced)");
	is_int(p.kc_act[2], SYNC_KC_EMPTY, "  one not in the file that sockets name: emptied");
	sync_plan_free(&p);

	sync_kstate_free(&k);
	is_int(sync_plan_make(&m, ifindex, &k, &p), 0, "a plan against an empty kernel");
	ok(p.peer_act[0] == SYNC_PEER_ADD && p.peer_act[1] == SYNC_PEER_ADD &&
	   p.peer_act[2] == SYNC_PEER_ADD, "  every policy added");
	sync_plan_free(&p);
	ifindex[2] = 8;
	kpeer(&k, AF_INET, "192.0.2.1", 32, 0, 7, "a", TCPAO_F_ALLOW_WITHOUT_AO);
	is_int(sync_plan_make(&m, ifindex, &k, &p), 0, "VRF red now has another ifindex");
	ok(p.peer_act[2] == SYNC_PEER_ADD && p.peer_del[0],
	   "  the policy of the old device goes, one for the new comes");
	sync_plan_free(&p);
	sync_kstate_free(&k);

	/* The kernel as the file left it (a file applied twice): nothing
	 * added, replaced or deleted.
	 */
	ifindex[2] = 7;
	kpeer(&k, AF_INET, "10.0.0.0", 8, 179, 0, "a", 0);
	kpeer(&k, AF_INET6, "2001:db8::", 32, 0, 0, "b", 0);
	kpeer(&k, AF_INET, "192.0.2.1", 32, 0, 7, "a", TCPAO_F_ALLOW_WITHOUT_AO);
	kkc(&k, "b", 0);
	kkc(&k, "a", 1);
	is_int(sync_plan_make(&m, ifindex, &k, &p), 0, "a plan against what the file made");
	ok(p.peer_act[0] == SYNC_PEER_KEEP && p.peer_act[1] == SYNC_PEER_KEEP &&
	   p.peer_act[2] == SYNC_PEER_KEEP, "  every policy kept");
	ok(!p.peer_del[0] && !p.peer_del[1] && !p.peer_del[2], "  none deleted");
	ok(p.kc_act[0] == SYNC_KC_KEEP && p.kc_act[1] == SYNC_KC_KEEP,
	   "  both keychains kept");
	sync_plan_free(&p);
	sync_kstate_free(&k);
	sync_model_free(&m);
}

static void test_messages(void)
{
	struct nlattr *tb[TCPAO_A_MAX + 1], *kc[TCPAO_KC_A_MAX + 1];
	struct nlattr *key[TCPAO_KEY_A_MAX + 1], *a;
	struct genlmsghdr g = { .cmd = 0 };
	struct batch_cmd cmds[16];
	struct sync_model m;
	struct nl_msg *msg;
	int rem, n = 0;

	if (build(&m, file, cmds, 16))
		abort();
	msg = nlmsg_alloc_simple(0x20, 0);
	nlmsg_append(msg, &g, sizeof(g), NLMSG_ALIGNTO);
	is_int(msg_build_keychain_sync(msg, &m.kcs[0]), 0, "KEYCHAIN_SYNC request of keychain a");
	nlmsg_parse(nlmsg_hdr(msg), GENL_HDRLEN, tb, TCPAO_A_MAX, NULL);
	ok(tb[TCPAO_A_KEYCHAIN] && !tb[TCPAO_A_KEY], "  one keychain nest, no single key");
	nla_parse_nested(kc, TCPAO_KC_A_MAX, tb[TCPAO_A_KEYCHAIN], NULL);
	is_str(nla_get_string(kc[TCPAO_KC_A_NAME]), "a", "  its name");
	is_int(nla_get_u32(kc[TCPAO_KC_A_TOLERANCE]), 60, "  its tolerance");
	ok(kc[TCPAO_KC_A_KEYS], "  its keys");
	nla_for_each_nested(a, kc[TCPAO_KC_A_KEYS], rem) {
		nla_parse_nested(key, TCPAO_KEY_A_MAX, a, NULL);
		ok(nla_type(a) == TCPAO_A_KEY && key[TCPAO_KEY_A_ID] &&
		   key[TCPAO_KEY_A_SECRET] && nla_len(key[TCPAO_KEY_A_SECRET]) == 2 &&
		   key[TCPAO_KEY_A_SEND_ID] && key[TCPAO_KEY_A_RECV_ID] &&
		   key[TCPAO_KEY_A_ALG] && key[TCPAO_KEY_A_TCP_OPTIONS],
		   "  key %u: the whole key, secret included", nla_get_u8(key[TCPAO_KEY_A_ID]));
		ok(!!key[TCPAO_KEY_A_START_TIME] == (n == 0),
		   "  key %u: a start time only where the file gives one",
		   nla_get_u8(key[TCPAO_KEY_A_ID]));
		n++;
	}
	is_int(n, 2, "  two keys");
	nlmsg_free(msg);

	msg = nlmsg_alloc_simple(0x20, 0);
	nlmsg_append(msg, &g, sizeof(g), NLMSG_ALIGNTO);
	is_int(msg_build_keychain_sync(msg, &m.kcs[1]), 0, "KEYCHAIN_SYNC of keychain b (no keys)");
	nlmsg_parse(nlmsg_hdr(msg), GENL_HDRLEN, tb, TCPAO_A_MAX, NULL);
	nla_parse_nested(kc, TCPAO_KC_A_MAX, tb[TCPAO_A_KEYCHAIN], NULL);
	/* libnl drops an empty nest; to the kernel both mean no keys. */
	ok(!kc[TCPAO_KC_A_KEYS] || nla_len(kc[TCPAO_KC_A_KEYS]) == 0,
	   "  no key: the keychain is to have none");
	nlmsg_free(msg);
	sync_model_free(&m);
}

static void test_dumps(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct sync_kkeychain kk;
	struct sync_kpeer kp;
	struct nlattr *nest;
	uint8_t a6[16];

	inet_pton(AF_INET6, "2001:db8::", a6);
	nest = nla_nest_start(msg, TCPAO_A_PEER);
	nla_put_u16(msg, TCPAO_PEER_A_FAMILY, AF_INET6);
	nla_put(msg, TCPAO_PEER_A_ADDR, 16, a6);
	nla_put_u8(msg, TCPAO_PEER_A_PREFIXLEN, 32);
	nla_put_u16(msg, TCPAO_PEER_A_PORT, 179);
	nla_put_u32(msg, TCPAO_PEER_A_IFINDEX, 7);
	nla_put_string(msg, TCPAO_PEER_A_KEYCHAIN, "kc");
	nla_put_u32(msg, TCPAO_PEER_A_FLAGS, TCPAO_F_ACCEPT_ICMPS);
	nla_nest_end(msg, nest);
	ok(!msg_parse_kpeer(nest, &kp) && kp.family == AF_INET6 &&
	   !memcmp(kp.addr, a6, 16) && kp.plen == 32 && kp.port == 179 &&
	   kp.ifindex == 7 && !strcmp(kp.keychain, "kc") &&
	   kp.flags == TCPAO_F_ACCEPT_ICMPS, "a peer of the dump, every field");
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	nest = nla_nest_start(msg, TCPAO_A_PEER);
	nla_put(msg, TCPAO_PEER_A_ADDR, 4, "\x0a\0\0\0");
	nla_put_string(msg, TCPAO_PEER_A_KEYCHAIN, "kc");
	nla_nest_end(msg, nest);
	ok(!msg_parse_kpeer(nest, &kp) && kp.family == AF_INET && kp.plen == 32 &&
	   kp.port == 0 && kp.ifindex == 0, "  the defaults: host prefix, any port, default VRF");
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	nest = nla_nest_start(msg, TCPAO_A_PEER);
	nla_put(msg, TCPAO_PEER_A_ADDR, 5, "\x0a\0\0\0\0");
	nla_nest_end(msg, nest);
	ok(msg_parse_kpeer(nest, &kp), "  an address of 5 bytes is refused");
	nlmsg_free(msg);

	msg = nlmsg_alloc();
	nest = nla_nest_start(msg, TCPAO_A_KEYCHAIN);
	nla_put_string(msg, TCPAO_KC_A_NAME, "kc");
	nla_put_u32(msg, TCPAO_KC_A_BINDINGS, 3);
	nla_nest_end(msg, nest);
	ok(!msg_parse_kkeychain(nest, &kk) && !strcmp(kk.name, "kc") &&
	   kk.bindings == 3, "a keychain of the dump: name and bindings");
	nlmsg_free(msg);
}

int main(void)
{
	test_model();
	test_plan();
	test_messages();
	test_dumps();
	return tap_done();
}
