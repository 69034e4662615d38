/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known-answer tests: the row formats of src/rfc9235_vectors.h (generated
 * by scripts/gen-vectors.py) and the helpers that the load-time self-test
 * and the KUnit suite share to turn a vector into crypto.h calls.
 */
#ifndef _TCPAO_SELFTEST_H
#define _TCPAO_SELFTEST_H

#include "crypto.h"

/* Which packet of an RFC 9235 exchange, hence which traffic key signs it. */
enum tcpao_kat_role {
	TCPAO_KAT_SEND_SYN,	/* client SYN: its Send_SYN key (peer ISN 0) */
	TCPAO_KAT_SYNACK,	/* server SYN-ACK: server's Send_Other key */
	TCPAO_KAT_SEND_OTHER,	/* client non-SYN: client's Send_Other key */
	TCPAO_KAT_RECV_OTHER,	/* server non-SYN: client's Receive_Other key */
};

/**
 * struct tcpao_kat - one RFC 9235 vector
 * @section: RFC 9235 section ("4.1.1")
 * @alg: &enum tcpao_alg
 * @role: &enum tcpao_kat_role
 * @covers_options: the MKT covers TCP options (exclude_opts = !this)
 * @client_isn: ISN of the client (the side connecting to port 179)
 * @server_isn: ISN of the server
 * @packet_len: length of @packet
 * @packet: the whole IPv4 or IPv6 packet, MAC included
 * @tkey_len: length of @tkey
 * @tkey: traffic key that computes the packet's MAC
 * @mac: the MAC (as in the packet's TCP-AO option)
 */
struct tcpao_kat {
	const char *section;
	u8 alg;
	u8 role;
	bool covers_options;
	u32 client_isn;
	u32 server_isn;
	unsigned int packet_len;
	const u8 *packet;
	unsigned int tkey_len;
	u8 tkey[TCPAO_TKEY_MAX];
	u8 mac[TCPAO_MAC_LEN];
};

/**
 * struct tcpao_kdf_kat - a KDF vector for master keys of other lengths
 * @name: short description ("cmac-mkt10")
 * @alg: &enum tcpao_alg
 * @mkt_len: length of @mkt
 * @mkt: master key
 * @cmac_key: AES-CMAC only: the normalised master key (RFC 5926 3.1.1.2)
 * @ctx_len: sizeof(struct tcpao_ctx4) or sizeof(struct tcpao_ctx6)
 * @ctx: KDF context
 * @tkey_len: length of @tkey
 * @tkey: expected KDF output
 */
struct tcpao_kdf_kat {
	const char *name;
	u8 alg;
	unsigned int mkt_len;
	const u8 *mkt;
	u8 cmac_key[16];
	unsigned int ctx_len;
	u8 ctx[sizeof(struct tcpao_ctx6)];
	unsigned int tkey_len;
	u8 tkey[TCPAO_TKEY_MAX];
};

/**
 * struct tcpao_kat_pkt - where things are in a test packet
 * @family: AF_INET or AF_INET6
 * @saddr_off: offset of the source address from the start of the packet
 * @daddr_off: offset of the destination address
 * @thoff: offset of the TCP header from the start of the packet
 * @thlen: TCP header length with options
 * @tcplen: TCP header plus payload
 * @ao_off: offset of the TCP-AO option from the start of the TCP header
 */
struct tcpao_kat_pkt {
	int family;
	unsigned int saddr_off;
	unsigned int daddr_off;
	unsigned int thoff;
	unsigned int thlen;
	unsigned int tcplen;
	unsigned int ao_off;
};

union tcpao_kat_ctx {
	struct tcpao_ctx4 v4;
	struct tcpao_ctx6 v6;
};

int tcpao_kat_parse(const u8 *pkt, unsigned int len, struct tcpao_kat_pkt *p);
unsigned int tcpao_kat_context(const struct tcpao_kat *v, const u8 *pkt,
			       const struct tcpao_kat_pkt *p,
			       union tcpao_kat_ctx *ctx);
void tcpao_kat_seg(struct tcpao_seg *seg, const struct tcpao_kat_pkt *p,
		   const struct sk_buff *skb, bool covers_options);
struct sk_buff *tcpao_kat_skb(const u8 *pkt, unsigned int len, gfp_t gfp);
const char *tcpao_kat_role_name(u8 role);

#endif /* _TCPAO_SELFTEST_H */
