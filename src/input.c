// SPDX-License-Identifier: GPL-2.0
/*
 * Input: verify every segment of a protected connection before TCP sees it.
 *
 * The hook sits at LOCAL_IN, so it sees segments for this host only,
 * reassembled (IPv4 before LOCAL_IN, IPv6 by netfilter's defragmenter,
 * which hooks.c enables) and after routing has told which VRF they belong
 * to.  A fragment that still arrives cannot be verified: dropped if its
 * flow is protected.
 * A segment that fails is dropped and counted by cause; one that passes has
 * its TCP-AO option replaced by NOPs (kernels with native TCP-AO would drop
 * an option their socket did not ask for) and, on a SYN or a SYN-ACK, its
 * MSS lowered by the 16 bytes TCP-AO will take in our own segments: the
 * socket that will answer it (an accepted one, or a client in SYN_SENT)
 * sizes its first data segments from that MSS before tcpao can give it
 * the extension header length (output.c).
 *
 * Segments for sockets that use Linux's own TCP-AO are left to it
 * (native.c).
 *
 * ICMP errors for synchronized protected connections are dropped: the
 * hard errors of RFC 5925 7.8, and the others that TCP reports to a socket
 * with IP_RECVERR (see tcpao_icmp_ignored()); ICMPv6 "packet too big"
 * passes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/timekeeping.h>
#include <crypto/algapi.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/inet_sock.h>

#include "datapath.h"
#include "diag.h"
#include "events.h"
#include "sne.h"
#include "lxstate.h"

static const struct tcpao_opt *tcpao_in_ao(const struct sk_buff *skb,
					   const struct tcpao_pkt *p)
{
	return (const struct tcpao_opt *)(tcpao_opt_ptr(skb, p) + p->opts.ao);
}

static bool tcpao_verify(const struct tcpao_mkt *mkt,
			 const struct tcpao_prf_key *tk,
			 const struct sk_buff *skb, const struct tcpao_pkt *p,
			 u32 sne)
{
	u8 mac[TCPAO_MAC_LEN];
	bool ok;

	if (tcpao_pkt_mac(mkt->alg, tk, skb, p, sne, mkt->exclude_opts, mac))
		return false;
	ok = !crypto_memneq(mac, tcpao_in_ao(skb, p)->mac, mkt->alg->maclen);
	memzero_explicit(mac, sizeof(mac));
	return ok;
}

/* Verify a segment with a traffic key derived just for it (SYN keys). */
static bool tcpao_verify_with(const struct tcpao_flow *f,
			      const struct tcpao_mkt *mkt, __be32 sisn,
			      __be32 disn, const struct sk_buff *skb,
			      const struct tcpao_pkt *p)
{
	struct tcpao_prf_key tk;
	bool ok;

	ok = !tcpao_flow_derive(f, mkt, false, sisn, disn, &tk) &&
	     tcpao_verify(mkt, &tk, skb, p, 0);
	memzero_explicit(&tk, sizeof(tk));
	return ok;
}

/*
 * A bad TCP checksum is TCP's to count and drop: a corrupted segment must
 * not show up as an authentication failure.  Validating here also spares
 * TCP the work (the skb is marked CHECKSUM_UNNECESSARY).
 */
static bool tcpao_csum_bad(struct sk_buff *skb, const struct tcpao_pkt *p,
			   const struct nf_hook_state *state)
{
	return nf_checksum(skb, state->hook, p->thoff, IPPROTO_TCP,
			   p->flow.family) != 0;
}

/*
 * Hide the verified option and keep the checksum.  The MSS the peer
 * announces in its SYN, or in its SYN-ACK to a client whose socket output.c
 * has not adjusted for TCP-AO yet (it never has, in SYN_SENT), is lowered
 * by the option's 16 bytes: the socket sizes its first segments from it,
 * before the adjustment (tcpao_sk_adjust_later()), which raises the clamp
 * again from @c->syn_mss.
 */
static void tcpao_in_rewrite(struct tcpao_conn *c, struct sk_buff *skb,
			     struct tcpao_pkt *p)
{
	unsigned int optlen = p->thlen - sizeof(struct tcphdr);
	u8 old[TCPAO_OPTSPACE_MAX];
	struct tcphdr *th;
	__wsum diff;
	u8 *o;

	if (skb_ensure_writable(skb, p->thoff + p->thlen))
		return;	/* harmless on kernels without native TCP-AO */
	th = tcpao_th(skb, p);
	o = (u8 *)(th + 1);
	memcpy(old, o, optlen);
	tcpao_opts_hide_ao(o, &p->opts);
	if (p->opts.mss >= 0 &&
	    (tcpao_syn_only(p) ||
	     (tcpao_synack(p) && !READ_ONCE(c->sk_adjusted)))) {
		WRITE_ONCE(c->syn_mss, (o[p->opts.mss + 2] << 8) |
				       o[p->opts.mss + 3]);
		tcpao_opts_mss_reduce(o, &p->opts, TCPAO_OPT_LEN);
	}
	diff = csum_sub(csum_partial(o, optlen, 0),
			csum_partial(old, optlen, 0));
	/* Header bytes only, not the pseudo-header: with CHECKSUM_PARTIAL
	 * the field holds just the pseudo-header sum and stays as it is.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		csum_replace_by_diff(&th->check, diff);
}

static void tcpao_in_accepted(struct tcpao_net *tn, struct tcpao_conn *c,
			      struct sk_buff *skb, struct tcpao_pkt *p,
			      const struct nf_hook_state *state)
{
	const struct tcpao_opt *ao = tcpao_in_ao(skb, p);
	s16 old;

	WRITE_ONCE(c->recv_keyid, ao->keyid);
	old = READ_ONCE(c->peer_rnext);
	if (old != ao->rnext) {
		WRITE_ONCE(c->peer_rnext, ao->rnext);
		if (old >= 0)
			tcpao_event_rnext(c, TCPAO_RNEXT_PEER_RNEXT, old,
					  ao->rnext);
	}
	if (unlikely(!c->dif)) {
		c->dif = state->in ? state->in->ifindex : 0;
		c->sdif = p->flow.l3index;
	}
	atomic64_inc(&c->pkts_good);
	if (c->peer)
		atomic64_inc(&c->peer->pkts_good);
	tcpao_stat_inc(tn, TCPAO_STATS_A_GOOD);
	tcpao_conn_seen_flags(c, p->flags, false);
	tcpao_in_rewrite(c, skb, p);
}

/*
 * Why options we cannot accept are dropped: TCP-AO together with TCP-MD5
 * is a conflict (RFC 5925 2.2: never both on one segment), anything else
 * that does not parse, or TCP-MD5 alone, is malformed.
 */
static int tcpao_in_bad_opts(const struct tcpao_pkt *p)
{
	return !p->bad_opts && p->opts.ao >= 0 ? TCPAO_STATS_A_MD5_CONFLICT :
						 TCPAO_STATS_A_MALFORMED;
}

/*
 * The context tcpao_in_new() and tcpao_in_conn() derive the Receive_* key
 * of @p with, for a diagnosis to derive the same way; false when there is
 * none (an entry that has not seen both ISNs).
 */
static bool tcpao_in_ctx(struct tcpao_conn *c, const struct tcpao_ckeys *ck,
			 const struct tcpao_pkt *p, struct tcpao_diag_in *d)
{
	bool syn_sent = c && READ_ONCE(c->state) == TCPAO_CONN_SYN_SENT;

	if (!c || tcpao_syn_only(p)) {
		d->sisn = htonl(p->seq);	/* Receive_SYN */
	} else if (tcpao_synack(p) && syn_sent) {
		d->sisn = htonl(p->seq);
		d->disn = c->lisn;
	} else if ((p->flags & TCPHDR_RST) &&
		   tcpao_conn_refused(c, ck && ck->derived)) {
		d->disn = c->lisn;
	} else if (ck && ck->derived) {
		d->sisn = c->risn;
		d->disn = c->lisn;
		d->sne = tcpao_sne_of(atomic64_read(&c->rcv_ref), p->seq);
	} else {
		return false;
	}
	return true;
}

/*
 * Drop a segment that did not verify (@stat), with its likely cause when
 * the diagnosis (diag.c, rate-limited) finds one: on the connection entry
 * for "aoctl conn show", in the counters and in the monitor's event.
 */
static void tcpao_in_fail(struct tcpao_net *tn, struct tcpao_conn *c,
			  const struct tcpao_ckeys *ck,
			  struct tcpao_mkt *const *mkt, int n,
			  const struct sk_buff *skb, const struct tcpao_pkt *p,
			  int stat)
{
	const struct tcpao_opt *ao = tcpao_in_ao(skb, p);
	struct tcpao_diag_in d = {
		.skb = skb,
		.p = p,
		.mac = ao->mac,
		.keyid = ao->keyid,
	};
	time64_t start = 0;
	u8 diag;

	d.ctx = tcpao_in_ctx(c, ck, p, &d);
	diag = tcpao_diag(tn, &d, mkt, n, stat, &start);
	if (c && diag) {
		WRITE_ONCE(c->diag_good, atomic64_read(&c->pkts_good));
		WRITE_ONCE(c->diag_keyid, ao->keyid);
		WRITE_ONCE(c->diag_start, start);
		WRITE_ONCE(c->diag, diag);
	}
	tcpao_drop_event_diag(tn, c, &p->flow, stat, ao->keyid, diag, start);
}

/*
 * Key lookup and key time checks; returns the key index or -1 (counted).
 * Keys of Linux's TCP-AO API (@lx, the socket's state) have no times.
 */
static int tcpao_in_key(struct tcpao_net *tn, struct tcpao_conn *c,
			struct tcpao_lx *lx, const struct tcpao_ckeys *ck,
			struct tcpao_mkt *const *mkt, int n, u32 tolerance,
			const struct sk_buff *skb, const struct tcpao_pkt *p)
{
	int j = tcpao_find_recv(mkt, n, tcpao_in_ao(skb, p)->keyid);
	int stat;

	if (unlikely(lx) && j >= 0)
		return j;
	if (j < 0) {
		stat = TCPAO_STATS_A_KEY_NOT_FOUND;
		if (!c)		/* a listener's: Linux counts it there */
			tcpao_lx_seen(tn, lx, NULL, stat);
	} else {
		switch (tcpao_key_state(mkt, n, j, ktime_get_real_seconds(),
					tolerance)) {
		case TCPAO_KEY_STATE_FUTURE:
			stat = TCPAO_STATS_A_KEY_NOT_VALID;
			break;
		case TCPAO_KEY_STATE_EXPIRED:
			stat = TCPAO_STATS_A_KEY_EXPIRED;
			break;
		default:
			return j;
		}
	}
	tcpao_in_fail(tn, c, ck, mkt, n, skb, p, stat);
	return -1;
}

/* A segment of no known connection. */
static unsigned int tcpao_in_new(struct tcpao_net *tn, struct sk_buff *skb,
				 struct tcpao_pkt *p,
				 const struct nf_hook_state *state)
{
	const struct tcpao_keyset *ks;
	struct tcpao_match m;
	struct tcpao_conn *c;
	bool required;
	int j;

	/* A socket using Linux's own TCP-AO with this peer: not ours. */
	if (!p->bad_opts && p->opts.ao >= 0 && tcpao_native_in(tn, skb, p))
		return NF_ACCEPT;

	if (!tcpao_syn_only(p)) {
		/* Unsigned connections cannot start using TCP-AO. */
		if (!p->bad_opts && p->opts.ao >= 0) {
			tcpao_drop_event(tn, NULL, &p->flow,
					 TCPAO_STATS_A_NO_STATE, -1);
			return NF_DROP;
		}
		if (p->bad_opts &&
		    tcpao_match_new(tn, skb, &p->flow, &m, false, &required)) {
			tcpao_drop_event(tn, NULL, &p->flow,
					 TCPAO_STATS_A_MALFORMED, -1);
			return NF_DROP;
		}
		return NF_ACCEPT;
	}

	if (!tcpao_match_new(tn, skb, &p->flow, &m, false, &required)) {
		if (required) {
			tcpao_drop_event(tn, NULL, &p->flow,
					 TCPAO_STATS_A_AO_REQUIRED, -1);
			tcpao_lx_seen(tn, m.lx, NULL, TCPAO_STATS_A_AO_REQUIRED);
			return NF_DROP;
		}
		/* TCP-AO offered by a peer we hold no keys for. */
		if (!p->bad_opts && p->opts.ao >= 0) {
			tcpao_drop_event(tn, NULL, &p->flow,
					 TCPAO_STATS_A_KEY_NOT_FOUND,
					 tcpao_in_ao(skb, p)->keyid);
			tcpao_lx_seen(tn, m.lx, NULL,
				      TCPAO_STATS_A_KEY_NOT_FOUND);
			return NF_DROP;
		}
		return NF_ACCEPT;
	}
	if (p->bad_opts || p->opts.md5) {
		tcpao_drop_event(tn, NULL, &p->flow, tcpao_in_bad_opts(p), -1);
		return NF_DROP;
	}
	if (p->opts.ao < 0) {
		if (!(m.flags & TCPAO_F_ALLOW_WITHOUT_AO)) {
			tcpao_drop_event(tn, NULL, &p->flow,
					 TCPAO_STATS_A_AO_REQUIRED, -1);
			tcpao_lx_seen(tn, m.lx, NULL, TCPAO_STATS_A_AO_REQUIRED);
			return NF_DROP;
		}
		/* The entry only shows the connection (aoctl conn show):
		 * one without an entry passes the same way.  So when their
		 * budget is full, or memory short, such SYNs go on without.
		 */
		tcpao_conn_create(tn, &p->flow, &m, TCPAO_CONN_SYN_RECV,
				  TCPAO_CONN_F_UNPROTECTED);
		tcpao_stat_inc(tn, TCPAO_STATS_A_WITHOUT_AO);
		return NF_ACCEPT;
	}
	if (tcpao_csum_bad(skb, p, state))
		return NF_ACCEPT;

	ks = rcu_dereference(m.kc->keys);
	j = tcpao_in_key(tn, NULL, m.lx, NULL, ks ? ks->mkt : NULL,
			 ks ? ks->n : 0, READ_ONCE(m.kc->tolerance), skb, p);
	if (j < 0)
		return NF_DROP;
	/* Receive_SYN: the peer's ISN, ours not chosen yet. */
	if (!tcpao_verify_with(&p->flow, ks->mkt[j], htonl(p->seq), 0, skb,
			       p)) {
		tcpao_in_fail(tn, NULL, NULL, ks->mkt, ks->n, skb, p,
			      TCPAO_STATS_A_BAD_MAC);
		tcpao_lx_seen(tn, m.lx, ks->mkt[j], TCPAO_STATS_A_BAD_MAC);
		return NF_DROP;
	}
	/* Linux counts a SYN at its listener. */
	tcpao_lx_seen(tn, m.lx, ks->mkt[j], TCPAO_STATS_A_GOOD);

	/* Only a SYN that verified creates state. */
	c = tcpao_conn_create(tn, &p->flow, &m, TCPAO_CONN_SYN_RECV, 0);
	if (IS_ERR(c))
		return NF_DROP;
	if (c->lx)
		tcpao_lx_syn(c->lx, c->kc, tcpao_in_ao(skb, p)->keyid,
			     tcpao_in_ao(skb, p)->rnext);
	spin_lock_bh(&c->lock);
	if (c->state == TCPAO_CONN_SYN_RECV) {
		c->risn = htonl(p->seq);
		atomic64_set(&c->rcv_ref, tcpao_sne_pack(0, p->seq));
	}
	spin_unlock_bh(&c->lock);
	tcpao_in_accepted(tn, c, skb, p, state);
	return NF_ACCEPT;
}

/* A SYN on an existing entry: a retransmission, or a new incarnation. */
static bool tcpao_in_syn_again(struct tcpao_conn *c, struct sk_buff *skb,
			       const struct tcpao_pkt *p,
			       const struct tcpao_mkt *mkt)
{
	if (!tcpao_verify_with(&p->flow, mkt, htonl(p->seq), 0, skb, p))
		return false;
	spin_lock_bh(&c->lock);
	if (c->state == TCPAO_CONN_SYN_RECV) {
		c->risn = htonl(p->seq);
		atomic64_set(&c->rcv_ref, tcpao_sne_pack(0, p->seq));
	} else {
		/* TCP decides whether this starts a new connection (e.g. from
		 * TIME_WAIT) or earns a challenge ACK; our SYN-ACK will tell,
		 * see tcpao_out_synack().  A replayed SYN changes nothing.
		 */
		WRITE_ONCE(c->pend_risn, htonl(p->seq));
		WRITE_ONCE(c->pending, true);
	}
	spin_unlock_bh(&c->lock);
	return true;
}

static unsigned int tcpao_in_conn(struct tcpao_net *tn, struct tcpao_conn *c,
				  struct sk_buff *skb, struct tcpao_pkt *p,
				  const struct nf_hook_state *state)
{
	const struct tcpao_ckeys *ck;
	const struct tcpao_opt *ao;
	struct tcpao_mkt *mkt;
	bool ok;
	int j;

	if (c->flags & TCPAO_CONN_F_UNPROTECTED) {
		if (!p->bad_opts && p->opts.ao >= 0) {
			if (!tcpao_syn_only(p)) {
				tcpao_drop_event(tn, c, &p->flow,
						 TCPAO_STATS_A_NO_STATE, -1);
				return NF_DROP;
			}
			/* A new connection, this time with TCP-AO. */
			tcpao_conn_unlink(c);
			return tcpao_in_new(tn, skb, p, state);
		}
		/* The peer's ACK of our SYN-ACK: from now on the entry
		 * lives as long as the connection (idle check), no longer
		 * as briefly as a bare SYN's.
		 */
		if (READ_ONCE(c->state) < TCPAO_CONN_ESTABLISHED &&
		    (p->flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) ==
		    TCPHDR_ACK) {
			spin_lock_bh(&c->lock);
			if (c->state < TCPAO_CONN_ESTABLISHED)
				WRITE_ONCE(c->state, TCPAO_CONN_ESTABLISHED);
			spin_unlock_bh(&c->lock);
		}
		tcpao_conn_seen_flags(c, p->flags, false);
		return NF_ACCEPT;
	}
	if (p->bad_opts || p->opts.md5) {
		tcpao_drop_event(tn, c, &p->flow, tcpao_in_bad_opts(p), -1);
		return NF_DROP;
	}
	if (p->opts.ao < 0) {
		/* Our SYN offered TCP-AO, the peer answered without it (it
		 * ignores the option): allow-without-tcpao lets this
		 * connection go on unprotected, as it would the other way.
		 */
		if (tcpao_synack(p) && c->state == TCPAO_CONN_SYN_SENT &&
		    c->allow_without) {
			WRITE_ONCE(c->flags,
				   c->flags | TCPAO_CONN_F_UNPROTECTED);
			tcpao_stat_inc(tn, TCPAO_STATS_A_WITHOUT_AO);
			tcpao_conn_seen_flags(c, p->flags, false);
			return NF_ACCEPT;
		}
		tcpao_drop_event(tn, c, &p->flow, TCPAO_STATS_A_AO_REQUIRED,
				 -1);
		return NF_DROP;
	}
	if (tcpao_csum_bad(skb, p, state))
		return NF_ACCEPT;

	ao = tcpao_in_ao(skb, p);
	ck = tcpao_conn_keys(c);
	if (unlikely(!ck)) {
		/* Out of memory: the keys it had may be revoked ones. */
		tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
		return NF_DROP;
	}
	j = tcpao_in_key(tn, c, c->lx, ck, ck->mkt, ck->n,
			 READ_ONCE(c->kc->tolerance), skb, p);
	if (j < 0)
		return NF_DROP;
	mkt = ck->mkt[j];

	if (tcpao_syn_only(p)) {
		ok = tcpao_in_syn_again(c, skb, p, mkt);
	} else if (tcpao_synack(p) && c->state == TCPAO_CONN_SYN_SENT) {
		/* Receive_Other, with the ISN this very segment brings. */
		ok = tcpao_verify_with(&p->flow, mkt, htonl(p->seq), c->lisn,
				       skb, p);
		if (ok && tcpao_conn_sync(c, c->lisn, htonl(p->seq))) {
			tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
			return NF_DROP;
		}
	} else if ((p->flags & TCPHDR_RST) &&
		   tcpao_conn_refused(c, ck->derived)) {
		/* Our SYN refused: the peer had no ISN of its own (conn.h). */
		ok = tcpao_verify_with(&p->flow, mkt, 0, c->lisn, skb, p);
	} else if (ck->derived) {
		u32 sne = tcpao_sne_of(atomic64_read(&c->rcv_ref), p->seq);

		ok = tcpao_verify(mkt, &ck->tk[j].rx, skb, p, sne);
		if (ok)
			tcpao_sne_advance(&c->rcv_ref, p->seq);
	} else {
		tcpao_drop_event(tn, c, &p->flow, TCPAO_STATS_A_NO_STATE,
				 ao->keyid);
		return NF_DROP;
	}
	if (!ok) {
		tcpao_in_fail(tn, c, ck, ck->mkt, ck->n, skb, p,
			      TCPAO_STATS_A_BAD_MAC);
		if (unlikely(c->lx))
			atomic64_inc(&mkt->lx.pkt_bad);
		return NF_DROP;
	}
	if (unlikely(c->lx))
		tcpao_lx_verified(tn, c->lx, ck->mkt, ck->n, j, ao->rnext);
	tcpao_in_accepted(tn, c, skb, p, state);
	return NF_ACCEPT;
}

/*
 * A segment that cannot be verified as it is: a fragment, or one whose
 * header could not be read for want of memory.  Dropped and counted as
 * @stat when its flow is, or would be, protected; TCP gets the others.
 */
static unsigned int tcpao_in_unverifiable(struct tcpao_net *tn,
					  struct sk_buff *skb,
					  struct tcpao_pkt *p, int stat)
{
	struct tcpao_conn_key key;
	struct tcpao_match m;
	struct tcpao_conn *c;
	bool required;

	tcpao_flow_to_key(&p->flow, &key);
	c = tcpao_conn_lookup(tn, &key);
	if (c) {
		if (c->flags & TCPAO_CONN_F_UNPROTECTED)
			return NF_ACCEPT;
	} else if (!tcpao_match_new(tn, skb, &p->flow, &m, false,
				    &required) && !required) {
		return NF_ACCEPT;
	}
	if (stat == TCPAO_STATS_A_RX_ERROR) {
		/* Ours, not the peer's: no failure event. */
		tcpao_stat_inc(tn, stat);
		if (c)
			atomic64_inc(&c->pkts_bad);
	} else {
		tcpao_drop_event(tn, c, &p->flow, stat, -1);
	}
	return NF_DROP;
}

/*
 * ICMP errors for synchronized protected connections are dropped unless the
 * peer has accept-icmps.  RFC 5925 section 7.8 asks for the "hard errors":
 * ICMPv4 destination unreachable codes 2-4 (protocol and port unreachable,
 * fragmentation needed) and ICMPv6 destination unreachable codes 1 and 4
 * (administratively prohibited, port unreachable), as Linux's native
 * TCP-AO does in tcp_ao_ignore_icmp().  Its aim is that nothing without a
 * MAC can end a protected connection, and on Linux the other errors can:
 * tcp_v4_err() and tcp_v6_err() hand every destination unreachable, time
 * exceeded and parameter problem to an established socket as sk_err when
 * it set IP_RECVERR / IPV6_RECVERR (routing daemons do), and the daemon
 * sees the session fail.  So those are dropped too; what is lost is the
 * soft error TCP would name when it times out, and RFC 6069's backoff
 * revert.  ICMPv6 packet too big passes: the RFC leaves it to path-MTU
 * discovery and TCP never treats it as fatal.  IPv4 fragmentation needed
 * does not (the RFC lists it): where the path MTU can be lower than the
 * link's, give the peer accept-icmps or let TCP probe (tcp_mtu_probing).
 */
static bool tcpao_icmp_ignored(u8 family, u8 type, u8 code)
{
	if (family == AF_INET)
		return (type == ICMP_DEST_UNREACH && code <= NR_ICMP_UNREACH) ||
		       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB;
	return type == ICMPV6_DEST_UNREACH || type == ICMPV6_TIME_EXCEED ||
	       type == ICMPV6_PARAMPROB;
}

/*
 * Returns true when @skb was an ICMP error of tcpao_icmp_ignored(), with
 * *verdict set: NF_DROP when it concerns a synchronized protected
 * connection without accept-icmps.
 *
 * A first fragment is judged by what it shows; one whose quoted headers
 * it does not show whole cannot be judged, and is dropped: no router sends
 * an ICMP error that needs fragmenting (RFC 792, RFC 4443 2.4), and the
 * defragmenter passes on only malformed ones.  Later fragments cannot
 * make a message without their first.
 */
static bool tcpao_icmp_in(struct tcpao_net *tn, struct sk_buff *skb,
			  u8 family, int l3index, unsigned int *verdict)
{
	struct tcpao_flow f = { .family = family, .l3index = l3index };
	unsigned int off = skb_network_offset(skb);
	struct tcpao_conn_key key;
	struct tcpao_conn *c;
	__be16 _ports[2];
	const __be16 *ports;
	bool frag;
	u8 state, itype;

	if (family == AF_INET) {
		const struct iphdr *iph;
		const struct icmphdr *ih;
		struct iphdr _iph;
		struct icmphdr _ih;

		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph || iph->protocol != IPPROTO_ICMP ||
		    iph->frag_off & htons(IP_OFFSET))
			return false;
		frag = ip_is_fragment(iph);
		off += iph->ihl * 4;
		ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
		if (!ih || !tcpao_icmp_ignored(family, ih->type, ih->code))
			return false;
		itype = ih->type;
		off += sizeof(_ih);
		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph)
			goto unreadable;
		if (iph->protocol != IPPROTO_TCP)
			return false;
		f.laddr.a4 = iph->saddr;
		f.raddr.a4 = iph->daddr;
		off += iph->ihl * 4;
	} else {
		const struct ipv6hdr *ip6h;
		const struct icmp6hdr *ih;
		struct ipv6hdr _ip6h;
		struct icmp6hdr _ih;
		__be16 frag_off;
		u8 nexthdr;
		int o;

		ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return false;
		nexthdr = ip6h->nexthdr;
		o = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr,
				     &frag_off);
		if (o < 0 || nexthdr != IPPROTO_ICMPV6 ||
		    frag_off & htons(IP6_OFFSET))
			return false;
		frag = frag_off & htons(IP6_MF);
		ih = skb_header_pointer(skb, o, sizeof(_ih), &_ih);
		if (!ih || !tcpao_icmp_ignored(family, ih->icmp6_type,
					       ih->icmp6_code))
			return false;
		itype = ih->icmp6_type;
		off = o + sizeof(_ih);
		ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			goto unreadable;
		f.laddr.a6 = ip6h->saddr;
		f.raddr.a6 = ip6h->daddr;
		nexthdr = ip6h->nexthdr;
		o = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr,
				     &frag_off);
		if (o < 0)
			goto unreadable;
		if (nexthdr != IPPROTO_TCP)
			return false;
		off = o;
	}
	ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
	if (!ports)
		goto unreadable;
	f.lport = ports[0];
	f.rport = ports[1];

	*verdict = NF_ACCEPT;
	tcpao_flow_to_key(&f, &key);
	c = tcpao_conn_lookup(tn, &key);
	if (!c || c->flags & (TCPAO_CONN_F_UNPROTECTED |
			      TCPAO_CONN_F_ACCEPT_ICMPS))
		return true;
	state = READ_ONCE(c->state);
	if (state < TCPAO_CONN_ESTABLISHED || state == TCPAO_CONN_CLOSED)
		return true;
	if (c->lx && tcpao_lx_icmp_accepted(tn, c->lx, skb, family, itype))
		return true;
	tcpao_stat_inc(tn, TCPAO_STATS_A_ICMP_DROPPED);
	*verdict = NF_DROP;
	return true;

unreadable:
	/* What TCP would act on lies beyond: in a later fragment, or
	 * nowhere (TCP then ignores the message as well).
	 */
	if (!frag)
		return false;
	tcpao_stat_inc(tn, TCPAO_STATS_A_ICMP_DROPPED);
	*verdict = NF_DROP;
	return true;
}

unsigned int tcpao_nf_in(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	struct tcpao_net *tn = tcpao_pernet(state->net);
	u8 family = state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6;
	int l3index = l3mdev_master_ifindex_rcu(state->in);
	struct tcpao_conn_key key;
	unsigned int verdict;
	struct tcpao_conn *c;
	struct tcpao_pkt p;

	switch (tcpao_pkt_parse(skb, family, false, l3index, &p)) {
	case 0:
		break;
	case TCPAO_PKT_FRAG:
		/* A protected segment cannot be verified in pieces.  The
		 * defragmenter let this one through (it was malformed), or
		 * the kernel has none (hooks.c).
		 */
		return tcpao_in_unverifiable(tn, skb, &p,
					     TCPAO_STATS_A_MALFORMED);
	case TCPAO_PKT_NOMEM:
		return tcpao_in_unverifiable(tn, skb, &p,
					     TCPAO_STATS_A_RX_ERROR);
	case TCPAO_PKT_BAD_HDR:
		tcpao_drop_event(tn, NULL, &p.flow, TCPAO_STATS_A_MALFORMED,
				 -1);
		return NF_DROP;
	default:
		if (tcpao_icmp_in(tn, skb, family, l3index, &verdict))
			return verdict;
		return NF_ACCEPT;
	}

	tcpao_flow_to_key(&p.flow, &key);
	c = tcpao_conn_lookup(tn, &key);
	if (!c)
		return tcpao_in_new(tn, skb, &p, state);
	return tcpao_in_conn(tn, c, skb, &p, state);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_nf_in);
