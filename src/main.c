// SPDX-License-Identifier: GPL-2.0
/*
 * tcpao: module init and exit only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init tcpao_mod_init(void)
{
	pr_info("TCP-AO (RFC 5925) version %s loaded\n", TCPAO_VERSION);
	return 0;
}

static void __exit tcpao_mod_exit(void)
{
	pr_info("unloaded\n");
}

module_init(tcpao_mod_init);
module_exit(tcpao_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TCP Authentication Option (RFC 5925/5926) for routing daemons");
MODULE_AUTHOR("The tcpao developers");
MODULE_VERSION(TCPAO_VERSION);
