/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A socket's Linux TCP-AO state (lxstate.c): what the bindings and the
 * connections that hold it, and the datapath, use of it.  The socket
 * options that set it are linuxapi.c's.
 */
#ifndef _TCPAO_LXSTATE_H
#define _TCPAO_LXSTATE_H

#include "keychain.h"

/* Linux's per-socket counters, in struct tcp_ao_info_opt's order. */
enum {
	TCPAO_LX_GOOD,
	TCPAO_LX_BAD,
	TCPAO_LX_KEY_NOT_FOUND,
	TCPAO_LX_AO_REQUIRED,
	TCPAO_LX_DROPPED_ICMP,
	TCPAO_LX_NCNT
};

/**
 * struct tcpao_lx - a socket's Linux TCP-AO state (Linux: struct tcp_ao_info)
 * @ref: the socket's binding, its connection
 * @rcu: freed after a grace period
 * @ao_required: refuse segments without TCP-AO from any peer
 * @accept_icmps: act on ICMP hard errors
 * @cur: connected: SendID of Current_key, -1 for none
 * @rnext: connected: RecvID of RNext_key, -1 for none
 * @cur_serial: not connected: Current_key (its serial), 0 for none
 * @rnext_serial: not connected: RNext_key
 * @cnt: counters, TCPAO_LX_*
 * @name: names its keychains ("socket:[inode]")
 *
 * A client's connection shares its socket's; a connection accepted by a
 * listener gets its own, as its socket does on Linux.
 */
struct tcpao_lx {
	refcount_t ref;
	struct rcu_head rcu;
	bool ao_required;
	bool accept_icmps;
	s16 cur;
	s16 rnext;
	u64 cur_serial;
	u64 rnext_serial;
	atomic64_t cnt[TCPAO_LX_NCNT];
	char name[TCPAO_KEYCHAIN_NAME_LEN];
};

struct tcpao_lx *tcpao_lx_alloc(gfp_t gfp);
void tcpao_lx_hold(struct tcpao_lx *lx);
void tcpao_lx_put(struct tcpao_lx *lx);
bool tcpao_lx_required(const struct tcpao_lx *lx);

/* Its keychains: unnamed, their keys sorted by id. */
struct tcpao_keychain *tcpao_lx_kc_alloc(struct tcpao_net *tn,
					 const char *name, gfp_t gfp);
void tcpao_lx_keyset_free_rcu(struct rcu_head *head);
int tcpao_lx_by_id(struct tcpao_mkt *const *mkt, int n, int sndid,
		   int rcvid);

/* A connection of a socket with Linux TCP-AO state starts (conn.c). */
int tcpao_lx_conn_init(struct tcpao_lx *lx, bool passive,
		       struct tcpao_keychain **kc, struct tcpao_lx **clx);
/* A listener's connection: Current_key and RNext_key from the SYN. */
void tcpao_lx_syn(struct tcpao_lx *lx, const struct tcpao_keychain *kc,
		  u8 keyid, u8 rnext);

/* Datapath, RCU: @mkt and @n are a connection's keys. */
int tcpao_lx_send_key(struct tcpao_lx *lx, struct tcpao_mkt *const *mkt,
		      int n, u8 *rnext);
void tcpao_lx_seen(struct tcpao_net *tn, struct tcpao_lx *lx,
		   struct tcpao_mkt *mkt, int stat);
void tcpao_lx_verified(struct tcpao_net *tn, struct tcpao_lx *lx,
		       struct tcpao_mkt *const *mkt, int n, int j, u8 rnext);
bool tcpao_lx_icmp_accepted(struct tcpao_net *tn, struct tcpao_lx *lx,
			    struct sk_buff *skb, u8 family, u8 type);

#endif /* _TCPAO_LXSTATE_H */
