/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnosis of segments that failed verification (diag.c): which common
 * misconfiguration would have made them verify.
 */
#ifndef _TCPAO_DIAG_H
#define _TCPAO_DIAG_H

#include "datapath.h"

/**
 * struct tcpao_diag_in - a failed segment and how the datapath verified it
 * @skb: the segment
 * @p: its parse
 * @mac: the MAC it carries
 * @keyid: its KeyID
 * @ctx: traffic keys can be derived (false: an entry without both ISNs)
 * @sisn: the ISNs the datapath derived its Receive_* key with
 * @disn: (network order; @disn 0 for a SYN)
 * @sne: the sequence number extension it verified with
 */
struct tcpao_diag_in {
	const struct sk_buff *skb;
	const struct tcpao_pkt *p;
	const u8 *mac;
	u8 keyid;
	bool ctx;
	__be32 sisn;
	__be32 disn;
	u32 sne;
};

u8 tcpao_diag(struct tcpao_net *tn, const struct tcpao_diag_in *in,
	      struct tcpao_mkt *const *mkt, int n, int stat, time64_t *start);
void tcpao_diag_init(struct tcpao_net *tn);
int tcpao_diag_mod_init(void);
void tcpao_diag_mod_exit(void);

#endif /* _TCPAO_DIAG_H */
