/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aoctl: the generic netlink socket.
 */
#ifndef AOCTL_NL_H
#define AOCTL_NL_H

#include "aoctl.h"
#include "msg.h"

struct nl_sock;

struct aoctl_nl {
	struct nl_sock *sk;
	int family;
};

/* Open the socket and resolve the family.  EXIT_OK or EXIT_ERR (printed:
 * "tcpao module not loaded" when the family does not exist).
 */
int aonl_open(struct aoctl_nl *nl);
/* Only the socket (ext ACK and capped ACKs on); no family lookup. */
int aonl_socket(struct aoctl_nl *nl);
void aonl_close(struct aoctl_nl *nl);

struct nl_msg;

/* What the kernel answered to one request. */
struct aonl_result {
	int err;			/* positive errno, 0: success */
	char extack[256];		/* NLMSGERR_ATTR_MSG, or "" */
	unsigned int replies;		/* data messages received */
	bool intr;			/* NLM_F_DUMP_INTR: the dump may be
					 * inconsistent (config changed) */
};

/*
 * Send msg (wiped right after sending: it may hold a secret), pass every
 * reply to pc (NULL: only count them) and wait for the ACK, the end of the
 * dump or an error.  0 (see res) or a negative libnl error of the
 * transport.
 */
int aonl_transact(struct aoctl_nl *nl, struct nl_msg *msg,
		  struct print_ctx *pc, struct aonl_result *res);

/* Send the request of cmd, print the replies through pc, wait for the
 * acknowledgement.  Kernel errors are printed as
 * "aoctl: COMMAND: EXTACK-MESSAGE (STRERROR)".  The request buffer is
 * wiped after sending.  EXIT_OK or EXIT_ERR; pc->intr is set when a dump
 * was interrupted by a configuration change (the caller retries).
 */
int aonl_request(struct aoctl_nl *nl, const struct aoctl_cmd *cmd,
	       struct print_ctx *pc);

/* A reply (parsed top-level attributes), for aonl_call(). */
typedef void (*aonl_reply_fn)(uint8_t gcmd, struct nlattr **tb, void *arg);

/*
 * Send request @gcmd (NLM_F_* in @nlflags), its attributes appended by
 * @build (may be NULL), pass every reply to @fn (may be NULL) and wait for
 * the ACK or the end of the dump.  Errors are printed as aonl_request()
 * does, as "aoctl: WHAT: ...".  *@intr (may be NULL) tells whether a dump
 * was interrupted by a configuration change.  EXIT_OK or EXIT_ERR.
 */
int aonl_call(struct aoctl_nl *nl, uint8_t gcmd, int nlflags,
	      int (*build)(struct nl_msg *msg, const void *arg),
	      const void *build_arg, aonl_reply_fn fn, void *fn_arg,
	      const char *what, bool *intr);

/* Subscribe to the "events" group and print events until killed. */
int aonl_monitor(struct aoctl_nl *nl);

#endif
