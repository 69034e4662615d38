/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key selection, pure functions over an array of key versions sorted by
 * start time (a keyset's or a connection's).  They return an index or -1.
 * The datapath, netlink, the KUnit suite and the userspace fuzzer
 * (tests/fuzz) share them; they read only the start time and the IDs of a
 * struct tcpao_mkt.
 */
#ifndef _TCPAO_KEYSEL_H
#define _TCPAO_KEYSEL_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "uspace.h"
#endif
#include <linux/tcpao.h>

struct tcpao_mkt;

enum tcpao_key_state tcpao_key_state(struct tcpao_mkt *const *mkt, int n,
				     int i, time64_t now, u32 tolerance);
int tcpao_active_idx(struct tcpao_mkt *const *mkt, int n, time64_t now);
int tcpao_next_idx(struct tcpao_mkt *const *mkt, int n, time64_t now);
int tcpao_select_tx(struct tcpao_mkt *const *mkt, int n, time64_t now,
		    u32 tolerance, int peer_rnext);
int tcpao_find_recv(struct tcpao_mkt *const *mkt, int n, u8 keyid);

#endif /* _TCPAO_KEYSEL_H */
