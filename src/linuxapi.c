// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's own TCP-AO socket API (Linux 6.7: TCP_AO_ADD_KEY, TCP_AO_DEL_KEY,
 * TCP_AO_INFO, TCP_AO_GET_KEYS, TCP_AO_REPAIR), with Linux's structures, on
 * kernels built without it.  The calls arrive at tcpao's socket option
 * level (TCPAO_SO_AO_*, see the UAPI header; registered here, apart from
 * sockopt.c's), where tools/libtcpao-compat/libtcpao-compat.so forwards a
 * daemon's IPPROTO_TCP calls, so that daemons written for Linux's TCP-AO
 * (BIRD 2.17) work unchanged.
 *
 * This is tcpao's machinery seen through Linux's API, not a second
 * datapath:
 *  - a socket's keys are grouped by the peer they are for (address,
 *    prefix, VRF); each group is a keychain of its own, unnamed, bound to
 *    the socket as a TCPAO_SO_BIND binding would be (sockopt.c), so that
 *    SYNs find them the same way;
 *  - a connection takes the group its peer matches (the longest prefix);
 *    one accepted by a listener a copy of it, as Linux copies the keys to
 *    the new socket: keys added to or deleted from the listener later do
 *    not reach it, keys added to it stay its own;
 *  - the key to sign with and the RNextKeyID we send are Linux's
 *    Current_key and RNext_key (struct tcpao_lx), not chosen by time as in
 *    a keychain; Current_key follows the peer's RNextKeyID;
 *  - Linux's counters, per socket and per key, and its namespace counters
 *    (TCPAOGood and the others, where the kernel has them) are kept.
 * A socket with such state is never protected by a peer policy: a peer
 * none of its keys matches gets an unprotected connection, as on Linux
 * (or none, with ao_required).  Documentation/linuxapi.rst lists, call by
 * call, what is Linux's behaviour here and what differs.
 *
 * The socket's state (struct tcpao_lx) and what bindings, connections and
 * the datapath do with it are lxstate.c's; this file is the socket
 * options that set it and read it back.
 *
 * Secrets never come back out: TCP_AO_GET_KEYS reports a key's length, not
 * its bytes (Linux returns them to whoever holds the socket).
 *
 * Setting needs CAP_NET_ADMIN in the socket's network namespace (Linux
 * asks for none): a socket's keys count against the namespace's binding
 * limit and turn tcpao's hooks on for all of the namespace's traffic,
 * resources an unprivileged user must not be able to use up.
 *
 * Locking: every call takes the socket lock, then tn->lock; key sets are
 * published under tn->lock and read by the datapath under RCU, which also
 * reads Current_key, RNext_key and the socket's flags with READ_ONCE().
 * User memory is read before the locks are taken and written after they
 * are released: a fault on it (userfaultfd, FUSE) must not hold tn->lock,
 * which every other socket and the netlink family of the namespace need.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/capability.h>
#include <linux/netfilter.h>
#include <linux/inetdevice.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>
#include <net/tcp.h>

#include "binding.h"
#include "conn.h"
#include "datapath.h"
#include "peer.h"
#include "sne.h"
#include "sockopt.h"
#include "lxstate.h"
#include "linuxapi.h"

/* The peer a key is for, parsed. */
struct tcpao_lx_peer {
	union tcpao_addr addr;
	int l3index;
	u8 family;
	u8 prefix;
	u8 keyflags;
};

/* A socket's state for one call: its connection's keys or its groups. */
struct tcpao_lx_sock {
	struct sock *sk;
	struct tcpao_net *tn;
	struct tcpao_lx *lx;		/* reference held, or NULL */
	struct tcpao_keychain *kc;	/* connected: reference held */
	struct tcpao_bindset *set;	/* not connected: its groups */
	bool bound;			/* bound with TCPAO_SO_BIND */
	bool other;			/* connected, protected otherwise */
};

#define TCPAO_LX_KEYF_ALL	(TCP_AO_KEYF_IFINDEX | TCP_AO_KEYF_EXCLUDE_OPT)

static atomic64_t tcpao_lx_serial = ATOMIC64_INIT(0);

/* ---- keys and key sets ---- */

static bool tcpao_lx_is_cmac(const struct tcpao_mkt *m)
{
	return m->alg->id == TCPAO_ALG_AES_128_CMAC_96;
}

/* The keys of @kc; their sets change under tn->lock only. */
static struct tcpao_keyset *tcpao_lx_keys(struct tcpao_keychain *kc)
{
	return rcu_dereference_protected(kc->keys,
					 lockdep_is_held(&kc->tn->lock));
}

/*
 * Publish @kc's key set with @add (reference taken over) and without @del.
 * Keys of these keychains all start at 0: the set is sorted by key id,
 * as keysel.c expects (start time, then id).
 */
static int tcpao_lx_publish(struct tcpao_keychain *kc, struct tcpao_mkt *add,
			    const struct tcpao_mkt *del, struct sock *sk)
{
	struct tcpao_keyset *old = tcpao_lx_keys(kc), *ks;
	int i, n = 0, cap = (old ? old->n : 0) + 1;

	ks = kzalloc(struct_size(ks, mkt, cap), GFP_KERNEL_ACCOUNT);
	if (!ks)
		return -ENOMEM;
	for (i = 0; old && i < old->n; i++) {
		if (old->mkt[i] == del)
			continue;
		if (add && add->id < old->mkt[i]->id) {
			ks->mkt[n++] = add;
			add = NULL;
		}
		refcount_inc(&old->mkt[i]->ref);
		ks->mkt[n++] = old->mkt[i];
	}
	if (add)
		ks->mkt[n++] = add;
	ks->n = n;
	rcu_assign_pointer(kc->keys, ks);
	/* Connections compare their generation with this one (conn.c);
	 * seeing the new generation must imply seeing the new set.
	 */
	smp_store_release(&kc->gen, kc->gen + 1);
	if (old)
		call_rcu(&old->rcu, tcpao_lx_keyset_free_rcu);
	tcpao_config_changed(kc->tn);
	/*
	 * A deleted key is gone from the connection at once.  Only a
	 * connected socket's own connection uses its keychain (a listener's
	 * connections have copies): refresh that one, not every connection
	 * of the namespace.
	 */
	if (sk && !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))) {
		struct tcpao_conn *c;

		rcu_read_lock();
		c = tcpao_sk_conn(kc->tn, sk);
		if (c && c->kc == kc)
			tcpao_conn_keys(c);
		rcu_read_unlock();
	}
	return 0;
}

/* ---- a socket's state, for a call ---- */

static void tcpao_lx_resolve(struct tcpao_lx_sock *s)
{
	struct tcpao_sockbind *sb = tcpao_sb_find(s->tn, s->sk);
	struct tcpao_conn *c;

	/*
	 * A socket being restored (TCP_REPAIR, keys added in repair mode:
	 * a binding of its own) is answered from its own keys: the
	 * connection its 4-tuple still has is the previous incarnation's,
	 * until TCP_AO_REPAIR replaces it (tcpao_sock_repair()).
	 */
	if (!((1 << s->sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)) &&
	    !(tcp_sk(s->sk)->repair && sb && sb->lx)) {
		rcu_read_lock();
		c = tcpao_sk_conn(s->tn, s->sk);
		if (c && c->lx) {
			/* Both outlive the grace period that frees @c. */
			refcount_inc(&c->kc->ref);
			s->kc = c->kc;
			tcpao_lx_hold(c->lx);
			s->lx = c->lx;
		} else if (c && !(c->flags & TCPAO_CONN_F_UNPROTECTED)) {
			s->other = true;
		}
		rcu_read_unlock();
		if (s->lx)
			return;
	}
	if (!sb)
		return;
	if (!sb->lx) {
		s->bound = true;
		return;
	}
	s->set = tcpao_sb_set(s->tn, sb);
	tcpao_lx_hold(sb->lx);
	s->lx = sb->lx;
}

static void tcpao_lx_release(struct tcpao_lx_sock *s)
{
	tcpao_keychain_put(s->kc);
	tcpao_lx_put(s->lx);
}

/* Give a socket without state an empty one (before its first key). */
static int tcpao_lx_create(struct tcpao_lx_sock *s)
{
	struct tcpao_bindset *set;
	struct tcpao_lx *lx;
	int err;

	lx = tcpao_lx_alloc(GFP_KERNEL_ACCOUNT);
	set = kzalloc(sizeof(*set), GFP_KERNEL_ACCOUNT);
	if (!lx || !set) {
		kfree(lx);
		kfree(set);
		return -ENOMEM;
	}
	snprintf(lx->name, sizeof(lx->name), "socket:[%lu]",
		 sock_i_ino(s->sk));
	err = tcpao_sb_replace(s->tn, s->sk, set, lx);
	if (err) {
		tcpao_lx_put(lx);
		return err;
	}
	s->set = set;
	s->lx = lx;	/* our reference */
	return 0;
}

/* Number of keychains holding the socket's keys, and the i-th. */
static int tcpao_lx_nkc(const struct tcpao_lx_sock *s)
{
	return s->kc ? 1 : s->set ? s->set->n : 0;
}

static struct tcpao_keychain *tcpao_lx_kc(const struct tcpao_lx_sock *s,
					  int i)
{
	return s->kc ?: s->set->e[i].kc;
}

/* A walk over all the socket's keys, group by group. */
struct tcpao_lx_iter {
	int g;		/* group (keychain) of the key returned last */
	int j;		/* next key in it */
};

static struct tcpao_mkt *tcpao_lx_next(const struct tcpao_lx_sock *s,
				       struct tcpao_lx_iter *it)
{
	const struct tcpao_keyset *ks;

	for (; it->g < tcpao_lx_nkc(s); it->g++, it->j = 0) {
		ks = tcpao_lx_keys(tcpao_lx_kc(s, it->g));
		if (ks && it->j < ks->n)
			return ks->mkt[it->j++];
	}
	return NULL;
}

/*
 * Does key @k match (Linux: tcp_ao_key_cmp() == 0) a lookup for
 * @family/@addr/@prefix in VRF @l3index (-1: any) with these IDs (-1: any)?
 */
static bool tcpao_lx_match(const struct tcpao_mkt *k, int l3index,
			   const union tcpao_addr *addr, u8 prefix,
			   u8 family, int sndid, int rcvid)
{
	const struct tcpao_mkt_lx *x = &k->lx;
	union tcpao_addr a, b;

	if ((sndid >= 0 && k->send_id != sndid) ||
	    (rcvid >= 0 && k->recv_id != rcvid))
		return false;
	if (l3index >= 0 && (x->keyflags & TCP_AO_KEYF_IFINDEX) &&
	    x->l3index != l3index)
		return false;
	if (family == AF_UNSPEC)
		return true;
	if (family == AF_INET6 && ipv6_addr_v4mapped(&addr->a6)) {
		memset(&a, 0, sizeof(a));
		a.a4 = addr->a6.s6_addr32[3];
		addr = &a;
		family = AF_INET;
	}
	if (x->family != family)
		return false;
	if (family == AF_INET) {
		if (!x->addr.a4 || !addr->a4)
			return true;
	} else if (ipv6_addr_any(&x->addr.a6) || ipv6_addr_any(&addr->a6)) {
		return true;
	}
	tcpao_addr_mask(family, &x->addr, prefix, &a);
	tcpao_addr_mask(family, addr, prefix, &b);
	return !memcmp(&a, &b, sizeof(a));
}

/* Current_key and RNext_key of the socket, as keys, or NULL. */
static struct tcpao_mkt *tcpao_lx_current(const struct tcpao_lx_sock *s,
					  bool rnext)
{
	struct tcpao_lx_iter it = {};
	const struct tcpao_keyset *ks;
	struct tcpao_mkt *m;
	u64 serial;
	int i;

	if (s->kc) {
		s16 id = rnext ? READ_ONCE(s->lx->rnext) : READ_ONCE(s->lx->cur);

		ks = tcpao_lx_keys(s->kc);
		if (id < 0 || !ks)
			return NULL;
		i = tcpao_lx_by_id(ks->mkt, ks->n,
				   rnext ? -1 : id, rnext ? id : -1);
		return i < 0 ? NULL : ks->mkt[i];
	}
	serial = rnext ? READ_ONCE(s->lx->rnext_serial) :
			 READ_ONCE(s->lx->cur_serial);
	while ((m = tcpao_lx_next(s, &it)))
		if (serial && m->lx.serial == serial)
			return m;
	return NULL;
}

/*
 * The key with SendID @sndid or RecvID @rcvid, of any peer, the one added
 * last (Linux: tcp_ao_established_key(), the first in its list).
 */
static struct tcpao_mkt *tcpao_lx_find_id(const struct tcpao_lx_sock *s,
					  int sndid, int rcvid)
{
	struct tcpao_mkt *m, *best = NULL;
	struct tcpao_lx_iter it = {};

	while ((m = tcpao_lx_next(s, &it)))
		if ((sndid < 0 || m->send_id == sndid) &&
		    (rcvid < 0 || m->recv_id == rcvid) &&
		    (!best || m->lx.serial > best->lx.serial))
			best = m;
	return best;
}

/*
 * The keys a call names as the new Current_key (@set_current: SendID
 * @current_key) and RNext_key (@set_rnext: RecvID @rnext), each left NULL
 * when not asked for; ENOENT for a key the socket does not hold.
 */
static int tcpao_lx_find_new(const struct tcpao_lx_sock *s, bool set_current,
			     u8 current_key, bool set_rnext, u8 rnext_id,
			     struct tcpao_mkt **cur, struct tcpao_mkt **rnext)
{
	if (set_current) {
		*cur = tcpao_lx_find_id(s, current_key, -1);
		if (!*cur)
			return -ENOENT;
	}
	if (set_rnext) {
		*rnext = tcpao_lx_find_id(s, -1, rnext_id);
		if (!*rnext)
			return -ENOENT;
	}
	return 0;
}

static void tcpao_lx_set_current(struct tcpao_lx_sock *s,
				 const struct tcpao_mkt *cur,
				 const struct tcpao_mkt *rnext)
{
	if (cur) {
		if (s->kc)
			WRITE_ONCE(s->lx->cur, cur->send_id);
		else
			WRITE_ONCE(s->lx->cur_serial, cur->lx.serial);
	}
	if (rnext) {
		if (s->kc)
			WRITE_ONCE(s->lx->rnext, rnext->recv_id);
		else
			WRITE_ONCE(s->lx->rnext_serial, rnext->lx.serial);
	}
}

static bool tcpao_lx_is_current(const struct tcpao_lx_sock *s,
				const struct tcpao_mkt *m, bool rnext)
{
	return m && m == tcpao_lx_current(s, rnext);
}

/* ---- argument checks ---- */

/*
 * An argument as Linux 6.7-6.12 take it (copy_struct_from_sockptr() from
 * user memory): a shorter one is the caller's to refuse, a longer one is
 * cut to the structure, whatever its extra bytes hold.
 */
static int tcpao_lx_copy_in(void *dst, size_t ksize, sockptr_t src,
			    size_t usize)
{
	size_t size = min(ksize, usize);

	if (copy_from_sockptr(dst, src, size))
		return -EFAULT;
	memset(dst + size, 0, ksize - size);
	return 0;
}

/*
 * The peer of a new key (Linux's tcp_ao_verify_ipv4/6()): port 0, host
 * bits clear, the any address exactly with prefix 0, and a connected
 * socket's peer inside it.  An IPv4 peer of an IPv6 socket is given
 * v4-mapped, with an IPv4 prefix length.
 */
static int tcpao_lx_peer_add(struct sock *sk,
			     const struct __kernel_sockaddr_storage *ss,
			     u8 prefix, struct tcpao_lx_peer *p)
{
	union tcpao_addr m;

	memset(p, 0, sizeof(*p));
	p->prefix = prefix;
	if (sk->sk_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		if (sin->sin_family != AF_INET || sin->sin_port)
			return -EINVAL;
		p->family = AF_INET;
		p->addr.a4 = sin->sin_addr.s_addr;
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;
		const struct in6_addr *a6 = &sin6->sin6_addr;

		if (sin6->sin6_family != AF_INET6 || sin6->sin6_port)
			return -EINVAL;
		if (prefix && ipv6_addr_v4mapped(a6)) {
			const struct in6_addr *d = &sk->sk_v6_daddr;

			p->family = AF_INET;
			p->addr.a4 = a6->s6_addr32[3];
			if (!ipv6_addr_any(d) && !ipv6_addr_v4mapped(d))
				return -EINVAL;
		} else {
			p->family = AF_INET6;
			p->addr.a6 = *a6;
		}
	}
	if (!prefix) {
		if (p->family == AF_INET ? !!p->addr.a4 :
		    !ipv6_addr_any(&p->addr.a6))
			return -EINVAL;
		return 0;
	}
	if (p->family == AF_INET ? !p->addr.a4 || prefix > 32 :
	    ipv6_addr_any(&p->addr.a6) || prefix > 128)
		return -EINVAL;
	tcpao_addr_mask(p->family, &p->addr, prefix, &m);
	if (memcmp(&m, &p->addr, sizeof(m)))
		return -EINVAL;
	/* A connected socket's peer must be inside. */
	if (p->family == AF_INET && sk->sk_family == AF_INET &&
	    inet_sk(sk)->inet_daddr &&
	    (inet_sk(sk)->inet_daddr & inet_make_mask(prefix)) != p->addr.a4)
		return -EINVAL;
	if (sk->sk_family == AF_INET6 && !ipv6_addr_any(&sk->sk_v6_daddr)) {
		union tcpao_addr d = { .a6 = sk->sk_v6_daddr };

		if (p->family == AF_INET) {
			memset(&d, 0, sizeof(d));
			d.a4 = sk->sk_v6_daddr.s6_addr32[3];
		}
		tcpao_addr_mask(p->family, &d, prefix, &m);
		if (memcmp(&m, &p->addr, sizeof(m)))
			return -EINVAL;
	}
	return 0;
}

/* A TCP-MD5 key for the peer (Linux refuses TCP-AO keys then). */
static bool tcpao_lx_md5(struct sock *sk, const struct tcpao_lx_peer *p)
{
#ifdef CONFIG_TCP_MD5SIG
	const struct tcp_md5sig_info *md5;
	const struct tcp_md5sig_key *key;
	union tcpao_addr a, ma, mb;

	md5 = rcu_dereference_protected(tcp_sk(sk)->md5sig_info,
					lockdep_sock_is_held(sk));
	if (!md5)
		return false;
	hlist_for_each_entry_rcu(key, &md5->head, node,
				 lockdep_sock_is_held(sk)) {
		if (key->family != p->family)
			continue;
		if ((p->keyflags & TCP_AO_KEYF_IFINDEX) &&
		    (key->flags & TCP_MD5SIG_FLAG_IFINDEX) &&
		    key->l3index != p->l3index)
			continue;
		memset(&a, 0, sizeof(a));
		if (p->family == AF_INET)
			a.a4 = key->addr.a4.s_addr;
#if IS_ENABLED(CONFIG_IPV6)
		else
			a.a6 = key->addr.a6;
#endif
		tcpao_addr_mask(p->family, &a, key->prefixlen, &ma);
		tcpao_addr_mask(p->family, &p->addr, key->prefixlen, &mb);
		if (!memcmp(&ma, &mb, sizeof(ma)))
			return true;
	}
#endif
	return false;
}

static bool tcpao_lx_has_md5(struct sock *sk)
{
#ifdef CONFIG_TCP_MD5SIG
	const struct tcp_md5sig_info *md5;

	md5 = rcu_dereference_protected(tcp_sk(sk)->md5sig_info,
					lockdep_sock_is_held(sk));
	return md5 && !hlist_empty(&md5->head);
#else
	return false;
#endif
}

/*
 * Linux's algorithm names for the two tcpao implements.  "cmac(aes)" is
 * AES-128-CMAC only with a 16-byte key (Linux takes 24 and 32 for
 * AES-192 and AES-256).
 */
static const struct tcpao_algo *tcpao_lx_alg(const char *name, u8 keylen)
{
	if (!strcmp(name, "hmac(sha1)"))
		return tcpao_alg_get(TCPAO_ALG_HMAC_SHA1_96);
	if (!strcmp(name, "cmac(aes128)") ||
	    (!strcmp(name, "cmac(aes)") && keylen == 16))
		return tcpao_alg_get(TCPAO_ALG_AES_128_CMAC_96);
	return NULL;
}

/* ---- TCP_AO_ADD_KEY ---- */

/* The keychain of @s's keys for peer @p, if it has one. */
static int tcpao_lx_group(const struct tcpao_lx_sock *s,
			  const struct tcpao_lx_peer *p)
{
	bool l3 = p->keyflags & TCP_AO_KEYF_IFINDEX;
	int i;

	for (i = 0; s->set && i < s->set->n; i++) {
		const struct tcpao_bind_ent *e = &s->set->e[i];

		if (e->family == p->family && e->plen == p->prefix &&
		    e->l3 == l3 && e->ifindex == (l3 ? p->l3index : 0) &&
		    !memcmp(&e->addr, &p->addr, sizeof(e->addr)))
			return i;
	}
	return -1;
}

/* A new group (keychain) for peer @p holding key @m (reference taken). */
static int tcpao_lx_group_new(struct tcpao_lx_sock *s,
			      const struct tcpao_lx_peer *p,
			      struct tcpao_mkt *m)
{
	int i, n = s->set ? s->set->n : 0, err = -ENOMEM;
	struct tcpao_keychain *kc;
	struct tcpao_bindset *set;
	struct tcpao_bind_ent *e;

	kc = tcpao_lx_kc_alloc(s->tn, s->lx->name, GFP_KERNEL_ACCOUNT);
	set = kzalloc(struct_size(set, e, n + 1), GFP_KERNEL_ACCOUNT);
	if (kc && set)
		err = tcpao_lx_publish(kc, m, NULL, NULL);
	if (err) {
		tcpao_mkt_put(m);
		kfree(kc);
		kfree(set);
		return err;
	}
	for (i = 0; i < n; i++) {
		set->e[i] = s->set->e[i];
		refcount_inc(&set->e[i].kc->ref);
	}
	e = &set->e[n];
	e->family = p->family;
	e->addr = p->addr;
	e->plen = p->prefix;
	e->l3 = p->keyflags & TCP_AO_KEYF_IFINDEX;
	e->ifindex = e->l3 ? p->l3index : 0;
	e->kc = kc;	/* our reference goes to the set */
	set->n = n + 1;
	err = tcpao_sb_replace(s->tn, s->sk, set, s->lx);
	if (!err)
		s->set = set;
	return err;
}

/* @m leaves its group; an empty group goes. */
static int tcpao_lx_group_del(struct tcpao_lx_sock *s, int g,
			      struct tcpao_mkt *m)
{
	struct tcpao_keychain *kc = tcpao_lx_kc(s, g);
	const struct tcpao_keyset *ks = tcpao_lx_keys(kc);
	struct tcpao_bindset *set;
	int i, n = 0, err;

	if (s->kc || ks->n > 1)
		return tcpao_lx_publish(kc, NULL, m, s->sk);
	set = kzalloc(struct_size(set, e, s->set->n - 1), GFP_KERNEL_ACCOUNT);
	if (!set)
		return -ENOMEM;
	for (i = 0; i < s->set->n; i++) {
		if (i == g)
			continue;
		set->e[n] = s->set->e[i];
		refcount_inc(&set->e[n].kc->ref);
		n++;
	}
	set->n = n;
	err = tcpao_sb_replace(s->tn, s->sk, set, s->lx);
	if (!err)
		s->set = set;
	return err;
}

static int tcpao_lx_add(struct tcpao_lx_sock *s, struct tcp_ao_add *cmd)
{
	struct sock *sk = s->sk;
	struct tcpao_key_cfg cfg = { .has_secret = true, .has_start = true,
				     .has_send = true, .has_recv = true,
				     .has_alg = true, .has_opts = true };
	const struct tcpao_algo *alg;
	struct tcpao_lx_peer p;
	struct tcpao_mkt *m, *o;
	const struct tcpao_keyset *ks;
	struct tcpao_lx_iter it = {};
	bool listen = sk->sk_state == TCP_LISTEN;
	int err, g, i, id;

	if (cmd->keylen > TCP_AO_MAXKEYLEN || cmd->reserved || cmd->reserved2)
		err = -EINVAL;
	else
		err = tcpao_lx_peer_add(sk, &cmd->addr, cmd->prefix, &p);
	if (err)
		goto out;
	err = -EINVAL;
	if ((cmd->keyflags & ~TCPAO_LX_KEYF_ALL) ||
	    ((cmd->set_current || cmd->set_rnext) && listen) ||
	    (cmd->ifindex && !(cmd->keyflags & TCP_AO_KEYF_IFINDEX)))
		goto out;
	p.keyflags = cmd->keyflags;
	if ((cmd->keyflags & TCP_AO_KEYF_IFINDEX) && cmd->ifindex) {
		int bound = READ_ONCE(sk->sk_bound_dev_if);

		if (l3mdev_master_ifindex_by_index(sock_net(sk), cmd->ifindex) !=
		    cmd->ifindex)
			goto out;
		if (bound != cmd->ifindex &&
		    !((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE)))
			goto out;
		p.l3index = cmd->ifindex;
	}
	if (tcpao_lx_md5(sk, &p)) {
		err = -EKEYREJECTED;
		goto out;
	}
	/* The algorithms and MAC length tcpao implements. */
	cmd->alg_name[sizeof(cmd->alg_name) - 1] = '\0';
	alg = tcpao_lx_alg(cmd->alg_name, cmd->keylen);
	if (!alg) {
		err = -ENOENT;
		goto out;
	}
	if (cmd->maclen > 16) {
		err = -EMSGSIZE;
		goto out;
	}
	if ((cmd->maclen && cmd->maclen != alg->maclen) || !cmd->keylen) {
		err = cmd->keylen ? -EOPNOTSUPP : -EINVAL;
		goto out;
	}

	/* RFC 5925 3.1: IDs of keys whose peers overlap do not overlap. */
	if (s->lx) {
		while ((o = tcpao_lx_next(s, &it))) {
			u8 pl = min(p.prefix, o->lx.prefix);

			if (tcpao_lx_match(o, p.l3index, &p.addr, pl, p.family,
					   -1, cmd->rcvid) ||
			    tcpao_lx_match(o, p.l3index, &p.addr, pl, p.family,
					   cmd->sndid, -1)) {
				err = -EEXIST;
				goto out;
			}
		}
	} else {
		err = tcpao_lx_create(s);
		if (err)
			goto out;
	}

	g = s->kc ? 0 : tcpao_lx_group(s, &p);
	id = 0;
	if (g >= 0) {
		ks = tcpao_lx_keys(tcpao_lx_kc(s, g));
		for (i = 0; ks && i < ks->n && ks->mkt[i]->id == id; i++)
			id++;
		if (id >= TCPAO_KEYS_MAX) {
			err = -ENOSPC;
			goto out;
		}
	}
	cfg.id = id;
	cfg.start = 0;
	cfg.send_id = cmd->sndid;
	cfg.recv_id = cmd->rcvid;
	cfg.alg = alg->id;
	cfg.tcp_options = !(cmd->keyflags & TCP_AO_KEYF_EXCLUDE_OPT);
	cfg.secret_len = cmd->keylen;
	memcpy(cfg.secret, cmd->key, cmd->keylen);
	m = tcpao_mkt_new(&cfg);
	memzero_explicit(&cfg, sizeof(cfg));
	if (IS_ERR(m)) {
		err = PTR_ERR(m);
		goto out;
	}
	m->lx.family = p.family;
	m->lx.addr = p.addr;
	m->lx.prefix = p.prefix;
	m->lx.keyflags = p.keyflags;
	m->lx.l3index = p.l3index;
	m->lx.keylen = tcpao_lx_is_cmac(m) ? 16 : cmd->keylen;
	m->lx.serial = atomic64_inc_return(&tcpao_lx_serial);

	if (g >= 0) {
		err = tcpao_lx_publish(tcpao_lx_kc(s, g), m, NULL, s->sk);
		if (err)
			tcpao_mkt_put(m);
	} else {
		err = tcpao_lx_group_new(s, &p, m);
	}
	if (err)
		goto out;
	tcpao_lx_set_current(s, cmd->set_current ? m : NULL,
			     cmd->set_rnext ? m : NULL);
out:
	return err;
}

/* ---- TCP_AO_DEL_KEY ---- */

static int tcpao_lx_del(struct tcpao_lx_sock *s, const struct tcp_ao_del *cmd)
{
	struct tcpao_mkt *cur = NULL, *rnext = NULL, *m;
	struct tcpao_lx_iter it = {};
	union tcpao_addr addr = {};
	int err, l3index;
	u8 family;
	__be16 port;

	if (cmd->reserved || cmd->reserved2 ||
	    ((cmd->set_current || cmd->set_rnext) &&
	     s->sk->sk_state == TCP_LISTEN) ||
	    (cmd->keyflags & ~TCP_AO_KEYF_IFINDEX) ||
	    (cmd->ifindex && !(cmd->keyflags & TCP_AO_KEYF_IFINDEX)))
		return -EINVAL;
	l3index = cmd->keyflags & TCP_AO_KEYF_IFINDEX ? cmd->ifindex : 0;
	if (!s->lx)
		return -ENOENT;
	err = tcpao_lx_find_new(s, cmd->set_current, cmd->current_key,
				cmd->set_rnext, cmd->rnext, &cur, &rnext);
	if (err)
		return err;
	if (cmd->del_async && s->sk->sk_state != TCP_LISTEN)
		return -EINVAL;
	if (s->sk->sk_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)&cmd->addr;

		family = AF_INET;
		addr.a4 = sin->sin_addr.s_addr;
		port = sin->sin_port;
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)&cmd->addr;

		family = AF_INET6;
		addr.a6 = sin6->sin6_addr;
		port = sin6->sin6_port;
		if (ipv6_addr_v4mapped(&addr.a6)) {
			family = AF_INET;
			memset(&addr, 0, sizeof(addr));
			addr.a4 = sin6->sin6_addr.s6_addr32[3];
		}
	}
	if (port)
		return -EINVAL;

	while ((m = tcpao_lx_next(s, &it))) {
		const struct tcpao_mkt_lx *x = &m->lx;

		if (m->send_id != cmd->sndid || m->recv_id != cmd->rcvid ||
		    x->family != family || x->prefix != cmd->prefix ||
		    memcmp(&x->addr, &addr, sizeof(addr)) ||
		    (x->keyflags & TCP_AO_KEYF_IFINDEX) !=
		    (cmd->keyflags & TCP_AO_KEYF_IFINDEX) ||
		    x->l3index != l3index || m == cur || m == rnext)
			continue;
		/*
		 * Linux sets the new Current_key and RNext_key first; a key
		 * still in use is not deleted (nor with del_async, which
		 * changes nothing here: deletion never waits).
		 */
		tcpao_lx_set_current(s, cur, rnext);
		if (tcpao_lx_is_current(s, m, false) ||
		    tcpao_lx_is_current(s, m, true))
			return -EBUSY;
		return tcpao_lx_group_del(s, it.g, m);
	}
	return -ENOENT;
}

/* ---- TCP_AO_INFO ---- */

static int tcpao_lx_info_set(struct tcpao_lx_sock *s,
			     const struct tcp_ao_info_opt *cmd)
{
	struct tcpao_mkt *cur = NULL, *rnext = NULL;
	struct sock *sk = s->sk;
	int err, i;

	if (((cmd->set_current || cmd->set_rnext) &&
	     sk->sk_state == TCP_LISTEN) || cmd->reserved || cmd->reserved2)
		return -EINVAL;
	if (!s->lx && !((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE)))
		return -EINVAL;
	if (cmd->ao_required && tcpao_lx_has_md5(sk))
		return -EKEYREJECTED;
	err = tcpao_lx_find_new(s, cmd->set_current, cmd->current_key,
				cmd->set_rnext, cmd->rnext, &cur, &rnext);
	if (err)
		return err;
	if (!s->lx) {
		err = tcpao_lx_create(s);
		if (err)
			return err;
	}
	if (cmd->set_counters) {
		const u64 v[TCPAO_LX_NCNT] = {
			cmd->pkt_good, cmd->pkt_bad, cmd->pkt_key_not_found,
			cmd->pkt_ao_required, cmd->pkt_dropped_icmp,
		};

		for (i = 0; i < TCPAO_LX_NCNT; i++)
			atomic64_set(&s->lx->cnt[i], v[i]);
	}
	WRITE_ONCE(s->lx->ao_required, cmd->ao_required);
	WRITE_ONCE(s->lx->accept_icmps, cmd->accept_icmps);
	tcpao_lx_set_current(s, cur, rnext);
	return 0;
}

/* @out: zeroed by the caller, which copies it out. */
static int tcpao_lx_info_get(struct tcpao_lx_sock *s,
			     struct tcp_ao_info_opt *out)
{
	struct tcpao_mkt *m;

	if (!s->lx)
		return -ENOENT;
	out->ao_required = READ_ONCE(s->lx->ao_required);
	out->accept_icmps = READ_ONCE(s->lx->accept_icmps);
	out->pkt_good = atomic64_read(&s->lx->cnt[TCPAO_LX_GOOD]);
	out->pkt_bad = atomic64_read(&s->lx->cnt[TCPAO_LX_BAD]);
	out->pkt_key_not_found =
		atomic64_read(&s->lx->cnt[TCPAO_LX_KEY_NOT_FOUND]);
	out->pkt_ao_required = atomic64_read(&s->lx->cnt[TCPAO_LX_AO_REQUIRED]);
	out->pkt_dropped_icmp =
		atomic64_read(&s->lx->cnt[TCPAO_LX_DROPPED_ICMP]);
	m = tcpao_lx_current(s, false);
	if (m) {
		out->set_current = 1;
		out->current_key = m->send_id;
	}
	m = tcpao_lx_current(s, true);
	if (m) {
		out->set_rnext = 1;
		out->rnext = m->recv_id;
	}
	return 0;
}

/* ---- TCP_AO_GET_KEYS ---- */

static int tcpao_lx_serial_cmp(const void *a, const void *b)
{
	const struct tcpao_mkt *x = *(const struct tcpao_mkt **)a;
	const struct tcpao_mkt *y = *(const struct tcpao_mkt **)b;

	return x->lx.serial > y->lx.serial ? -1 : x->lx.serial < y->lx.serial;
}

/* A filter's peer (Linux's checks in tcp_ao_copy_mkts_to_user()). */
static int tcpao_lx_filter_peer(const struct tcp_ao_getsockopt *in,
				union tcpao_addr *addr, bool *has_addr,
				__be16 *port)
{
	union tcpao_addr m;
	u8 family = AF_INET;

	memset(addr, 0, sizeof(*addr));
	*port = 0;
	switch (in->addr.ss_family) {
	case AF_INET: {
		const struct sockaddr_in *sin = (const void *)&in->addr;

		*port = sin->sin_port;
		addr->a4 = sin->sin_addr.s_addr;
		if (in->prefix > 32 || (!addr->a4 && in->prefix))
			return -EINVAL;
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *sin6 = (const void *)&in->addr;

		*port = sin6->sin6_port;
		addr->a6 = sin6->sin6_addr;
		if (!in->prefix) {
			if (!ipv6_addr_any(&addr->a6))
				return -EINVAL;
		} else if (ipv6_addr_v4mapped(&addr->a6)) {
			union tcpao_addr a4 = { .a4 = addr->a6.s6_addr32[3] };

			if (in->prefix > 32 || !a4.a4)
				return -EINVAL;
			tcpao_addr_mask(AF_INET, &a4, in->prefix, &m);
			if (m.a4 != a4.a4)
				return -EINVAL;
			*has_addr = true;
			return 0;
		} else if (ipv6_addr_any(&addr->a6) || in->prefix > 128) {
			return -EINVAL;
		}
		family = AF_INET6;
		break;
	}
	case 0:
		*has_addr = false;
		return 0;
	default:
		return -EAFNOSUPPORT;
	}
	tcpao_addr_mask(family, addr, in->prefix, &m);
	if (memcmp(&m, addr, sizeof(m)))
		return -EINVAL;
	*has_addr = true;
	return 0;
}

static void tcpao_lx_key_out(const struct tcpao_mkt *k,
			     const struct tcpao_mkt *cur,
			     const struct tcpao_mkt *rnext,
			     struct tcp_ao_getsockopt *out)
{
	memset(out, 0, sizeof(*out));
	if (k->lx.family == AF_INET) {
		struct sockaddr_in *sin = (void *)&out->addr;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = k->lx.addr.a4;
	} else {
		struct sockaddr_in6 *sin6 = (void *)&out->addr;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = k->lx.addr.a6;
	}
	strscpy(out->alg_name, tcpao_lx_is_cmac(k) ? "cmac(aes)" : "hmac(sha1)",
		sizeof(out->alg_name));
	/* out->key stays zero: secrets do not leave the kernel. */
	out->sndid = k->send_id;
	out->rcvid = k->recv_id;
	out->prefix = k->lx.prefix;
	out->keyflags = k->lx.keyflags;
	out->is_current = k == cur;
	out->is_rnext = k == rnext;
	out->maclen = k->alg->maclen;
	out->keylen = k->lx.keylen;
	out->ifindex = k->lx.l3index;
	out->pkt_good = atomic64_read(&k->lx.pkt_good);
	out->pkt_bad = atomic64_read(&k->lx.pkt_bad);
}

/*
 * The keys @in (@ulen bytes of the caller's, copied in when positive)
 * asks for, into @out (allocated here, at most @in->nkeys), and how many
 * matched in @matched; the caller copies them out once the locks are
 * released.
 */
static int tcpao_lx_get_keys(struct tcpao_lx_sock *s,
			     const struct tcp_ao_getsockopt *in, int ulen,
			     struct tcp_ao_getsockopt **out, u32 *matched)
{
	struct tcpao_mkt **keys, *m, *cur, *rnext;
	struct tcpao_lx_iter it = {};
	union tcpao_addr addr;
	int err, i, n = 0, l3index;
	bool by_addr = true, has_addr = false;
	__be16 port;

	/* Linux's order (tcp_ao_get_mkts()): a socket without keys is
	 * ENOENT whatever the argument holds.
	 */
	*out = NULL;
	*matched = 0;
	if (!s->lx)
		return -ENOENT;
	if (ulen <= 0)
		return -EINVAL;
	if (in->pkt_good || in->pkt_bad ||
	    (in->keyflags & ~TCP_AO_KEYF_IFINDEX) ||
	    (in->ifindex && !(in->keyflags & TCP_AO_KEYF_IFINDEX)) ||
	    in->reserved)
		return -EINVAL;
	l3index = in->keyflags & TCP_AO_KEYF_IFINDEX ? in->ifindex : -1;
	if (in->get_all || in->is_current || in->is_rnext) {
		if (in->get_all && (in->is_current || in->is_rnext))
			return -EINVAL;
		by_addr = false;
	}
	err = tcpao_lx_filter_peer(in, &addr, &has_addr, &port);
	if (err)
		return err;
	if (by_addr && !has_addr)
		return -EAFNOSUPPORT;
	if (!by_addr &&
	    (has_addr || port || in->prefix || in->sndid || in->rcvid))
		return -EINVAL;

	while (tcpao_lx_next(s, &it))
		n++;
	keys = kmalloc_array(max(n, 1), sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return -ENOMEM;
	n = 0;
	memset(&it, 0, sizeof(it));
	while ((m = tcpao_lx_next(s, &it)))
		keys[n++] = m;
	/* Linux lists the key added last first. */
	sort(keys, n, sizeof(*keys), tcpao_lx_serial_cmp, NULL);
	cur = tcpao_lx_current(s, false);
	rnext = tcpao_lx_current(s, true);

	/* The ones asked for, then as many of them as the caller has room for. */
	for (i = 0; i < n; i++) {
		m = keys[i];
		if (in->is_current || in->is_rnext) {
			if (!(in->is_current && m == cur) &&
			    !(in->is_rnext && m == rnext))
				continue;
		} else if (by_addr &&
			   !tcpao_lx_match(m, l3index, &addr, in->prefix,
					   in->addr.ss_family, in->sndid,
					   in->rcvid)) {
			continue;
		}
		keys[(*matched)++] = m;
	}
	n = min(*matched, in->nkeys);
	err = 0;
	if (n) {
		*out = kvmalloc_array(n, sizeof(**out), GFP_KERNEL_ACCOUNT);
		if (!*out)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < n; i++)
		tcpao_lx_key_out(keys[i], cur, rnext, &(*out)[i]);
	kfree(keys);
	return err;
}

/* ---- TCP_AO_REPAIR ---- */

static int tcpao_lx_repair_get(struct sock *sk, void __user *user, int *len)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(sk));
	struct tcp_ao_repair r = {};
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcpao_conn *c;
	int err = 0;

	if (*len <= 0)
		return -EINVAL;
	lock_sock(sk);
	if (!tp->repair) {
		err = -EPERM;
		goto out;
	}
	rcu_read_lock();
	c = tcpao_sk_conn(tn, sk);
	if (!c || !c->lx || c->state < TCPAO_CONN_ESTABLISHED) {
		err = -ENOENT;
	} else {
		r.snt_isn = c->lisn;
		r.rcv_isn = c->risn;
		r.snd_sne = tcpao_sne_of(atomic64_read(&c->snd_ref),
					 tp->snd_nxt);
		r.rcv_sne = tcpao_sne_of(atomic64_read(&c->rcv_ref),
					 tp->rcv_nxt);
	}
	rcu_read_unlock();
out:
	release_sock(sk);
	if (!err && copy_to_user(user, &r, min_t(int, *len, sizeof(r))))
		err = -EFAULT;
	return err;
}

static int tcpao_lx_repair_set(struct sock *sk, sockptr_t arg,
			       unsigned int len)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(sk));
	struct tcp_ao_repair cmd;
	struct tcpao_repair r;
	struct tcpao_lx_sock s = { .sk = sk, .tn = tn };
	int err;

	if (len < sizeof(cmd))
		return -EINVAL;
	err = tcpao_lx_copy_in(&cmd, sizeof(cmd), arg, len);
	if (err)
		return err;
	lock_sock(sk);
	if (!tcp_sk(sk)->repair) {
		release_sock(sk);
		return -EPERM;
	}
	mutex_lock(&tn->lock);
	tcpao_lx_resolve(&s);
	err = s.lx ? 0 : -ENOENT;
	tcpao_lx_release(&s);
	mutex_unlock(&tn->lock);
	release_sock(sk);
	if (err)
		return err;
	r.lisn = ntohl(cmd.snt_isn);
	r.risn = ntohl(cmd.rcv_isn);
	r.snd_sne = cmd.snd_sne;
	r.rcv_sne = cmd.rcv_sne;
	return tcpao_sock_repair(sk, &r);
}

/* ---- entry points ---- */

/* The arguments of the calls that set, read before any lock is taken. */
union tcpao_lx_cmd {
	struct tcp_ao_add add;
	struct tcp_ao_del del;
	struct tcp_ao_info_opt info;
};

static int tcpao_lx_setsockopt(struct sock *sk, int optname, sockptr_t arg,
			       unsigned int len)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(sk));
	struct tcpao_lx_sock s = { .sk = sk, .tn = tn };
	union tcpao_lx_cmd cmd;
	size_t size;
	int err;

	if (sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM)
		return -ENOPROTOOPT;

	BUILD_BUG_ON(sizeof(struct tcp_ao_add) != 288);
	BUILD_BUG_ON(sizeof(struct tcp_ao_del) != 144);
	BUILD_BUG_ON(sizeof(struct tcp_ao_info_opt) != 48);
	BUILD_BUG_ON(sizeof(struct tcp_ao_repair) != 16);

	if (!ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (optname == TCPAO_SO_AO_REPAIR) {
		/* Linux: tcp_can_repair_sock() */
		if (sk->sk_state == TCP_LISTEN)
			return -EPERM;
		return tcpao_lx_repair_set(sk, arg, len);
	}
	switch (optname) {
	case TCPAO_SO_AO_ADD_KEY:
		size = sizeof(cmd.add);
		break;
	case TCPAO_SO_AO_DEL_KEY:
		size = sizeof(cmd.del);
		break;
	case TCPAO_SO_AO_INFO:
		size = sizeof(cmd.info);
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (len < size)
		return -EINVAL;
	err = tcpao_lx_copy_in(&cmd, size, arg, len);
	if (err)
		goto out_wipe;

	lock_sock(sk);
	mutex_lock(&tn->lock);
	tcpao_lx_resolve(&s);
	if (s.bound) {
		err = -EBUSY;	/* bound with TCPAO_SO_BIND */
		goto out_unlock;
	}
	/*
	 * The first key of a socket restored in repair mode (Linux: a new
	 * socket, no keys yet) while the connection of its 4-tuple, of the
	 * socket it replaces, is still known: the keys are the new socket's
	 * own (see tcpao_lx_resolve()), not added to the old connection's.
	 */
	if (optname == TCPAO_SO_AO_ADD_KEY && tcp_sk(sk)->repair && s.kc &&
	    !tcpao_sb_find(tn, sk)) {
		tcpao_lx_release(&s);
		s.kc = NULL;
		s.lx = NULL;
	}
	/* Linux: the first call on a socket is before connect(), or in
	 * repair mode.
	 */
	if (!s.lx && !((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE)) &&
	    (s.other || !tcp_sk(sk)->repair)) {
		err = -EISCONN;
		goto out_unlock;
	}
	switch (optname) {
	case TCPAO_SO_AO_ADD_KEY:
		err = tcpao_lx_add(&s, &cmd.add);
		break;
	case TCPAO_SO_AO_DEL_KEY:
		err = tcpao_lx_del(&s, &cmd.del);
		break;
	default:
		err = tcpao_lx_info_set(&s, &cmd.info);
		break;
	}
out_unlock:
	tcpao_lx_release(&s);
	mutex_unlock(&tn->lock);
	release_sock(sk);
out_wipe:
	/* TCP_AO_ADD_KEY's holds a secret. */
	memzero_explicit(&cmd, sizeof(cmd));
	return err;
}

static int tcpao_lx_getsockopt(struct sock *sk, int optname,
			       void __user *user, int *len)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(sk));
	struct tcpao_lx_sock s = { .sk = sk, .tn = tn };
	struct tcp_ao_getsockopt keys_in, *keys = NULL;
	struct tcp_ao_info_opt info_in, info = {};
	int err, ulen = *len;
	size_t bytes;
	u32 i, matched = 0;

	BUILD_BUG_ON(sizeof(struct tcp_ao_getsockopt) != 304);

	if (sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM)
		return -ENOPROTOOPT;

	if (optname == TCPAO_SO_AO_REPAIR) {
		if (!ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN) ||
		    sk->sk_state == TCP_LISTEN)
			return -EPERM;
		return tcpao_lx_repair_get(sk, user, len);
	}
	if (optname != TCPAO_SO_AO_INFO && optname != TCPAO_SO_AO_GET_KEYS)
		return -ENOPROTOOPT;
	if (optname == TCPAO_SO_AO_INFO) {
		if (ulen <= 0)
			return -EINVAL;
		err = tcpao_lx_copy_in(&info_in, sizeof(info_in),
				       USER_SOCKPTR(user), ulen);
		if (err)
			return err;
		if (info_in.reserved || info_in.reserved2)
			return -EINVAL;
	} else if (ulen > 0) {
		/* ulen <= 0: EINVAL, after ENOENT (tcpao_lx_get_keys()) */
		err = tcpao_lx_copy_in(&keys_in, sizeof(keys_in),
				       USER_SOCKPTR(user), ulen);
		if (err)
			return err;
	} else {
		memset(&keys_in, 0, sizeof(keys_in));
	}

	lock_sock(sk);
	mutex_lock(&tn->lock);
	tcpao_lx_resolve(&s);
	if (optname == TCPAO_SO_AO_INFO)
		err = tcpao_lx_info_get(&s, &info);
	else
		err = tcpao_lx_get_keys(&s, &keys_in, ulen, &keys, &matched);
	tcpao_lx_release(&s);
	mutex_unlock(&tn->lock);
	release_sock(sk);
	if (err)
		return err;

	if (optname == TCPAO_SO_AO_INFO)
		return copy_to_user(user, &info, min_t(int, ulen, sizeof(info))) ?
		       -EFAULT : 0;
	/* One structure per key, @ulen apart (Linux's stride), then nkeys. */
	bytes = min_t(int, ulen, sizeof(*keys));
	for (i = 0; !err && i < min(matched, keys_in.nkeys); i++)
		if (copy_to_user(user + (size_t)i * ulen, &keys[i], bytes))
			err = -EFAULT;
	kvfree(keys);
	if (err)
		return err;
	*len = sizeof(*keys);
	if (copy_to_user(user + offsetof(struct tcp_ao_getsockopt, nkeys),
			 &matched, sizeof(matched)))
		return -EFAULT;
	return 0;
}

/*
 * TCPAO_SO_AO_ADD_KEY .. TCPAO_SO_AO_REPAIR at tcpao's level, registered
 * apart from sockopt.c's options: those below need nothing of these.
 */
static struct nf_sockopt_ops tcpao_lx_sockopts[] = {
	{
		.pf = PF_INET,
		.set_optmin = TCPAO_SO_AO_ADD_KEY,
		.set_optmax = TCPAO_SO_AO_REPAIR + 1,
		.set = tcpao_lx_setsockopt,
		.get_optmin = TCPAO_SO_AO_ADD_KEY,
		.get_optmax = TCPAO_SO_AO_REPAIR + 1,
		.get = tcpao_lx_getsockopt,
		.owner = THIS_MODULE,
	},
	{
		.pf = PF_INET6,
		.set_optmin = TCPAO_SO_AO_ADD_KEY,
		.set_optmax = TCPAO_SO_AO_REPAIR + 1,
		.set = tcpao_lx_setsockopt,
		.get_optmin = TCPAO_SO_AO_ADD_KEY,
		.get_optmax = TCPAO_SO_AO_REPAIR + 1,
		.get = tcpao_lx_getsockopt,
		.owner = THIS_MODULE,
	},
};

int tcpao_linuxapi_init(void)
{
	int err;

	err = nf_register_sockopt(&tcpao_lx_sockopts[0]);
	if (err)
		return err;
	err = nf_register_sockopt(&tcpao_lx_sockopts[1]);
	if (err)
		nf_unregister_sockopt(&tcpao_lx_sockopts[0]);
	return err;
}

void tcpao_linuxapi_exit(void)
{
	nf_unregister_sockopt(&tcpao_lx_sockopts[1]);
	nf_unregister_sockopt(&tcpao_lx_sockopts[0]);
}
