// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5925/5926 cryptography on the kernel crypto API: traffic key
 * derivation (KDF_HMAC_SHA1, KDF_AES_128_CMAC) and segment MACs.
 *
 * Both PRFs run on synchronous shash transforms with the descriptor on the
 * stack, so that nothing here allocates or sleeps once the module is up:
 *
 * HMAC: one unkeyed hash tfm ("sha1") is shared by every CPU and key.  A
 * key is prepared once into the exported hash states after absorbing
 * key^ipad and key^opad; a MAC imports the inner state, hashes the data,
 * then imports the outer state and hashes the inner digest.  An unkeyed
 * tfm holds no per-key state, so sharing it across CPUs is safe.
 *
 * CMAC: a keyed tfm keeps its key in the tfm, so one tfm cannot serve two
 * keys at once.  Each CPU owns two "cmac(aes)" tfms and remembers which key
 * each holds; a computation disables bottom halves, takes the tfm that
 * already holds its key (else sets it on the one used least recently) and
 * runs to completion, so process and softirq context on one CPU never
 * interleave on a tfm.  Two, because a busy connection alternates its two
 * traffic keys (data one way, ACKs the other): setting the key costs as
 * much as a MAC of a hundred bytes, and most MACs then need none.
 *
 * Implementation: the crypto API picks the driver of highest priority,
 * normally SIMD code, and that is what we use: the same on every load of
 * every machine of one kind.  Where SIMD is slow (emulated CPUs), the
 * generic_crypto parameter selects the portable C driver of an algorithm
 * instead.  The choice is logged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/bottom_half.h>
#include <linux/highmem.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "compat.h"
#include "crypto.h"

/* The hash and cipher templates are modules on most distributions (cmac
 * is one on Debian); the crypto API would autoload them through
 * request_module() anyway, the soft dependency lets modprobe and initramfs
 * tools know about them.
 */
MODULE_SOFTDEP("pre: cmac aes sha1");

/* Largest hash block size we accept for HMAC (SHA-512 and friends: 128). */
#define TCPAO_HASH_BLOCK_MAX	128
#define TCPAO_CMAC_KEY_LEN	16
/* 0x01 | "TCP-AO" | context (IPv6: 44) | L (16 bits) */
#define TCPAO_KDF_LABEL		"TCP-AO"
#define TCPAO_KDF_MSG_MAX	(1 + 6 + sizeof(struct tcpao_ctx6) + 2)
/* SNE | pseudo-header (IPv6: 40) | TCP header with options (60) */
#define TCPAO_MAC_PREFIX_MAX	(4 + 40 + 60)

#define TCPAO_CMAC_TFMS		2

/**
 * struct tcpao_cmac_pcpu - one CPU's CMAC transforms
 * @tfm: keyed cmac tfms
 * @key: the key each tfm holds (valid when @keyed)
 * @keyed: @key is set in @tfm
 * @victim: the tfm to re-key next (the one used least recently)
 *
 * Only used with bottom halves disabled on the owning CPU.  @key is key
 * material, as the tfms' expanded keys are: wiped when freed.
 */
struct tcpao_cmac_pcpu {
	struct crypto_shash *tfm[TCPAO_CMAC_TFMS];
	u8 key[TCPAO_CMAC_TFMS][TCPAO_CMAC_KEY_LEN];
	bool keyed[TCPAO_CMAC_TFMS];
	u8 victim;
};

/**
 * struct tcpao_alg_rt - what an algorithm row needs at run time
 * @driver: what to allocate: the row's crypto_name or generic_name
 * @hash: HMAC: the shared unkeyed hash tfm
 * @pcpu: CMAC: keyed cmac tfms per possible CPU
 * @outlen: PRF output length (digest size)
 */
struct tcpao_alg_rt {
	const char *driver;
	struct crypto_shash *hash;
	struct tcpao_cmac_pcpu __percpu *pcpu;
	unsigned int outlen;
};

/**
 * struct tcpao_prf_ops - one PRF construction
 * @alloc: allocate the transforms of @alg (process context, at init)
 * @free: free them
 * @prepare: turn a raw key into a &struct tcpao_prf_key
 * @init: start a computation in @desc with @pk; may fail, @end still runs
 * @final: write the full PRF output
 * @end: wipe @desc and leave whatever section @init entered
 *
 * Between @init and @end the caller feeds data with crypto_shash_update().
 */
struct tcpao_prf_ops {
	int (*alloc)(struct tcpao_alg_rt *rt, const struct tcpao_algo *alg);
	void (*free)(struct tcpao_alg_rt *rt);
	int (*prepare)(const struct tcpao_alg_rt *rt, struct tcpao_prf_key *pk,
		       const u8 *key, unsigned int len);
	int (*init)(const struct tcpao_alg_rt *rt, struct shash_desc *desc,
		    const struct tcpao_prf_key *pk);
	int (*final)(const struct tcpao_alg_rt *rt, struct shash_desc *desc,
		     const struct tcpao_prf_key *pk, u8 *out);
	void (*end)(struct shash_desc *desc);
};

/* The algorithm table: a new algorithm (HMAC-SHA-256, ...) is one row. */
static const struct tcpao_algo tcpao_algs[] = {
	{
		.id = TCPAO_ALG_HMAC_SHA1_96,
		.name = "hmac-sha-1-96",
		.kind = TCPAO_PRF_HMAC,
		.crypto_name = "sha1",
		.generic_name = "sha1-generic",
		.maclen = 12,
		.tkey_len = 20,
	},
	{
		.id = TCPAO_ALG_AES_128_CMAC_96,
		.name = "aes-128-cmac-96",
		.kind = TCPAO_PRF_CMAC,
		.crypto_name = "cmac(aes)",
		.generic_name = "cmac(aes-generic)",
		.maclen = 12,
		.tkey_len = 16,
	},
};

static struct tcpao_alg_rt tcpao_rt[ARRAY_SIZE(tcpao_algs)];

/* ---- HMAC over an unkeyed hash, with exported ipad/opad states ---- */

static int tcpao_hmac_alloc(struct tcpao_alg_rt *rt,
			    const struct tcpao_algo *alg)
{
	struct crypto_shash *tfm;

	tfm = crypto_alloc_shash(rt->driver, 0, 0);
	if (IS_ERR(tfm)) {
		pr_err("cannot allocate %s for %s: %ld\n", rt->driver,
		       alg->name, PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	/* The prepared key stores exported states of fixed size; the
	 * padded key block lives on the stack.
	 */
	if (crypto_shash_statesize(tfm) > TCPAO_HASH_STATE_MAX ||
	    crypto_shash_blocksize(tfm) > TCPAO_HASH_BLOCK_MAX ||
	    crypto_shash_digestsize(tfm) > HASH_MAX_DIGESTSIZE) {
		pr_err("%s (%s): state %u, block %u or digest %u too large\n",
		       alg->crypto_name, crypto_shash_driver_name(tfm),
		       crypto_shash_statesize(tfm),
		       crypto_shash_blocksize(tfm),
		       crypto_shash_digestsize(tfm));
		crypto_free_shash(tfm);
		return -EINVAL;
	}
	rt->hash = tfm;
	rt->outlen = crypto_shash_digestsize(tfm);
	return 0;
}

static void tcpao_hmac_free(struct tcpao_alg_rt *rt)
{
	crypto_free_shash(rt->hash);
	rt->hash = NULL;
}

/* RFC 2104: K' = K (zero-padded to the block) or H(K) when K is longer
 * than the block; store the states after hashing K'^ipad and K'^opad.
 */
static int tcpao_hmac_prepare(const struct tcpao_alg_rt *rt,
			      struct tcpao_prf_key *pk, const u8 *key,
			      unsigned int len)
{
	struct crypto_shash *tfm = rt->hash;
	unsigned int bs = crypto_shash_blocksize(tfm);
	u8 pad[TCPAO_HASH_BLOCK_MAX];
	u8 hkey[HASH_MAX_DIGESTSIZE];
	SHASH_DESC_ON_STACK(desc, tfm);
	unsigned int i;
	int err;

	desc->tfm = tfm;
	if (len > bs) {
		err = crypto_shash_digest(desc, key, len, hkey);
		if (err)
			goto out;
		key = hkey;
		len = crypto_shash_digestsize(tfm);
	}
	memset(pad, 0, bs);
	memcpy(pad, key, len);

	for (i = 0; i < bs; i++)
		pad[i] ^= 0x36;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, pad, bs) ?:
	      crypto_shash_export(desc, pk->hmac.istate);
	if (err)
		goto out;

	for (i = 0; i < bs; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, pad, bs) ?:
	      crypto_shash_export(desc, pk->hmac.ostate);
out:
	memzero_explicit(pad, sizeof(pad));
	memzero_explicit(hkey, sizeof(hkey));
	shash_desc_zero(desc);
	return err;
}

static int tcpao_hmac_init(const struct tcpao_alg_rt *rt,
			   struct shash_desc *desc,
			   const struct tcpao_prf_key *pk)
{
	desc->tfm = rt->hash;
	return crypto_shash_import(desc, pk->hmac.istate);
}

static int tcpao_hmac_final(const struct tcpao_alg_rt *rt,
			    struct shash_desc *desc,
			    const struct tcpao_prf_key *pk, u8 *out)
{
	u8 inner[HASH_MAX_DIGESTSIZE];
	int err;

	err = crypto_shash_final(desc, inner) ?:
	      crypto_shash_import(desc, pk->hmac.ostate) ?:
	      crypto_shash_finup(desc, inner, rt->outlen, out);
	memzero_explicit(inner, sizeof(inner));
	return err;
}

static void tcpao_hmac_end(struct shash_desc *desc)
{
	shash_desc_zero(desc);
}

/* ---- AES-CMAC on a per-CPU keyed tfm ---- */

static void tcpao_cmac_free(struct tcpao_alg_rt *rt)
{
	struct tcpao_cmac_pcpu *pc;
	int cpu, i;

	if (!rt->pcpu)
		return;
	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(rt->pcpu, cpu);
		for (i = 0; i < TCPAO_CMAC_TFMS; i++)
			crypto_free_shash(pc->tfm[i]);
		memzero_explicit(pc->key, sizeof(pc->key));
	}
	free_percpu(rt->pcpu);
	rt->pcpu = NULL;
}

static int tcpao_cmac_alloc(struct tcpao_alg_rt *rt,
			    const struct tcpao_algo *alg)
{
	struct crypto_shash *tfm;
	int cpu, i;

	rt->pcpu = alloc_percpu(struct tcpao_cmac_pcpu);
	if (!rt->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		for (i = 0; i < TCPAO_CMAC_TFMS; i++) {
			tfm = crypto_alloc_shash(rt->driver, 0, 0);
			if (IS_ERR(tfm)) {
				pr_err("cannot allocate %s for %s: %ld\n",
				       rt->driver, alg->name, PTR_ERR(tfm));
				tcpao_cmac_free(rt);
				return PTR_ERR(tfm);
			}
			per_cpu_ptr(rt->pcpu, cpu)->tfm[i] = tfm;
			/* A misaligned key is bounced through a 16-byte
			 * aligned stack buffer (tcpao_cmac_init_key()): a
			 * stricter alignmask would make setkey kmalloc a
			 * copy.
			 */
			if (tcpao_shash_alignmask(tfm) >= 16 ||
			    crypto_shash_digestsize(tfm) != TCPAO_CMAC_KEY_LEN) {
				pr_err("%s (%s): alignmask %u or digest %u unusable\n",
				       alg->crypto_name,
				       crypto_shash_driver_name(tfm),
				       tcpao_shash_alignmask(tfm),
				       crypto_shash_digestsize(tfm));
				tcpao_cmac_free(rt);
				return -EINVAL;
			}
			rt->outlen = crypto_shash_digestsize(tfm);
		}
	}
	return 0;
}

static int tcpao_cmac_setkey(struct crypto_shash *tfm, const u8 *key)
{
	u8 bounce[TCPAO_CMAC_KEY_LEN] __aligned(16);
	int err;

	/* struct tcpao_prf_key is not over-aligned (it sits in kmalloc'ed
	 * objects); crypto_shash_setkey() would kmalloc a copy of a key
	 * that misses the alignmask, so copy it here instead.  On x86 the
	 * alignmask is 0 and this never happens.
	 */
	if (likely(!((unsigned long)key & tcpao_shash_alignmask(tfm))))
		return crypto_shash_setkey(tfm, key, TCPAO_CMAC_KEY_LEN);
	memcpy(bounce, key, sizeof(bounce));
	err = crypto_shash_setkey(tfm, bounce, sizeof(bounce));
	memzero_explicit(bounce, sizeof(bounce));
	return err;
}

/* Enter the BH-disabled section and start a MAC keyed with the
 * TCPAO_CMAC_KEY_LEN bytes at @key on one of this CPU's tfms: the one that
 * holds that key already, if any.
 */
static int tcpao_cmac_init_key(const struct tcpao_alg_rt *rt,
			       struct shash_desc *desc, const u8 *key)
{
	struct tcpao_cmac_pcpu *pc;
	int i, err;

	local_bh_disable();
	pc = this_cpu_ptr(rt->pcpu);
	for (i = 0; i < TCPAO_CMAC_TFMS; i++)
		if (pc->keyed[i] &&
		    !crypto_memneq(pc->key[i], key, TCPAO_CMAC_KEY_LEN))
			goto found;
	i = pc->victim;
	pc->keyed[i] = false;
	err = tcpao_cmac_setkey(pc->tfm[i], key);
	if (err) {
		desc->tfm = pc->tfm[i];
		return err;
	}
	memcpy(pc->key[i], key, TCPAO_CMAC_KEY_LEN);
	pc->keyed[i] = true;
found:
	pc->victim = (i + 1) % TCPAO_CMAC_TFMS;
	desc->tfm = pc->tfm[i];
	return crypto_shash_init(desc);
}

static int tcpao_cmac_init(const struct tcpao_alg_rt *rt,
			   struct shash_desc *desc,
			   const struct tcpao_prf_key *pk)
{
	return tcpao_cmac_init_key(rt, desc, pk->cmac.key);
}

static int tcpao_cmac_final(const struct tcpao_alg_rt *rt,
			    struct shash_desc *desc,
			    const struct tcpao_prf_key *pk, u8 *out)
{
	return crypto_shash_final(desc, out);
}

static void tcpao_cmac_end(struct shash_desc *desc)
{
	/* The tfm keeps the expanded key until a computation on this CPU
	 * with another key replaces it (and crypto_free_shash() wipes it at
	 * exit): wiping it each time would double the cost of a MAC.
	 */
	shash_desc_zero(desc);
	local_bh_enable();
}

/* RFC 5926 3.1.1.2: a master key that is not 128 bits is first reduced
 * to one: K = AES-CMAC(0^128, MKT).
 */
static int tcpao_cmac_prepare(const struct tcpao_alg_rt *rt,
			      struct tcpao_prf_key *pk, const u8 *key,
			      unsigned int len)
{
	static const u8 zero_key[TCPAO_CMAC_KEY_LEN] __aligned(16);
	u8 out[TCPAO_CMAC_KEY_LEN] __aligned(16);
	SHASH_DESC_ON_STACK(desc, NULL);
	int err;

	if (len == TCPAO_CMAC_KEY_LEN) {
		memcpy(pk->cmac.key, key, len);
		return 0;
	}
	err = tcpao_cmac_init_key(rt, desc, zero_key) ?:
	      crypto_shash_update(desc, key, len) ?:
	      crypto_shash_final(desc, out);
	tcpao_cmac_end(desc);
	if (!err)
		memcpy(pk->cmac.key, out, sizeof(out));
	memzero_explicit(out, sizeof(out));
	return err;
}

static const struct tcpao_prf_ops tcpao_prf_ops[] = {
	[TCPAO_PRF_HMAC] = {
		.alloc = tcpao_hmac_alloc,
		.free = tcpao_hmac_free,
		.prepare = tcpao_hmac_prepare,
		.init = tcpao_hmac_init,
		.final = tcpao_hmac_final,
		.end = tcpao_hmac_end,
	},
	[TCPAO_PRF_CMAC] = {
		.alloc = tcpao_cmac_alloc,
		.free = tcpao_cmac_free,
		.prepare = tcpao_cmac_prepare,
		.init = tcpao_cmac_init,
		.final = tcpao_cmac_final,
		.end = tcpao_cmac_end,
	},
};

static const struct tcpao_prf_ops *tcpao_ops(const struct tcpao_algo *alg)
{
	return &tcpao_prf_ops[alg->kind];
}

/* The run-time row of @alg, or NULL when @alg is not one of ours. */
static const struct tcpao_alg_rt *tcpao_alg_rt(const struct tcpao_algo *alg)
{
	if (alg < tcpao_algs || alg >= tcpao_algs + ARRAY_SIZE(tcpao_algs))
		return NULL;
	return &tcpao_rt[alg - tcpao_algs];
}

/* ---- algorithm table ---- */

/* The crypto driver @alg runs on ("sha1-generic"), for reports. */
const char *tcpao_alg_driver(const struct tcpao_algo *alg)
{
	const struct tcpao_alg_rt *rt = tcpao_alg_rt(alg);
	struct crypto_shash *tfm;

	if (!rt)
		return NULL;
	tfm = rt->hash;
	if (!tfm && rt->pcpu)
		tfm = per_cpu_ptr(rt->pcpu,
				  cpumask_first(cpu_possible_mask))->tfm[0];
	return tfm ? crypto_shash_driver_name(tfm) : NULL;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_alg_driver);

const struct tcpao_algo *tcpao_alg_get(u8 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpao_algs); i++)
		if (tcpao_algs[i].id == id)
			return &tcpao_algs[i];
	return NULL;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_alg_get);

const struct tcpao_algo *tcpao_alg_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpao_algs); i++)
		if (!strcmp(tcpao_algs[i].name, name))
			return &tcpao_algs[i];
	return NULL;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_alg_by_name);

/* ---- keys ---- */

int tcpao_mkt_prepare(const struct tcpao_algo *alg, struct tcpao_prf_key *pk,
		      const u8 *secret, unsigned int len)
{
	const struct tcpao_alg_rt *rt = tcpao_alg_rt(alg);
	int err;

	if (!rt || len < TCPAO_SECRET_MIN || len > TCPAO_SECRET_MAX)
		return -EINVAL;
	pk->alg = alg->id;
	err = tcpao_ops(alg)->prepare(rt, pk, secret, len);
	if (err)
		memzero_explicit(pk, sizeof(*pk));
	return err;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_mkt_prepare);

int tcpao_tkey_prepare(const struct tcpao_algo *alg, struct tcpao_prf_key *pk,
		       const u8 *tkey)
{
	const struct tcpao_alg_rt *rt = tcpao_alg_rt(alg);
	int err;

	if (!rt)
		return -EINVAL;
	pk->alg = alg->id;
	/* A traffic key always has the PRF's own key length (16 bytes for
	 * CMAC), so ->prepare() uses it as it is.
	 */
	err = tcpao_ops(alg)->prepare(rt, pk, tkey, alg->tkey_len);
	if (err)
		memzero_explicit(pk, sizeof(*pk));
	return err;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_tkey_prepare);

/* ---- KDF ---- */

/* RFC 5926 3.1.1: Output = PRF(K, i | Label | Context | Length) for
 * i = 1, 2, ... concatenated and truncated to Length bits.  Both RFC 5926
 * algorithms need one block; the loop is there for longer keys.
 */
int tcpao_kdf(const struct tcpao_algo *alg, const struct tcpao_prf_key *mkt,
	      const void *ctx, unsigned int ctxlen, u8 *out)
{
	const struct tcpao_alg_rt *rt = tcpao_alg_rt(alg);
	const struct tcpao_prf_ops *ops;
	u8 block[HASH_MAX_DIGESTSIZE] __aligned(16);
	u8 msg[TCPAO_KDF_MSG_MAX];
	SHASH_DESC_ON_STACK(desc, NULL);
	unsigned int msglen, done, n;
	int err = 0;

	if (!rt || mkt->alg != alg->id)
		return -EINVAL;
	if (ctxlen != sizeof(struct tcpao_ctx4) &&
	    ctxlen != sizeof(struct tcpao_ctx6))
		return -EINVAL;
	ops = tcpao_ops(alg);

	msglen = 0;
	msg[msglen++] = 1;
	memcpy(msg + msglen, TCPAO_KDF_LABEL, 6);
	msglen += 6;
	memcpy(msg + msglen, ctx, ctxlen);
	msglen += ctxlen;
	put_unaligned_be16(alg->tkey_len * 8, msg + msglen);
	msglen += 2;

	for (done = 0; done < alg->tkey_len; done += n) {
		err = ops->init(rt, desc, mkt) ?:
		      crypto_shash_update(desc, msg, msglen) ?:
		      ops->final(rt, desc, mkt, block);
		ops->end(desc);
		if (err)
			break;
		n = min_t(unsigned int, alg->tkey_len - done, rt->outlen);
		memcpy(out + done, block, n);
		msg[0]++;
	}
	memzero_explicit(block, sizeof(block));
	if (err)
		memzero_explicit(out, alg->tkey_len);
	return err;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_kdf);

int tcpao_kdf_prepare(const struct tcpao_algo *alg,
		      const struct tcpao_prf_key *mkt,
		      const void *ctx, unsigned int ctxlen,
		      struct tcpao_prf_key *tk)
{
	u8 tkey[TCPAO_TKEY_MAX] __aligned(16);
	int err;

	err = tcpao_kdf(alg, mkt, ctx, ctxlen, tkey) ?:
	      tcpao_tkey_prepare(alg, tk, tkey);
	memzero_explicit(tkey, sizeof(tkey));
	return err;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_kdf_prepare);

/* ---- MAC ---- */

/* Feed @len bytes at @offset of @skb (linear part, page frags, frag_list)
 * to @desc where they lie, as skb_copy_bits() walks them.
 */
static int tcpao_hash_skb(struct shash_desc *desc, const struct sk_buff *skb,
			  unsigned int offset, unsigned int len)
{
	unsigned int start = skb_headlen(skb);
	struct sk_buff *frag_iter;
	unsigned int end, n;
	int i, err;

	if (offset < start) {
		n = min(start - offset, len);
		err = crypto_shash_update(desc, skb->data + offset, n);
		if (err)
			return err;
		len -= n;
		offset += n;
	}

	for (i = 0; len && i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		u32 p_off, p_len, copied;
		struct page *p;
		u8 *vaddr;

		end = start + skb_frag_size(f);
		if (offset < end) {
			n = min(end - offset, len);
			skb_frag_foreach_page(f, skb_frag_off(f) + offset - start,
					      n, p, p_off, p_len, copied) {
				vaddr = kmap_local_page(p);
				err = crypto_shash_update(desc, vaddr + p_off,
							  p_len);
				kunmap_local(vaddr);
				if (err)
					return err;
			}
			len -= n;
			offset += n;
		}
		start = end;
	}

	skb_walk_frags(skb, frag_iter) {
		if (!len)
			break;
		end = start + frag_iter->len;
		if (offset < end) {
			n = min(end - offset, len);
			err = tcpao_hash_skb(desc, frag_iter, offset - start, n);
			if (err)
				return err;
			len -= n;
			offset += n;
		}
		start = end;
	}

	/* tcpao_mac() checked the length against skb->len: only an skb whose
	 * len disagrees with its fragments gets here.
	 */
	return len ? -EFAULT : 0;
}

/* Build SNE | pseudo-header | TCP header (checksum and MAC zeroed, other
 * options dropped when the MKT excludes them) in @buf; returns its length
 * or -EINVAL when @seg does not describe a segment with a TCP-AO option.
 */
static int tcpao_mac_prefix(const struct tcpao_algo *alg,
			    const struct tcpao_seg *seg, u8 *buf)
{
	const struct sk_buff *skb = seg->skb;
	unsigned int aolen = 4 + alg->maclen;
	u8 *p = buf, *th;

	if (!skb || seg->thlen < 20 || seg->thlen > 60 || seg->thlen % 4 ||
	    seg->tcplen < seg->thlen ||
	    seg->thoff > skb_headlen(skb) ||
	    seg->thlen > skb_headlen(skb) - seg->thoff ||
	    seg->thoff > skb->len || seg->tcplen > skb->len - seg->thoff ||
	    seg->ao_off < 20 || seg->ao_off > seg->thlen - aolen)
		return -EINVAL;

	put_unaligned_be32(seg->sne, p);
	p += 4;

	/* RFC 5925 5.1 (2): the pseudo-header of RFC 793 / RFC 2460. */
	switch (seg->family) {
	case AF_INET:
		if (seg->tcplen > U16_MAX)
			return -EINVAL;
		memcpy(p, seg->saddr, 4);
		memcpy(p + 4, seg->daddr, 4);
		p[8] = 0;
		p[9] = IPPROTO_TCP;
		put_unaligned_be16(seg->tcplen, p + 10);
		p += 12;
		break;
	case AF_INET6:
		memcpy(p, seg->saddr, 16);
		memcpy(p + 16, seg->daddr, 16);
		put_unaligned_be32(seg->tcplen, p + 32);
		p[36] = 0;
		p[37] = 0;
		p[38] = 0;
		p[39] = IPPROTO_TCP;
		p += 40;
		break;
	default:
		return -EINVAL;
	}

	/* (3): copy only the header; the payload is hashed in place. */
	th = p;
	memcpy(th, skb->data + seg->thoff, seg->thlen);
	if (th[seg->ao_off] != TCPAO_OPT_KIND || th[seg->ao_off + 1] != aolen)
		return -EINVAL;
	th[16] = 0;
	th[17] = 0;
	memset(th + seg->ao_off + 4, 0, alg->maclen);
	if (!seg->exclude_opts)
		return p - buf + seg->thlen;

	/* Options other than TCP-AO excluded: the fixed header followed by
	 * the TCP-AO option (as Linux and the RFC 9235 vectors do; the data
	 * offset field keeps its value).
	 */
	memmove(th + 20, th + seg->ao_off, aolen);
	return p - buf + 20 + aolen;
}

int tcpao_mac(const struct tcpao_algo *alg, const struct tcpao_prf_key *tk,
	      const struct tcpao_seg *seg, u8 *mac)
{
	const struct tcpao_alg_rt *rt = tcpao_alg_rt(alg);
	const struct tcpao_prf_ops *ops;
	u8 digest[HASH_MAX_DIGESTSIZE] __aligned(16);
	u8 prefix[TCPAO_MAC_PREFIX_MAX];
	SHASH_DESC_ON_STACK(desc, NULL);
	int len, err;

	if (!rt || tk->alg != alg->id)
		return -EINVAL;
	len = tcpao_mac_prefix(alg, seg, prefix);
	if (len < 0)
		return len;
	ops = tcpao_ops(alg);

	err = ops->init(rt, desc, tk) ?:
	      crypto_shash_update(desc, prefix, len) ?:
	      tcpao_hash_skb(desc, seg->skb, seg->thoff + seg->thlen,
			     seg->tcplen - seg->thlen) ?:
	      ops->final(rt, desc, tk, digest);
	ops->end(desc);
	if (!err)
		memcpy(mac, digest, alg->maclen);
	memzero_explicit(digest, sizeof(digest));
	return err;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_mac);

/* ---- implementation choice ---- */

/*
 * The crypto API picks the fastest driver it knows by priority (SIMD where
 * the CPU has it), and that is what an algorithm runs on unless this lists
 * it (operator names, comma-separated: "hmac-sha-1-96"): then it runs on
 * its portable C driver.  Under an emulator such as QEMU's TCG, SHA-1's
 * SIMD code is emulated slowly and sha1-generic is the faster; the test
 * harness sets it there.  Read at load only.
 */
static char *tcpao_generic_crypto = "";
module_param_named(generic_crypto, tcpao_generic_crypto, charp, 0444);
MODULE_PARM_DESC(generic_crypto,
		 "Algorithms (comma-separated, e.g. hmac-sha-1-96) to run on their portable C driver instead of the crypto API's choice, for emulators where SIMD is slow (default none)");

static bool tcpao_want_generic(const struct tcpao_algo *alg)
{
	const char *p = tcpao_generic_crypto;
	size_t n = strlen(alg->name);

	while (p && *p) {
		if (!strncmp(p, alg->name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static const char *tcpao_pick_driver(const struct tcpao_algo *alg)
{
	if (alg->generic_name && tcpao_want_generic(alg))
		return alg->generic_name;
	return alg->crypto_name;
}

/* ---- init/exit ---- */

static void tcpao_crypto_free(unsigned int n)
{
	while (n--)
		tcpao_ops(&tcpao_algs[n])->free(&tcpao_rt[n]);
}

int tcpao_crypto_init(void)
{
	unsigned int i;
	int err;

	BUILD_BUG_ON(sizeof(((struct tcpao_prf_key *)0)->cmac.key) !=
		     TCPAO_CMAC_KEY_LEN);

	for (i = 0; i < ARRAY_SIZE(tcpao_algs); i++) {
		const struct tcpao_algo *alg = &tcpao_algs[i];

		if (WARN_ON(alg->tkey_len > TCPAO_TKEY_MAX ||
			    alg->maclen > TCPAO_MAC_LEN)) {
			err = -EINVAL;
			goto err_free;
		}
		tcpao_rt[i].driver = tcpao_pick_driver(alg);
		err = tcpao_ops(alg)->alloc(&tcpao_rt[i], alg);
		if (err)
			goto err_free;
	}

	return 0;

err_free:
	tcpao_crypto_free(i);
	return err;
}

/* Which implementations the crypto API chose (generic or SIMD) matters
 * for performance reports.
 */
void tcpao_crypto_log_drivers(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpao_algs); i++)
		pr_info("%s uses %s\n", tcpao_algs[i].name,
			tcpao_alg_driver(&tcpao_algs[i]));
}

void tcpao_crypto_exit(void)
{
	tcpao_crypto_free(ARRAY_SIZE(tcpao_algs));
}
