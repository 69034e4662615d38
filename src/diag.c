// SPDX-License-Identifier: GPL-2.0
/*
 * Why did a segment fail?  Every TCP-AO deployment meets the same few
 * mistakes (options coverage, SendID and RecvID swapped, the other
 * algorithm, clocks and start times), and a bare "bad MAC" counter names
 * none of them.  tcpao holds the keychain and sees the failing segment, so
 * it tries the cheap alternatives and names the first that verifies.
 *
 * Only failures get here, and at most TCPAO_DIAG_RATE of them a second per
 * namespace (a token bucket; the others are counted as skipped), so a flood
 * of forged segments costs at most TCPAO_DIAG_RATE * TCPAO_DIAG_MACS trial
 * MACs a second.  It runs in the input hook (softirq): it allocates
 * nothing and sleeps never; the alternative key and the trial traffic key
 * live in per-CPU scratch, wiped after use.  A diagnosis never accepts the
 * segment: the caller drops it whatever this says.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "diag.h"

#include <crypto/algapi.h>

struct tcpao_diag_scratch {
	struct tcpao_mkt alt;		/* the key with the other algorithm */
	struct tcpao_prf_key tk;	/* a trial traffic key */
};

/*
 * Allocated at load, not a static per-CPU variable: a module's static
 * per-CPU data comes out of a small reserve all modules share (8 KiB), and
 * a full one would make tcpao fail to load on a busy router.
 */
static struct tcpao_diag_scratch __percpu *tcpao_diag_scratch;

int tcpao_diag_mod_init(void)
{
	tcpao_diag_scratch = alloc_percpu(struct tcpao_diag_scratch);
	return tcpao_diag_scratch ? 0 : -ENOMEM;
}

void tcpao_diag_mod_exit(void)
{
	free_percpu(tcpao_diag_scratch);
	tcpao_diag_scratch = NULL;
}

void tcpao_diag_init(struct tcpao_net *tn)
{
	spin_lock_init(&tn->diag_lock);
	tn->diag_last = jiffies;
	tn->diag_credit = TCPAO_DIAG_RATE * HZ;
}

/*
 * Token bucket of TCPAO_DIAG_RATE tokens, refilled at TCPAO_DIAG_RATE a
 * second; the credit counts in 1/HZ of a token so that no refill is lost
 * to rounding.  On contention the diagnosis is skipped, not waited for.
 * The time is read under the lock and never goes back: a CPU that read
 * jiffies before another took the lock and moved diag_last on would see
 * a negative interval wrap to a full second of refill.
 */
static bool tcpao_diag_take(struct tcpao_net *tn)
{
	unsigned long now, el;
	bool ok = false;

	if (!spin_trylock_bh(&tn->diag_lock))
		return false;
	now = jiffies;
	if (time_after(now, tn->diag_last)) {
		el = min_t(unsigned long, now - tn->diag_last, HZ);
		tn->diag_last = now;
		tn->diag_credit = min_t(u32,
					tn->diag_credit + el * TCPAO_DIAG_RATE,
					TCPAO_DIAG_RATE * HZ);
	}
	if (tn->diag_credit >= HZ) {
		tn->diag_credit -= HZ;
		ok = true;
	}
	spin_unlock_bh(&tn->diag_lock);
	return ok;
}

/* Does the segment verify with @mkt, options covered per @exclude? */
static bool tcpao_diag_try(const struct tcpao_diag_in *in,
			   const struct tcpao_mkt *mkt, bool exclude,
			   struct tcpao_prf_key *tk)
{
	u8 mac[TCPAO_MAC_LEN];
	bool ok;

	/* tcpao_pkt_mac() checks the option's length against the MAC's. */
	if (!in->ctx)
		return false;
	ok = !tcpao_flow_derive(&in->p->flow, mkt, false, in->sisn, in->disn,
				tk) &&
	     !tcpao_pkt_mac(mkt->alg, tk, in->skb, in->p, in->sne, exclude,
			    mac) &&
	     !crypto_memneq(mac, in->mac, mkt->alg->maclen);
	memzero_explicit(mac, sizeof(mac));
	memzero_explicit(tk, sizeof(*tk));
	return ok;
}

/* The key with its other algorithm (RFC 5926 has two), in @alt. */
static bool tcpao_diag_other_alg(const struct tcpao_mkt *mkt,
				 struct tcpao_mkt *alt)
{
	u8 id = mkt->alg->id == TCPAO_ALG_HMAC_SHA1_96 ?
		TCPAO_ALG_AES_128_CMAC_96 : TCPAO_ALG_HMAC_SHA1_96;

	alt->alg = tcpao_alg_get(id);
	alt->exclude_opts = mkt->exclude_opts;
	return alt->alg &&
	       !tcpao_mkt_prepare(alt->alg, &alt->kdf, mkt->secret,
				  mkt->secret_len);
}

/* A key that sends with @keyid: the peer's KeyID is our SendID. */
static int tcpao_diag_find_send(struct tcpao_mkt *const *mkt, int n, u8 keyid,
				int not)
{
	int i;

	for (i = 0; i < n; i++)
		if (i != not && mkt[i]->send_id == keyid)
			return i;
	return -1;
}

static u8 tcpao_diag_mac(const struct tcpao_diag_in *in,
			 struct tcpao_mkt *const *mkt, int n, int j)
{
	struct tcpao_diag_scratch *s = this_cpu_ptr(tcpao_diag_scratch);
	u8 cause = TCPAO_DIAG_UNKNOWN;
	int i;

	if (j >= 0) {
		if (tcpao_diag_try(in, mkt[j], !mkt[j]->exclude_opts, &s->tk))
			return mkt[j]->exclude_opts ? TCPAO_DIAG_OPTS_COVERED :
						      TCPAO_DIAG_OPTS_EXCLUDED;
	}
	i = tcpao_diag_find_send(mkt, n, in->keyid, j);
	if (i >= 0 && tcpao_diag_try(in, mkt[i], mkt[i]->exclude_opts, &s->tk))
		return TCPAO_DIAG_IDS_SWAPPED;
	if (j >= 0 && in->ctx && tcpao_diag_other_alg(mkt[j], &s->alt)) {
		if (tcpao_diag_try(in, &s->alt, s->alt.exclude_opts, &s->tk))
			cause = TCPAO_DIAG_OTHER_ALG;
		memzero_explicit(&s->alt.kdf, sizeof(s->alt.kdf));
	}
	return cause;
}

/**
 * tcpao_diag - the likely cause of a dropped segment, counted
 * @tn: its namespace
 * @in: the segment
 * @mkt: the keys it was verified against (a keychain's or a connection's)
 * @n: how many
 * @stat: why it was dropped: TCPAO_STATS_A_BAD_MAC, _KEY_NOT_FOUND,
 *	_KEY_NOT_VALID or _KEY_EXPIRED
 * @start: set to the start time of the key a KEY_FUTURE/KEY_EXPIRED names
 *
 * Returns an &enum tcpao_diag, TCPAO_DIAG_NONE when over the rate.  Call
 * under rcu_read_lock() (the keys), with BHs off or in softirq.
 */
u8 tcpao_diag(struct tcpao_net *tn, const struct tcpao_diag_in *in,
	      struct tcpao_mkt *const *mkt, int n, int stat, time64_t *start)
{
	u8 cause;
	int j;

	/* Without the ISNs to derive with there is nothing to try: saying
	 * "wrong secret" then would be a guess.
	 */
	if (!in->ctx && stat != TCPAO_STATS_A_KEY_NOT_VALID &&
	    stat != TCPAO_STATS_A_KEY_EXPIRED)
		return TCPAO_DIAG_NONE;
	if (!tcpao_diag_take(tn)) {
		tcpao_stat_inc(tn, TCPAO_STATS_A_DIAG_SKIPPED);
		return TCPAO_DIAG_NONE;
	}
	tcpao_stat_inc(tn, TCPAO_STATS_A_DIAG_RUNS);
	j = tcpao_find_recv(mkt, n, in->keyid);
	switch (stat) {
	case TCPAO_STATS_A_KEY_NOT_VALID:
	case TCPAO_STATS_A_KEY_EXPIRED:
		cause = stat == TCPAO_STATS_A_KEY_EXPIRED ?
			TCPAO_DIAG_KEY_EXPIRED : TCPAO_DIAG_KEY_FUTURE;
		*start = j >= 0 ? mkt[j]->start : 0;
		break;
	default:
		/* The per-CPU scratch is ours until BHs come back on. */
		local_bh_disable();
		cause = tcpao_diag_mac(in, mkt, n,
				       stat == TCPAO_STATS_A_BAD_MAC ? j : -1);
		local_bh_enable();
		break;
	}
	/* One counter per cause, in the order of enum tcpao_diag. */
	BUILD_BUG_ON(TCPAO_STATS_A_DIAG_UNKNOWN - TCPAO_STATS_A_DIAG_OPTS_COVERED !=
		     TCPAO_DIAG_UNKNOWN - TCPAO_DIAG_OPTS_COVERED);
	tcpao_stat_inc(tn, TCPAO_STATS_A_DIAG_OPTS_COVERED + cause -
		       TCPAO_DIAG_OPTS_COVERED);
	return cause;
}
