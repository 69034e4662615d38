// SPDX-License-Identifier: GPL-2.0
/*
 * The per-segment cost of TCP-AO, measured inside the module.
 *
 * /sys/kernel/debug/tcpao/bench (root only).  Write the parameters, read
 * the result:
 *
 *	echo "keychain=NAME iterations=N len=BYTES" > bench
 *	cat bench
 *
 * A read runs in the reader's network namespace, which must hold keychain
 * NAME (its active key must have send-id == recv-id, so that one keychain
 * serves both directions).  It creates two connection entries there, one
 * for each end of a synthetic flow 198.51.100.1:40000 <-> 198.51.100.2:179
 * (TEST-NET-2), derives their traffic keys as a handshake would, and then
 * times, on the same segment (IPv4, timestamps, BYTES of payload in a page
 * fragment, CHECKSUM_PARTIAL as a local sender or veth hands it over):
 *
 *	sign	tcpao_nf_out(): the POST_ROUTING hook, as the stack calls it
 *	verify	tcpao_nf_in(): the LOCAL_IN hook on the signed segment
 *	mac	tcpao_mac() alone: the MAC of crypto.c, on the skb
 *	floor	crypto_shash_digest() of the algorithm's keyed transform over
 *		the same bytes (SNE, pseudo-header, TCP header, payload) in one
 *		linear buffer: what the MAC cannot go below
 *
 * and, for reference, the digest of the same bytes on other drivers of the
 * same algorithm and on "md5" (what kernel TCP-MD5 hashes per segment).
 * While the hooks run, probes on the kmalloc and kmem_cache_alloc
 * tracepoints count the allocations made on this CPU (allocs_sign,
 * allocs_verify: totals over all iterations; the datapath must make none).
 * Work is done in batches of TCPAO_BENCH_BATCH segments with bottom halves
 * disabled, as in softirq; each figure is the median over the batches of
 * the time per segment, in nanoseconds.  The entries are removed at the
 * end; the namespace's counters keep what the bench counted.
 *
 * A module of its own, tcpao_bench.ko, built only by "make bench" (Kbuild's
 * TCPAO_BENCH=1, which also has tcpao.ko export the functions it times, in
 * the TCPAO_INTERNAL namespace as for the KUnit module); never by DKMS or
 * the packages.  Nothing here runs unless the file is read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/debugfs.h>
#include <linux/ip.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <net/ip.h>
#include <net/tcp.h>
#include <trace/events/kmem.h>

#include "datapath.h"
#include "keychain.h"

#define TCPAO_BENCH_BATCH	16
#define TCPAO_BENCH_HEADROOM	128
#define TCPAO_BENCH_TS_LEN	12	/* NOP, NOP, timestamps */
#define TCPAO_BENCH_HLEN	(sizeof(struct iphdr) + sizeof(struct tcphdr) + \
				 TCPAO_BENCH_TS_LEN)
#define TCPAO_BENCH_SHLEN	(TCPAO_BENCH_HLEN + TCPAO_OPT_LEN)
#define TCPAO_BENCH_ALTS	6

static DEFINE_MUTEX(tcpao_bench_lock);
static DEFINE_PER_CPU(bool, tcpao_bench_armed);
static DEFINE_PER_CPU(unsigned long, tcpao_bench_allocs);
static char tcpao_bench_kc[TCPAO_KEYCHAIN_NAME_LEN] = "bench";
static unsigned int tcpao_bench_iters = 5000;
static unsigned int tcpao_bench_len = 1448;
static struct dentry *tcpao_bench_dir;

/* Other drivers of each algorithm, timed for reference. */
static const char *const tcpao_bench_alts[][TCPAO_BENCH_ALTS] = {
	[TCPAO_PRF_HMAC] = { "hmac(sha1)", "hmac(sha1-generic)",
			     "hmac(sha1-avx)", "hmac(sha1-avx2)",
			     "hmac(sha1-ni)", "md5" },
	[TCPAO_PRF_CMAC] = { "cmac(aes)", "cmac(aes-generic)",
			     "cmac(aes-aesni)", "md5" },
};

struct tcpao_bench_floor {
	const char *name;
	struct crypto_shash *tfm;
	u64 *ns;
};

struct tcpao_bench {
	struct net *net;
	struct tcpao_net *tn;
	struct tcpao_conn *ca, *cb;	/* sender's and receiver's entries */
	const struct tcpao_algo *alg;
	unsigned int len;
	struct page *page;
	struct sk_buff *tx[TCPAO_BENCH_BATCH];
	struct sk_buff *rx[TCPAO_BENCH_BATCH];
	u8 hdr[TCPAO_BENCH_HLEN];	/* as TCP sends it */
	u8 shdr[TCPAO_BENCH_SHLEN];	/* as it leaves, signed */
	u8 *lin;			/* the MAC's input, linear */
	unsigned int linlen;
	struct tcpao_bench_floor floor[1 + TCPAO_BENCH_ALTS];
	int nfloor;
	char floor_name[CRYPTO_MAX_ALG_NAME];
	unsigned int ao_off;		/* of TCP-AO in the TCP header */
	int key;			/* index of the key in use */
	u64 *sign_ns, *verify_ns, *mac_ns;
	int nbatch;
	unsigned long allocs_sign, allocs_verify;
	bool probes;
};

/* Allocation counting: the probes count only on a CPU that is armed, and
 * a CPU is armed only around hook calls, with bottom halves disabled.
 */
static void tcpao_bench_count(void)
{
	if (this_cpu_read(tcpao_bench_armed))
		this_cpu_inc(tcpao_bench_allocs);
}

static void tcpao_bench_kmalloc(void *data, unsigned long call_site,
				const void *ptr, size_t bytes_req,
				size_t bytes_alloc, gfp_t gfp, int node)
{
	tcpao_bench_count();
}

static void tcpao_bench_cache_alloc(void *data, unsigned long call_site,
				    const void *ptr, struct kmem_cache *s,
				    gfp_t gfp, int node)
{
	tcpao_bench_count();
}

static void tcpao_bench_arm(bool on)
{
	this_cpu_write(tcpao_bench_armed, on);
}

static unsigned long tcpao_bench_allocs_now(void)
{
	return this_cpu_read(tcpao_bench_allocs);
}

#define TCPAO_BENCH_ADDR_A	cpu_to_be32(0xc6336401)	/* 198.51.100.1 */
#define TCPAO_BENCH_ADDR_B	cpu_to_be32(0xc6336402)	/* 198.51.100.2 */
#define TCPAO_BENCH_APORT	40000
#define TCPAO_BENCH_BPORT	179
#define TCPAO_BENCH_AISN	0x11223344
#define TCPAO_BENCH_BISN	0x55667788

static void tcpao_bench_flow(struct tcpao_flow *f, bool a)
{
	memset(f, 0, sizeof(*f));
	f->family = AF_INET;
	f->laddr.a4 = a ? TCPAO_BENCH_ADDR_A : TCPAO_BENCH_ADDR_B;
	f->raddr.a4 = a ? TCPAO_BENCH_ADDR_B : TCPAO_BENCH_ADDR_A;
	f->lport = htons(a ? TCPAO_BENCH_APORT : TCPAO_BENCH_BPORT);
	f->rport = htons(a ? TCPAO_BENCH_BPORT : TCPAO_BENCH_APORT);
}

/* An established data segment from A to B, as TCP hands it to IP. */
static void tcpao_bench_header(struct tcpao_bench *b)
{
	struct iphdr *iph = (struct iphdr *)b->hdr;
	struct tcphdr *th = (struct tcphdr *)(iph + 1);
	u8 *opt = (u8 *)(th + 1);

	memset(b->hdr, 0, sizeof(b->hdr));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->tot_len = htons(TCPAO_BENCH_HLEN + b->len);
	iph->saddr = TCPAO_BENCH_ADDR_A;
	iph->daddr = TCPAO_BENCH_ADDR_B;
	ip_send_check(iph);
	th->source = htons(TCPAO_BENCH_APORT);
	th->dest = htons(TCPAO_BENCH_BPORT);
	th->seq = htonl(TCPAO_BENCH_AISN + 1);
	th->ack_seq = htonl(TCPAO_BENCH_BISN + 1);
	th->doff = (sizeof(*th) + TCPAO_BENCH_TS_LEN) / 4;
	th->ack = 1;
	th->psh = 1;
	th->window = htons(502);
	opt[0] = TCPOPT_NOP;
	opt[1] = TCPOPT_NOP;
	opt[2] = TCPOPT_TIMESTAMP;
	opt[3] = TCPOLEN_TIMESTAMP;
	put_unaligned_be32(0x01020304, opt + 4);
	put_unaligned_be32(0x05060708, opt + 8);
}

/* Put @hdr back at the front of @skb, as it was before a hook ran. */
static void tcpao_bench_reset(struct sk_buff *skb, const u8 *hdr,
			      unsigned int hlen, unsigned int len)
{
	unsigned int room = skb_headroom(skb);

	if (room < TCPAO_BENCH_HEADROOM)
		__skb_pull(skb, TCPAO_BENCH_HEADROOM - room);
	skb_set_tail_pointer(skb, hlen);
	skb->len = hlen + len;
	memcpy(skb->data, hdr, hlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, sizeof(struct iphdr));
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
}

static struct sk_buff *tcpao_bench_skb(struct tcpao_bench *b, const u8 *hdr,
				       unsigned int hlen)
{
	struct sk_buff *skb;

	skb = alloc_skb(TCPAO_BENCH_HEADROOM + TCPAO_BENCH_SHLEN, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, TCPAO_BENCH_HEADROOM);
	skb_put(skb, hlen);
	get_page(b->page);
	skb_fill_page_desc(skb, 0, b->page, 0, b->len);
	skb->data_len = b->len;
	skb->truesize += PAGE_SIZE;
	skb->protocol = htons(ETH_P_IP);
	tcpao_bench_reset(skb, hdr, hlen, b->len);
	return skb;
}

/* The bytes the MAC covers (RFC 5925 5.1), in one buffer, for the floor. */
static int tcpao_bench_linear(struct tcpao_bench *b, unsigned int ao_off)
{
	const struct iphdr *iph = (const struct iphdr *)b->shdr;
	unsigned int thlen = TCPAO_BENCH_SHLEN - sizeof(*iph);
	u8 *p;

	b->linlen = 4 + 12 + thlen + b->len;
	b->lin = kmalloc(b->linlen, GFP_KERNEL);
	if (!b->lin)
		return -ENOMEM;
	p = b->lin;
	put_unaligned_be32(0, p);
	memcpy(p + 4, &iph->saddr, 4);
	memcpy(p + 8, &iph->daddr, 4);
	p[12] = 0;
	p[13] = IPPROTO_TCP;
	put_unaligned_be16(thlen + b->len, p + 14);
	p += 16;
	memcpy(p, iph + 1, thlen);
	p[16] = 0;
	p[17] = 0;
	memset(p + ao_off + 4, 0, TCPAO_MAC_LEN);
	memcpy(p + thlen, page_address(b->page), b->len);
	return 0;
}

static int tcpao_bench_floor_add(struct tcpao_bench *b, const char *name,
				 unsigned int keylen)
{
	struct tcpao_bench_floor *f = &b->floor[b->nfloor];
	u8 key[32];
	int err;

	f->tfm = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(f->tfm))
		return PTR_ERR(f->tfm);
	if (crypto_shash_get_flags(f->tfm) & CRYPTO_TFM_NEED_KEY) {
		get_random_bytes(key, sizeof(key));
		err = crypto_shash_setkey(f->tfm, key, keylen);
		memzero_explicit(key, sizeof(key));
		if (err) {
			crypto_free_shash(f->tfm);
			return err;
		}
	}
	f->ns = kcalloc(b->nbatch, sizeof(u64), GFP_KERNEL);
	if (!f->ns) {
		crypto_free_shash(f->tfm);
		return -ENOMEM;
	}
	f->name = name;
	b->nfloor++;
	return 0;
}

static void tcpao_bench_free(struct tcpao_bench *b)
{
	int i;

	for (i = 0; i < TCPAO_BENCH_BATCH; i++) {
		kfree_skb(b->tx[i]);
		kfree_skb(b->rx[i]);
	}
	for (i = 0; i < b->nfloor; i++) {
		crypto_free_shash(b->floor[i].tfm);
		kfree(b->floor[i].ns);
	}
	if (b->page)
		put_page(b->page);
	kfree(b->lin);
	kfree(b->sign_ns);
	kfree(b->verify_ns);
	kfree(b->mac_ns);
	if (b->ca)
		tcpao_conn_unlink(b->ca);
	if (b->cb)
		tcpao_conn_unlink(b->cb);
	if (b->net)
		put_net(b->net);
}

/* Make the two connection entries, established, in the reader's netns. */
static int tcpao_bench_conns(struct tcpao_bench *b, const char *kcname)
{
	struct tcpao_net *tn = b->tn;
	struct tcpao_conn_key key;
	struct tcpao_keychain *kc;
	struct tcpao_match m = { };
	struct tcpao_flow fa, fb;
	struct tcpao_conn *c;
	int err = 0;

	tcpao_bench_flow(&fa, true);
	tcpao_bench_flow(&fb, false);
	mutex_lock(&tn->lock);
	rcu_read_lock();
	kc = tcpao_keychain_find(tn, kcname);
	if (!kc) {
		err = -ENOENT;
		goto out;
	}
	m.kc = kc;
	/* Leftovers of an interrupted run make way. */
	tcpao_flow_to_key(&fa, &key);
	c = tcpao_conn_lookup(tn, &key);
	if (c)
		tcpao_conn_unlink(c);
	tcpao_flow_to_key(&fb, &key);
	c = tcpao_conn_lookup(tn, &key);
	if (c)
		tcpao_conn_unlink(c);

	c = tcpao_conn_create(tn, &fa, &m, TCPAO_CONN_SYN_SENT, 0);
	if (IS_ERR(c)) {
		err = PTR_ERR(c);
		goto out;
	}
	b->ca = c;
	c = tcpao_conn_create(tn, &fb, &m, TCPAO_CONN_SYN_RECV, 0);
	if (IS_ERR(c)) {
		err = PTR_ERR(c);
		goto out;
	}
	b->cb = c;
	err = tcpao_conn_sync(b->ca, htonl(TCPAO_BENCH_AISN),
			      htonl(TCPAO_BENCH_BISN)) ?:
	      tcpao_conn_sync(b->cb, htonl(TCPAO_BENCH_BISN),
			      htonl(TCPAO_BENCH_AISN));
out:
	rcu_read_unlock();
	mutex_unlock(&tn->lock);
	return err;
}

static unsigned int tcpao_bench_hook(struct tcpao_bench *b, bool out,
				     struct sk_buff *skb)
{
	struct nf_hook_state st = {
		.hook = out ? NF_INET_POST_ROUTING : NF_INET_LOCAL_IN,
		.pf = NFPROTO_IPV4,
		.net = b->net,
	};

	return out ? tcpao_nf_out(NULL, skb, &st) : tcpao_nf_in(NULL, skb, &st);
}

static int tcpao_bench_prepare(struct tcpao_bench *b, const char *kcname)
{
	const struct tcpao_ckeys *ck;
	struct tcpao_opts o;
	unsigned int v;
	int i, err;

	b->page = alloc_page(GFP_KERNEL);
	b->sign_ns = kcalloc(b->nbatch, sizeof(u64), GFP_KERNEL);
	b->verify_ns = kcalloc(b->nbatch, sizeof(u64), GFP_KERNEL);
	b->mac_ns = kcalloc(b->nbatch, sizeof(u64), GFP_KERNEL);
	if (!b->page || !b->sign_ns || !b->verify_ns || !b->mac_ns)
		return -ENOMEM;
	get_random_bytes(page_address(b->page), PAGE_SIZE);
	tcpao_bench_header(b);

	err = tcpao_bench_conns(b, kcname);
	if (err)
		return err;
	for (i = 0; i < TCPAO_BENCH_BATCH; i++) {
		b->tx[i] = tcpao_bench_skb(b, b->hdr, sizeof(b->hdr));
		if (!b->tx[i])
			return -ENOMEM;
	}

	/* Sign once for the receiver's segments, and check that they do
	 * verify: a bench of a failing path would measure nothing useful.
	 */
	local_bh_disable();
	rcu_read_lock();
	v = tcpao_bench_hook(b, true, b->tx[0]);
	rcu_read_unlock();
	local_bh_enable();
	if (v != NF_ACCEPT || b->tx[0]->len != TCPAO_BENCH_SHLEN + b->len)
		return -EPROTO;
	memcpy(b->shdr, b->tx[0]->data, sizeof(b->shdr));
	for (i = 0; i < TCPAO_BENCH_BATCH; i++) {
		b->rx[i] = tcpao_bench_skb(b, b->shdr, sizeof(b->shdr));
		if (!b->rx[i])
			return -ENOMEM;
	}
	local_bh_disable();
	rcu_read_lock();
	v = tcpao_bench_hook(b, false, b->rx[0]);
	rcu_read_unlock();
	local_bh_enable();
	if (v != NF_ACCEPT)
		return -EBADMSG;
	tcpao_bench_reset(b->rx[0], b->shdr, sizeof(b->shdr), b->len);

	if (tcpao_opts_parse(b->shdr + TCPAO_BENCH_HLEN - TCPAO_BENCH_TS_LEN,
			     TCPAO_BENCH_TS_LEN + TCPAO_OPT_LEN, &o) ||
	    o.ao < 0)
		return -EPROTO;
	rcu_read_lock();
	ck = tcpao_conn_keys(b->cb);
	i = !ck ? -1 :
	    tcpao_find_recv(ck->mkt, ck->n,
			    b->shdr[TCPAO_BENCH_HLEN - TCPAO_BENCH_TS_LEN +
				    o.ao + 2]);
	b->alg = i >= 0 ? ck->mkt[i]->alg : NULL;
	b->key = i;
	rcu_read_unlock();
	if (!b->alg)
		return -EPROTO;
	b->ao_off = sizeof(struct tcphdr) + o.ao;
	err = tcpao_bench_linear(b, b->ao_off);
	if (err)
		return err;

	/* The floor: the keyed transform on the driver tcpao uses. */
	if (b->alg->kind == TCPAO_PRF_HMAC)
		snprintf(b->floor_name, sizeof(b->floor_name), "hmac(%s)",
			 tcpao_alg_driver(b->alg));
	else
		strscpy(b->floor_name, tcpao_alg_driver(b->alg),
			sizeof(b->floor_name));
	err = tcpao_bench_floor_add(b, b->floor_name, b->alg->tkey_len);
	if (err)
		return err;
	for (i = 0; i < TCPAO_BENCH_ALTS; i++) {
		const char *name = tcpao_bench_alts[b->alg->kind][i];

		if (name)
			tcpao_bench_floor_add(b, name, b->alg->tkey_len);
	}
	return 0;
}

static int tcpao_bench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 tcpao_bench_median(u64 *v, int n)
{
	sort(v, n, sizeof(*v), tcpao_bench_cmp, NULL);
	return n ? v[n / 2] : 0;
}

/*
 * Time @n segments through the output hook (@out: fresh unsigned copies)
 * or the input hook (the signed copies); ns per segment.  Allocations made
 * meanwhile on this CPU are added to the direction's count.
 */
static u64 tcpao_bench_pass(struct tcpao_bench *b, bool out, int n, int *err)
{
	struct sk_buff **skbs = out ? b->tx : b->rx;
	const u8 *hdr = out ? b->hdr : b->shdr;
	unsigned int hlen = out ? sizeof(b->hdr) : sizeof(b->shdr);
	unsigned long a0, allocs;
	u64 t0, ns;
	int i;

	for (i = 0; i < n; i++)
		tcpao_bench_reset(skbs[i], hdr, hlen, b->len);
	t0 = ktime_get_ns();
	local_bh_disable();
	rcu_read_lock();
	a0 = tcpao_bench_allocs_now();
	tcpao_bench_arm(true);
	for (i = 0; i < n; i++)
		if (tcpao_bench_hook(b, out, skbs[i]) != NF_ACCEPT)
			*err = out ? -EPROTO : -EBADMSG;
	tcpao_bench_arm(false);
	allocs = tcpao_bench_allocs_now() - a0;
	rcu_read_unlock();
	local_bh_enable();
	ns = div_u64(ktime_get_ns() - t0, n);
	if (out) {
		b->allocs_sign += allocs;
	} else {
		b->allocs_verify += allocs;
		/* The input hook hid the option: put it back for tcpao_mac(). */
		tcpao_bench_reset(b->rx[0], b->shdr, sizeof(b->shdr), b->len);
	}
	return ns;
}

/* tcpao_mac() alone, with the receiver's traffic key. */
static u64 tcpao_bench_mac(struct tcpao_bench *b, int n, int *err)
{
	const struct iphdr *iph = (const struct iphdr *)b->shdr;
	struct tcpao_seg seg = {
		.family = AF_INET,
		.saddr = &iph->saddr,
		.daddr = &iph->daddr,
		.skb = b->rx[0],
		.thoff = sizeof(struct iphdr),
		.thlen = TCPAO_BENCH_SHLEN - sizeof(struct iphdr),
		.tcplen = TCPAO_BENCH_SHLEN - sizeof(struct iphdr) + b->len,
		.ao_off = b->ao_off,
	};
	const struct tcpao_ckeys *ck;
	u8 mac[TCPAO_MAC_LEN];
	u64 t0;
	int i;

	t0 = ktime_get_ns();
	local_bh_disable();
	rcu_read_lock();
	ck = tcpao_conn_keys(b->cb);
	for (i = 0; i < n; i++)
		if (!ck || tcpao_mac(b->alg, &ck->tk[b->key].rx, &seg, mac))
			*err = -EINVAL;
	rcu_read_unlock();
	local_bh_enable();
	return div_u64(ktime_get_ns() - t0, n);
}

/* crypto_shash_digest() of the same bytes, linear, on floor @f. */
static u64 tcpao_bench_digest(struct tcpao_bench *b, int f, int n, int *err)
{
	SHASH_DESC_ON_STACK(desc, b->floor[f].tfm);
	u8 digest[HASH_MAX_DIGESTSIZE];
	u64 t0;
	int i;

	desc->tfm = b->floor[f].tfm;
	t0 = ktime_get_ns();
	local_bh_disable();
	for (i = 0; i < n; i++)
		if (crypto_shash_digest(desc, b->lin, b->linlen, digest))
			*err = -EINVAL;
	local_bh_enable();
	shash_desc_zero(desc);
	return div_u64(ktime_get_ns() - t0, n);
}

/*
 * One batch of each measurement after the other, starting with a different
 * one each time: a slow spell of the (shared, emulated) machine then hits
 * every measurement alike, and the medians leave it out.
 */
static int tcpao_bench_run(struct tcpao_bench *b, unsigned int iters)
{
	int k, m, i, n, nm = 3 + b->nfloor, err = 0;

	for (k = 0; k < b->nbatch; k++) {
		n = min_t(unsigned int, TCPAO_BENCH_BATCH,
			  iters - k * TCPAO_BENCH_BATCH);
		for (i = 0; i < nm; i++) {
			m = (i + k) % nm;
			if (m == 0)
				b->sign_ns[k] = tcpao_bench_pass(b, true, n, &err);
			else if (m == 1)
				b->verify_ns[k] = tcpao_bench_pass(b, false, n, &err);
			else if (m == 2)
				b->mac_ns[k] = tcpao_bench_mac(b, n, &err);
			else
				b->floor[m - 3].ns[k] =
					tcpao_bench_digest(b, m - 3, n, &err);
		}
		if (err)
			return err;
		cond_resched();
		if (signal_pending(current))
			return -EINTR;
	}
	return 0;
}

static int tcpao_bench_show(struct seq_file *s, void *unused)
{
	struct tcpao_bench *b;
	char kcname[TCPAO_KEYCHAIN_NAME_LEN];
	unsigned int iters;
	int err, f;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	mutex_lock(&tcpao_bench_lock);
	strscpy(kcname, tcpao_bench_kc, sizeof(kcname));
	iters = tcpao_bench_iters;
	b->len = tcpao_bench_len;
	b->nbatch = DIV_ROUND_UP(iters, TCPAO_BENCH_BATCH);
	b->net = get_net(current->nsproxy->net_ns);
	b->tn = tcpao_pernet(b->net);

	err = tcpao_bench_prepare(b, kcname);
	if (!err) {
		bool km, kc;

		km = !register_trace_kmalloc(tcpao_bench_kmalloc, NULL);
		kc = !register_trace_kmem_cache_alloc(tcpao_bench_cache_alloc,
						      NULL);
		b->probes = km && kc;
		err = tcpao_bench_run(b, iters);
		if (kc)
			unregister_trace_kmem_cache_alloc(tcpao_bench_cache_alloc,
							  NULL);
		if (km)
			unregister_trace_kmalloc(tcpao_bench_kmalloc, NULL);
		tracepoint_synchronize_unregister();
	}
	if (err) {
		seq_printf(s, "error=%d keychain=%s\n", err, kcname);
		goto out;
	}
	seq_printf(s, "keychain=%s alg=%s len=%u iterations=%u batch=%u",
		   kcname, b->alg->name, b->len, iters, TCPAO_BENCH_BATCH);
	seq_printf(s, " sign_ns=%llu verify_ns=%llu mac_ns=%llu",
		   tcpao_bench_median(b->sign_ns, b->nbatch),
		   tcpao_bench_median(b->verify_ns, b->nbatch),
		   tcpao_bench_median(b->mac_ns, b->nbatch));
	if (b->probes)
		seq_printf(s, " allocs_sign=%lu allocs_verify=%lu",
			   b->allocs_sign, b->allocs_verify);
	seq_printf(s, " mac_bytes=%u floor_driver=%s floor_ns=%llu",
		   b->linlen, crypto_shash_driver_name(b->floor[0].tfm),
		   tcpao_bench_median(b->floor[0].ns, b->nbatch));
	for (f = 1; f < b->nfloor; f++)
		seq_printf(s, " alt:%s=%llu",
			   crypto_shash_driver_name(b->floor[f].tfm),
			   tcpao_bench_median(b->floor[f].ns, b->nbatch));
	seq_putc(s, '\n');
out:
	tcpao_bench_free(b);
	mutex_unlock(&tcpao_bench_lock);
	kfree(b);
	/* The error is in the text: a failed run still reads. */
	return 0;
}

static int tcpao_bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, tcpao_bench_show, NULL);
}

static ssize_t tcpao_bench_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	char buf[128], *p = buf, *tok;
	unsigned int v;
	int err = 0;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = 0;
	mutex_lock(&tcpao_bench_lock);
	while ((tok = strsep(&p, " \t\n")) && !err) {
		if (!*tok)
			continue;
		if (!strncmp(tok, "keychain=", 9) && tok[9] &&
		    strlen(tok + 9) < sizeof(tcpao_bench_kc)) {
			strscpy(tcpao_bench_kc, tok + 9,
				sizeof(tcpao_bench_kc));
		} else if (!strncmp(tok, "iterations=", 11)) {
			err = kstrtouint(tok + 11, 0, &v);
			if (!err && (v < 1 || v > 10000000))
				err = -ERANGE;
			if (!err)
				tcpao_bench_iters = v;
		} else if (!strncmp(tok, "len=", 4)) {
			err = kstrtouint(tok + 4, 0, &v);
			if (!err && v > PAGE_SIZE)
				err = -ERANGE;
			if (!err)
				tcpao_bench_len = v;
		} else {
			err = -EINVAL;
		}
	}
	mutex_unlock(&tcpao_bench_lock);
	return err ?: count;
}

static const struct file_operations tcpao_bench_fops = {
	.owner = THIS_MODULE,
	.open = tcpao_bench_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = tcpao_bench_write,
	.release = single_release,
};

static int __init tcpao_bench_init(void)
{
	tcpao_bench_dir = debugfs_create_dir("tcpao", NULL);
	debugfs_create_file("bench", 0600, tcpao_bench_dir, NULL,
			    &tcpao_bench_fops);
	return 0;
}

static void __exit tcpao_bench_exit(void)
{
	debugfs_remove_recursive(tcpao_bench_dir);
}

module_init(tcpao_bench_init);
module_exit(tcpao_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The per-segment cost of tcpao (TCP-AO), measured in the kernel");
MODULE_AUTHOR("The tcpao developers");
MODULE_IMPORT_NS(TCPAO_INTERNAL);
