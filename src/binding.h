/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket bindings (binding.c): a socket's keychains, per peer prefix and
 * VRF.  The configuration side is under tn->lock; lookups are RCU.
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

/* One binding of a socket, as TCPAO_SO_BIND gave it (sockopt.c). */
struct tcpao_bind_ent {
	union tcpao_addr addr;
	u32 ifindex;
	u32 flags;
	u8 family;
	u8 plen;
	struct tcpao_keychain *kc;
};

int tcpao_binding_update(struct tcpao_net *tn, struct sock *sk,
			 const struct tcpao_bind_ent *e, u32 sock_flags,
			 bool remove);
bool tcpao_sock_bound(struct tcpao_net *tn, const struct sock *sk);
u32 tcpao_bindings_gc(struct tcpao_net *tn);
int tcpao_bindings_init(struct tcpao_net *tn);
void tcpao_bindings_destroy(struct tcpao_net *tn);

#endif /* _TCPAO_BINDING_H */
