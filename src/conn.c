// SPDX-License-Identifier: GPL-2.0
/*
 * The per-namespace table of protected connections.
 *
 * Entries are created in the datapath (softirq or the sender's context), so
 * creation uses GFP_ATOMIC and is bounded by the namespace's connection
 * limit.  It is charged to the memory cgroup of the process whose SYN
 * makes the entry (connect()); in softirq nothing is charged, memcg cannot
 * tell whom to charge there.  Lookups are RCU.  A connection's traffic keys
 * are rebuilt only when its ISNs become known or its keychain's key set
 * changed; per segment nothing is allocated or locked.
 *
 * A connection follows its keychain: it always holds the keychain's
 * current key versions, so a key added is usable, a key deleted or
 * changed is revoked, from the next segment on (and the keychain brings
 * its connections up to date as soon as it publishes, tcpao_conn_refresh_kc).
 * Traffic keys are derived once per master key: a new version with the
 * same secret and algorithm (a new start time, say) reuses them.  The
 * derivation itself (RFC 5925 section 5.2, from a flow's or a connection's
 * addresses and ports) lives here too, for the datapath's SYN keys as well.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/jiffies.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>

#include "tcpao.h"
#include "conn.h"
#include "sne.h"
#include "binding.h"
#include "lxstate.h"

/* How long entries outlive what ended them, and when idle ones are checked
 * against the socket table.
 */
#define TCPAO_CLOSED_LINGER	(5 * HZ)	/* after an RST */
#define TCPAO_TW_LINGER		(65 * HZ)	/* TCP_TIMEWAIT_LEN + margin */
#define TCPAO_EMBRYONIC_TIMEOUT	(180 * HZ)	/* SYN retries: ~127 s */
/* A SYN without TCP-AO (allow-without-tcpao) proves nothing: its entry
 * goes unless the handshake completes within four SYN-ACK retransmissions
 * (a later one completes anyway, without an entry: none is needed).
 */
#define TCPAO_UNVERIFIED_TIMEOUT	(30 * HZ)
#define TCPAO_IDLE_CHECK	(120 * HZ)

static const struct rhashtable_params tcpao_conn_params = {
	.key_len = sizeof(struct tcpao_conn_key),
	.key_offset = offsetof(struct tcpao_conn, key),
	.head_offset = offsetof(struct tcpao_conn, node),
	.automatic_shrinking = true,
};

void tcpao_flow_to_key(const struct tcpao_flow *f, struct tcpao_conn_key *k)
{
	memset(k, 0, sizeof(*k));
	k->family = f->family;
	k->l3index = f->l3index;
	k->laddr = f->laddr;
	k->raddr = f->raddr;
	k->lport = f->lport;
	k->rport = f->rport;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_flow_to_key);

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

/* TCPAO_CONN_F_* as netlink and TCPAO_SO_INFO report them. */
u32 tcpao_conn_flags(const struct tcpao_conn *c)
{
	u32 flags = c->flags;

	if (READ_ONCE(c->no_key))
		flags |= TCPAO_CONN_F_NO_KEY;
	return flags;
}

struct tcpao_conn *tcpao_conn_lookup(struct tcpao_net *tn,
				     const struct tcpao_conn_key *key)
{
	return rhashtable_lookup(&tn->conns, key, tcpao_conn_params);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_conn_lookup);

/* ---- traffic keys ---- */

static void tcpao_ckeys_free(struct tcpao_ckeys *ck)
{
	int i;

	for (i = 0; i < ck->n; i++) {
		atomic_dec(&ck->kc->key_users[ck->mkt[i]->id]);
		tcpao_mkt_put(ck->mkt[i]);
	}
	tcpao_keychain_put(ck->kc);
	/* Traffic keys are key material. */
	kfree_sensitive(ck);
}

static void tcpao_ckeys_free_rcu(struct rcu_head *head)
{
	tcpao_ckeys_free(container_of(head, struct tcpao_ckeys, rcu));
}

static size_t tcpao_ckeys_mkt_size(int n)
{
	return ALIGN(struct_size((struct tcpao_ckeys *)NULL, mkt, n),
		     sizeof(u64));
}

/*
 * Build a connection's key versions: its keychain's current set.  With
 * @derive, each gets its traffic keys: those of @old for a version of the
 * same master key (same key id, same secret and algorithm), derived anew
 * for the others.
 */
static struct tcpao_ckeys *tcpao_ckeys_build(struct tcpao_conn *c,
					     const struct tcpao_ckeys *old,
					     bool derive)
{
	struct tcpao_keychain *kc = c->kc;
	/* Pairs with the release in tcpao_keyset_install(): the set read
	 * next is this generation's or a later one (then the connection
	 * rebuilds once more, harmlessly).
	 */
	u32 gen = smp_load_acquire(&kc->gen);
	const struct tcpao_keyset *ks = rcu_dereference(kc->keys);
	int n = ks ? ks->n : 0, i, j;
	struct tcpao_ckeys *ck;
	unsigned int derived = 0;

	ck = kzalloc(tcpao_ckeys_mkt_size(n) + n * sizeof(*ck->tk),
		     GFP_ATOMIC | __GFP_ACCOUNT);
	if (!ck)
		return NULL;
	ck->tk = (void *)ck + tcpao_ckeys_mkt_size(n);
	ck->n = n;
	ck->gen = gen;
	ck->derived = derive;
	refcount_inc(&kc->ref);
	ck->kc = kc;

	for (i = 0; i < n; i++) {
		ck->mkt[i] = ks->mkt[i];
		refcount_inc(&ck->mkt[i]->ref);
		atomic_inc(&kc->key_users[ck->mkt[i]->id]);
	}
	if (old && !old->derived)
		old = NULL;
	for (i = 0; i < n && derive; i++) {
		const struct tcpao_mkt *m = ck->mkt[i];

		for (j = 0; old && j < old->n; j++)
			if (old->mkt[j]->id == m->id &&
			    old->mkt[j]->kdf_id == m->kdf_id)
				break;
		if (old && j < old->n) {
			ck->tk[i] = old->tk[j];
			continue;
		}
		if (tcpao_conn_derive(c, m, true, c->lisn, c->risn,
				      &ck->tk[i].tx) ||
		    tcpao_conn_derive(c, m, false, c->risn, c->lisn,
				      &ck->tk[i].rx)) {
			tcpao_ckeys_free(ck);
			return NULL;
		}
		derived++;
	}
	if (derived) {
		atomic64_add(derived, &c->keys_derived);
		this_cpu_add(c->tn->stats->c[TCPAO_STATS_A_KEYS_DERIVED],
			     derived);
	}
	return ck;
}

static void tcpao_conn_publish_keys(struct tcpao_conn *c,
				    struct tcpao_ckeys *ck)
{
	struct tcpao_ckeys *old;

	old = rcu_replace_pointer(c->keys, ck, lockdep_is_held(&c->lock));
	if (old)
		call_rcu(&old->rcu, tcpao_ckeys_free_rcu);
}

/*
 * The keys for this segment.  The keychain's generation is compared on
 * every segment; a rebuild happens once per change of the key set, not per
 * segment.  If it fails for want of memory, NULL: the keys the connection
 * had may include revoked ones, so the segment is dropped (and the rebuild
 * tried again with the next one).
 */
const struct tcpao_ckeys *tcpao_conn_keys(struct tcpao_conn *c)
{
	struct tcpao_ckeys *ck = rcu_dereference(c->keys), *nck;

	/* Pairs with the release in tcpao_keyset_install(): a generation
	 * seen here comes with its key set.
	 */
	if (likely(ck->gen == smp_load_acquire(&c->kc->gen)))
		return ck;

	spin_lock_bh(&c->lock);
	ck = rcu_dereference_protected(c->keys, lockdep_is_held(&c->lock));
	if (ck->gen != READ_ONCE(c->kc->gen)) {
		nck = tcpao_ckeys_build(c, ck, ck->derived);
		if (nck)
			tcpao_conn_publish_keys(c, nck);
		ck = nck;
	}
	spin_unlock_bh(&c->lock);
	return ck;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_conn_keys);

/*
 * @kc published a new key set (tn->lock held): bring its connections to it
 * now.  Revocation does not wait for a connection's next segment, and an
 * idle connection's key counts are right at once.
 */
void tcpao_conn_refresh_kc(struct tcpao_net *tn, struct tcpao_keychain *kc)
{
	struct tcpao_conn *c;

	lockdep_assert_held(&tn->lock);
	rcu_read_lock();
	list_for_each_entry_rcu(c, &tn->conn_list, list)
		if (c->kc == kc)
			tcpao_conn_keys(c);
	rcu_read_unlock();
}

/**
 * tcpao_conn_sync - both ISNs are known: derive the traffic keys
 *
 * Called when our SYN-ACK leaves (passive side) or a valid SYN-ACK arrives
 * (active side).  Idempotent for the same ISNs.
 */
int tcpao_conn_sync(struct tcpao_conn *c, __be32 lisn, __be32 risn)
{
	struct tcpao_ckeys *ck, *nck;
	int err = 0;

	spin_lock_bh(&c->lock);
	ck = rcu_dereference_protected(c->keys, lockdep_is_held(&c->lock));
	if (ck->derived && c->lisn == lisn && c->risn == risn)
		goto out;
	c->lisn = lisn;
	c->risn = risn;
	nck = tcpao_ckeys_build(c, ck->derived ? NULL : ck, true);
	if (!nck) {
		err = -ENOMEM;
		goto out;
	}
	atomic64_set(&c->snd_ref, tcpao_sne_pack(0, ntohl(lisn)));
	atomic64_set(&c->rcv_ref, tcpao_sne_pack(0, ntohl(risn)));
	tcpao_conn_publish_keys(c, nck);
	if (c->state < TCPAO_CONN_ESTABLISHED)
		WRITE_ONCE(c->state, TCPAO_CONN_ESTABLISHED);
out:
	spin_unlock_bh(&c->lock);
	return err;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_conn_sync);

/* ---- lifetime ---- */

/* A cache of their own: a connection is 328 bytes, which kmalloc would
 * round up to 512, on both ends of every protected connection.
 * SLAB_ACCOUNT: charged to the memory cgroup, as __GFP_ACCOUNT was.
 */
static struct kmem_cache *tcpao_conn_cache;

int tcpao_conn_mod_init(void)
{
	/* The keys of a connection with one MKT fit in kmalloc-512. */
	BUILD_BUG_ON(ALIGN(sizeof(struct tcpao_ckeys) +
			   sizeof(struct tcpao_mkt *), sizeof(u64)) +
		     sizeof(struct tcpao_tkeys) > 512);
	tcpao_conn_cache = KMEM_CACHE(tcpao_conn, SLAB_ACCOUNT);
	return tcpao_conn_cache ? 0 : -ENOMEM;
}

/* After the last RCU callback that frees a connection (rcu_barrier()). */
void tcpao_conn_mod_exit(void)
{
	kmem_cache_destroy(tcpao_conn_cache);
}

static void tcpao_conn_free_rcu(struct rcu_head *head)
{
	struct tcpao_conn *c = container_of(head, struct tcpao_conn, rcu);
	struct tcpao_ckeys *ck = rcu_dereference_protected(c->keys, 1);

	if (ck)
		tcpao_ckeys_free(ck);
	tcpao_peer_put(c->peer);
	tcpao_lx_put(c->lx);
	tcpao_keychain_put(c->kc);
	kmem_cache_free(tcpao_conn_cache, c);
}

/**
 * tcpao_conn_create - a new protected (or allowed unprotected) connection
 * @tn: namespace
 * @f: its addresses, ports and VRF
 * @m: the policy or socket binding that protects it
 * @state: TCPAO_CONN_SYN_SENT or TCPAO_CONN_SYN_RECV
 * @flags: TCPAO_CONN_F_* to start with
 *
 * Returns the new entry, an existing one for the same flow that another CPU
 * created first, or an ERR_PTR (-ENOSPC at the limit, -ENOMEM).
 *
 * An entry created with TCPAO_CONN_F_UNPROTECTED (a SYN without TCP-AO
 * from an allow-without-tcpao peer: anyone who can spoof the peer's
 * address can send it) holds no keys, lives briefly until its handshake
 * completes, and counts against a budget of its own, the size of
 * limits.conns: a flood of such SYNs can never take the entries protected
 * connections need.
 */
struct tcpao_conn *tcpao_conn_create(struct tcpao_net *tn,
				     const struct tcpao_flow *f,
				     const struct tcpao_match *m,
				     u8 state, u32 flags)
{
	bool unverified = flags & TCPAO_CONN_F_UNPROTECTED;
	struct tcpao_conn *c, *old;
	struct tcpao_ckeys *ck;
	u32 used;

	c = kmem_cache_zalloc(tcpao_conn_cache, GFP_ATOMIC);
	if (!c)
		return ERR_PTR(-ENOMEM);
	tcpao_flow_to_key(f, &c->key);
	c->tn = tn;
	spin_lock_init(&c->lock);
	refcount_inc(&m->kc->ref);
	c->kc = m->kc;
	if (m->peer) {
		refcount_inc(&m->peer->ref);
		c->peer = m->peer;
	}
	c->state = state;
	c->flags = flags;
	if (m->flags & TCPAO_F_ACCEPT_ICMPS)
		c->flags |= TCPAO_CONN_F_ACCEPT_ICMPS;
	c->allow_without = m->flags & TCPAO_F_ALLOW_WITHOUT_AO;
	if (m->socket)
		c->flags |= TCPAO_CONN_F_SOCKET;
	c->peer_rnext = -1;
	c->send_keyid = -1;
	c->send_rnext = -1;
	c->recv_keyid = -1;
	c->last_used = jiffies;
	c->unverified = unverified;
	/* A socket with Linux TCP-AO state: keys of its own if accepted. */
	if (m->lx && !unverified &&
	    tcpao_lx_conn_init(m->lx, state == TCPAO_CONN_SYN_RECV, &c->kc,
			       &c->lx))
		goto err_free;

	if (!unverified) {
		ck = tcpao_ckeys_build(c, NULL, false);
		if (!ck)
			goto err_free;
		RCU_INIT_POINTER(c->keys, ck);
	}

	spin_lock_bh(&tn->conns_lock);
	used = unverified ? tn->n_unverified : tn->n_conns - tn->n_unverified;
	if (tn->dying || used >= READ_ONCE(tn->limits.conns)) {
		spin_unlock_bh(&tn->conns_lock);
		if (!unverified)
			tcpao_stat_inc(tn, TCPAO_STATS_A_CONN_LIMIT);
		tcpao_conn_free_rcu(&c->rcu);
		return ERR_PTR(-ENOSPC);
	}
	old = rhashtable_lookup_get_insert_fast(&tn->conns, &c->node,
						tcpao_conn_params);
	if (old) {
		spin_unlock_bh(&tn->conns_lock);
		tcpao_conn_free_rcu(&c->rcu);
		return old;
	}
	list_add_tail_rcu(&c->list, &tn->conn_list);
	tn->n_conns++;
	tn->n_unverified += unverified;
	spin_unlock_bh(&tn->conns_lock);

	atomic_inc(&c->kc->n_conns);
	if (c->peer) {
		atomic_inc(&c->peer->n_conns);
		atomic64_inc(&c->peer->conns_created);
	}
	tcpao_stat_inc(tn, TCPAO_STATS_A_CONNS_CREATED);
	tcpao_gc_kick(tn);
	return c;

err_free:
	tcpao_peer_put(c->peer);
	tcpao_lx_put(c->lx);
	tcpao_keychain_put(c->kc);
	kmem_cache_free(tcpao_conn_cache, c);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_conn_create);

void tcpao_conn_unlink(struct tcpao_conn *c)
{
	struct tcpao_net *tn = c->tn;

	spin_lock_bh(&tn->conns_lock);
	if (c->dead) {
		spin_unlock_bh(&tn->conns_lock);
		return;
	}
	c->dead = true;
	rhashtable_remove_fast(&tn->conns, &c->node, tcpao_conn_params);
	list_del_rcu(&c->list);
	tn->n_conns--;
	tn->n_unverified -= c->unverified;
	spin_unlock_bh(&tn->conns_lock);

	atomic_dec(&c->kc->n_conns);
	if (c->peer)
		atomic_dec(&c->peer->n_conns);
	call_rcu(&c->rcu, tcpao_conn_free_rcu);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_conn_unlink);

/* Follow the TCP flags of every authenticated segment, both ways. */
void tcpao_conn_seen_flags(struct tcpao_conn *c, u8 tcp_flags, bool out)
{
	unsigned long now = jiffies;

	if (READ_ONCE(c->last_used) != now)
		WRITE_ONCE(c->last_used, now);
	if (likely(!(tcp_flags & (TCPHDR_FIN | TCPHDR_RST))))
		return;

	spin_lock_bh(&c->lock);
	if (tcp_flags & TCPHDR_RST) {
		c->state = TCPAO_CONN_CLOSED;
		c->linger_until = now + TCPAO_CLOSED_LINGER;
	} else if (c->state != TCPAO_CONN_CLOSED) {
		c->fins |= out ? TCPAO_FIN_LOCAL : TCPAO_FIN_REMOTE;
		if (c->fins == (TCPAO_FIN_LOCAL | TCPAO_FIN_REMOTE)) {
			c->state = TCPAO_CONN_TIME_WAIT;
			c->linger_until = now + TCPAO_TW_LINGER;
		} else {
			c->state = TCPAO_CONN_FIN_WAIT;
		}
	}
	spin_unlock_bh(&c->lock);
}

/* Does the kernel still have a socket (full, request or TIME_WAIT)? */
static bool tcpao_conn_sk_alive(const struct tcpao_conn *c)
{
	struct net *net = c->tn->net;
	const struct tcpao_conn_key *k = &c->key;
	struct sock *sk;

	if (k->family == AF_INET)
		sk = __inet_lookup_established(net, tcpao_hashinfo(net),
					       k->raddr.a4, k->rport,
					       k->laddr.a4, ntohs(k->lport),
					       c->dif, c->sdif);
	else
		sk = __inet6_lookup_established(net, tcpao_hashinfo(net),
						&k->raddr.a6, k->rport,
						&k->laddr.a6, ntohs(k->lport),
						c->dif, c->sdif);
	if (!sk)
		return false;
	sock_gen_put(sk);
	return true;
}

static bool tcpao_conn_expired(struct tcpao_conn *c, unsigned long now)
{
	unsigned long linger = READ_ONCE(c->linger_until);
	unsigned long used = READ_ONCE(c->last_used);
	u8 state = READ_ONCE(c->state);

	if (linger)
		return time_after(now, linger);
	if (c->unverified && state == TCPAO_CONN_SYN_RECV)
		return time_after(now, used + TCPAO_UNVERIFIED_TIMEOUT);
	if (state == TCPAO_CONN_SYN_SENT || state == TCPAO_CONN_SYN_RECV)
		return time_after(now, used + TCPAO_EMBRYONIC_TIMEOUT);
	if (!time_after(now, used + TCPAO_IDLE_CHECK))
		return false;
	/* Idle: long-lived BGP sessions may be quiet for a while.  Keep the
	 * entry as long as the kernel has a socket for it.
	 */
	if (tcpao_conn_sk_alive(c)) {
		WRITE_ONCE(c->last_used, now);
		return false;
	}
	return true;
}

void tcpao_conn_gc_work(struct work_struct *work)
{
	struct tcpao_net *tn = container_of(to_delayed_work(work),
					    struct tcpao_net, gc_work);
	unsigned long now = jiffies;
	struct tcpao_conn *c;
	u32 bindings;
	bool left;

	rcu_read_lock();
	list_for_each_entry_rcu(c, &tn->conn_list, list)
		if (tcpao_conn_expired(c, now))
			tcpao_conn_unlink(c);
	rcu_read_unlock();

	bindings = tcpao_bindings_gc(tn);

	spin_lock_bh(&tn->conns_lock);
	left = tn->n_conns > 0;
	spin_unlock_bh(&tn->conns_lock);
	if (left || bindings) {
		tcpao_gc_kick(tn);
		return;
	}
	/* Last connection gone: the hooks may not be needed any more. */
	mutex_lock(&tn->lock);
	tcpao_hooks_update(tn);
	mutex_unlock(&tn->lock);
}

void tcpao_conn_flush(struct tcpao_net *tn)
{
	struct tcpao_conn *c;

	rcu_read_lock();
	list_for_each_entry_rcu(c, &tn->conn_list, list)
		tcpao_conn_unlink(c);
	rcu_read_unlock();
}

int tcpao_conn_table_init(struct tcpao_net *tn)
{
	spin_lock_init(&tn->conns_lock);
	INIT_LIST_HEAD(&tn->conn_list);
	INIT_DELAYED_WORK(&tn->gc_work, tcpao_conn_gc_work);
	return rhashtable_init(&tn->conns, &tcpao_conn_params);
}

void tcpao_conn_table_destroy(struct tcpao_net *tn)
{
	spin_lock_bh(&tn->conns_lock);
	tn->dying = true;
	spin_unlock_bh(&tn->conns_lock);
	cancel_delayed_work_sync(&tn->gc_work);
	tcpao_conn_flush(tn);
	rhashtable_destroy(&tn->conns);
}
