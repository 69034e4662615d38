// SPDX-License-Identifier: GPL-2.0
/*
 * A socket's Linux TCP-AO state (struct tcpao_lx, Linux's struct
 * tcp_ao_info): what the bindings, the connections and the datapath need
 * of a socket that uses Linux's TCP_AO_* socket options (linuxapi.c).
 *
 * It is apart from linuxapi.c because those below the socket options hold
 * and read it: a socket's binding and each of its connections hold a
 * reference, the binding lookup reads ao_required, a new connection takes
 * its Current_key and RNext_key (and, accepted by a listener, a copy of
 * the state and keys), and the datapath signs with Current_key, follows
 * the peer's RNextKeyID and keeps Linux's counters.  None of it needs a
 * connection or a binding: callers pass the state, keychain or keys.
 *
 * Current_key and RNext_key of a connection are key IDs, read and written
 * with READ_ONCE()/WRITE_ONCE() by the datapath (RCU) and the socket
 * options (socket lock, tn->lock); counters are atomic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/addrconf.h>

#include "lxstate.h"

/* ---- the state object ---- */

static void tcpao_lx_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct tcpao_lx, rcu));
}

void tcpao_lx_hold(struct tcpao_lx *lx)
{
	refcount_inc(&lx->ref);
}

void tcpao_lx_put(struct tcpao_lx *lx)
{
	if (lx && refcount_dec_and_test(&lx->ref))
		call_rcu(&lx->rcu, tcpao_lx_free_rcu);
}

bool tcpao_lx_required(const struct tcpao_lx *lx)
{
	return lx && READ_ONCE(lx->ao_required);
}

struct tcpao_lx *tcpao_lx_alloc(gfp_t gfp)
{
	struct tcpao_lx *lx = kzalloc(sizeof(*lx), gfp);

	if (!lx)
		return NULL;
	refcount_set(&lx->ref, 1);
	lx->cur = -1;
	lx->rnext = -1;
	return lx;
}

/* ---- keys and key sets ---- */

void tcpao_lx_keyset_free_rcu(struct rcu_head *head)
{
	struct tcpao_keyset *ks = container_of(head, struct tcpao_keyset, rcu);
	int i;

	for (i = 0; i < ks->n; i++)
		tcpao_mkt_put(ks->mkt[i]);
	kfree(ks);
}

/* A keychain of no name list: a socket's group of keys, or a copy. */
struct tcpao_keychain *tcpao_lx_kc_alloc(struct tcpao_net *tn,
					 const char *name, gfp_t gfp)
{
	struct tcpao_keychain *kc = kzalloc(sizeof(*kc), gfp);

	if (!kc)
		return NULL;
	refcount_set(&kc->ref, 1);
	INIT_LIST_HEAD(&kc->list);
	kc->tn = tn;
	strscpy(kc->name, name, sizeof(kc->name));
	kc->tolerance = TCPAO_TOLERANCE_DEFAULT;
	kc->last_active = -1;
	return kc;
}

/*
 * A copy of @kc's keys for a connection a listener accepts (softirq, RCU):
 * new key objects, so that the new connection's counters are its own.
 */
static struct tcpao_keychain *tcpao_lx_kc_clone(struct tcpao_keychain *kc)
{
	const struct tcpao_keyset *ks = rcu_dereference(kc->keys);
	struct tcpao_keychain *nkc;
	struct tcpao_keyset *nks;
	int i, n = ks ? ks->n : 0;

	nkc = tcpao_lx_kc_alloc(kc->tn, kc->name, GFP_ATOMIC);
	if (!nkc)
		return NULL;
	nks = kzalloc(struct_size(nks, mkt, n), GFP_ATOMIC);
	if (!nks)
		goto err;
	for (i = 0; i < n; i++) {
		struct tcpao_mkt *m = kmemdup(ks->mkt[i], sizeof(*m),
					      GFP_ATOMIC);

		if (!m)
			goto err_keys;
		refcount_set(&m->ref, 1);
		atomic64_set(&m->lx.pkt_good, 0);
		atomic64_set(&m->lx.pkt_bad, 0);
		nks->mkt[nks->n++] = m;
	}
	RCU_INIT_POINTER(nkc->keys, nks);
	return nkc;

err_keys:
	tcpao_lx_keyset_free_rcu(&nks->rcu);
err:
	kfree(nkc);
	return NULL;
}

/* The key Linux would take first: the one added last. */
static int tcpao_lx_newest(const struct tcpao_keyset *ks)
{
	int i, best = -1;

	for (i = 0; ks && i < ks->n; i++)
		if (best < 0 ||
		    ks->mkt[i]->lx.serial > ks->mkt[best]->lx.serial)
			best = i;
	return best;
}

static int tcpao_lx_by_serial(const struct tcpao_keyset *ks, u64 serial)
{
	int i;

	for (i = 0; serial && ks && i < ks->n; i++)
		if (ks->mkt[i]->lx.serial == serial)
			return i;
	return -1;
}

/* The first of @mkt with these IDs (-1: any), or -1. */
int tcpao_lx_by_id(struct tcpao_mkt *const *mkt, int n, int sndid,
		   int rcvid)
{
	int i;

	for (i = 0; i < n; i++)
		if ((sndid < 0 || mkt[i]->send_id == sndid) &&
		    (rcvid < 0 || mkt[i]->recv_id == rcvid))
			return i;
	return -1;
}

/* ---- connections (conn.c, datapath) ---- */

/*
 * A connection's Current_key and RNext_key: the keys chosen before
 * connect() if they are among its keys, else the key added last (Linux's
 * tcp_ao_connect_init()).
 */
static void tcpao_lx_start(struct tcpao_lx *lx, const struct tcpao_keyset *ks)
{
	int c = tcpao_lx_by_serial(ks, READ_ONCE(lx->cur_serial));
	int r = tcpao_lx_by_serial(ks, READ_ONCE(lx->rnext_serial));
	int first = tcpao_lx_newest(ks);

	if (c < 0)
		c = first;
	if (r < 0)
		r = first;
	WRITE_ONCE(lx->cur, c < 0 ? -1 : ks->mkt[c]->send_id);
	WRITE_ONCE(lx->rnext, r < 0 ? -1 : ks->mkt[r]->recv_id);
}

/**
 * tcpao_lx_conn_init - a connection of a socket with Linux TCP-AO state
 * @lx: the socket's state
 * @passive: accepted by a listener: the connection gets state and keys of
 *	its own
 * @kc: the connection's keychain (the group its peer matched, a reference
 *	held), replaced by a copy when @passive
 * @clx: set to the connection's state, a reference held, which the
 *	connection puts also when this fails
 *
 * Called from tcpao_conn_create(), in the datapath (RCU).
 */
int tcpao_lx_conn_init(struct tcpao_lx *lx, bool passive,
		       struct tcpao_keychain **kc, struct tcpao_lx **clx)
{
	struct tcpao_keychain *nkc;
	struct tcpao_lx *nlx;

	if (!passive) {
		if (!refcount_inc_not_zero(&lx->ref))
			return -ENOENT;	/* the socket is going */
		*clx = lx;
		tcpao_lx_start(lx, rcu_dereference((*kc)->keys));
		return 0;
	}
	nlx = tcpao_lx_alloc(GFP_ATOMIC);
	if (!nlx)
		return -ENOMEM;
	*clx = nlx;
	nkc = tcpao_lx_kc_clone(*kc);
	if (!nkc)
		return -ENOMEM;	/* nlx goes with the connection */
	tcpao_keychain_put(*kc);
	*kc = nkc;
	nlx->ao_required = READ_ONCE(lx->ao_required);
	nlx->accept_icmps = READ_ONCE(lx->accept_icmps);
	strscpy(nlx->name, lx->name, sizeof(nlx->name));
	tcpao_lx_start(nlx, rcu_dereference(nkc->keys));
	return 0;
}

/*
 * The SYN a listener accepted, for its connection's state @lx and keychain
 * @kc: Current_key is the key it asked for (RNextKeyID), RNext_key the one
 * it used, if we hold them (Linux's tcp_ao_copy_all_matching()).
 */
void tcpao_lx_syn(struct tcpao_lx *lx, const struct tcpao_keychain *kc,
		  u8 keyid, u8 rnext)
{
	const struct tcpao_keyset *ks = rcu_dereference(kc->keys);

	if (!ks)
		return;
	if (tcpao_lx_by_id(ks->mkt, ks->n, rnext, -1) >= 0)
		WRITE_ONCE(lx->cur, rnext);
	if (tcpao_lx_by_id(ks->mkt, ks->n, -1, keyid) >= 0)
		WRITE_ONCE(lx->rnext, keyid);
}

/* The key to sign with (an index of @mkt) and the RNextKeyID to send. */
int tcpao_lx_send_key(struct tcpao_lx *lx, struct tcpao_mkt *const *mkt,
		      int n, u8 *rnext)
{
	int i = tcpao_lx_by_id(mkt, n, READ_ONCE(lx->cur), -1);
	s16 rn = READ_ONCE(lx->rnext);

	if (i < 0) {
		/* Current_key is always one of the connection's keys; should
		 * it not be, the key added last, as when it started.
		 */
		int k;

		for (k = 0; k < n; k++)
			if (i < 0 || mkt[k]->lx.serial > mkt[i]->lx.serial)
				i = k;
		if (i < 0)
			return -1;
		WRITE_ONCE(lx->cur, mkt[i]->send_id);
	}
	*rnext = rn >= 0 ? rn : mkt[i]->recv_id;
	return i;
}

static int tcpao_lx_cnt_of(int stat)
{
	switch (stat) {
	case TCPAO_STATS_A_GOOD:
		return TCPAO_LX_GOOD;
	case TCPAO_STATS_A_BAD_MAC:
		return TCPAO_LX_BAD;
	case TCPAO_STATS_A_KEY_NOT_FOUND:
		return TCPAO_LX_KEY_NOT_FOUND;
	case TCPAO_STATS_A_AO_REQUIRED:
		return TCPAO_LX_AO_REQUIRED;
	case TCPAO_STATS_A_ICMP_DROPPED:
		return TCPAO_LX_DROPPED_ICMP;
	default:
		return -1;
	}
}

/* Linux's namespace counters, on kernels that have them (6.7). */
static void tcpao_lx_mib(struct tcpao_net *tn, int cnt)
{
#ifdef TCPAO_HAVE_MIB_TCPAO
	static const u8 mib[TCPAO_LX_NCNT] = {
		[TCPAO_LX_GOOD] = LINUX_MIB_TCPAOGOOD,
		[TCPAO_LX_BAD] = LINUX_MIB_TCPAOBAD,
		[TCPAO_LX_KEY_NOT_FOUND] = LINUX_MIB_TCPAOKEYNOTFOUND,
		[TCPAO_LX_AO_REQUIRED] = LINUX_MIB_TCPAOREQUIRED,
		[TCPAO_LX_DROPPED_ICMP] = LINUX_MIB_TCPAODROPPEDICMPS,
	};

	NET_INC_STATS(tn->net, mib[cnt]);
#endif
}

/**
 * tcpao_lx_seen - count a segment as Linux does
 * @tn: namespace
 * @lx: the socket's state (a listener's, for a SYN)
 * @mkt: the key it was verified with or failed, or NULL
 * @stat: what tcpao counts it as, TCPAO_STATS_A_*
 */
void tcpao_lx_seen(struct tcpao_net *tn, struct tcpao_lx *lx,
		   struct tcpao_mkt *mkt, int stat)
{
	int cnt = tcpao_lx_cnt_of(stat);

	if (!lx || cnt < 0)
		return;
	atomic64_inc(&lx->cnt[cnt]);
	tcpao_lx_mib(tn, cnt);
	if (mkt && cnt == TCPAO_LX_GOOD)
		atomic64_inc(&mkt->lx.pkt_good);
	else if (mkt && cnt == TCPAO_LX_BAD)
		atomic64_inc(&mkt->lx.pkt_bad);
}

/*
 * A segment of a connection with state @lx verified with key @j of its
 * keys @mkt: counted, and Current_key becomes the key the peer asks for
 * (its RNextKeyID) when we hold it (RFC 5925 7.5.2, Linux's
 * tcp_inbound_ao_hash()).
 */
void tcpao_lx_verified(struct tcpao_net *tn, struct tcpao_lx *lx,
		       struct tcpao_mkt *const *mkt, int n, int j, u8 rnext)
{
	tcpao_lx_seen(tn, lx, mkt[j], TCPAO_STATS_A_GOOD);
	if (rnext != READ_ONCE(lx->cur) &&
	    tcpao_lx_by_id(mkt, n, rnext, -1) >= 0)
		WRITE_ONCE(lx->cur, rnext);
}

/*
 * An ICMP error @skb (of @type) for a connection with state @lx: accepted,
 * or counted and dropped.  Linux's TCP-AO ignores it in tcp_v4_err() /
 * tcp_v6_err(), after icmp_rcv() / icmpv6_rcv() have counted it as
 * received (InMsgs, InDestUnreachs...); tcpao drops it before them, so it
 * counts those too: the namespace's ICMP counters read as on Linux.
 */
bool tcpao_lx_icmp_accepted(struct tcpao_net *tn, struct tcpao_lx *lx,
			    struct sk_buff *skb, u8 family, u8 type)
{
	struct inet6_dev *idev;

	if (READ_ONCE(lx->accept_icmps))
		return true;
	tcpao_lx_seen(tn, lx, NULL, TCPAO_STATS_A_ICMP_DROPPED);
	if (family == AF_INET) {
		__ICMP_INC_STATS(tn->net, ICMP_MIB_INMSGS);
		ICMPMSGIN_INC_STATS(tn->net, type);
	} else {
		idev = __in6_dev_get(skb->dev);
		__ICMP6_INC_STATS(tn->net, idev, ICMP6_MIB_INMSGS);
		ICMP6MSGIN_INC_STATS(tn->net, idev, type);
	}
	return false;
}
