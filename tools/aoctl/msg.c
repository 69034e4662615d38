// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: request attributes and reply/event printing.
 *
 * Printing goes through out.h only: each value is printed once, for text
 * and JSON.  "table" formats are the columns of the show commands, "line"
 * formats the keyword/value style of detail lines and monitor events.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>

#include "msg.h"
#include "out.h"
#include "parse.h"
#include "sync.h"
#include "util.h"

/* ---- Requests ---- */

int msg_cmd(const struct aoctl_cmd *c, uint8_t *gcmd, int *nlflags)
{
	*nlflags = 0;
	switch (c->op) {
	case OP_KEYCHAIN_NEW:
		*gcmd = TCPAO_CMD_KEYCHAIN_NEW;
		break;
	case OP_KEYCHAIN_SET:
		*gcmd = TCPAO_CMD_KEYCHAIN_SET;
		break;
	case OP_KEYCHAIN_DEL:
		*gcmd = TCPAO_CMD_KEYCHAIN_DEL;
		break;
	case OP_KEYCHAIN_SHOW:
		*gcmd = TCPAO_CMD_KEYCHAIN_GET;
		if (!c->has_keychain)
			*nlflags = NLM_F_DUMP;
		break;
	case OP_KEY_NEW:
		*gcmd = TCPAO_CMD_KEY_NEW;
		break;
	case OP_KEY_SET:
		*gcmd = TCPAO_CMD_KEY_SET;
		break;
	case OP_KEY_DEL:
		*gcmd = TCPAO_CMD_KEY_DEL;
		break;
	case OP_PEER_NEW:
		*gcmd = TCPAO_CMD_PEER_NEW;
		if (c->replace)
			*nlflags = NLM_F_REPLACE;
		break;
	case OP_PEER_DEL:
		*gcmd = TCPAO_CMD_PEER_DEL;
		break;
	case OP_PEER_SHOW:
	case OP_STATS_PEER:
		*gcmd = TCPAO_CMD_PEER_GET;
		*nlflags = NLM_F_DUMP;
		break;
	case OP_CONN_SHOW:
		*gcmd = TCPAO_CMD_CONN_GET;
		*nlflags = NLM_F_DUMP;
		break;
	case OP_STATS:
		*gcmd = TCPAO_CMD_STATS_GET;
		break;
	case OP_LIMITS_SHOW:
		*gcmd = TCPAO_CMD_LIMITS_GET;
		break;
	case OP_LIMITS_SET:
		*gcmd = TCPAO_CMD_LIMITS_SET;
		break;
	case OP_FLUSH:
		*gcmd = TCPAO_CMD_FLUSH;
		break;
	default:
		return -1;
	}
	return 0;
}

#define TRY(x) do { int __e = (x); if (__e < 0) return __e; } while (0)

static int put_keychain_name(struct nl_msg *msg, const struct aoctl_cmd *c,
			     bool tolerance)
{
	struct nlattr *nest = nla_nest_start(msg, TCPAO_A_KEYCHAIN);

	if (!nest)
		return -NLE_NOMEM;
	TRY(nla_put_string(msg, TCPAO_KC_A_NAME, c->keychain));
	if (tolerance && c->has_tolerance)
		TRY(nla_put_u32(msg, TCPAO_KC_A_TOLERANCE, c->tolerance));
	return nla_nest_end(msg, nest);
}

static int put_key(struct nl_msg *msg, const struct aoctl_cmd *c)
{
	struct nlattr *nest = nla_nest_start(msg, TCPAO_A_KEY);

	if (!nest)
		return -NLE_NOMEM;
	TRY(nla_put_u8(msg, TCPAO_KEY_A_ID, c->key_id));
	if (c->has_secret)
		TRY(nla_put(msg, TCPAO_KEY_A_SECRET, (int)c->secret.len,
			    c->secret.buf));
	if (c->has_start_time)
		TRY(nla_put_s64(msg, TCPAO_KEY_A_START_TIME, c->start_time));
	if (c->has_send_id)
		TRY(nla_put_u8(msg, TCPAO_KEY_A_SEND_ID, c->send_id));
	if (c->has_recv_id)
		TRY(nla_put_u8(msg, TCPAO_KEY_A_RECV_ID, c->recv_id));
	if (c->has_alg)
		TRY(nla_put_u8(msg, TCPAO_KEY_A_ALG, c->alg));
	if (c->has_tcp_options)
		TRY(nla_put_u8(msg, TCPAO_KEY_A_TCP_OPTIONS, c->tcp_options));
	return nla_nest_end(msg, nest);
}

static int put_peer(struct nl_msg *msg, const struct aoctl_cmd *c, bool add)
{
	struct nlattr *nest = nla_nest_start(msg, TCPAO_A_PEER);

	if (!nest)
		return -NLE_NOMEM;
	TRY(nla_put(msg, TCPAO_PEER_A_ADDR,
		    (int)family_addr_len(c->prefix.family), c->prefix.addr));
	TRY(nla_put_u8(msg, TCPAO_PEER_A_PREFIXLEN, (uint8_t)c->prefix.len));
	if (c->has_port && c->port)	/* not "port any" */
		TRY(nla_put_u16(msg, TCPAO_PEER_A_PORT, c->port));
	if (c->ifindex)
		TRY(nla_put_u32(msg, TCPAO_PEER_A_IFINDEX, c->ifindex));
	if (add) {
		TRY(nla_put_string(msg, TCPAO_PEER_A_KEYCHAIN, c->keychain));
		TRY(nla_put_u32(msg, TCPAO_PEER_A_FLAGS, c->flags));
	}
	return nla_nest_end(msg, nest);
}

static int put_limits(struct nl_msg *msg, const struct aoctl_cmd *c)
{
	static const int attr[LIMIT_COUNT] = {
		[LIMIT_KEYCHAINS] = TCPAO_LIMITS_A_KEYCHAINS,
		[LIMIT_PEERS] = TCPAO_LIMITS_A_PEERS,
		[LIMIT_CONNS] = TCPAO_LIMITS_A_CONNS,
		[LIMIT_BINDINGS] = TCPAO_LIMITS_A_BINDINGS,
	};
	struct nlattr *nest = nla_nest_start(msg, TCPAO_A_LIMITS);
	unsigned int l;

	if (!nest)
		return -NLE_NOMEM;
	for (l = 0; l < LIMIT_COUNT; l++)
		if (c->has_limit[l])
			TRY(nla_put_u32(msg, attr[l], c->limit[l]));
	return nla_nest_end(msg, nest);
}

int msg_build(struct nl_msg *msg, const struct aoctl_cmd *c)
{
	switch (c->op) {
	case OP_KEYCHAIN_NEW:
	case OP_KEYCHAIN_SET:
		return put_keychain_name(msg, c, true);
	case OP_KEYCHAIN_DEL:
		return put_keychain_name(msg, c, false);
	case OP_KEYCHAIN_SHOW:
		if (c->has_keychain)
			TRY(put_keychain_name(msg, c, false));
		if (c->detail)
			TRY(nla_put_flag(msg, TCPAO_A_DETAIL));
		return 0;
	case OP_KEY_NEW:
	case OP_KEY_SET:
	case OP_KEY_DEL:
		TRY(put_keychain_name(msg, c, false));
		return put_key(msg, c);
	case OP_PEER_NEW:
		return put_peer(msg, c, true);
	case OP_PEER_DEL:
		return put_peer(msg, c, false);
	case OP_LIMITS_SET:
		return put_limits(msg, c);
	case OP_PEER_SHOW:
	case OP_STATS_PEER:
	case OP_CONN_SHOW:
	case OP_STATS:
	case OP_LIMITS_SHOW:
	case OP_FLUSH:
		return 0;
	default:
		return -NLE_INVAL;
	}
}

int msg_build_keychain_sync(struct nl_msg *msg, const struct sync_keychain *kc)
{
	struct nlattr *nest, *keys;
	unsigned int i;

	nest = nla_nest_start(msg, TCPAO_A_KEYCHAIN);
	if (!nest)
		return -NLE_NOMEM;
	TRY(nla_put_string(msg, TCPAO_KC_A_NAME, kc->name));
	/* Absent: the default, as a file without the line means. */
	if (kc->has_tolerance)
		TRY(nla_put_u32(msg, TCPAO_KC_A_TOLERANCE, kc->tolerance));
	keys = nla_nest_start(msg, TCPAO_KC_A_KEYS);
	if (!keys)
		return -NLE_NOMEM;
	for (i = 0; i < kc->n_keys; i++)
		TRY(put_key(msg, &kc->keys[i]->cmd));
	TRY(nla_nest_end(msg, keys));
	return nla_nest_end(msg, nest);
}

/* ---- Attribute access, checking lengths ---- */

static bool get_u8(const struct nlattr *a, unsigned int *v)
{
	if (!a || nla_len(a) < 1)
		return false;
	*v = nla_get_u8((struct nlattr *)a);
	return true;
}

static bool get_u16(const struct nlattr *a, unsigned int *v)
{
	if (!a || nla_len(a) < 2)
		return false;
	*v = nla_get_u16((struct nlattr *)a);
	return true;
}

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) < 4)
		return false;
	*v = nla_get_u32((struct nlattr *)a);
	return true;
}

/* u64 counters; a 4-byte attribute is accepted too. */
static bool get_u64(const struct nlattr *a, uint64_t *v)
{
	if (a && nla_len(a) >= 8) {
		*v = nla_get_u64((struct nlattr *)a);
		return true;
	}
	if (a && nla_len(a) >= 4) {
		*v = nla_get_u32((struct nlattr *)a);
		return true;
	}
	return false;
}

static bool get_s64(const struct nlattr *a, int64_t *v)
{
	if (!a || nla_len(a) < 8)
		return false;
	*v = (int64_t)nla_get_u64((struct nlattr *)a);
	return true;
}

static bool get_str(const struct nlattr *a, char *buf, size_t len)
{
	if (!a || nla_len(a) < 1) {
		buf[0] = '\0';
		return false;
	}
	nla_strlcpy(buf, a, len);
	return true;
}

static void parse_nest(struct nlattr **tb, int max, struct nlattr *nest)
{
	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	if (nest)
		nla_parse_nested(tb, max, nest, NULL);
}

/* A u8 value or JSON null / text "-" (table) or nothing (line). */
static void pr_opt_u8(const struct nlattr *a, const char *key,
		      const char *fmt, const char *nullfmt)
{
	unsigned int v;

	if (get_u8(a, &v))
		print_uint(PRINT_ANY, key, fmt, v);
	else
		print_null(PRINT_ANY, key, nullfmt, "-");
}

static void pr_opt_u32(const struct nlattr *a, const char *key,
		       const char *fmt, const char *nullfmt)
{
	uint32_t v;

	if (get_u32(a, &v))
		print_uint(PRINT_ANY, key, fmt, v);
	else
		print_null(PRINT_ANY, key, nullfmt, "-");
}

/* "flags" as a JSON array of names; text: comma-joined or "-". */
static void pr_flags(const char *key, uint32_t flags,
		     const char *(*name)(unsigned int), const char *fmt)
{
	char text[256] = "";
	unsigned int bit;
	size_t n = 0;

	open_json_array(key);
	for (bit = 0; bit < 32; bit++) {
		char unk[16];
		const char *nm;

		if (!(flags & (1U << bit)))
			continue;
		nm = name(bit);
		if (!nm) {
			snprintf(unk, sizeof(unk), "0x%x", 1U << bit);
			nm = unk;
		}
		print_string(PRINT_JSON, NULL, NULL, nm);
		n += (size_t)snprintf(text + n, n < sizeof(text) ? sizeof(text) - n : 0,
				      "%s%s", n ? "," : "", nm);
		if (n >= sizeof(text))
			n = sizeof(text) - 1;
	}
	close_json_array();
	print_string(PRINT_FP, NULL, fmt, n ? text : "-");
}

static void vrf_name(uint32_t ifindex, char *buf, size_t len)
{
	char name[IF_NAMESIZE];

	if (!ifindex)
		snprintf(buf, len, "default");
	else if (if_indextoname(ifindex, name))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "if%u", ifindex);
}

/* ---- Selectors ---- */

/* Is the prefix (ofam, oaddr, olen) equal to or shorter than and
 * containing (ifam, iaddr, ilen)?
 */
static bool covers(int ofam, const uint8_t *oaddr, unsigned int olen,
		   int ifam, const uint8_t *iaddr, unsigned int ilen)
{
	unsigned int i;

	if (ofam != ifam || olen > ilen || olen > family_addr_len(ofam) * 8)
		return false;
	for (i = 0; i < olen / 8; i++)
		if (oaddr[i] != iaddr[i])
			return false;
	if (olen % 8) {
		uint8_t mask = (uint8_t)(0xff00u >> (olen % 8));

		if ((oaddr[i] ^ iaddr[i]) & mask)
			return false;
	}
	return true;
}

/* The prefix of a policy, as peer_fields() reads it. */
static void peer_prefix(struct nlattr **tb, struct aoctl_prefix *p)
{
	unsigned int v;
	int alen;

	memset(p, 0, sizeof(*p));
	alen = tb[TCPAO_PEER_A_ADDR] ? nla_len(tb[TCPAO_PEER_A_ADDR]) : 0;
	if (get_u16(tb[TCPAO_PEER_A_FAMILY], &v))
		p->family = (int)v;
	else
		p->family = alen == 16 ? AF_INET6 : AF_INET;
	if (family_addr_len(p->family) &&
	    alen >= (int)family_addr_len(p->family))
		memcpy(p->addr, nla_data(tb[TCPAO_PEER_A_ADDR]),
		       family_addr_len(p->family));
	p->len = family_addr_len(p->family) * 8;
	if (get_u8(tb[TCPAO_PEER_A_PREFIXLEN], &v))
		p->len = v;
}

/*
 * A policy is chosen when its prefix covers the selector's (the policies
 * that can apply to that peer), its port is the one given ("port any": a
 * policy without one), and so are its VRF and keychain.
 */
bool peer_selected(const struct aoctl_cmd *sel, struct nlattr *peer)
{
	struct nlattr *tb[TCPAO_PEER_A_MAX + 1];
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	struct aoctl_prefix p;
	unsigned int port = 0;
	uint32_t ifindex = 0;

	if (!sel)
		return true;
	parse_nest(tb, TCPAO_PEER_A_MAX, peer);
	peer_prefix(tb, &p);
	if (sel->has_prefix &&
	    !covers(p.family, p.addr, p.len, sel->prefix.family,
		    sel->prefix.addr, sel->prefix.len))
		return false;
	get_u16(tb[TCPAO_PEER_A_PORT], &port);
	if (sel->has_port && port != sel->port)
		return false;
	get_u32(tb[TCPAO_PEER_A_IFINDEX], &ifindex);
	if (sel->sel_vrf && ifindex != sel->ifindex)
		return false;
	get_str(tb[TCPAO_PEER_A_KEYCHAIN], name, sizeof(name));
	if (sel->has_keychain && strcmp(name, sel->keychain))
		return false;
	return true;
}

/*
 * A connection is chosen when its remote address is inside the prefix, the
 * port is its local or its remote port, and its VRF and keychain are the
 * ones given.
 */
bool conn_selected(const struct aoctl_cmd *sel, struct nlattr *conn)
{
	struct nlattr *tb[TCPAO_CONN_A_MAX + 1];
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	unsigned int v, lport = 0, rport = 0;
	uint8_t raddr[16] = { 0 };
	int family = AF_INET;
	uint32_t ifindex = 0;

	if (!sel)
		return true;
	parse_nest(tb, TCPAO_CONN_A_MAX, conn);
	if (get_u16(tb[TCPAO_CONN_A_FAMILY], &v))
		family = (int)v;
	else if (tb[TCPAO_CONN_A_RADDR] && nla_len(tb[TCPAO_CONN_A_RADDR]) == 16)
		family = AF_INET6;
	if (sel->has_prefix) {
		unsigned int alen = family_addr_len(family);

		if (!alen || !tb[TCPAO_CONN_A_RADDR] ||
		    nla_len(tb[TCPAO_CONN_A_RADDR]) < (int)alen)
			return false;
		memcpy(raddr, nla_data(tb[TCPAO_CONN_A_RADDR]), alen);
		if (!covers(sel->prefix.family, sel->prefix.addr,
			    sel->prefix.len, family, raddr, alen * 8))
			return false;
	}
	get_u16(tb[TCPAO_CONN_A_LPORT], &lport);
	get_u16(tb[TCPAO_CONN_A_RPORT], &rport);
	if (sel->has_port && sel->port && lport != sel->port &&
	    rport != sel->port)
		return false;
	get_u32(tb[TCPAO_CONN_A_IFINDEX], &ifindex);
	if (sel->sel_vrf && ifindex != sel->ifindex)
		return false;
	get_str(tb[TCPAO_CONN_A_KEYCHAIN], name, sizeof(name));
	if (sel->has_keychain && strcmp(name, sel->keychain))
		return false;
	return true;
}

/* ---- What a sync needs of the dumps ---- */

int msg_parse_kpeer(struct nlattr *peer, struct sync_kpeer *out)
{
	struct nlattr *tb[TCPAO_PEER_A_MAX + 1];
	unsigned int v;
	int alen;

	memset(out, 0, sizeof(*out));
	parse_nest(tb, TCPAO_PEER_A_MAX, peer);
	alen = tb[TCPAO_PEER_A_ADDR] ? nla_len(tb[TCPAO_PEER_A_ADDR]) : 0;
	if (alen != 4 && alen != 16)
		return -1;
	out->family = alen == 4 ? AF_INET : AF_INET6;
	memcpy(out->addr, nla_data(tb[TCPAO_PEER_A_ADDR]), (size_t)alen);
	out->plen = (unsigned int)alen * 8;
	if (get_u8(tb[TCPAO_PEER_A_PREFIXLEN], &v))
		out->plen = v;
	if (get_u16(tb[TCPAO_PEER_A_PORT], &v))
		out->port = v;
	get_u32(tb[TCPAO_PEER_A_IFINDEX], &out->ifindex);
	get_u32(tb[TCPAO_PEER_A_FLAGS], &out->flags);
	if (!get_str(tb[TCPAO_PEER_A_KEYCHAIN], out->keychain,
		     sizeof(out->keychain)))
		return -1;
	return 0;
}

int msg_parse_kkeychain(struct nlattr *kc, struct sync_kkeychain *out)
{
	struct nlattr *tb[TCPAO_KC_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	parse_nest(tb, TCPAO_KC_A_MAX, kc);
	if (!get_str(tb[TCPAO_KC_A_NAME], out->name, sizeof(out->name)))
		return -1;
	get_u32(tb[TCPAO_KC_A_BINDINGS], &out->bindings);
	return 0;
}

/* ---- Keychains and keys ---- */

void print_keychain_header(void)
{
	print_fp("Keychain          Active-ID        Next-ID          Transition       Tolerance\n"
		 "                  Send  Receive    Send  Receive\n");
}

/* A key, line style: " key 0 send-id 0 ..." (detail lines, events). */
static void print_key_fields(struct nlattr *key)
{
	struct nlattr *tb[TCPAO_KEY_A_MAX + 1];
	char buf[64];
	unsigned int v;
	uint32_t u;
	int64_t t;

	parse_nest(tb, TCPAO_KEY_A_MAX, key);
	if (get_u8(tb[TCPAO_KEY_A_ID], &v))
		print_uint(PRINT_ANY, "id", " key %u", v);
	pr_opt_u8(tb[TCPAO_KEY_A_SEND_ID], "send_id", " send-id %u", NULL);
	pr_opt_u8(tb[TCPAO_KEY_A_RECV_ID], "recv_id", " recv-id %u", NULL);
	if (get_u8(tb[TCPAO_KEY_A_ALG], &v)) {
		const char *n = alg_name(v);

		if (!n) {
			snprintf(buf, sizeof(buf), "unknown(%u)", v);
			n = buf;
		}
		print_string(PRINT_ANY, "algorithm", " cryptographic-algorithm %s", n);
	}
	if (get_u8(tb[TCPAO_KEY_A_TCP_OPTIONS], &v))
		print_string(PRINT_ANY, "tcp_ao_option", " tcp-ao-option %s",
			     v ? "enabled" : "disabled");
	if (get_s64(tb[TCPAO_KEY_A_START_TIME], &t)) {
		format_time_utc(t, buf, sizeof(buf));
		print_string(PRINT_FP, NULL, " start-time %s", buf);
		print_s64(PRINT_JSON, "start_time", NULL, t);
	}
	if (get_u8(tb[TCPAO_KEY_A_STATE], &v))
		print_string(PRINT_ANY, "state", " state %s",
			     key_state_name(v, buf, sizeof(buf)));
	if (get_u32(tb[TCPAO_KEY_A_CONNS], &u))
		print_uint(PRINT_ANY, "connections", " connections %u", u);
	if (get_u8(tb[TCPAO_KEY_A_SECRET_LEN], &v))
		print_uint(PRINT_ANY, "secret_length", " secret-length %u", v);
}

/*
 * A keychain.  table: a row of the show table (and, with detail, the
 * counters and one line per key); otherwise line style for events, where
 * the name is "keychain" in JSON.
 */
static void keychain_fields(struct nlattr *kc, bool table, bool detail)
{
	struct nlattr *tb[TCPAO_KC_A_MAX + 1];
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	char buf[64];
	uint32_t u;
	int64_t t;

	parse_nest(tb, TCPAO_KC_A_MAX, kc);
	get_str(tb[TCPAO_KC_A_NAME], name, sizeof(name));
	if (table) {
		print_string(PRINT_ANY, "name", "%-17s ", name);
		pr_opt_u8(tb[TCPAO_KC_A_ACTIVE_SEND], "active_send_id", "%-5u ", "%-5s ");
		pr_opt_u8(tb[TCPAO_KC_A_ACTIVE_RECV], "active_recv_id", "%-10u ", "%-10s ");
		pr_opt_u8(tb[TCPAO_KC_A_NEXT_SEND], "next_send_id", "%-5u ", "%-5s ");
		pr_opt_u8(tb[TCPAO_KC_A_NEXT_RECV], "next_recv_id", "%-10u ", "%-10s ");
		if (get_s64(tb[TCPAO_KC_A_TRANSITION], &t)) {
			format_transition(t, buf, sizeof(buf));
			print_string(PRINT_FP, NULL, "%-16s ", buf);
			print_s64(PRINT_JSON, "transition", NULL, t);
		} else {
			print_null(PRINT_ANY, "transition", "%-16s ", "-");
		}
		pr_opt_u32(tb[TCPAO_KC_A_TOLERANCE], "tolerance", "%u", "%s");
		print_nl();
	} else {
		print_string(PRINT_ANY, "keychain", " %s", name);
		if (get_u32(tb[TCPAO_KC_A_TOLERANCE], &u))
			print_uint(PRINT_ANY, "tolerance", " tolerance %u", u);
		if (tb[TCPAO_KC_A_ACTIVE_SEND] || tb[TCPAO_KC_A_NEXT_SEND]) {
			pr_opt_u8(tb[TCPAO_KC_A_ACTIVE_SEND], "active_send_id", " active-send-id %u", NULL);
			pr_opt_u8(tb[TCPAO_KC_A_ACTIVE_RECV], "active_recv_id", " active-recv-id %u", NULL);
			pr_opt_u8(tb[TCPAO_KC_A_NEXT_SEND], "next_send_id", " next-send-id %u", NULL);
			pr_opt_u8(tb[TCPAO_KC_A_NEXT_RECV], "next_recv_id", " next-recv-id %u", NULL);
		}
		if (get_s64(tb[TCPAO_KC_A_TRANSITION], &t)) {
			format_transition(t, buf, sizeof(buf));
			print_string(PRINT_FP, NULL, " transition %s", buf);
			print_s64(PRINT_JSON, "transition", NULL, t);
		}
	}

	/* Use counts: JSON always, text in detail lines. */
	if (table && detail)
		print_fp("   ");
	if (get_u32(tb[TCPAO_KC_A_PEERS], &u))
		print_uint(PRINT_ANY, "peers", detail || !table ? " peers %u" : NULL, u);
	if (get_u32(tb[TCPAO_KC_A_BINDINGS], &u))
		print_uint(PRINT_ANY, "bindings", detail || !table ? " bindings %u" : NULL, u);
	if (get_u32(tb[TCPAO_KC_A_CONNS], &u))
		print_uint(PRINT_ANY, "connections", detail || !table ? " connections %u" : NULL, u);
	if (get_u32(tb[TCPAO_KC_A_GENERATION], &u))
		print_uint(PRINT_ANY, "generation", detail || !table ? " generation %u" : NULL, u);
	if (table && detail)
		print_nl();

	if (tb[TCPAO_KC_A_KEYS] && detail) {
		struct nlattr *key;
		int rem;

		open_json_array("keys");
		/* A nest of TCPAO_A_KEY nests (any type is accepted). */
		nla_for_each_nested(key, tb[TCPAO_KC_A_KEYS], rem) {
			open_json_object(NULL);
			print_fp("   ");
			print_key_fields(key);
			print_nl();
			close_json_object();
		}
		close_json_array();
	}
}

void print_keychain(struct nlattr *kc, bool detail)
{
	open_json_object(NULL);
	keychain_fields(kc, true, detail);
	close_json_object();
}

/* ---- Peers ---- */

void print_peer_header(void)
{
	print_fp("%-24s %-6s %-16s %-17s %-34s %s\n", "Prefix", "Port", "VRF",
		 "Keychain", "Flags", "Connections");
}

static void peer_fields(struct nlattr *peer, bool table)
{
	struct nlattr *tb[TCPAO_PEER_A_MAX + 1];
	struct aoctl_prefix p = { 0 };
	char buf[INET6_ADDRSTRLEN + 8];
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	unsigned int v;
	uint32_t u, ifindex = 0, flags = 0;
	int alen;

	parse_nest(tb, TCPAO_PEER_A_MAX, peer);
	alen = tb[TCPAO_PEER_A_ADDR] ? nla_len(tb[TCPAO_PEER_A_ADDR]) : 0;
	if (get_u16(tb[TCPAO_PEER_A_FAMILY], &v))
		p.family = (int)v;
	else
		p.family = alen == 16 ? AF_INET6 : AF_INET;
	if (alen >= (int)family_addr_len(p.family))
		memcpy(p.addr, nla_data(tb[TCPAO_PEER_A_ADDR]),
		       family_addr_len(p.family));
	p.len = family_addr_len(p.family) * 8;
	if (get_u8(tb[TCPAO_PEER_A_PREFIXLEN], &v))
		p.len = v;

	format_prefix(&p, buf, sizeof(buf));
	print_string(PRINT_ANY, "prefix", table ? "%-24s " : " %s", buf);
	print_string(PRINT_JSON, "family", NULL,
		     p.family == AF_INET6 ? "inet6" : "inet");
	format_addr(p.family, p.addr, buf, sizeof(buf));
	print_string(PRINT_JSON, "address", NULL, buf);
	print_uint(PRINT_JSON, "prefixlen", NULL, p.len);

	if (get_u16(tb[TCPAO_PEER_A_PORT], &v))
		print_uint(PRINT_ANY, "port", table ? "%-6u " : " port %u", v);
	else
		print_null(PRINT_ANY, "port", table ? "%-6s " : " port %s", "any");

	get_u32(tb[TCPAO_PEER_A_IFINDEX], &ifindex);
	vrf_name(ifindex, buf, sizeof(buf));
	print_string(PRINT_ANY, "vrf", table ? "%-16s " : " vrf %s", buf);
	print_uint(PRINT_JSON, "ifindex", NULL, ifindex);

	if (get_str(tb[TCPAO_PEER_A_KEYCHAIN], name, sizeof(name)) || table)
		print_string(PRINT_ANY, "keychain", table ? "%-17s " : " keychain %s",
			     name[0] ? name : "-");
	if (get_u32(tb[TCPAO_PEER_A_FLAGS], &flags) || table) {
		if (!table)
			print_fp(" flags");
		pr_flags("flags", flags, peer_flag_name, table ? "%-34s " : " %s");
	}
	if (get_u32(tb[TCPAO_PEER_A_CONNS], &u))
		print_uint(PRINT_ANY, "connections", table ? "%u" : " connections %u", u);
	else if (table)
		print_null(PRINT_ANY, "connections", "%s", "-");
}

void print_peer(struct nlattr *peer, bool table)
{
	open_json_object(NULL);
	peer_fields(peer, table);
	close_json_object();
	if (table)
		print_nl();
}

/* ---- Connections ---- */

void print_conn_header(void)
{
	print_fp("%-22s %-22s %-10s %-17s %-12s %-12s %-12s %-12s %-10s %-10s %s\n",
		 "Local", "Remote", "VRF", "Keychain", "State", "Send", "Recv",
		 "SNE", "Good", "Bad", "Signed");
	print_fp("%-22s %-22s %-10s %-17s %-12s %-12s %-12s %s\n",
		 "", "", "", "", "", "KeyID/RNext", "KeyID/RNext", "send/recv");
}

static void id_pair(char *buf, size_t len, const struct nlattr *a,
		    const struct nlattr *b)
{
	unsigned int x, y;
	char xs[8] = "-", ys[8] = "-";

	if (get_u8(a, &x))
		snprintf(xs, sizeof(xs), "%u", x);
	if (get_u8(b, &y))
		snprintf(ys, sizeof(ys), "%u", y);
	snprintf(buf, len, "%s/%s", xs, ys);
}

/*
 * The last diagnosed failure of a connection: a "reason" line under its
 * row (whether or not -d), and its cause, KeyID and message in JSON.
 */
static void conn_diag(struct nlattr **tb)
{
	unsigned int v, keyid = 0;
	int64_t start = INT64_MIN;
	char buf[160];

	if (!get_u8(tb[TCPAO_CONN_A_DIAG], &v))
		return;
	get_u8(tb[TCPAO_CONN_A_DIAG_KEYID], &keyid);
	if (!get_s64(tb[TCPAO_CONN_A_DIAG_START], &start))
		start = INT64_MIN;
	open_json_object("diagnosis");
	print_string(PRINT_JSON, "cause", NULL, diag_name(v, buf, sizeof(buf)));
	print_uint(PRINT_JSON, "keyid", NULL, keyid);
	if (start != INT64_MIN)
		print_s64(PRINT_JSON, "start_time", NULL, start);
	diag_reason(v, keyid, start, buf, sizeof(buf));
	print_string(PRINT_ANY, "reason", "\n   reason: %s", buf);
	close_json_object();
}

static void conn_fields(struct nlattr *conn, bool detail, bool table)
{
	struct nlattr *tb[TCPAO_CONN_A_MAX + 1];
	uint8_t laddr[16] = { 0 }, raddr[16] = { 0 };
	char buf[INET6_ADDRSTRLEN + 16];
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	unsigned int v, lport = 0, rport = 0;
	uint32_t ifindex = 0, flags = 0, s1, s2;
	uint64_t c;
	int family = AF_INET;
	unsigned int alen;

	parse_nest(tb, TCPAO_CONN_A_MAX, conn);
	if (get_u16(tb[TCPAO_CONN_A_FAMILY], &v))
		family = (int)v;
	else if (tb[TCPAO_CONN_A_LADDR] && nla_len(tb[TCPAO_CONN_A_LADDR]) == 16)
		family = AF_INET6;
	alen = family_addr_len(family);
	if (!alen) {
		family = AF_INET;
		alen = 4;
	}
	if (tb[TCPAO_CONN_A_LADDR] && nla_len(tb[TCPAO_CONN_A_LADDR]) >= (int)alen)
		memcpy(laddr, nla_data(tb[TCPAO_CONN_A_LADDR]), alen);
	if (tb[TCPAO_CONN_A_RADDR] && nla_len(tb[TCPAO_CONN_A_RADDR]) >= (int)alen)
		memcpy(raddr, nla_data(tb[TCPAO_CONN_A_RADDR]), alen);
	get_u16(tb[TCPAO_CONN_A_LPORT], &lport);
	get_u16(tb[TCPAO_CONN_A_RPORT], &rport);

	print_string(PRINT_JSON, "family", NULL,
		     family == AF_INET6 ? "inet6" : "inet");
	format_addr_port(family, laddr, lport, buf, sizeof(buf));
	print_string(PRINT_FP, NULL, table ? "%-22s " : " %s", buf);
	format_addr(family, laddr, buf, sizeof(buf));
	print_string(PRINT_JSON, "local_address", NULL, buf);
	print_uint(PRINT_JSON, "local_port", NULL, lport);
	format_addr_port(family, raddr, rport, buf, sizeof(buf));
	print_string(PRINT_FP, NULL, table ? "%-22s " : " %s", buf);
	format_addr(family, raddr, buf, sizeof(buf));
	print_string(PRINT_JSON, "remote_address", NULL, buf);
	print_uint(PRINT_JSON, "remote_port", NULL, rport);

	get_u32(tb[TCPAO_CONN_A_IFINDEX], &ifindex);
	vrf_name(ifindex, buf, sizeof(buf));
	print_string(PRINT_ANY, "vrf", table ? "%-10s " : " vrf %s", buf);
	print_uint(PRINT_JSON, "ifindex", NULL, ifindex);

	get_str(tb[TCPAO_CONN_A_KEYCHAIN], name, sizeof(name));
	print_string(PRINT_ANY, "keychain", table ? "%-17s " : " keychain %s",
		     name[0] ? name : "-");

	if (get_u8(tb[TCPAO_CONN_A_STATE], &v))
		print_string(PRINT_ANY, "state", table ? "%-12s " : " state %s",
			     conn_state_name(v, buf, sizeof(buf)));
	else
		print_null(PRINT_ANY, "state", table ? "%-12s " : NULL, "-");

	if (!table)
		return;		/* events add their own fields */

	id_pair(buf, sizeof(buf), tb[TCPAO_CONN_A_SEND_KEYID], tb[TCPAO_CONN_A_SEND_RNEXT]);
	print_string(PRINT_FP, NULL, "%-12s ", buf);
	id_pair(buf, sizeof(buf), tb[TCPAO_CONN_A_RECV_KEYID], tb[TCPAO_CONN_A_RECV_RNEXT]);
	print_string(PRINT_FP, NULL, "%-12s ", buf);
	pr_opt_u8(tb[TCPAO_CONN_A_SEND_KEYID], "send_keyid", NULL, NULL);
	pr_opt_u8(tb[TCPAO_CONN_A_SEND_RNEXT], "send_rnext", NULL, NULL);
	pr_opt_u8(tb[TCPAO_CONN_A_RECV_KEYID], "recv_keyid", NULL, NULL);
	pr_opt_u8(tb[TCPAO_CONN_A_RECV_RNEXT], "recv_rnext", NULL, NULL);

	if (get_u32(tb[TCPAO_CONN_A_SND_SNE], &s1) &&
	    get_u32(tb[TCPAO_CONN_A_RCV_SNE], &s2))
		snprintf(buf, sizeof(buf), "%u/%u", s1, s2);
	else
		snprintf(buf, sizeof(buf), "-");
	print_string(PRINT_FP, NULL, "%-12s ", buf);
	pr_opt_u32(tb[TCPAO_CONN_A_SND_SNE], "snd_sne", NULL, NULL);
	pr_opt_u32(tb[TCPAO_CONN_A_RCV_SNE], "rcv_sne", NULL, NULL);

	c = 0;
	get_u64(tb[TCPAO_CONN_A_PKTS_GOOD], &c);
	print_u64(PRINT_ANY, "good", "%-10" PRIu64 " ", c);
	c = 0;
	get_u64(tb[TCPAO_CONN_A_PKTS_BAD], &c);
	print_u64(PRINT_ANY, "bad", "%-10" PRIu64 " ", c);
	c = 0;
	get_u64(tb[TCPAO_CONN_A_PKTS_SIGNED], &c);
	print_u64(PRINT_ANY, "signed", "%" PRIu64, c);

	/* Detail: ISNs and flags (JSON: always). */
	if (detail)
		print_fp("\n   ");
	pr_opt_u32(tb[TCPAO_CONN_A_LISN], "lisn", detail ? " lisn %u" : NULL,
		   detail ? " lisn %s" : NULL);
	pr_opt_u32(tb[TCPAO_CONN_A_RISN], "risn", detail ? " risn %u" : NULL,
		   detail ? " risn %s" : NULL);
	if (get_u64(tb[TCPAO_CONN_A_KEYS_DERIVED], &c))
		print_u64(PRINT_ANY, "keys_derived",
			  detail ? " keys-derived %" PRIu64 : NULL, c);
	get_u32(tb[TCPAO_CONN_A_FLAGS], &flags);
	if (detail)
		print_fp(" flags");
	pr_flags("flags", flags, conn_flag_name, detail ? " %s" : NULL);
	conn_diag(tb);
}

void print_conn(struct nlattr *conn, bool detail, bool table)
{
	open_json_object(NULL);
	conn_fields(conn, detail, table);
	close_json_object();
	if (table)
		print_nl();
}

/* ---- Counters and limits ---- */

static const struct {
	int attr;
	const char *name;	/* text */
	const char *key;	/* JSON */
} stats_names[] = {
	{ TCPAO_STATS_A_GOOD, "good", "good" },
	{ TCPAO_STATS_A_SIGNED, "signed", "signed" },
	{ TCPAO_STATS_A_BAD_MAC, "bad-mac", "bad_mac" },
	{ TCPAO_STATS_A_KEY_NOT_FOUND, "key-not-found", "key_not_found" },
	{ TCPAO_STATS_A_AO_REQUIRED, "ao-required", "ao_required" },
	{ TCPAO_STATS_A_MALFORMED, "malformed", "malformed" },
	{ TCPAO_STATS_A_ICMP_DROPPED, "icmp-dropped", "icmp_dropped" },
	{ TCPAO_STATS_A_WITHOUT_AO, "without-ao-accepted", "without_ao_accepted" },
	{ TCPAO_STATS_A_KEY_EXPIRED, "key-expired", "key_expired" },
	{ TCPAO_STATS_A_KEY_NOT_VALID, "key-not-yet-valid", "key_not_yet_valid" },
	{ TCPAO_STATS_A_NO_SEND_KEY, "no-send-key", "no_send_key" },
	{ TCPAO_STATS_A_NO_SPACE, "no-option-space", "no_option_space" },
	{ TCPAO_STATS_A_NO_STATE, "no-state", "no_state" },
	{ TCPAO_STATS_A_CONN_LIMIT, "conn-limit", "conn_limit" },
	{ TCPAO_STATS_A_MD5_CONFLICT, "md5-conflict", "md5_conflict" },
	{ TCPAO_STATS_A_TX_ERROR, "tx-error", "tx_error" },
	{ TCPAO_STATS_A_CONNS, "connections", "connections" },
	{ TCPAO_STATS_A_CONNS_CREATED, "connections-created", "connections_created" },
	{ TCPAO_STATS_A_BINDINGS, "bindings", "bindings" },
	{ TCPAO_STATS_A_RX_ERROR, "rx-error", "rx_error" },
	{ TCPAO_STATS_A_KEYS_DERIVED, "keys-derived", "keys_derived" },
	{ TCPAO_STATS_A_DIAG_OPTS_COVERED, "diag-options-covered", "diag_options_covered" },
	{ TCPAO_STATS_A_DIAG_OPTS_EXCLUDED, "diag-options-excluded", "diag_options_excluded" },
	{ TCPAO_STATS_A_DIAG_IDS_SWAPPED, "diag-ids-swapped", "diag_ids_swapped" },
	{ TCPAO_STATS_A_DIAG_OTHER_ALG, "diag-other-algorithm", "diag_other_algorithm" },
	{ TCPAO_STATS_A_DIAG_KEY_FUTURE, "diag-key-not-yet-valid", "diag_key_not_yet_valid" },
	{ TCPAO_STATS_A_DIAG_KEY_EXPIRED, "diag-key-expired", "diag_key_expired" },
	{ TCPAO_STATS_A_DIAG_UNKNOWN, "diag-unknown-key", "diag_unknown_key" },
	{ TCPAO_STATS_A_DIAG_RUNS, "diag-runs", "diag_runs" },
	{ TCPAO_STATS_A_DIAG_SKIPPED, "diag-skipped", "diag_skipped" },
};

/* The drop causes of stats_names[] (a peer policy's "Dropped"). */
static bool is_drop(int attr)
{
	switch (attr) {
	case TCPAO_STATS_A_GOOD:
	case TCPAO_STATS_A_SIGNED:
	case TCPAO_STATS_A_ICMP_DROPPED:
	case TCPAO_STATS_A_WITHOUT_AO:
	case TCPAO_STATS_A_CONNS:
	case TCPAO_STATS_A_CONNS_CREATED:
	case TCPAO_STATS_A_BINDINGS:
	case TCPAO_STATS_A_KEYS_DERIVED:
		return false;
	/* The diag-* counters explain drops counted elsewhere. */
	case TCPAO_STATS_A_DIAG_RUNS:
	case TCPAO_STATS_A_DIAG_SKIPPED:
	case TCPAO_STATS_A_DIAG_OPTS_COVERED:
	case TCPAO_STATS_A_DIAG_OPTS_EXCLUDED:
	case TCPAO_STATS_A_DIAG_IDS_SWAPPED:
	case TCPAO_STATS_A_DIAG_OTHER_ALG:
	case TCPAO_STATS_A_DIAG_KEY_FUTURE:
	case TCPAO_STATS_A_DIAG_KEY_EXPIRED:
	case TCPAO_STATS_A_DIAG_UNKNOWN:
		return false;
	default:
		return true;
	}
}

void print_peer_stats_header(void)
{
	print_fp("%-24s %-6s %-16s %-17s %-6s %-8s %-10s %-10s %s\n", "Prefix",
		 "Port", "VRF", "Keychain", "Conns", "Created", "Good", "Signed",
		 "Dropped");
}

/*
 * One policy's counters (stats peer): a row with its identity, its
 * connections, segments verified and signed, and the drops by cause that
 * are not zero.  JSON: every counter, named as in "stats".
 */
void print_peer_stats(struct nlattr *peer)
{
	struct nlattr *tb[TCPAO_PEER_A_MAX + 1];
	struct nlattr *st[TCPAO_STATS_A_MAX + 1];
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	char buf[INET6_ADDRSTRLEN + 8], drops[512] = "";
	struct aoctl_prefix p;
	unsigned int port, i;
	uint32_t ifindex = 0;
	size_t n = 0;
	uint64_t v;

	parse_nest(tb, TCPAO_PEER_A_MAX, peer);
	parse_nest(st, TCPAO_STATS_A_MAX, tb[TCPAO_PEER_A_STATS]);
	peer_prefix(tb, &p);
	open_json_object(NULL);
	format_prefix(&p, buf, sizeof(buf));
	print_string(PRINT_ANY, "prefix", "%-24s ", buf);
	print_string(PRINT_JSON, "family", NULL,
		     p.family == AF_INET6 ? "inet6" : "inet");
	if (get_u16(tb[TCPAO_PEER_A_PORT], &port))
		print_uint(PRINT_ANY, "port", "%-6u ", port);
	else
		print_null(PRINT_ANY, "port", "%-6s ", "any");
	get_u32(tb[TCPAO_PEER_A_IFINDEX], &ifindex);
	vrf_name(ifindex, buf, sizeof(buf));
	print_string(PRINT_ANY, "vrf", "%-16s ", buf);
	print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
	get_str(tb[TCPAO_PEER_A_KEYCHAIN], name, sizeof(name));
	print_string(PRINT_ANY, "keychain", "%-17s ", name[0] ? name : "-");

	v = 0;
	get_u64(st[TCPAO_STATS_A_CONNS], &v);
	print_u64(PRINT_FP, NULL, "%-6" PRIu64 " ", v);
	v = 0;
	get_u64(st[TCPAO_STATS_A_CONNS_CREATED], &v);
	print_u64(PRINT_FP, NULL, "%-8" PRIu64 " ", v);
	v = 0;
	get_u64(st[TCPAO_STATS_A_GOOD], &v);
	print_u64(PRINT_FP, NULL, "%-10" PRIu64 " ", v);
	v = 0;
	get_u64(st[TCPAO_STATS_A_SIGNED], &v);
	print_u64(PRINT_FP, NULL, "%-10" PRIu64 " ", v);
	for (i = 0; i < ARRAY_SIZE(stats_names); i++) {
		if (!get_u64(st[stats_names[i].attr], &v))
			continue;
		print_u64(PRINT_JSON, stats_names[i].key, NULL, v);
		if (!is_drop(stats_names[i].attr) || !v)
			continue;
		n += (size_t)snprintf(drops + n, n < sizeof(drops) ?
				      sizeof(drops) - n : 0, "%s%s %" PRIu64,
				      n ? " " : "", stats_names[i].name, v);
		if (n >= sizeof(drops))
			n = sizeof(drops) - 1;
	}
	print_string(PRINT_FP, NULL, "%s", n ? drops : "0");
	close_json_object();
	print_nl();
}

void print_stats(struct nlattr *stats)
{
	struct nlattr *tb[TCPAO_STATS_A_MAX + 1];
	unsigned int i;

	parse_nest(tb, TCPAO_STATS_A_MAX, stats);
	open_json_object(NULL);
	for (i = 0; i < ARRAY_SIZE(stats_names); i++) {
		char fmt[48];
		uint64_t v;

		if (!get_u64(tb[stats_names[i].attr], &v))
			continue;
		snprintf(fmt, sizeof(fmt), "%-20s %%" PRIu64 "\n",
			 stats_names[i].name);
		print_u64(PRINT_ANY, stats_names[i].key, fmt, v);
	}
	close_json_object();
}

void print_limits(struct nlattr *limits)
{
	static const struct {
		int attr;
		const char *name;
	} names[] = {
		{ TCPAO_LIMITS_A_KEYCHAINS, "keychains" },
		{ TCPAO_LIMITS_A_PEERS, "peers" },
		{ TCPAO_LIMITS_A_CONNS, "conns" },
		{ TCPAO_LIMITS_A_BINDINGS, "bindings" },
	};
	struct nlattr *tb[TCPAO_LIMITS_A_MAX + 1];
	unsigned int i;

	parse_nest(tb, TCPAO_LIMITS_A_MAX, limits);
	open_json_object(NULL);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char fmt[32];
		uint32_t v;

		if (!get_u32(tb[names[i].attr], &v))
			continue;
		snprintf(fmt, sizeof(fmt), "%-10s %%u\n", names[i].name);
		print_uint(PRINT_ANY, names[i].name, fmt, v);
	}
	close_json_object();
}

/* ---- Documents ---- */

void print_begin(struct print_ctx *pc)
{
	pc->rows = 0;
	switch (pc->op) {
	case OP_KEYCHAIN_SHOW:
	case OP_PEER_SHOW:
	case OP_STATS_PEER:
	case OP_CONN_SHOW:
		open_json_array(NULL);
		break;
	default:
		break;
	}
}

void print_end(struct print_ctx *pc)
{
	switch (pc->op) {
	case OP_KEYCHAIN_SHOW:
	case OP_PEER_SHOW:
	case OP_STATS_PEER:
	case OP_CONN_SHOW:
		close_json_array();
		break;
	default:
		break;
	}
}

void print_reply(struct print_ctx *pc, uint8_t gcmd, struct nlattr **tb)
{
	(void)gcmd;
	switch (pc->op) {
	case OP_KEYCHAIN_SHOW:
		if (!tb[TCPAO_A_KEYCHAIN])
			return;
		if (!pc->rows++)
			print_keychain_header();
		print_keychain(tb[TCPAO_A_KEYCHAIN], pc->detail);
		break;
	case OP_PEER_SHOW:
		if (!tb[TCPAO_A_PEER] || !peer_selected(pc->sel, tb[TCPAO_A_PEER]))
			return;
		if (!pc->rows++)
			print_peer_header();
		print_peer(tb[TCPAO_A_PEER], true);
		break;
	case OP_STATS_PEER:
		if (!tb[TCPAO_A_PEER] || !peer_selected(pc->sel, tb[TCPAO_A_PEER]))
			return;
		if (!pc->rows++)
			print_peer_stats_header();
		print_peer_stats(tb[TCPAO_A_PEER]);
		break;
	case OP_CONN_SHOW:
		if (!tb[TCPAO_A_CONN] || !conn_selected(pc->sel, tb[TCPAO_A_CONN]))
			return;
		if (!pc->rows++)
			print_conn_header();
		print_conn(tb[TCPAO_A_CONN], pc->detail, true);
		break;
	case OP_STATS:
		if (tb[TCPAO_A_STATS] && !pc->rows++)
			print_stats(tb[TCPAO_A_STATS]);
		break;
	case OP_LIMITS_SHOW:
		if (tb[TCPAO_A_LIMITS] && !pc->rows++)
			print_limits(tb[TCPAO_A_LIMITS]);
		break;
	default:
		break;
	}
}

/* ---- Events ---- */

static const char *const event_names[] = {
	[TCPAO_CMD_KEYCHAIN_NEW] = "keychain-new",
	[TCPAO_CMD_KEYCHAIN_SET] = "keychain-set",
	[TCPAO_CMD_KEYCHAIN_DEL] = "keychain-del",
	[TCPAO_CMD_KEY_NEW] = "key-new",
	[TCPAO_CMD_KEY_SET] = "key-set",
	[TCPAO_CMD_KEY_DEL] = "key-del",
	[TCPAO_CMD_PEER_NEW] = "peer-new",
	[TCPAO_CMD_PEER_DEL] = "peer-del",
	[TCPAO_CMD_EVENT_KEY_ACTIVE] = "key-active",
	[TCPAO_CMD_EVENT_RNEXT] = "rnext",
	[TCPAO_CMD_EVENT_AUTH_FAIL] = "auth-fail",
};

static void event_keychain_name(struct nlattr *kc)
{
	struct nlattr *tb[TCPAO_KC_A_MAX + 1];
	char name[TCPAO_KEYCHAIN_NAME_LEN];

	parse_nest(tb, TCPAO_KC_A_MAX, kc);
	get_str(tb[TCPAO_KC_A_NAME], name, sizeof(name));
	print_string(PRINT_ANY, "keychain", " %s", name);
}

void format_time_rfc3339(const struct timespec *ts, char *buf, size_t len)
{
	time_t t = ts->tv_sec;
	char date[32], zone[8];
	struct tm tm;

	if (!localtime_r(&t, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm) || strlen(zone) != 5) {
		snprintf(buf, len, "@%lld.%03ld", (long long)ts->tv_sec,
			 ts->tv_nsec / 1000000);
		return;
	}
	/* +0100 -> +01:00 */
	snprintf(buf, len, "%s.%03ld%.3s:%s", date, ts->tv_nsec / 1000000,
		 zone, zone + 3);
}

void print_event(uint8_t gcmd, struct nlattr **tb, const struct timespec *when)
{
	struct nlattr *ev[TCPAO_EV_A_MAX + 1];
	char unk[24], buf[160], name[TCPAO_KEYCHAIN_NAME_LEN];
	const char *ename;
	unsigned int v;
	uint32_t u;

	if (gcmd < ARRAY_SIZE(event_names) && event_names[gcmd]) {
		ename = event_names[gcmd];
	} else {
		snprintf(unk, sizeof(unk), "event-%u", gcmd);
		ename = unk;
	}
	open_json_object(NULL);
	if (when) {
		char ts[48];

		format_time_rfc3339(when, ts, sizeof(ts));
		print_string(PRINT_ANY, "time", "%s ", ts);
	}
	print_string(PRINT_ANY, "event", "%s", ename);

	switch (gcmd) {
	case TCPAO_CMD_KEYCHAIN_NEW:
	case TCPAO_CMD_KEYCHAIN_SET:
	case TCPAO_CMD_KEYCHAIN_DEL:
		if (tb[TCPAO_A_KEYCHAIN])
			keychain_fields(tb[TCPAO_A_KEYCHAIN], false, false);
		break;
	case TCPAO_CMD_KEY_NEW:
	case TCPAO_CMD_KEY_SET:
	case TCPAO_CMD_KEY_DEL:
		if (tb[TCPAO_A_KEYCHAIN])
			event_keychain_name(tb[TCPAO_A_KEYCHAIN]);
		if (tb[TCPAO_A_KEY])
			print_key_fields(tb[TCPAO_A_KEY]);
		break;
	case TCPAO_CMD_PEER_NEW:
	case TCPAO_CMD_PEER_DEL:
		if (tb[TCPAO_A_PEER])
			peer_fields(tb[TCPAO_A_PEER], false);
		break;
	case TCPAO_CMD_EVENT_KEY_ACTIVE:
	case TCPAO_CMD_EVENT_RNEXT:
	case TCPAO_CMD_EVENT_AUTH_FAIL:
		parse_nest(ev, TCPAO_EV_A_MAX, tb[TCPAO_A_EVENT]);
		if (ev[TCPAO_EV_A_CONN])
			conn_fields(ev[TCPAO_EV_A_CONN], false, false);
		/* A connection's fields include its keychain already. */
		if (!ev[TCPAO_EV_A_CONN] &&
		    get_str(ev[TCPAO_EV_A_KEYCHAIN], name, sizeof(name)))
			print_string(PRINT_ANY, "keychain", " keychain %s", name);
		if (get_u8(ev[TCPAO_EV_A_KEY_ID], &v))
			print_uint(PRINT_ANY, "id", " key %u", v);
		if (get_u8(ev[TCPAO_EV_A_WHAT], &v))
			print_string(PRINT_ANY, "what", " %s",
				     rnext_what_name(v, buf, sizeof(buf)));
		if (get_u8(ev[TCPAO_EV_A_OLD], &v))
			print_uint(PRINT_ANY, "old", " %u", v);
		else if (gcmd == TCPAO_CMD_EVENT_RNEXT)
			print_null(PRINT_ANY, "old", " %s", "-");
		if (get_u8(ev[TCPAO_EV_A_NEW], &v))
			print_uint(PRINT_ANY, "new", " -> %u", v);
		if (get_u8(ev[TCPAO_EV_A_CAUSE], &v))
			print_string(PRINT_ANY, "cause", " cause %s",
				     drop_cause_name(v, buf, sizeof(buf)));
		if (get_u8(ev[TCPAO_EV_A_KEYID], &v))
			print_uint(PRINT_ANY, "keyid", " keyid %u", v);
		if (get_u8(ev[TCPAO_EV_A_DIAG], &u)) {
			int64_t start;

			v = 0;
			get_u8(ev[TCPAO_EV_A_KEYID], &v);
			if (!get_s64(ev[TCPAO_EV_A_DIAG_START], &start))
				start = INT64_MIN;
			print_string(PRINT_ANY, "diagnosis", " diagnosis %s",
				     diag_name(u, buf, sizeof(buf)));
			if (start != INT64_MIN)
				print_s64(PRINT_JSON, "start_time", NULL, start);
			diag_reason(u, v, start, buf, sizeof(buf));
			print_string(PRINT_ANY, "reason", " (%s)", buf);
		}
		if (get_u32(ev[TCPAO_EV_A_COUNT], &u))
			print_uint(PRINT_ANY, "count", " count %u", u);
		break;
	default:
		break;
	}
	close_json_object();
	out_line_end();
}
