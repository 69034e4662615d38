// SPDX-License-Identifier: GPL-2.0
/*
 * Keychains and keys, modelled on Junos authentication-key-chains: a named
 * keychain holds keys 0-63, each with a secret, a start time, send and
 * receive IDs, an algorithm and the TCP option flag; the key with the latest
 * start time not in the future is the active one, and a tolerance around
 * each transition keeps the neighbouring keys acceptable on receive.
 *
 * Every change publishes a new immutable key set (RCU); the datapath never
 * takes a lock here.  Connections follow their keychain (see conn.c): each
 * new key set reaches them at once, keys added become usable, keys deleted
 * or changed are revoked (the connection table, a layer above, hands in
 * its refresh at module init: tcpao_keychain_on_publish()).  A sync (the
 * whole key set of a keychain from a configuration file) compares every
 * key with the one it would replace and keeps what is equal, so applying
 * the same file twice publishes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <crypto/algapi.h>
#include <net/netlink.h>

#include "keychain.h"
#include "events.h"

/* The connection table's refresh, for each key set published (main.c). */
static void (*tcpao_kc_published)(struct tcpao_net *tn, struct tcpao_keychain *kc)
	__ro_after_init;

void __init tcpao_keychain_on_publish(tcpao_kc_publish_fn *fn)
{
	tcpao_kc_published = fn;
}

/* ---- objects ---- */

void tcpao_mkt_put(struct tcpao_mkt *mkt)
{
	/* Every holder (key set, connection keys) is itself freed after an
	 * RCU grace period, so no reader can still see this key.
	 */
	if (mkt && refcount_dec_and_test(&mkt->ref))
		kfree_sensitive(mkt);
}

static void tcpao_keyset_free_rcu(struct rcu_head *head)
{
	struct tcpao_keyset *ks = container_of(head, struct tcpao_keyset, rcu);
	int i;

	for (i = 0; i < ks->n; i++)
		tcpao_mkt_put(ks->mkt[i]);
	kfree(ks);
}

static void tcpao_keychain_free_rcu(struct rcu_head *head)
{
	struct tcpao_keychain *kc = container_of(head, struct tcpao_keychain,
						 rcu);
	struct tcpao_keyset *ks = rcu_dereference_protected(kc->keys, 1);

	if (ks)
		tcpao_keyset_free_rcu(&ks->rcu);
	kfree(kc);
}

void tcpao_keychain_put(struct tcpao_keychain *kc)
{
	if (kc && refcount_dec_and_test(&kc->ref))
		call_rcu(&kc->rcu, tcpao_keychain_free_rcu);
}

struct tcpao_keychain *tcpao_keychain_find_rcu(struct tcpao_net *tn,
					       const char *name)
{
	struct tcpao_keychain *kc;

	list_for_each_entry_rcu(kc, &tn->keychains, list,
				lockdep_is_held(&tn->lock))
		if (!strcmp(kc->name, name))
			return kc;
	return NULL;
}

struct tcpao_keychain *tcpao_keychain_find(struct tcpao_net *tn,
					   const char *name)
{
	lockdep_assert_held(&tn->lock);
	return tcpao_keychain_find_rcu(tn, name);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_keychain_find);

static struct tcpao_keyset *tcpao_keyset_get(struct tcpao_keychain *kc)
{
	return rcu_dereference_protected(kc->keys,
					 lockdep_is_held(&kc->tn->lock));
}

/* ---- KEY_ACTIVE events: one timer per keychain, not per connection ---- */

static void tcpao_keychain_arm(struct tcpao_keychain *kc)
{
	struct tcpao_keyset *ks;
	unsigned long delay = 3600 * HZ;
	time64_t now = ktime_get_real_seconds();
	int next;

	rcu_read_lock();
	ks = rcu_dereference(kc->keys);
	next = ks ? tcpao_next_idx(ks->mkt, ks->n, now) : -1;
	/* Re-check at least hourly: the wall clock may be stepped. */
	if (next >= 0 && ks->mkt[next]->start - now < 3600)
		delay = (ks->mkt[next]->start - now) * HZ + 1;
	rcu_read_unlock();
	mod_delayed_work(system_wq, &kc->activate_work, delay);
}

static void tcpao_keychain_activate_work(struct work_struct *work)
{
	struct tcpao_keychain *kc = container_of(to_delayed_work(work),
						 struct tcpao_keychain,
						 activate_work);
	struct tcpao_keyset *ks;
	int active, id = -1;

	if (READ_ONCE(kc->dead))
		return;
	rcu_read_lock();
	ks = rcu_dereference(kc->keys);
	if (ks) {
		active = tcpao_active_idx(ks->mkt, ks->n,
					  ktime_get_real_seconds());
		if (active >= 0)
			id = ks->mkt[active]->id;
	}
	rcu_read_unlock();

	if (id >= 0 && id != kc->last_active)
		tcpao_event_key_active(kc->tn, kc->name, id);
	kc->last_active = id;
	tcpao_keychain_arm(kc);
}

/* ---- configuration ---- */

static int tcpao_mkt_cmp(const void *a, const void *b)
{
	const struct tcpao_mkt *x = *(const struct tcpao_mkt **)a;
	const struct tcpao_mkt *y = *(const struct tcpao_mkt **)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->id - y->id;
}

/*
 * Make @ks (sorted; NULL: no keys) the keychain's key set, taking over the
 * caller's reference, and bring the connections on the keychain to it now
 * rather than at their next segment: a revoked key is gone from idle
 * connections too, and their key counts are right.
 */
static void tcpao_keyset_install(struct tcpao_keychain *kc,
				 struct tcpao_keyset *ks)
{
	struct tcpao_keyset *old = tcpao_keyset_get(kc);

	rcu_assign_pointer(kc->keys, ks);
	/* Connections compare their generation with this one; seeing the new
	 * generation must imply seeing the new set.
	 */
	smp_store_release(&kc->gen, kc->gen + 1);
	if (old)
		call_rcu(&old->rcu, tcpao_keyset_free_rcu);
	tcpao_keychain_arm(kc);
	tcpao_config_changed(kc->tn);
	if (tcpao_kc_published)
		tcpao_kc_published(kc->tn, kc);
}

/*
 * Publish the key set made of the current one, with @repl (may be NULL)
 * in the place of key id @id (or added), or without key @id when @repl is
 * NULL.  Takes over the caller's reference on @repl.
 */
static int tcpao_keyset_publish(struct tcpao_keychain *kc, u8 id,
				struct tcpao_mkt *repl)
{
	struct tcpao_keyset *old = tcpao_keyset_get(kc), *ks;
	int i, n = 0, cap = (old ? old->n : 0) + 1;

	ks = kzalloc(struct_size(ks, mkt, cap), GFP_KERNEL_ACCOUNT);
	if (!ks)
		return -ENOMEM;
	for (i = 0; old && i < old->n; i++) {
		if (old->mkt[i]->id == id)
			continue;
		refcount_inc(&old->mkt[i]->ref);
		ks->mkt[n++] = old->mkt[i];
	}
	if (repl)
		ks->mkt[n++] = repl;
	ks->n = n;
	sort(ks->mkt, n, sizeof(ks->mkt[0]), tcpao_mkt_cmp, NULL);
	tcpao_keyset_install(kc, ks);
	return 0;
}

static struct tcpao_keychain *tcpao_keychain_alloc(struct tcpao_net *tn,
						   const char *name,
						   struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc;
	int i;

	if (tn->n_keychains >= tn->limits.keychains) {
		TCPAO_ERR(extack,
			  "keychain limit of this namespace reached (%u)",
			  tn->limits.keychains);
		return ERR_PTR(-ENOSPC);
	}
	kc = kzalloc(sizeof(*kc), GFP_KERNEL_ACCOUNT);
	if (!kc)
		return ERR_PTR(-ENOMEM);
	refcount_set(&kc->ref, 1);
	kc->tn = tn;
	strscpy(kc->name, name, sizeof(kc->name));
	kc->tolerance = TCPAO_TOLERANCE_DEFAULT;
	kc->last_active = -1;
	atomic_set(&kc->n_conns, 0);
	for (i = 0; i < TCPAO_KEYS_MAX; i++)
		atomic_set(&kc->key_users[i], 0);
	INIT_DELAYED_WORK(&kc->activate_work, tcpao_keychain_activate_work);
	return kc;
}

static void tcpao_keychain_link(struct tcpao_keychain *kc)
{
	struct tcpao_net *tn = kc->tn;

	list_add_tail_rcu(&kc->list, &tn->keychains);
	tn->n_keychains++;
	tcpao_config_changed(tn);
}

/* Names are printable ASCII without spaces: they appear in extack messages,
 * aoctl's tables and batch files, and the operator's terminal.
 */
int tcpao_name_check(const char *name, struct netlink_ext_ack *extack)
{
	const char *p;

	if (!*name) {
		NL_SET_ERR_MSG_MOD(extack, "keychain name is empty");
		return -EINVAL;
	}
	for (p = name; *p; p++) {
		if (*p <= ' ' || *p > '~') {
			NL_SET_ERR_MSG_MOD(extack,
					   "keychain name must be printable, without spaces");
			return -EINVAL;
		}
	}
	return 0;
}

int tcpao_keychain_new(struct tcpao_net *tn, const char *name,
		       const u32 *tolerance, struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc;
	int err;

	lockdep_assert_held(&tn->lock);
	err = tcpao_name_check(name, extack);
	if (err)
		return err;
	if (tcpao_keychain_find(tn, name)) {
		TCPAO_ERR(extack, "keychain %s already exists",
			  name);
		return -EEXIST;
	}
	kc = tcpao_keychain_alloc(tn, name, extack);
	if (IS_ERR(kc))
		return PTR_ERR(kc);
	if (tolerance)
		kc->tolerance = *tolerance;
	tcpao_keychain_link(kc);
	return 0;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_keychain_new);

static struct tcpao_keychain *tcpao_keychain_need(struct tcpao_net *tn,
						  const char *name,
						  struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc = tcpao_keychain_find(tn, name);

	if (!kc)
		TCPAO_ERR(extack, "no keychain named %s", name);
	return kc;
}

int tcpao_keychain_set(struct tcpao_net *tn, const char *name, u32 tolerance,
		       struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc = tcpao_keychain_need(tn, name, extack);

	if (!kc)
		return -ENOENT;
	WRITE_ONCE(kc->tolerance, tolerance);
	tcpao_config_changed(tn);
	return 0;
}

static void tcpao_keychain_unlink(struct tcpao_keychain *kc)
{
	struct tcpao_net *tn = kc->tn;

	lockdep_assert_held(&tn->lock);
	/* Connections still on it lose its keys (they fail closed): a
	 * deleted keychain's keys are deleted keys.
	 */
	if (tcpao_keyset_get(kc))
		tcpao_keyset_install(kc, NULL);
	WRITE_ONCE(kc->dead, true);
	list_del_rcu(&kc->list);
	tn->n_keychains--;
	tcpao_config_changed(tn);
	/* The activation work does not take tn->lock, so it can be waited
	 * for here; it checks kc->dead before re-arming.
	 */
	cancel_delayed_work_sync(&kc->activate_work);
	tcpao_keychain_put(kc);
}

int tcpao_keychain_del(struct tcpao_net *tn, const char *name,
		       struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc = tcpao_keychain_need(tn, name, extack);

	if (!kc)
		return -ENOENT;
	if (kc->n_peers || kc->n_bindings) {
		TCPAO_ERR(extack,
			  "keychain %s is used by %u peer(s) and %u socket binding(s); delete them first",
			  name, kc->n_peers, kc->n_bindings);
		return -EBUSY;
	}
	tcpao_keychain_unlink(kc);
	return 0;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_keychain_del);

void tcpao_keychains_flush(struct tcpao_net *tn)
{
	struct tcpao_keychain *kc, *tmp;

	lockdep_assert_held(&tn->lock);
	list_for_each_entry_safe(kc, tmp, &tn->keychains, list)
		if (!kc->n_peers && !kc->n_bindings)
			tcpao_keychain_unlink(kc);
}

static struct tcpao_mkt *tcpao_keyset_find(struct tcpao_keyset *ks, u8 id)
{
	int i;

	for (i = 0; ks && i < ks->n; i++)
		if (ks->mkt[i]->id == id)
			return ks->mkt[i];
	return NULL;
}

/*
 * Check @m (a new version of key @m->id) against @o, another key: send IDs
 * unique among send IDs, receive IDs among receive IDs (RFC 5925 looks
 * keys up by one or the other), start times unique (Junos) so that one key
 * is active at any time.
 */
static int tcpao_key_conflict(const struct tcpao_mkt *o,
			      const struct tcpao_mkt *m,
			      struct netlink_ext_ack *extack)
{
	if (o->send_id == m->send_id) {
		TCPAO_ERR(extack, "key %u: send-id %u is already used by key %u",
			  m->id, m->send_id, o->id);
		return -EEXIST;
	}
	if (o->recv_id == m->recv_id) {
		TCPAO_ERR(extack, "key %u: recv-id %u is already used by key %u",
			  m->id, m->recv_id, o->id);
		return -EEXIST;
	}
	if (o->start == m->start) {
		TCPAO_ERR(extack,
			  "key %u: start-time is already used by key %u; start times must be unique",
			  m->id, o->id);
		return -EEXIST;
	}
	return 0;
}

static int tcpao_key_conflicts(struct tcpao_keyset *ks,
			       const struct tcpao_mkt *m,
			       struct netlink_ext_ack *extack)
{
	int i, err;

	for (i = 0; ks && i < ks->n; i++) {
		if (ks->mkt[i]->id == m->id)
			continue;
		err = tcpao_key_conflict(ks->mkt[i], m, extack);
		if (err)
			return err;
	}
	return 0;
}

/* Does @cfg give @base's secret (compared in constant time)? */
static bool tcpao_mkt_same_secret(const struct tcpao_mkt *base,
				  const struct tcpao_key_cfg *cfg)
{
	return cfg->secret_len == base->secret_len &&
	       !crypto_memneq(cfg->secret, base->secret, cfg->secret_len);
}

/* Fill a new key version from @cfg over @base (a previous version, or the
 * defaults when NULL).
 */
static struct tcpao_mkt *tcpao_mkt_build(const struct tcpao_mkt *base,
					 const struct tcpao_key_cfg *cfg,
					 struct netlink_ext_ack *extack)
{
	static atomic64_t kdf_ids = ATOMIC64_INIT(0);
	struct tcpao_mkt *m;
	int err;

	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return ERR_PTR(-ENOMEM);
	if (base) {
		memcpy(m, base, sizeof(*m));
	} else {
		m->alg = tcpao_alg_get(TCPAO_ALG_HMAC_SHA1_96);
		m->start = ktime_get_real_seconds();
		m->exclude_opts = true;
	}
	refcount_set(&m->ref, 1);
	m->id = cfg->id;
	if (cfg->has_start)
		m->start = cfg->start;
	if (cfg->has_send)
		m->send_id = cfg->send_id;
	if (cfg->has_recv)
		m->recv_id = cfg->recv_id;
	if (cfg->has_opts)
		m->exclude_opts = !cfg->tcp_options;
	if (cfg->has_alg) {
		m->alg = tcpao_alg_get(cfg->alg);
		if (!m->alg) {
			NL_SET_ERR_MSG_MOD(extack,
					   "unknown cryptographic algorithm");
			err = -EINVAL;
			goto err_free;
		}
	}
	if (cfg->has_secret) {
		m->secret_len = cfg->secret_len;
		memcpy(m->secret, cfg->secret, cfg->secret_len);
	}
	/* The prepared master key, and the traffic keys connections derive
	 * from it, depend on the secret and the algorithm.  A key deleted
	 * and added again is another key (a new @kdf_id), even with the
	 * same secret: connections derive its traffic keys anew.
	 */
	if (!base || m->alg != base->alg ||
	    (cfg->has_secret && !tcpao_mkt_same_secret(base, cfg))) {
		err = tcpao_mkt_prepare(m->alg, &m->kdf, m->secret,
					m->secret_len);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot prepare the key for its algorithm");
			goto err_free;
		}
		m->kdf_id = atomic64_inc_return(&kdf_ids);
	}
	return m;

err_free:
	kfree_sensitive(m);
	return ERR_PTR(err);
}

/* A key built from @cfg alone, for the keychains of linuxapi.c. */
struct tcpao_mkt *tcpao_mkt_new(const struct tcpao_key_cfg *cfg)
{
	return tcpao_mkt_build(NULL, cfg, NULL);
}

int tcpao_key_new(struct tcpao_net *tn, const char *name,
		  const struct tcpao_key_cfg *cfg,
		  struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc;
	struct tcpao_mkt *m;
	bool created = false;
	int err;

	lockdep_assert_held(&tn->lock);
	if (!cfg->has_secret || !cfg->has_send || !cfg->has_recv) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a new key needs a secret, a send-id and a recv-id");
		return -EINVAL;
	}
	err = tcpao_name_check(name, extack);
	if (err)
		return err;
	kc = tcpao_keychain_find(tn, name);
	if (!kc) {
		kc = tcpao_keychain_alloc(tn, name, extack);
		if (IS_ERR(kc))
			return PTR_ERR(kc);
		created = true;
	} else if (tcpao_keyset_find(tcpao_keyset_get(kc), cfg->id)) {
		TCPAO_ERR(extack,
			  "key %u already exists in keychain %s (use set)",
			  cfg->id, name);
		return -EEXIST;
	}

	m = tcpao_mkt_build(NULL, cfg, extack);
	if (IS_ERR(m)) {
		err = PTR_ERR(m);
		goto err_kc;
	}
	err = tcpao_key_conflicts(tcpao_keyset_get(kc), m, extack);
	if (err)
		goto err_mkt;
	err = tcpao_keyset_publish(kc, m->id, m);
	if (err)
		goto err_mkt;
	if (created)
		tcpao_keychain_link(kc);
	return 0;

err_mkt:
	tcpao_mkt_put(m);
err_kc:
	if (created)
		tcpao_keychain_put(kc);
	return err;
}

int tcpao_key_set(struct tcpao_net *tn, const char *name,
		  const struct tcpao_key_cfg *cfg,
		  struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc = tcpao_keychain_need(tn, name, extack);
	struct tcpao_mkt *old, *m;
	int err;

	if (!kc)
		return -ENOENT;
	old = tcpao_keyset_find(tcpao_keyset_get(kc), cfg->id);
	if (!old) {
		TCPAO_ERR(extack, "no key %u in keychain %s",
			  cfg->id, name);
		return -ENOENT;
	}
	m = tcpao_mkt_build(old, cfg, extack);
	if (IS_ERR(m))
		return PTR_ERR(m);
	err = tcpao_key_conflicts(tcpao_keyset_get(kc), m, extack);
	if (!err)
		err = tcpao_keyset_publish(kc, m->id, m);
	if (err)
		tcpao_mkt_put(m);
	return err;
}

int tcpao_key_del(struct tcpao_net *tn, const char *name, u8 id,
		  struct netlink_ext_ack *extack)
{
	struct tcpao_keychain *kc = tcpao_keychain_need(tn, name, extack);

	if (!kc)
		return -ENOENT;
	if (!tcpao_keyset_find(tcpao_keyset_get(kc), id)) {
		TCPAO_ERR(extack, "no key %u in keychain %s",
			  id, name);
		return -ENOENT;
	}
	return tcpao_keyset_publish(kc, id, NULL);
}

/* ---- sync: a keychain's whole key set at once ---- */

/* Is @cfg (defaults filled in, start time resolved) key @o as it is? */
static bool tcpao_mkt_same(const struct tcpao_mkt *o,
			   const struct tcpao_key_cfg *cfg)
{
	return o->send_id == cfg->send_id && o->recv_id == cfg->recv_id &&
	       o->alg->id == cfg->alg && o->exclude_opts == !cfg->tcp_options &&
	       o->start == cfg->start && tcpao_mkt_same_secret(o, cfg);
}

/**
 * tcpao_keychain_sync - make keychain @name hold exactly the keys @cfg
 * @tn: namespace
 * @name: keychain, created when it does not exist
 * @tolerance: its tolerance
 * @cfg: @n keys; completed here with the defaults (the caller wipes them)
 * @n: how many (0: a keychain without keys)
 * @res: what changed
 * @extack: why not
 *
 * Keys equal to those the keychain holds stay the same objects, so that a
 * sync that changes nothing publishes nothing: connections keep their key
 * set and their traffic keys, and the generation stays.  Everything is
 * checked before anything changes.
 */
int tcpao_keychain_sync(struct tcpao_net *tn, const char *name,
			u32 tolerance, struct tcpao_key_cfg *cfg, int n,
			struct tcpao_sync_result *res,
			struct netlink_ext_ack *extack)
{
	time64_t now = ktime_get_real_seconds();
	struct tcpao_keychain *kc;
	struct tcpao_keyset *old = NULL, *ks;
	bool created = false;
	u64 seen = 0;
	int i, j, err;

	lockdep_assert_held(&tn->lock);
	memset(res, 0, sizeof(*res));
	err = tcpao_name_check(name, extack);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if (!cfg[i].has_secret || !cfg[i].has_send || !cfg[i].has_recv) {
			TCPAO_ERR(extack,
				  "key %u needs a secret, a send-id and a recv-id",
				  cfg[i].id);
			return -EINVAL;
		}
		if (seen & BIT_ULL(cfg[i].id)) {
			TCPAO_ERR(extack, "key %u is given twice", cfg[i].id);
			return -EINVAL;
		}
		seen |= BIT_ULL(cfg[i].id);
	}

	kc = tcpao_keychain_find(tn, name);
	if (!kc) {
		kc = tcpao_keychain_alloc(tn, name, extack);
		if (IS_ERR(kc))
			return PTR_ERR(kc);
		created = true;
	} else {
		old = tcpao_keyset_get(kc);
	}
	ks = kzalloc(struct_size(ks, mkt, n), GFP_KERNEL);
	if (!ks) {
		err = -ENOMEM;
		goto err_kc;
	}

	for (i = 0; i < n; i++) {
		struct tcpao_key_cfg *c = &cfg[i];
		struct tcpao_mkt *o = tcpao_keyset_find(old, c->id), *m;

		/* Absent means the default, not "as it was": the request is
		 * the whole key.  Except for the start time, which a file
		 * without one cannot give twice the same.
		 */
		if (!c->has_alg)
			c->alg = TCPAO_ALG_HMAC_SHA1_96;
		if (!c->has_opts)
			c->tcp_options = false;
		if (!c->has_start)
			c->start = o ? o->start : now;
		c->has_alg = true;
		c->has_opts = true;
		c->has_start = true;
		if (o && tcpao_mkt_same(o, c)) {
			refcount_inc(&o->ref);
			ks->mkt[ks->n++] = o;
			continue;
		}
		m = tcpao_mkt_build(o, c, extack);
		if (IS_ERR(m)) {
			err = PTR_ERR(m);
			goto err_ks;
		}
		ks->mkt[ks->n++] = m;
		if (o)
			res->changed |= BIT_ULL(c->id);
		else
			res->added |= BIT_ULL(c->id);
	}
	for (i = 0; i < ks->n; i++) {
		for (j = 0; j < i; j++) {
			err = tcpao_key_conflict(ks->mkt[j], ks->mkt[i], extack);
			if (err)
				goto err_ks;
		}
	}
	for (i = 0; old && i < old->n; i++)
		if (!(seen & BIT_ULL(old->mkt[i]->id)))
			res->removed |= BIT_ULL(old->mkt[i]->id);
	res->created = created;
	res->tolerance = !created && tolerance != kc->tolerance;

	if (!res->added && !res->changed && !res->removed) {
		/* The same keys: connections keep theirs, untouched. */
		tcpao_keyset_free_rcu(&ks->rcu);
		if (res->tolerance) {
			WRITE_ONCE(kc->tolerance, tolerance);
			tcpao_config_changed(tn);
		}
		if (!created)
			return 0;
		ks = NULL;
	}
	if (ks)
		sort(ks->mkt, ks->n, sizeof(ks->mkt[0]), tcpao_mkt_cmp, NULL);
	WRITE_ONCE(kc->tolerance, tolerance);
	if (ks)
		tcpao_keyset_install(kc, ks);
	if (created)
		tcpao_keychain_link(kc);
	return 0;

err_ks:
	tcpao_keyset_free_rcu(&ks->rcu);
err_kc:
	if (created)
		tcpao_keychain_put(kc);
	return err;
}
