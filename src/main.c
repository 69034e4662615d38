// SPDX-License-Identifier: GPL-2.0
/*
 * tcpao: module init and exit only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "bench.h"
#include "crypto.h"
#include "datapath.h"
#include "diag.h"
#include "tcpao.h"
#include "netlink.h"
#include "sockopt.h"
#include "linuxapi.h"

static int __init tcpao_mod_init(void)
{
	int err;

	/* Transforms and the known-answer self-test; it says why it failed. */
	err = tcpao_crypto_init();
	if (err)
		goto err_out;
	err = tcpao_diag_mod_init();
	if (err)
		goto err_crypto;
	err = tcpao_output_init();
	if (err)
		goto err_diag;
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

	tcpao_bench_init();
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
	tcpao_bench_exit();
	tcpao_linuxapi_exit();
	tcpao_sockopt_exit();
	tcpao_genl_exit();
	tcpao_netns_exit();
	tcpao_output_exit();
	tcpao_rcu_drain();
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
