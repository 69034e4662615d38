/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPAO_PEER_H
#define _TCPAO_PEER_H

#include "tcpao.h"

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
