// SPDX-License-Identifier: GPL-2.0
/*
 * tcpao_kunit.ko: the KUnit suites of tcpao, built only against kernels
 * with CONFIG_KUNIT.  Each *_test.c registers its own suites with
 * kunit_test_suite(); since 6.0 KUnit collects them from the module's
 * .kunit_test_suites section and runs them when the module loads, so this
 * file only carries what the module as a whole needs.
 *
 * The code under test lives in tcpao.ko, which exports it for us in the
 * TCPAO_INTERNAL namespace (and only on kernels with KUnit).
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for tcpao (TCP-AO)");
MODULE_AUTHOR("The tcpao developers");
MODULE_IMPORT_NS(TCPAO_INTERNAL);
