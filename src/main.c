// SPDX-License-Identifier: GPL-2.0
/*
 * tcpao: module init and exit, and each network namespace's: the one file
 * that knows every layer, creating their state from the bottom up and
 * tearing it down from the top.  A namespace's state is created with the
 * namespace, torn down with it (or with the module), freeing every
 * keychain, policy, binding and connection it holds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include "conn.h"
#include "crypto.h"
#include "datapath.h"
#include "binding.h"
#include "diag.h"
#include "events.h"
#include "peer.h"
#include "tcpao.h"
#include "netlink.h"
#include "sockopt.h"
#include "linuxapi.h"

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

static int __init tcpao_netns_init(void)
{
	return register_pernet_subsys(&tcpao_net_ops);
}

static void tcpao_netns_exit(void)
{
	unregister_pernet_subsys(&tcpao_net_ops);
}

static int __init tcpao_mod_init(void)
{
	int err;

	/* Transforms, then the known-answer self-test before anything can
	 * use a key: -EINVAL when a known answer is wrong fails the load,
	 * and the self-test says why.
	 */
	err = tcpao_crypto_init();
	if (err)
		goto err_out;
	err = tcpao_crypto_selftest();
	if (err)
		goto err_crypto;
	tcpao_crypto_log_drivers();
	/* What lower layers call back up, before any namespace exists. */
	tcpao_hooks_set_entry(tcpao_nf_in, tcpao_nf_out);
	tcpao_keychain_on_publish(tcpao_conn_refresh_kc);
	err = tcpao_diag_mod_init();
	if (err)
		goto err_crypto;
	err = tcpao_conn_mod_init();
	if (err)
		goto err_diag;
	err = tcpao_output_init();
	if (err)
		goto err_conn;
	err = tcpao_netns_init();
	if (err)
		goto err_output;
	err = tcpao_genl_init();
	if (err)
		goto err_netns;
	err = tcpao_sockopt_init();
	if (err)
		goto err_genl;
	err = tcpao_linuxapi_init();
	if (err)
		goto err_sockopt;

	pr_info("TCP-AO (RFC 5925) version %s loaded\n", TCPAO_VERSION);
	return 0;

err_sockopt:
	tcpao_sockopt_exit();
err_genl:
	tcpao_genl_exit();
err_netns:
	tcpao_netns_exit();
err_output:
	tcpao_output_exit();
	tcpao_rcu_drain();
err_conn:
	tcpao_conn_mod_exit();
err_diag:
	tcpao_diag_mod_exit();
err_crypto:
	tcpao_crypto_exit();
err_out:
	return err;
}

static void __exit tcpao_mod_exit(void)
{
	/* Entry points first (no new bindings, no new requests), then every
	 * namespace's state, then what RCU callbacks still free.
	 */
	tcpao_linuxapi_exit();
	tcpao_sockopt_exit();
	tcpao_genl_exit();
	tcpao_netns_exit();
	tcpao_output_exit();
	tcpao_rcu_drain();
	tcpao_conn_mod_exit();
	tcpao_diag_mod_exit();
	tcpao_crypto_exit();
	pr_info("unloaded\n");
}

module_init(tcpao_mod_init);
module_exit(tcpao_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TCP Authentication Option (RFC 5925/5926) for routing daemons");
MODULE_AUTHOR("The tcpao developers");
MODULE_VERSION(TCPAO_VERSION);
