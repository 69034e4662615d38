/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peer policies (peer.c): which keychain protects the connections of a
 * peer prefix, port and VRF.  Lookups are RCU; configuration is under
 * tn->lock.
 */
#ifndef _TCPAO_PEER_H
#define _TCPAO_PEER_H

#include "keychain.h"

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

bool tcpao_peer_lookup(struct tcpao_net *tn, const struct tcpao_flow *f,
		       struct tcpao_match *m);
void tcpao_peer_put(struct tcpao_peer *p);

struct tcpao_peer_cfg {
	union tcpao_addr addr;
	u32 ifindex;
	u32 flags;
	u16 port;
	u8 family;
	u8 plen;
	char keychain[TCPAO_KEYCHAIN_NAME_LEN];
};

void tcpao_addr_mask(u8 family, const union tcpao_addr *in, u8 plen,
		     union tcpao_addr *out);
int tcpao_peer_new(struct tcpao_net *tn, const struct tcpao_peer_cfg *cfg,
		   bool replace, struct netlink_ext_ack *extack);
int tcpao_peer_del(struct tcpao_net *tn, const struct tcpao_peer_cfg *cfg,
		   struct netlink_ext_ack *extack);
void tcpao_peer_unlink(struct tcpao_net *tn, struct tcpao_peer *p);
void tcpao_peers_flush(struct tcpao_net *tn);
int tcpao_peers_init(struct tcpao_net *tn);
void tcpao_peers_destroy(struct tcpao_net *tn);

#endif /* _TCPAO_PEER_H */
