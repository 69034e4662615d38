// SPDX-License-Identifier: GPL-2.0
/*
 * aoapi: every call of Linux's TCP-AO socket API (TCP_AO_ADD_KEY,
 * TCP_AO_DEL_KEY, TCP_AO_INFO, TCP_AO_GET_KEYS, TCP_AO_REPAIR), with the
 * same expectations whichever implementation answers, so that tcpao's
 * (src/linuxapi.c) is held to Linux's own (net/ipv4/tcp_ao.c).
 *
 *   aoapi native    IPPROTO_TCP calls to the kernel's own TCP-AO
 *   aoapi tcpao     the same calls at tcpao's level (TCPAO_SO_AO_*)
 *   aoapi shim      IPPROTO_TCP calls answered by tcpao: the program runs
 *                   with LD_PRELOAD=libtcpao-compat.so on a kernel without
 *                   TCP-AO
 *
 * It runs in a network namespace of its own (it unshares one: root) over
 * the loopback, IPv4 then IPv6, and prints TAP.  Where tcpao differs from
 * Linux by design (Documentation/linuxapi.rst), the check says so and
 * expects tcpao's documented behaviour when tcpao answers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/tcpao.h>

#ifndef TCP_REPAIR
#define TCP_REPAIR		19
#endif
#ifndef TCP_REPAIR_OFF_NO_WP
#define TCP_REPAIR_OFF_NO_WP	-1
#endif

static bool via_tcpao;		/* calls at tcpao's level */
static bool tcpao_answers;	/* tcpao, directly or through the shim */
static int family;
static const char *fam;		/* "IPv4" / "IPv6", in every description */
static int ntest, nfail;
static unsigned short port = 7000;

static void ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - %s: ", cond ? "" : "not ", ++ntest, fam);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		nfail++;
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void die(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Result of a call: 0 or -errno. */
static int ao_setsockopt(int fd, int opt, const void *v, socklen_t len)
{
	int r;

	if (via_tcpao)
		r = setsockopt(fd, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
			       TCPAO_SO_AO(opt), v, len);
	else
		r = setsockopt(fd, IPPROTO_TCP, opt, v, len);
	return r ? -errno : 0;
}

static int ao_getsockopt(int fd, int opt, void *v, socklen_t *len)
{
	int r;

	if (via_tcpao)
		r = getsockopt(fd, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
			       TCPAO_SO_AO(opt), v, len);
	else
		r = getsockopt(fd, IPPROTO_TCP, opt, v, len);
	return r ? -errno : 0;
}

static const char *ename(int e)
{
	static char buf[32];

	switch (-e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case EBUSY: return "EBUSY";
	case E2BIG: return "E2BIG";
	case EPERM: return "EPERM";
	case EISCONN: return "EISCONN";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	case EKEYREJECTED: return "EKEYREJECTED";
	}
	snprintf(buf, sizeof(buf), "errno %d", -e);
	return buf;
}

/* @got is a call: evaluated once. */
#define is_err(got, want, what) do {					\
	int got_ = (got), want_ = (want);				\
	char w_[32];							\
									\
	snprintf(w_, sizeof(w_), "%s", ename(want_));			\
	ok(got_ == want_, "%s: %s (want %s)", what, ename(got_), w_);	\
} while (0)

/* ---- addresses ---- */

static void addr_of(const char *s, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		inet_pton(AF_INET, s, &sin->sin_addr);
	} else {
		struct sockaddr_in6 *sin6 = (void *)ss;

		sin6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, s, &sin6->sin6_addr);
	}
}

static const char *lo(void)
{
	return family == AF_INET ? "127.0.0.1" : "::1";
}

static const char *other(void)
{
	return family == AF_INET ? "127.0.0.2" : "2001:db8::2";
}

static int plen(void)
{
	return family == AF_INET ? 32 : 128;
}

/* ---- keys ---- */

static void mkkey(struct tcp_ao_add *a, const char *peer, int prefix,
		  int sndid, int rcvid, const char *alg, const char *secret)
{
	memset(a, 0, sizeof(*a));
	if (peer)
		addr_of(peer, (struct sockaddr_storage *)&a->addr);
	else
		a->addr.ss_family = family;
	a->prefix = prefix;
	a->sndid = sndid;
	a->rcvid = rcvid;
	strcpy(a->alg_name, alg ? alg : "hmac(sha1)");
	a->keylen = strlen(secret);
	memcpy(a->key, secret, a->keylen);
}

static int add_key(int fd, const char *peer, int sndid, int rcvid,
		   const char *secret)
{
	struct tcp_ao_add a;

	mkkey(&a, peer, plen(), sndid, rcvid, NULL, secret);
	return ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a));
}

static int del_key(int fd, const char *peer, int sndid, int rcvid,
		   int set_current, int set_rnext)
{
	struct tcp_ao_del d;

	memset(&d, 0, sizeof(d));
	addr_of(peer, (struct sockaddr_storage *)&d.addr);
	d.prefix = plen();
	d.sndid = sndid;
	d.rcvid = rcvid;
	if (set_current >= 0) {
		d.set_current = 1;
		d.current_key = set_current;
	}
	if (set_rnext >= 0) {
		d.set_rnext = 1;
		d.rnext = set_rnext;
	}
	return ao_setsockopt(fd, TCP_AO_DEL_KEY, &d, sizeof(d));
}

static int info(int fd, struct tcp_ao_info_opt *i)
{
	socklen_t len = sizeof(*i);

	memset(i, 0, sizeof(*i));
	return ao_getsockopt(fd, TCP_AO_INFO, i, &len);
}

static int set_info(int fd, int current, int rnext)
{
	struct tcp_ao_info_opt i;

	memset(&i, 0, sizeof(i));
	if (current >= 0) {
		i.set_current = 1;
		i.current_key = current;
	}
	if (rnext >= 0) {
		i.set_rnext = 1;
		i.rnext = rnext;
	}
	return ao_setsockopt(fd, TCP_AO_INFO, &i, sizeof(i));
}

/* All keys (up to @max) into @k; the number of keys, or -errno. */
static int get_keys(int fd, struct tcp_ao_getsockopt *k, int max)
{
	socklen_t len = sizeof(*k);
	int err;

	memset(k, 0, sizeof(*k) * max);
	k[0].nkeys = max;
	k[0].get_all = 1;
	err = ao_getsockopt(fd, TCP_AO_GET_KEYS, k, &len);
	return err ? err : (int)k[0].nkeys;
}

/* The key with these IDs (and for @peer, if given) among @n. */
static struct tcp_ao_getsockopt *find(struct tcp_ao_getsockopt *k, int n,
				      int sndid, int rcvid, const char *peer)
{
	struct sockaddr_storage ss;
	int i;

	if (peer)
		addr_of(peer, &ss);
	for (i = 0; i < n; i++) {
		if (k[i].sndid != sndid || k[i].rcvid != rcvid)
			continue;
		if (peer && memcmp(&k[i].addr, &ss, family == AF_INET ?
				   sizeof(struct sockaddr_in) :
				   sizeof(struct sockaddr_in6)))
			continue;
		return &k[i];
	}
	return NULL;
}

/* ---- sockets ---- */

static int tcp_socket(void)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

static int listener(void)
{
	struct sockaddr_storage ss;
	int fd = tcp_socket(), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	addr_of(lo(), &ss);
	((struct sockaddr_in *)&ss)->sin_port = htons(++port);
	if (bind(fd, (void *)&ss, sizeof(ss)))
		die("bind");
	return fd;
}

static void do_listen(int fd)
{
	if (listen(fd, 8))
		die("listen");
}

/* Connect @fd to @lfd's port within @ms; 0 or -errno. */
static int connect_to(int fd, int lfd, int ms)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int err = 0;

	if (getsockname(lfd, (void *)&ss, &len))
		die("getsockname");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (!connect(fd, (void *)&ss, len))
		return 0;
	if (errno != EINPROGRESS)
		return -errno;
	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	len = sizeof(err);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	return -err;
}

static int accept_one(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -1;
	return accept(lfd, NULL, NULL);
}

/* Send @n bytes each way and read them back: true if all arrived. */
static bool exchange(int a, int b, int n)
{
	char buf[4096];
	int fds[2] = { a, b }, i, got;

	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < 2; i++) {
		int fd = fds[i], peer = fds[!i];
		struct pollfd p = { .fd = peer, .events = POLLIN };

		fcntl(fd, F_SETFL, 0);
		fcntl(peer, F_SETFL, 0);
		if (write(fd, buf, n) != n)
			return false;
		for (got = 0; got < n; ) {
			int r;

			if (poll(&p, 1, 3000) != 1)
				return false;
			r = read(peer, buf, sizeof(buf));
			if (r <= 0)
				return false;
			got += r;
		}
	}
	return true;
}

static long long cnt(int fd, int which)
{
	struct tcp_ao_info_opt i;

	if (info(fd, &i))
		return -1;
	switch (which) {
	case 0: return i.pkt_good;
	case 1: return i.pkt_bad;
	case 2: return i.pkt_key_not_found;
	case 3: return i.pkt_ao_required;
	default: return i.pkt_dropped_icmp;
	}
}

/* ---- the checks ---- */

static void closed_socket(void)
{
	static const unsigned char zeros[TCP_AO_MAXKEYLEN];
	struct tcp_ao_getsockopt k[8], *p;
	struct tcp_ao_info_opt i;
	struct tcp_ao_add a;
	char big[sizeof(a) + 8];
	socklen_t len;
	int fd = tcp_socket(), n, err;

	is_err(info(fd, &i), -ENOENT, "TCP_AO_INFO on a socket without keys");
	is_err(get_keys(fd, k, 8), -ENOENT,
	       "TCP_AO_GET_KEYS on a socket without keys");
	is_err(del_key(fd, lo(), 100, 101, -1, -1), -ENOENT,
	       "TCP_AO_DEL_KEY on a socket without keys");

	is_err(add_key(fd, lo(), 100, 101, "secret-one"), 0,
	       "TCP_AO_ADD_KEY hmac(sha1) 100/101 for the peer");
	is_err(add_key(fd, lo(), 200, 101, "secret-two"), -EEXIST,
	       "a second key with the same RecvID for the same peer");
	is_err(add_key(fd, lo(), 100, 201, "secret-two"), -EEXIST,
	       "a second key with the same SendID for the same peer");
	is_err(add_key(fd, other(), 100, 101, "secret-two"), 0,
	       "the same IDs for another peer");

	mkkey(&a, lo(), plen(), 1, 2, NULL, "x");
	a.reserved2 = 1;
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), -EINVAL,
	       "reserved2 not zero");
	mkkey(&a, lo(), plen() - 8, 1, 2, NULL, "x");
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), -EINVAL,
	       "host bits set beyond the prefix");
	mkkey(&a, lo(), plen(), 1, 2, NULL, "x");
	((struct sockaddr_in *)&a.addr)->sin_port = htons(179);
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), -EINVAL,
	       "a port in the address");
	mkkey(&a, lo(), plen(), 1, 2, NULL, "x");
	a.addr.ss_family = family == AF_INET ? AF_INET6 : AF_INET;
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), -EINVAL,
	       "an address of the other family");
	mkkey(&a, lo(), 0, 1, 2, NULL, "x");
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), -EINVAL,
	       "prefix 0 with an address that is not the any address");
	mkkey(&a, lo(), plen(), 1, 2, NULL, "x");
	a.keyflags = 0x80;
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), -EINVAL,
	       "an unknown key flag");
	mkkey(&a, lo(), plen(), 1, 2, NULL, "x");
	a.ifindex = 1;
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), -EINVAL,
	       "an ifindex without TCP_AO_KEYF_IFINDEX");
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a) - 8), -EINVAL,
	       "a short argument");
	mkkey(&a, lo(), plen(), 1, 2, NULL, "x");
	memset(big, 0, sizeof(big));
	memcpy(big, &a, sizeof(a));
	big[sizeof(a) + 3] = 1;
	/* Linux 6.12 cuts a longer argument to the structure, whatever it
	 * holds beyond (copy_struct_from_sockptr() hands the user copy the
	 * structure's size only).
	 */
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, big, sizeof(big)), 0,
	       "a longer argument, not zeros beyond the structure: cut (key 1/2)");
	big[sizeof(a) + 3] = 0;
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, big, sizeof(big)), -EEXIST,
	       "a longer argument, zeros beyond: key 1/2 again");
	mkkey(&a, lo(), plen(), 110, 111, "cmac(aes128)",
	      "twenty-byte-secret!!");
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), 0,
	       "TCP_AO_ADD_KEY cmac(aes128) with a 20-byte secret (110/111)");

	/* TCP_AO_GET_KEYS */
	memset(k, 0, sizeof(k));
	k[0].nkeys = 1;
	k[0].get_all = 1;
	len = sizeof(k[0]);
	err = ao_getsockopt(fd, TCP_AO_GET_KEYS, k, &len);
	ok(!err && k[0].nkeys == 4 && len == sizeof(k[0]),
	   "TCP_AO_GET_KEYS get_all with room for one: nkeys %u (want 4), optlen %u (want %zu)",
	   k[0].nkeys, len, sizeof(k[0]));
	n = get_keys(fd, k, 8);
	ok(n == 4, "TCP_AO_GET_KEYS get_all: %d keys (want 4)", n);
	ok(n == 4 && k[0].sndid == 110 && k[1].sndid == 1,
	   "keys listed the last added first (%u, %u)", k[0].sndid, k[1].sndid);
	p = find(k, n, 100, 101, lo());
	ok(p && !strcmp(p->alg_name, "hmac(sha1)") && p->maclen == 12 &&
	   p->keylen == 10 && p->prefix == plen() && p->addr.ss_family == family,
	   "key 100/101: hmac(sha1), maclen 12, keylen 10, prefix %d",
	   plen());
	ok(p && (tcpao_answers ? !memcmp(p->key, zeros, sizeof(p->key)) :
		 !memcmp(p->key, "secret-one", 10)),
	   tcpao_answers ?
	   "the secret does not come back (tcpao, documented: zeros)" :
	   "the secret comes back (Linux)");
	p = find(k, n, 110, 111, NULL);
	ok(p && !strcmp(p->alg_name, "cmac(aes)") && p->keylen == 16,
	   "key 110/111: reported as cmac(aes), keylen 16 (the derived key)");
	ok(p && !p->is_current && !p->is_rnext,
	   "a closed socket has no Current_key or RNext_key yet");

	memset(k, 0, sizeof(k));
	addr_of(lo(), (struct sockaddr_storage *)&k[0].addr);
	k[0].prefix = plen();
	k[0].sndid = 100;
	k[0].rcvid = 101;
	k[0].nkeys = 8;
	len = sizeof(k[0]);
	err = ao_getsockopt(fd, TCP_AO_GET_KEYS, k, &len);
	ok(!err && k[0].nkeys == 1 && k[0].sndid == 100,
	   "TCP_AO_GET_KEYS by peer and IDs: %u key(s)", k[0].nkeys);
	memset(k, 0, sizeof(k));
	k[0].get_all = 1;
	k[0].is_current = 1;
	len = sizeof(k[0]);
	is_err(ao_getsockopt(fd, TCP_AO_GET_KEYS, k, &len), -EINVAL,
	       "TCP_AO_GET_KEYS get_all with is_current");
	memset(k, 0, sizeof(k));
	k[0].nkeys = 1;
	len = sizeof(k[0]);
	is_err(ao_getsockopt(fd, TCP_AO_GET_KEYS, k, &len), -EAFNOSUPPORT,
	       "TCP_AO_GET_KEYS with no filter and no address");

	/* Current_key and RNext_key */
	err = info(fd, &i);
	ok(!err && !i.set_current && !i.set_rnext && !i.ao_required,
	   "TCP_AO_INFO: no Current_key, no RNext_key, not ao_required");
	mkkey(&a, lo(), plen(), 120, 121, NULL, "secret-three");
	a.set_current = 1;
	a.set_rnext = 1;
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), 0,
	       "TCP_AO_ADD_KEY 120/121 with set_current and set_rnext");
	err = info(fd, &i);
	ok(!err && i.set_current && i.current_key == 120 && i.set_rnext &&
	   i.rnext == 121, "TCP_AO_INFO: Current_key 120, RNext_key 121");
	is_err(del_key(fd, lo(), 120, 121, -1, -1), -EBUSY,
	       "TCP_AO_DEL_KEY of Current_key");
	is_err(del_key(fd, lo(), 120, 121, 100, 101), 0,
	       "TCP_AO_DEL_KEY of it with set_current 100 and set_rnext 101");
	err = info(fd, &i);
	ok(!err && i.current_key == 100 && i.rnext == 101,
	   "TCP_AO_INFO: Current_key 100, RNext_key 101");
	is_err(del_key(fd, lo(), 120, 121, -1, -1), -ENOENT,
	       "TCP_AO_DEL_KEY of a key that is gone");
	is_err(set_info(fd, 55, -1), -ENOENT,
	       "TCP_AO_INFO set_current to an unknown SendID");
	is_err(set_info(fd, -1, 111), 0, "TCP_AO_INFO set_rnext 111");
	err = info(fd, &i);
	ok(!err && i.current_key == 100 && i.rnext == 111,
	   "TCP_AO_INFO: Current_key 100, RNext_key 111");

	memset(&i, 0, sizeof(i));
	i.ao_required = 1;
	i.accept_icmps = 1;
	i.set_counters = 1;
	i.pkt_good = 5;
	i.pkt_dropped_icmp = 7;
	is_err(ao_setsockopt(fd, TCP_AO_INFO, &i, sizeof(i)), 0,
	       "TCP_AO_INFO ao_required, accept_icmps, set_counters");
	err = info(fd, &i);
	ok(!err && i.ao_required && i.accept_icmps && i.pkt_good == 5 &&
	   i.pkt_dropped_icmp == 7 && i.pkt_bad == 0,
	   "TCP_AO_INFO reads them back");
	memset(&i, 0, sizeof(i));
	i.reserved = 1;
	is_err(ao_setsockopt(fd, TCP_AO_INFO, &i, sizeof(i)), -EINVAL,
	       "TCP_AO_INFO with reserved bits");
	close(fd);

	fd = tcp_socket();
	memset(&i, 0, sizeof(i));
	i.ao_required = 1;
	is_err(ao_setsockopt(fd, TCP_AO_INFO, &i, sizeof(i)), 0,
	       "TCP_AO_INFO before any key");
	err = info(fd, &i);
	ok(!err && i.ao_required, "it holds: ao_required");
	is_err(get_keys(fd, k, 8), 0, "TCP_AO_GET_KEYS: no keys");
	close(fd);
}

static void listening_socket(void)
{
	struct tcp_ao_add a;
	int fd = listener();

	do_listen(fd);
	mkkey(&a, lo(), plen(), 100, 101, NULL, "x");
	a.set_current = 1;
	is_err(ao_setsockopt(fd, TCP_AO_ADD_KEY, &a, sizeof(a)), -EINVAL,
	       "listening socket: TCP_AO_ADD_KEY with set_current");
	is_err(add_key(fd, lo(), 100, 101, "x"), 0,
	       "listening socket: TCP_AO_ADD_KEY");
	is_err(set_info(fd, 100, -1), -EINVAL,
	       "listening socket: TCP_AO_INFO set_current");
	close(fd);
}

static void connection(void)
{
	struct tcp_ao_getsockopt k[8], *p;
	struct tcp_ao_repair r1, r2;
	struct tcp_ao_info_opt i;
	int lfd = listener(), c = tcp_socket(), s, n, err, on = 1, off;
	socklen_t len;
	long long g0, g1;

	/* Server sends with 101, receives 100; the client the reverse. */
	add_key(lfd, lo(), 101, 100, "session-key");
	add_key(lfd, other(), 7, 8, "another-peer");
	do_listen(lfd);
	add_key(c, lo(), 100, 101, "session-key");
	add_key(c, other(), 100, 101, "another-peer");
	is_err(connect_to(c, lfd, 3000), 0, "connect() with TCP-AO");
	s = accept_one(lfd, 3000);
	ok(s >= 0, "accept()");
	if (s < 0)
		return;
	ok(exchange(c, s, 1000), "1000 bytes each way");

	n = get_keys(c, k, 8);
	ok(n == 1 && k[0].sndid == 100 && k[0].is_current && k[0].is_rnext,
	   "client: connect() kept the key for its peer only (%d), Current and RNext",
	   n);
	n = get_keys(s, k, 8);
	ok(n == 1 && k[0].sndid == 101 && k[0].is_current && k[0].is_rnext,
	   "accepted socket: the listener's key for its peer (%d), Current and RNext",
	   n);
	ok(n == 1 && k[0].pkt_good > 0, "accepted socket: key counts good segments (%llu)",
	   n == 1 ? (unsigned long long)k[0].pkt_good : 0ULL);
	ok(cnt(c, 0) > 0 && cnt(s, 0) > 0 && cnt(c, 1) == 0 && cnt(s, 1) == 0,
	   "TCP_AO_INFO: good segments both sides (%lld, %lld), no bad",
	   cnt(c, 0), cnt(s, 0));
	ok(cnt(lfd, 0) > 0, "listener: the SYN counted good (%lld)",
	   cnt(lfd, 0));

	add_key(lfd, lo(), 102, 103, "later");
	n = get_keys(s, k, 8);
	ok(n == 1, "a key added to the listener later does not reach the accepted socket (%d)",
	   n);

	/* Rollover: both add a key, the client asks for it, then the server. */
	is_err(add_key(c, lo(), 103, 102, "rollover"), 0,
	       "client: TCP_AO_ADD_KEY 103/102 on the connection");
	is_err(add_key(s, lo(), 102, 103, "rollover"), 0,
	       "accepted socket: TCP_AO_ADD_KEY 102/103 on the connection");
	is_err(set_info(c, -1, 102), 0, "client: TCP_AO_INFO set_rnext 102");
	g0 = cnt(s, 0);
	ok(exchange(c, s, 100), "traffic after the client's RNextKeyID changed");
	err = info(s, &i);
	ok(!err && i.current_key == 102,
	   "server: Current_key follows the client's RNextKeyID: %u", i.current_key);
	is_err(set_info(s, -1, 103), 0, "server: TCP_AO_INFO set_rnext 103");
	ok(exchange(c, s, 100) && exchange(c, s, 100), "traffic after the server's change");
	err = info(c, &i);
	ok(!err && i.current_key == 103 && i.rnext == 102,
	   "client: Current_key 103, RNext_key 102");
	n = get_keys(s, k, 8);
	p = find(k, n, 102, 103, NULL);
	ok(p && p->pkt_good > 0 && p->is_current,
	   "server: key 102/103 verified segments and is Current_key");
	is_err(del_key(c, lo(), 100, 101, -1, -1), 0,
	       "client: TCP_AO_DEL_KEY of the old key");
	is_err(del_key(s, lo(), 101, 100, -1, -1), 0,
	       "server: TCP_AO_DEL_KEY of the old key");
	g1 = cnt(s, 0);
	ok(exchange(c, s, 100) && cnt(s, 0) > g1 && g1 > g0,
	   "traffic on the new key only");
	is_err(add_key(c, other(), 104, 105, "x"), -EINVAL,
	       "connected socket: TCP_AO_ADD_KEY for another peer");

	/* TCP_AO_REPAIR */
	len = sizeof(r1);
	is_err(ao_getsockopt(c, TCP_AO_REPAIR, &r1, &len), -EPERM,
	       "TCP_AO_REPAIR outside repair mode");
	if (setsockopt(c, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)) ||
	    setsockopt(s, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)))
		die("TCP_REPAIR");
	len = sizeof(r1);
	err = ao_getsockopt(c, TCP_AO_REPAIR, &r1, &len);
	len = sizeof(r2);
	err = err ?: ao_getsockopt(s, TCP_AO_REPAIR, &r2, &len);
	ok(!err && r1.snt_isn == r2.rcv_isn && r1.rcv_isn == r2.snt_isn &&
	   r1.snd_sne == 0 && r1.rcv_sne == 0,
	   "TCP_AO_REPAIR: ISNs that match the peer's, SNEs 0 (%s)", ename(err));
	off = TCP_REPAIR_OFF_NO_WP;
	setsockopt(c, IPPROTO_TCP, TCP_REPAIR, &off, sizeof(off));
	setsockopt(s, IPPROTO_TCP, TCP_REPAIR, &off, sizeof(off));
	close(c);
	close(s);
	close(lfd);

	/* A connection without TCP-AO cannot start using it. */
	lfd = listener();
	do_listen(lfd);
	c = tcp_socket();
	connect_to(c, lfd, 3000);
	s = accept_one(lfd, 3000);
	is_err(add_key(c, lo(), 1, 2, "x"), -EISCONN,
	       "TCP_AO_ADD_KEY on a connection without TCP-AO");
	close(c);
	close(s);
	close(lfd);
}

/* The listener refuses: a counter of its TCP_AO_INFO goes up. */
static void refused(const char *what, const char *secret, int sndid,
		    int rcvid, bool client_key, int counter)
{
	int lfd = listener(), c = tcp_socket(), err;
	long long before;

	add_key(lfd, lo(), 101, 100, "session-key");
	do_listen(lfd);
	if (client_key)
		add_key(c, lo(), sndid, rcvid, secret);
	before = cnt(lfd, counter);
	err = connect_to(c, lfd, 1500);
	ok(err == -ETIMEDOUT, "%s: no connection (%s)", what,
	   err == -ETIMEDOUT ? "timed out" : ename(err));
	ok(cnt(lfd, counter) > before, "%s: the listener counted it (%lld > %lld)",
	   what, cnt(lfd, counter), before);
	close(c);
	close(lfd);
}

static void refusals(void)
{
	int lfd, c, s, err;
	struct tcp_ao_info_opt i;

	refused("a SYN with a wrong MAC", "wrong-secret", 100, 101, true, 1);
	refused("a SYN with an unknown KeyID", "session-key", 99, 101, true,
		2);
	refused("a SYN without TCP-AO from a peer with a key", NULL, 0, 0,
		false, 3);

	/* ao_required: even peers without keys are refused. */
	lfd = listener();
	add_key(lfd, other(), 101, 100, "x");
	memset(&i, 0, sizeof(i));
	i.ao_required = 1;
	ao_setsockopt(lfd, TCP_AO_INFO, &i, sizeof(i));
	do_listen(lfd);
	c = tcp_socket();
	err = connect_to(c, lfd, 1500);
	ok(err == -ETIMEDOUT, "ao_required: a peer without a key gets no connection (%s)",
	   ename(err));
	close(c);
	close(lfd);

	/* Without ao_required, such a peer connects without TCP-AO. */
	lfd = listener();
	add_key(lfd, other(), 101, 100, "x");
	do_listen(lfd);
	c = tcp_socket();
	err = connect_to(c, lfd, 3000);
	s = accept_one(lfd, 3000);
	ok(!err && s >= 0 && exchange(c, s, 100),
	   "a peer none of the listener's keys matches connects without TCP-AO");
	ok(s >= 0 && info(s, &i) == -ENOENT,
	   "its accepted socket has no TCP-AO state");
	close(c);
	if (s >= 0)
		close(s);
	close(lfd);
}

/*
 * Without CAP_NET_ADMIN (a child that became nobody, on sockets made by
 * root): Linux gives any socket keys; tcpao does not (EPERM), as a
 * socket's keys use resources of the whole namespace (its binding limit,
 * its hooks; Documentation/linuxapi.rst).  Neither hands out a
 * connection's ISNs and SNEs: TCP_AO_REPAIR is EPERM, and so is tcpao's
 * own TCPAO_SO_REPAIR.
 */
static void privileges(void)
{
	int lfd = listener(), c = tcp_socket(), t = tcp_socket(), s, st;
	int res[3] = { 1, 1, 1 }, pfd[2];
	struct tcpao_repair tr;
	struct tcp_ao_repair r;
	socklen_t len;
	pid_t pid;

	add_key(lfd, lo(), 101, 100, "session-key");
	do_listen(lfd);
	add_key(c, lo(), 100, 101, "session-key");
	is_err(connect_to(c, lfd, 3000), 0, "connect() with TCP-AO (for nobody)");
	s = accept_one(lfd, 3000);
	ok(s >= 0 && exchange(c, s, 100), "a protected connection (for nobody)");
	if (pipe(pfd))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		res[0] = add_key(t, lo(), 1, 2, "unprivileged");
		len = sizeof(r);
		res[1] = ao_getsockopt(c, TCP_AO_REPAIR, &r, &len);
		len = sizeof(tr);
		res[2] = getsockopt(c, family == AF_INET ? IPPROTO_IP :
				    IPPROTO_IPV6, TCPAO_SO_REPAIR, &tr, &len) ?
			 -errno : 0;
		_exit(write(pfd[1], res, sizeof(res)) == sizeof(res) ? 0 : 2);
	}
	close(pfd[1]);
	if (read(pfd[0], res, sizeof(res)) != sizeof(res) ||
	    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("the unprivileged child");
	close(pfd[0]);
	is_err(res[0], tcpao_answers ? -EPERM : 0,
	       tcpao_answers ? "as nobody: TCP_AO_ADD_KEY refused (tcpao: "
			       "CAP_NET_ADMIN, documented)" :
			       "as nobody: TCP_AO_ADD_KEY");
	is_err(res[1], -EPERM, "as nobody: TCP_AO_REPAIR of a connection");
	if (tcpao_answers)
		is_err(res[2], -EPERM,
		       "as nobody: tcpao's TCPAO_SO_REPAIR of a connection");
	close(t);
	close(c);
	if (s >= 0)
		close(s);
	close(lfd);
}

int main(int argc, char **argv)
{
	int fams[2] = { AF_INET, AF_INET6 }, f, fd;
	struct ifreq ifr = { .ifr_name = "lo" };

	if (argc != 2)
		goto usage;
	if (!strcmp(argv[1], "native")) {
		via_tcpao = tcpao_answers = false;
	} else if (!strcmp(argv[1], "tcpao")) {
		via_tcpao = tcpao_answers = true;
	} else if (!strcmp(argv[1], "shim")) {
		via_tcpao = false;
		tcpao_answers = true;
	} else {
usage:
		fprintf(stderr, "usage: aoapi native|tcpao|shim\n");
		return 2;
	}
	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	if (fd < 0 || ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("bringing lo up");
	close(fd);
	diag("aoapi %s: %s", argv[1], tcpao_answers ?
	     "tcpao answers (its documented differences expected)" :
	     "Linux's own TCP-AO answers");

	for (f = 0; f < 2; f++) {
		family = fams[f];
		fam = family == AF_INET ? "IPv4" : "IPv6";
		closed_socket();
		listening_socket();
		connection();
		refusals();
		privileges();
	}
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
