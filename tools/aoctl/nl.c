// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: generic netlink transport over libnl: family lookup, requests,
 * dumps, extended ACK messages, multicast events.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nl.h"
#include "out.h"
#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* What a refusal for want of privilege (EPERM without a message) means:
 * every request and the events group need it, reads included.
 */
#define AONL_NEED_CAP \
	"permission denied: reading or changing tcpao's state needs CAP_NET_ADMIN in the network namespace"

struct req_state {
	struct print_ctx *pc;
	aonl_reply_fn fn;		/* instead of printing */
	void *fn_arg;
	struct aonl_result *res;
	bool done;
};

int aonl_socket(struct aoctl_nl *nl)
{
	int one = 1, ret;

	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		aoctl_err(NULL, "cannot allocate a netlink socket");
		return EXIT_ERR;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		aoctl_err(NULL, "cannot open a generic netlink socket: %s",
			  nl_geterror(ret));
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return EXIT_ERR;
	}
	/* Error strings from the kernel, and no copy of our request (which
	 * may hold a secret) in error messages.
	 */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_enable_msg_peek(nl->sk);
	return EXIT_OK;
}

int aonl_open(struct aoctl_nl *nl)
{
	if (aonl_socket(nl))
		return EXIT_ERR;
	/* The kernel loads the module on this lookup when it is installed
	 * (MODULE_ALIAS_GENL_FAMILY).
	 */
	nl->family = genl_ctrl_resolve(nl->sk, TCPAO_GENL_NAME);
	if (nl->family == -NLE_OBJ_NOTFOUND) {
		aoctl_err(NULL, "tcpao module not loaded (modprobe tcpao)");
		goto fail;
	}
	if (nl->family < 0) {
		aoctl_err(NULL, "cannot look up the generic netlink family %s: %s",
			  TCPAO_GENL_NAME, nl_geterror(nl->family));
		goto fail;
	}
	return EXIT_OK;
fail:
	aonl_close(nl);
	return EXIT_ERR;
}

void aonl_close(struct aoctl_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/* Copy NLMSGERR_ATTR_MSG (or describe a missing attribute) from the
 * extended ACK TLVs at attrs into buf.
 */
static void extack_parse(const struct nlmsghdr *h, const void *attrs,
			 char *buf, size_t len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *end = (const char *)h + h->nlmsg_len;
	int alen = (int)(end - (const char *)attrs);
	char *p;

	buf[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || alen <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)attrs, alen, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0)
		nla_strlcpy(buf, tb[NLMSGERR_ATTR_MSG], len);
	else if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
		 nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		snprintf(buf, len, "missing attribute (type %u)",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
	/* The module's messages start with its name (NL_SET_ERR_MSG_MOD);
	 * aoctl names the command instead.
	 */
	if (!strncmp(buf, "tcpao: ", 7))
		memmove(buf, buf + 7, strlen(buf + 7) + 1);
	/* No terminal control sequences. */
	for (p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* TLVs of an NLMSG_ERROR: after struct nlmsgerr and, unless capped, the
 * echoed request.
 */
static const void *error_tlvs(const struct nlmsghdr *h,
			      const struct nlmsgerr *e)
{
	size_t off = sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	return (const char *)NLMSG_DATA(h) + NLMSG_ALIGN(off);
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct req_state *st = arg;

	(void)nla;
	st->res->err = -e->error;
	extack_parse(h, error_tlvs(h, e), st->res->extack,
		     sizeof(st->res->extack));
	st->done = true;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct req_state *st = arg;
	char warn[256];

	/* An ACK may carry a warning. */
	if (nlmsg_datalen(h) >= (int)sizeof(struct nlmsgerr)) {
		extack_parse(h, error_tlvs(h, nlmsg_data(h)), warn, sizeof(warn));
		if (warn[0])
			aoctl_warn("%s", warn);
	}
	st->done = true;
	return NL_STOP;
}

/* End of a dump; it may carry the dump's error (and extack). */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct req_state *st = arg;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		st->res->intr = true;
	if (nlmsg_datalen(h) >= (int)sizeof(int)) {
		int e;

		memcpy(&e, nlmsg_data(h), sizeof(e));
		if (e < 0) {
			st->res->err = -e;
			extack_parse(h, (const char *)nlmsg_data(h) +
				     NLMSG_ALIGN(sizeof(int)),
				     st->res->extack, sizeof(st->res->extack));
		}
	}
	st->done = true;
	return NL_STOP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(h);
	struct nlattr *tb[TCPAO_A_MAX + 1];
	struct req_state *st = arg;

	if (!genlmsg_valid_hdr(h, 0))
		return NL_SKIP;
	st->res->replies++;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		st->res->intr = true;
	if (!st->pc && !st->fn)
		return NL_OK;
	if (genlmsg_parse(h, 0, tb, TCPAO_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (st->fn)
		st->fn(g->cmd, tb, st->fn_arg);
	else
		print_reply(st->pc, g->cmd, tb);
	return NL_OK;
}

static void wipe_msg(struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	size_t len = NLMSG_ALIGN(h->nlmsg_len);

	if (len > nlmsg_get_max_size(msg))
		len = nlmsg_get_max_size(msg);
	explicit_bzero(h, len);
}

static int transact(struct aoctl_nl *nl, struct nl_msg *msg,
		    struct req_state *stp)
{
	struct req_state st = *stp;
	struct aonl_result *res = st.res;
	struct nl_cb *cb;
	int ret;

	memset(res, 0, sizeof(*res));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		wipe_msg(msg);
		return -NLE_NOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &st);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &st);

	/* NLM_F_REQUEST and NLM_F_ACK are added here. */
	ret = nl_send_auto(nl->sk, msg);
	wipe_msg(msg);
	while (ret >= 0 && !st.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (st.done)
			ret = 0;
	}
	nl_cb_put(cb);
	return ret < 0 ? ret : 0;
}

int aonl_transact(struct aoctl_nl *nl, struct nl_msg *msg,
		  struct print_ctx *pc, struct aonl_result *res)
{
	struct req_state st = { .pc = pc, .res = res };

	return transact(nl, msg, &st);
}

/* The result of a request as aonl_request() reports it. */
static int report(int ret, const struct aonl_result *res, const char *what)
{
	if (ret < 0) {
		aoctl_err(what, "netlink: %s", nl_geterror(ret));
		return EXIT_ERR;
	}
	if (res->err) {
		if (res->extack[0])
			aoctl_err(what, "%s (%s)", res->extack,
				  strerror(res->err));
		else if (res->err == EPERM)
			aoctl_err(what, "%s (%s)", AONL_NEED_CAP,
				  strerror(res->err));
		else
			aoctl_err(what, "%s", strerror(res->err));
		return EXIT_ERR;
	}
	return EXIT_OK;
}

int aonl_call(struct aoctl_nl *nl, uint8_t gcmd, int nlflags,
	      int (*build)(struct nl_msg *msg, const void *arg),
	      const void *build_arg, aonl_reply_fn fn, void *fn_arg,
	      const char *what, bool *intr)
{
	struct aonl_result res;
	struct req_state st = { .fn = fn, .fn_arg = fn_arg, .res = &res };
	struct nl_msg *msg;
	int ret;

	msg = nlmsg_alloc();
	if (!msg) {
		aoctl_err(what, "out of memory");
		return EXIT_ERR;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 nlflags, gcmd, TCPAO_GENL_VERSION) ||
	    (build && build(msg, build_arg) < 0)) {
		aoctl_err(what, "cannot build the request");
		ret = EXIT_ERR;
		goto out;
	}
	ret = report(transact(nl, msg, &st), &res, what);
	if (intr)
		*intr = ret == EXIT_OK && res.intr;
out:
	wipe_msg(msg);
	nlmsg_free(msg);
	return ret;
}

int aonl_request(struct aoctl_nl *nl, const struct aoctl_cmd *cmd,
		 struct print_ctx *pc)
{
	struct aonl_result res;
	struct nl_msg *msg;
	uint8_t gcmd;
	int flags, ret;

	if (msg_cmd(cmd, &gcmd, &flags)) {
		aoctl_err(cmd->what, "internal error: no request for this command");
		return EXIT_ERR;
	}
	msg = nlmsg_alloc();
	if (!msg) {
		aoctl_err(cmd->what, "out of memory");
		return EXIT_ERR;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 gcmd, TCPAO_GENL_VERSION) ||
	    msg_build(msg, cmd) < 0) {
		aoctl_err(cmd->what, "cannot build the request");
		ret = EXIT_ERR;
		goto out;
	}
	ret = report(aonl_transact(nl, msg, pc, &res), &res, cmd->what);
	if (ret == EXIT_OK && pc)
		pc->intr = res.intr;
out:
	wipe_msg(msg);
	nlmsg_free(msg);
	return ret;
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(h);
	struct nlattr *tb[TCPAO_A_MAX + 1];
	struct aoctl_nl *nl = arg;
	struct timespec now;

	if (h->nlmsg_type != nl->family || !genlmsg_valid_hdr(h, 0))
		return NL_SKIP;
	if (genlmsg_parse(h, 0, tb, TCPAO_A_MAX, NULL) < 0)
		return NL_SKIP;
	/* When it reached us: the kernel sends events within milliseconds. */
	clock_gettime(CLOCK_REALTIME, &now);
	print_event(g->cmd, tb, &now);
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int aonl_monitor(struct aoctl_nl *nl)
{
	struct nl_cb *cb;
	int grp, ret;

	grp = genl_ctrl_resolve_grp(nl->sk, TCPAO_GENL_NAME, TCPAO_MCGRP_EVENTS);
	if (grp < 0) {
		aoctl_err("monitor", "cannot find the multicast group '%s': %s",
			  TCPAO_MCGRP_EVENTS, nl_geterror(grp));
		return EXIT_ERR;
	}
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_set_buffer_size(nl->sk, 4 << 20, 0);
	ret = nl_socket_add_membership(nl->sk, grp);
	if (ret == -NLE_PERM) {
		aoctl_err("monitor", "%s (%s)", AONL_NEED_CAP, strerror(EPERM));
		return EXIT_ERR;
	}
	if (ret < 0) {
		aoctl_err("monitor", "cannot join the multicast group '%s': %s",
			  TCPAO_MCGRP_EVENTS, nl_geterror(ret));
		return EXIT_ERR;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		aoctl_err("monitor", "out of memory");
		return EXIT_ERR;
	}
	/* Notifications have sequence number 0. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_cb, nl);
	for (;;) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed. */
			aoctl_warn("events lost (receive buffer overrun)");
			continue;
		}
		if (ret < 0) {
			aoctl_err("monitor", "%s", nl_geterror(ret));
			break;
		}
	}
	nl_cb_put(cb);
	return EXIT_ERR;
}
