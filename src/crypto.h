/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 5925/5926 cryptography: traffic key derivation and segment MACs.
 *
 * Both algorithms of RFC 5926 use one pseudo-random function for the KDF
 * and for the MAC: HMAC-SHA1 or AES-128-CMAC.  A key for that function is
 * "prepared" once (outside the datapath where possible) into a
 * struct tcpao_prf_key; using a prepared key allocates nothing and never
 * sleeps, so tcpao_kdf() and tcpao_mac() may run in softirq context.
 */
#ifndef _TCPAO_CRYPTO_H
#define _TCPAO_CRYPTO_H

#include <linux/types.h>
#include <linux/in6.h>
#include <linux/skbuff.h>
#include <linux/tcpao.h>

/* Largest exported hash state we keep per HMAC key half: SHA-1's is 96
 * (struct sha1_state), with room for a byte or two more should a kernel
 * export more; crypto.c refuses a larger one at load.  Every traffic key
 * pair holds two of each: 128 made a connection's keys of one MKT 562
 * bytes, which kmalloc rounds up to 1024; at 104 they fit in 512.
 */
#define TCPAO_HASH_STATE_MAX	104
/* Largest traffic key (SHA-1: 20 bytes, AES-128: 16). */
#define TCPAO_TKEY_MAX		32

enum tcpao_prf_kind {
	TCPAO_PRF_HMAC,
	TCPAO_PRF_CMAC,
};

/**
 * struct tcpao_algo - one row of the algorithm table
 * @id: &enum tcpao_alg
 * @name: operator name ("hmac-sha-1-96")
 * @kind: which PRF construction
 * @crypto_name: kernel crypto API name of the primitive ("sha1", "cmac(aes)")
 * @generic_name: its portable C implementation ("sha1-generic"), used
 *	instead when the generic_crypto parameter names the algorithm
 * @maclen: MAC length on the wire (bytes)
 * @tkey_len: traffic key length = KDF output length (bytes)
 *
 * Adding an algorithm (HMAC-SHA-256, say) is one more row.
 */
struct tcpao_algo {
	u8 id;
	const char *name;
	enum tcpao_prf_kind kind;
	const char *crypto_name;
	const char *generic_name;
	u8 maclen;
	u8 tkey_len;
};

/**
 * struct tcpao_prf_key - a key prepared for the algorithm's PRF
 *
 * HMAC: the exported hash states after absorbing key^ipad and key^opad.
 * CMAC: the 16-byte AES key.  Either way this is key material: wipe it
 * with memzero_explicit() or kfree_sensitive().
 *
 * Deliberately not over-aligned: it lives inside kmalloc'ed objects of
 * odd sizes, where the compiler could not rely on more than 8 bytes.  Code
 * that hands it to a tfm with a non-zero alignmask (none on x86: AES-NI and
 * aes-generic use 0) must copy it to an aligned buffer first, or
 * crypto_shash_setkey() would kmalloc a copy in the datapath.
 */
struct tcpao_prf_key {
	u8 alg;
	union {
		struct {
			u8 istate[TCPAO_HASH_STATE_MAX];
			u8 ostate[TCPAO_HASH_STATE_MAX];
		} hmac;
		struct {
			u8 key[16];
		} cmac;
	};
};

/* RFC 5926 section 3.1.1 "Context": the connection block of the KDF. */
struct tcpao_ctx4 {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__be32 sisn;
	__be32 disn;
} __packed;

struct tcpao_ctx6 {
	struct in6_addr saddr;
	struct in6_addr daddr;
	__be16 sport;
	__be16 dport;
	__be32 sisn;
	__be32 disn;
} __packed;

/**
 * struct tcpao_seg - one TCP segment to sign or verify, where it lies
 * @family: AF_INET or AF_INET6 (selects the pseudo-header format)
 * @saddr: source address (4 or 16 bytes, network order)
 * @daddr: destination address
 * @sne: sequence number extension of this segment (RFC 5925 6.2)
 * @skb: the packet; the TCP header must be in the linear part
 * @thoff: offset of the TCP header from skb->data
 * @thlen: TCP header length including options (doff * 4)
 * @tcplen: TCP header plus payload length (pseudo-header length field)
 * @ao_off: offset of the TCP-AO option from the start of the TCP header
 * @exclude_opts: the MKT excludes TCP options other than TCP-AO
 *
 * The payload (@tcplen - @thlen bytes from @thoff + @thlen) is read where
 * it lies: linear part, page frags, frag_list; never linearised or copied.
 */
struct tcpao_seg {
	int family;
	const void *saddr;
	const void *daddr;
	u32 sne;
	const struct sk_buff *skb;
	unsigned int thoff;
	unsigned int thlen;
	unsigned int tcplen;
	unsigned int ao_off;
	bool exclude_opts;
};

/* Allocate the transforms; at module init (process context), which runs
 * tcpao_crypto_selftest() next.  On failure nothing is left allocated.
 */
int tcpao_crypto_init(void);
void tcpao_crypto_exit(void);
void tcpao_crypto_log_drivers(void);

const struct tcpao_algo *tcpao_alg_get(u8 id);
const struct tcpao_algo *tcpao_alg_by_name(const char *name);
const char *tcpao_alg_driver(const struct tcpao_algo *alg);

/*
 * Calling context of everything below: process or softirq context, never
 * with hard interrupts disabled (AES-CMAC runs inside local_bh_disable()
 * on a per-CPU transform).  Nothing allocates or sleeps.  Errors: -EINVAL
 * for a bad length, an unknown @alg or a key prepared for another
 * algorithm; other -errno only from the crypto API.  Every temporary
 * holding key material is wiped; on error a half-written @pk or @out is
 * zeroed.
 */

/* Prepare a master key (MKT secret, TCPAO_SECRET_MIN..TCPAO_SECRET_MAX
 * bytes) for the KDF.  For AES-128-CMAC a secret that is not 16 bytes is
 * first normalised as RFC 5926 3.1.1.2 says: K = AES-CMAC(0^128, secret).
 */
int tcpao_mkt_prepare(const struct tcpao_algo *alg, struct tcpao_prf_key *pk,
		      const u8 *secret, unsigned int len);

/* Prepare a traffic key (exactly alg->tkey_len bytes) for tcpao_mac(). */
int tcpao_tkey_prepare(const struct tcpao_algo *alg, struct tcpao_prf_key *pk,
		       const u8 *tkey);

/* RFC 5926 3.1.1: traffic_key = PRF(mkt, 0x01 | "TCP-AO" | ctx | L) with
 * L the output length in bits.  @out gets alg->tkey_len bytes.  @ctx is a
 * struct tcpao_ctx4 or tcpao_ctx6 (@ctxlen its size, anything else is
 * -EINVAL) filled from the point of view of the segment's sender: the
 * segment's source/destination address and port, the sender's ISN, then
 * the receiver's ISN (0 for the traffic keys of a SYN, RFC 5925 5.2).
 */
int tcpao_kdf(const struct tcpao_algo *alg, const struct tcpao_prf_key *mkt,
	      const void *ctx, unsigned int ctxlen, u8 *out);

/* tcpao_kdf() then tcpao_tkey_prepare(); the raw key never leaves. */
int tcpao_kdf_prepare(const struct tcpao_algo *alg,
		      const struct tcpao_prf_key *mkt,
		      const void *ctx, unsigned int ctxlen,
		      struct tcpao_prf_key *tk);

/* RFC 5925 5.1: MAC over SNE, pseudo-header, TCP header (checksum and MAC
 * zeroed; other options per @seg->exclude_opts) and payload, truncated to
 * alg->maclen bytes into @mac.  Allocates nothing, never sleeps, does not
 * modify the skb (the MAC field in it may hold anything).  -EINVAL unless
 * the header lies in the linear part, 20 <= thlen <= 60 (multiple of 4),
 * thlen <= tcplen <= skb->len - thoff, and a TCP-AO option of length
 * 4 + alg->maclen starts at @seg->ao_off (>= 20) inside the header.
 */
int tcpao_mac(const struct tcpao_algo *alg, const struct tcpao_prf_key *tk,
	      const struct tcpao_seg *seg, u8 *mac);

/* Known-answer self-test on RFC 9235 vectors; 0 or -errno. */
int tcpao_crypto_selftest(void);

#endif /* _TCPAO_CRYPTO_H */
