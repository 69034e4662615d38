/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the output and input hooks share: a parsed view of a TCP segment.
 */
#ifndef _TCPAO_DATAPATH_H
#define _TCPAO_DATAPATH_H

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>

#include "tcpao.h"
#include "option.h"
#include "conn.h"
#include "binding.h"

/* tcpao_pkt_parse() results besides 0 (a TCP segment, parsed). */
#define TCPAO_PKT_OTHER		1	/* not TCP, or not ours to look at */
#define TCPAO_PKT_BAD_HDR	2	/* a first fragment too short to say
					 * which flow it belongs to
					 */
#define TCPAO_PKT_FRAG		3	/* first fragment of a TCP segment */
#define TCPAO_PKT_NOMEM		4	/* a TCP segment that could not be
					 * pulled (no memory)
					 */

/**
 * struct tcpao_pkt - a TCP segment in a netfilter hook
 * @flow: addresses and ports, oriented local/remote
 * @nhoff: offset of the IP header from skb->data
 * @thoff: offset of the TCP header from skb->data
 * @thlen: TCP header length with options
 * @tcplen: TCP header plus payload
 * @flags: TCP flags (TCPHDR_*)
 * @seq: sequence number (host order)
 * @ack: acknowledgment number (host order)
 * @opts: parsed options (valid when !@bad_opts)
 * @bad_opts: the options are malformed
 * @out: output direction
 */
struct tcpao_pkt {
	struct tcpao_flow flow;
	unsigned int nhoff;
	unsigned int thoff;
	unsigned int thlen;
	unsigned int tcplen;
	u8 flags;
	u32 seq;
	u32 ack;
	struct tcpao_opts opts;
	bool bad_opts;
	bool out;
};

static inline struct tcphdr *tcpao_th(const struct sk_buff *skb,
				      const struct tcpao_pkt *p)
{
	return (struct tcphdr *)(skb->data + p->thoff);
}

static inline u8 *tcpao_opt_ptr(const struct sk_buff *skb,
				const struct tcpao_pkt *p)
{
	return skb->data + p->thoff + sizeof(struct tcphdr);
}

static inline bool tcpao_syn_only(const struct tcpao_pkt *p)
{
	return (p->flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN;
}

static inline bool tcpao_synack(const struct tcpao_pkt *p)
{
	return (p->flags & (TCPHDR_SYN | TCPHDR_ACK)) ==
	       (TCPHDR_SYN | TCPHDR_ACK);
}

#if IS_ENABLED(CONFIG_KUNIT)
extern const struct sk_buff *tcpao_kunit_nomem_skb;
#endif

/*
 * pskb_may_pull() of lengths the packet has: it fails only when memory
 * lacks to make them linear.  KUnit builds can make it fail for one skb.
 */
static inline bool tcpao_may_pull(struct sk_buff *skb, unsigned int len)
{
#if IS_ENABLED(CONFIG_KUNIT)
	if (unlikely(READ_ONCE(tcpao_kunit_nomem_skb) == skb) &&
	    len > skb_headlen(skb))
		return false;
#endif
	return pskb_may_pull(skb, len);
}

int tcpao_pkt_parse(struct sk_buff *skb, u8 family, bool out, int l3index,
		    struct tcpao_pkt *p);
void tcpao_pkt_addrs(const struct sk_buff *skb, const struct tcpao_pkt *p,
		     const void **saddr, const void **daddr);
int tcpao_pkt_mac(const struct tcpao_algo *alg, const struct tcpao_prf_key *tk,
		  const struct sk_buff *skb, const struct tcpao_pkt *p,
		  u32 sne, bool exclude_opts, u8 *mac);

bool tcpao_match_new(struct tcpao_net *tn, const struct sk_buff *skb,
		     const struct tcpao_flow *f, struct tcpao_match *m,
		     bool out, bool *required);

void tcpao_drop_event(struct tcpao_net *tn, struct tcpao_conn *c,
		      const struct tcpao_flow *f, int stat, int keyid);
void tcpao_drop_event_diag(struct tcpao_net *tn, struct tcpao_conn *c,
			   const struct tcpao_flow *f, int stat, int keyid,
			   u8 diag, time64_t start);

void tcpao_sk_adjust(struct tcpao_conn *c, struct sock *sk);
int tcpao_output_init(void);
void tcpao_output_exit(void);

/* The output hook's priority: last but conntrack's confirmation. */
#define TCPAO_OUT_PRIORITY	(NF_IP_PRI_LAST - 1)

/* Linux's own TCP-AO (native.c): its connections are left alone. */
#if IS_ENABLED(CONFIG_TCP_AO)
bool tcpao_native_in(struct tcpao_net *tn, const struct sk_buff *skb,
		     const struct tcpao_pkt *p);
bool tcpao_native_out(const struct sk_buff *skb, const struct tcpao_pkt *p);
#else
static inline bool tcpao_native_in(struct tcpao_net *tn,
				   const struct sk_buff *skb,
				   const struct tcpao_pkt *p)
{
	return false;
}

static inline bool tcpao_native_out(const struct sk_buff *skb,
				    const struct tcpao_pkt *p)
{
	return false;
}
#endif

unsigned int tcpao_nf_out(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);
unsigned int tcpao_nf_in(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state);

#endif /* _TCPAO_DATAPATH_H */
