// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: key selection (src/keysel.c, built unchanged).
 * Builds a set of key versions sorted as the module keeps them (by start
 * time, then key id), with any start times (the netlink API takes any
 * s64), IDs, clock, tolerance and peer RNextKeyID, and checks every
 * function against the rules of design.rst ("Key selection") and the
 * UAPI's key states, written here independently.  UBSan catches signed
 * overflow in the time arithmetic.
 *
 * Input: 8 bytes now, 4 bytes tolerance, 1 byte peer RNextKeyID (bit 0 of
 * the next byte: none), 1 byte KeyID to look up, then 11 bytes per key
 * (8 start, id, send id, recv id), at most 64 keys.  Start times are any
 * s64, as netlink takes them; the clock is what the kernel's wall clock
 * can be (0 to 2^35 s) and the tolerance what the policy lets through
 * (at most TCPAO_TOLERANCE_MAX).
 */
#include <stdio.h>
#include <stdlib.h>

#include "keysel.h"
#include "check.h"

static u64 get(const u8 *p, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static int cmp(const void *a, const void *b)
{
	const struct tcpao_mkt *x = *(struct tcpao_mkt *const *)a;
	const struct tcpao_mkt *y = *(struct tcpao_mkt *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->id - y->id;
}

/* Saturating, so that the model itself has no overflow. */
static s64 sat_add(s64 a, s64 b)
{
	s64 r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static enum tcpao_key_state model_state(struct tcpao_mkt *const *m, int n,
					int i, s64 now, u32 tol)
{
	int a = -1, j;

	for (j = 0; j < n; j++)
		if (m[j]->start <= now)
			a = j;	/* the last one not in the future */
	if (i == a)
		return TCPAO_KEY_STATE_ACTIVE;
	if (m[i]->start > now)
		return sat_add(m[i]->start, -(s64)tol) <= now ?
		       TCPAO_KEY_STATE_PENDING : TCPAO_KEY_STATE_FUTURE;
	/* Superseded by key i + 1, which started no later than now. */
	if (now < sat_add(m[i + 1]->start, tol))
		return TCPAO_KEY_STATE_PREVIOUS;
	return TCPAO_KEY_STATE_EXPIRED;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct tcpao_mkt keys[TCPAO_KEYS_MAX], *m[TCPAO_KEYS_MAX];
	int n = 0, i, a, nx, tx, rnext, want;
	enum tcpao_key_state st;
	u32 tol;
	s64 now;
	u8 keyid;

	if (size < 15)
		return 0;
	now = (s64)(get(data, 8) & ((1ULL << 35) - 1));
	tol = (u32)get(data + 8, 4) % (TCPAO_TOLERANCE_MAX + 1);
	rnext = data[13] & 1 ? -1 : data[12];
	keyid = data[14];
	for (i = 15; i + 11 <= (int)size && n < TCPAO_KEYS_MAX; i += 11) {
		keys[n].start = (s64)get(data + i, 8);
		keys[n].id = data[i + 8];
		keys[n].send_id = data[i + 9];
		keys[n].recv_id = data[i + 10];
		m[n] = &keys[n];
		n++;
	}
	qsort(m, n, sizeof(m[0]), cmp);

	a = tcpao_active_idx(m, n, now);
	nx = tcpao_next_idx(m, n, now);
	for (i = 0; i < n; i++) {
		if (m[i]->start <= now)
			CHECK(a >= i);
		else
			CHECK(a < i && nx >= 0 && nx <= i);
	}
	CHECK(a < 0 || m[a]->start <= now);
	CHECK(nx < 0 || (m[nx]->start > now && (nx == 0 ||
						 m[nx - 1]->start <= now)));
	CHECK(nx < 0 ? a == n - 1 : a == nx - 1);

	for (i = 0; i < n; i++) {
		st = tcpao_key_state(m, n, i, now, tol);
		CHECK(st == model_state(m, n, i, now, tol));
	}

	tx = tcpao_select_tx(m, n, now, tol, rnext);
	want = a;
	if (rnext >= 0) {
		for (i = 0; i < n; i++) {
			if (m[i]->send_id != rnext)
				continue;
			st = model_state(m, n, i, now, tol);
			if (st == TCPAO_KEY_STATE_ACTIVE ||
			    st == TCPAO_KEY_STATE_PENDING ||
			    st == TCPAO_KEY_STATE_PREVIOUS)
				want = i;
			break;	/* the first key with that send ID decides */
		}
	}
	CHECK(tx == want);
	/* Never a key that is expired or in the future. */
	if (tx >= 0) {
		st = tcpao_key_state(m, n, tx, now, tol);
		CHECK(st != TCPAO_KEY_STATE_EXPIRED &&
		      st != TCPAO_KEY_STATE_FUTURE);
	}

	i = tcpao_find_recv(m, n, keyid);
	if (i >= 0) {
		CHECK(m[i]->recv_id == keyid);
		while (--i >= 0)
			CHECK(m[i]->recv_id != keyid);
	} else {
		for (i = 0; i < n; i++)
			CHECK(m[i]->recv_id != keyid);
	}
	return 0;
}
