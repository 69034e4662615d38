// SPDX-License-Identifier: GPL-2.0
/*
 * conndump: fill tcpao's connection table cheaply, then time the raw
 * connection dump (TCPAO_CMD_CONN_GET) at growing table sizes
 * (tests/scenarios/operations/conn_dump_scale.sh, the "dump" part of make bench).
 *
 *   conndump syn SRC DST FROM TO     send the SYNs of entries FROM..TO-1
 *   conndump dump [SRC DST] [--bufsize B]
 *                                    one dump: entries (with SRC DST,
 *                                    which of them are the generator's),
 *                                    time
 *   conndump scale SRC DST [--sizes N,N,...] [--reps R] [--bufsize B]
 *                                    grow the table to each size in turn
 *                                    and dump it R times at each
 *
 * Entries: a protected connection's entry is made when its first SYN
 * leaves (tcpao's POST_ROUTING hook, output.c), and a SYN sent on a raw
 * socket passes that hook as TCP's own would.  So entry i is one SYN, in
 * the sender's own context: from SRC, port 32768 + i % 32768, to
 * DST + 1 + i / 32768 (the last byte of the IPv4 address DST counts up),
 * port 179.  The namespace needs a peer policy that covers these
 * addresses and a route to them through a device that drops what it is
 * given (a dummy device); no TCP socket, no answer, nothing else.  Such an
 * entry (SYN_SENT) stays for tcpao's embryonic timeout, 180 s after its
 * SYN; a SYN sent again with the same sequence number is a retransmission,
 * which keeps the entry and restarts that time.
 *
 * A dump is timed from the request to NLMSG_DONE on a fresh socket that
 * asks for up to --bufsize bytes per recv() (default 32768: the kernel
 * fills each continuation up to what the reader asked for last, capped at
 * 32 KiB; aoctl's libnl asks for 16 KiB).  Each message's TCPAO_A_CONN is
 * read for its addresses and ports: the report counts entries, distinct
 * entries of the generator above, repeated ones and foreign ones (made by
 * anything else).
 *
 * Output: one JSON object per line.  dump: {"table":..., "entries":...,
 * "distinct":..., "repeated":..., "foreign":..., "messages":...,
 * "recvs":..., "interrupted":..., "ms":...}: "table" is the table's own
 * count (TCPAO_STATS_A_CONNS, from STATS_GET), "entries" what the dump
 * listed, "messages" its netlink messages and "recvs" its datagrams (the
 * continuations).  scale: a line per size with "size", "sent" and
 * "send_errors" (the new SYNs), "create_s" (the time they took),
 * "table", the last repetition's counts, "exact" (repetitions that listed
 * every entry exactly once and nothing else, not interrupted), "ms"
 * (every repetition), "ms_min", "ms_median" and "age_s" (seconds since
 * the oldest entry's SYN, at the end: past 180 s entries go); then a last
 * line with "ratio_SIZE" = min time at SIZE / min time at the first
 * size.  Exit status 0 if every dump worked and (scale) listed every
 * entry exactly once, 1 otherwise, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../include/uapi/linux/tcpao.h"

#define PORT_BASE	32768
#define PER_ADDR	32768
#define DPORT		179
#define MAX_ENTRIES	(254 * PER_ADDR)
#define BATCH		256
#define MAX_SIZES	16

static struct in_addr src_addr, dst_base;

static void usage(void)
{
	fprintf(stderr,
		"usage: conndump syn SRC DST FROM TO\n"
		"       conndump dump [SRC DST] [--bufsize B]\n"
		"       conndump scale SRC DST [--sizes N,N,...] [--reps R] [--bufsize B]\n");
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- SYNs ---- */

static uint32_t csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len > 1) {
		sum += (b[0] << 8) | b[1];
		b += 2;
		len -= 2;
	}
	if (len)
		sum += b[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

struct synpkt {
	struct iphdr ip;
	struct tcphdr tcp;
	uint8_t mss[4];
} __attribute__((packed));

static struct in_addr entry_dst(unsigned int i)
{
	struct in_addr a;

	a.s_addr = htonl(ntohl(dst_base.s_addr) + 1 + i / PER_ADDR);
	return a;
}

static void build_syn(struct synpkt *p, unsigned int i)
{
	struct {
		struct in_addr s, d;
		uint8_t zero, proto;
		uint16_t len;
	} __attribute__((packed)) ph;

	memset(p, 0, sizeof(*p));
	p->ip.version = 4;
	p->ip.ihl = 5;
	p->ip.ttl = 64;
	p->ip.protocol = IPPROTO_TCP;
	p->ip.tot_len = htons(sizeof(*p));
	p->ip.saddr = src_addr.s_addr;
	p->ip.daddr = entry_dst(i).s_addr;
	p->tcp.source = htons(PORT_BASE + i % PER_ADDR);
	p->tcp.dest = htons(DPORT);
	/* The entry's ISN: fixed per entry, so that a SYN sent again is a
	 * retransmission of the same connection.
	 */
	p->tcp.seq = htonl(0x10000000u + i * 7919u);
	p->tcp.doff = (sizeof(p->tcp) + sizeof(p->mss)) / 4;
	p->tcp.syn = 1;
	p->tcp.window = htons(64240);
	p->mss[0] = TCPOPT_MAXSEG;
	p->mss[1] = 4;
	p->mss[2] = 1460 >> 8;
	p->mss[3] = 1460 & 0xff;

	ph.s = src_addr;
	ph.d = entry_dst(i);
	ph.zero = 0;
	ph.proto = IPPROTO_TCP;
	ph.len = htons(sizeof(p->tcp) + sizeof(p->mss));
	p->tcp.check = csum_fold(csum_add(csum_add(0, &ph, sizeof(ph)),
					  &p->tcp, sizeof(p->tcp) +
					  sizeof(p->mss)));
}

/* Send the SYNs of entries from..to-1; returns how many the kernel took. */
static long send_syns(unsigned int from, unsigned int to, long *errors)
{
	static struct synpkt pkts[BATCH];
	static struct sockaddr_in dsts[BATCH];
	static struct iovec iov[BATCH];
	static struct mmsghdr msgs[BATCH];
	long sent = 0;
	unsigned int i, n, k;
	int fd, r;

	*errors = 0;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("conndump: raw socket");
		return -1;
	}
	for (i = from; i < to; i += n) {
		n = to - i < BATCH ? to - i : BATCH;
		for (k = 0; k < n; k++) {
			build_syn(&pkts[k], i + k);
			dsts[k].sin_family = AF_INET;
			dsts[k].sin_addr = entry_dst(i + k);
			iov[k].iov_base = &pkts[k];
			iov[k].iov_len = sizeof(pkts[k]);
			memset(&msgs[k], 0, sizeof(msgs[k]));
			msgs[k].msg_hdr.msg_name = &dsts[k];
			msgs[k].msg_hdr.msg_namelen = sizeof(dsts[k]);
			msgs[k].msg_hdr.msg_iov = &iov[k];
			msgs[k].msg_hdr.msg_iovlen = 1;
		}
		/* sendmmsg() stops at the first SYN that fails (tcpao drops
		 * it at the connection limit: EPERM): count it, go on after it.
		 */
		for (k = 0; k < n; ) {
			r = sendmmsg(fd, msgs + k, n - k, 0);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				if (!*errors)
					fprintf(stderr, "conndump: SYN %u: %s\n",
						i + k, strerror(errno));
				(*errors)++;
				k++;
				continue;
			}
			sent += r;
			k += r;
		}
	}
	close(fd);
	return sent;
}

/* ---- netlink ---- */

struct nlreq {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char attrs[64];
};

static int nl_open(unsigned int bufsize)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1, rcvbuf = 4 << 20;

	if (fd < 0) {
		perror("conndump: netlink socket");
		return -1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Room for a few continuations: the dump waits for the reader
	 * anyway, this only keeps a slow reader from stalling it.
	 */
	if (bufsize * 8 > (unsigned int)rcvbuf)
		rcvbuf = bufsize * 8;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

static int family_id(int fd)
{
	struct nlreq req;
	struct nlattr *na;
	char buf[8192];
	struct nlmsghdr *h;
	ssize_t len;

	memset(&req, 0, sizeof(req));
	na = (struct nlattr *)req.attrs;
	na->nla_type = CTRL_ATTR_FAMILY_NAME;
	na->nla_len = NLA_HDRLEN + sizeof(TCPAO_GENL_NAME);
	memcpy((char *)na + NLA_HDRLEN, TCPAO_GENL_NAME,
	       sizeof(TCPAO_GENL_NAME));
	req.nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(na->nla_len);
	req.nh.nlmsg_type = GENL_ID_CTRL;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = 1;
	req.gh.cmd = CTRL_CMD_GETFAMILY;
	req.gh.version = 1;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		perror("conndump: netlink send");
		return -1;
	}
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < 0) {
		perror("conndump: netlink recv");
		return -1;
	}
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
	     h = NLMSG_NEXT(h, len)) {
		int alen;

		if (h->nlmsg_type == NLMSG_ERROR) {
			fprintf(stderr, "conndump: no generic netlink family %s (tcpao not loaded?)\n",
				TCPAO_GENL_NAME);
			return -1;
		}
		alen = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
		na = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
		for (; alen >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
		       na->nla_len <= alen;
		     alen -= NLA_ALIGN(na->nla_len),
		     na = (struct nlattr *)((char *)na + NLA_ALIGN(na->nla_len)))
			if ((na->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
				return *(uint16_t *)((char *)na + NLA_HDRLEN);
	}
	fprintf(stderr, "conndump: no family id in the reply\n");
	return -1;
}

/* The table's own count of its entries (TCPAO_STATS_A_CONNS), or -1. */
static long long table_count(void)
{
	struct nlreq req;
	char buf[8192];
	struct nlmsghdr *h;
	long long n = -1;
	ssize_t len;
	int fd, fam;

	fd = nl_open(sizeof(buf));
	if (fd < 0)
		return -1;
	fam = family_id(fd);
	if (fam < 0) {
		close(fd);
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req.nh.nlmsg_type = fam;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = 3;
	req.gh.cmd = TCPAO_CMD_STATS_GET;
	req.gh.version = TCPAO_GENL_VERSION;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0 ||
	    (len = recv(fd, buf, sizeof(buf), 0)) < 0) {
		perror("conndump: stats");
		close(fd);
		return -1;
	}
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
	     h = NLMSG_NEXT(h, len)) {
		const struct nlattr *na, *sa;
		int alen, slen;

		if (h->nlmsg_type != fam)
			continue;
		alen = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
		na = (const void *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
		for (; alen >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
		       na->nla_len <= alen;
		     alen -= NLA_ALIGN(na->nla_len),
		     na = (const void *)((const char *)na +
					 NLA_ALIGN(na->nla_len))) {
			if ((na->nla_type & NLA_TYPE_MASK) != TCPAO_A_STATS)
				continue;
			slen = na->nla_len - NLA_HDRLEN;
			sa = (const void *)((const char *)na + NLA_HDRLEN);
			for (; slen >= NLA_HDRLEN && sa->nla_len >= NLA_HDRLEN &&
			       sa->nla_len <= slen;
			     slen -= NLA_ALIGN(sa->nla_len),
			     sa = (const void *)((const char *)sa +
						 NLA_ALIGN(sa->nla_len)))
				if ((sa->nla_type & NLA_TYPE_MASK) ==
				    TCPAO_STATS_A_CONNS &&
				    sa->nla_len == NLA_HDRLEN + 8)
					memcpy(&n, (const char *)sa + NLA_HDRLEN,
					       8);
		}
	}
	close(fd);
	return n;
}

struct dump_res {
	long entries, distinct, repeated, foreign, messages, recvs;
	int interrupted;
	double ms;
};

/* Which generator entry a dumped connection is, or -1. */
static long entry_index(const struct nlattr *conn)
{
	int alen = conn->nla_len - NLA_HDRLEN;
	const struct nlattr *na = (const void *)((const char *)conn +
						 NLA_HDRLEN);
	uint32_t laddr = 0, raddr = 0;
	int lport = -1, rport = -1, family = -1;
	unsigned long hi;

	for (; alen >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
	       na->nla_len <= alen;
	     alen -= NLA_ALIGN(na->nla_len),
	     na = (const void *)((const char *)na + NLA_ALIGN(na->nla_len))) {
		const void *v = (const char *)na + NLA_HDRLEN;

		switch (na->nla_type & NLA_TYPE_MASK) {
		case TCPAO_CONN_A_FAMILY:
			family = *(const uint16_t *)v;
			break;
		case TCPAO_CONN_A_LADDR:
			if (na->nla_len == NLA_HDRLEN + 4)
				memcpy(&laddr, v, 4);
			break;
		case TCPAO_CONN_A_RADDR:
			if (na->nla_len == NLA_HDRLEN + 4)
				memcpy(&raddr, v, 4);
			break;
		case TCPAO_CONN_A_LPORT:
			lport = *(const uint16_t *)v;
			break;
		case TCPAO_CONN_A_RPORT:
			rport = *(const uint16_t *)v;
			break;
		}
	}
	if (family != AF_INET || laddr != src_addr.s_addr || rport != DPORT ||
	    lport < PORT_BASE || lport >= PORT_BASE + PER_ADDR)
		return -1;
	hi = ntohl(raddr) - ntohl(dst_base.s_addr) - 1;
	if (ntohl(raddr) <= ntohl(dst_base.s_addr) || hi >= MAX_ENTRIES / PER_ADDR)
		return -1;
	return hi * PER_ADDR + (lport - PORT_BASE);
}

/*
 * One full dump.  @seen: a byte per generator entry (NULL: only count).
 * Returns 0, or -1 if the dump failed.
 */
static int dump(unsigned int bufsize, unsigned char *seen,
		struct dump_res *r)
{
	static char *buf;
	struct nlreq req;
	double t0;
	int fd, fam, done = 0;
	ssize_t len;

	memset(r, 0, sizeof(*r));
	if (!buf)
		buf = malloc(65536);
	if (!buf)
		return -1;
	fd = nl_open(bufsize);
	if (fd < 0)
		return -1;
	fam = family_id(fd);
	if (fam < 0) {
		close(fd);
		return -1;
	}
	if (seen)
		memset(seen, 0, MAX_ENTRIES);
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req.nh.nlmsg_type = fam;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = 2;
	req.gh.cmd = TCPAO_CMD_CONN_GET;
	req.gh.version = TCPAO_GENL_VERSION;

	t0 = now();
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		perror("conndump: dump request");
		close(fd);
		return -1;
	}
	while (!done) {
		struct nlmsghdr *h;

		len = recv(fd, buf, bufsize, 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			perror("conndump: dump recv");
			close(fd);
			return -1;
		}
		r->recvs++;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			const struct nlattr *na;
			int alen;

			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				r->interrupted = 1;
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				fprintf(stderr, "conndump: dump error: %s\n",
					strerror(-e->error));
				close(fd);
				return -1;
			}
			if (h->nlmsg_type != fam)
				continue;
			r->messages++;
			alen = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			na = (const void *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
			for (; alen >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
			       na->nla_len <= alen;
			     alen -= NLA_ALIGN(na->nla_len),
			     na = (const void *)((const char *)na +
						 NLA_ALIGN(na->nla_len))) {
				long i;

				if ((na->nla_type & NLA_TYPE_MASK) !=
				    TCPAO_A_CONN)
					continue;
				r->entries++;
				if (!seen)
					continue;
				i = entry_index(na);
				if (i < 0)
					r->foreign++;
				else if (seen[i]++)
					r->repeated++;
				else
					r->distinct++;
			}
		}
	}
	r->ms = (now() - t0) * 1000;
	close(fd);
	return 0;
}

static void print_dump(const struct dump_res *r)
{
	printf("\"entries\":%ld,\"distinct\":%ld,\"repeated\":%ld,\"foreign\":%ld,"
	       "\"messages\":%ld,\"recvs\":%ld,\"interrupted\":%d",
	       r->entries, r->distinct, r->repeated, r->foreign, r->messages,
	       r->recvs, r->interrupted);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end)
		usage();
	return v;
}

static void addrs(const char *src, const char *dst)
{
	if (inet_pton(AF_INET, src, &src_addr) != 1 ||
	    inet_pton(AF_INET, dst, &dst_base) != 1)
		usage();
}

static int cmd_syn(int argc, char **argv)
{
	unsigned long from, to;
	long sent, errors;
	double t0;

	if (argc != 5)
		usage();
	addrs(argv[1], argv[2]);
	from = num(argv[3]);
	to = num(argv[4]);
	if (from > to || to > MAX_ENTRIES)
		usage();
	t0 = now();
	sent = send_syns(from, to, &errors);
	if (sent < 0)
		return 1;
	printf("{\"sent\":%ld,\"errors\":%ld,\"seconds\":%.3f}\n", sent,
	       errors, now() - t0);
	return errors ? 1 : 0;
}

static unsigned int opt_bufsize(const char *s)
{
	unsigned long b = num(s);

	if (b < 4096 || b > 65536)
		usage();
	return b;
}

static int cmd_dump(int argc, char **argv)
{
	unsigned int bufsize = 32768;
	unsigned char *seen = NULL;
	struct dump_res r;
	int i = 1;

	if (argc >= 3 && argv[1][0] != '-') {
		addrs(argv[1], argv[2]);
		seen = malloc(MAX_ENTRIES);
		if (!seen)
			return 1;
		i = 3;
	}
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--bufsize") && i + 1 < argc)
			bufsize = opt_bufsize(argv[++i]);
		else
			usage();
	}
	if (dump(bufsize, seen, &r))
		return 1;
	printf("{\"table\":%lld,", table_count());
	print_dump(&r);
	printf(",\"ms\":%.1f}\n", r.ms);
	free(seen);
	return 0;
}

static int cmd_scale(int argc, char **argv)
{
	unsigned long sizes[MAX_SIZES] = { 16384, 32768, 65536 };
	double first_ms = 0, min_ms[MAX_SIZES];
	unsigned int bufsize = 32768, nsizes = 3, reps = 3, s, k;
	unsigned long have = 0;
	unsigned char *seen;
	double t_first = 0;
	int i, rc = 0;

	if (argc < 3)
		usage();
	addrs(argv[1], argv[2]);
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--bufsize") && i + 1 < argc) {
			bufsize = opt_bufsize(argv[++i]);
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = num(argv[++i]);
			if (reps < 1 || reps > 100)
				usage();
		} else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			char *list = argv[++i], *tok, *save = NULL;

			nsizes = 0;
			for (tok = strtok_r(list, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (nsizes == MAX_SIZES)
					usage();
				sizes[nsizes] = num(tok);
				if (!sizes[nsizes] || sizes[nsizes] > MAX_ENTRIES ||
				    (nsizes && sizes[nsizes] <= sizes[nsizes - 1]))
					usage();
				nsizes++;
			}
			if (!nsizes)
				usage();
		} else {
			usage();
		}
	}
	seen = malloc(MAX_ENTRIES);
	if (!seen)
		return 1;

	for (s = 0; s < nsizes; s++) {
		double t0 = now(), create, ms[100];
		unsigned int exact = 0;
		long sent, errors;
		struct dump_res r;

		if (!have)
			t_first = t0;
		sent = send_syns(have, sizes[s], &errors);
		if (sent < 0)
			return 1;
		create = now() - t0;
		have = sizes[s];
		printf("{\"size\":%lu,\"sent\":%ld,\"send_errors\":%ld,"
		       "\"create_s\":%.3f,\"table\":%lld,\"bufsize\":%u,",
		       sizes[s], sent, errors, create, table_count(), bufsize);
		for (k = 0; k < reps; k++) {
			if (dump(bufsize, seen, &r))
				r.ms = -1;
			ms[k] = r.ms;
			/* Every entry once, nothing else, not interrupted. */
			if (r.ms >= 0 && r.entries == (long)sizes[s] &&
			    r.distinct == (long)sizes[s] && !r.interrupted)
				exact++;
		}
		if (exact != reps)
			rc = 1;
		/* The counts of the last repetition. */
		print_dump(&r);
		printf(",\"exact\":%u,\"reps\":%u,\"ms\":[", exact, reps);
		for (k = 0; k < reps; k++)
			printf("%s%.1f", k ? "," : "", ms[k]);
		qsort(ms, reps, sizeof(ms[0]), cmp_double);
		min_ms[s] = ms[0];
		if (!s)
			first_ms = ms[0];
		printf("],\"ms_min\":%.1f,\"ms_median\":%.1f,\"age_s\":%.1f}\n",
		       ms[0], ms[reps / 2], now() - t_first);
	}
	printf("{\"sizes\":%u", nsizes);
	for (s = 1; s < nsizes; s++)
		printf(",\"ratio_%lu\":%.2f", sizes[s],
		       first_ms > 0 ? min_ms[s] / first_ms : -1.0);
	printf("}\n");
	free(seen);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "syn"))
		return cmd_syn(argc - 1, argv + 1);
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(argc - 1, argv + 1);
	if (!strcmp(argv[1], "scale"))
		return cmd_scale(argc - 1, argv + 1);
	usage();
	return 2;
}
