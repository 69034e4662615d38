// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks, registered per network namespace and only while it has
 * something to protect (peer policies, socket bindings or connections), so
 * that namespaces without configuration pay nothing.
 *
 * With them, netfilter's IPv6 defragmentation: IPv4 reassembles before
 * LOCAL_IN, but IPv6 reassembles after it (the fragment header is handled
 * as an upper-layer protocol), so without it the input hook would see each
 * fragment alone, never the segment TCP gets.  nf_defrag_ipv6 reassembles
 * at PRE_ROUTING, as it does for conntrack.
 *
 * Keychains, policies, bindings and the connection collector turn the
 * hooks on and off, so this file sits below them; the functions the hooks
 * run are the datapath's, above them: main.c hands them in at module init
 * (tcpao_hooks_set_entry()), before any namespace can register.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "datapath.h"

/*
 * Input before the filter table, so that forged segments do not even
 * reach the firewall counters; output last, after mangling and NAT, so that
 * the MAC covers the segment as it leaves.
 */
static struct nf_hook_ops tcpao_nf_ops[] __ro_after_init = {
	{
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER - 10,
	},
	{
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = TCPAO_OUT_PRIORITY,
	},
	{
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_FILTER - 10,
	},
	{
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = TCPAO_OUT_PRIORITY,
	},
};

void __init tcpao_hooks_set_entry(nf_hookfn *in, nf_hookfn *out)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpao_nf_ops); i++)
		tcpao_nf_ops[i].hook =
			tcpao_nf_ops[i].hooknum == NF_INET_LOCAL_IN ? in : out;
}

static int tcpao_hooks_on(struct tcpao_net *tn)
{
	int err;

	/* Defragmentation first: no fragment may reach our input hook
	 * while it believes it sees whole packets.
	 */
	err = tcpao_defrag6_enable(tn->net);
	if (err)
		return err;
	err = nf_register_net_hooks(tn->net, tcpao_nf_ops,
				    ARRAY_SIZE(tcpao_nf_ops));
	if (err) {
		tcpao_defrag6_disable(tn->net);
		return err;
	}
	tn->hooks_on = true;
	return 0;
}

/* Register or unregister the hooks to match what the namespace holds. */
int tcpao_hooks_update(struct tcpao_net *tn)
{
	bool want;
	u32 conns;

	lockdep_assert_held(&tn->lock);
	spin_lock_bh(&tn->conns_lock);
	conns = tn->n_conns;
	spin_unlock_bh(&tn->conns_lock);

	want = !tn->dying && (tn->n_peers || tn->n_bindings || conns);
	if (want == tn->hooks_on)
		return 0;
	if (!want) {
		tcpao_hooks_off(tn);
		return 0;
	}
	return tcpao_hooks_on(tn);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_hooks_update);

/*
 * The hooks, on before a change that needs them is made: the change then
 * cannot fail half done, in place but unenforced.  If it does not happen
 * after all, tcpao_hooks_update() turns them off again.
 */
int tcpao_hooks_prepare(struct tcpao_net *tn)
{
	lockdep_assert_held(&tn->lock);
	if (tn->dying || tn->hooks_on)
		return 0;
	return tcpao_hooks_on(tn);
}

void tcpao_hooks_off(struct tcpao_net *tn)
{
	lockdep_assert_held(&tn->lock);
	if (!tn->hooks_on)
		return;
	nf_unregister_net_hooks(tn->net, tcpao_nf_ops,
				ARRAY_SIZE(tcpao_nf_ops));
	tcpao_defrag6_disable(tn->net);
	tn->hooks_on = false;
}
