// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers both hooks use: parse a segment where it lies, compute its MAC,
 * find what protects a new connection, and account for a dropped segment.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "datapath.h"
#include "events.h"
#include "lxstate.h"

#if IS_ENABLED(CONFIG_KUNIT)
/* KUnit: pulls of this skb beyond its linear part fail (tcpao_may_pull()). */
const struct sk_buff *tcpao_kunit_nomem_skb;
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_kunit_nomem_skb);
#endif

static void tcpao_flow_set_addrs(struct tcpao_pkt *p, const void *saddr,
				 const void *daddr, unsigned int len)
{
	memcpy(p->out ? &p->flow.laddr : &p->flow.raddr, saddr, len);
	memcpy(p->out ? &p->flow.raddr : &p->flow.laddr, daddr, len);
}

/*
 * A fragment of a TCP segment.  Only the first has the TCP header; the
 * others cannot make a segment without it.  Its ports say which flow it
 * would join; one too short to show them is malformed (RFC 8200 4.5: a
 * first fragment carries every header through the upper-layer one).
 */
static int tcpao_pkt_frag(const struct sk_buff *skb, struct tcpao_pkt *p,
			  __be16 offset)
{
	__be16 _ports[2];
	const __be16 *ports;

	if (offset)
		return TCPAO_PKT_OTHER;
	ports = p->tcplen < sizeof(_ports) ? NULL :
		skb_header_pointer(skb, p->thoff, sizeof(_ports), _ports);
	if (!ports)
		return TCPAO_PKT_BAD_HDR;
	p->flow.lport = p->out ? ports[0] : ports[1];
	p->flow.rport = p->out ? ports[1] : ports[0];
	return TCPAO_PKT_FRAG;
}

/*
 * A TCP segment whose header could not be pulled into the linear part:
 * the lengths were checked, so only memory was lacking.  Its ports (read
 * without pulling) say whose it is; the hooks drop it if that flow is
 * protected, for it cannot be checked or signed.
 */
static int tcpao_pkt_nomem(const struct sk_buff *skb, struct tcpao_pkt *p)
{
	__be16 _ports[2];
	const __be16 *ports;

	ports = skb_header_pointer(skb, p->thoff, sizeof(_ports), _ports);
	if (!ports)
		return TCPAO_PKT_OTHER;
	p->flow.lport = p->out ? ports[0] : ports[1];
	p->flow.rport = p->out ? ports[1] : ports[0];
	return TCPAO_PKT_NOMEM;
}

/*
 * The extension headers of an IPv6 packet end before its upper-layer
 * header: is it a first fragment, whose rest may complete the chain?
 */
static bool tcpao_v6_first_frag(const struct sk_buff *skb, unsigned int off,
				u8 nexthdr)
{
	struct ipv6_opt_hdr _h;
	const struct ipv6_opt_hdr *h;
	struct frag_hdr _fh;
	const struct frag_hdr *fh;

	while (ipv6_ext_hdr(nexthdr) && nexthdr != NEXTHDR_NONE) {
		if (nexthdr == NEXTHDR_FRAGMENT) {
			fh = skb_header_pointer(skb, off, sizeof(_fh), &_fh);
			return fh && !(fh->frag_off & htons(IP6_OFFSET)) &&
			       fh->frag_off & htons(IP6_MF);
		}
		h = skb_header_pointer(skb, off, sizeof(_h), &_h);
		if (!h)
			return false;
		off += nexthdr == NEXTHDR_AUTH ? ipv6_authlen(h) :
						 ipv6_optlen(h);
		nexthdr = h->nexthdr;
	}
	return false;
}

/**
 * tcpao_pkt_parse - find the TCP segment in @skb and what TCP-AO needs of it
 * @skb: packet, skb->data at or before the IP header
 * @family: AF_INET or AF_INET6
 * @out: output (local is the source) or input (local is the destination)
 * @l3index: VRF of the packet
 * @p: result
 *
 * Returns 0 for a TCP segment (check @p->bad_opts), or TCPAO_PKT_*: for
 * TCPAO_PKT_FRAG and TCPAO_PKT_NOMEM, @p->flow is the segment's flow.
 * Pulls the IP and TCP headers with the options into the linear part.
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

	/* The IP header is read in place, not pulled: a pull can fail, and
	 * where it did, the segment's ports must still be found.
	 */
	if (family == AF_INET) {
		const struct iphdr *iph;
		struct iphdr _iph;
		unsigned int ihl, tot;

		iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
		if (!iph || iph->protocol != IPPROTO_TCP)
			return TCPAO_PKT_OTHER;
		ihl = iph->ihl * 4;
		tot = ntohs(iph->tot_len);
		if (ihl < sizeof(*iph) || tot < ihl || tot > skb->len - nhoff)
			return TCPAO_PKT_OTHER;
		p->thoff = nhoff + ihl;
		p->tcplen = tot - ihl;
		tcpao_flow_set_addrs(p, &iph->saddr, &iph->daddr, 4);
		if (ip_is_fragment(iph))
			return tcpao_pkt_frag(skb, p,
					      iph->frag_off & htons(IP_OFFSET));
	} else {
		const struct ipv6hdr *ip6h;
		struct ipv6hdr _ip6h;
		unsigned int plen, end;
		__be16 frag_off;
		u8 nexthdr;
		int off;

		ip6h = skb_header_pointer(skb, nhoff, sizeof(_ip6h), &_ip6h);
		if (!ip6h || skb->len < nhoff + sizeof(*ip6h))
			return TCPAO_PKT_OTHER;
		nexthdr = ip6h->nexthdr;
		plen = ntohs(ip6h->payload_len);
		/* 0: a jumbogram (RFC 2675) or a BIG TCP packet, which the
		 * stack trimmed to its real length; TCP goes by skb->len.
		 */
		if (!plen)
			plen = skb->len - nhoff - sizeof(*ip6h);
		end = nhoff + sizeof(*ip6h) + plen;
		if (end > skb->len)
			return TCPAO_PKT_OTHER;
		tcpao_flow_set_addrs(p, &ip6h->saddr, &ip6h->daddr, 16);
		off = ipv6_skip_exthdr(skb, nhoff + sizeof(*ip6h), &nexthdr,
				       &frag_off);
		if (off < 0)
			return tcpao_v6_first_frag(skb, nhoff + sizeof(*ip6h),
						   ip6h->nexthdr) ?
			       TCPAO_PKT_BAD_HDR : TCPAO_PKT_OTHER;
		if (nexthdr != IPPROTO_TCP || off > end)
			return TCPAO_PKT_OTHER;
		p->thoff = off;
		p->tcplen = end - off;
		/* An atomic fragment (offset 0, no more fragments; RFC 6946)
		 * is a whole segment, whatever its reserved bits say.
		 */
		if (frag_off & htons(IP6_OFFSET | IP6_MF))
			return tcpao_pkt_frag(skb, p,
					      frag_off & htons(IP6_OFFSET));
	}

	/* A header TCP itself would drop; nothing for us to check. */
	if (p->tcplen < sizeof(*th))
		return TCPAO_PKT_OTHER;
	if (!tcpao_may_pull(skb, p->thoff + sizeof(*th)))
		return tcpao_pkt_nomem(skb, p);
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
	if (p->thlen < sizeof(*th) || p->thlen > p->tcplen) {
		p->thlen = sizeof(*th);
		p->bad_opts = true;
		p->opts.ao = -1;
		return 0;
	}
	if (!tcpao_may_pull(skb, p->thoff + p->thlen))
		return tcpao_pkt_nomem(skb, p);
	p->bad_opts = tcpao_opts_parse(tcpao_opt_ptr(skb, p),
				       p->thlen - sizeof(*th), &p->opts) != 0;
	return 0;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_pkt_parse);

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
	m->lx = NULL;
	if (out) {
		struct sock *sk = skb ? skb->sk : NULL;

		if (sk && sk_fullsock(sk) && READ_ONCE(tn->n_bindings) &&
		    tcpao_sock_lookup(tn, sk, f, m, required))
			return true;
	} else if (READ_ONCE(tn->n_bindings) &&
		   tcpao_listener_lookup(tn, skb, f, m, required)) {
		return true;
	}
	/* A socket with Linux TCP-AO state is never a policy's. */
	if (*required || m->lx)
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
			   u8 diag, time64_t start)
{
	tcpao_stat_inc(tn, stat);
	if (c)
		atomic64_inc(&c->pkts_bad);
	if (c && c->lx)
		tcpao_lx_seen(tn, c->lx, NULL, stat);
	tcpao_event_fail(tn, c, f, tcpao_stat_cause(stat), keyid, diag,
			 start);
}

void tcpao_drop_event(struct tcpao_net *tn, struct tcpao_conn *c,
		      const struct tcpao_flow *f, int stat, int keyid)
{
	tcpao_drop_event_diag(tn, c, f, stat, keyid, TCPAO_DIAG_NONE, 0);
}
