/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multicast events.  The datapath only queues a small fixed-size record
 * (no allocation, any context); a work item turns queued records into
 * netlink messages.
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

int tcpao_events_init(struct tcpao_net *tn);
void tcpao_events_destroy(struct tcpao_net *tn);

void tcpao_event_key_active(struct tcpao_net *tn, const char *keychain,
			    u8 key_id);
void tcpao_event_rnext(struct tcpao_conn *c, u8 what, int old, int new);
void tcpao_event_fail(struct tcpao_net *tn, struct tcpao_conn *c,
		      const struct tcpao_flow *f, u8 cause, int keyid,
		      u8 diag, time64_t start);
void tcpao_log_fail(struct tcpao_net *tn, struct tcpao_conn *c,
		    const struct tcpao_flow *f, u8 cause, int keyid,
		    const char *why);

/* netlink.c */
void tcpao_nl_send_event(struct net *net, const struct tcpao_ev *ev);
bool tcpao_nl_has_listeners(struct net *net);

#endif /* _TCPAO_EVENTS_H */
