/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpao: per network namespace state and the objects it holds.
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

/* ---- keychains and keys (keychain.c) ---- */

/*
 * One immutable version of a key.  Changing a key publishes a new version,
 * and every connection on the keychain takes it from its next segment (see
 * conn.c).  The traffic keys a connection derived from a version depend on
 * its secret and algorithm only: versions that share those share @kdf_id,
 * and a connection keeps its traffic keys across them (a new start time,
 * new IDs or a new option flag derive nothing).  The secret is kept (so the
 * algorithm can change alone, as on Junos, and a sync can compare it) and,
 * like the prepared key, never leaves the kernel and is wiped when freed.
 */
/*
 * What Linux's TCP-AO socket API said of a key (linuxapi.c): the peer it is
 * for, as Linux keeps it and reports it back, and Linux's per-key counters.
 * Unused for keychain keys.
 */
struct tcpao_mkt_lx {
	union tcpao_addr addr;
	u64 serial;		/* order of addition, per namespace */
	atomic64_t pkt_good;
	atomic64_t pkt_bad;
	int l3index;
	u8 family;
	u8 prefix;
	u8 keyflags;		/* TCP_AO_KEYF_* */
	u8 keylen;		/* as Linux reports it */
};

struct tcpao_mkt {
	struct rcu_head rcu;
	refcount_t ref;
	const struct tcpao_algo *alg;
	time64_t start;
	u64 kdf_id;		/* new with each new secret or algorithm */
	u8 id;
	u8 send_id;
	u8 recv_id;
	u8 secret_len;
	bool exclude_opts;
	struct tcpao_prf_key kdf;
	u8 secret[TCPAO_SECRET_MAX];
	struct tcpao_mkt_lx lx;
};

/* The keys of a keychain at one moment, sorted by start time then id. */
struct tcpao_keyset {
	struct rcu_head rcu;
	u8 n;
	struct tcpao_mkt *mkt[];
};

struct tcpao_keychain {
	struct list_head list;		/* tn->keychains, RCU */
	struct rcu_head rcu;
	refcount_t ref;			/* list, peers, bindings, conns */
	struct tcpao_net *tn;
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	u32 tolerance;			/* READ_ONCE: datapath reads it */
	u32 gen;			/* of @keys, see conn.c */
	struct tcpao_keyset __rcu *keys;	/* NULL: no keys (revoked) */
	u32 n_peers;			/* tn->lock */
	u32 n_bindings;			/* tn->lock */
	atomic_t n_conns;
	atomic_t key_users[TCPAO_KEYS_MAX];	/* connections holding key id */
	struct delayed_work activate_work;	/* KEY_ACTIVE events */
	int last_active;			/* id last reported active */
	bool dead;
};

struct tcpao_keychain *tcpao_keychain_find(struct tcpao_net *tn,
					   const char *name);
struct tcpao_keychain *tcpao_keychain_find_rcu(struct tcpao_net *tn,
					       const char *name);
void tcpao_keychain_put(struct tcpao_keychain *kc);
void tcpao_mkt_put(struct tcpao_mkt *mkt);

/* Key selection (keysel.c): pure functions over sorted key versions. */
#include "keysel.h"

/* Configuration (netlink), all under tn->lock. */
struct tcpao_key_cfg {
	u8 id;
	bool has_secret, has_start, has_send, has_recv, has_alg, has_opts;
	u8 secret_len;
	u8 send_id;
	u8 recv_id;
	u8 alg;
	bool tcp_options;
	time64_t start;
	u8 secret[TCPAO_SECRET_MAX];
};

struct netlink_ext_ack;
int tcpao_name_check(const char *name, struct netlink_ext_ack *extack);
int tcpao_keychain_new(struct tcpao_net *tn, const char *name,
		       const u32 *tolerance, struct netlink_ext_ack *extack);
int tcpao_keychain_set(struct tcpao_net *tn, const char *name, u32 tolerance,
		       struct netlink_ext_ack *extack);
int tcpao_keychain_del(struct tcpao_net *tn, const char *name,
		       struct netlink_ext_ack *extack);
int tcpao_key_new(struct tcpao_net *tn, const char *name,
		  const struct tcpao_key_cfg *cfg,
		  struct netlink_ext_ack *extack);
int tcpao_key_set(struct tcpao_net *tn, const char *name,
		  const struct tcpao_key_cfg *cfg,
		  struct netlink_ext_ack *extack);
int tcpao_key_del(struct tcpao_net *tn, const char *name, u8 id,
		  struct netlink_ext_ack *extack);
struct tcpao_mkt *tcpao_mkt_new(const struct tcpao_key_cfg *cfg);
void tcpao_keychains_flush(struct tcpao_net *tn);

/* What a sync changed (key IDs as bits), for its events. */
struct tcpao_sync_result {
	bool created;
	bool tolerance;
	u64 added;
	u64 changed;
	u64 removed;
};

int tcpao_keychain_sync(struct tcpao_net *tn, const char *name,
			u32 tolerance, struct tcpao_key_cfg *cfg, int n,
			struct tcpao_sync_result *res,
			struct netlink_ext_ack *extack);

/* ---- peer policies (peer.c) ---- */

struct tcpao_peer_key {
	union tcpao_addr addr;		/* masked to plen */
	u32 ifindex;
	u16 port;
	u8 family;
	u8 plen;
};

struct tcpao_peer {
	struct rhash_head node;
	struct list_head list;		/* tn->peer_list, RCU */
	struct rcu_head rcu;
	refcount_t ref;			/* table (see peer.c) + connections */
	struct tcpao_peer_key key;
	u32 flags;
	struct tcpao_keychain *kc;
	atomic_t n_conns;
	/* stats peer: segments of its connections verified and signed, the
	 * drops by cause (of its connections, and of no connection when it
	 * matches their addresses) and the connections it made.  Atomics,
	 * not per-CPU counters: up to 65536 policies times every CPU would
	 * cost more memory than a policy's few sessions cost in contention.
	 */
	atomic64_t pkts_good;
	atomic64_t pkts_signed;
	atomic64_t conns_created;
	atomic64_t drops[__TCPAO_DROP_MAX];
};

struct tcpao_lx;

/*
 * What decides the protection of a new connection: a policy or a binding.
 * @lx is set for a socket that uses Linux's TCP-AO API (linuxapi.c), also
 * when none of its keys matched: such a socket is never matched by a
 * policy.
 */
struct tcpao_match {
	struct tcpao_keychain *kc;	/* no reference taken */
	struct tcpao_peer *peer;	/* or NULL for a socket binding */
	struct tcpao_lx *lx;		/* no reference taken */
	u32 flags;			/* TCPAO_F_* */
	bool socket;
};

struct tcpao_flow {
	u8 family;
	int l3index;
	union tcpao_addr laddr;
	union tcpao_addr raddr;
	__be16 lport;
	__be16 rport;
};

bool tcpao_peer_lookup(struct tcpao_net *tn, const struct tcpao_flow *f,
		       struct tcpao_match *m);
void tcpao_peer_put(struct tcpao_peer *p);

/* ---- socket bindings (sockopt.c) ---- */

bool tcpao_sock_lookup(struct tcpao_net *tn, const struct sock *sk,
		       const struct tcpao_flow *f, struct tcpao_match *m,
		       bool *required);
struct sock *tcpao_listener_sk(struct tcpao_net *tn, const struct sk_buff *skb,
			       const struct tcpao_flow *f);
bool tcpao_listener_lookup(struct tcpao_net *tn, const struct sk_buff *skb,
			   const struct tcpao_flow *f, struct tcpao_match *m,
			   bool *required);

/* ---- netns lifetime and hooks ---- */

int tcpao_hooks_update(struct tcpao_net *tn);
void tcpao_hooks_off(struct tcpao_net *tn);
void tcpao_config_changed(struct tcpao_net *tn);
int tcpao_netns_init(void);
void tcpao_netns_exit(void);

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
