// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the datapath's pure logic: TCP option parsing and
 * rewriting (src/option.c), the Sequence Number Extension (src/sne.h) and
 * key selection (src/keychain.c).
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "keychain.h"
#include "option.h"
#include "sne.h"

/* ---- options ---- */

/* What Linux puts in a SYN: MSS, SACK-permitted + timestamps, wscale. */
static const u8 syn_opts[] = {
	2, 4, 0x05, 0xb4,			/* MSS 1460 */
	4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,	/* SACK-perm, TS */
	1, 3, 3, 7,				/* NOP, wscale 7 */
};

static void opt_parse_syn(struct kunit *test)
{
	struct tcpao_opts o;

	KUNIT_ASSERT_EQ(test, 0, tcpao_opts_parse(syn_opts, sizeof(syn_opts),
						  &o));
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, o.ao, -1);
	KUNIT_EXPECT_EQ(test, o.sack, -1);
	KUNIT_EXPECT_FALSE(test, o.md5);
	KUNIT_EXPECT_EQ(test, o.end, sizeof(syn_opts));
}

static void opt_parse_ao(struct kunit *test)
{
	u8 b[28] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
		     TCPAO_KIND_AO, TCPAO_OPT_LEN, 61, 84 };
	struct tcpao_opts o;

	KUNIT_ASSERT_EQ(test, 0, tcpao_opts_parse(b, sizeof(b), &o));
	KUNIT_EXPECT_EQ(test, o.ao, 12);
	KUNIT_EXPECT_EQ(test, o.mss, -1);
}

/* Each of these must be reported malformed, never read out of bounds. */
static void opt_parse_malformed(struct kunit *test)
{
	static const struct {
		const char *what;
		u8 len;
		u8 b[40];
	} bad[] = {
		{ "length 0", 4, { 29, 0, 1, 1 } },
		{ "length 1", 4, { 29, 1, 1, 1 } },
		{ "length 3", 4, { 29, 3, 0, 0 } },
		{ "beyond the header", 8, { 1, 1, 29, 16, 1, 2, 3, 4 } },
		{ "kind without length", 3, { 1, 1, 29 } },
		{ "unknown option beyond", 4, { 99, 9, 0, 0 } },
		{ "MAC of 11 bytes", 16, { 29, 15 } },
		{ "MAC of 13 bytes", 20, { 29, 17 } },
		{ "two TCP-AO", 32, { 29, 16, [16] = 29, 16 } },
		{ "MSS length 0", 4, { 2, 0, 0, 0 } },
	};
	struct tcpao_opts o;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    tcpao_opts_parse(bad[i].b, bad[i].len, &o),
				    "%s", bad[i].what);
}

static void opt_parse_eol_md5(struct kunit *test)
{
	u8 b[24] = { 19, 18, [18] = 0, 99, 99, 99 };
	struct tcpao_opts o;

	/* Garbage after EOL does not count. */
	KUNIT_ASSERT_EQ(test, 0, tcpao_opts_parse(b, sizeof(b), &o));
	KUNIT_EXPECT_TRUE(test, o.md5);
	KUNIT_EXPECT_EQ(test, o.end, 18);
}

static void opt_layout_syn(struct kunit *test)
{
	struct tcpao_opts o;
	unsigned int ao_off;
	u8 out[TCPAO_OPTSPACE_MAX];
	int n;

	memset(out, 0xaa, sizeof(out));
	n = tcpao_opts_sign_layout(syn_opts, sizeof(syn_opts), out, 10, 20,
				   &ao_off);
	/* A full Linux SYN still fits: 20 + 16 bytes. */
	KUNIT_ASSERT_EQ(test, n, 36);
	KUNIT_EXPECT_EQ(test, ao_off, 20);
	KUNIT_EXPECT_EQ(test, 0, memcmp(out, syn_opts, sizeof(syn_opts)));
	KUNIT_EXPECT_EQ(test, out[20], TCPAO_KIND_AO);
	KUNIT_EXPECT_EQ(test, out[21], TCPAO_OPT_LEN);
	KUNIT_EXPECT_EQ(test, out[22], 10);
	KUNIT_EXPECT_EQ(test, out[23], 20);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(out + 24, 0, TCPAO_MAC_LEN));
	KUNIT_ASSERT_EQ(test, 0, tcpao_opts_parse(out, n, &o));
	KUNIT_EXPECT_EQ(test, o.ao, 20);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
}

static void opt_layout_empty_and_odd(struct kunit *test)
{
	static const u8 ws_only[] = { 3, 3, 7 };	/* not padded */
	unsigned int ao_off;
	u8 out[TCPAO_OPTSPACE_MAX];

	KUNIT_EXPECT_EQ(test, 16, tcpao_opts_sign_layout(NULL, 0, out, 1, 2,
							 &ao_off));
	KUNIT_EXPECT_EQ(test, ao_off, 0);
	KUNIT_EXPECT_EQ(test, 20, tcpao_opts_sign_layout(ws_only, 3, out, 1,
							 2, &ao_off));
	KUNIT_EXPECT_EQ(test, ao_off, 4);
	KUNIT_EXPECT_EQ(test, out[3], TCPAO_KIND_NOP);
}

/* Timestamps plus three SACK blocks fill 40 bytes: SACK must shrink. */
static void opt_layout_trims_sack(struct kunit *test)
{
	u8 in[40] = { 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8,
		      1, 1, 5, 26 };
	struct tcpao_opts o;
	unsigned int ao_off;
	u8 out[TCPAO_OPTSPACE_MAX];
	int n, i;

	for (i = 16; i < 40; i++)
		in[i] = i;
	n = tcpao_opts_sign_layout(in, sizeof(in), out, 5, 6, &ao_off);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_LE(test, n, TCPAO_OPTSPACE_MAX);
	KUNIT_ASSERT_EQ(test, 0, tcpao_opts_parse(out, n, &o));
	KUNIT_ASSERT_GE(test, o.sack, 0);
	/* One block (RFC 5925 7.6), the most recent one, is kept. */
	KUNIT_EXPECT_EQ(test, out[o.sack + 1], 10);
	KUNIT_EXPECT_EQ(test, 0, memcmp(out + o.sack + 2, in + 16, 8));
	KUNIT_EXPECT_EQ(test, 0, memcmp(out, in, 12));	/* timestamps */
	KUNIT_EXPECT_EQ(test, o.ao, (int)ao_off);
}

static void opt_layout_no_room(struct kunit *test)
{
	/* 28 bytes of options that are not SACK: TCP-AO cannot fit. */
	u8 in[28] = { 254, 28 };
	u8 ao_in[16] = { 29, 16 };
	unsigned int ao_off;
	u8 out[TCPAO_OPTSPACE_MAX];

	KUNIT_EXPECT_EQ(test, -ENOSPC,
			tcpao_opts_sign_layout(in, sizeof(in), out, 1, 1,
					       &ao_off));
	/* Already signed: never a second TCP-AO. */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			tcpao_opts_sign_layout(ao_in, sizeof(ao_in), out, 1,
					       1, &ao_off));
}

static void opt_hide_and_mss(struct kunit *test)
{
	u8 b[36];
	struct tcpao_opts o;
	unsigned int ao_off;

	KUNIT_ASSERT_EQ(test, 36, tcpao_opts_sign_layout(syn_opts,
							 sizeof(syn_opts), b,
							 1, 2, &ao_off));
	KUNIT_ASSERT_EQ(test, 0, tcpao_opts_parse(b, 36, &o));
	KUNIT_EXPECT_TRUE(test, tcpao_opts_mss_reduce(b, &o, TCPAO_OPT_LEN));
	KUNIT_EXPECT_EQ(test, (b[2] << 8) | b[3], 1460 - TCPAO_OPT_LEN);
	tcpao_opts_hide_ao(b, &o);
	KUNIT_ASSERT_EQ(test, 0, tcpao_opts_parse(b, 36, &o));
	KUNIT_EXPECT_EQ(test, o.ao, -1);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(b + 20, TCPAO_KIND_NOP, 16));

	/* Tiny MSS values are left to the stack; no MSS, no change. */
	b[2] = 0;
	b[3] = 70;
	KUNIT_EXPECT_FALSE(test, tcpao_opts_mss_reduce(b, &o, TCPAO_OPT_LEN));
	o.mss = -1;
	KUNIT_EXPECT_FALSE(test, tcpao_opts_mss_reduce(b, &o, TCPAO_OPT_LEN));
}

/* Random bytes: the parser never faults, and whatever the layout function
 * accepts comes out well formed with exactly one TCP-AO option.
 */
static void opt_random(struct kunit *test)
{
	u8 in[TCPAO_OPTSPACE_MAX], out[TCPAO_OPTSPACE_MAX];
	struct tcpao_opts o;
	unsigned int ao_off, len;
	int i, n, laid = 0;

	for (i = 0; i < 20000; i++) {
		len = get_random_u32() % (TCPAO_OPTSPACE_MAX + 1);
		get_random_bytes(in, len);
		/* Bias towards plausible options some of the time. */
		if (i & 1 && len > 2)
			in[1] = 2 + in[1] % (len - 1);
		if (tcpao_opts_parse(in, len, &o))
			continue;
		n = tcpao_opts_sign_layout(in, len, out, 1, 2, &ao_off);
		if (n < 0)
			continue;
		laid++;
		KUNIT_ASSERT_EQ(test, n % 4, 0);
		KUNIT_ASSERT_LE(test, n, TCPAO_OPTSPACE_MAX);
		KUNIT_ASSERT_EQ(test, 0, tcpao_opts_parse(out, n, &o));
		KUNIT_ASSERT_EQ(test, o.ao, (int)ao_off);
	}
	KUNIT_EXPECT_GT(test, laid, 0);
}

/* ---- SNE (RFC 5925 6.2) ---- */

static void sne_basic(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0u, tcpao_sne_of(tcpao_sne_pack(0, 1000), 2000));
	KUNIT_EXPECT_EQ(test, 0u, tcpao_sne_of(tcpao_sne_pack(0, 1000), 500));
	KUNIT_EXPECT_EQ(test, 7u, tcpao_sne_of(tcpao_sne_pack(7, 1000), 1000));
}

static void sne_wrap(struct kunit *test)
{
	/* After the reference, numerically smaller: wrapped. */
	KUNIT_EXPECT_EQ(test, 1u,
			tcpao_sne_of(tcpao_sne_pack(0, 0xffffff00), 0x10));
	/* Before the reference, numerically larger: a retransmission from
	 * before the wrap.
	 */
	KUNIT_EXPECT_EQ(test, 0u,
			tcpao_sne_of(tcpao_sne_pack(1, 0x10), 0xffffff00));
	KUNIT_EXPECT_EQ(test, 4u,
			tcpao_sne_of(tcpao_sne_pack(5, 0x7fff), 0xfffff000));
}

static void sne_advance(struct kunit *test)
{
	atomic64_t ref;
	u32 seq = 0xfff00000;
	int i;

	atomic64_set(&ref, tcpao_sne_pack(0, seq));
	/* Walk forward in steps under 2^31 across four wraps. */
	for (i = 0; i < 4 * 4; i++) {
		seq += 0x40000000;
		tcpao_sne_advance(&ref, seq);
		KUNIT_EXPECT_EQ(test, (u32)atomic64_read(&ref), seq);
	}
	KUNIT_EXPECT_EQ(test, (u32)(atomic64_read(&ref) >> 32), 4u);

	/* Old segments never move the reference back. */
	tcpao_sne_advance(&ref, seq - 1000);
	KUNIT_EXPECT_EQ(test, (u32)atomic64_read(&ref), seq);
	KUNIT_EXPECT_EQ(test, tcpao_sne_of(atomic64_read(&ref), seq - 1000),
			4u);
}

/* ---- key selection ---- */

struct keysel_fixture {
	struct tcpao_mkt m[4];
	struct tcpao_mkt *p[4];
};

/* Keys 0, 1, 2 starting at 100, 200, 300; send-id 10+id, recv-id 20+id. */
static struct keysel_fixture *keysel_setup(struct kunit *test)
{
	struct keysel_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	for (i = 0; i < 3; i++) {
		f->m[i].id = i;
		f->m[i].start = 100 * (i + 1);
		f->m[i].send_id = 10 + i;
		f->m[i].recv_id = 20 + i;
		f->p[i] = &f->m[i];
	}
	return f;
}

static void keysel_active_next(struct kunit *test)
{
	struct keysel_fixture *f = keysel_setup(test);

	KUNIT_EXPECT_EQ(test, -1, tcpao_active_idx(f->p, 3, 50));
	KUNIT_EXPECT_EQ(test, 0, tcpao_active_idx(f->p, 3, 100));
	KUNIT_EXPECT_EQ(test, 1, tcpao_active_idx(f->p, 3, 250));
	KUNIT_EXPECT_EQ(test, 2, tcpao_active_idx(f->p, 3, 300));
	KUNIT_EXPECT_EQ(test, 0, tcpao_next_idx(f->p, 3, 50));
	KUNIT_EXPECT_EQ(test, 2, tcpao_next_idx(f->p, 3, 250));
	KUNIT_EXPECT_EQ(test, -1, tcpao_next_idx(f->p, 3, 300));
	KUNIT_EXPECT_EQ(test, -1, tcpao_active_idx(f->p, 0, 300));
}

static void keysel_states(struct kunit *test)
{
	struct keysel_fixture *f = keysel_setup(test);
	const u32 tol = 60;

	KUNIT_EXPECT_EQ(test, TCPAO_KEY_STATE_ACTIVE,
			tcpao_key_state(f->p, 3, 1, 210, tol));
	/* Superseded 10 s ago, tolerance 60 s: still accepted. */
	KUNIT_EXPECT_EQ(test, TCPAO_KEY_STATE_PREVIOUS,
			tcpao_key_state(f->p, 3, 0, 210, tol));
	KUNIT_EXPECT_EQ(test, TCPAO_KEY_STATE_EXPIRED,
			tcpao_key_state(f->p, 3, 0, 260, tol));
	/* 50 s before its start: within the tolerance, pending. */
	KUNIT_EXPECT_EQ(test, TCPAO_KEY_STATE_PENDING,
			tcpao_key_state(f->p, 3, 2, 250, tol));
	KUNIT_EXPECT_EQ(test, TCPAO_KEY_STATE_FUTURE,
			tcpao_key_state(f->p, 3, 2, 230, tol));
	/* Tolerance 0: the transition is sharp. */
	KUNIT_EXPECT_EQ(test, TCPAO_KEY_STATE_EXPIRED,
			tcpao_key_state(f->p, 3, 0, 200, 0));
	KUNIT_EXPECT_EQ(test, TCPAO_KEY_STATE_FUTURE,
			tcpao_key_state(f->p, 3, 2, 299, 0));
}

static void keysel_tx(struct kunit *test)
{
	struct keysel_fixture *f = keysel_setup(test);

	/* Nothing heard from the peer: the active key. */
	KUNIT_EXPECT_EQ(test, 1, tcpao_select_tx(f->p, 3, 250, 60, -1));
	/* The peer asks for key 2 (send-id 12), pending: honour it. */
	KUNIT_EXPECT_EQ(test, 2, tcpao_select_tx(f->p, 3, 250, 60, 12));
	/* The peer asks for key 0, expired for us: the active key. */
	KUNIT_EXPECT_EQ(test, 1, tcpao_select_tx(f->p, 3, 270, 60, 10));
	/* ... but within the tolerance it is still ours to use. */
	KUNIT_EXPECT_EQ(test, 0, tcpao_select_tx(f->p, 3, 210, 60, 10));
	/* A KeyID we do not hold: the active key. */
	KUNIT_EXPECT_EQ(test, 1, tcpao_select_tx(f->p, 3, 250, 60, 99));
	/* Before any start time: no key, fail closed. */
	KUNIT_EXPECT_EQ(test, -1, tcpao_select_tx(f->p, 3, 10, 60, -1));

	KUNIT_EXPECT_EQ(test, 2, tcpao_find_recv(f->p, 3, 22));
	KUNIT_EXPECT_EQ(test, -1, tcpao_find_recv(f->p, 3, 12));
}

static struct kunit_case tcpao_option_cases[] = {
	KUNIT_CASE(opt_parse_syn),
	KUNIT_CASE(opt_parse_ao),
	KUNIT_CASE(opt_parse_malformed),
	KUNIT_CASE(opt_parse_eol_md5),
	KUNIT_CASE(opt_layout_syn),
	KUNIT_CASE(opt_layout_empty_and_odd),
	KUNIT_CASE(opt_layout_trims_sack),
	KUNIT_CASE(opt_layout_no_room),
	KUNIT_CASE(opt_hide_and_mss),
	KUNIT_CASE(opt_random),
	{}
};

static struct kunit_suite tcpao_option_suite = {
	.name = "tcpao_option",
	.test_cases = tcpao_option_cases,
};

static struct kunit_case tcpao_sne_cases[] = {
	KUNIT_CASE(sne_basic),
	KUNIT_CASE(sne_wrap),
	KUNIT_CASE(sne_advance),
	{}
};

static struct kunit_suite tcpao_sne_suite = {
	.name = "tcpao_sne",
	.test_cases = tcpao_sne_cases,
};

static struct kunit_case tcpao_keysel_cases[] = {
	KUNIT_CASE(keysel_active_next),
	KUNIT_CASE(keysel_states),
	KUNIT_CASE(keysel_tx),
	{}
};

static struct kunit_suite tcpao_keysel_suite = {
	.name = "tcpao_keysel",
	.test_cases = tcpao_keysel_cases,
};

kunit_test_suites(&tcpao_option_suite, &tcpao_sne_suite, &tcpao_keysel_suite);
