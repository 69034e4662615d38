/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multicast events.  Any layer queues a small fixed-size record (no
 * allocation, any context); a work item hands queued records to the sink
 * netlink registered, which turns them into messages.  Dropped segments
 * are reported through tcpao_event_fail() (drop.c).
 */
#ifndef _TCPAO_EVENTS_H
#define _TCPAO_EVENTS_H

#include "tcpao.h"
#include "conn.h"

/* One queued event; which fields matter depends on @cmd. */
struct tcpao_ev {
	u8 cmd;			/* TCPAO_CMD_EVENT_* */
	u8 what;		/* enum tcpao_rnext_what or tcpao_drop_cause */
	u8 key_id;
	u8 diag;		/* enum tcpao_diag of a failure */
	time64_t diag_start;	/* its key's start time (KEY_* diagnoses) */
	bool has_conn;
	s16 old;
	s16 new;		/* also: KeyID of a dropped segment, or -1 */
	u32 count;
	struct tcpao_conn_key key;
	char keychain[TCPAO_KEYCHAIN_NAME_LEN];
};

/* Kernel log: when a cause was last logged for a flow of no connection. */
#define TCPAO_LOG_SLOTS	256

struct tcpao_log_slot {
	u32 hash;		/* flow and cause, | 1 */
	u32 time;		/* jiffies | 1 */
};

#define TCPAO_EV_RING	64

/* Per namespace; the log slots are drop.c's. */
struct tcpao_events {
	spinlock_t lock;	/* head, tail, ring */
	unsigned int head;
	unsigned int tail;
	struct work_struct work;
	struct tcpao_net *tn;
	struct tcpao_ev ring[TCPAO_EV_RING];
	/* Lockless: a lost race logs a line twice, which the global limit
	 * still bounds.
	 */
	struct tcpao_log_slot log_slot[TCPAO_LOG_SLOTS];
};

/* Where queued events go (netlink.c); called with the ring's records in
 * process context, one at a time.
 */
struct tcpao_event_sink {
	bool (*wanted)(struct net *net);	/* anyone listening, any context */
	void (*send)(struct net *net, const struct tcpao_ev *ev);
};

void tcpao_events_set_sink(const struct tcpao_event_sink *sink);
bool tcpao_events_wanted(struct tcpao_net *tn);
void tcpao_event_queue(struct tcpao_net *tn, const struct tcpao_ev *ev);
void tcpao_ev_conn(struct tcpao_ev *ev, const struct tcpao_conn *c);

int tcpao_events_init(struct tcpao_net *tn);
void tcpao_events_destroy(struct tcpao_net *tn);

void tcpao_event_key_active(struct tcpao_net *tn, const char *keychain,
			    u8 key_id);
void tcpao_event_rnext(struct tcpao_conn *c, u8 what, int old, int new);

/* drop.c */
void tcpao_event_fail(struct tcpao_net *tn, struct tcpao_conn *c,
		      const struct tcpao_flow *f, u8 cause, int keyid,
		      u8 diag, time64_t start);
void tcpao_log_fail(struct tcpao_net *tn, struct tcpao_conn *c,
		    const struct tcpao_flow *f, u8 cause, int keyid,
		    const char *why);

#endif /* _TCPAO_EVENTS_H */
