// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny NFQUEUE consumer over raw netlink (no libnetfilter_queue needed),
 * for tests/scenarios/hardening/hooks.sh: it binds one queue, takes every
 * packet, accepts it, and counts.  The packets it returns are reinjected
 * by the kernel from this process's context (nf_reinject()), which is
 * what tcpao's output hook must cope with: no socket lock held there.
 *
 *   nfqueue QUEUE
 *
 * Asks for GSO packets whole (NFQA_CFG_F_GSO), so that super-packets reach
 * the hooks after the queue as they are.  Prints "ready" once bound, and on
 * SIGTERM or SIGINT "packets N gso G maxlen L" (G: packets longer than
 * 1500 bytes) and exits 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

static volatile sig_atomic_t stop;
static unsigned long packets, gso, maxlen;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Append attribute @type with @len bytes of @data to @nlh. */
static void put_attr(struct nlmsghdr *nlh, uint16_t type, const void *data,
		     uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)nlh +
					     NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static struct nlmsghdr *start(char *buf, uint16_t msg, uint16_t queue,
			      uint16_t flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nfgenmsg *g;

	memset(buf, 0, NLMSG_SPACE(sizeof(*g)));
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*g));
	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = NLMSG_DATA(nlh);
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(queue);
	return nlh;
}

/* Send @nlh and, if it asked for one, read the kernel's acknowledgment. */
static int talk(int fd, struct nlmsghdr *nlh)
{
	char buf[256];
	struct nlmsgerr *e;
	ssize_t n;

	if (send(fd, nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	if (!(nlh->nlmsg_flags & NLM_F_ACK))
		return 0;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(*e)))
		return -EPROTO;
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	e = NLMSG_DATA(nlh);
	return e->error;
}

static int config(int fd, uint16_t queue)
{
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND };
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(64),	/* headers: we only count */
		.copy_mode = NFQNL_COPY_PACKET,
	};
	uint32_t flags = htonl(NFQA_CFG_F_GSO);
	char buf[256];
	struct nlmsghdr *nlh;
	int err;

	nlh = start(buf, NFQNL_MSG_CONFIG, queue, NLM_F_ACK);
	put_attr(nlh, NFQA_CFG_CMD, &cmd, sizeof(cmd));
	err = talk(fd, nlh);
	if (err)
		return err;
	nlh = start(buf, NFQNL_MSG_CONFIG, queue, NLM_F_ACK);
	put_attr(nlh, NFQA_CFG_PARAMS, &params, sizeof(params));
	put_attr(nlh, NFQA_CFG_FLAGS, &flags, sizeof(flags));
	put_attr(nlh, NFQA_CFG_MASK, &flags, sizeof(flags));
	return talk(fd, nlh);
}

static int verdict(int fd, uint16_t queue, uint32_t id)
{
	struct nfqnl_msg_verdict_hdr v = {
		.verdict = htonl(NF_ACCEPT),
		.id = id,	/* network order, as it came */
	};
	char buf[128];
	struct nlmsghdr *nlh = start(buf, NFQNL_MSG_VERDICT, queue, 0);

	put_attr(nlh, NFQA_VERDICT_HDR, &v, sizeof(v));
	return talk(fd, nlh);
}

/* One NFQNL_MSG_PACKET: count it, accept it. */
static int packet(int fd, uint16_t queue, struct nlmsghdr *nlh)
{
	int rem = nlh->nlmsg_len - NLMSG_LENGTH(sizeof(struct nfgenmsg));
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) +
					     NLMSG_ALIGN(sizeof(struct nfgenmsg)));
	unsigned long len = 0;
	uint32_t id = 0;
	int have_id = 0;

	while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem) {
		const void *d = (const char *)a + NLA_HDRLEN;

		switch (a->nla_type & NLA_TYPE_MASK) {
		case NFQA_PACKET_HDR: {
			const struct nfqnl_msg_packet_hdr *h = d;

			id = h->packet_id;
			have_id = 1;
			break;
		}
		case NFQA_CAP_LEN:
			len = ntohl(*(const uint32_t *)d);
			break;
		case NFQA_PAYLOAD:
			if (!len)
				len = a->nla_len - NLA_HDRLEN;
			break;
		}
		rem -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	if (!have_id)
		return -EPROTO;
	packets++;
	if (len > 1500)
		gso++;
	if (len > maxlen)
		maxlen = len;
	return verdict(fd, queue, id);
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static char buf[1 << 16];
	struct sigaction act = { .sa_handler = on_signal };
	uint16_t queue;
	int fd, err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s QUEUE\n", argv[0]);
		return 2;
	}
	queue = (uint16_t)atoi(argv[1]);
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink");
		return 1;
	}
	err = config(fd, queue);
	if (err) {
		fprintf(stderr, "binding queue %u: %s\n", queue, strerror(-err));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fprintf(stderr, "queue overrun\n");
				continue;
			}
			perror("recv");
			return 1;
		}
		for (; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if ((nlh->nlmsg_type & 0xff) != NFQNL_MSG_PACKET)
				continue;
			err = packet(fd, queue, nlh);
			if (err) {
				fprintf(stderr, "verdict: %s\n", strerror(-err));
				return 1;
			}
		}
	}
	printf("packets %lu gso %lu maxlen %lu\n", packets, gso, maxlen);
	return 0;
}
