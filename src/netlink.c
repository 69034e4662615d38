// SPDX-License-Identifier: GPL-2.0
/*
 * The "tcpao" generic netlink family: keychains, keys, peer policies,
 * connections, counters, limits and events.  See include/uapi/linux/tcpao.h
 * for the attribute trees.
 *
 * Policies are strict and carry the ranges; everything else is checked in
 * keychain.c and peer.c, which explain each rejection through extack.
 * Secrets are write-only: they are wiped from the request as soon as they
 * are parsed, so that even an error that echoes the request cannot carry
 * them back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "tcpao.h"
#include "peer.h"
#include "conn.h"
#include "events.h"
#include "sne.h"
#include "netlink.h"

/* Ranges beyond s16 need a range object in this kernel's policies. */
static struct netlink_range_validation tcpao_tolerance_range = {
	.max = TCPAO_TOLERANCE_MAX,
};

static struct netlink_range_validation tcpao_limit_range = {
	.min = 1,
	.max = TCPAO_LIMIT_MAX,
};

static const struct nla_policy tcpao_key_policy[TCPAO_KEY_A_MAX + 1] = {
	[TCPAO_KEY_A_ID] = NLA_POLICY_MAX(NLA_U8, TCPAO_KEY_ID_MAX),
	[TCPAO_KEY_A_SECRET] = NLA_POLICY_RANGE(NLA_BINARY, TCPAO_SECRET_MIN,
						TCPAO_SECRET_MAX),
	[TCPAO_KEY_A_START_TIME] = { .type = NLA_S64 },
	[TCPAO_KEY_A_SEND_ID] = { .type = NLA_U8 },
	[TCPAO_KEY_A_RECV_ID] = { .type = NLA_U8 },
	[TCPAO_KEY_A_ALG] = NLA_POLICY_RANGE(NLA_U8, 1, TCPAO_ALG_MAX),
	[TCPAO_KEY_A_TCP_OPTIONS] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy tcpao_kc_policy[TCPAO_KC_A_MAX + 1] = {
	[TCPAO_KC_A_NAME] = { .type = NLA_NUL_STRING,
			      .len = TCPAO_KEYCHAIN_NAME_LEN - 1 },
	[TCPAO_KC_A_TOLERANCE] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &tcpao_tolerance_range),
	/* KEYCHAIN_SYNC: the keys, each a TCPAO_A_KEY nest. */
	[TCPAO_KC_A_KEYS] = NLA_POLICY_NESTED_ARRAY(tcpao_key_policy),
};

static const struct nla_policy tcpao_peer_policy[TCPAO_PEER_A_MAX + 1] = {
	[TCPAO_PEER_A_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[TCPAO_PEER_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[TCPAO_PEER_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[TCPAO_PEER_A_IFINDEX] = { .type = NLA_U32 },
	[TCPAO_PEER_A_KEYCHAIN] = { .type = NLA_NUL_STRING,
				    .len = TCPAO_KEYCHAIN_NAME_LEN - 1 },
	[TCPAO_PEER_A_FLAGS] = NLA_POLICY_MASK(NLA_U32,
					       TCPAO_F_ALLOW_WITHOUT_AO |
					       TCPAO_F_ACCEPT_ICMPS),
};

static const struct nla_policy tcpao_limits_policy[TCPAO_LIMITS_A_MAX + 1] = {
	[TCPAO_LIMITS_A_KEYCHAINS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &tcpao_limit_range),
	[TCPAO_LIMITS_A_PEERS] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &tcpao_limit_range),
	[TCPAO_LIMITS_A_CONNS] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &tcpao_limit_range),
	[TCPAO_LIMITS_A_BINDINGS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &tcpao_limit_range),
};

static const struct nla_policy tcpao_policy[TCPAO_A_MAX + 1] = {
	[TCPAO_A_KEYCHAIN] = NLA_POLICY_NESTED(tcpao_kc_policy),
	[TCPAO_A_KEY] = NLA_POLICY_NESTED(tcpao_key_policy),
	[TCPAO_A_PEER] = NLA_POLICY_NESTED(tcpao_peer_policy),
	[TCPAO_A_LIMITS] = NLA_POLICY_NESTED(tcpao_limits_policy),
	[TCPAO_A_DETAIL] = { .type = NLA_FLAG },
};

static struct genl_family tcpao_genl_family;

enum {
	TCPAO_MCGRP_EVENTS_IDX,
};

/*
 * Events name connections, keychains and key IDs: like every read, they
 * are for CAP_NET_ADMIN in the namespace's user namespace (see
 * compat.h for kernels that cannot enforce it).
 */
static const struct genl_multicast_group tcpao_mcgrps[] = {
	[TCPAO_MCGRP_EVENTS_IDX] = {
		.name = TCPAO_MCGRP_EVENTS,
		.flags = TCPAO_MCAST_CAP_NET_ADMIN,
	},
};

/*
 * What a command's doit needs first, by its internal_flags: pre_doit
 * finds the namespace (info->user_ptr[0]), checks the keychain a
 * TCPAO_NL_KEYCHAIN command names (its name in info->user_ptr[1]) and
 * takes tn->lock for a TCPAO_NL_LOCK command; post_doit releases it.
 */
#define TCPAO_NL_LOCK		BIT(0)
#define TCPAO_NL_KEYCHAIN	BIT(1)

static struct tcpao_net *tcpao_info_tn(struct genl_info *info)
{
	return info->user_ptr[0];
}

static const char *tcpao_info_kc_name(struct genl_info *info)
{
	return info->user_ptr[1];
}

/* An attribute of the request's keychain nest (validated by pre_doit). */
static struct nlattr *tcpao_info_kc_attr(struct genl_info *info, int type)
{
	return nla_find_nested(info->attrs[TCPAO_A_KEYCHAIN], type);
}

/* ---- request parsing ---- */

/*
 * A required attribute: its absence is reported the netlink way
 * (NLMSGERR_ATTR_MISS_TYPE/_NEST, for any client) and in words.
 */
static bool tcpao_nl_missing(struct netlink_ext_ack *extack,
			     const struct nlattr *nest, struct nlattr **tb,
			     int type, const char *what)
{
	if (!NL_REQ_ATTR_CHECK(extack, nest, tb, type))
		return false;
	TCPAO_ERR(extack, "missing %s", what);
	return true;
}

static int tcpao_nl_nested(struct genl_info *info, int attr,
			   struct nlattr **tb, int max,
			   const struct nla_policy *pol, const char *what)
{
	if (tcpao_nl_missing(info->extack, NULL, info->attrs, attr, what))
		return -EINVAL;
	return nla_parse_nested(tb, max, info->attrs[attr], pol,
				info->extack);
}

/* The name of the request's keychain, checked; it stays in the request. */
static int tcpao_nl_kc_name(struct genl_info *info, const char **name)
{
	struct nlattr *tb[TCPAO_KC_A_MAX + 1];
	int err;

	err = tcpao_nl_nested(info, TCPAO_A_KEYCHAIN, tb, TCPAO_KC_A_MAX,
			      tcpao_kc_policy, "keychain");
	if (err)
		return err;
	if (tcpao_nl_missing(info->extack, info->attrs[TCPAO_A_KEYCHAIN], tb,
			     TCPAO_KC_A_NAME, "keychain name"))
		return -EINVAL;
	/* NLA_NUL_STRING: terminated within TCPAO_KEYCHAIN_NAME_LEN. */
	*name = nla_data(tb[TCPAO_KC_A_NAME]);
	return tcpao_name_check(*name, info->extack);
}

/* Wipe every secret of a key nest in the request. */
static void tcpao_nl_wipe_key(const struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == TCPAO_KEY_A_SECRET)
			memzero_explicit(nla_data(a), nla_len(a));
}

/*
 * Wipe every secret in the request: for a request refused before the doit
 * that would have copied and wiped them runs (an error ack echoes the
 * request).
 */
static void tcpao_nl_wipe_secrets(struct genl_info *info)
{
	const struct nlattr *kc = info->attrs[TCPAO_A_KEYCHAIN];
	struct nlattr *keys, *k;
	int rem;

	if (info->attrs[TCPAO_A_KEY])
		tcpao_nl_wipe_key(info->attrs[TCPAO_A_KEY]);
	keys = kc ? nla_find_nested(kc, TCPAO_KC_A_KEYS) : NULL;
	if (keys)
		nla_for_each_nested(k, keys, rem)
			tcpao_nl_wipe_key(k);
}

/*
 * Parse a key nest (the request's, or an element of a sync's key array,
 * which the policy does not require to be flagged NLA_F_NESTED).  Every
 * secret in the nest is wiped in the request once copied, whether the nest
 * parsed or not, however many there are.
 */
static int tcpao_nl_key_parse(const struct nlattr *nest,
			      struct tcpao_key_cfg *cfg,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCPAO_KEY_A_MAX + 1];
	int err;

	memset(cfg, 0, sizeof(*cfg));
	err = nla_parse(tb, TCPAO_KEY_A_MAX, nla_data(nest), nla_len(nest),
			tcpao_key_policy, extack);
	if (!err && tb[TCPAO_KEY_A_SECRET]) {
		cfg->has_secret = true;
		cfg->secret_len = nla_len(tb[TCPAO_KEY_A_SECRET]);
		memcpy(cfg->secret, nla_data(tb[TCPAO_KEY_A_SECRET]),
		       cfg->secret_len);
	}
	tcpao_nl_wipe_key(nest);
	if (err)
		return err;
	if (tcpao_nl_missing(extack, nest, tb, TCPAO_KEY_A_ID, "key id"))
		return -EINVAL;
	cfg->id = nla_get_u8(tb[TCPAO_KEY_A_ID]);
	if (tb[TCPAO_KEY_A_START_TIME]) {
		cfg->has_start = true;
		cfg->start = nla_get_s64(tb[TCPAO_KEY_A_START_TIME]);
	}
	if (tb[TCPAO_KEY_A_SEND_ID]) {
		cfg->has_send = true;
		cfg->send_id = nla_get_u8(tb[TCPAO_KEY_A_SEND_ID]);
	}
	if (tb[TCPAO_KEY_A_RECV_ID]) {
		cfg->has_recv = true;
		cfg->recv_id = nla_get_u8(tb[TCPAO_KEY_A_RECV_ID]);
	}
	if (tb[TCPAO_KEY_A_ALG]) {
		cfg->has_alg = true;
		cfg->alg = nla_get_u8(tb[TCPAO_KEY_A_ALG]);
	}
	if (tb[TCPAO_KEY_A_TCP_OPTIONS]) {
		cfg->has_opts = true;
		cfg->tcp_options = nla_get_u8(tb[TCPAO_KEY_A_TCP_OPTIONS]);
	}
	return 0;
}

static int tcpao_nl_key_cfg(struct genl_info *info, struct tcpao_key_cfg *cfg)
{
	if (tcpao_nl_missing(info->extack, NULL, info->attrs, TCPAO_A_KEY,
			     "key")) {
		memset(cfg, 0, sizeof(*cfg));
		return -EINVAL;
	}
	return tcpao_nl_key_parse(info->attrs[TCPAO_A_KEY], cfg, info->extack);
}

static int tcpao_nl_peer_cfg(struct genl_info *info, struct tcpao_peer_cfg *cfg,
			     bool need_keychain)
{
	struct nlattr *tb[TCPAO_PEER_A_MAX + 1];
	int err, len;

	memset(cfg, 0, sizeof(*cfg));
	err = tcpao_nl_nested(info, TCPAO_A_PEER, tb, TCPAO_PEER_A_MAX,
			      tcpao_peer_policy, "peer");
	if (err)
		return err;
	if (tcpao_nl_missing(info->extack, info->attrs[TCPAO_A_PEER], tb,
			     TCPAO_PEER_A_ADDR, "peer address"))
		return -EINVAL;
	len = nla_len(tb[TCPAO_PEER_A_ADDR]);
	if (len != 4 && len != 16) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TCPAO_PEER_A_ADDR],
				    "peer address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	cfg->family = len == 4 ? AF_INET : AF_INET6;
	memcpy(&cfg->addr, nla_data(tb[TCPAO_PEER_A_ADDR]), len);
	cfg->plen = tb[TCPAO_PEER_A_PREFIXLEN] ?
		    nla_get_u8(tb[TCPAO_PEER_A_PREFIXLEN]) : len * 8;
	if (tb[TCPAO_PEER_A_PORT])
		cfg->port = nla_get_u16(tb[TCPAO_PEER_A_PORT]);
	if (tb[TCPAO_PEER_A_IFINDEX])
		cfg->ifindex = nla_get_u32(tb[TCPAO_PEER_A_IFINDEX]);
	if (tb[TCPAO_PEER_A_FLAGS])
		cfg->flags = nla_get_u32(tb[TCPAO_PEER_A_FLAGS]);
	if (tb[TCPAO_PEER_A_KEYCHAIN]) {
		nla_strscpy(cfg->keychain, tb[TCPAO_PEER_A_KEYCHAIN],
			    sizeof(cfg->keychain));
		err = tcpao_name_check(cfg->keychain, info->extack);
		if (err)
			return err;
	} else if (need_keychain) {
		tcpao_nl_missing(info->extack, info->attrs[TCPAO_A_PEER], tb,
				 TCPAO_PEER_A_KEYCHAIN, "keychain for the peer");
		return -EINVAL;
	}
	return 0;
}

/* ---- replies ---- */

static int tcpao_nl_put_key(struct sk_buff *skb, struct tcpao_keychain *kc,
			    struct tcpao_mkt *const *mkt, int n, int i,
			    time64_t now)
{
	const struct tcpao_mkt *m = mkt[i];
	struct nlattr *nest = nla_nest_start(skb, TCPAO_A_KEY);

	if (!nest ||
	    nla_put_u8(skb, TCPAO_KEY_A_ID, m->id) ||
	    nla_put_s64(skb, TCPAO_KEY_A_START_TIME, m->start,
			TCPAO_KEY_A_PAD) ||
	    nla_put_u8(skb, TCPAO_KEY_A_SEND_ID, m->send_id) ||
	    nla_put_u8(skb, TCPAO_KEY_A_RECV_ID, m->recv_id) ||
	    nla_put_u8(skb, TCPAO_KEY_A_ALG, m->alg->id) ||
	    nla_put_u8(skb, TCPAO_KEY_A_TCP_OPTIONS, !m->exclude_opts) ||
	    nla_put_u8(skb, TCPAO_KEY_A_STATE,
		       tcpao_key_state(mkt, n, i, now,
				       READ_ONCE(kc->tolerance))) ||
	    nla_put_u32(skb, TCPAO_KEY_A_CONNS,
			atomic_read(&kc->key_users[m->id])) ||
	    nla_put_u8(skb, TCPAO_KEY_A_SECRET_LEN, m->secret_len))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The Junos "show security keychain" columns, and keys with @detail. */
static int tcpao_nl_fill_kc(struct sk_buff *skb, struct tcpao_keychain *kc,
			    bool detail)
{
	time64_t now = ktime_get_real_seconds();
	struct tcpao_keyset *ks;
	struct nlattr *nest, *keys;
	int a, nx, i, err = -EMSGSIZE;

	nest = nla_nest_start(skb, TCPAO_A_KEYCHAIN);
	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	ks = rcu_dereference(kc->keys);
	a = ks ? tcpao_active_idx(ks->mkt, ks->n, now) : -1;
	nx = ks ? tcpao_next_idx(ks->mkt, ks->n, now) : -1;
	if (nla_put_string(skb, TCPAO_KC_A_NAME, kc->name) ||
	    nla_put_u32(skb, TCPAO_KC_A_TOLERANCE, READ_ONCE(kc->tolerance)) ||
	    nla_put_u32(skb, TCPAO_KC_A_PEERS, kc->n_peers) ||
	    nla_put_u32(skb, TCPAO_KC_A_BINDINGS, kc->n_bindings) ||
	    nla_put_u32(skb, TCPAO_KC_A_CONNS, atomic_read(&kc->n_conns)) ||
	    nla_put_u32(skb, TCPAO_KC_A_GENERATION, READ_ONCE(kc->gen)))
		goto out;
	if (a >= 0 &&
	    (nla_put_u8(skb, TCPAO_KC_A_ACTIVE_SEND, ks->mkt[a]->id) ||
	     nla_put_u8(skb, TCPAO_KC_A_ACTIVE_RECV, ks->mkt[a]->id)))
		goto out;
	if (nx >= 0 &&
	    (nla_put_u8(skb, TCPAO_KC_A_NEXT_SEND, ks->mkt[nx]->id) ||
	     nla_put_u8(skb, TCPAO_KC_A_NEXT_RECV, ks->mkt[nx]->id) ||
	     nla_put_s64(skb, TCPAO_KC_A_TRANSITION, ks->mkt[nx]->start - now,
			 TCPAO_KC_A_PAD)))
		goto out;
	/* Detail always carries the nest: a keychain without keys has an
	 * empty one, whether or not it ever had keys.
	 */
	if (detail) {
		keys = nla_nest_start(skb, TCPAO_KC_A_KEYS);
		if (!keys)
			goto out;
		for (i = 0; ks && i < ks->n; i++)
			if (tcpao_nl_put_key(skb, kc, ks->mkt, ks->n, i, now))
				goto out;
		nla_nest_end(skb, keys);
	}
	err = 0;
out:
	rcu_read_unlock();
	if (err)
		nla_nest_cancel(skb, nest);
	else
		nla_nest_end(skb, nest);
	return err;
}

static int tcpao_nl_put_addr(struct sk_buff *skb, int attr, u8 family,
			     const union tcpao_addr *a)
{
	return nla_put(skb, attr, family == AF_INET ? 4 : 16, a);
}

/* A policy's counters: the counter of each drop cause. */
static const u8 tcpao_drop_stat[__TCPAO_DROP_MAX] = {
	[TCPAO_DROP_BAD_MAC] = TCPAO_STATS_A_BAD_MAC,
	[TCPAO_DROP_KEY_NOT_FOUND] = TCPAO_STATS_A_KEY_NOT_FOUND,
	[TCPAO_DROP_AO_REQUIRED] = TCPAO_STATS_A_AO_REQUIRED,
	[TCPAO_DROP_MALFORMED] = TCPAO_STATS_A_MALFORMED,
	[TCPAO_DROP_KEY_EXPIRED] = TCPAO_STATS_A_KEY_EXPIRED,
	[TCPAO_DROP_KEY_NOT_VALID] = TCPAO_STATS_A_KEY_NOT_VALID,
	[TCPAO_DROP_NO_STATE] = TCPAO_STATS_A_NO_STATE,
	[TCPAO_DROP_MD5_CONFLICT] = TCPAO_STATS_A_MD5_CONFLICT,
	[TCPAO_DROP_NO_SEND_KEY] = TCPAO_STATS_A_NO_SEND_KEY,
};

static int tcpao_nl_fill_peer_stats(struct sk_buff *skb,
				    const struct tcpao_peer *p)
{
	struct nlattr *nest = nla_nest_start(skb, TCPAO_PEER_A_STATS);
	int i;

	if (!nest ||
	    nla_put_u64_64bit(skb, TCPAO_STATS_A_GOOD,
			      atomic64_read(&p->pkts_good), TCPAO_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPAO_STATS_A_SIGNED,
			      atomic64_read(&p->pkts_signed), TCPAO_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPAO_STATS_A_CONNS,
			      atomic_read(&p->n_conns), TCPAO_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPAO_STATS_A_CONNS_CREATED,
			      atomic64_read(&p->conns_created),
			      TCPAO_STATS_A_PAD))
		return -EMSGSIZE;
	for (i = 0; i < __TCPAO_DROP_MAX; i++)
		if (tcpao_drop_stat[i] &&
		    nla_put_u64_64bit(skb, tcpao_drop_stat[i],
				      atomic64_read(&p->drops[i]),
				      TCPAO_STATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int tcpao_nl_fill_peer(struct sk_buff *skb, const struct tcpao_peer *p)
{
	struct nlattr *nest = nla_nest_start(skb, TCPAO_A_PEER);

	if (!nest ||
	    nla_put_u16(skb, TCPAO_PEER_A_FAMILY, p->key.family) ||
	    tcpao_nl_put_addr(skb, TCPAO_PEER_A_ADDR, p->key.family,
			      &p->key.addr) ||
	    nla_put_u8(skb, TCPAO_PEER_A_PREFIXLEN, p->key.plen) ||
	    (p->key.port &&
	     nla_put_u16(skb, TCPAO_PEER_A_PORT, p->key.port)) ||
	    (p->key.ifindex &&
	     nla_put_u32(skb, TCPAO_PEER_A_IFINDEX, p->key.ifindex)) ||
	    nla_put_string(skb, TCPAO_PEER_A_KEYCHAIN, p->kc->name) ||
	    nla_put_u32(skb, TCPAO_PEER_A_FLAGS, p->flags) ||
	    nla_put_u32(skb, TCPAO_PEER_A_CONNS, atomic_read(&p->n_conns)) ||
	    tcpao_nl_fill_peer_stats(skb, p)) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int tcpao_nl_put_tuple(struct sk_buff *skb,
			      const struct tcpao_conn_key *k,
			      const char *keychain)
{
	return nla_put_u16(skb, TCPAO_CONN_A_FAMILY, k->family) ||
	       tcpao_nl_put_addr(skb, TCPAO_CONN_A_LADDR, k->family,
				 &k->laddr) ||
	       tcpao_nl_put_addr(skb, TCPAO_CONN_A_RADDR, k->family,
				 &k->raddr) ||
	       nla_put_u16(skb, TCPAO_CONN_A_LPORT, ntohs(k->lport)) ||
	       nla_put_u16(skb, TCPAO_CONN_A_RPORT, ntohs(k->rport)) ||
	       nla_put_u32(skb, TCPAO_CONN_A_IFINDEX, k->l3index) ||
	       nla_put_string(skb, TCPAO_CONN_A_KEYCHAIN, keychain);
}

static int tcpao_nl_put_id(struct sk_buff *skb, int attr, s16 v)
{
	return v >= 0 ? nla_put_u8(skb, attr, v) : 0;
}

/*
 * The last diagnosed failure of a connection, if any and if nothing
 * verified since: a session that came up after the fix, or that one
 * forged segment failed on, is not failing, and shows no reason.  (Read
 * here rather than cleared per good segment: the success path pays
 * nothing.)
 */
static int tcpao_nl_put_diag(struct sk_buff *skb, const struct tcpao_conn *c)
{
	u8 diag = READ_ONCE(c->diag);

	if (!diag ||
	    atomic64_read(&c->pkts_good) != READ_ONCE(c->diag_good))
		return 0;
	if (nla_put_u8(skb, TCPAO_CONN_A_DIAG, diag) ||
	    nla_put_u8(skb, TCPAO_CONN_A_DIAG_KEYID, READ_ONCE(c->diag_keyid)))
		return -EMSGSIZE;
	if (diag != TCPAO_DIAG_KEY_FUTURE && diag != TCPAO_DIAG_KEY_EXPIRED)
		return 0;
	return nla_put_s64(skb, TCPAO_CONN_A_DIAG_START,
			   READ_ONCE(c->diag_start), TCPAO_CONN_A_PAD);
}

static int tcpao_nl_fill_conn(struct sk_buff *skb, struct tcpao_conn *c)
{
	struct nlattr *nest = nla_nest_start(skb, TCPAO_A_CONN);
	u64 snd = atomic64_read(&c->snd_ref), rcv = atomic64_read(&c->rcv_ref);

	if (!nest ||
	    tcpao_nl_put_tuple(skb, &c->key, c->kc->name) ||
	    nla_put_u8(skb, TCPAO_CONN_A_STATE, READ_ONCE(c->state)) ||
	    nla_put_u32(skb, TCPAO_CONN_A_FLAGS, tcpao_conn_flags(c)) ||
	    tcpao_nl_put_id(skb, TCPAO_CONN_A_SEND_KEYID,
			    READ_ONCE(c->send_keyid)) ||
	    tcpao_nl_put_id(skb, TCPAO_CONN_A_SEND_RNEXT,
			    READ_ONCE(c->send_rnext)) ||
	    tcpao_nl_put_id(skb, TCPAO_CONN_A_RECV_KEYID,
			    READ_ONCE(c->recv_keyid)) ||
	    tcpao_nl_put_id(skb, TCPAO_CONN_A_RECV_RNEXT,
			    READ_ONCE(c->peer_rnext)) ||
	    nla_put_u32(skb, TCPAO_CONN_A_SND_SNE, snd >> 32) ||
	    nla_put_u32(skb, TCPAO_CONN_A_RCV_SNE, rcv >> 32) ||
	    nla_put_u32(skb, TCPAO_CONN_A_LISN, ntohl(c->lisn)) ||
	    nla_put_u32(skb, TCPAO_CONN_A_RISN, ntohl(c->risn)) ||
	    nla_put_u64_64bit(skb, TCPAO_CONN_A_PKTS_GOOD,
			      atomic64_read(&c->pkts_good), TCPAO_CONN_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPAO_CONN_A_PKTS_BAD,
			      atomic64_read(&c->pkts_bad), TCPAO_CONN_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPAO_CONN_A_PKTS_SIGNED,
			      atomic64_read(&c->pkts_signed),
			      TCPAO_CONN_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPAO_CONN_A_KEYS_DERIVED,
			      atomic64_read(&c->keys_derived),
			      TCPAO_CONN_A_PAD) ||
	    tcpao_nl_put_diag(skb, c)) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static bool tcpao_nl_has_listeners(struct net *net)
{
	return genl_has_listeners(&tcpao_genl_family, net,
				  TCPAO_MCGRP_EVENTS_IDX);
}

/* Tell the group about a configuration change. */
static void tcpao_nl_notify(struct tcpao_net *tn, u8 cmd,
			    int (*fill)(struct sk_buff *skb, const void *arg),
			    const void *arg)
{
	struct sk_buff *skb;
	void *hdr;

	if (!tcpao_nl_has_listeners(tn->net))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &tcpao_genl_family, 0, cmd);
	if (!hdr || fill(skb, arg)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&tcpao_genl_family, tn->net, skb, 0,
				TCPAO_MCGRP_EVENTS_IDX, GFP_KERNEL);
}

static int tcpao_nl_fill_name(struct sk_buff *skb, const void *arg)
{
	struct nlattr *nest = nla_nest_start(skb, TCPAO_A_KEYCHAIN);

	if (!nest || nla_put_string(skb, TCPAO_KC_A_NAME, arg))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A keychain as it is now (called under tn->lock). */
struct tcpao_nl_kcref {
	struct tcpao_net *tn;
	const char *name;
	int id;			/* key of a key event, -1 for the keychain */
};

static int tcpao_nl_fill_kcref(struct sk_buff *skb, const void *arg)
{
	const struct tcpao_nl_kcref *r = arg;
	struct tcpao_keychain *kc = tcpao_keychain_find(r->tn, r->name);
	struct tcpao_keyset *ks;
	struct nlattr *nest;
	int i, err = 0;

	if (!kc || r->id < 0)
		return kc ? tcpao_nl_fill_kc(skb, kc, false) :
			    tcpao_nl_fill_name(skb, r->name);
	if (tcpao_nl_fill_name(skb, r->name))
		return -EMSGSIZE;
	rcu_read_lock();
	ks = rcu_dereference(kc->keys);
	for (i = 0; ks && i < ks->n; i++)
		if (ks->mkt[i]->id == r->id)
			break;
	if (ks && i < ks->n) {
		err = tcpao_nl_put_key(skb, kc, ks->mkt, ks->n, i,
				       ktime_get_real_seconds());
	} else {
		/* Deleted: the key ID is all there is to tell. */
		nest = nla_nest_start(skb, TCPAO_A_KEY);
		if (!nest || nla_put_u8(skb, TCPAO_KEY_A_ID, r->id))
			err = -EMSGSIZE;
		else
			nla_nest_end(skb, nest);
	}
	rcu_read_unlock();
	return err;
}

static void tcpao_nl_notify_kc(struct tcpao_net *tn, u8 cmd, const char *name,
			       int id)
{
	struct tcpao_nl_kcref r = { .tn = tn, .name = name, .id = id };

	lockdep_assert_held(&tn->lock);
	tcpao_nl_notify(tn, cmd, tcpao_nl_fill_kcref, &r);
}

static int tcpao_nl_fill_peercfg(struct sk_buff *skb, const void *arg)
{
	const struct tcpao_peer_cfg *cfg = arg;
	struct nlattr *nest = nla_nest_start(skb, TCPAO_A_PEER);

	if (!nest ||
	    nla_put_u16(skb, TCPAO_PEER_A_FAMILY, cfg->family) ||
	    tcpao_nl_put_addr(skb, TCPAO_PEER_A_ADDR, cfg->family,
			      &cfg->addr) ||
	    nla_put_u8(skb, TCPAO_PEER_A_PREFIXLEN, cfg->plen) ||
	    (cfg->port && nla_put_u16(skb, TCPAO_PEER_A_PORT, cfg->port)) ||
	    (cfg->ifindex &&
	     nla_put_u32(skb, TCPAO_PEER_A_IFINDEX, cfg->ifindex)) ||
	    (cfg->keychain[0] &&
	     nla_put_string(skb, TCPAO_PEER_A_KEYCHAIN, cfg->keychain)) ||
	    nla_put_u32(skb, TCPAO_PEER_A_FLAGS, cfg->flags))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* ---- keychains and keys ---- */

static int tcpao_nl_keychain_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = tcpao_info_kc_attr(info, TCPAO_KC_A_TOLERANCE);
	struct tcpao_net *tn = tcpao_info_tn(info);
	const char *name = tcpao_info_kc_name(info);
	u32 tol;
	int err;

	if (a)
		tol = nla_get_u32(a);
	err = tcpao_keychain_new(tn, name, a ? &tol : NULL, info->extack);
	if (!err)
		tcpao_nl_notify_kc(tn, TCPAO_CMD_KEYCHAIN_NEW, name, -1);
	return err;
}

static int tcpao_nl_keychain_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = tcpao_info_kc_attr(info, TCPAO_KC_A_TOLERANCE);
	struct tcpao_net *tn = tcpao_info_tn(info);
	const char *name = tcpao_info_kc_name(info);
	int err;

	if (!a) {
		NL_SET_ERR_MSG_MOD(info->extack, "nothing to change");
		return -EINVAL;
	}
	err = tcpao_keychain_set(tn, name, nla_get_u32(a), info->extack);
	if (!err)
		tcpao_nl_notify_kc(tn, TCPAO_CMD_KEYCHAIN_SET, name, -1);
	return err;
}

static int tcpao_nl_keychain_del(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpao_net *tn = tcpao_info_tn(info);
	const char *name = tcpao_info_kc_name(info);
	int err;

	err = tcpao_keychain_del(tn, name, info->extack);
	if (!err)
		tcpao_nl_notify(tn, TCPAO_CMD_KEYCHAIN_DEL, tcpao_nl_fill_name,
				name);
	return err;
}

static int tcpao_nl_keychain_get(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpao_net *tn = tcpao_info_tn(info);
	const char *name = tcpao_info_kc_name(info);
	struct tcpao_keychain *kc;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tcpao_genl_family, 0,
				TCPAO_CMD_KEYCHAIN_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	kc = tcpao_keychain_find(tn, name);
	if (!kc) {
		TCPAO_ERR(info->extack, "no keychain named %s", name);
		err = -ENOENT;
	} else {
		err = tcpao_nl_fill_kc(msg, kc,
				       nla_get_flag(info->attrs[TCPAO_A_DETAIL]));
	}
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/*
 * Keychains and peers: a walk of their list by position under tn->lock,
 * one message per object, flagging NLM_F_DUMP_INTR when the configuration
 * changed between two parts of the dump (cb->seq is the configuration
 * generation).  Both lists are bounded by the namespace's limits.
 */
static int tcpao_nl_dump_list(struct sk_buff *skb, struct netlink_callback *cb,
			      size_t head_off, u8 cmd,
			      int (*fill)(struct sk_buff *skb,
					  struct list_head *pos, bool detail))
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(skb->sk));
	bool detail = nla_get_flag(tcpao_dump_attrs(cb)[TCPAO_A_DETAIL]);
	struct list_head *head = (void *)tn + head_off, *pos;
	long idx = 0, start = cb->args[0];
	void *hdr;

	mutex_lock(&tn->lock);
	cb->seq = tn->gen;
	list_for_each(pos, head) {
		if (idx++ < start)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &tcpao_genl_family,
				  NLM_F_MULTI, cmd);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (fill(skb, pos, detail)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = idx;
	}
	mutex_unlock(&tn->lock);
	return skb->len;
}

static int tcpao_nl_dump_kc(struct sk_buff *skb, struct list_head *pos,
			    bool detail)
{
	return tcpao_nl_fill_kc(skb, list_entry(pos, struct tcpao_keychain,
						list), detail);
}

static int tcpao_nl_keychain_dump(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	return tcpao_nl_dump_list(skb, cb, offsetof(struct tcpao_net, keychains),
				  TCPAO_CMD_KEYCHAIN_GET, tcpao_nl_dump_kc);
}

/*
 * KEY_NEW, KEY_SET and KEY_DEL take the same attributes and differ only in
 * what they do under the lock; the parsed key (secret included) is wiped
 * on every path.
 */
static int tcpao_nl_key_op(struct genl_info *info, u8 cmd)
{
	struct tcpao_net *tn = tcpao_info_tn(info);
	const char *name = tcpao_info_kc_name(info);
	struct tcpao_key_cfg cfg;
	int err;

	err = tcpao_nl_key_cfg(info, &cfg);
	if (err)
		goto out_wipe;

	switch (cmd) {
	case TCPAO_CMD_KEY_NEW:
		err = tcpao_key_new(tn, name, &cfg, info->extack);
		break;
	case TCPAO_CMD_KEY_SET:
		err = tcpao_key_set(tn, name, &cfg, info->extack);
		break;
	default:
		err = tcpao_key_del(tn, name, cfg.id, info->extack);
		break;
	}
	if (!err)
		tcpao_nl_notify_kc(tn, cmd, name, cfg.id);
out_wipe:
	memzero_explicit(&cfg, sizeof(cfg));
	return err;
}

/* The keys of a KEYCHAIN_SYNC into @cfg (TCPAO_KEYS_MAX entries). */
static int tcpao_nl_sync_keys(const struct nlattr *keys,
			      struct tcpao_key_cfg *cfg, int *n,
			      struct netlink_ext_ack *extack)
{
	struct tcpao_key_cfg extra;
	struct nlattr *a;
	int rem, err = 0, e;

	*n = 0;
	if (!keys)
		return 0;
	nla_for_each_nested(a, keys, rem) {
		if (*n < TCPAO_KEYS_MAX) {
			e = tcpao_nl_key_parse(a, &cfg[(*n)++], extack);
		} else {
			/* Parsed all the same: its secret is wiped. */
			tcpao_nl_key_parse(a, &extra, NULL);
			memzero_explicit(&extra, sizeof(extra));
			e = -EINVAL;
			if (!err)
				NL_SET_ERR_MSG_MOD(extack,
						   "more keys than a keychain holds");
		}
		if (!err)
			err = e;
	}
	return err;
}

/*
 * KEYCHAIN_SYNC: the keychain's whole key set.  Every secret in the request
 * is wiped, whatever happens; the parsed keys are wiped and freed.
 */
static int tcpao_nl_keychain_sync(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = tcpao_info_kc_attr(info, TCPAO_KC_A_TOLERANCE);
	struct tcpao_net *tn = tcpao_info_tn(info);
	const char *name = tcpao_info_kc_name(info);
	struct tcpao_sync_result res;
	struct tcpao_key_cfg *cfg;
	u32 tol = a ? nla_get_u32(a) : TCPAO_TOLERANCE_DEFAULT;
	int n, err, id;

	cfg = kcalloc(TCPAO_KEYS_MAX, sizeof(*cfg), GFP_KERNEL);
	if (!cfg) {
		tcpao_nl_wipe_secrets(info);
		return -ENOMEM;
	}
	err = tcpao_nl_sync_keys(tcpao_info_kc_attr(info, TCPAO_KC_A_KEYS),
				 cfg, &n, info->extack);
	if (err)
		goto out;

	err = tcpao_keychain_sync(tn, name, tol, cfg, n, &res, info->extack);
	if (!err && (res.created || res.tolerance))
		tcpao_nl_notify_kc(tn, res.created ? TCPAO_CMD_KEYCHAIN_NEW :
				   TCPAO_CMD_KEYCHAIN_SET, name, -1);
	for (id = 0; !err && id < TCPAO_KEYS_MAX; id++) {
		if (res.added & BIT_ULL(id))
			tcpao_nl_notify_kc(tn, TCPAO_CMD_KEY_NEW, name, id);
		else if (res.changed & BIT_ULL(id))
			tcpao_nl_notify_kc(tn, TCPAO_CMD_KEY_SET, name, id);
		else if (res.removed & BIT_ULL(id))
			tcpao_nl_notify_kc(tn, TCPAO_CMD_KEY_DEL, name, id);
	}
out:
	kfree_sensitive(cfg);
	return err;
}

static int tcpao_nl_key_new(struct sk_buff *skb, struct genl_info *info)
{
	return tcpao_nl_key_op(info, TCPAO_CMD_KEY_NEW);
}

static int tcpao_nl_key_set(struct sk_buff *skb, struct genl_info *info)
{
	return tcpao_nl_key_op(info, TCPAO_CMD_KEY_SET);
}

static int tcpao_nl_key_del(struct sk_buff *skb, struct genl_info *info)
{
	return tcpao_nl_key_op(info, TCPAO_CMD_KEY_DEL);
}

/* ---- peers ---- */

/* PEER_NEW and PEER_DEL: the same attributes (NEW requires the keychain). */
static int tcpao_nl_peer_op(struct genl_info *info, u8 cmd)
{
	struct tcpao_net *tn = tcpao_info_tn(info);
	bool add = cmd == TCPAO_CMD_PEER_NEW;
	struct tcpao_peer_cfg cfg;
	int err;

	err = tcpao_nl_peer_cfg(info, &cfg, add);
	if (err)
		return err;
	if (add)
		err = tcpao_peer_new(tn, &cfg,
				     info->nlhdr->nlmsg_flags & NLM_F_REPLACE,
				     info->extack);
	else
		err = tcpao_peer_del(tn, &cfg, info->extack);
	if (!err)
		tcpao_nl_notify(tn, cmd, tcpao_nl_fill_peercfg, &cfg);
	return err;
}

static int tcpao_nl_peer_new(struct sk_buff *skb, struct genl_info *info)
{
	return tcpao_nl_peer_op(info, TCPAO_CMD_PEER_NEW);
}

static int tcpao_nl_peer_del(struct sk_buff *skb, struct genl_info *info)
{
	return tcpao_nl_peer_op(info, TCPAO_CMD_PEER_DEL);
}

static int tcpao_nl_dump_peer(struct sk_buff *skb, struct list_head *pos,
			      bool detail)
{
	return tcpao_nl_fill_peer(skb, list_entry(pos, struct tcpao_peer, list));
}

static int tcpao_nl_peer_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return tcpao_nl_dump_list(skb, cb, offsetof(struct tcpao_net, peer_list),
				  TCPAO_CMD_PEER_GET, tcpao_nl_dump_peer);
}

/* ---- connections, counters, limits ---- */

/*
 * Connections: there may be tens of thousands, and a dump takes one
 * message buffer per part, so each part resumes where the last one
 * stopped (an rhashtable walker, kept from .start to .done) rather than
 * walking from the first entry again, which made a dump quadratic in the
 * number of connections.  They come and go with traffic, so there is no
 * consistency flag: an entry created or removed while the dump runs may
 * be missed, and one may be shown twice if the table is resized.
 */
static int tcpao_nl_conn_dump_start(struct netlink_callback *cb)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(cb->skb->sk));
	struct rhashtable_iter *iter;

	iter = kmalloc(sizeof(*iter), GFP_KERNEL_ACCOUNT);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(&tn->conns, iter);
	cb->args[0] = (long)iter;
	return 0;
}

static int tcpao_nl_conn_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

static int tcpao_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];
	struct tcpao_conn *c;
	void *hdr;

	rhashtable_walk_start(iter);
	/* Peek, and move on only once the entry is in the message: the
	 * walker keeps one that did not fit for the next part.
	 */
	for (c = rhashtable_walk_peek(iter); c; c = rhashtable_walk_next(iter)) {
		if (IS_ERR(c))
			continue;	/* -EAGAIN: resized, walking again */
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &tcpao_genl_family,
				  NLM_F_MULTI, TCPAO_CMD_CONN_GET);
		if (!hdr)
			break;
		if (tcpao_nl_fill_conn(skb, c)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rhashtable_walk_stop(iter);
	return skb->len;
}

static int tcpao_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpao_net *tn = tcpao_info_tn(info);
	struct tcpao_stats sum;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int i;

	tcpao_stats_read(tn, &sum);
	spin_lock_bh(&tn->conns_lock);
	sum.c[TCPAO_STATS_A_CONNS] = tn->n_conns;
	spin_unlock_bh(&tn->conns_lock);
	sum.c[TCPAO_STATS_A_BINDINGS] = READ_ONCE(tn->n_bindings);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tcpao_genl_family, 0,
				TCPAO_CMD_STATS_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, TCPAO_A_STATS);
	if (!nest)
		goto err_free;
	for (i = 1; i <= TCPAO_STATS_A_MAX; i++) {
		if (i == TCPAO_STATS_A_PAD)
			continue;
		if (nla_put_u64_64bit(msg, i, sum.c[i], TCPAO_STATS_A_PAD))
			goto err_free;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int tcpao_nl_limits_get(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpao_net *tn = tcpao_info_tn(info);
	struct tcpao_limits l = tn->limits;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tcpao_genl_family, 0,
				TCPAO_CMD_LIMITS_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, TCPAO_A_LIMITS);
	if (!nest ||
	    nla_put_u32(msg, TCPAO_LIMITS_A_KEYCHAINS, l.keychains) ||
	    nla_put_u32(msg, TCPAO_LIMITS_A_PEERS, l.peers) ||
	    nla_put_u32(msg, TCPAO_LIMITS_A_CONNS, l.conns) ||
	    nla_put_u32(msg, TCPAO_LIMITS_A_BINDINGS, l.bindings))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int tcpao_nl_limit(struct genl_info *info, struct nlattr **tb, int attr,
			  u32 *limit, u32 used, u32 cap, const char *what)
{
	u32 v;

	if (!tb[attr])
		return 0;
	v = nla_get_u32(tb[attr]);
	if (v > cap) {
		TCPAO_ERR(info->extack,
			  "a limit of %u %s is refused: a network namespace of an unprivileged user namespace may have at most %u",
			  v, what, cap);
		return -EPERM;
	}
	if (v < used) {
		TCPAO_ERR(info->extack,
			  "%u %s in use: the limit cannot go below that", used,
			  what);
		return -EBUSY;
	}
	*limit = v;
	return 0;
}

static int tcpao_nl_limits_set(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpao_net *tn = tcpao_info_tn(info);
	struct nlattr *tb[TCPAO_LIMITS_A_MAX + 1];
	struct tcpao_limits l, caps;
	u32 conns;
	int err;

	err = tcpao_nl_nested(info, TCPAO_A_LIMITS, tb, TCPAO_LIMITS_A_MAX,
			      tcpao_limits_policy, "limits");
	if (err)
		return err;
	/* Entries of connections accepted without TCP-AO have a budget of
	 * their own (conn.c): a lower limit only stops new ones.
	 */
	spin_lock_bh(&tn->conns_lock);
	conns = tn->n_conns - tn->n_unverified;
	spin_unlock_bh(&tn->conns_lock);
	l = tn->limits;
	tcpao_limits_caps(tn->net, &caps);
	err = tcpao_nl_limit(info, tb, TCPAO_LIMITS_A_KEYCHAINS, &l.keychains,
			     tn->n_keychains, caps.keychains, "keychains") ?:
	      tcpao_nl_limit(info, tb, TCPAO_LIMITS_A_PEERS, &l.peers,
			     tn->n_peers, caps.peers, "peers") ?:
	      tcpao_nl_limit(info, tb, TCPAO_LIMITS_A_CONNS, &l.conns, conns,
			     caps.conns, "connections") ?:
	      tcpao_nl_limit(info, tb, TCPAO_LIMITS_A_BINDINGS, &l.bindings,
			     tn->n_bindings, caps.bindings, "socket bindings");
	if (!err) {
		WRITE_ONCE(tn->limits.keychains, l.keychains);
		WRITE_ONCE(tn->limits.peers, l.peers);
		WRITE_ONCE(tn->limits.conns, l.conns);
		WRITE_ONCE(tn->limits.bindings, l.bindings);
		tcpao_config_changed(tn);
	}
	return err;
}

static int tcpao_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpao_net *tn = tcpao_info_tn(info);

	tcpao_peers_flush(tn);
	tcpao_keychains_flush(tn);
	tcpao_hooks_update(tn);
	return 0;
}

/* ---- events ---- */

static int tcpao_nl_fill_event(struct sk_buff *skb, const struct tcpao_ev *ev)
{
	struct nlattr *nest = nla_nest_start(skb, TCPAO_A_EVENT), *cn;

	if (!nest || nla_put_string(skb, TCPAO_EV_A_KEYCHAIN, ev->keychain))
		return -EMSGSIZE;
	switch (ev->cmd) {
	case TCPAO_CMD_EVENT_KEY_ACTIVE:
		if (nla_put_u8(skb, TCPAO_EV_A_KEY_ID, ev->key_id))
			return -EMSGSIZE;
		break;
	case TCPAO_CMD_EVENT_RNEXT:
		if (nla_put_u8(skb, TCPAO_EV_A_WHAT, ev->what) ||
		    nla_put_u8(skb, TCPAO_EV_A_OLD, ev->old) ||
		    nla_put_u8(skb, TCPAO_EV_A_NEW, ev->new))
			return -EMSGSIZE;
		break;
	case TCPAO_CMD_EVENT_AUTH_FAIL:
		if (nla_put_u8(skb, TCPAO_EV_A_CAUSE, ev->what) ||
		    nla_put_u32(skb, TCPAO_EV_A_COUNT, ev->count) ||
		    tcpao_nl_put_id(skb, TCPAO_EV_A_KEYID, ev->new) ||
		    (ev->diag && nla_put_u8(skb, TCPAO_EV_A_DIAG, ev->diag)))
			return -EMSGSIZE;
		if ((ev->diag == TCPAO_DIAG_KEY_FUTURE ||
		     ev->diag == TCPAO_DIAG_KEY_EXPIRED) &&
		    nla_put_s64(skb, TCPAO_EV_A_DIAG_START, ev->diag_start,
				TCPAO_EV_A_PAD))
			return -EMSGSIZE;
		break;
	}
	if (ev->has_conn) {
		cn = nla_nest_start(skb, TCPAO_EV_A_CONN);
		if (!cn || tcpao_nl_put_tuple(skb, &ev->key, ev->keychain))
			return -EMSGSIZE;
		nla_nest_end(skb, cn);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static void tcpao_nl_send_event(struct net *net, const struct tcpao_ev *ev)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &tcpao_genl_family, 0, ev->cmd);
	if (!hdr || tcpao_nl_fill_event(skb, ev)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&tcpao_genl_family, net, skb, 0,
				TCPAO_MCGRP_EVENTS_IDX, GFP_KERNEL);
}

static const struct tcpao_event_sink tcpao_nl_sink = {
	.wanted = tcpao_nl_has_listeners,
	.send = tcpao_nl_send_event,
};

/* ---- family ---- */

/*
 * Every command needs CAP_NET_ADMIN in the user namespace that owns the
 * network namespace, reads too: connections carry ISNs and SNEs, keychains
 * their key schedules (inet_diag likewise shows TCP-MD5 and TCP-AO state
 * only to CAP_NET_ADMIN).
 */
static const struct genl_small_ops tcpao_genl_ops[] = {
	{
		.cmd = TCPAO_CMD_KEYCHAIN_NEW,
		.internal_flags = TCPAO_NL_LOCK | TCPAO_NL_KEYCHAIN,
		.doit = tcpao_nl_keychain_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_KEYCHAIN_SET,
		.internal_flags = TCPAO_NL_LOCK | TCPAO_NL_KEYCHAIN,
		.doit = tcpao_nl_keychain_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_KEYCHAIN_DEL,
		.internal_flags = TCPAO_NL_LOCK | TCPAO_NL_KEYCHAIN,
		.doit = tcpao_nl_keychain_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_KEYCHAIN_GET,
		.internal_flags = TCPAO_NL_LOCK | TCPAO_NL_KEYCHAIN,
		.doit = tcpao_nl_keychain_get,
		.dumpit = tcpao_nl_keychain_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_KEY_NEW,
		.internal_flags = TCPAO_NL_LOCK | TCPAO_NL_KEYCHAIN,
		.doit = tcpao_nl_key_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_KEY_SET,
		.internal_flags = TCPAO_NL_LOCK | TCPAO_NL_KEYCHAIN,
		.doit = tcpao_nl_key_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_KEY_DEL,
		.internal_flags = TCPAO_NL_LOCK | TCPAO_NL_KEYCHAIN,
		.doit = tcpao_nl_key_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_PEER_NEW,
		.internal_flags = TCPAO_NL_LOCK,
		.doit = tcpao_nl_peer_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_PEER_DEL,
		.internal_flags = TCPAO_NL_LOCK,
		.doit = tcpao_nl_peer_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_PEER_GET,
		.dumpit = tcpao_nl_peer_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_STATS_GET,
		.doit = tcpao_nl_stats_get,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_LIMITS_GET,
		.internal_flags = TCPAO_NL_LOCK,
		.doit = tcpao_nl_limits_get,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_LIMITS_SET,
		.internal_flags = TCPAO_NL_LOCK,
		.doit = tcpao_nl_limits_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_FLUSH,
		.internal_flags = TCPAO_NL_LOCK,
		.doit = tcpao_nl_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPAO_CMD_KEYCHAIN_SYNC,
		.internal_flags = TCPAO_NL_LOCK | TCPAO_NL_KEYCHAIN,
		.doit = tcpao_nl_keychain_sync,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/* Small ops have no .start and .done: the connection dump's walker. */
static const struct genl_ops tcpao_genl_dump_ops[] = {
	{
		.cmd = TCPAO_CMD_CONN_GET,
		.start = tcpao_nl_conn_dump_start,
		.dumpit = tcpao_nl_conn_dump,
		.done = tcpao_nl_conn_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static int tcpao_nl_pre_doit(const struct tcpao_genl_doit_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	struct tcpao_net *tn = tcpao_pernet(genl_info_net(info));
	const char *name = NULL;
	int err;

	if (ops->internal_flags & TCPAO_NL_KEYCHAIN) {
		err = tcpao_nl_kc_name(info, &name);
		if (err) {
			/* post_doit, which would wipe them, will not run. */
			tcpao_nl_wipe_secrets(info);
			return err;
		}
	}
	info->user_ptr[0] = tn;
	info->user_ptr[1] = (void *)name;
	if (ops->internal_flags & TCPAO_NL_LOCK)
		mutex_lock(&tn->lock);
	return 0;
}

/* Whatever the doit did with them, no secret stays in the request. */
static void tcpao_nl_post_doit(const struct tcpao_genl_doit_ops *ops,
			       struct sk_buff *skb, struct genl_info *info)
{
	struct tcpao_net *tn = tcpao_info_tn(info);

	if (ops->internal_flags & TCPAO_NL_LOCK)
		mutex_unlock(&tn->lock);
	tcpao_nl_wipe_secrets(info);
}

static struct genl_family tcpao_genl_family __ro_after_init = {
	.name = TCPAO_GENL_NAME,
	.version = TCPAO_GENL_VERSION,
	.maxattr = TCPAO_A_MAX,
	.policy = tcpao_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.pre_doit = tcpao_nl_pre_doit,
	.post_doit = tcpao_nl_post_doit,
	.small_ops = tcpao_genl_ops,
	.n_small_ops = ARRAY_SIZE(tcpao_genl_ops),
	.ops = tcpao_genl_dump_ops,
	.n_ops = ARRAY_SIZE(tcpao_genl_dump_ops),
	.resv_start_op = 0,	/* strict validation of every command */
	.mcgrps = tcpao_mcgrps,
	.n_mcgrps = ARRAY_SIZE(tcpao_mcgrps),
};

int tcpao_genl_init(void)
{
	int err;

#ifndef TCPAO_HAVE_GENL_MCAST_CAP
	pr_warn("this kernel cannot restrict multicast groups: any local user can listen to tcpao's events\n");
#endif
	err = genl_register_family(&tcpao_genl_family);
	if (err)
		return err;
	tcpao_events_set_sink(&tcpao_nl_sink);
	return 0;
}

void tcpao_genl_exit(void)
{
	tcpao_events_set_sink(NULL);
	genl_unregister_family(&tcpao_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(TCPAO_GENL_NAME);
