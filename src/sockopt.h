/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket options and the per-socket state behind them: a socket's bindings
 * (prefix and VRF to keychain), which its tcpao socket options set
 * (sockopt.c) or, for Linux's TCP-AO API, its keys grouped by peer
 * (linuxapi.c).
 */
#ifndef _TCPAO_SOCKOPT_H
#define _TCPAO_SOCKOPT_H

#include "tcpao.h"

/*
 * One binding: connections of the socket with a remote address in
 * @addr/@plen (and in VRF @ifindex when it is set, or always with @l3)
 * are protected with @kc.
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

int tcpao_sockopt_init(void);
void tcpao_sockopt_exit(void);
int tcpao_bindings_init(struct tcpao_net *tn);
void tcpao_bindings_destroy(struct tcpao_net *tn);
u32 tcpao_bindings_gc(struct tcpao_net *tn);

/* For linuxapi.c, under tn->lock. */
struct tcpao_sockbind *tcpao_sb_find(struct tcpao_net *tn, struct sock *sk);
struct tcpao_bindset *tcpao_sb_set(struct tcpao_net *tn,
				   struct tcpao_sockbind *sb);
int tcpao_sb_replace(struct tcpao_net *tn, struct sock *sk,
		     struct tcpao_bindset *set, struct tcpao_lx *lx);
void tcpao_bindset_free(struct tcpao_bindset *set);

struct tcpao_flow;
struct tcpao_conn;
void tcpao_sk_flow(struct sock *sk, struct tcpao_flow *f);
struct tcpao_conn *tcpao_sk_conn(struct tcpao_net *tn, struct sock *sk);
int tcpao_sock_repair(struct sock *sk, const struct tcpao_repair *r);

#endif /* _TCPAO_SOCKOPT_H */
