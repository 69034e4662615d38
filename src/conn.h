/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protected connections as tcpao sees them on the wire.
 *
 * An entry is created when a SYN leaves for, or a valid SYN arrives from, a
 * protected peer.  It holds both ISNs, the SNE reference of each direction,
 * the keychain (for the connection's life) and the traffic keys derived
 * from the keychain's key versions.  It goes away after an RST,
 * after FINs both ways and TIME_WAIT, when its socket is gone, or with the
 * namespace or the module.
 */
#ifndef _TCPAO_CONN_H
#define _TCPAO_CONN_H

#include "peer.h"

struct tcpao_conn_key {
	union tcpao_addr laddr;
	union tcpao_addr raddr;
	__be16 lport;
	__be16 rport;
	s32 l3index;
	u8 family;
	u8 pad[3];
};

struct tcpao_tkeys {
	struct tcpao_prf_key tx;	/* Send_Other */
	struct tcpao_prf_key rx;	/* Receive_Other */
};

/*
 * The key versions a connection holds (its keychain's at generation @gen)
 * and, once both ISNs are known, their traffic keys.  Immutable once
 * published; replaced (RCU) when the keychain publishes a new key set.
 */
struct tcpao_ckeys {
	struct rcu_head rcu;
	struct tcpao_keychain *kc;	/* reference: key_users accounting */
	struct tcpao_tkeys *tk;		/* n entries, after mkt[] */
	u32 gen;			/* keychain generation built from */
	bool derived;
	u8 n;
	struct tcpao_mkt *mkt[];	/* sorted by start time, then id */
};

#define TCPAO_FIN_LOCAL		1
#define TCPAO_FIN_REMOTE	2

struct tcpao_conn {
	struct rhash_head node;
	struct tcpao_conn_key key;
	struct list_head list;		/* tn->conn_list, RCU */
	struct rcu_head rcu;
	struct tcpao_net *tn;
	spinlock_t lock;		/* slow path transitions */
	struct tcpao_keychain *kc;	/* for life */
	struct tcpao_peer *peer;	/* policy that made it, or NULL */
	struct tcpao_lx *lx;		/* Linux TCP-AO API state, or NULL */
	struct tcpao_ckeys __rcu *keys;	/* NULL when unverified */

	u32 flags;			/* TCPAO_CONN_F_* */
	u8 state;			/* enum tcpao_conn_state */
	u8 fins;
	bool sk_adjusted;		/* MSS and GSO of the socket done or queued */
	bool no_key;			/* no valid send key: failing closed */
	bool allow_without;		/* allow-without-tcpao */
	bool unverified;		/* made by a SYN without TCP-AO: no
					 * keys, a budget of its own
					 */
	bool dead;			/* unlinked */
	__be32 lisn;
	__be32 risn;
	__be32 pend_risn;		/* a new incarnation's SYN, if valid */
	bool pending;

	s16 peer_rnext;			/* RNextKeyID from the peer, -1: none */
	s16 send_keyid;			/* last sent, -1: none */
	s16 send_rnext;
	s16 recv_keyid;

	atomic64_t snd_ref;		/* SNE reference, see sne.h */
	atomic64_t rcv_ref;
	atomic64_t pkts_good;
	atomic64_t pkts_bad;
	atomic64_t pkts_signed;
	atomic64_t keys_derived;	/* traffic key pairs derived */

	unsigned long last_used;	/* jiffies */
	unsigned long linger_until;	/* jiffies, for CLOSED and TIME_WAIT */
	u16 syn_mss;			/* MSS of the peer's SYN(-ACK), input.c */
	int dif;			/* for socket lookups by the GC */
	int sdif;

	unsigned long fail_ev_time;	/* AUTH_FAIL event rate limit */
	u32 fail_ev_count;
	u32 log_time[__TCPAO_DROP_MAX];	/* kernel log line per cause, jiffies|1 */

	/* Last diagnosed failure (diag.c), READ_ONCE/WRITE_ONCE. */
	u8 diag;			/* enum tcpao_diag */
	u8 diag_keyid;
	time64_t diag_start;		/* KEY_FUTURE, KEY_EXPIRED */
	s64 diag_good;			/* pkts_good when diagnosed */
};

/*
 * RSTs refusing a SYN, on an entry without traffic keys (no handshake
 * completed).  Their context carries 0 for the refusing end's ISN, as
 * Linux's tcp_ao.c has it in SYN_SENT.  The first RST closes the entry on
 * both ends, but a retransmission of the SYN can cross it (the RST late
 * past the SYN's 1 s timer): TCP refuses each copy, and a closed entry
 * still signs and verifies those RSTs until it goes.
 */

/* Refusing: the ISN of the peer's SYN verified on @c, if there was one. */
static inline bool tcpao_conn_refusing(const struct tcpao_conn *c,
				       __be32 *risn)
{
	switch (READ_ONCE(c->state)) {
	case TCPAO_CONN_SYN_RECV:
		*risn = c->risn;
		return true;
	case TCPAO_CONN_CLOSED:
		/* A copy of the SYN after our first RST, verified by
		 * tcpao_in_syn_again(); an RST without one is none of ours.
		 */
		if (!READ_ONCE(c->pending))
			return false;
		*risn = READ_ONCE(c->pend_risn);
		return true;
	default:
		return false;
	}
}

/*
 * Refused: @c sent a SYN (it has our ISN) and never had traffic keys.
 * Verified with our ISN, not the one the RST acknowledges: an RST of an
 * earlier attempt on the same ports does not verify for a new SYN.  (A
 * passive entry has no lisn until its SYN-ACK leaves, which also derives
 * its keys; an ISN of 0 leaves such an RST to no-state, as before.)
 */
static inline bool tcpao_conn_refused(const struct tcpao_conn *c,
				      bool derived)
{
	u8 state = READ_ONCE(c->state);

	return state == TCPAO_CONN_SYN_SENT ||
	       (state == TCPAO_CONN_CLOSED && !derived && c->lisn);
}

int tcpao_conn_mod_init(void);
void tcpao_conn_mod_exit(void);
struct tcpao_conn *tcpao_conn_lookup(struct tcpao_net *tn,
				     const struct tcpao_conn_key *key);
struct tcpao_conn *tcpao_conn_create(struct tcpao_net *tn,
				     const struct tcpao_flow *f,
				     const struct tcpao_match *m,
				     u8 state, u32 flags);
void tcpao_conn_unlink(struct tcpao_conn *c);
const struct tcpao_ckeys *tcpao_conn_keys(struct tcpao_conn *c);
void tcpao_conn_refresh_kc(struct tcpao_net *tn, struct tcpao_keychain *kc);
int tcpao_conn_sync(struct tcpao_conn *c, __be32 lisn, __be32 risn);
void tcpao_conn_seen_flags(struct tcpao_conn *c, u8 tcp_flags, bool out);
void tcpao_conn_flush(struct tcpao_net *tn);
void tcpao_conn_gc_work(struct work_struct *work);
int tcpao_conn_table_init(struct tcpao_net *tn);
void tcpao_conn_table_destroy(struct tcpao_net *tn);
void tcpao_flow_to_key(const struct tcpao_flow *f, struct tcpao_conn_key *k);

u32 tcpao_conn_flags(const struct tcpao_conn *c);

/* Traffic keys (RFC 5925 section 5.2) of a flow, or of a connection, for
 * a context (send: local to remote).
 */
int tcpao_flow_derive(const struct tcpao_flow *f, const struct tcpao_mkt *mkt,
		      bool send, __be32 sisn, __be32 disn,
		      struct tcpao_prf_key *out);
int tcpao_conn_derive(const struct tcpao_conn *c, const struct tcpao_mkt *mkt,
		      bool send, __be32 sisn, __be32 disn,
		      struct tcpao_prf_key *out);

#endif /* _TCPAO_CONN_H */
