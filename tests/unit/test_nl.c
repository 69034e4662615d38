// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink transport against the running kernel, without tcpao: the
 * generic netlink controller ("nlctrl") answers doit and dump requests and
 * errors with extended ACK messages, which is all aonl_transact() needs.
 * Also: request buffers are wiped after sending, and a missing tcpao
 * family gives "tcpao module not loaded".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl.h"
#include "out.h"
#include "util.h"
#include "tap.h"

static struct nl_msg *ctrl_msg(uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, flags,
		    cmd, 1);
	return msg;
}

int main(void)
{
	struct aoctl_nl nl = { 0 };
	struct aonl_result res;
	struct nl_msg *msg;
	char *errbuf = NULL;
	size_t errlen = 0;
	int ret;

	err_fp = open_memstream(&errbuf, &errlen);
	if (aonl_socket(&nl)) {
		printf("1..0 # SKIP no generic netlink socket here\n");
		return 0;
	}
	nl.family = GENL_ID_CTRL;

	/* doit: one reply, then the ACK */
	msg = ctrl_msg(CTRL_CMD_GETFAMILY, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ret = aonl_transact(&nl, msg, NULL, &res);
	ok(ret == 0 && res.err == 0 && res.replies == 1,
	   "doit: one reply and the ACK (ret %d err %d replies %u)", ret,
	   res.err, res.replies);
	nlmsg_free(msg);

	/* dump: replies until NLMSG_DONE */
	msg = ctrl_msg(CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	ret = aonl_transact(&nl, msg, NULL, &res);
	ok(ret == 0 && res.err == 0 && res.replies >= 1,
	   "dump: %u replies until NLMSG_DONE", res.replies);
	nlmsg_free(msg);

	/* the same socket keeps working after errors (sequence numbers) */
	msg = ctrl_msg(CTRL_CMD_GETFAMILY, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nosuchfamily");
	ret = aonl_transact(&nl, msg, NULL, &res);
	ok(ret == 0 && res.err == ENOENT, "error: ENOENT for an unknown family (err %d)",
	   res.err);
	nlmsg_free(msg);

	/* an attribute the policy rejects: EINVAL with an extack message */
	msg = ctrl_msg(CTRL_CMD_GETFAMILY, 0);
	{
		uint8_t one = 1;

		nla_put(msg, CTRL_ATTR_FAMILY_ID, 1, &one);
	}
	ret = aonl_transact(&nl, msg, NULL, &res);
	ok(ret == 0 && (res.err == EINVAL || res.err == ERANGE),
	   "policy error: EINVAL or ERANGE (err %d)", res.err);
	ok(res.extack[0] != '\0', "  extack message received: '%s'", res.extack);
	nlmsg_free(msg);

	msg = ctrl_msg(CTRL_CMD_GETPOLICY, NLM_F_DUMP);
	ret = aonl_transact(&nl, msg, NULL, &res);
	ok(ret == 0 && res.err == EINVAL, "dump start error: EINVAL (err %d)",
	   res.err);
	nlmsg_free(msg);

	msg = ctrl_msg(CTRL_CMD_GETFAMILY, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ret = aonl_transact(&nl, msg, NULL, &res);
	ok(ret == 0 && res.err == 0 && res.replies == 1,
	   "still in sequence after errors");
	nlmsg_free(msg);

	/* The request is wiped once sent, even when it was refused. */
	msg = ctrl_msg(CTRL_CMD_GETFAMILY, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	nla_put(msg, 200, 12, "SECRETSECRET");
	{
		unsigned char *buf = (unsigned char *)nlmsg_hdr(msg);
		size_t len = NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len), i, nz = 0;

		ret = aonl_transact(&nl, msg, NULL, &res);
		for (i = 0; i < len; i++)
			nz += buf[i] != 0;
		ok(nz == 0, "request buffer wiped after sending (%zu of %zu bytes left)",
		   nz, len);
		ok(!memmem(buf, nlmsg_get_max_size(msg), "SECRET", 6),
		   "  no trace of the secret-like attribute");
	}
	nlmsg_free(msg);

	/* Kernel errors as aoctl prints them. */
	{
		struct aoctl_cmd cmd = { .op = OP_PEER_SHOW };
		struct print_ctx pc = { .op = OP_PEER_SHOW };
		char *obuf = NULL;
		size_t olen = 0;
		FILE *m = open_memstream(&obuf, &olen);

		strcpy(cmd.what, "peer show");
		/* PEER_GET is nlctrl's GETPOLICY: a dump refused with EINVAL. */
		out_init(m, false, false);
		rewind(err_fp);
		ret = aonl_request(&nl, &cmd, &pc);
		fflush(err_fp);
		fclose(m);
		ok(ret == EXIT_ERR, "aonl_request: exit code 1 on a kernel error");
		ok(!strncmp(errbuf, "aoctl: peer show: Invalid argument", 34),
		   "  'aoctl: COMMAND: STRERROR' without an extack message: %.*s",
		   (int)strcspn(errbuf, "\n"), errbuf);
		free(obuf);
	}
	aonl_close(&nl);

	/* Without the module */
	{
		struct stat st;

		if (stat("/sys/module/tcpao", &st) == 0 ||
		    system("modinfo tcpao >/dev/null 2>&1") == 0) {
			printf("ok %d - # SKIP tcpao is loaded or installed here\n",
			       ++tap_count);
		} else {
			fflush(err_fp);
			memset(errbuf, 0, errlen);
			rewind(err_fp);
			ret = aonl_open(&nl);
			fflush(err_fp);
			ok(ret == EXIT_ERR && !strcmp(errbuf,
			   "aoctl: tcpao module not loaded (modprobe tcpao)\n"),
			   "no tcpao family: 'tcpao module not loaded (modprobe tcpao)'");
		}
	}
	return tap_done();
}
