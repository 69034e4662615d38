// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer self-test, run at module init (main.c) before the module
 * accepts any key: a crypto API implementation that disagrees with RFC
 * 9235 (or a regression of ours) must stop the load, not sign segments
 * that no peer can verify.
 *
 * Every RFC 9235 vector (both algorithms, IPv4 and IPv6, options covered
 * and excluded, all four packet roles) is checked for its traffic key and
 * its MAC, and every extra KDF vector (master keys of other lengths, CMAC
 * key normalisation) for its key.  This takes well under a millisecond.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "compat.h"
#include "crypto.h"
#include "selftest.h"
#include "rfc9235_vectors.h"

#define TCPAO_OPT_EOL	0
#define TCPAO_OPT_NOP	1

const char *tcpao_kat_role_name(u8 role)
{
	switch (role) {
	case TCPAO_KAT_SEND_SYN:
		return "send_syn";
	case TCPAO_KAT_SYNACK:
		return "synack";
	case TCPAO_KAT_SEND_OTHER:
		return "send_other";
	case TCPAO_KAT_RECV_OTHER:
		return "recv_other";
	}
	return "?";
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_kat_role_name);

/* Locate the TCP header and its TCP-AO option in an IPv4/IPv6 packet
 * without extension headers (all the vectors are such packets).
 */
int tcpao_kat_parse(const u8 *pkt, unsigned int len, struct tcpao_kat_pkt *p)
{
	unsigned int iphl, iplen, i, optlen;
	const u8 *th;

	if (len < 20)
		return -EINVAL;
	switch (pkt[0] >> 4) {
	case 4:
		iphl = (pkt[0] & 0xf) * 4;
		iplen = get_unaligned_be16(pkt + 2);
		if (iphl < 20 || iplen < iphl || iplen > len ||
		    pkt[9] != IPPROTO_TCP)
			return -EINVAL;
		p->family = AF_INET;
		p->saddr_off = 12;
		p->daddr_off = 16;
		break;
	case 6:
		if (len < 40 || pkt[6] != IPPROTO_TCP)
			return -EINVAL;
		iphl = 40;
		iplen = 40 + get_unaligned_be16(pkt + 4);
		if (iplen > len)
			return -EINVAL;
		p->family = AF_INET6;
		p->saddr_off = 8;
		p->daddr_off = 24;
		break;
	default:
		return -EINVAL;
	}

	p->thoff = iphl;
	p->tcplen = iplen - iphl;
	if (p->tcplen < 20)
		return -EINVAL;
	th = pkt + iphl;
	p->thlen = (th[12] >> 4) * 4;
	if (p->thlen < 20 || p->thlen > p->tcplen)
		return -EINVAL;

	for (i = 20; i < p->thlen; i += optlen) {
		if (th[i] == TCPAO_OPT_EOL)
			break;
		if (th[i] == TCPAO_OPT_NOP) {
			optlen = 1;
			continue;
		}
		if (i + 1 >= p->thlen)
			return -EINVAL;
		optlen = th[i + 1];
		if (optlen < 2 || optlen > p->thlen - i)
			return -EINVAL;
		if (th[i] == TCPAO_OPT_KIND) {
			p->ao_off = i;
			return 0;
		}
	}
	return -ENOENT;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_kat_parse);

/* The KDF context of the key that signs the vector's packet: its own
 * addresses and ports, the sender's ISN, then the receiver's (0 in a SYN).
 */
unsigned int tcpao_kat_context(const struct tcpao_kat *v, const u8 *pkt,
			       const struct tcpao_kat_pkt *p,
			       union tcpao_kat_ctx *ctx)
{
	const u8 *th = pkt + p->thoff;
	bool client = v->role == TCPAO_KAT_SEND_SYN ||
		      v->role == TCPAO_KAT_SEND_OTHER;
	u32 sisn = client ? v->client_isn : v->server_isn;
	u32 disn = client ? v->server_isn : v->client_isn;

	if (v->role == TCPAO_KAT_SEND_SYN)
		disn = 0;

	if (p->family == AF_INET) {
		memcpy(&ctx->v4.saddr, pkt + p->saddr_off, 4);
		memcpy(&ctx->v4.daddr, pkt + p->daddr_off, 4);
		memcpy(&ctx->v4.sport, th, 2);
		memcpy(&ctx->v4.dport, th + 2, 2);
		ctx->v4.sisn = cpu_to_be32(sisn);
		ctx->v4.disn = cpu_to_be32(disn);
		return sizeof(ctx->v4);
	}
	memcpy(&ctx->v6.saddr, pkt + p->saddr_off, 16);
	memcpy(&ctx->v6.daddr, pkt + p->daddr_off, 16);
	memcpy(&ctx->v6.sport, th, 2);
	memcpy(&ctx->v6.dport, th + 2, 2);
	ctx->v6.sisn = cpu_to_be32(sisn);
	ctx->v6.disn = cpu_to_be32(disn);
	return sizeof(ctx->v6);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_kat_context);

/* Describe a parsed packet held in @skb (headers in its linear part). */
void tcpao_kat_seg(struct tcpao_seg *seg, const struct tcpao_kat_pkt *p,
		   const struct sk_buff *skb, bool covers_options)
{
	memset(seg, 0, sizeof(*seg));
	seg->family = p->family;
	seg->saddr = skb->data + p->saddr_off;
	seg->daddr = skb->data + p->daddr_off;
	seg->sne = 0;	/* every RFC 9235 vector has SNE 0 */
	seg->skb = skb;
	seg->thoff = p->thoff;
	seg->thlen = p->thlen;
	seg->tcplen = p->tcplen;
	seg->ao_off = p->ao_off;
	seg->exclude_opts = !covers_options;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_kat_seg);

/* A linear skb holding a copy of @pkt. */
struct sk_buff *tcpao_kat_skb(const u8 *pkt, unsigned int len, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(len, gfp);

	if (skb)
		skb_put_data(skb, pkt, len);
	return skb;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_kat_skb);

static const char *tcpao_kat_alg_name(u8 id)
{
	const struct tcpao_algo *alg = tcpao_alg_get(id);

	return alg ? alg->name : "?";
}

/* What a failed check reports: the step, and the values compared. */
struct tcpao_selftest_res {
	const char *why;
	unsigned int len;
	u8 got[TCPAO_TKEY_MAX];
	u8 want[TCPAO_TKEY_MAX];
};

/* Check one RFC 9235 vector; on failure @r says what. */
static int tcpao_selftest_rfc9235(const struct tcpao_kat *v,
				  struct tcpao_selftest_res *r)
{
	const struct tcpao_algo *alg = tcpao_alg_get(v->alg);
	struct tcpao_prf_key *keys;
	struct tcpao_kat_pkt p;
	union tcpao_kat_ctx ctx;
	struct tcpao_seg seg;
	struct sk_buff *skb;
	unsigned int ctxlen;
	int err;

	r->why = "algorithm missing";
	if (!alg || alg->tkey_len != v->tkey_len)
		return -EINVAL;
	r->why = "packet malformed";
	err = tcpao_kat_parse(v->packet, v->packet_len, &p);
	if (err)
		return err;

	/* Prepared keys are too large for the stack of an init function. */
	r->why = "out of memory";
	keys = kcalloc(2, sizeof(*keys), GFP_KERNEL);
	skb = tcpao_kat_skb(v->packet, v->packet_len, GFP_KERNEL);
	if (!keys || !skb) {
		err = -ENOMEM;
		goto out;
	}

	r->why = "preparing the master key failed";
	err = tcpao_mkt_prepare(alg, &keys[0], tcpao_rfc9235_mkt,
				sizeof(tcpao_rfc9235_mkt));
	if (err)
		goto out;
	r->why = "traffic key derivation failed";
	ctxlen = tcpao_kat_context(v, v->packet, &p, &ctx);
	err = tcpao_kdf(alg, &keys[0], &ctx, ctxlen, r->got);
	if (err)
		goto out;
	r->why = "traffic key mismatch";
	r->len = v->tkey_len;
	memcpy(r->want, v->tkey, v->tkey_len);
	if (memcmp(r->got, r->want, v->tkey_len)) {
		err = -EINVAL;
		goto out;
	}

	r->why = "preparing the traffic key failed";
	err = tcpao_kdf_prepare(alg, &keys[0], &ctx, ctxlen, &keys[1]);
	if (err)
		goto out;
	r->why = "MAC computation failed";
	tcpao_kat_seg(&seg, &p, skb, v->covers_options);
	err = tcpao_mac(alg, &keys[1], &seg, r->got);
	if (err)
		goto out;
	r->why = "MAC mismatch";
	r->len = alg->maclen;
	memcpy(r->want, v->mac, alg->maclen);
#ifdef TCPAO_SELFTEST_BREAK
	/* make TCPAO_SELFTEST_BREAK=1: a deliberately wrong expected MAC,
	 * to prove that a failing self-test refuses the module load.
	 */
	if (!strcmp(v->section, "5.1.3"))
		r->want[0] ^= 0x01;
#endif
	if (memcmp(r->got, r->want, alg->maclen))
		err = -EINVAL;
out:
	kfree_skb(skb);
	kfree_sensitive(keys);
	return err;
}

static int tcpao_selftest_kdf(const struct tcpao_kdf_kat *v,
			      struct tcpao_selftest_res *r)
{
	const struct tcpao_algo *alg = tcpao_alg_get(v->alg);
	struct tcpao_prf_key *mkt;
	int err;

	r->why = "algorithm missing";
	if (!alg || alg->tkey_len != v->tkey_len)
		return -EINVAL;
	mkt = kzalloc(sizeof(*mkt), GFP_KERNEL);
	r->why = "out of memory";
	if (!mkt)
		return -ENOMEM;

	r->why = "preparing the master key failed";
	err = tcpao_mkt_prepare(alg, mkt, v->mkt, v->mkt_len);
	if (err)
		goto out;
	if (alg->kind == TCPAO_PRF_CMAC) {
		r->why = "normalised CMAC master key mismatch";
		r->len = sizeof(v->cmac_key);
		memcpy(r->got, mkt->cmac.key, sizeof(mkt->cmac.key));
		memcpy(r->want, v->cmac_key, sizeof(v->cmac_key));
		if (memcmp(r->got, r->want, sizeof(v->cmac_key))) {
			err = -EINVAL;
			goto out;
		}
	}
	r->why = "traffic key derivation failed";
	err = tcpao_kdf(alg, mkt, v->ctx, v->ctx_len, r->got);
	if (err)
		goto out;
	r->why = "traffic key mismatch";
	r->len = v->tkey_len;
	memcpy(r->want, v->tkey, v->tkey_len);
	if (memcmp(r->got, r->want, v->tkey_len))
		err = -EINVAL;
out:
	kfree_sensitive(mkt);
	return err;
}

int tcpao_crypto_selftest(void)
{
	struct tcpao_selftest_res r;
	unsigned int i, n = 0;
	int err;

	for (i = 0; i < ARRAY_SIZE(tcpao_rfc9235_vectors); i++, n++) {
		const struct tcpao_kat *v = &tcpao_rfc9235_vectors[i];

		memset(&r, 0, sizeof(r));
		err = tcpao_selftest_rfc9235(v, &r);
		if (err) {
			pr_err("self-test FAILED: RFC 9235 vector %s (%s, IPv%d, %s, options %s): %s (%d): got %*phN, expected %*phN\n",
			       v->section, tcpao_kat_alg_name(v->alg),
			       v->packet[0] >> 4,
			       tcpao_kat_role_name(v->role),
			       v->covers_options ? "covered" : "excluded",
			       r.why, err, r.len, r.got, r.len, r.want);
			return err == -ENOMEM ? err : -EINVAL;
		}
	}

	for (i = 0; i < ARRAY_SIZE(tcpao_kdf_vectors); i++, n++) {
		const struct tcpao_kdf_kat *v = &tcpao_kdf_vectors[i];

		memset(&r, 0, sizeof(r));
		err = tcpao_selftest_kdf(v, &r);
		if (err) {
			pr_err("self-test FAILED: KDF vector %s (%s, %u-byte master key): %s (%d): got %*phN, expected %*phN\n",
			       v->name, tcpao_kat_alg_name(v->alg), v->mkt_len,
			       r.why, err, r.len, r.got, r.len, r.want);
			return err == -ENOMEM ? err : -EINVAL;
		}
	}

	/* Only the published test keys passed through @r, but wiping is
	 * cheap and keeps key-shaped bytes off the stack.
	 */
	memzero_explicit(&r, sizeof(r));
	pr_info("self-test passed (%u vectors)\n", n);
	return 0;
}
