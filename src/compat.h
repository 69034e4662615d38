/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels tcpao builds against (5.10 and later).
 * Kbuild detects each interface in the kernel's headers (TCPAO_HAVE_*);
 * keep every such test here so the rest of the code reads as if for one
 * kernel.
 */
#ifndef _TCPAO_COMPAT_H
#define _TCPAO_COMPAT_H

#include <linux/export.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/inet_hashtables.h>
#include <crypto/hash.h>

/* 6.5 moved skb_gso_segment() and friends to <net/gso.h>. */
#ifdef TCPAO_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

/* 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>. */
#ifdef TCPAO_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV6)
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#endif

/*
 * Internal functions the KUnit module tests and tcpao_bench.ko times.
 * Exported in a namespace of their own, and only on kernels built with
 * KUnit or in a build for make bench (Kbuild's TCPAO_BENCH=1).
 */
#if IS_ENABLED(CONFIG_KUNIT) || defined(TCPAO_EXPORT_INTERNAL)
#define EXPORT_SYMBOL_IF_TCPAO_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, TCPAO_INTERNAL)
#else
#define EXPORT_SYMBOL_IF_TCPAO_KUNIT(sym)
#endif

/*
 * Formatted extack messages arrived in 6.2.  Before, extack only carries a
 * pointer to a string that must outlive the request until the ack is
 * built: tcpao_errbuf() formats into a small ring of buffers, long enough
 * for that window (the ack copies the text right after the handler
 * returns), and always NUL-terminated, so even a reuse cannot overrun.
 */
#ifdef NL_SET_ERR_MSG_FMT_MOD
#define TCPAO_ERR(extack, fmt, ...) \
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##__VA_ARGS__)
#else
const char *tcpao_errbuf(const char *fmt, ...) __printf(1, 2);
#define TCPAO_ERR(extack, fmt, ...) do {				\
	struct netlink_ext_ack *__ea = (extack);			\
									\
	if (__ea)							\
		__ea->_msg = tcpao_errbuf(KBUILD_MODNAME ": " fmt,	\
					  ##__VA_ARGS__);		\
} while (0)
#endif

/* 6.2 split do and dump ops: pre_doit and post_doit take the split form. */
#ifdef TCPAO_HAVE_GENL_SPLIT_OPS
#define tcpao_genl_doit_ops genl_split_ops
#else
#define tcpao_genl_doit_ops genl_ops
#endif

/* 6.0 added sk_gso_disable(); before, TCP-MD5 used sk_nocaps_add(). */
static inline void tcpao_sk_gso_disable(struct sock *sk)
{
#ifdef TCPAO_HAVE_SK_GSO_DISABLE
	sk_gso_disable(sk);
#else
	sk_nocaps_add(sk, NETIF_F_GSO_MASK);
#endif
}

/* 5.11 added kmap_local_page().  The 64-bit kernels older than that which
 * tcpao supports have no highmem: every page has a kernel address, and the
 * datapath already runs with preemption disabled.
 */
#ifndef TCPAO_HAVE_KMAP_LOCAL
#ifdef CONFIG_HIGHMEM
#error "tcpao needs kmap_local_page() (Linux 5.11) on kernels with HIGHMEM"
#endif
#define kmap_local_page(page)	page_address(page)
#define kunmap_local(addr)	((void)(addr))
#endif

/*
 * A generic netlink multicast group that needs CAP_NET_ADMIN to join:
 * Linux 6.7, backported to stable kernels (Debian's 6.1 has it).  Without
 * it netlink offers no hook to refuse a listener, and the events group
 * stays open to every local user (the module says so when it loads).
 */
#ifdef TCPAO_HAVE_GENL_MCAST_CAP
#define TCPAO_MCAST_CAP_NET_ADMIN	GENL_MCAST_CAP_NET_ADMIN
#else
#define TCPAO_MCAST_CAP_NET_ADMIN	0
#endif

/* 6.1 made the TCP established hash per network namespace. */
static inline struct inet_hashinfo *tcpao_hashinfo(struct net *net)
{
#ifdef TCPAO_HAVE_NETNS_EHASH
	return net->ipv4.tcp_death_row.hashinfo;
#else
	return &tcp_hashinfo;
#endif
}

/* The request's attributes in a dump: 6.6 made the dump info carry a
 * whole genl_info (genl_info_dump()); before, only its attributes.
 */
static inline struct nlattr **tcpao_dump_attrs(struct netlink_callback *cb)
{
#ifdef TCPAO_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* 6.8 dropped alignment masks from shash algorithms (and the accessor):
 * an shash takes its key and data at any alignment since.
 */
static inline unsigned int tcpao_shash_alignmask(struct crypto_shash *tfm)
{
#ifdef TCPAO_HAVE_SHASH_ALIGNMASK
	return crypto_shash_alignmask(tfm);
#else
	return 0;
#endif
}

/*
 * IPv6 defragmentation by netfilter for one namespace (hooks.c).  5.13
 * counted its users and added nf_defrag_ipv6_disable(); before, enabling
 * lasts until the namespace goes, which only costs reassembly at
 * PRE_ROUTING.  Without CONFIG_NF_DEFRAG_IPV6 there is none, and the input
 * hook's own rule for fragments is all there is (input.c).
 */
static inline int tcpao_defrag6_enable(struct net *net)
{
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV6)
	return nf_defrag_ipv6_enable(net);
#else
	return 0;
#endif
}

static inline void tcpao_defrag6_disable(struct net *net)
{
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV6) && defined(TCPAO_HAVE_NF_DEFRAG_IPV6_DISABLE)
	nf_defrag_ipv6_disable(net);
#endif
}

#endif /* _TCPAO_COMPAT_H */
