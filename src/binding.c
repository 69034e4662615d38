// SPDX-License-Identifier: GPL-2.0
/*
 * Socket bindings: the keychains a routing daemon bound its TCP sockets
 * to, per peer prefix and VRF (set through socket options, sockopt.c).
 *
 * A binding holds a reference on its socket.  That is what keeps the
 * socket pointer, our lookup key, from ever naming a different socket:
 * the memory cannot be reused while we hold it.  A periodic collector drops
 * the bindings of sockets their owner closed (SOCK_DEAD), so a daemon that
 * crashes leaks nothing, and the namespace can go once they are gone.
 *
 * A socket binding takes precedence over peer policies for that socket's
 * connections.
 *
 * A socket that uses Linux's own TCP-AO socket options (linuxapi.c) keeps
 * its keys as bindings here too, one per peer group, holds its Linux
 * TCP-AO state (lxstate.c) here, and is never bound with TCPAO_SO_BIND as
 * well.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/tcp.h>

#include "binding.h"
#include "lxstate.h"

static const struct rhashtable_params tcpao_bind_params = {
	.key_len = sizeof(struct sock *),
	.key_offset = offsetof(struct tcpao_sockbind, sk),
	.head_offset = offsetof(struct tcpao_sockbind, node),
	.automatic_shrinking = true,
};

void tcpao_bindset_free(struct tcpao_bindset *set)
{
	int i;

	for (i = 0; i < set->n; i++)
		tcpao_keychain_put(set->e[i].kc);
	kfree(set);
}

static void tcpao_bindset_free_rcu(struct rcu_head *head)
{
	tcpao_bindset_free(container_of(head, struct tcpao_bindset, rcu));
}

struct tcpao_bindset *tcpao_sb_set(struct tcpao_net *tn,
				   struct tcpao_sockbind *sb)
{
	return rcu_dereference_protected(sb->set, lockdep_is_held(&tn->lock));
}

/* ---- datapath lookups (RCU) ---- */

static bool tcpao_bind_match(const struct tcpao_bind_ent *e,
			     const struct tcpao_flow *f)
{
	union tcpao_addr masked;

	if (e->family != f->family ||
	    ((e->ifindex || e->l3) && e->ifindex != f->l3index))
		return false;
	tcpao_addr_mask(f->family, &f->raddr, e->plen, &masked);
	return !memcmp(&masked, &e->addr, sizeof(masked));
}

bool tcpao_sock_lookup(struct tcpao_net *tn, const struct sock *sk,
		       const struct tcpao_flow *f, struct tcpao_match *m,
		       bool *required)
{
	const struct tcpao_bind_ent *best = NULL;
	const struct tcpao_bindset *set;
	struct tcpao_sockbind *sb;
	int i;

	*required = false;
	m->lx = NULL;
	sb = rhashtable_lookup(&tn->bindings, &sk, tcpao_bind_params);
	if (!sb)
		return false;
	m->lx = sb->lx;
	set = rcu_dereference(sb->set);
	for (i = 0; i < set->n; i++) {
		const struct tcpao_bind_ent *e = &set->e[i];

		if (!tcpao_bind_match(e, f))
			continue;
		if (!best || e->plen > best->plen ||
		    (e->plen == best->plen && e->ifindex && !best->ifindex))
			best = e;
	}
	if (!best) {
		*required = (set->flags & TCPAO_F_AO_REQUIRED) ||
			    tcpao_lx_required(sb->lx);
		return false;
	}
	m->kc = best->kc;
	m->peer = NULL;
	m->flags = best->flags;
	m->socket = true;
	return true;
}

/* Whether @sk has bindings (RCU). */
bool tcpao_sock_bound(struct tcpao_net *tn, const struct sock *sk)
{
	return rhashtable_lookup(&tn->bindings, &sk, tcpao_bind_params);
}

/* The listening socket a SYN is for (RCU; no reference taken). */
struct sock *tcpao_listener_sk(struct tcpao_net *tn, const struct sk_buff *skb,
			       const struct tcpao_flow *f)
{
	struct net *net = tn->net;
	int dif = f->l3index, sdif = f->l3index;

	if (f->family == AF_INET) {
		if (skb) {
			dif = inet_iif(skb);
			sdif = inet_sdif(skb);
		}
		return __inet_lookup_listener(net, tcpao_hashinfo(net), NULL, 0,
					      f->raddr.a4, f->rport,
					      f->laddr.a4, ntohs(f->lport),
					      dif, sdif);
	}
	if (skb) {
		dif = inet6_iif(skb);
		sdif = inet6_sdif(skb);
	}
	return inet6_lookup_listener(net, tcpao_hashinfo(net), NULL, 0,
				     &f->raddr.a6, f->rport,
				     &f->laddr.a6, ntohs(f->lport),
				     dif, sdif);
}

/* The listening socket a SYN is for, and its bindings. */
bool tcpao_listener_lookup(struct tcpao_net *tn, const struct sk_buff *skb,
			   const struct tcpao_flow *f, struct tcpao_match *m,
			   bool *required)
{
	struct sock *sk = tcpao_listener_sk(tn, skb, f);

	if (!sk)
		return false;
	return tcpao_sock_lookup(tn, sk, f, m, required);
}

/* ---- configuration ---- */

/* ---- configuration ---- */

static void tcpao_sb_unlink(struct tcpao_net *tn, struct tcpao_sockbind *sb)
{
	struct tcpao_bindset *set = tcpao_sb_set(tn, sb);
	int i;

	lockdep_assert_held(&tn->lock);
	rhashtable_remove_fast(&tn->bindings, &sb->node, tcpao_bind_params);
	list_del(&sb->list);
	for (i = 0; i < set->n; i++)
		set->e[i].kc->n_bindings--;
	/* A socket with Linux TCP-AO state counts as a binding itself. */
	tn->n_bindings -= set->n + !!sb->lx;
	call_rcu(&set->rcu, tcpao_bindset_free_rcu);
	tcpao_lx_put(sb->lx);
	sock_put(sb->sk);
	kfree_rcu(sb, rcu);
	tcpao_config_changed(tn);
}

static bool tcpao_bind_same(const struct tcpao_bind_ent *a,
			    const struct tcpao_bind_ent *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       a->ifindex == b->ifindex &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

/*
 * Publish @sk's binding set with @e added (replacing a binding for the same
 * prefix and VRF) or, with @remove, without it.
 */
int tcpao_binding_update(struct tcpao_net *tn, struct sock *sk,
			 const struct tcpao_bind_ent *e, u32 sock_flags,
			 bool remove)
{
	struct tcpao_sockbind *sb;
	struct tcpao_bindset *old = NULL, *set;
	int i, n = 0, found = -1, err;

	lockdep_assert_held(&tn->lock);
	sb = rhashtable_lookup_fast(&tn->bindings, &sk, tcpao_bind_params);
	if (sb && sb->lx)
		return -EBUSY;	/* it uses Linux's TCP-AO API */
	if (sb) {
		old = tcpao_sb_set(tn, sb);
		for (i = 0; i < old->n; i++)
			if (tcpao_bind_same(&old->e[i], e))
				found = i;
	}
	if (remove && found < 0)
		return -ENOENT;
	if (!remove && found < 0 && tn->n_bindings >= tn->limits.bindings)
		return -ENOSPC;
	if (remove && old->n == 1) {
		tcpao_sb_unlink(tn, sb);
		return 0;
	}

	set = kzalloc(struct_size(set, e, (old ? old->n : 0) + 1),
		      GFP_KERNEL_ACCOUNT);
	if (!set)
		return -ENOMEM;
	set->flags = (old ? old->flags : 0) | sock_flags;
	for (i = 0; old && i < old->n; i++) {
		if (i == found)
			continue;
		set->e[n] = old->e[i];
		refcount_inc(&set->e[n].kc->ref);
		n++;
	}
	if (!remove) {
		set->e[n] = *e;
		refcount_inc(&e->kc->ref);
		e->kc->n_bindings++;
		n++;
	}
	set->n = n;

	if (!sb) {
		sb = kzalloc(sizeof(*sb), GFP_KERNEL_ACCOUNT);
		if (!sb) {
			e->kc->n_bindings--;
			tcpao_bindset_free(set);
			return -ENOMEM;
		}
		sock_hold(sk);
		sb->sk = sk;
		RCU_INIT_POINTER(sb->set, set);
		err = rhashtable_insert_fast(&tn->bindings, &sb->node,
					     tcpao_bind_params);
		if (err) {
			e->kc->n_bindings--;
			tcpao_bindset_free(set);
			sock_put(sk);
			kfree(sb);
			return err;
		}
		list_add_tail(&sb->list, &tn->bind_list);
	} else {
		rcu_assign_pointer(sb->set, set);
	}
	if (old) {
		if (found >= 0)
			old->e[found].kc->n_bindings--;
		call_rcu(&old->rcu, tcpao_bindset_free_rcu);
	}
	tn->n_bindings += n - (old ? old->n : 0);
	tcpao_config_changed(tn);
	tcpao_gc_kick(tn);
	return tcpao_hooks_update(tn);
}

struct tcpao_sockbind *tcpao_sb_find(struct tcpao_net *tn, struct sock *sk)
{
	lockdep_assert_held(&tn->lock);
	return rhashtable_lookup_fast(&tn->bindings, &sk, tcpao_bind_params);
}

/*
 * Publish @set (which holds a reference on each entry's keychain) as
 * @sk's bindings, for linuxapi.c: the socket's state is @lx, on which a
 * new binding takes a reference.  An empty set is kept (a socket may set
 * its TCP-AO options before it has keys).  On error @set is freed.
 */
int tcpao_sb_replace(struct tcpao_net *tn, struct sock *sk,
		     struct tcpao_bindset *set, struct tcpao_lx *lx)
{
	struct tcpao_sockbind *sb = tcpao_sb_find(tn, sk);
	struct tcpao_bindset *old = NULL;
	int i, err, delta = set->n;

	if (sb) {
		old = tcpao_sb_set(tn, sb);
		delta -= old->n;
	} else {
		delta++;	/* the socket itself, see tcpao_sb_unlink() */
	}
	if (delta > 0 && tn->n_bindings + delta > tn->limits.bindings) {
		tcpao_bindset_free(set);
		return -ENOSPC;
	}
	/* Nothing is published that the hooks would not enforce. */
	err = tcpao_hooks_prepare(tn);
	if (err) {
		tcpao_bindset_free(set);
		return err;
	}
	if (!sb) {
		sb = kzalloc(sizeof(*sb), GFP_KERNEL_ACCOUNT);
		if (!sb) {
			tcpao_bindset_free(set);
			tcpao_hooks_update(tn);
			return -ENOMEM;
		}
		sock_hold(sk);
		sb->sk = sk;
		tcpao_lx_hold(lx);
		sb->lx = lx;
		RCU_INIT_POINTER(sb->set, set);
		err = rhashtable_insert_fast(&tn->bindings, &sb->node,
					     tcpao_bind_params);
		if (err) {
			tcpao_lx_put(lx);
			sock_put(sk);
			kfree(sb);
			tcpao_bindset_free(set);
			tcpao_hooks_update(tn);
			return err;
		}
		list_add_tail(&sb->list, &tn->bind_list);
	} else {
		rcu_assign_pointer(sb->set, set);
	}
	for (i = 0; i < set->n; i++)
		set->e[i].kc->n_bindings++;
	if (old) {
		for (i = 0; i < old->n; i++)
			old->e[i].kc->n_bindings--;
		call_rcu(&old->rcu, tcpao_bindset_free_rcu);
	}
	tn->n_bindings += delta;
	tcpao_config_changed(tn);
	tcpao_gc_kick(tn);
	/* The hooks are on (tcpao_hooks_prepare()): this may only turn them
	 * off, for a socket whose last group went, and cannot fail.
	 */
	tcpao_hooks_update(tn);
	return 0;
}

/* Drop the bindings of sockets their owner closed.  Returns how many are
 * left.
 */
u32 tcpao_bindings_gc(struct tcpao_net *tn)
{
	struct tcpao_sockbind *sb, *tmp;
	u32 left;

	mutex_lock(&tn->lock);
	list_for_each_entry_safe(sb, tmp, &tn->bind_list, list)
		if (sock_flag(sb->sk, SOCK_DEAD))
			tcpao_sb_unlink(tn, sb);
	left = tn->n_bindings;
	if (!left)
		tcpao_hooks_update(tn);
	mutex_unlock(&tn->lock);
	return left;
}

int tcpao_bindings_init(struct tcpao_net *tn)
{
	INIT_LIST_HEAD(&tn->bind_list);
	return rhashtable_init(&tn->bindings, &tcpao_bind_params);
}

void tcpao_bindings_destroy(struct tcpao_net *tn)
{
	struct tcpao_sockbind *sb, *tmp;

	mutex_lock(&tn->lock);
	list_for_each_entry_safe(sb, tmp, &tn->bind_list, list)
		tcpao_sb_unlink(tn, sb);
	mutex_unlock(&tn->lock);
	rhashtable_destroy(&tn->bindings);
}
