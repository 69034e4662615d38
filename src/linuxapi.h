/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux's TCP-AO socket API on tcpao (linuxapi.c): what the socket options,
 * connections and the datapath call.
 */
#ifndef _TCPAO_LINUXAPI_H
#define _TCPAO_LINUXAPI_H

#include <linux/sockptr.h>

#include "tcpao.h"

struct tcpao_conn;
struct tcpao_ckeys;

int tcpao_lx_setsockopt(struct sock *sk, int optname, sockptr_t arg,
			unsigned int len);
int tcpao_lx_getsockopt(struct sock *sk, int optname, void __user *user,
			int *len);

void tcpao_lx_hold(struct tcpao_lx *lx);
void tcpao_lx_put(struct tcpao_lx *lx);
bool tcpao_lx_required(const struct tcpao_lx *lx);

/* A connection of a socket with Linux TCP-AO state starts (conn.c). */
int tcpao_lx_conn_init(struct tcpao_conn *c, const struct tcpao_match *m,
		       bool passive);
/* A listener's connection: Current_key and RNext_key from the SYN. */
void tcpao_lx_syn(struct tcpao_conn *c, u8 keyid, u8 rnext);

/* Datapath, RCU. */
int tcpao_lx_send_key(const struct tcpao_conn *c,
		      const struct tcpao_ckeys *ck, u8 *rnext);
void tcpao_lx_seen(struct tcpao_net *tn, struct tcpao_lx *lx,
		   struct tcpao_mkt *mkt, int stat);
void tcpao_lx_verified(struct tcpao_net *tn, struct tcpao_conn *c,
		       const struct tcpao_ckeys *ck, int j, u8 rnext);
bool tcpao_lx_icmp_accepted(struct tcpao_net *tn, struct tcpao_conn *c);

#endif /* _TCPAO_LINUXAPI_H */
