// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers both hooks use: parse a segment where it lies, compute its MAC,
 * derive a traffic key for a flow, find what protects a new connection,
 * and account for a dropped segment.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "datapath.h"
#include "events.h"

static void tcpao_flow_set_addrs(struct tcpao_pkt *p, const void *saddr,
				 const void *daddr, unsigned int len)
{
	memcpy(p->out ? &p->flow.laddr : &p->flow.raddr, saddr, len);
	memcpy(p->out ? &p->flow.raddr : &p->flow.laddr, daddr, len);
}

/**
 * tcpao_pkt_parse - find the TCP segment in @skb and what TCP-AO needs of it
 * @skb: packet, skb->data at or before the IP header
 * @family: AF_INET or AF_INET6
 * @out: output (local is the source) or input (local is the destination)
 * @l3index: VRF of the packet
 * @p: result
 *
 * Returns 0 for a TCP segment (check @p->bad_opts), or TCPAO_PKT_*.  Pulls
 * the TCP header with its options into the linear part.
 */
int tcpao_pkt_parse(struct sk_buff *skb, u8 family, bool out, int l3index,
		    struct tcpao_pkt *p)
{
	unsigned int nhoff = skb_network_offset(skb);
	const struct tcphdr *th;

	memset(p, 0, sizeof(*p));
	p->out = out;
	p->nhoff = nhoff;
	p->flow.family = family;
	p->flow.l3index = l3index;

	if (family == AF_INET) {
		const struct iphdr *iph;
		unsigned int ihl, tot;

		if (!pskb_may_pull(skb, nhoff + sizeof(*iph)))
			return TCPAO_PKT_OTHER;
		iph = (const struct iphdr *)(skb->data + nhoff);
		if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
			return TCPAO_PKT_OTHER;
		ihl = iph->ihl * 4;
		tot = ntohs(iph->tot_len);
		if (ihl < sizeof(*iph) || tot < ihl || tot > skb->len - nhoff)
			return TCPAO_PKT_OTHER;
		p->thoff = nhoff + ihl;
		p->tcplen = tot - ihl;
		tcpao_flow_set_addrs(p, &iph->saddr, &iph->daddr, 4);
	} else {
		const struct ipv6hdr *ip6h;
		unsigned int plen, end;
		__be16 frag_off;
		u8 nexthdr;
		int off;

		if (!pskb_may_pull(skb, nhoff + sizeof(*ip6h)))
			return TCPAO_PKT_OTHER;
		ip6h = (const struct ipv6hdr *)(skb->data + nhoff);
		nexthdr = ip6h->nexthdr;
		plen = ntohs(ip6h->payload_len);
		end = nhoff + sizeof(*ip6h) + plen;
		if (!plen || end > skb->len)
			return TCPAO_PKT_OTHER;
		off = ipv6_skip_exthdr(skb, nhoff + sizeof(*ip6h), &nexthdr,
				       &frag_off);
		if (off < 0 || nexthdr != IPPROTO_TCP || off > end)
			return TCPAO_PKT_OTHER;
		ip6h = (const struct ipv6hdr *)(skb->data + nhoff);
		tcpao_flow_set_addrs(p, &ip6h->saddr, &ip6h->daddr, 16);
		p->thoff = off;
		p->tcplen = end - off;
		if (frag_off) {
			/* Only the first fragment has the TCP header; it is
			 * judged before reassembly, on its ports alone.
			 */
			if (frag_off & htons(IP6_OFFSET) ||
			    !pskb_may_pull(skb, off + 4))
				return TCPAO_PKT_OTHER;
			th = (const struct tcphdr *)(skb->data + off);
			p->flow.lport = out ? th->source : th->dest;
			p->flow.rport = out ? th->dest : th->source;
			return TCPAO_PKT_FRAG;
		}
	}

	/* A header TCP itself would drop; nothing for us to check. */
	if (p->tcplen < sizeof(*th) ||
	    !pskb_may_pull(skb, p->thoff + sizeof(*th)))
		return TCPAO_PKT_OTHER;
	th = (const struct tcphdr *)(skb->data + p->thoff);
	p->flow.lport = out ? th->source : th->dest;
	p->flow.rport = out ? th->dest : th->source;
	p->flags = tcp_flag_byte(th);
	p->seq = ntohl(th->seq);
	p->ack = ntohl(th->ack_seq);
	p->thlen = th->doff * 4;

	/* A data offset that lies: below the fixed header or beyond the
	 * segment.  Malformed, but only ours to drop if the flow is.
	 */
	if (p->thlen < sizeof(*th) || p->thlen > p->tcplen ||
	    !pskb_may_pull(skb, p->thoff + p->thlen)) {
		p->thlen = sizeof(*th);
		p->bad_opts = true;
		p->opts.ao = -1;
		return 0;
	}
	p->bad_opts = tcpao_opts_parse(tcpao_opt_ptr(skb, p),
				       p->thlen - sizeof(*th), &p->opts) != 0;
	return 0;
}

/* Source and destination as on the wire, for the pseudo-header. */
void tcpao_pkt_addrs(const struct sk_buff *skb, const struct tcpao_pkt *p,
		     const void **saddr, const void **daddr)
{
	if (p->flow.family == AF_INET) {
		const struct iphdr *iph = (void *)(skb->data + p->nhoff);

		*saddr = &iph->saddr;
		*daddr = &iph->daddr;
	} else {
		const struct ipv6hdr *ip6h = (void *)(skb->data + p->nhoff);

		*saddr = &ip6h->saddr;
		*daddr = &ip6h->daddr;
	}
}

int tcpao_pkt_mac(const struct tcpao_algo *alg, const struct tcpao_prf_key *tk,
		  const struct sk_buff *skb, const struct tcpao_pkt *p,
		  u32 sne, bool exclude_opts, u8 *mac)
{
	struct tcpao_seg seg = {
		.family = p->flow.family,
		.sne = sne,
		.skb = skb,
		.thoff = p->thoff,
		.thlen = p->thlen,
		.tcplen = p->tcplen,
		.ao_off = sizeof(struct tcphdr) + p->opts.ao,
		.exclude_opts = exclude_opts,
	};

	tcpao_pkt_addrs(skb, p, &seg.saddr, &seg.daddr);
	return tcpao_mac(alg, tk, &seg, mac);
}

static int tcpao_derive(u8 family, const union tcpao_addr *laddr,
			const union tcpao_addr *raddr, __be16 lport,
			__be16 rport, const struct tcpao_mkt *mkt, bool send,
			__be32 sisn, __be32 disn, struct tcpao_prf_key *out)
{
	if (family == AF_INET) {
		struct tcpao_ctx4 ctx = {
			.saddr = send ? laddr->a4 : raddr->a4,
			.daddr = send ? raddr->a4 : laddr->a4,
			.sport = send ? lport : rport,
			.dport = send ? rport : lport,
			.sisn = sisn,
			.disn = disn,
		};

		return tcpao_kdf_prepare(mkt->alg, &mkt->kdf, &ctx,
					 sizeof(ctx), out);
	} else {
		struct tcpao_ctx6 ctx = {
			.saddr = send ? laddr->a6 : raddr->a6,
			.daddr = send ? raddr->a6 : laddr->a6,
			.sport = send ? lport : rport,
			.dport = send ? rport : lport,
			.sisn = sisn,
			.disn = disn,
		};

		return tcpao_kdf_prepare(mkt->alg, &mkt->kdf, &ctx,
					 sizeof(ctx), out);
	}
}

/**
 * tcpao_flow_derive - a traffic key of RFC 5925 section 5.2
 * @send: the context runs from local to remote (Send_*), else Receive_*
 * @sisn: ISN of the context's source (network order)
 * @disn: ISN of its destination, 0 for the SYN keys
 */
int tcpao_flow_derive(const struct tcpao_flow *f, const struct tcpao_mkt *mkt,
		      bool send, __be32 sisn, __be32 disn,
		      struct tcpao_prf_key *out)
{
	return tcpao_derive(f->family, &f->laddr, &f->raddr, f->lport,
			    f->rport, mkt, send, sisn, disn, out);
}

int tcpao_conn_derive(const struct tcpao_conn *c, const struct tcpao_mkt *mkt,
		      bool send, __be32 sisn, __be32 disn,
		      struct tcpao_prf_key *out)
{
	const struct tcpao_conn_key *k = &c->key;

	return tcpao_derive(k->family, &k->laddr, &k->raddr, k->lport,
			    k->rport, mkt, send, sisn, disn, out);
}

/**
 * tcpao_match_new - what protects a connection that is starting
 * @required: set when a socket binding demands TCP-AO of every peer and
 *	none of its bindings matched: the connection must not happen
 *
 * A socket binding takes precedence over peer policies: the daemon that
 * owns the socket said which keychain it wants for this peer.
 */
bool tcpao_match_new(struct tcpao_net *tn, const struct sk_buff *skb,
		     const struct tcpao_flow *f, struct tcpao_match *m,
		     bool out, bool *required)
{
	*required = false;
	if (out) {
		struct sock *sk = skb ? skb->sk : NULL;

		if (sk && sk_fullsock(sk) && READ_ONCE(tn->n_bindings) &&
		    tcpao_sock_lookup(tn, sk, f, m, required))
			return true;
	} else if (READ_ONCE(tn->n_bindings) &&
		   tcpao_listener_lookup(tn, skb, f, m, required)) {
		return true;
	}
	if (*required)
		return false;
	return tcpao_peer_lookup(tn, f, m);
}

static u8 tcpao_stat_cause(int stat)
{
	switch (stat) {
	case TCPAO_STATS_A_BAD_MAC:
		return TCPAO_DROP_BAD_MAC;
	case TCPAO_STATS_A_KEY_NOT_FOUND:
		return TCPAO_DROP_KEY_NOT_FOUND;
	case TCPAO_STATS_A_AO_REQUIRED:
		return TCPAO_DROP_AO_REQUIRED;
	case TCPAO_STATS_A_MALFORMED:
		return TCPAO_DROP_MALFORMED;
	case TCPAO_STATS_A_KEY_EXPIRED:
		return TCPAO_DROP_KEY_EXPIRED;
	case TCPAO_STATS_A_KEY_NOT_VALID:
		return TCPAO_DROP_KEY_NOT_VALID;
	case TCPAO_STATS_A_MD5_CONFLICT:
		return TCPAO_DROP_MD5_CONFLICT;
	case TCPAO_STATS_A_NO_SEND_KEY:
		return TCPAO_DROP_NO_SEND_KEY;
	default:
		return TCPAO_DROP_NO_STATE;
	}
}

/*
 * Count a dropped segment, and tell the monitor (rate-limited), with the
 * likely cause when it was diagnosed (@diag, enum tcpao_diag).
 */
void tcpao_drop_event_diag(struct tcpao_net *tn, struct tcpao_conn *c,
			   const struct tcpao_flow *f, int stat, int keyid,
			   u8 diag)
{
	tcpao_stat_inc(tn, stat);
	if (c)
		atomic64_inc(&c->pkts_bad);
	tcpao_event_fail(tn, c, f, tcpao_stat_cause(stat), keyid, diag);
}

void tcpao_drop_event(struct tcpao_net *tn, struct tcpao_conn *c,
		      const struct tcpao_flow *f, int stat, int keyid)
{
	tcpao_drop_event_diag(tn, c, f, stat, keyid, TCPAO_DIAG_NONE);
}
