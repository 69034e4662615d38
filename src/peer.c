// SPDX-License-Identifier: GPL-2.0
/*
 * Peer policies: which connections are protected, with which keychain.
 *
 * A policy matches a connection when the remote address is inside its
 * prefix, its port (if any) equals the local or the remote port, and the
 * connection is in its VRF (no VRF: the default VRF only).  Most specific
 * wins: the longest prefix; at equal length a policy with a port beats one
 * without; the local port is tried before the remote one.
 *
 * Lookup is by exact key in a hash table, once per prefix length in use,
 * longest first, so its cost does not grow with the number of policies.
 * It runs for SYNs only; established connections carry their keychain.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/netdevice.h>
#include <linux/inetdevice.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "peer.h"

static const struct rhashtable_params tcpao_peer_params = {
	.key_len = sizeof(struct tcpao_peer_key),
	.key_offset = offsetof(struct tcpao_peer, key),
	.head_offset = offsetof(struct tcpao_peer, node),
	.automatic_shrinking = true,
};

static int tcpao_fam_idx(u8 family)
{
	return family == AF_INET ? 0 : 1;
}

static unsigned int tcpao_fam_bits(u8 family)
{
	return family == AF_INET ? 32 : 128;
}

/* @out = @in with the host bits beyond @plen cleared. */
void tcpao_addr_mask(u8 family, const union tcpao_addr *in, u8 plen,
		     union tcpao_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		out->a4 = plen ? in->a4 & inet_make_mask(plen) : 0;
		return;
	}
	ipv6_addr_prefix(&out->a6, &in->a6, plen);
}

bool tcpao_peer_lookup(struct tcpao_net *tn, const struct tcpao_flow *f,
		       struct tcpao_match *m)
{
	int fi = tcpao_fam_idx(f->family);
	__be16 ports[3] = { f->lport, f->rport, 0 };
	struct tcpao_peer_key k;
	struct tcpao_peer *p;
	int plen, i;

	memset(&k, 0, sizeof(k));
	k.family = f->family;
	k.ifindex = f->l3index;
	for (plen = tcpao_fam_bits(f->family); plen >= 0; plen--) {
		if (!READ_ONCE(tn->plen_count[fi][plen]))
			continue;
		k.plen = plen;
		tcpao_addr_mask(f->family, &f->raddr, plen, &k.addr);
		for (i = 0; i < ARRAY_SIZE(ports); i++) {
			k.port = ntohs(ports[i]);
			p = rhashtable_lookup(&tn->peers, &k, tcpao_peer_params);
			if (!p)
				continue;
			m->kc = p->kc;
			m->peer = p;
			m->flags = p->flags;
			m->socket = false;
			return true;
		}
	}
	return false;
}

static void tcpao_peer_free_rcu(struct rcu_head *head)
{
	struct tcpao_peer *p = container_of(head, struct tcpao_peer, rcu);

	tcpao_keychain_put(p->kc);
	kfree(p);
}

void tcpao_peer_put(struct tcpao_peer *p)
{
	if (p && refcount_dec_and_test(&p->ref))
		call_rcu(&p->rcu, tcpao_peer_free_rcu);
}

/*
 * The table's reference, dropped a grace period after the policy left the
 * table.  A SYN that found the policy under RCU (tcpao_peer_lookup()) has
 * no reference of its own until tcpao_conn_create() takes one, after the
 * SYN's MAC was checked; until that reader is done the table's reference
 * keeps the count above zero, so the connection gets a live policy, as if
 * the SYN had come just before the deletion.  (refcount_inc_not_zero()
 * there would instead leave such a SYN without a policy, unsigned or
 * accepted unverified, while a reload's new policy is already in place.)
 * Only this callback uses p->rcu until the count reaches zero.
 */
static void tcpao_peer_unlinked_rcu(struct rcu_head *head)
{
	tcpao_peer_put(container_of(head, struct tcpao_peer, rcu));
}

static int tcpao_peer_cfg_key(struct tcpao_net *tn,
			      const struct tcpao_peer_cfg *cfg,
			      struct tcpao_peer *p,
			      struct netlink_ext_ack *extack)
{
	union tcpao_addr masked;

	if (cfg->plen > tcpao_fam_bits(cfg->family)) {
		TCPAO_ERR(extack, "prefix length %u is too long for the address",
			  cfg->plen);
		return -EINVAL;
	}
	tcpao_addr_mask(cfg->family, &cfg->addr, cfg->plen, &masked);
	if (memcmp(&masked, &cfg->addr, sizeof(masked))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "address has host bits set beyond the prefix length");
		return -EINVAL;
	}
	memset(&p->key, 0, sizeof(p->key));
	p->key.addr = masked;
	p->key.family = cfg->family;
	p->key.plen = cfg->plen;
	p->key.port = cfg->port;
	p->key.ifindex = cfg->ifindex;
	return 0;
}

static int tcpao_vrf_check(struct tcpao_net *tn, u32 ifindex,
			   struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	int err = 0;

	if (!ifindex)
		return 0;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(tn->net, ifindex);
	if (!dev) {
		TCPAO_ERR(extack, "no device with ifindex %u", ifindex);
		err = -ENODEV;
	} else if (!netif_is_l3_master(dev)) {
		TCPAO_ERR(extack, "%s is not a VRF device", dev->name);
		err = -EINVAL;
	}
	rcu_read_unlock();
	return err;
}

/*
 * Put @p (a new policy) in the place of @old, which has the same key, in
 * one step: a SYN finds one or the other, never neither.  Connections
 * @old made keep it, and their keychain.
 */
static void tcpao_peer_replace(struct tcpao_net *tn, struct tcpao_peer *old,
			       struct tcpao_peer *p)
{
	rhashtable_replace_fast(&tn->peers, &old->node, &p->node,
				tcpao_peer_params);
	list_replace_rcu(&old->list, &p->list);
	p->kc->n_peers++;
	old->kc->n_peers--;
	tcpao_config_changed(tn);
	tcpao_peer_put(old);
}

int tcpao_peer_new(struct tcpao_net *tn, const struct tcpao_peer_cfg *cfg,
		   bool replace, struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc;
	struct tcpao_peer *p, *old = NULL;
	int err;

	lockdep_assert_held(&tn->lock);
	if (replace) {
		struct tcpao_peer tmp;

		err = tcpao_peer_cfg_key(tn, cfg, &tmp, extack);
		if (err)
			return err;
		old = rhashtable_lookup_fast(&tn->peers, &tmp.key,
					     tcpao_peer_params);
	}
	if (!old && tn->n_peers >= tn->limits.peers) {
		TCPAO_ERR(extack, "peer limit of this namespace reached (%u)",
			  tn->limits.peers);
		return -ENOSPC;
	}
	err = tcpao_vrf_check(tn, cfg->ifindex, extack);
	if (err)
		return err;
	kc = tcpao_keychain_find(tn, cfg->keychain);
	if (!kc) {
		TCPAO_ERR(extack, "no keychain named %s", cfg->keychain);
		return -ENOENT;
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	err = tcpao_peer_cfg_key(tn, cfg, p, extack);
	if (err)
		goto err_free;
	refcount_set(&p->ref, 1);
	p->flags = cfg->flags;
	atomic_set(&p->n_conns, 0);
	refcount_inc(&kc->ref);
	p->kc = kc;

	if (old) {
		tcpao_peer_replace(tn, old, p);
		return 0;
	}
	err = rhashtable_lookup_insert_fast(&tn->peers, &p->node,
					    tcpao_peer_params);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack,
					   "a peer with this prefix, port and VRF exists; delete it first");
		tcpao_keychain_put(kc);
		goto err_free;
	}
	list_add_tail_rcu(&p->list, &tn->peer_list);
	tn->n_peers++;
	kc->n_peers++;
	WRITE_ONCE(tn->plen_count[tcpao_fam_idx(cfg->family)][cfg->plen],
		   tn->plen_count[tcpao_fam_idx(cfg->family)][cfg->plen] + 1);
	tcpao_config_changed(tn);
	err = tcpao_hooks_update(tn);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot register netfilter hooks");
		tcpao_peer_unlink(tn, p);
	}
	return err;

err_free:
	kfree(p);
	return err;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_peer_new);

void tcpao_peer_unlink(struct tcpao_net *tn, struct tcpao_peer *p)
{
	int fi = tcpao_fam_idx(p->key.family);

	lockdep_assert_held(&tn->lock);
	rhashtable_remove_fast(&tn->peers, &p->node, tcpao_peer_params);
	list_del_rcu(&p->list);
	tn->n_peers--;
	p->kc->n_peers--;
	WRITE_ONCE(tn->plen_count[fi][p->key.plen],
		   tn->plen_count[fi][p->key.plen] - 1);
	tcpao_config_changed(tn);
	call_rcu(&p->rcu, tcpao_peer_unlinked_rcu);
}

int tcpao_peer_del(struct tcpao_net *tn, const struct tcpao_peer_cfg *cfg,
		   struct netlink_ext_ack *extack)
{
	struct tcpao_peer tmp, *p;
	int err;

	lockdep_assert_held(&tn->lock);
	err = tcpao_peer_cfg_key(tn, cfg, &tmp, extack);
	if (err)
		return err;
	p = rhashtable_lookup_fast(&tn->peers, &tmp.key, tcpao_peer_params);
	if (!p) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no peer with this prefix, port and VRF");
		return -ENOENT;
	}
	tcpao_peer_unlink(tn, p);
	tcpao_hooks_update(tn);
	return 0;
}

void tcpao_peers_flush(struct tcpao_net *tn)
{
	struct tcpao_peer *p, *tmp;

	list_for_each_entry_safe(p, tmp, &tn->peer_list, list)
		tcpao_peer_unlink(tn, p);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_peers_flush);

int tcpao_peers_init(struct tcpao_net *tn)
{
	INIT_LIST_HEAD(&tn->peer_list);
	return rhashtable_init(&tn->peers, &tcpao_peer_params);
}

void tcpao_peers_destroy(struct tcpao_net *tn)
{
	mutex_lock(&tn->lock);
	tcpao_peers_flush(tn);
	mutex_unlock(&tn->lock);
	rhashtable_destroy(&tn->peers);
}
