// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of src/crypto.c: the RFC 9235 vectors (traffic keys and
 * MACs, all four traffic key roles), CMAC master key normalisation, MACs
 * over fragmented skbs, what the MAC covers and what it does not, key
 * reuse, argument checks, softirq and multi-CPU use, and a micro-benchmark
 * that only reports.
 */
#include <kunit/test.h>
#include <crypto/hash.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/hrtimer.h>
#include <linux/in.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/workqueue.h>
#include <asm/unaligned.h>

#include "crypto.h"
#include "selftest.h"
#include "rfc9235_vectors.h"

#define NVEC	ARRAY_SIZE(tcpao_rfc9235_vectors)

/* Compare byte strings and show both in hex when they differ. */
#define EXPECT_BYTES(test, got, want, len, what, ...) do {		\
	const u8 *__got = (got), *__want = (want);			\
	int __len = (len);						\
									\
	KUNIT_EXPECT_TRUE_MSG(test, !memcmp(__got, __want, __len),	\
			      what ": got %*phN, expected %*phN",	\
			      ##__VA_ARGS__, __len, __got, __len,	\
			      __want);					\
} while (0)

static const struct tcpao_algo *test_alg(struct kunit *test, u8 id)
{
	const struct tcpao_algo *alg = tcpao_alg_get(id);

	KUNIT_ASSERT_NOT_NULL(test, alg);
	return alg;
}

static struct tcpao_prf_key *test_key(struct kunit *test)
{
	struct tcpao_prf_key *pk = kunit_kzalloc(test, sizeof(*pk), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pk);
	return pk;
}

/* A traffic key prepared from the vector's expected value. */
static struct tcpao_prf_key *test_tkey(struct kunit *test,
				       const struct tcpao_kat *v)
{
	struct tcpao_prf_key *tk = test_key(test);

	KUNIT_ASSERT_EQ(test, tcpao_tkey_prepare(test_alg(test, v->alg), tk,
						 v->tkey), 0);
	return tk;
}

static struct sk_buff *test_skb(struct kunit *test, const u8 *pkt,
				unsigned int len)
{
	struct sk_buff *skb = tcpao_kat_skb(pkt, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb;
}

static const struct tcpao_kat *find_vec(struct kunit *test,
					const char *section)
{
	unsigned int i;

	for (i = 0; i < NVEC; i++)
		if (!strcmp(tcpao_rfc9235_vectors[i].section, section))
			return &tcpao_rfc9235_vectors[i];
	KUNIT_FAIL(test, "no vector %s", section);
	return NULL;
}

static void kat_desc(const struct tcpao_kat *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s IPv%d %s options %s",
		 v->section, tcpao_alg_get(v->alg)->name, v->packet[0] >> 4,
		 tcpao_kat_role_name(v->role),
		 v->covers_options ? "covered" : "excluded");
}

KUNIT_ARRAY_PARAM(tcpao_rfc9235, tcpao_rfc9235_vectors, kat_desc);

static void kdf_desc(const struct tcpao_kdf_kat *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", v->name);
}

KUNIT_ARRAY_PARAM(tcpao_kdfv, tcpao_kdf_vectors, kdf_desc);

/* ---- algorithm table ---- */

static void tcpao_test_alg_table(struct kunit *test)
{
	const struct tcpao_algo *h = tcpao_alg_get(TCPAO_ALG_HMAC_SHA1_96);
	const struct tcpao_algo *c = tcpao_alg_get(TCPAO_ALG_AES_128_CMAC_96);

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_STREQ(test, h->name, "hmac-sha-1-96");
	KUNIT_EXPECT_STREQ(test, c->name, "aes-128-cmac-96");
	KUNIT_EXPECT_EQ(test, (int)h->kind, (int)TCPAO_PRF_HMAC);
	KUNIT_EXPECT_EQ(test, (int)c->kind, (int)TCPAO_PRF_CMAC);
	KUNIT_EXPECT_EQ(test, h->maclen, 12);
	KUNIT_EXPECT_EQ(test, c->maclen, 12);
	KUNIT_EXPECT_EQ(test, h->tkey_len, 20);
	KUNIT_EXPECT_EQ(test, c->tkey_len, 16);
	KUNIT_EXPECT_PTR_EQ(test, tcpao_alg_by_name("hmac-sha-1-96"), h);
	KUNIT_EXPECT_PTR_EQ(test, tcpao_alg_by_name("aes-128-cmac-96"), c);
	KUNIT_EXPECT_NULL(test, tcpao_alg_by_name("hmac-sha-1"));
	KUNIT_EXPECT_NULL(test, tcpao_alg_by_name(""));
	KUNIT_EXPECT_NULL(test, tcpao_alg_get(TCPAO_ALG_UNSPEC));
	KUNIT_EXPECT_NULL(test, tcpao_alg_get(TCPAO_ALG_MAX + 1));
}

/* ---- RFC 9235 ---- */

/* Traffic key from the MKT "testvector" and the packet's context. */
static void tcpao_test_rfc9235_kdf(struct kunit *test)
{
	const struct tcpao_kat *v = test->param_value;
	const struct tcpao_algo *alg = test_alg(test, v->alg);
	struct tcpao_prf_key *mkt = test_key(test);
	union tcpao_kat_ctx ctx;
	struct tcpao_kat_pkt p;
	u8 tk[TCPAO_TKEY_MAX];
	unsigned int ctxlen;

	KUNIT_ASSERT_EQ(test, alg->tkey_len, v->tkey_len);
	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(v->packet, v->packet_len, &p), 0);
	KUNIT_ASSERT_EQ(test, tcpao_mkt_prepare(alg, mkt, tcpao_rfc9235_mkt,
						sizeof(tcpao_rfc9235_mkt)), 0);
	ctxlen = tcpao_kat_context(v, v->packet, &p, &ctx);
	KUNIT_EXPECT_EQ(test, ctxlen, p.family == AF_INET ?
			sizeof(struct tcpao_ctx4) : sizeof(struct tcpao_ctx6));
	KUNIT_ASSERT_EQ(test, tcpao_kdf(alg, mkt, &ctx, ctxlen, tk), 0);
	EXPECT_BYTES(test, tk, v->tkey, v->tkey_len, "traffic key");
}

/* MAC of the packet as published; the MAC field in the skb must not
 * matter, and the skb must come back untouched.
 */
static void tcpao_test_rfc9235_mac(struct kunit *test)
{
	const struct tcpao_kat *v = test->param_value;
	const struct tcpao_algo *alg = test_alg(test, v->alg);
	struct tcpao_prf_key *tk = test_tkey(test, v);
	struct tcpao_prf_key *mkt = test_key(test);
	struct tcpao_prf_key *tk2 = test_key(test);
	union tcpao_kat_ctx ctx;
	struct tcpao_kat_pkt p;
	struct tcpao_seg seg;
	struct sk_buff *skb;
	u8 mac[TCPAO_MAC_LEN];
	unsigned int ctxlen;
	u8 *field;

	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(v->packet, v->packet_len, &p), 0);
	skb = test_skb(test, v->packet, v->packet_len);
	tcpao_kat_seg(&seg, &p, skb, v->covers_options);
	field = skb->data + p.thoff + p.ao_off + 4;
	KUNIT_EXPECT_EQ(test, memcmp(field, v->mac, TCPAO_MAC_LEN), 0);

	KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
	EXPECT_BYTES(test, mac, v->mac, alg->maclen, "MAC (field as sent)");
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, v->packet, v->packet_len), 0);

	memset(field, 0, TCPAO_MAC_LEN);
	memset(mac, 0, sizeof(mac));
	KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
	EXPECT_BYTES(test, mac, v->mac, alg->maclen, "MAC (field zeroed)");

	memset(field, 0xa5, TCPAO_MAC_LEN);
	memset(mac, 0, sizeof(mac));
	KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
	EXPECT_BYTES(test, mac, v->mac, alg->maclen, "MAC (field garbage)");

	/* The same through the KDF: the path the datapath takes. */
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(alg, mkt, tcpao_rfc9235_mkt,
						sizeof(tcpao_rfc9235_mkt)), 0);
	ctxlen = tcpao_kat_context(v, v->packet, &p, &ctx);
	KUNIT_EXPECT_EQ(test, tcpao_kdf_prepare(alg, mkt, &ctx, ctxlen, tk2),
			0);
	memset(mac, 0, sizeof(mac));
	KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk2, &seg, mac), 0);
	EXPECT_BYTES(test, mac, v->mac, alg->maclen, "MAC (derived key)");

	kfree_skb(skb);
}

/* One side of a connection, as RFC 5925 5.2 names things. */
struct tcpao_end {
	const u8 *addr;
	__be16 port;
	u32 isn;
};

/*
 * The context of a traffic key as an endpoint computes it: send keys from
 * its own point of view, receive keys from the peer's; SYN keys with the
 * ISN of the SYN's receiver taken as 0 (it is not known yet).
 */
static unsigned int role_ctx(int family, const struct tcpao_end *me,
			     const struct tcpao_end *peer, bool send,
			     bool syn, union tcpao_kat_ctx *ctx)
{
	const struct tcpao_end *s = send ? me : peer;
	const struct tcpao_end *d = send ? peer : me;

	if (family == AF_INET) {
		memcpy(&ctx->v4.saddr, s->addr, 4);
		memcpy(&ctx->v4.daddr, d->addr, 4);
		ctx->v4.sport = s->port;
		ctx->v4.dport = d->port;
		ctx->v4.sisn = cpu_to_be32(s->isn);
		ctx->v4.disn = cpu_to_be32(syn ? 0 : d->isn);
		return sizeof(ctx->v4);
	}
	memcpy(&ctx->v6.saddr, s->addr, 16);
	memcpy(&ctx->v6.daddr, d->addr, 16);
	ctx->v6.sport = s->port;
	ctx->v6.dport = d->port;
	ctx->v6.sisn = cpu_to_be32(s->isn);
	ctx->v6.disn = cpu_to_be32(syn ? 0 : d->isn);
	return sizeof(ctx->v6);
}

/* Derive a traffic key for a role, check it and verify a packet with it. */
static void check_role(struct kunit *test, const struct tcpao_algo *alg,
		       const struct tcpao_prf_key *mkt, int family,
		       const struct tcpao_end *me, const struct tcpao_end *peer,
		       bool send, bool syn, const struct tcpao_kat *v,
		       const char *role)
{
	struct tcpao_prf_key *tk = test_key(test);
	union tcpao_kat_ctx ctx;
	struct tcpao_kat_pkt p;
	struct tcpao_seg seg;
	struct sk_buff *skb;
	u8 key[TCPAO_TKEY_MAX];
	u8 mac[TCPAO_MAC_LEN];
	unsigned int len;

	len = role_ctx(family, me, peer, send, syn, &ctx);
	KUNIT_ASSERT_EQ(test, tcpao_kdf(alg, mkt, &ctx, len, key), 0);
	EXPECT_BYTES(test, key, v->tkey, alg->tkey_len, "%s key for %s",
		     role, v->section);

	KUNIT_ASSERT_EQ(test, tcpao_kdf_prepare(alg, mkt, &ctx, len, tk), 0);
	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(v->packet, v->packet_len, &p), 0);
	skb = test_skb(test, v->packet, v->packet_len);
	tcpao_kat_seg(&seg, &p, skb, v->covers_options);
	KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
	EXPECT_BYTES(test, mac, v->mac, alg->maclen, "%s MAC of %s", role,
		     v->section);
	kfree_skb(skb);
}

static const void *tcpao_group_gen_params(const void *prev, char *desc)
{
	const struct tcpao_kat *v = prev;

	v = v ? v + 4 : tcpao_rfc9235_vectors;
	if (v + 4 > tcpao_rfc9235_vectors + NVEC)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%.3s %s IPv%d options %s",
		 v->section, tcpao_alg_get(v->alg)->name, v->packet[0] >> 4,
		 v->covers_options ? "covered" : "excluded");
	return v;
}

/*
 * The four traffic keys of RFC 5925 5.2 for both ends of each RFC 9235
 * exchange (SYN, SYN-ACK, client data, server data), each derived the way
 * that end derives it, and each packet verified by its receiver's key.
 */
static void tcpao_test_rfc9235_roles(struct kunit *test)
{
	const struct tcpao_kat *g = test->param_value;
	const struct tcpao_kat *syn = &g[0], *synack = &g[1];
	const struct tcpao_kat *cdata = &g[2], *sdata = &g[3];
	const struct tcpao_algo *alg = test_alg(test, g->alg);
	struct tcpao_prf_key *mkt = test_key(test);
	struct tcpao_end client, server;
	struct tcpao_kat_pkt p;
	const u8 *th;
	int family;

	KUNIT_ASSERT_EQ(test, syn->role, TCPAO_KAT_SEND_SYN);
	KUNIT_ASSERT_EQ(test, synack->role, TCPAO_KAT_SYNACK);
	KUNIT_ASSERT_EQ(test, cdata->role, TCPAO_KAT_SEND_OTHER);
	KUNIT_ASSERT_EQ(test, sdata->role, TCPAO_KAT_RECV_OTHER);

	/* The endpoints, from the client's SYN. */
	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(syn->packet, syn->packet_len, &p),
			0);
	family = p.family;
	th = syn->packet + p.thoff;
	KUNIT_ASSERT_EQ(test, get_unaligned_be32(th + 4), syn->client_isn);
	client.addr = syn->packet + p.saddr_off;
	server.addr = syn->packet + p.daddr_off;
	client.port = get_unaligned((__be16 *)th);
	server.port = get_unaligned((__be16 *)(th + 2));
	KUNIT_EXPECT_EQ(test, be16_to_cpu(server.port), 179);
	client.isn = syn->client_isn;
	server.isn = syn->server_isn;

	/* The SYN-ACK carries the server's ISN and acknowledges ours. */
	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(synack->packet,
					      synack->packet_len, &p), 0);
	th = synack->packet + p.thoff;
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(th + 4), server.isn);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(th + 8), client.isn + 1);

	KUNIT_ASSERT_EQ(test, tcpao_mkt_prepare(alg, mkt, tcpao_rfc9235_mkt,
						sizeof(tcpao_rfc9235_mkt)), 0);

	/* The client's SYN: the client's Send_SYN, the server's Receive_SYN. */
	check_role(test, alg, mkt, family, &client, &server, true, true, syn,
		   "client Send_SYN");
	check_role(test, alg, mkt, family, &server, &client, false, true, syn,
		   "server Receive_SYN");
	/* The SYN-ACK is no SYN for key purposes: both ISNs are known. */
	check_role(test, alg, mkt, family, &server, &client, true, false,
		   synack, "server Send_Other");
	check_role(test, alg, mkt, family, &client, &server, false, false,
		   synack, "client Receive_Other");
	check_role(test, alg, mkt, family, &client, &server, true, false,
		   cdata, "client Send_Other");
	check_role(test, alg, mkt, family, &server, &client, false, false,
		   cdata, "server Receive_Other");
	check_role(test, alg, mkt, family, &server, &client, true, false,
		   sdata, "server Send_Other");
	check_role(test, alg, mkt, family, &client, &server, false, false,
		   sdata, "client Receive_Other");
}

/* ---- KDF for master keys of other lengths ---- */

/*
 * Expected values computed by scripts/gen-vectors.py with openssl
 * (AES-CMAC) and Python's hmac (HMAC-SHA-1); the cmac-mkt10, -mkt16 and
 * -mkt20 rows are the 10-, 16- and 20-byte CMAC normalisation cases.
 */
static void tcpao_test_kdf_vectors(struct kunit *test)
{
	const struct tcpao_kdf_kat *v = test->param_value;
	const struct tcpao_algo *alg = test_alg(test, v->alg);
	struct tcpao_prf_key *mkt = test_key(test);
	u8 tk[TCPAO_TKEY_MAX];

	KUNIT_ASSERT_EQ(test, tcpao_mkt_prepare(alg, mkt, v->mkt, v->mkt_len),
			0);
	if (alg->kind == TCPAO_PRF_CMAC)
		EXPECT_BYTES(test, mkt->cmac.key, v->cmac_key, 16,
			     "normalised %u-byte master key", v->mkt_len);
	KUNIT_ASSERT_EQ(test, tcpao_kdf(alg, mkt, v->ctx, v->ctx_len, tk), 0);
	EXPECT_BYTES(test, tk, v->tkey, v->tkey_len, "traffic key");
}

/* ---- skbs with page frags and frag_list ---- */

#define REST	UINT_MAX
#define SHAPE_FRAGS	8

/* How one skb of a layout holds its bytes: a linear part, then frags. */
struct skb_shape {
	unsigned int lin;		/* REST: all that is left */
	unsigned int nfrags;
	unsigned int frag[SHAPE_FRAGS];	/* REST: all that is left */
	unsigned int off[SHAPE_FRAGS];	/* offset in a 2-page buffer */
};

struct skb_layout {
	const char *name;
	unsigned int extra_lin;		/* linear bytes after the headers */
	struct skb_shape head;		/* .lin unused: headers+extra_lin */
	unsigned int nchild;
	struct skb_shape child[3];	/* the frag_list */
};

static const struct skb_layout layouts[] = {
	{
		/* What a GRO'd or sendpage'd TCP segment looks like. */
		.name = "payload in one page frag",
		.head = { .nfrags = 1, .frag = { REST } },
	},
	{
		.name = "odd frags, one across a page boundary",
		.extra_lin = 5,
		.head = {
			.nfrags = 3,
			.frag = { 7, 1000, REST },
			.off = { 1, PAGE_SIZE - 300, 33 },
		},
	},
	{
		.name = "tiny frags",
		.head = {
			.nfrags = 8,
			.frag = { 1, 2, 3, 4, 5, 6, 7, REST },
			.off = { 0, 1, 2, 3, 4, 5, 6, 7 },
		},
	},
	{
		.name = "frags and a frag_list with frags",
		.extra_lin = 1,
		.head = { .nfrags = 2, .frag = { 300, 200 }, .off = { 0, 17 } },
		.nchild = 2,
		.child = {
			{ .lin = 50, .nfrags = 2, .frag = { 100, 200 },
			  .off = { 3, PAGE_SIZE - 10 } },
			{ .lin = 0, .nfrags = 1, .frag = { REST }, .off = { 9 } },
		},
	},
	{
		.name = "linear frag_list only",
		.nchild = 3,
		.child = {
			{ .lin = 1 },
			{ .lin = 700 },
			{ .lin = REST },
		},
	},
};

static unsigned int take(unsigned int want, unsigned int *left)
{
	unsigned int n = want == REST ? *left : min(want, *left);

	*left -= n;
	return n;
}

/* An skb holding @lin bytes of @*data linearly and then frags as @s says;
 * advances @data.
 */
static struct sk_buff *build_piece(struct kunit *test, const u8 **data,
				   unsigned int *left, unsigned int lin,
				   const struct skb_shape *s)
{
	struct sk_buff *skb;
	unsigned int i, n;

	n = take(lin, left);
	skb = alloc_skb(n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, *data, n);
	*data += n;

	for (i = 0; i < s->nfrags && *left; i++) {
		struct page *page;

		n = take(s->frag[i], left);
		KUNIT_ASSERT_LE(test, s->off[i] + n, 2 * PAGE_SIZE);
		/* Compound, so that a frag may cross into the second page
		 * and put_page() frees both.
		 */
		page = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memset(page_address(page), 0x5a, 2 * PAGE_SIZE);
		memcpy(page_address(page) + s->off[i], *data, n);
		skb_add_rx_frag(skb, i, page, s->off[i], n, 2 * PAGE_SIZE);
		*data += n;
	}
	return skb;
}

static struct sk_buff *build_layout(struct kunit *test, const u8 *data,
				    unsigned int len, unsigned int hdrlen,
				    const struct skb_layout *l)
{
	struct sk_buff *skb, *child, *last = NULL;
	unsigned int left = len, i;

	skb = build_piece(test, &data, &left, hdrlen + l->extra_lin, &l->head);
	for (i = 0; i < l->nchild; i++) {
		child = build_piece(test, &data, &left, l->child[i].lin,
				    &l->child[i]);
		if (last)
			last->next = child;
		else
			skb_shinfo(skb)->frag_list = child;
		last = child;
		skb->len += child->len;
		skb->data_len += child->len;
		skb->truesize += child->truesize;
	}
	KUNIT_EXPECT_EQ(test, left, 0);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	return skb;
}

/*
 * A synthetic segment: the headers of vector @v with @payload bytes of
 * payload (IP length fields adjusted) and @pad bytes of link-layer padding
 * after the IP packet, which the MAC must not cover.
 */
static u8 *make_segment(struct kunit *test, const struct tcpao_kat *v,
			unsigned int payload, unsigned int pad,
			struct tcpao_kat_pkt *p, unsigned int *len)
{
	unsigned int hdrlen, i;
	u8 *pkt;

	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(v->packet, v->packet_len, p), 0);
	hdrlen = p->thoff + p->thlen;
	*len = hdrlen + payload + pad;
	pkt = kunit_kzalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	memcpy(pkt, v->packet, hdrlen);
	for (i = 0; i < payload + pad; i++)
		pkt[hdrlen + i] = i * 7 + (i >> 8);
	if (p->family == AF_INET)
		put_unaligned_be16(hdrlen + payload, pkt + 2);
	else
		put_unaligned_be16(hdrlen - 40 + payload, pkt + 4);
	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(pkt, *len, p), 0);
	KUNIT_ASSERT_EQ(test, p->tcplen, p->thlen + payload);
	return pkt;
}

/* Every layout gives the MAC of the linear copy, both algorithms, both
 * families, both option modes, several payload sizes.
 */
static void tcpao_test_frags(struct kunit *test)
{
	static const char * const secs[] = {
		"4.1.3", "4.2.3", "5.1.3", "5.2.3",
		"6.1.3", "6.2.3", "7.1.3", "7.2.3",
	};
	static const unsigned int payloads[] = { 1448, 1, 777 };
	unsigned int s, i, l, len, n = 0;

	for (s = 0; s < ARRAY_SIZE(secs); s++) {
		const struct tcpao_kat *v = find_vec(test, secs[s]);
		const struct tcpao_algo *alg;
		struct tcpao_prf_key *tk;

		KUNIT_ASSERT_NOT_NULL(test, v);
		alg = test_alg(test, v->alg);
		tk = test_tkey(test, v);
		for (i = 0; i < ARRAY_SIZE(payloads); i++) {
			u8 ref[TCPAO_MAC_LEN], mac[TCPAO_MAC_LEN];
			struct tcpao_kat_pkt p;
			struct tcpao_seg seg;
			struct sk_buff *skb;
			u8 *pkt;

			pkt = make_segment(test, v, payloads[i], 6, &p, &len);
			skb = test_skb(test, pkt, len - 6);
			tcpao_kat_seg(&seg, &p, skb, v->covers_options);
			KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, ref), 0);
			kfree_skb(skb);

			for (l = 0; l < ARRAY_SIZE(layouts); l++, n++) {
				skb = build_layout(test, pkt, len,
						   p.thoff + p.thlen,
						   &layouts[l]);
				tcpao_kat_seg(&seg, &p, skb,
					      v->covers_options);
				memset(mac, 0, sizeof(mac));
				KUNIT_EXPECT_EQ(test,
						tcpao_mac(alg, tk, &seg, mac),
						0);
				EXPECT_BYTES(test, mac, ref, alg->maclen,
					     "%s payload %u, %s", v->section,
					     payloads[i], layouts[l].name);
				kfree_skb(skb);
			}
		}
	}
	kunit_info(test, "%u fragmented segments matched their linear copy\n",
		   n);
}

/* The TCP header must be linear: a header in the frags is refused. */
static void tcpao_test_header_not_linear(struct kunit *test)
{
	const struct tcpao_kat *v = find_vec(test, "4.1.3");
	static const struct skb_layout split = {
		.head = { .nfrags = 1, .frag = { REST } },
	};
	struct tcpao_kat_pkt p;
	struct tcpao_seg seg;
	struct sk_buff *skb;
	u8 mac[TCPAO_MAC_LEN];
	unsigned int len;
	u8 *pkt;

	KUNIT_ASSERT_NOT_NULL(test, v);
	pkt = make_segment(test, v, 100, 0, &p, &len);
	skb = build_layout(test, pkt, len, p.thoff + p.thlen - 1, &split);
	tcpao_kat_seg(&seg, &p, skb, v->covers_options);
	KUNIT_EXPECT_EQ(test, tcpao_mac(test_alg(test, v->alg),
					test_tkey(test, v), &seg, mac),
			-EINVAL);
	kfree_skb(skb);
}

/* ---- what the MAC covers ---- */

enum cover { CHANGES, SAME, INVALID };

static const char * const cover_name[] = { "changes", "same", "-EINVAL" };

/* What flipping byte @i of the vector's packet must do to the MAC. */
static enum cover byte_cover(const struct tcpao_kat *v,
			     const struct tcpao_kat_pkt *p, unsigned int i)
{
	unsigned int alen = p->family == AF_INET ? 4 : 16, t;

	if (i < p->thoff) {
		/* IP header: only the addresses enter (pseudo-header). */
		if ((i >= p->saddr_off && i < p->saddr_off + alen) ||
		    (i >= p->daddr_off && i < p->daddr_off + alen))
			return CHANGES;
		return SAME;
	}
	t = i - p->thoff;
	if (t >= p->thlen)
		return CHANGES;			/* payload */
	if (t == 16 || t == 17)
		return SAME;			/* checksum */
	if (t < 20)
		return CHANGES;			/* fixed header */
	if (t == p->ao_off || t == p->ao_off + 1)
		return INVALID;			/* TCP-AO kind, length */
	if (t == p->ao_off + 2 || t == p->ao_off + 3)
		return CHANGES;			/* KeyID, RNextKeyID */
	if (t >= p->ao_off + 4 && t < p->ao_off + 4 + TCPAO_MAC_LEN)
		return SAME;			/* the MAC itself */
	return v->covers_options ? CHANGES : SAME;	/* other options */
}

static void tcpao_test_coverage(struct kunit *test)
{
	const struct tcpao_kat *v = test->param_value;
	const struct tcpao_algo *alg = test_alg(test, v->alg);
	struct tcpao_prf_key *tk = test_tkey(test, v);
	u8 mac[TCPAO_MAC_LEN];
	struct tcpao_kat_pkt p;
	struct tcpao_seg seg;
	struct sk_buff *skb;
	unsigned int i, bit, iplen;
	enum cover want;
	int err;

	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(v->packet, v->packet_len, &p), 0);
	skb = test_skb(test, v->packet, v->packet_len);
	tcpao_kat_seg(&seg, &p, skb, v->covers_options);
	iplen = p.thoff + p.tcplen;

	for (i = 0; i < iplen; i++) {
		want = byte_cover(v, &p, i);
		skb->data[i] ^= 0x01;
		memset(mac, 0, sizeof(mac));
		err = tcpao_mac(alg, tk, &seg, mac);
		skb->data[i] ^= 0x01;
		if (want == INVALID) {
			KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "byte %u", i);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "byte %u", i);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(mac, v->mac, alg->maclen) ?
				    CHANGES : SAME, want,
				    "flipping packet byte %u (TCP offset %d) should leave the MAC %s",
				    i, (int)i - (int)p.thoff, cover_name[want]);
	}

	/* The SNE heads the MAC input. */
	for (bit = 0; bit < 32; bit++) {
		seg.sne = 1U << bit;
		KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
		KUNIT_EXPECT_NE_MSG(test, memcmp(mac, v->mac, alg->maclen), 0,
				    "SNE bit %u not covered", bit);
	}
	seg.sne = 0;

	/* The pseudo-header length (with one byte less of payload). */
	if (p.tcplen > p.thlen) {
		seg.tcplen--;
		KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
		KUNIT_EXPECT_NE(test, memcmp(mac, v->mac, alg->maclen), 0);
		seg.tcplen++;
	}

	/* And the option mode itself. */
	seg.exclude_opts = !seg.exclude_opts;
	KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
	KUNIT_EXPECT_NE(test, memcmp(mac, v->mac, alg->maclen), 0);
	kfree_skb(skb);
}

/*
 * With options excluded, only the fixed header and TCP-AO enter: moving
 * TCP-AO among the other options or blanking them leaves the MAC alone;
 * with options covered the same edits change it.
 */
static void tcpao_test_exclude_opts(struct kunit *test)
{
	static const char * const secs[] = {
		"4.2.3", "5.2.1", "6.2.4", "7.2.2",	/* excluded */
		"4.1.3", "5.1.1", "6.1.4", "7.1.2",	/* covered */
	};
	unsigned int s, aolen = 4 + TCPAO_MAC_LEN;

	for (s = 0; s < ARRAY_SIZE(secs); s++) {
		const struct tcpao_kat *v = find_vec(test, secs[s]);
		const struct tcpao_algo *alg;
		struct tcpao_prf_key *tk;
		u8 mac[TCPAO_MAC_LEN];
		struct tcpao_kat_pkt p;
		struct tcpao_seg seg;
		struct sk_buff *skb;
		u8 *th, ao[16];

		KUNIT_ASSERT_NOT_NULL(test, v);
		alg = test_alg(test, v->alg);
		tk = test_tkey(test, v);
		KUNIT_ASSERT_EQ(test, tcpao_kat_parse(v->packet, v->packet_len,
						      &p), 0);
		KUNIT_ASSERT_EQ(test, p.ao_off + aolen, p.thlen);

		/* TCP-AO first, the other options after it. */
		skb = test_skb(test, v->packet, v->packet_len);
		th = skb->data + p.thoff;
		memcpy(ao, th + p.ao_off, aolen);
		memmove(th + 20 + aolen, th + 20, p.ao_off - 20);
		memcpy(th + 20, ao, aolen);
		tcpao_kat_seg(&seg, &p, skb, v->covers_options);
		seg.ao_off = 20;
		KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
		KUNIT_EXPECT_EQ_MSG(test, !memcmp(mac, v->mac, alg->maclen),
				    !v->covers_options,
				    "%s: TCP-AO moved first", v->section);
		kfree_skb(skb);

		/* The other options replaced by NOPs. */
		skb = test_skb(test, v->packet, v->packet_len);
		th = skb->data + p.thoff;
		memset(th + 20, 1, p.ao_off - 20);
		tcpao_kat_seg(&seg, &p, skb, v->covers_options);
		KUNIT_EXPECT_EQ(test, tcpao_mac(alg, tk, &seg, mac), 0);
		KUNIT_EXPECT_EQ_MSG(test, !memcmp(mac, v->mac, alg->maclen),
				    !v->covers_options,
				    "%s: options replaced by NOPs", v->section);
		kfree_skb(skb);
	}
}

/* ---- keys ---- */

/* A prepared key gives the same answers however often and in whatever
 * order it is used, and is never written to.
 */
static void tcpao_test_key_reuse(struct kunit *test)
{
	const struct tcpao_kat *vh = find_vec(test, "4.1.3");
	const struct tcpao_kat *vc = find_vec(test, "7.2.4");
	struct tcpao_prf_key *th, *tc, *snap_h, *snap_c, *mkt;
	const struct tcpao_algo *ah, *ac;
	struct tcpao_kat_pkt ph, pc;
	struct tcpao_seg sh, sc;
	struct sk_buff *bh, *bc;
	u8 mac[TCPAO_MAC_LEN];
	u8 tk1[TCPAO_TKEY_MAX], tk2[TCPAO_TKEY_MAX];
	union tcpao_kat_ctx ctx;
	unsigned int i, len;

	KUNIT_ASSERT_NOT_NULL(test, vh);
	KUNIT_ASSERT_NOT_NULL(test, vc);
	ah = test_alg(test, vh->alg);
	ac = test_alg(test, vc->alg);
	th = test_tkey(test, vh);
	tc = test_tkey(test, vc);
	snap_h = test_key(test);
	snap_c = test_key(test);
	memcpy(snap_h, th, sizeof(*th));
	memcpy(snap_c, tc, sizeof(*tc));

	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(vh->packet, vh->packet_len, &ph),
			0);
	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(vc->packet, vc->packet_len, &pc),
			0);
	bh = test_skb(test, vh->packet, vh->packet_len);
	bc = test_skb(test, vc->packet, vc->packet_len);
	tcpao_kat_seg(&sh, &ph, bh, vh->covers_options);
	tcpao_kat_seg(&sc, &pc, bc, vc->covers_options);

	for (i = 0; i < 50; i++) {
		memset(mac, 0, sizeof(mac));
		KUNIT_EXPECT_EQ(test, tcpao_mac(ah, th, &sh, mac), 0);
		EXPECT_BYTES(test, mac, vh->mac, ah->maclen, "HMAC round %u", i);
		memset(mac, 0, sizeof(mac));
		KUNIT_EXPECT_EQ(test, tcpao_mac(ac, tc, &sc, mac), 0);
		EXPECT_BYTES(test, mac, vc->mac, ac->maclen, "CMAC round %u", i);
	}
	KUNIT_EXPECT_EQ(test, memcmp(snap_h, th, sizeof(*th)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(snap_c, tc, sizeof(*tc)), 0);

	/* A master key, too, derives the same key every time. */
	mkt = test_key(test);
	KUNIT_ASSERT_EQ(test, tcpao_mkt_prepare(ac, mkt, tcpao_rfc9235_mkt,
						sizeof(tcpao_rfc9235_mkt)), 0);
	memcpy(snap_c, mkt, sizeof(*mkt));
	len = tcpao_kat_context(vc, vc->packet, &pc, &ctx);
	KUNIT_EXPECT_EQ(test, tcpao_kdf(ac, mkt, &ctx, len, tk1), 0);
	KUNIT_EXPECT_EQ(test, tcpao_kdf(ah, mkt, &ctx, len, tk2), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_kdf(ac, mkt, &ctx, len, tk2), 0);
	KUNIT_EXPECT_EQ(test, memcmp(tk1, tk2, ac->tkey_len), 0);
	EXPECT_BYTES(test, tk1, vc->tkey, ac->tkey_len, "CMAC traffic key");
	KUNIT_EXPECT_EQ(test, memcmp(snap_c, mkt, sizeof(*mkt)), 0);

	kfree_skb(bh);
	kfree_skb(bc);
}

/* ---- argument checks ---- */

static void tcpao_test_bad_args(struct kunit *test)
{
	const struct tcpao_kat *v = find_vec(test, "4.1.3");
	const struct tcpao_algo *ah = test_alg(test, TCPAO_ALG_HMAC_SHA1_96);
	const struct tcpao_algo *ac = test_alg(test, TCPAO_ALG_AES_128_CMAC_96);
	struct tcpao_prf_key *pk = test_key(test);
	struct tcpao_prf_key *tk;
	struct tcpao_algo fake;
	u8 secret[TCPAO_SECRET_MAX + 1] = { 1 };
	u8 out[TCPAO_TKEY_MAX], mac[TCPAO_MAC_LEN];
	union tcpao_kat_ctx ctx = {};
	struct tcpao_kat_pkt p;
	struct tcpao_seg seg, good;
	struct sk_buff *skb;
	unsigned int len;

	KUNIT_ASSERT_NOT_NULL(test, v);

	/* Master key lengths: 1 to TCPAO_SECRET_MAX. */
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(ah, pk, secret, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(ac, pk, secret, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(ah, pk, secret,
						TCPAO_SECRET_MAX + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(ac, pk, secret,
						TCPAO_SECRET_MAX + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(ah, pk, secret,
						TCPAO_SECRET_MAX), 0);
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(ac, pk, secret,
						TCPAO_SECRET_MAX), 0);
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(ac, pk, secret, 1), 0);

	/* KDF contexts: exactly an IPv4 or an IPv6 connection block. */
	for (len = 0; len <= sizeof(ctx) + 1; len++) {
		int want = len == sizeof(struct tcpao_ctx4) ||
			   len == sizeof(struct tcpao_ctx6) ? 0 : -EINVAL;

		KUNIT_EXPECT_EQ_MSG(test, tcpao_kdf(ac, pk, &ctx, len, out),
				    want, "context of %u bytes", len);
	}

	/* A key is bound to the algorithm it was prepared for. */
	KUNIT_EXPECT_EQ(test, tcpao_kdf(ah, pk, &ctx, sizeof(ctx.v4), out),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_kdf_prepare(ah, pk, &ctx, sizeof(ctx.v4),
						test_key(test)), -EINVAL);

	/* Only rows of the table are algorithms. */
	fake = *ac;
	KUNIT_EXPECT_EQ(test, tcpao_mkt_prepare(&fake, pk, secret, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_tkey_prepare(&fake, pk, secret), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_kdf(&fake, pk, &ctx, sizeof(ctx.v4), out),
			-EINVAL);

	/* Segments. */
	tk = test_tkey(test, v);
	KUNIT_ASSERT_EQ(test, tcpao_kat_parse(v->packet, v->packet_len, &p), 0);
	skb = test_skb(test, v->packet, v->packet_len);
	tcpao_kat_seg(&good, &p, skb, v->covers_options);
	KUNIT_EXPECT_EQ(test, tcpao_mac(ah, tk, &good, mac), 0);
	KUNIT_EXPECT_EQ(test, tcpao_mac(ac, tk, &good, mac), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpao_mac(&fake, tk, &good, mac), -EINVAL);

#define BAD_SEG(field, value) do {					\
		seg = good;						\
		seg.field = (value);					\
		KUNIT_EXPECT_EQ_MSG(test, tcpao_mac(ah, tk, &seg, mac),	\
				    -EINVAL, #field " = " #value);	\
	} while (0)

	BAD_SEG(skb, NULL);
	BAD_SEG(family, AF_UNSPEC);
	BAD_SEG(family, AF_UNIX);
	BAD_SEG(thlen, 16);
	BAD_SEG(thlen, 22);
	BAD_SEG(thlen, 64);
	BAD_SEG(thlen, good.ao_off + 12);	/* TCP-AO overruns it */
	BAD_SEG(tcplen, good.thlen - 4);
	BAD_SEG(tcplen, skb->len - good.thoff + 1);
	BAD_SEG(thoff, skb_headlen(skb) - good.thlen + 4);
	BAD_SEG(thoff, skb->len + 1);
	BAD_SEG(ao_off, 16);
	BAD_SEG(ao_off, 19);
	BAD_SEG(ao_off, good.ao_off - 4);	/* not the TCP-AO option */
	BAD_SEG(ao_off, good.thlen - 12);
	BAD_SEG(ao_off, UINT_MAX);
	BAD_SEG(tcplen, UINT_MAX);
	BAD_SEG(thoff, UINT_MAX);
#undef BAD_SEG

	/* A TCP-AO option whose length does not match the MAC length. */
	skb->data[good.thoff + good.ao_off + 1] = 4 + 16;
	KUNIT_EXPECT_EQ(test, tcpao_mac(ah, tk, &good, mac), -EINVAL);
	kfree_skb(skb);
}

/* ---- contexts: softirq, several CPUs ---- */

struct softirq_job {
	struct timer_list timer;
	struct completion done;
	const struct tcpao_kat *v[2];
	struct tcpao_prf_key *tk[2];
	struct tcpao_seg seg[2];
	int err[2];
	u8 mac[2][TCPAO_MAC_LEN];
	struct tcpao_prf_key *mkt;
	int kdf_err;
	u8 tkey[TCPAO_TKEY_MAX];
};

static void softirq_job_fn(struct timer_list *t)
{
	struct softirq_job *j = from_timer(j, t, timer);
	union tcpao_kat_ctx ctx = {};
	int i;

	for (i = 0; i < 2; i++)
		j->err[i] = tcpao_mac(tcpao_alg_get(j->v[i]->alg), j->tk[i],
				      &j->seg[i], j->mac[i]);
	/* Master key preparation (CMAC normalisation) and KDF too. */
	j->kdf_err = tcpao_mkt_prepare(tcpao_alg_get(TCPAO_ALG_AES_128_CMAC_96),
				       j->mkt, tcpao_rfc9235_mkt,
				       sizeof(tcpao_rfc9235_mkt)) ?:
		     tcpao_kdf(tcpao_alg_get(TCPAO_ALG_AES_128_CMAC_96), j->mkt,
			       &ctx, sizeof(ctx.v4), j->tkey);
	complete(&j->done);
}

/* Everything works from a timer (softirq), where sleeping would splat. */
static void tcpao_test_softirq(struct kunit *test)
{
	static const char * const secs[2] = { "4.1.3", "5.2.4" };
	struct softirq_job *j = kunit_kzalloc(test, sizeof(*j), GFP_KERNEL);
	struct sk_buff *skb[2];
	struct tcpao_kat_pkt p;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, j);
	for (i = 0; i < 2; i++) {
		j->v[i] = find_vec(test, secs[i]);
		KUNIT_ASSERT_NOT_NULL(test, j->v[i]);
		j->tk[i] = test_tkey(test, j->v[i]);
		KUNIT_ASSERT_EQ(test, tcpao_kat_parse(j->v[i]->packet,
						      j->v[i]->packet_len, &p),
				0);
		skb[i] = test_skb(test, j->v[i]->packet, j->v[i]->packet_len);
		tcpao_kat_seg(&j->seg[i], &p, skb[i], j->v[i]->covers_options);
	}
	j->mkt = test_key(test);
	init_completion(&j->done);
	timer_setup(&j->timer, softirq_job_fn, 0);
	mod_timer(&j->timer, jiffies + 1);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&j->done, 10 * HZ),
			0UL);
	del_timer_sync(&j->timer);

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, j->err[i], 0);
		EXPECT_BYTES(test, j->mac[i], j->v[i]->mac, TCPAO_MAC_LEN,
			     "%s MAC in softirq", j->v[i]->section);
		kfree_skb(skb[i]);
	}
	KUNIT_EXPECT_EQ(test, j->kdf_err, 0);
}

/*
 * Per-CPU CMAC transforms under load: on every online CPU a worker
 * alternates HMAC and CMAC MACs with one set of keys while a softirq
 * hrtimer on the same CPU interrupts it with CMACs under another key.  If
 * the per-CPU tfm were not protected against softirqs (or shared across
 * CPUs) keys would mix and MACs come out wrong.
 */
struct cpu_job {
	struct work_struct work;
	struct hrtimer timer;
	const struct tcpao_kat *v[3];
	struct tcpao_prf_key *tk[3];
	struct tcpao_seg seg[3];
	atomic_t bad;
	atomic_t irq_runs;
	bool stop;
	unsigned int runs;
};

static bool cpu_job_mac(struct cpu_job *j, int i)
{
	u8 mac[TCPAO_MAC_LEN];

	return !tcpao_mac(tcpao_alg_get(j->v[i]->alg), j->tk[i], &j->seg[i],
			  mac) && !memcmp(mac, j->v[i]->mac, TCPAO_MAC_LEN);
}

static enum hrtimer_restart cpu_job_timer(struct hrtimer *t)
{
	struct cpu_job *j = container_of(t, struct cpu_job, timer);

	if (!cpu_job_mac(j, 2))
		atomic_inc(&j->bad);
	atomic_inc(&j->irq_runs);
	if (READ_ONCE(j->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(50 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/* At least @runs MACs, and on until the timer has interrupted us 100 times
 * (a few seconds at most: without high resolution timers it fires once a
 * tick).
 */
static void cpu_job_work(struct work_struct *w)
{
	struct cpu_job *j = container_of(w, struct cpu_job, work);
	unsigned long until = jiffies + 5 * HZ;
	unsigned int i;

	hrtimer_init(&j->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	j->timer.function = cpu_job_timer;
	hrtimer_start(&j->timer, ns_to_ktime(50 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_SOFT);
	for (i = 0; i < j->runs || (atomic_read(&j->irq_runs) < 100 &&
				    time_before(jiffies, until)); i++) {
		if (!cpu_job_mac(j, i & 1))
			atomic_inc(&j->bad);
		cond_resched();
	}
	WRITE_ONCE(j->stop, true);
	hrtimer_cancel(&j->timer);
	j->runs = i;
}

static void tcpao_test_cpus(struct kunit *test)
{
	static const char * const secs[3] = { "6.1.3", "5.1.3", "7.2.4" };
	struct sk_buff *skb[3];
	struct tcpao_kat_pkt p;
	struct cpu_job *jobs;
	unsigned int bad = 0, irq = 0, runs = 0;
	int cpu, i;

	jobs = kunit_kcalloc(test, nr_cpu_ids, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	for (i = 0; i < 3; i++) {
		const struct tcpao_kat *v = find_vec(test, secs[i]);

		KUNIT_ASSERT_NOT_NULL(test, v);
		KUNIT_ASSERT_EQ(test, tcpao_kat_parse(v->packet, v->packet_len,
						      &p), 0);
		skb[i] = test_skb(test, v->packet, v->packet_len);
		for_each_possible_cpu(cpu) {
			struct cpu_job *j = &jobs[cpu];

			j->v[i] = v;
			j->tk[i] = test_tkey(test, v);
			tcpao_kat_seg(&j->seg[i], &p, skb[i],
				      v->covers_options);
		}
	}

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		INIT_WORK(&jobs[cpu].work, cpu_job_work);
		jobs[cpu].runs = 2000;
		schedule_work_on(cpu, &jobs[cpu].work);
	}
	for_each_online_cpu(cpu) {
		flush_work(&jobs[cpu].work);
		bad += atomic_read(&jobs[cpu].bad);
		irq += atomic_read(&jobs[cpu].irq_runs);
		runs += jobs[cpu].runs;
	}
	cpus_read_unlock();

	KUNIT_EXPECT_EQ(test, bad, 0U);
	kunit_info(test, "%u CPUs: %u MACs in workers, %u in softirq, %u wrong\n",
		   num_online_cpus(), runs, irq, bad);
	for (i = 0; i < 3; i++)
		kfree_skb(skb[i]);
}

/* ---- micro-benchmark (reports, never asserts) ---- */

/* Run @fn until ~100 ms have passed; nanoseconds per call. */
static u64 bench_ns(int (*fn)(void *), void *arg, int *err)
{
	u64 start, elapsed;
	unsigned int n = 0, i;

	for (i = 0; i < 50; i++)
		*err |= fn(arg);
	start = ktime_get_ns();
	do {
		for (i = 0; i < 64; i++)
			*err |= fn(arg);
		n += 64;
		elapsed = ktime_get_ns() - start;
		cond_resched();
	} while (elapsed < 100 * NSEC_PER_MSEC);
	return div_u64(elapsed, n);
}

struct bench_ctx {
	const struct tcpao_algo *alg;
	struct tcpao_prf_key *tk;
	struct tcpao_prf_key *mkt;
	struct tcpao_seg seg;
	union tcpao_kat_ctx kctx;
	unsigned int kctx_len;
	struct crypto_shash *floor;
	u8 *flat;
	unsigned int flat_len;
	u8 out[HASH_MAX_DIGESTSIZE];
};

static int bench_mac(void *arg)
{
	struct bench_ctx *b = arg;

	return tcpao_mac(b->alg, b->tk, &b->seg, b->out);
}

static int bench_floor(void *arg)
{
	struct bench_ctx *b = arg;
	SHASH_DESC_ON_STACK(desc, b->floor);

	desc->tfm = b->floor;
	return crypto_shash_digest(desc, b->flat, b->flat_len, b->out);
}

static int bench_kdf(void *arg)
{
	struct bench_ctx *b = arg;

	return tcpao_kdf_prepare(b->alg, b->mkt, &b->kctx, b->kctx_len, b->tk);
}

/*
 * ns per MAC of a 1448-byte segment whose payload sits in a page frag,
 * next to the floor: one crypto_shash_digest() of the same number of
 * contiguous bytes with a keyed "hmac(sha1)" / "cmac(aes)" tfm.  The ratio
 * is what our construction (imported HMAC states, per-call CMAC setkey,
 * the skb walk) costs on top of the primitive.
 */
static void tcpao_test_bench(struct kunit *test)
{
	static const struct {
		const char *sec;
		const char *floor;
	} runs[] = {
		{ "4.1.3", "hmac(sha1)" },
		{ "5.1.3", "cmac(aes)" },
	};
	static const struct skb_layout frag = {
		.head = { .nfrags = 1, .frag = { REST } },
	};
	unsigned int r, len, plen;

	for (r = 0; r < ARRAY_SIZE(runs); r++) {
		const struct tcpao_kat *v = find_vec(test, runs[r].sec);
		struct bench_ctx *b = kunit_kzalloc(test, sizeof(*b),
						    GFP_KERNEL);
		u64 mac_ns, floor_ns, kdf_ns;
		struct tcpao_kat_pkt p;
		struct sk_buff *skb;
		int err = 0;
		u8 *pkt;

		KUNIT_ASSERT_NOT_NULL(test, v);
		KUNIT_ASSERT_NOT_NULL(test, b);
		b->alg = test_alg(test, v->alg);
		b->tk = test_tkey(test, v);
		pkt = make_segment(test, v, 1448, 0, &p, &len);
		skb = build_layout(test, pkt, len, p.thoff + p.thlen, &frag);
		tcpao_kat_seg(&b->seg, &p, skb, true);

		b->floor = crypto_alloc_shash(runs[r].floor, 0, 0);
		if (IS_ERR(b->floor)) {
			kunit_info(test, "no %s: %ld\n", runs[r].floor,
				   PTR_ERR(b->floor));
			kfree_skb(skb);
			continue;
		}
		/* SNE, pseudo-header, header and payload: what we hash. */
		plen = p.family == AF_INET ? 12 : 40;
		b->flat_len = 4 + plen + p.tcplen;
		b->flat = kunit_kzalloc(test, b->flat_len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, b->flat);
		memcpy(b->flat + 4 + plen, pkt + p.thoff, p.tcplen);
		err = crypto_shash_setkey(b->floor, v->tkey, v->tkey_len);

		b->mkt = test_key(test);
		err |= tcpao_mkt_prepare(b->alg, b->mkt, tcpao_rfc9235_mkt,
					 sizeof(tcpao_rfc9235_mkt));
		b->kctx_len = tcpao_kat_context(v, v->packet, &p, &b->kctx);

		mac_ns = bench_ns(bench_mac, b, &err);
		floor_ns = bench_ns(bench_floor, b, &err);
		kdf_ns = bench_ns(bench_kdf, b, &err);
		KUNIT_EXPECT_EQ(test, err, 0);

		kunit_info(test, "bench %s: tcpao_mac %llu ns per 1448-byte segment (payload in a page frag); %s digest of the same %u bytes %llu ns (%s); ratio %llu.%02llu; traffic key derivation+prepare %llu ns\n",
			   b->alg->name, mac_ns, runs[r].floor, b->flat_len,
			   floor_ns, crypto_shash_driver_name(b->floor),
			   div_u64(mac_ns, floor_ns ?: 1),
			   div_u64(mac_ns * 100, floor_ns ?: 1) % 100, kdf_ns);
		crypto_free_shash(b->floor);
		kfree_skb(skb);
	}
}

static struct kunit_case tcpao_crypto_cases[] = {
	KUNIT_CASE(tcpao_test_alg_table),
	KUNIT_CASE_PARAM(tcpao_test_rfc9235_kdf, tcpao_rfc9235_gen_params),
	KUNIT_CASE_PARAM(tcpao_test_rfc9235_mac, tcpao_rfc9235_gen_params),
	KUNIT_CASE_PARAM(tcpao_test_rfc9235_roles, tcpao_group_gen_params),
	KUNIT_CASE_PARAM(tcpao_test_kdf_vectors, tcpao_kdfv_gen_params),
	KUNIT_CASE(tcpao_test_frags),
	KUNIT_CASE(tcpao_test_header_not_linear),
	KUNIT_CASE_PARAM(tcpao_test_coverage, tcpao_rfc9235_gen_params),
	KUNIT_CASE(tcpao_test_exclude_opts),
	KUNIT_CASE(tcpao_test_key_reuse),
	KUNIT_CASE(tcpao_test_bad_args),
	KUNIT_CASE(tcpao_test_softirq),
	KUNIT_CASE(tcpao_test_cpus),
	KUNIT_CASE(tcpao_test_bench),
	{}
};

static struct kunit_suite tcpao_crypto_suite = {
	.name = "tcpao_crypto",
	.test_cases = tcpao_crypto_cases,
};

kunit_test_suite(tcpao_crypto_suite);
