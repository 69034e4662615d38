/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aoctl: netlink message contents.  Requests from a struct aoctl_cmd and
 * the printing of replies and events through out.h.  Uses libnl's
 * attribute helpers but no socket: the unit tests feed it synthetic
 * messages.
 */
#ifndef AOCTL_MSG_H
#define AOCTL_MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "aoctl.h"

/* Generic netlink command and netlink flags (NLM_F_DUMP) for cmd->op. */
int msg_cmd(const struct aoctl_cmd *c, uint8_t *gcmd, int *nlflags);
/* Append the request attributes (after the genl header).  0 or -NLE_*. */
int msg_build(struct nl_msg *msg, const struct aoctl_cmd *c);

struct sync_keychain;
struct sync_kpeer;
struct sync_kkeychain;

/* TCPAO_CMD_KEYCHAIN_SYNC: the keychain with all its keys (secrets too). */
int msg_build_keychain_sync(struct nl_msg *msg, const struct sync_keychain *kc);
/* A TCPAO_A_PEER / TCPAO_A_KEYCHAIN of a dump, for a sync.  0 or -1. */
int msg_parse_kpeer(struct nlattr *peer, struct sync_kpeer *out);
int msg_parse_kkeychain(struct nlattr *kc, struct sync_kkeychain *out);

/* State of printing the replies of one request. */
struct print_ctx {
	enum aoctl_op op;
	bool detail;
	const struct aoctl_cmd *sel;	/* selectors (peer, conn), or NULL */
	unsigned int rows;	/* objects printed (headers before the 1st) */
	bool intr;		/* the dump was interrupted: retry */
};

/* Begin/end the document of a show command (JSON array / object). */
void print_begin(struct print_ctx *pc);
void print_end(struct print_ctx *pc);
/* One reply message (parsed top-level attributes). */
void print_reply(struct print_ctx *pc, uint8_t gcmd, struct nlattr **tb);
/* One multicast message: one line (text) or one JSON object, starting
 * with the time it arrived (@when; NULL: none).
 */
void print_event(uint8_t gcmd, struct nlattr **tb,
		 const struct timespec *when);
/* "2026-12-05T11:00:00.123+01:00": local time, RFC 3339. */
void format_time_rfc3339(const struct timespec *ts, char *buf, size_t len);
/* Do the selectors of @sel choose this policy / connection? */
bool peer_selected(const struct aoctl_cmd *sel, struct nlattr *peer);
bool conn_selected(const struct aoctl_cmd *sel, struct nlattr *conn);

/* The pieces, for the tests. */
void print_keychain_header(void);
void print_keychain(struct nlattr *kc, bool detail);
void print_peer_header(void);
void print_peer(struct nlattr *peer, bool table);
void print_conn_header(void);
void print_conn(struct nlattr *conn, bool detail, bool table);
void print_stats(struct nlattr *stats);
void print_peer_stats_header(void);
void print_peer_stats(struct nlattr *peer);
void print_limits(struct nlattr *limits);

#endif
