// SPDX-License-Identifier: GPL-2.0
/*
 * tcpao_selftest: inject one kind of failure so that tests/vm/selftest.sh can
 * check that tests/vm/run notices it.
 *
 *   fault=none        do nothing; the run must stay green
 *   fault=kunit_fail  the module's KUnit case fails
 *   fault=warn        WARN() at load
 *   fault=kasan_uaf   read freed memory at load (KASAN report)
 *   fault=leak        lose a kmalloc() at load (kmemleak report)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/test.h>

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "none, kunit_fail, warn, kasan_uaf or leak");

static bool fault_is(const char *name)
{
	return !strcmp(fault, name);
}

/* noinline and READ_ONCE() so that the compiler keeps the use after free. */
static noinline void selftest_use_after_free(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("read after free: %d\n", READ_ONCE(p[8]));
}

static noinline void selftest_leak(void)
{
	char *p = kmalloc(1024, GFP_KERNEL);

	/* Fill it with something that does not look like a pointer. */
	if (p)
		memset(p, 0x5a, 1024);
	pr_info("leaked 1024 bytes\n");
}

static int __init selftest_init(void)
{
	pr_info("loaded with fault=%s\n", fault);
	if (fault_is("warn"))
		WARN(1, "tcpao_selftest: deliberate warning\n");
	else if (fault_is("kasan_uaf"))
		selftest_use_after_free();
	else if (fault_is("leak"))
		selftest_leak();
	else if (!fault_is("none") && !fault_is("kunit_fail"))
		return -EINVAL;
	return 0;
}

static void __exit selftest_exit(void)
{
}

module_init(selftest_init);
module_exit(selftest_exit);

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * KUnit (6.1) runs a module's suites from the MODULE_STATE_COMING notifier,
 * before the module's parameters are parsed and before selftest_init(): look
 * at the raw argument string, which is already there.
 */
static void selftest_kunit_case(struct kunit *test)
{
	const char *args = THIS_MODULE->args ?: "";

	KUNIT_EXPECT_FALSE_MSG(test, fault_is("kunit_fail") ||
			       strstr(args, "fault=kunit_fail"),
			       "deliberate KUnit failure (fault=kunit_fail)");
}

static struct kunit_case selftest_kunit_cases[] = {
	KUNIT_CASE(selftest_kunit_case),
	{}
};

static struct kunit_suite selftest_kunit_suite = {
	.name = "tcpao_selftest",
	.test_cases = selftest_kunit_cases,
};

kunit_test_suite(selftest_kunit_suite);
#endif

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tcpao VM harness self-test: injects failures on request");
MODULE_AUTHOR("The tcpao developers");
