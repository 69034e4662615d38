// SPDX-License-Identifier: GPL-2.0
/*
 * Key selection (RFC 5925 7.5 and Junos keychain semantics): which key is
 * active, which to send with, which one a received KeyID names and whether
 * it is still (or already) acceptable.  Pure functions of the key versions
 * and the wall clock: no locks, no allocation, nothing but the start time
 * and the IDs of each version is read.  Built into the module, the KUnit
 * suite and the userspace fuzzer (tests/fuzz), which provides its own
 * struct tcpao_mkt with those fields.
 */
#ifdef __KERNEL__
#include "keychain.h"
#else
#include "uspace.h"
#endif
#include "keysel.h"

/**
 * tcpao_active_idx - the active key: latest start time not in the future
 * @mkt: key versions sorted by start time, then key id
 * @n: how many
 * @now: wall clock, seconds
 *
 * Start times are unique within a keychain, but a connection may hold two
 * versions with equal start times after an edit; the later one wins.
 */
int tcpao_active_idx(struct tcpao_mkt *const *mkt, int n, time64_t now)
{
	int i;

	for (i = n - 1; i >= 0; i--)
		if (mkt[i]->start <= now)
			return i;
	return -1;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_active_idx);

/* The key that becomes active next, or -1. */
int tcpao_next_idx(struct tcpao_mkt *const *mkt, int n, time64_t now)
{
	int i;

	for (i = 0; i < n; i++)
		if (mkt[i]->start > now)
			return i;
	return -1;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_next_idx);

/**
 * tcpao_key_state - where key @i stands at @now
 *
 * Before its start time a key is FUTURE, or PENDING within the tolerance
 * (accepted on receive to absorb the peer's clock skew).  After a later key
 * became active it is PREVIOUS for the tolerance, then EXPIRED.
 */
enum tcpao_key_state tcpao_key_state(struct tcpao_mkt *const *mkt, int n,
				     int i, time64_t now, u32 tolerance)
{
	int active = tcpao_active_idx(mkt, n, now);
	time64_t start = mkt[i]->start;

	if (i == active)
		return TCPAO_KEY_STATE_ACTIVE;
	if (start > now)
		return start - tolerance <= now ? TCPAO_KEY_STATE_PENDING :
						  TCPAO_KEY_STATE_FUTURE;
	/* Superseded (i < active): by the next key, already started. */
	if (i + 1 < n && now < mkt[i + 1]->start + tolerance)
		return TCPAO_KEY_STATE_PREVIOUS;
	return TCPAO_KEY_STATE_EXPIRED;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_key_state);

static bool tcpao_state_usable(enum tcpao_key_state st)
{
	return st == TCPAO_KEY_STATE_ACTIVE || st == TCPAO_KEY_STATE_PENDING ||
	       st == TCPAO_KEY_STATE_PREVIOUS;
}

/**
 * tcpao_select_tx - the key to sign the next segment with
 * @peer_rnext: the RNextKeyID of the peer's last valid segment, or -1
 *
 * RFC 5925 7.5.2: the peer's RNextKeyID names the key it wants to receive;
 * when we hold that key (its send ID) and it is usable, we send with it.
 * Otherwise, and before the peer said anything, the active key.
 */
int tcpao_select_tx(struct tcpao_mkt *const *mkt, int n, time64_t now,
		    u32 tolerance, int peer_rnext)
{
	int i;

	if (peer_rnext >= 0) {
		for (i = 0; i < n; i++) {
			if (mkt[i]->send_id != peer_rnext)
				continue;
			if (tcpao_state_usable(tcpao_key_state(mkt, n, i, now,
							       tolerance)))
				return i;
			break;
		}
	}
	return tcpao_active_idx(mkt, n, now);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_select_tx);

/* The key whose receive ID is the KeyID of an incoming segment. */
int tcpao_find_recv(struct tcpao_mkt *const *mkt, int n, u8 keyid)
{
	int i;

	for (i = 0; i < n; i++)
		if (mkt[i]->recv_id == keyid)
			return i;
	return -1;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_find_recv);
