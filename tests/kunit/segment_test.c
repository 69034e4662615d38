// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of how the hooks read a packet (src/segment.c) and what they
 * do with one they cannot read whole: IP fragments, IPv6 jumbograms, and
 * segments whose headers cannot be pulled for want of memory (which KUnit
 * builds simulate for one skb: tcpao_kunit_nomem_skb).  A segment of a
 * protected flow that cannot be checked must be dropped and counted, never
 * passed on.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "datapath.h"
#include "peer.h"

#define SPORT	40000
#define DPORT	179

static const struct in6_addr a6_peer = {
	.s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } };
static const struct in6_addr a6_local = {
	.s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };
#define A4_PEER		htonl(0xc0000202)	/* 192.0.2.2 */
#define A4_LOCAL	htonl(0xc0000201)

/* A SYN's TCP header with 20 bytes of options (MSS, NOPs, SACK-perm). */
static unsigned int put_syn(u8 *b, u16 dport)
{
	struct tcphdr *th = (struct tcphdr *)b;

	memset(b, 0, 40);
	th->source = htons(SPORT);
	th->dest = htons(dport);
	th->seq = htonl(12345);
	th->doff = 10;
	th->syn = 1;
	th->window = htons(64240);
	b[20] = 2;	/* MSS 1460 */
	b[21] = 4;
	b[22] = 0x05;
	b[23] = 0xb4;
	memset(b + 24, 1, 14);
	b[38] = 4;	/* SACK permitted */
	b[39] = 2;
	return 40;
}

/*
 * An skb holding @len bytes of @pkt (from the IP header on) of which the
 * first @linear are in the linear part and the rest in a page fragment,
 * as a driver with header split would give them.
 */
static struct sk_buff *mk_skb(struct kunit *test, const u8 *pkt,
			      unsigned int len, unsigned int linear,
			      __be16 proto)
{
	struct sk_buff *skb = alloc_skb(linear + 64, GFP_KERNEL);
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_put_data(skb, pkt, linear);
	if (len > linear) {
		KUNIT_ASSERT_LE(test, len - linear, (unsigned int)PAGE_SIZE);
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), pkt + linear, len - linear);
		skb_add_rx_frag(skb, 0, page, 0, len - linear, PAGE_SIZE);
	}
	skb_reset_network_header(skb);
	skb->protocol = proto;
	return skb;
}

static unsigned int put_v4(u8 *b, unsigned int l4len, __be16 frag_off)
{
	struct iphdr *iph = (struct iphdr *)b;

	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->tot_len = htons(sizeof(*iph) + l4len);
	iph->frag_off = frag_off;
	iph->saddr = A4_PEER;
	iph->daddr = A4_LOCAL;
	iph->check = ip_fast_csum(iph, iph->ihl);
	return sizeof(*iph);
}

static unsigned int put_v6(u8 *b, u8 nexthdr, unsigned int plen)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)b;

	memset(ip6h, 0, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->nexthdr = nexthdr;
	ip6h->hop_limit = 64;
	ip6h->payload_len = htons(plen);
	ip6h->saddr = a6_peer;
	ip6h->daddr = a6_local;
	return sizeof(*ip6h);
}

static unsigned int put_frag(u8 *b, u16 offset, bool more, u16 reserved)
{
	struct frag_hdr *fh = (struct frag_hdr *)b;

	fh->nexthdr = IPPROTO_TCP;
	fh->reserved = 0;
	fh->frag_off = htons(offset << 3 | reserved << 1 | more);
	fh->identification = htonl(0x5925);
	return sizeof(*fh);
}

static int parse(struct kunit *test, struct sk_buff *skb, u8 family,
		 struct tcpao_pkt *p)
{
	int r = tcpao_pkt_parse(skb, family, false, 0, p);

	kfree_skb(skb);
	return r;
}

static void expect_flow(struct kunit *test, const struct tcpao_pkt *p)
{
	KUNIT_EXPECT_EQ(test, ntohs(p->flow.lport), DPORT);
	KUNIT_EXPECT_EQ(test, ntohs(p->flow.rport), SPORT);
}

static void parse_whole(struct kunit *test)
{
	u8 pkt[100];
	struct tcpao_pkt p;
	unsigned int n;

	n = put_v4(pkt, 40, 0);
	n += put_syn(pkt + n, DPORT);
	KUNIT_EXPECT_EQ(test, 0, parse(test, mk_skb(test, pkt, n, n,
						    htons(ETH_P_IP)),
				       AF_INET, &p));
	expect_flow(test, &p);
	KUNIT_EXPECT_FALSE(test, p.bad_opts);
	KUNIT_EXPECT_EQ(test, p.opts.mss, 0);

	n = put_v6(pkt, IPPROTO_TCP, 40);
	n += put_syn(pkt + n, DPORT);
	KUNIT_EXPECT_EQ(test, 0, parse(test, mk_skb(test, pkt, n, n,
						    htons(ETH_P_IPV6)),
				       AF_INET6, &p));
	expect_flow(test, &p);
	KUNIT_EXPECT_EQ(test, p.tcplen, 40);
}

/* Fragments: only a first one names its flow; none is a segment. */
static void parse_fragments(struct kunit *test)
{
	u8 pkt[120], syn[40];
	struct tcpao_pkt p;
	unsigned int n;

	put_syn(syn, DPORT);

	/* IPv6 first fragment, 24 bytes of TCP. */
	n = put_v6(pkt, NEXTHDR_FRAGMENT, 8 + 24);
	n += put_frag(pkt + n, 0, true, 0);
	memcpy(pkt + n, syn, 24);
	n += 24;
	KUNIT_EXPECT_EQ(test, TCPAO_PKT_FRAG,
			parse(test, mk_skb(test, pkt, n, n, htons(ETH_P_IPV6)),
			      AF_INET6, &p));
	expect_flow(test, &p);

	/* Its second half: no TCP header, nothing to judge. */
	n = put_v6(pkt, NEXTHDR_FRAGMENT, 8 + 16);
	n += put_frag(pkt + n, 3, false, 0);
	memcpy(pkt + n, syn + 24, 16);
	n += 16;
	KUNIT_EXPECT_EQ(test, TCPAO_PKT_OTHER,
			parse(test, mk_skb(test, pkt, n, n, htons(ETH_P_IPV6)),
			      AF_INET6, &p));

	/* A first fragment that does not even hold the ports. */
	n = put_v6(pkt, NEXTHDR_FRAGMENT, 8 + 2);
	n += put_frag(pkt + n, 0, true, 0);
	memcpy(pkt + n, syn, 2);
	n += 2;
	KUNIT_EXPECT_EQ(test, TCPAO_PKT_BAD_HDR,
			parse(test, mk_skb(test, pkt, n, n, htons(ETH_P_IPV6)),
			      AF_INET6, &p));

	/* An atomic fragment with its reserved bits set is a whole SYN. */
	n = put_v6(pkt, NEXTHDR_FRAGMENT, 8 + 40);
	n += put_frag(pkt + n, 0, false, 3);
	memcpy(pkt + n, syn, 40);
	n += 40;
	KUNIT_EXPECT_EQ(test, 0,
			parse(test, mk_skb(test, pkt, n, n, htons(ETH_P_IPV6)),
			      AF_INET6, &p));
	expect_flow(test, &p);
	KUNIT_EXPECT_EQ(test, p.flags, TCPHDR_SYN);

	/* IPv4 first fragment (reassembled before LOCAL_IN, but still). */
	n = put_v4(pkt, 24, htons(IP_MF));
	memcpy(pkt + n, syn, 24);
	n += 24;
	KUNIT_EXPECT_EQ(test, TCPAO_PKT_FRAG,
			parse(test, mk_skb(test, pkt, n, n, htons(ETH_P_IP)),
			      AF_INET, &p));
	expect_flow(test, &p);
}

/*
 * A jumbogram (RFC 2675; and what BIG TCP GRO builds): payload length 0, the
 * real one in a hop-by-hop option.  TCP reads skb->len; so must we.
 */
static void parse_jumbo(struct kunit *test)
{
	const unsigned int data = 66000, n = 40 + 8 + 40 + data;
	struct tcpao_pkt p;
	u8 *pkt, *h;

	pkt = kunit_kzalloc(test, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	put_v6(pkt, NEXTHDR_HOP, 0);
	h = pkt + 40;
	h[0] = IPPROTO_TCP;	/* next header */
	h[1] = 0;		/* 8 bytes */
	h[2] = IPV6_TLV_JUMBO;
	h[3] = 4;
	h[4] = 0;		/* jumbo payload length, big-endian */
	h[5] = ((8 + 40 + data) >> 16) & 0xff;
	h[6] = ((8 + 40 + data) >> 8) & 0xff;
	h[7] = (8 + 40 + data) & 0xff;
	put_syn(h + 8, DPORT);
	h[8 + 13] = TCPHDR_ACK | TCPHDR_PSH;

	KUNIT_EXPECT_EQ(test, 0, parse(test, mk_skb(test, pkt, n, n,
						    htons(ETH_P_IPV6)),
				       AF_INET6, &p));
	expect_flow(test, &p);
	KUNIT_EXPECT_EQ(test, p.tcplen, 40 + data);
	KUNIT_EXPECT_EQ(test, p.thlen, 40);
}

/*
 * No memory to pull the TCP header, or its options, into the linear part:
 * the segment cannot be checked; its ports still say whose it is.
 */
static void parse_nomem(struct kunit *test)
{
	static const unsigned int linear[] = { 20, 40 };	/* past IP, TCP */
	u8 pkt[100];
	struct sk_buff *skb;
	struct tcpao_pkt p;
	unsigned int n, i;

	for (i = 0; i < ARRAY_SIZE(linear); i++) {
		n = put_v4(pkt, 40, 0);
		n += put_syn(pkt + n, DPORT);
		skb = mk_skb(test, pkt, n, linear[i], htons(ETH_P_IP));
		WRITE_ONCE(tcpao_kunit_nomem_skb, skb);
		KUNIT_EXPECT_EQ_MSG(test, TCPAO_PKT_NOMEM,
				    parse(test, skb, AF_INET, &p),
				    "IPv4, %u bytes linear", linear[i]);
		expect_flow(test, &p);

		n = put_v6(pkt, IPPROTO_TCP, 40);
		n += put_syn(pkt + n, DPORT);
		skb = mk_skb(test, pkt, n, linear[i] + 20, htons(ETH_P_IPV6));
		WRITE_ONCE(tcpao_kunit_nomem_skb, skb);
		KUNIT_EXPECT_EQ_MSG(test, TCPAO_PKT_NOMEM,
				    parse(test, skb, AF_INET6, &p),
				    "IPv6, %u bytes linear", linear[i] + 20);
		expect_flow(test, &p);
	}
	WRITE_ONCE(tcpao_kunit_nomem_skb, NULL);

	/* With memory, the same nonlinear packet parses. */
	n = put_v6(pkt, IPPROTO_TCP, 40);
	n += put_syn(pkt + n, DPORT);
	KUNIT_EXPECT_EQ(test, 0, parse(test, mk_skb(test, pkt, n, 40,
						    htons(ETH_P_IPV6)),
				       AF_INET6, &p));
	KUNIT_EXPECT_FALSE(test, p.bad_opts);
}

/* ---- the hooks, in the initial namespace, with a peer policy ---- */

static int hook_init(struct kunit *test)
{
	struct tcpao_net *tn = tcpao_pernet(&init_net);
	struct tcpao_peer_cfg cfg = {
		.family = AF_INET6,
		.plen = 128,
		.port = DPORT,
		.addr.a6 = a6_peer,
		.keychain = "kunit",
	};
	int err;

	mutex_lock(&tn->lock);
	err = tcpao_keychain_new(tn, "kunit", NULL, NULL);
	if (!err)
		err = tcpao_peer_new(tn, &cfg, false, NULL);
	mutex_unlock(&tn->lock);
	return err;
}

static void hook_exit(struct kunit *test)
{
	struct tcpao_net *tn = tcpao_pernet(&init_net);

	WRITE_ONCE(tcpao_kunit_nomem_skb, NULL);
	mutex_lock(&tn->lock);
	tcpao_peers_flush(tn);
	tcpao_keychain_del(tn, "kunit", NULL);
	tcpao_hooks_update(tn);
	mutex_unlock(&tn->lock);
}

static u64 hook_stat(int idx)
{
	struct tcpao_stats s;

	tcpao_stats_read(tcpao_pernet(&init_net), &s);
	return s.c[idx];
}

/* One SYN to @dport through the input (or output) hook, unpullable. */
static unsigned int hook_nomem(struct kunit *test, u16 dport, bool out)
{
	struct nf_hook_state state = {
		.hook = out ? NF_INET_POST_ROUTING : NF_INET_LOCAL_IN,
		.pf = NFPROTO_IPV6,
		.net = &init_net,
	};
	struct sk_buff *skb;
	unsigned int v;
	u8 pkt[100];
	unsigned int n;

	n = put_v6(pkt, IPPROTO_TCP, 40);
	if (out) {
		/* Leaving: local is the source. */
		swap(((struct ipv6hdr *)pkt)->saddr,
		     ((struct ipv6hdr *)pkt)->daddr);
		n += put_syn(pkt + n, dport);
		swap(((struct tcphdr *)(pkt + 40))->source,
		     ((struct tcphdr *)(pkt + 40))->dest);
	} else {
		n += put_syn(pkt + n, dport);
	}
	skb = mk_skb(test, pkt, n, 40, htons(ETH_P_IPV6));
	WRITE_ONCE(tcpao_kunit_nomem_skb, skb);
	rcu_read_lock();
	v = out ? tcpao_nf_out(NULL, skb, &state) :
		  tcpao_nf_in(NULL, skb, &state);
	rcu_read_unlock();
	WRITE_ONCE(tcpao_kunit_nomem_skb, NULL);
	kfree_skb(skb);
	return v;
}

static void hook_in_nomem(struct kunit *test)
{
	u64 before = hook_stat(TCPAO_STATS_A_RX_ERROR);

	KUNIT_EXPECT_EQ_MSG(test, NF_DROP, hook_nomem(test, DPORT, false),
			    "a protected peer's SYN that cannot be read");
	KUNIT_EXPECT_EQ(test, before + 1, hook_stat(TCPAO_STATS_A_RX_ERROR));
	KUNIT_EXPECT_EQ_MSG(test, NF_ACCEPT, hook_nomem(test, 180, false),
			    "the same to a port no policy names: TCP's");
	KUNIT_EXPECT_EQ(test, before + 1, hook_stat(TCPAO_STATS_A_RX_ERROR));
}

static void hook_out_nomem(struct kunit *test)
{
	u64 before = hook_stat(TCPAO_STATS_A_TX_ERROR);

	KUNIT_EXPECT_EQ_MSG(test, NF_DROP, hook_nomem(test, DPORT, true),
			    "a SYN to a protected peer that cannot be signed");
	KUNIT_EXPECT_EQ(test, before + 1, hook_stat(TCPAO_STATS_A_TX_ERROR));
	KUNIT_EXPECT_EQ_MSG(test, NF_ACCEPT, hook_nomem(test, 180, true),
			    "the same to a port no policy names");
}

static struct kunit_case segment_cases[] = {
	KUNIT_CASE(parse_whole),
	KUNIT_CASE(parse_fragments),
	KUNIT_CASE(parse_jumbo),
	KUNIT_CASE(parse_nomem),
	{}
};

static struct kunit_suite segment_suite = {
	.name = "tcpao_segment",
	.test_cases = segment_cases,
};

static struct kunit_case hook_cases[] = {
	KUNIT_CASE(hook_in_nomem),
	KUNIT_CASE(hook_out_nomem),
	{}
};

static struct kunit_suite hook_suite = {
	.name = "tcpao_hook_unreadable",
	.init = hook_init,
	.exit = hook_exit,
	.test_cases = hook_cases,
};

kunit_test_suites(&segment_suite, &hook_suite);
