// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created with the namespace, torn down with
 * it (or with the module), freeing every keychain, policy, binding and
 * connection it holds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "tcpao.h"
#include "peer.h"
#include "conn.h"
#include "events.h"
#include "binding.h"
#include "diag.h"

unsigned int tcpao_net_id __read_mostly;
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_net_id);

void tcpao_stats_read(struct tcpao_net *tn, struct tcpao_stats *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct tcpao_stats *s = per_cpu_ptr(tn->stats, cpu);

		for (i = 0; i < ARRAY_SIZE(sum->c); i++)
			sum->c[i] += READ_ONCE(s->c[i]);
	}
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_stats_read);

/* The most each limit may be in @net (see tcpao.h). */
void tcpao_limits_caps(const struct net *net, struct tcpao_limits *caps)
{
	if (net->user_ns == &init_user_ns) {
		caps->keychains = TCPAO_LIMIT_MAX;
		caps->peers = TCPAO_LIMIT_MAX;
		caps->conns = TCPAO_LIMIT_MAX;
		caps->bindings = TCPAO_LIMIT_MAX;
	} else {
		caps->keychains = TCPAO_USERNS_MAX_KEYCHAINS;
		caps->peers = TCPAO_USERNS_MAX_PEERS;
		caps->conns = TCPAO_USERNS_MAX_CONNS;
		caps->bindings = TCPAO_USERNS_MAX_BINDINGS;
	}
}

static int __net_init tcpao_net_init(struct net *net)
{
	struct tcpao_net *tn = tcpao_pernet(net);
	struct tcpao_limits caps;
	int err;

	tn->net = net;
	mutex_init(&tn->lock);
	INIT_LIST_HEAD(&tn->keychains);
	tn->gen = 1;
	tcpao_limits_caps(net, &caps);
	tn->limits.keychains = min_t(u32, TCPAO_DEF_MAX_KEYCHAINS,
				     caps.keychains);
	tn->limits.peers = min_t(u32, TCPAO_DEF_MAX_PEERS, caps.peers);
	tn->limits.conns = min_t(u32, TCPAO_DEF_MAX_CONNS, caps.conns);
	tn->limits.bindings = min_t(u32, TCPAO_DEF_MAX_BINDINGS,
				    caps.bindings);
	ratelimit_state_init(&tn->fail_rs, HZ, 10);
	ratelimit_set_flags(&tn->fail_rs, RATELIMIT_MSG_ON_RELEASE);
	tcpao_diag_init(tn);

	tn->stats = alloc_percpu_gfp(struct tcpao_stats, GFP_KERNEL_ACCOUNT);
	if (!tn->stats)
		return -ENOMEM;
	err = tcpao_peers_init(tn);
	if (err)
		goto err_stats;
	err = tcpao_conn_table_init(tn);
	if (err)
		goto err_peers;
	err = tcpao_bindings_init(tn);
	if (err)
		goto err_conns;
	err = tcpao_events_init(tn);
	if (err)
		goto err_bindings;
	return 0;

err_bindings:
	tcpao_bindings_destroy(tn);
err_conns:
	tcpao_conn_table_destroy(tn);
err_peers:
	rhashtable_destroy(&tn->peers);
err_stats:
	free_percpu(tn->stats);
	return err;
}

/*
 * The hooks go first, and nothing may register them again.  Unregistering
 * a hook does not wait for a CPU already inside it (nf_hook_slow() read the
 * old hook array under RCU): the tables it reads go only in
 * tcpao_net_exit(), which the namespace core runs after a grace period
 * that follows every pre_exit (one for all the namespaces of a module
 * unload or of a batch of dying namespaces).
 */
static void __net_exit tcpao_net_pre_exit(struct net *net)
{
	struct tcpao_net *tn = tcpao_pernet(net);

	mutex_lock(&tn->lock);
	spin_lock_bh(&tn->conns_lock);
	tn->dying = true;
	spin_unlock_bh(&tn->conns_lock);
	tcpao_hooks_off(tn);
	mutex_unlock(&tn->lock);
}

static void __net_exit tcpao_net_exit(struct net *net)
{
	struct tcpao_net *tn = tcpao_pernet(net);

	/* No hook runs any more (tcpao_net_pre_exit() and a grace period). */
	tcpao_bindings_destroy(tn);
	tcpao_conn_table_destroy(tn);
	tcpao_peers_destroy(tn);
	mutex_lock(&tn->lock);
	tcpao_keychains_flush(tn);
	mutex_unlock(&tn->lock);
	tcpao_events_destroy(tn);
	free_percpu(tn->stats);
}

static struct pernet_operations tcpao_net_ops = {
	.init = tcpao_net_init,
	.pre_exit = tcpao_net_pre_exit,
	.exit = tcpao_net_exit,
	.id = &tcpao_net_id,
	.size = sizeof(struct tcpao_net),
};

int tcpao_netns_init(void)
{
	return register_pernet_subsys(&tcpao_net_ops);
}

void tcpao_netns_exit(void)
{
	unregister_pernet_subsys(&tcpao_net_ops);
}
