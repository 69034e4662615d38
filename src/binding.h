/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket bindings (binding.c): a socket's keychains, per peer prefix and
 * VRF, and its Linux TCP-AO state if it has one.  The configuration side
 * is under tn->lock; lookups are RCU.
 */
#ifndef _TCPAO_BINDING_H
#define _TCPAO_BINDING_H

#include "peer.h"

/* The datapath's lookups (RCU). */
bool tcpao_sock_lookup(struct tcpao_net *tn, const struct sock *sk,
		       const struct tcpao_flow *f, struct tcpao_match *m,
		       bool *required);
struct sock *tcpao_listener_sk(struct tcpao_net *tn, const struct sk_buff *skb,
			       const struct tcpao_flow *f);
bool tcpao_listener_lookup(struct tcpao_net *tn, const struct sk_buff *skb,
			   const struct tcpao_flow *f, struct tcpao_match *m,
			   bool *required);

/*
 * One binding of a socket, as TCPAO_SO_BIND gave it (sockopt.c) or a
 * group of keys of Linux's TCP-AO API (linuxapi.c): connections of the
 * socket with a remote address in @addr/@plen (and in VRF @ifindex when it
 * is set, or always with @l3) are protected with @kc.
 */
struct tcpao_bind_ent {
	union tcpao_addr addr;
	u32 ifindex;
	u32 flags;
	u8 family;
	u8 plen;
	bool l3;			/* @ifindex 0 is the default VRF only */
	struct tcpao_keychain *kc;
};

/* A socket's bindings at one moment: immutable, replaced under RCU. */
struct tcpao_bindset {
	struct rcu_head rcu;
	u32 flags;		/* socket-wide: TCPAO_F_AO_REQUIRED */
	int n;
	struct tcpao_bind_ent e[];
};

struct tcpao_sockbind {
	struct rhash_head node;
	struct list_head list;		/* tn->bind_list, under tn->lock */
	struct rcu_head rcu;
	struct sock *sk;		/* key; reference held */
	struct tcpao_bindset __rcu *set;
	struct tcpao_lx *lx;		/* Linux TCP-AO API state, or NULL */
};

int tcpao_binding_update(struct tcpao_net *tn, struct sock *sk,
			 const struct tcpao_bind_ent *e, u32 sock_flags,
			 bool remove);
bool tcpao_sock_bound(struct tcpao_net *tn, const struct sock *sk);
u32 tcpao_bindings_gc(struct tcpao_net *tn);
int tcpao_bindings_init(struct tcpao_net *tn);
void tcpao_bindings_destroy(struct tcpao_net *tn);

/* For linuxapi.c, under tn->lock. */
struct tcpao_sockbind *tcpao_sb_find(struct tcpao_net *tn, struct sock *sk);
struct tcpao_bindset *tcpao_sb_set(struct tcpao_net *tn,
				   struct tcpao_sockbind *sb);
int tcpao_sb_replace(struct tcpao_net *tn, struct sock *sk,
		     struct tcpao_bindset *set, struct tcpao_lx *lx);
void tcpao_bindset_free(struct tcpao_bindset *set);

#endif /* _TCPAO_BINDING_H */
