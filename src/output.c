// SPDX-License-Identifier: GPL-2.0
/*
 * Output: sign every segment of a protected connection.
 *
 * The hook sits at POST_ROUTING, last, so that it signs the segment exactly
 * as it will leave: after mangling (TCPMSS clamping is common on routers)
 * and source NAT (which breaks TCP-AO by design, see the threat model).
 * It sees every locally generated segment, including those the socket
 * does not send itself: SYN-ACKs of request sockets and SYN cookies, and
 * the RSTs and TIME_WAIT ACKs of the per-CPU control sockets.  That is why
 * connections are found by their addresses and ports, never by socket.
 * A SYN that arrives here signed already is Linux's own TCP-AO's, and its
 * connection is not ours (native.c).
 *
 * Adding TCP-AO grows the TCP header by 16 bytes: the IP and TCP headers
 * move 16 bytes into the headroom, the payload stays where it is (it may be
 * shared with TCP's retransmission queue), and the socket is told to size
 * its segments 16 bytes smaller from then on, under its lock: in TCP's own
 * softirq path, which holds it, or else from a work item (see
 * tcpao_sk_adjust_later()).  Super-packets that come before that are
 * segmented here and go on through the hooks after this one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ip6_checksum.h>
#include <net/tcp.h>

#include "datapath.h"
#include "events.h"
#include "sne.h"
#include "lxstate.h"

/*
 * What the IP layer puts in a socket's extension header length: its IPv4
 * options or IPv6 extension headers, as tcp_v4_connect(), tcp_v6_connect()
 * and the IP option setters compute it.
 */
static unsigned int tcpao_sk_ip_ext_len(struct sock *sk)
{
	unsigned int len = 0;

	rcu_read_lock();
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 &&
	    !ipv6_addr_v4mapped(&sk->sk_v6_daddr)) {
		const struct ipv6_txoptions *opt;

		opt = rcu_dereference(inet6_sk(sk)->opt);
		if (opt)
			len = opt->opt_flen + opt->opt_nflen;
		rcu_read_unlock();
		return len;
	}
#endif
	{
		const struct ip_options_rcu *opt;

		opt = rcu_dereference(inet_sk(sk)->inet_opt);
		if (opt)
			len = opt->opt.optlen;
	}
	rcu_read_unlock();
	return len;
}

/*
 * Make the socket account for TCP-AO: the extension header length enters
 * every MSS computation (first data segment, path-MTU changes), and GSO
 * must be off because super-packets cannot be signed per segment (kernel
 * TCP-MD5 does the same).  Done once per connection, after its handshake
 * (see tcpao_sk_adjust_later()).  The socket was sized from the MSS
 * of the peer's SYN or SYN-ACK, which input.c lowered by TCP-AO's 16
 * bytes; from now on the extension header length accounts for them, so the
 * clamp goes back to what the peer announced (@syn_mss).
 *
 * These are TCP's fields: only ever changed under the socket lock.
 */
static void tcpao_sk_apply(struct sock *sk, u16 syn_mss)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	/* Once per socket, not per entry: TCPAO_SO_REPAIR on a socket
	 * repaired before replaces its entry, and the socket already counts
	 * TCP-AO then.
	 */
	if (icsk->icsk_ext_hdr_len < tcpao_sk_ip_ext_len(sk) + TCPAO_OPT_LEN)
		icsk->icsk_ext_hdr_len += TCPAO_OPT_LEN;
	if (syn_mss && tp->rx_opt.mss_clamp == syn_mss - TCPAO_OPT_LEN) {
		/* As tcp_parse_options() would have: never above TCP_MAXSEG. */
		if (tp->rx_opt.user_mss && tp->rx_opt.user_mss < syn_mss)
			syn_mss = tp->rx_opt.user_mss;
		tp->rx_opt.mss_clamp = syn_mss;
	}
	tcpao_sk_gso_disable(sk);
	/* That clears the route's GSO features, but TCP sizes its skbs by
	 * sk_gso_max_segs, which the socket took from its route before this
	 * (at connect(), or when the accepted socket was made): left alone,
	 * TCP goes on building super-packets for the whole connection, and
	 * every one of them is segmented in software in tcpao_out_gso().
	 * What sk_setup_caps() gives a socket that had GSO disabled already
	 * (a TCP-MD5 client's): one segment per skb.  gso_segs is TCP's
	 * cached size goal; 0 makes it recompute.  The MSS is resynced
	 * through the socket's own hook, which TCP points at tcp_sync_mss()
	 * (no longer exported since 6.12).
	 */
	sk->sk_gso_max_segs = 1;
	tcp_sk(sk)->gso_segs = 0;
	if (icsk->icsk_pmtu_cookie && icsk->icsk_sync_mss)
		icsk->icsk_sync_mss(sk, icsk->icsk_pmtu_cookie);
}

static bool tcpao_sk_adjustable(const struct sock *sk)
{
	return sk && sk_fullsock(sk) && sk->sk_type == SOCK_STREAM &&
	       sk->sk_protocol == IPPROTO_TCP && sk->sk_state != TCP_LISTEN;
}

/* True for the one caller that gets to adjust the connection's socket. */
static bool tcpao_sk_claim(struct tcpao_conn *c)
{
	bool first;

	spin_lock_bh(&c->lock);
	first = !c->sk_adjusted;
	WRITE_ONCE(c->sk_adjusted, true);
	spin_unlock_bh(&c->lock);
	return first;
}

/* For callers that hold the socket lock (TCPAO_SO_REPAIR). */
void tcpao_sk_adjust(struct tcpao_conn *c, struct sock *sk)
{
	if (!tcpao_sk_adjustable(sk))
		return;
	sock_owned_by_me(sk);
	if (tcpao_sk_claim(c))
		tcpao_sk_apply(sk, READ_ONCE(c->syn_mss));
}

static struct workqueue_struct *tcpao_wq;

struct tcpao_sk_work {
	struct work_struct work;
	struct sock *sk;	/* reference held */
	u16 syn_mss;
};

static void tcpao_sk_work_fn(struct work_struct *work)
{
	struct tcpao_sk_work *w = container_of(work, struct tcpao_sk_work,
					       work);
	struct sock *sk = w->sk;

	lock_sock(sk);
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
		tcpao_sk_apply(sk, w->syn_mss);
	release_sock(sk);
	sock_put(sk);
	kfree(w);
}

/*
 * Adjust the socket of a connection at one of its first signed segments,
 * in whichever context that is safe:
 *
 * - In softirq with the socket not owned by a task: TCP's own receive,
 *   timer and TSQ paths, which hold the socket's spinlock (bh_lock_sock())
 *   and change these very fields there themselves.  Done at once.  This is
 *   the usual case for an accepted socket: its first ACK.  Not for a
 *   segment that leaves through a VRF, nor one of a socket of another
 *   namespace: a VRF (or ipvlan) device with a qdisc of its own sends it
 *   on from its transmit softirq, long after TCP let go of the socket
 *   (sock_owned_by_user() checks the lock under lockdep).
 * - Anywhere else the hook cannot tell whether it runs in the socket's own
 *   transmit path, which holds the socket lock, or for a segment that a
 *   queue handler (NFQUEUE) reinjects from its own context, holding
 *   nothing: a work item that takes the lock makes the change, a moment
 *   later.  Not for a FIN or an RST: nothing is left to size then.
 *
 * Nothing is done in SYN_SENT: a SYN, even one with Fast Open data, is
 * sized with room for 40 bytes of options.  The client's first segment
 * after it is the ACK that completes its handshake, sent from TCP's
 * softirq path when the SYN-ACK arrives while connect() waits, or from the
 * task when connect() finds it in the socket's backlog (its peer on the
 * same host): a work item then, queued once the SYN-ACK has set @syn_mss,
 * so that the work item restores the clamp as the softirq path would.
 *
 * Until the change is made, the socket sizes its segments from the MSS
 * input.c lowered by TCP-AO's 16 bytes: the peer's SYN's for an accepted
 * socket, its SYN-ACK's for a client.  That covers the peer's MSS, not a
 * smaller path MTU of our own (a VRF's, a tunnel's): until the work runs,
 * a full-sized segment may be 16 bytes too large for it, and is sent again
 * smaller.  Super-packets of that moment are segmented in software
 * (tcpao_out_gso()).
 *
 * Before, every end of every connection queued a work item: a kworker
 * wake-up each, 5% of the CPU of make bench's connection-rate case.
 */
static void tcpao_sk_adjust_later(struct tcpao_conn *c, struct sock *sk,
				  const struct tcpao_pkt *p,
				  const struct nf_hook_state *state)
{
	struct tcpao_sk_work *w;

	if (likely(READ_ONCE(c->sk_adjusted)) || !tcpao_sk_adjustable(sk) ||
	    READ_ONCE(sk->sk_state) == TCP_SYN_SENT)
		return;
	if (in_serving_softirq() && !p->flow.l3index &&
	    net_eq(sock_net(sk), state->net) && !sock_owned_by_user(sk)) {
		if (tcpao_sk_claim(c))
			tcpao_sk_apply(sk, READ_ONCE(c->syn_mss));
		return;
	}
	if (p->flags & (TCPHDR_FIN | TCPHDR_RST))
		return;		/* closing: nothing left to size */
	w = kmalloc(sizeof(*w), GFP_ATOMIC);
	if (!w)
		return;		/* the next segment tries again */
	/* A closing socket may be kept by its skbs alone. */
	if (!refcount_inc_not_zero(&sk->sk_refcnt)) {
		kfree(w);
		return;
	}
	if (!tcpao_sk_claim(c)) {
		sock_put(sk);
		kfree(w);
		return;
	}
	INIT_WORK(&w->work, tcpao_sk_work_fn);
	w->sk = sk;
	w->syn_mss = READ_ONCE(c->syn_mss);
	queue_work(tcpao_wq, &w->work);
}

int tcpao_output_init(void)
{
	tcpao_wq = alloc_workqueue("tcpao", 0, 0);
	return tcpao_wq ? 0 : -ENOMEM;
}

/* After the hooks are gone: no work is queued any more; wait for the rest. */
void tcpao_output_exit(void)
{
	destroy_workqueue(tcpao_wq);
}

/*
 * Replace the options of the segment by @opts (@optlen bytes, a multiple
 * of 4), moving the IP header and the fixed TCP header by the difference.
 */
static int tcpao_set_options(struct sk_buff *skb, struct tcpao_pkt *p,
			     const u8 *opts, unsigned int optlen,
			     const struct net_device *dev)
{
	unsigned int thlen = sizeof(struct tcphdr) + optlen;
	unsigned int move = p->thoff + sizeof(struct tcphdr);
	int delta = (int)thlen - (int)p->thlen;
	struct tcphdr *th;

	if (skb_cow_head(skb, max(delta, 0) + (dev ? LL_RESERVED_SPACE(dev) :
							0)))
		return -ENOMEM;
	if (delta > 0) {
		__skb_push(skb, delta);
		memmove(skb->data, skb->data + delta, move);
	} else if (delta < 0) {
		memmove(skb->data - delta, skb->data, move);
		__skb_pull(skb, -delta);
	}
	skb_set_network_header(skb, p->nhoff);
	skb_set_transport_header(skb, p->thoff);

	th = tcpao_th(skb, p);
	memcpy(th + 1, opts, optlen);
	th->doff = thlen / 4;
	if (p->flow.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(ntohs(iph->tot_len) + delta);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		/* 0: a jumbogram, whose length is the packet's. */
		if (ip6h->payload_len)
			ip6h->payload_len =
				htons(ntohs(ip6h->payload_len) + delta);
	}
	p->thlen = thlen;
	p->tcplen += delta;
	return 0;
}

/*
 * Leave the checksum to the device or to skb_checksum_help(), as TCP
 * itself does: the MAC must be in place before the checksum is computed.
 */
static void tcpao_csum_partial(struct sk_buff *skb, const struct tcpao_pkt *p)
{
	struct tcphdr *th = tcpao_th(skb, p);

	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	if (p->flow.family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		th->check = ~tcp_v4_check(p->tcplen, iph->saddr, iph->daddr, 0);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		th->check = ~tcp_v6_check(p->tcplen, &ip6h->saddr,
					  &ip6h->daddr, 0);
	}
}

static void tcpao_note_send(struct tcpao_conn *c, u8 keyid, u8 rnext)
{
	s16 old = READ_ONCE(c->send_keyid);

	if (unlikely(old != keyid)) {
		WRITE_ONCE(c->send_keyid, keyid);
		if (old >= 0)
			tcpao_event_rnext(c, TCPAO_RNEXT_SEND_KEYID, old, keyid);
	}
	old = READ_ONCE(c->send_rnext);
	if (unlikely(old != rnext)) {
		WRITE_ONCE(c->send_rnext, rnext);
		if (old >= 0)
			tcpao_event_rnext(c, TCPAO_RNEXT_SEND_RNEXT, old, rnext);
	}
}

/* Sign one (non-GSO) segment of connection @c. */
static unsigned int tcpao_sign(struct tcpao_net *tn, struct tcpao_conn *c,
			       struct sk_buff *skb, struct tcpao_pkt *p,
			       const struct nf_hook_state *state)
{
	const struct tcpao_ckeys *ck;
	struct tcpao_prf_key tmpkey;
	const struct tcpao_prf_key *tk = NULL;
	const struct tcpao_mkt *mkt;
	time64_t now = ktime_get_real_seconds();
	u8 opts[TCPAO_OPTSPACE_MAX];
	unsigned int ao_off;
	int i, a, optlen, err;
	u8 rnext = 0;
	__be32 risn;
	u32 sne = 0;
	u8 *mac;

	if (unlikely(p->bad_opts)) {
		tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
		return NF_DROP;
	}
	/* A segment already signed: the VRF device's pass, or a caller of
	 * its own.  Never sign twice.
	 */
	if (p->opts.ao >= 0)
		return NF_ACCEPT;
	if (unlikely(p->opts.md5)) {
		tcpao_drop_event(tn, c, &p->flow, TCPAO_STATS_A_MD5_CONFLICT,
				 -1);
		return NF_DROP;
	}

	ck = tcpao_conn_keys(c);
	if (unlikely(!ck)) {
		tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
		return NF_DROP;
	}
	if (unlikely(c->lx))	/* Linux's Current_key and RNext_key */
		i = tcpao_lx_send_key(c->lx, ck->mkt, ck->n, &rnext);
	else
		i = tcpao_select_tx(ck->mkt, ck->n, now,
				    READ_ONCE(c->kc->tolerance),
				    READ_ONCE(c->peer_rnext));
	if (unlikely(i < 0)) {
		/* Fail closed: never send a protected segment unsigned. */
		WRITE_ONCE(c->no_key, true);
		tcpao_drop_event(tn, c, &p->flow, TCPAO_STATS_A_NO_SEND_KEY,
				 -1);
		return NF_DROP;
	}
	if (unlikely(READ_ONCE(c->no_key)))
		WRITE_ONCE(c->no_key, false);
	mkt = ck->mkt[i];
	/* RNextKeyID: the key we want to receive, our active one. */
	if (likely(!c->lx)) {
		a = tcpao_active_idx(ck->mkt, ck->n, now);
		rnext = ck->mkt[a >= 0 ? a : i]->recv_id;
	}

	if (tcpao_syn_only(p)) {
		/* Send_SYN: the peer's ISN is not known yet (RFC 5925 5.2). */
		err = tcpao_flow_derive(&p->flow, mkt, true, htonl(p->seq), 0,
					&tmpkey);
		tk = &tmpkey;
	} else if (ck->derived) {
		tk = &ck->tk[i].tx;
		sne = tcpao_sne_of(atomic64_read(&c->snd_ref), p->seq);
		tcpao_sne_advance(&c->snd_ref, p->seq);
		err = 0;
	} else if ((p->flags & TCPHDR_RST) && tcpao_conn_refusing(c, &risn)) {
		/* Refusing a SYN we never answered: we have no ISN, so the
		 * context carries 0 for it, as the peer does on receipt;
		 * the peer's is the one its SYN verified with (conn.h).
		 */
		err = tcpao_flow_derive(&p->flow, mkt, true, 0, risn, &tmpkey);
		tk = &tmpkey;
	} else {
		tcpao_drop_event(tn, c, &p->flow, TCPAO_STATS_A_NO_STATE, -1);
		return NF_DROP;
	}
	if (unlikely(err))
		goto tx_error;

	optlen = tcpao_opts_sign_layout(tcpao_opt_ptr(skb, p),
					p->thlen - sizeof(struct tcphdr), opts,
					mkt->send_id, rnext, &ao_off);
	if (unlikely(optlen < 0)) {
		tcpao_stat_inc(tn, TCPAO_STATS_A_NO_SPACE);
		atomic64_inc(&c->pkts_bad);
		goto drop;
	}
	if (unlikely(tcpao_set_options(skb, p, opts, optlen, state->out)))
		goto tx_error;
	p->opts.ao = ao_off;

	mac = tcpao_opt_ptr(skb, p) + ao_off + offsetof(struct tcpao_opt, mac);
	if (unlikely(tcpao_pkt_mac(mkt->alg, tk, skb, p, sne,
				   mkt->exclude_opts, mac)))
		goto tx_error;
	tcpao_csum_partial(skb, p);

	if (tk == &tmpkey)
		memzero_explicit(&tmpkey, sizeof(tmpkey));
	tcpao_sk_adjust_later(c, skb->sk, p, state);
	tcpao_note_send(c, mkt->send_id, opts[ao_off + 3]);
	atomic64_inc(&c->pkts_signed);
	if (c->peer)
		atomic64_inc(&c->peer->pkts_signed);
	tcpao_stat_inc(tn, TCPAO_STATS_A_SIGNED);
	tcpao_conn_seen_flags(c, p->flags, true);
	return NF_ACCEPT;

tx_error:
	tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
	atomic64_inc(&c->pkts_bad);
drop:
	if (tk == &tmpkey)
		memzero_explicit(&tmpkey, sizeof(tmpkey));
	return NF_DROP;
}

/* A SYN leaves: a new connection if a binding or policy protects it. */
static struct tcpao_conn *tcpao_out_syn(struct tcpao_net *tn,
					struct sk_buff *skb,
					struct tcpao_pkt *p,
					struct tcpao_conn *c)
{
	struct tcpao_match m;
	bool required;

	if (c) {
		/* A retransmission of our SYN keeps its entry. */
		if (c->state == TCPAO_CONN_SYN_SENT && c->lisn == htonl(p->seq))
			return c;
		/* A new connection on the same addresses and ports. */
		tcpao_conn_unlink(c);
	}
	if (!tcpao_match_new(tn, skb, &p->flow, &m, true, &required))
		return required ? ERR_PTR(-EPERM) : NULL;
	c = tcpao_conn_create(tn, &p->flow, &m, TCPAO_CONN_SYN_SENT, 0);
	if (IS_ERR(c))
		return c;
	spin_lock_bh(&c->lock);
	c->lisn = htonl(p->seq);
	atomic64_set(&c->snd_ref, tcpao_sne_pack(0, p->seq));
	spin_unlock_bh(&c->lock);
	return c;
}

/*
 * Our SYN-ACK leaves: both ISNs are known now.  It may also answer a
 * valid SYN that arrived on an old entry (a new incarnation TCP accepted,
 * e.g. from TIME_WAIT): then the old entry makes way.
 */
static struct tcpao_conn *tcpao_out_synack(struct tcpao_net *tn,
					   struct sk_buff *skb,
					   struct tcpao_pkt *p,
					   struct tcpao_conn *c)
{
	__be32 risn = htonl(p->ack - 1);
	struct tcpao_match m;
	bool required;
	s16 rnext;

	if (c->flags & TCPAO_CONN_F_UNPROTECTED)
		return c;
	if (c->state == TCPAO_CONN_SYN_RECV && c->risn == risn)
		goto sync;
	if (c->state >= TCPAO_CONN_ESTABLISHED && c->risn == risn &&
	    c->lisn == htonl(p->seq))
		return c;	/* retransmission */
	if (!READ_ONCE(c->pending) || READ_ONCE(c->pend_risn) != risn)
		return c;	/* not ours to understand: tcpao_sign decides */

	rnext = READ_ONCE(c->peer_rnext);
	tcpao_conn_unlink(c);
	/* Which listener the new connection came to is a listener lookup
	 * away: pass no skb, this one is outgoing.
	 */
	if (!tcpao_match_new(tn, NULL, &p->flow, &m, false, &required))
		return required ? ERR_PTR(-EPERM) : NULL;
	c = tcpao_conn_create(tn, &p->flow, &m, TCPAO_CONN_SYN_RECV, 0);
	if (IS_ERR(c))
		return c;
	spin_lock_bh(&c->lock);
	c->risn = risn;
	c->peer_rnext = rnext;
	spin_unlock_bh(&c->lock);
sync:
	if (tcpao_conn_sync(c, htonl(p->seq), risn))
		return ERR_PTR(-ENOMEM);
	return c;
}

/*
 * A segment that cannot be signed as it is: a fragment (before
 * POST_ROUTING only a raw socket makes one), or one whose header could not
 * be read for want of memory.  A protected flow's is dropped, never sent
 * unsigned.
 */
static unsigned int tcpao_out_unsignable(struct tcpao_net *tn,
					 struct sk_buff *skb,
					 struct tcpao_pkt *p)
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
		atomic64_inc(&c->pkts_bad);
	} else if (!tcpao_match_new(tn, skb, &p->flow, &m, true, &required) &&
		   !required) {
		return NF_ACCEPT;
	}
	tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
	return NF_DROP;
}

static unsigned int tcpao_out_gso(struct tcpao_net *tn, struct sk_buff *skb,
				  const struct nf_hook_state *state);

static unsigned int tcpao_out_one(struct tcpao_net *tn, struct sk_buff *skb,
				  const struct nf_hook_state *state,
				  bool allow_gso)
{
	struct tcpao_conn_key key;
	struct tcpao_conn *c;
	struct tcpao_pkt p;
	int l3index = l3mdev_master_ifindex_rcu(state->out);

	switch (tcpao_pkt_parse(skb, state->pf == NFPROTO_IPV4 ? AF_INET :
				AF_INET6, true, l3index, &p)) {
	case 0:
		break;
	case TCPAO_PKT_FRAG:
	case TCPAO_PKT_NOMEM:
		return tcpao_out_unsignable(tn, skb, &p);
	default:
		return NF_ACCEPT;
	}

	tcpao_flow_to_key(&p.flow, &key);
	c = tcpao_conn_lookup(tn, &key);
	if (tcpao_syn_only(&p) && tcpao_native_out(skb, &p)) {
		/* Signed by Linux's own TCP-AO: not ours (native.c).  An
		 * entry left from an older connection makes way.
		 */
		if (c)
			tcpao_conn_unlink(c);
		return NF_ACCEPT;
	}
	if (tcpao_syn_only(&p))
		c = tcpao_out_syn(tn, skb, &p, c);
	else if (c && tcpao_synack(&p))
		c = tcpao_out_synack(tn, skb, &p, c);
	if (!c)
		return NF_ACCEPT;	/* not a protected connection */
	if (IS_ERR(c)) {
		if (PTR_ERR(c) == -EPERM)
			tcpao_drop_event(tn, NULL, &p.flow,
					 TCPAO_STATS_A_AO_REQUIRED, -1);
		else if (PTR_ERR(c) != -ENOSPC)
			tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
		return NF_DROP;
	}
	if (c->flags & TCPAO_CONN_F_UNPROTECTED) {
		tcpao_conn_seen_flags(c, p.flags, true);
		return NF_ACCEPT;
	}
	if (skb_is_gso(skb)) {
		if (allow_gso)
			return tcpao_out_gso(tn, skb, state);
		tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
		return NF_DROP;
	}
	return tcpao_sign(tn, c, skb, &p, state);
}

/*
 * A segment of a super-packet tcpao_out_gso() split, signed and accepted:
 * the hooks after ours at POST_ROUTING must see it as they would have seen
 * the super-packet (conntrack confirms new connections there, at INT_MAX).
 * The traversal resumes at the hook after ours, as the core resumes it for
 * a packet a queue handler reinjects (nf_reinject()).
 */
static void tcpao_out_resume(struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct nf_hook_state st = *state;
	const struct nf_hook_entries *e;
	struct nf_hook_ops **ops;
	unsigned int i;

	if (state->pf == NFPROTO_IPV4)
		e = rcu_dereference(state->net->nf.hooks_ipv4[state->hook]);
	else
		e = rcu_dereference(state->net->nf.hooks_ipv6[state->hook]);
	if (e) {
		/* After ours; or, if ours is being unregistered and already
		 * gone from this table, after where it was.
		 */
		ops = nf_hook_entries_get_hook_ops(e);
		for (i = 0; i < e->num_hook_entries; i++) {
			if (e->hooks[i].hook == tcpao_nf_out) {
				i++;
				break;
			}
			if (ops[i]->priority > TCPAO_OUT_PRIORITY)
				break;
		}
		if (nf_hook_slow(skb, &st, e, i) != 1)
			return;	/* stolen, queued, or dropped and freed */
	}
	local_bh_disable();
	state->okfn(state->net, state->sk, skb);
	local_bh_enable();
}

/*
 * A GSO super-packet of a protected connection: the first burst of a
 * socket we have not adjusted yet.  Segment it in software here, sign
 * each segment and send it on through the hooks after ours; the socket
 * sends no more of these once adjusted (tcpao_sk_apply()).
 */
static unsigned int tcpao_out_gso(struct tcpao_net *tn, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct sk_buff *segs, *seg, *next;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		tcpao_stat_inc(tn, TCPAO_STATS_A_TX_ERROR);
		return NF_DROP;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (tcpao_out_one(tn, seg, state, false) == NF_ACCEPT)
			tcpao_out_resume(seg, state);
		else
			kfree_skb(seg);
	}
	return NF_STOLEN;
}

unsigned int tcpao_nf_out(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	/* With a VRF the segment passes POST_ROUTING twice: on the VRF
	 * device, then on the real one.  Sign it once, on the real one.
	 */
	if (state->out && netif_is_l3_master(state->out))
		return NF_ACCEPT;
	if (state->pf == NFPROTO_IPV4) {
		if (IPCB(skb)->flags & IPSKB_FORWARDED)
			return NF_ACCEPT;
	} else if (IP6CB(skb)->flags & IP6SKB_FORWARDED) {
		return NF_ACCEPT;
	}
	return tcpao_out_one(tcpao_pernet(state->net), skb, state, true);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_nf_out);
