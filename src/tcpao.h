/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpao: per network namespace state, and the locking rules of the objects
 * it holds (each object has its header: keychain.h, peer.h, binding.h,
 * conn.h).
 *
 * Locking, in one place:
 *  - tn->lock (mutex) serialises configuration: keychains, keys, peers,
 *    socket bindings, limits and hook registration.  Netlink and socket
 *    options take it; the datapath never does.
 *  - Readers in the datapath (netfilter hooks, softirq or process context)
 *    use RCU only: keychain key sets, peer policies, the connection table
 *    and a connection's traffic keys are all published with
 *    rcu_assign_pointer() and freed after a grace period.
 *  - tn->conns_lock (spinlock, BH) guards the list of connections and the
 *    connection count; conn->lock (spinlock, BH) guards a connection's slow
 *    path transitions (ISNs learned, traffic keys rebuilt, FIN/RST seen).
 *    Per segment, nothing is locked: SNE references are atomic64 and
 *    counters per-CPU or atomic.
 */
#ifndef _TCPAO_H
#define _TCPAO_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include <linux/percpu.h>
#include <linux/in6.h>
#include <linux/ratelimit.h>
#include <linux/netfilter.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/tcpao.h>

#include "compat.h"
#include "crypto.h"

union tcpao_addr {
	__be32 a4;
	struct in6_addr a6;
	__be32 w[4];
};

/* Namespace counters, indexed like enum tcpao_stats_attr. */
struct tcpao_stats {
	u64 c[__TCPAO_STATS_A_MAX];
};

struct tcpao_limits {
	u32 keychains;
	u32 peers;
	u32 conns;
	u32 bindings;
};

#define TCPAO_LIMIT_MAX		BIT(24)		/* any limit, anywhere */
#define TCPAO_DEF_MAX_KEYCHAINS	1024
#define TCPAO_DEF_MAX_PEERS	65536
#define TCPAO_DEF_MAX_CONNS	65536
#define TCPAO_DEF_MAX_BINDINGS	65536

/*
 * Where the network namespace belongs to a user namespace other than the
 * initial one, any local user may hold CAP_NET_ADMIN over it (unshare -Urn):
 * its limits cannot go above these, and start there.  Configuration objects
 * are charged to the memory cgroup of who makes them; these caps bound
 * what is not (connection entries made in softirq, with up to a traffic key
 * pair per key of their keychain) and a namespace's share of the tables.
 */
#define TCPAO_USERNS_MAX_KEYCHAINS	64
#define TCPAO_USERNS_MAX_PEERS		1024
#define TCPAO_USERNS_MAX_CONNS		1024
#define TCPAO_USERNS_MAX_BINDINGS	1024

void tcpao_limits_caps(const struct net *net, struct tcpao_limits *caps);

struct tcpao_events;

struct tcpao_net {
	struct net *net;

	struct mutex lock;		/* configuration, see above */
	u32 gen;			/* bumped on every config change */
	struct list_head keychains;	/* RCU list */
	u32 n_keychains;
	struct rhashtable peers;	/* peer policies by exact key */
	struct list_head peer_list;	/* RCU list, dump order */
	u32 n_peers;
	u16 plen_count[2][129];		/* policies per family/prefix length */
	struct tcpao_limits limits;

	/* Socket bindings (socket options). */
	struct rhashtable bindings;	/* struct tcpao_sockbind by socket */
	struct list_head bind_list;
	u32 n_bindings;			/* > 0: SYNs look up their socket */

	/* Connection table. */
	struct rhashtable conns;
	spinlock_t conns_lock;		/* conn_list, n_conns, n_unverified */
	struct list_head conn_list;	/* RCU list, for GC and dumps */
	u32 n_conns;			/* all entries */
	u32 n_unverified;		/* of them, made by SYNs without
					 * TCP-AO (see conn.c)
					 */
	struct delayed_work gc_work;

	bool hooks_on;			/* netfilter hooks registered */
	bool dying;

	struct tcpao_stats __percpu *stats;
	struct tcpao_events *events;
	struct ratelimit_state fail_rs;	/* AUTH_FAIL events of no connection */

	/* Diagnoses of failed segments: a token bucket (diag.c). */
	spinlock_t diag_lock;		/* diag_last, diag_credit */
	unsigned long diag_last;	/* jiffies of the last refill */
	u32 diag_credit;		/* tokens * HZ */
};

extern unsigned int tcpao_net_id;

static inline struct tcpao_net *tcpao_pernet(const struct net *net)
{
	return net_generic(net, tcpao_net_id);
}

static inline void tcpao_stat_inc(struct tcpao_net *tn, int idx)
{
	this_cpu_inc(tn->stats->c[idx]);
}

void tcpao_stats_read(struct tcpao_net *tn, struct tcpao_stats *sum);

/* Every configuration change: dumps in progress notice (NLM_F_DUMP_INTR). */
static inline void tcpao_config_changed(struct tcpao_net *tn)
{
	lockdep_assert_held(&tn->lock);
	WRITE_ONCE(tn->gen, tn->gen + 1);
}

/*
 * The namespace's collector (conn.c) runs within a second: it drops
 * connections that ended and socket bindings of closed sockets.
 */
#define TCPAO_GC_INTERVAL	(HZ)

static inline void tcpao_gc_kick(struct tcpao_net *tn)
{
	if (!delayed_work_pending(&tn->gc_work))
		queue_delayed_work(system_power_efficient_wq, &tn->gc_work,
				   TCPAO_GC_INTERVAL);
}

/* The addresses, ports and VRF of a segment's connection, as seen from here. */
struct tcpao_flow {
	u8 family;
	int l3index;
	union tcpao_addr laddr;
	union tcpao_addr raddr;
	__be16 lport;
	__be16 rport;
};

/* ---- hooks (hooks.c) ---- */

void tcpao_hooks_set_entry(nf_hookfn *in, nf_hookfn *out);
int tcpao_hooks_update(struct tcpao_net *tn);
int tcpao_hooks_prepare(struct tcpao_net *tn);
void tcpao_hooks_off(struct tcpao_net *tn);

/*
 * RCU callbacks free objects that release others with call_rcu() in turn
 * (connection or unlinked policy, then policy, then keychain): one barrier
 * per level.
 */
static inline void tcpao_rcu_drain(void)
{
	rcu_barrier();
	rcu_barrier();
	rcu_barrier();
}

#endif /* _TCPAO_H */
