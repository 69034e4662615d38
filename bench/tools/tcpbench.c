// SPDX-License-Identifier: GPL-2.0
/*
 * tcpbench: the one TCP load generator of the tcpao benchmark, so that
 * plain TCP, kernel TCP-MD5 and TCP-AO are measured with the same code.
 *
 *   tcpbench server ADDR PORT [-T THREADS] [MD5]
 *       Accept connections and serve them on THREADS epoll loops.  A
 *       connection's first byte says what it is: 'b' bulk (everything is
 *       read and dropped), 'c' connect/request/response (one byte is sent
 *       back and the server closes first), anything else or nothing: held
 *       open until the peer closes.
 *   tcpbench bulk ADDR PORT [-P STREAMS] [-t SECONDS] [-w WARMUP]
 *                [-s WRITE_SIZE] [-B BYTES] [MD5]
 *       STREAMS connections send as fast as they can; bytes written during
 *       the SECONDS after WARMUP are counted (or, with -B, each stream
 *       sends BYTES and the whole transfer is timed).
 *   tcpbench crr ADDR PORT [-t SECONDS | -n COUNT] [-w WARMUP] [MD5]
 *       Connect, send one byte, read one byte and the server's FIN, close;
 *       again and again.  Reports connections per second and the latency
 *       of connect() (the three-way handshake) and of the whole cycle.
 *   tcpbench lat - PORT -n COUNT [MD5] TARGET...
 *       Handshake latency, interleaved: COUNT connections to each TARGET
 *       ([NETNS@]ADDR: the client socket is made in network namespace
 *       NETNS, /run/netns/NETNS), one target after the other, so that
 *       every target sees the same moments of a noisy machine.  Each
 *       connection is a crr cycle; connect() is timed.
 *   tcpbench hold ADDR PORT -n COUNT [MD5]
 *       Open COUNT idle connections, print the result line, then keep
 *       them open until stdin reaches EOF or a SIGTERM/SIGINT arrives.
 *
 *   MD5 := --md5 KEY [--md5-peer ADDR[/PLEN]]
 *       Kernel TCP-MD5 (RFC 2385, setsockopt TCP_MD5SIG[_EXT]): on the
 *       client's socket for the server's address; on the listener for
 *       --md5-peer (default: every address of the family, /0).
 *   AO := --ao ALG --ao-key KEY --ao-ids SENDID/RECVID
 *         [--ao-peer ADDR[/PLEN]] [--ao-extra N]
 *       Linux's own TCP-AO (RFC 5925, setsockopt TCP_AO_ADD_KEY, kernels
 *       built with CONFIG_TCP_AO), ALG as Linux names it: hmac(sha1) or
 *       cmac(aes128).  One key on the client's socket for the server's
 *       address; on the listener one for --ao-peer (default: every address
 *       of the family, /0) and N more for /32s in 172.16.0.0/12 that no
 *       one uses, as the many peer policies of tcpao's cases are.  lat
 *       takes it per target instead: a TARGET ending in =ALG gets the key
 *       with ALG, the others none.
 *
 * Every client mode prints one JSON object on one line on stdout.
 * Addresses may be IPv4 or IPv6; RLIMIT_NOFILE is raised as far as the
 * kernel lets us.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <linux/tcpao.h>	/* struct tcp_ao_add, as Linux's uapi has it */

#ifndef TCP_MD5SIG_EXT
#define TCP_MD5SIG_EXT 32
#define TCP_MD5SIG_FLAG_PREFIX 0x1
#endif

struct opts {
	const char *addr;
	int port;
	int threads;
	int streams;
	double seconds;
	double warmup;
	size_t wsize;
	long long bytes;
	long count;
	const char *md5_key;
	const char *md5_peer;
	const char *ao_alg;		/* NULL: no TCP-AO on the socket */
	const char *ao_key;
	const char *ao_peer;
	int ao_sndid, ao_rcvid;
	long ao_extra;
	char **targets;
	int ntargets;
};

static struct opts o = {
	.threads = 2,
	.streams = 1,
	.seconds = 5,
	.warmup = 1,
	.wsize = 128 * 1024,
};

static struct sockaddr_storage dst;
static socklen_t dstlen;

static void die(const char *what)
{
	fprintf(stderr, "tcpbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fatal(const char *msg)
{
	fprintf(stderr, "tcpbench: %s\n", msg);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_addr(const char *s, int port, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 0;
	}
	return -1;
}

/* TCP_MD5SIG on @fd: for @peer (ADDR[/PLEN]) or, when NULL, the whole
 * family of @family (a prefix of length 0).
 */
static void set_md5(int fd, int family, const char *peer)
{
	struct tcp_md5sig m;
	socklen_t alen;
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	int plen = 0, name = TCP_MD5SIG;

	if (!o.md5_key)
		return;
	memset(&m, 0, sizeof(m));
	if (strlen(o.md5_key) > TCP_MD5SIG_MAXKEYLEN)
		fatal("MD5 key too long (80 bytes at most)");
	m.tcpm_keylen = strlen(o.md5_key);
	memcpy(m.tcpm_key, o.md5_key, m.tcpm_keylen);
	if (peer) {
		snprintf(buf, sizeof(buf), "%s", peer);
		slash = strchr(buf, '/');
		if (slash) {
			*slash = 0;
			plen = atoi(slash + 1);
			name = TCP_MD5SIG_EXT;
			m.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
			m.tcpm_prefixlen = plen;
		}
		if (parse_addr(buf, 0, &m.tcpm_addr, &alen))
			fatal("bad --md5-peer address");
	} else {
		m.tcpm_addr.ss_family = family;
		name = TCP_MD5SIG_EXT;
		m.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
		m.tcpm_prefixlen = 0;
	}
	if (setsockopt(fd, IPPROTO_TCP, name, &m, sizeof(m)))
		die("setsockopt(TCP_MD5SIG)");
}

static void ao_key(struct tcp_ao_add *a, const struct sockaddr_storage *ss,
		   int prefix)
{
	memset(a, 0, sizeof(*a));
	memcpy(&a->addr, ss, sizeof(*ss));
	snprintf(a->alg_name, sizeof(a->alg_name), "%s", o.ao_alg);
	a->prefix = prefix;
	a->sndid = o.ao_sndid;
	a->rcvid = o.ao_rcvid;
	a->keylen = strlen(o.ao_key);
	memcpy(a->key, o.ao_key, a->keylen);
}

/* TCP_AO_ADD_KEY on @fd: for @peer (ADDR[/PLEN]) or, when NULL, the whole
 * family of @family; on a listener also o.ao_extra keys for addresses no
 * one uses.  Linux charges a listener's keys to its option memory
 * (net.core.optmem_max, which guest.py raises for the many-keys case).
 */
static void set_ao(int fd, int family, const char *peer)
{
	struct sockaddr_storage ss;
	struct tcp_ao_add a;
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	socklen_t alen;
	int plen = 0;
	long i;

	if (!o.ao_alg)
		return;
	if (!o.ao_key || strlen(o.ao_key) > TCP_AO_MAXKEYLEN)
		fatal("--ao needs --ao-key of 80 bytes at most");
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = family;
	if (peer) {
		snprintf(buf, sizeof(buf), "%s", peer);
		slash = strchr(buf, '/');
		if (slash) {
			*slash = 0;
			plen = atoi(slash + 1);
		} else {
			plen = family == AF_INET ? 32 : 128;
		}
		if (parse_addr(buf, 0, &ss, &alen))
			fatal("bad --ao-peer address");
	}
	ao_key(&a, &ss, plen);
	if (setsockopt(fd, IPPROTO_TCP, TCP_AO_ADD_KEY, &a, sizeof(a)))
		die("setsockopt(TCP_AO_ADD_KEY)");
	for (i = 0; i < o.ao_extra; i++) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		if (family != AF_INET)
			fatal("--ao-extra: IPv4 only");
		memset(&ss, 0, sizeof(ss));
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(0xac100000 + (uint32_t)i);
		ao_key(&a, &ss, 32);
		if (setsockopt(fd, IPPROTO_TCP, TCP_AO_ADD_KEY, &a, sizeof(a)))
			die("setsockopt(TCP_AO_ADD_KEY) of an extra key");
	}
}

static void raise_nofile(void)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };

	/* As root this raises the hard limit too (up to fs.nr_open). */
	while (setrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur > 1024)
		rl.rlim_cur = rl.rlim_max = rl.rlim_cur / 2;
}

static int client_socket(void)
{
	int fd = socket(dst.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char a[INET6_ADDRSTRLEN];

	if (fd < 0)
		die("socket");
	/* The client's MD5 or AO key: for the server's address. */
	if (o.md5_key || o.ao_alg) {
		if (dst.ss_family == AF_INET)
			inet_ntop(AF_INET,
				  &((struct sockaddr_in *)&dst)->sin_addr, a,
				  sizeof(a));
		else
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)&dst)->sin6_addr, a,
				  sizeof(a));
		set_md5(fd, dst.ss_family, a);
		set_ao(fd, dst.ss_family, a);
	}
	return fd;
}

static int connect_retry(int fd)
{
	int i;

	/* The server may still be starting: refused is retried for 5 s. */
	for (i = 0; i < 50; i++) {
		if (!connect(fd, (struct sockaddr *)&dst, dstlen))
			return 0;
		if (errno != ECONNREFUSED)
			return -1;
		usleep(100000);
	}
	return -1;
}

/* ---- server ---- */

struct sconn {
	int fd;
	bool typed;
	char type;
};

static int listen_fd;

static void *server_loop(void *arg)
{
	size_t bufsize = 256 * 1024;
	char *buf = malloc(bufsize);
	struct epoll_event ev, evs[64];
	int ep = epoll_create1(EPOLL_CLOEXEC), i, n;

	(void)arg;
	if (!buf || ep < 0)
		die("server setup");
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.ptr = NULL;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev))
		die("epoll_ctl(listener)");

	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			struct sconn *c = evs[i].data.ptr;
			ssize_t r;

			if (!c) {
				int fd;

				while ((fd = accept4(listen_fd, NULL, NULL,
						     SOCK_NONBLOCK |
						     SOCK_CLOEXEC)) >= 0) {
					c = calloc(1, sizeof(*c));
					if (!c)
						die("calloc");
					c->fd = fd;
					ev.events = EPOLLIN;
					ev.data.ptr = c;
					if (epoll_ctl(ep, EPOLL_CTL_ADD, fd,
						      &ev))
						die("epoll_ctl(conn)");
				}
				if (errno != EAGAIN && errno != EWOULDBLOCK &&
				    errno != ECONNABORTED && errno != EINTR)
					perror("tcpbench: accept");
				continue;
			}
			for (;;) {
				r = read(c->fd, buf, bufsize);
				if (r > 0 && !c->typed) {
					c->typed = true;
					c->type = buf[0];
					if (c->type == 'c') {
						/* Reply and close first: the
						 * server keeps the TIME_WAIT,
						 * the client's ports stay free.
						 */
						if (write(c->fd, "c", 1) != 1)
							perror("tcpbench: write");
						r = 0;
					}
				}
				if (r > 0 && (size_t)r == bufsize)
					continue;
				if (r > 0)
					break;
				if (r < 0 && (errno == EAGAIN ||
					      errno == EWOULDBLOCK))
					break;
				if (r < 0 && errno == EINTR)
					continue;
				/* EOF, error, or a 'c' connection done. */
				close(c->fd);
				free(c);
				break;
			}
		}
	}
	return NULL;
}

static int cmd_server(void)
{
	pthread_t *t;
	int one = 1, i;

	listen_fd = socket(dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			   SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		die("socket");
	setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	set_md5(listen_fd, dst.ss_family, o.md5_peer);
	set_ao(listen_fd, dst.ss_family, o.ao_peer);
	if (bind(listen_fd, (struct sockaddr *)&dst, dstlen))
		die("bind");
	if (listen(listen_fd, 4096))
		die("listen");
	t = calloc(o.threads, sizeof(*t));
	for (i = 0; i < o.threads; i++)
		if (pthread_create(&t[i], NULL, server_loop, NULL))
			fatal("pthread_create");
	printf("listening\n");
	fflush(stdout);
	for (i = 0; i < o.threads; i++)
		pthread_join(t[i], NULL);
	return 0;
}

/* ---- bulk ---- */

struct stream {
	pthread_t t;
	_Atomic long long bytes;
	double t_end;
	int err;
};

static atomic_bool stop;
static atomic_int ready;

/* Busy and total jiffies of all CPUs, from /proc/stat. */
static void cpu_jiffies(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int i;

	*busy = *total = 0;
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		   &v[8], &v[9]) >= 4) {
		for (i = 0; i < 8; i++)
			*total += v[i];
		*busy = *total - v[3] - v[4];
	}
	fclose(f);
}

static void *bulk_stream(void *arg)
{
	struct stream *s = arg;
	char *buf = malloc(o.wsize);
	long long left = o.bytes;
	int fd;

	if (!buf)
		die("malloc");
	memset(buf, 0x5a, o.wsize);
	buf[0] = 'b';
	fd = client_socket();
	if (connect_retry(fd)) {
		s->err = errno;
		atomic_fetch_add(&ready, 1);
		return NULL;
	}
	atomic_fetch_add(&ready, 1);
	while (!atomic_load(&stop)) {
		size_t len = o.wsize;
		ssize_t n;

		if (o.bytes) {
			if (left <= 0)
				break;
			if ((long long)len > left)
				len = left;
		}
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			s->err = errno;
			break;
		}
		atomic_fetch_add(&s->bytes, n);
		left -= n;
		buf[0] = 0x5a;
	}
	/* With -B the transfer ends when the receiver has everything. */
	shutdown(fd, SHUT_WR);
	if (o.bytes) {
		char c;

		while (read(fd, &c, 1) > 0)
			;
	}
	s->t_end = now();
	close(fd);
	free(buf);
	return NULL;
}

static int cmd_bulk(void)
{
	struct stream *s = calloc(o.streams, sizeof(*s));
	unsigned long long b0, t0, b1, t1;
	long long sum0 = 0, sum1 = 0;
	double start, end;
	int i, err = 0;

	for (i = 0; i < o.streams; i++)
		if (pthread_create(&s[i].t, NULL, bulk_stream, &s[i]))
			fatal("pthread_create");
	while (atomic_load(&ready) < o.streams)
		usleep(1000);
	if (o.bytes) {
		start = now();
		cpu_jiffies(&b0, &t0);
		for (i = 0; i < o.streams; i++)
			pthread_join(s[i].t, NULL);
		end = start;
		for (i = 0; i < o.streams; i++) {
			sum1 += s[i].bytes;
			if (s[i].t_end > end)
				end = s[i].t_end;
		}
		cpu_jiffies(&b1, &t1);
	} else {
		usleep(o.warmup * 1e6);
		start = now();
		cpu_jiffies(&b0, &t0);
		for (i = 0; i < o.streams; i++)
			sum0 += atomic_load(&s[i].bytes);
		usleep(o.seconds * 1e6);
		for (i = 0; i < o.streams; i++)
			sum1 += atomic_load(&s[i].bytes);
		end = now();
		cpu_jiffies(&b1, &t1);
		atomic_store(&stop, true);
		for (i = 0; i < o.streams; i++)
			pthread_join(s[i].t, NULL);
	}
	for (i = 0; i < o.streams; i++)
		if (s[i].err)
			err = s[i].err;
	printf("{\"mode\":\"bulk\",\"streams\":%d,\"seconds\":%.3f,"
	       "\"bytes\":%lld,\"mbit_s\":%.2f,\"cpu_busy\":%.3f,"
	       "\"error\":%d}\n",
	       o.streams, end - start, sum1 - sum0,
	       (sum1 - sum0) * 8 / (end - start) / 1e6,
	       t1 > t0 ? (double)(b1 - b0) / (t1 - t0) : 0.0, err);
	return err && !(sum1 - sum0) ? 1 : 0;
}

/* ---- connect/request/response ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *v, long n, double p)
{
	long i = (long)(p * (n - 1) + 0.5);

	return n ? v[i] : 0;
}

static void print_dist(const char *key, double *v, long n)
{
	qsort(v, n, sizeof(double), cmp_double);
	printf("\"%s\":{\"n\":%ld,\"min\":%.1f,\"p10\":%.1f,\"p25\":%.1f,"
	       "\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f}", key, n,
	       n ? v[0] : 0, pct(v, n, 0.1), pct(v, n, 0.25), pct(v, n, 0.5),
	       pct(v, n, 0.9), pct(v, n, 0.99));
}

static int cmd_crr(void)
{
	long cap = o.count ? o.count : 1 << 20, n = 0, errors = 0;
	double *hs = malloc(cap * sizeof(double));
	double *cyc = malloc(cap * sizeof(double));
	double start = 0, end, t_conn, t0, t1, wend;
	bool measuring = false;
	char c;

	if (!hs || !cyc)
		die("malloc");
	wend = now() + (o.count ? 0 : o.warmup);
	for (;;) {
		int fd;
		ssize_t r;

		t0 = now();
		if (!measuring && t0 >= wend) {
			measuring = true;
			start = t0;
		}
		if (o.count ? n >= o.count :
		    (measuring && t0 - start >= o.seconds))
			break;
		fd = client_socket();
		if (connect(fd, (struct sockaddr *)&dst, dstlen)) {
			/* A refused or timed out connection counts as an
			 * error; the loop goes on.
			 */
			errors++;
			close(fd);
			if (errors > 100 && errors > n)
				break;
			continue;
		}
		t_conn = now();
		if (write(fd, "c", 1) != 1 || read(fd, &c, 1) != 1) {
			errors++;
			close(fd);
			continue;
		}
		while ((r = read(fd, &c, 1)) > 0)
			;
		close(fd);
		t1 = now();
		if (measuring && n < cap) {
			hs[n] = (t_conn - t0) * 1e6;
			cyc[n] = (t1 - t0) * 1e6;
			n++;
		}
	}
	end = now();
	printf("{\"mode\":\"crr\",\"conns\":%ld,\"errors\":%ld,"
	       "\"seconds\":%.3f,\"conn_s\":%.1f,",
	       n, errors, end - start, n / (end - start));
	print_dist("connect_us", hs, n);
	printf(",");
	print_dist("cycle_us", cyc, n);
	printf("}\n");
	return n ? 0 : 1;
}

/* ---- interleaved handshake latency ---- */

struct target {
	const char *name;
	int nsfd;
	struct sockaddr_storage addr;
	socklen_t len;
	const char *ao_alg;	/* TARGET=ALG */
	double *hs;
	long n, errors;
};

static int cmd_lat(void)
{
	struct target *t = calloc(o.ntargets, sizeof(*t));
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	long i;
	int j, k;

	if (!t || self < 0)
		die("lat setup");
	for (k = 0; k < o.ntargets; k++) {
		char *spec = strdup(o.targets[k]), *at = strchr(spec, '@');
		char *eq = strchr(spec, '=');
		const char *addr = spec;

		t[k].name = o.targets[k];
		if (eq) {
			*eq = 0;
			t[k].ao_alg = eq + 1;
		}
		t[k].nsfd = -1;
		if (at) {
			char path[300];

			*at = 0;
			addr = at + 1;
			snprintf(path, sizeof(path), "/run/netns/%s", spec);
			t[k].nsfd = open(path, O_RDONLY | O_CLOEXEC);
			if (t[k].nsfd < 0)
				die(path);
		}
		if (parse_addr(addr, o.port, &t[k].addr, &t[k].len))
			fatal("bad target address");
		t[k].hs = calloc(o.count, sizeof(double));
		if (!t[k].hs)
			die("calloc");
	}
	for (i = 0; i < o.count; i++) {
		/* Each round starts at the next target: no target always
		 * follows the same one.
		 */
		for (j = 0; j < o.ntargets; j++) {
			double t0, t1;
			char c;
			int fd;

			k = (i + j) % o.ntargets;
			if (setns(t[k].nsfd >= 0 ? t[k].nsfd : self,
				  CLONE_NEWNET))
				die("setns");
			dst = t[k].addr;
			dstlen = t[k].len;
			o.ao_alg = t[k].ao_alg;
			fd = client_socket();
			t0 = now();
			if (connect(fd, (struct sockaddr *)&dst, dstlen)) {
				t[k].errors++;
				close(fd);
				continue;
			}
			t1 = now();
			if (write(fd, "c", 1) != 1 || read(fd, &c, 1) != 1) {
				t[k].errors++;
				close(fd);
				continue;
			}
			while (read(fd, &c, 1) > 0)
				;
			close(fd);
			t[k].hs[t[k].n++] = (t1 - t0) * 1e6;
		}
	}
	printf("{\"mode\":\"lat\",\"targets\":{");
	for (k = 0; k < o.ntargets; k++) {
		printf("%s\"%s\":{\"errors\":%ld,", k ? "," : "", t[k].name,
		       t[k].errors);
		print_dist("connect_us", t[k].hs, t[k].n);
		printf("}");
	}
	printf("}}\n");
	return 0;
}

/* ---- hold ---- */

static void on_signal(int sig)
{
	(void)sig;
}

static int cmd_hold(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int *fds = malloc(o.count * sizeof(int));
	double t0 = now();
	long i;
	char c;

	if (!fds)
		die("malloc");
	for (i = 0; i < o.count; i++) {
		fds[i] = client_socket();
		if (connect_retry(fds[i])) {
			fprintf(stderr, "tcpbench: connection %ld: %s\n", i,
				strerror(errno));
			break;
		}
	}
	printf("{\"mode\":\"hold\",\"conns\":%ld,\"seconds\":%.3f}\n", i,
	       now() - t0);
	fflush(stdout);
	if (i < o.count)
		return 1;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* Until stdin ends or a signal interrupts the read. */
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

static void usage(void)
{
	fputs("usage: tcpbench server|bulk|crr|hold ADDR PORT [options]\n"
	      "       tcpbench lat - PORT -n COUNT [options] [NETNS@]ADDR...\n"
	      "  -T THREADS (server)  -P STREAMS  -t SECONDS  -w WARMUP\n"
	      "  -s WRITE_SIZE  -B BYTES  -n COUNT\n"
	      "  --md5 KEY  --md5-peer ADDR[/PLEN] (server)\n"
	      "  --ao ALG  --ao-key KEY  --ao-ids SENDID/RECVID\n"
	      "  --ao-peer ADDR[/PLEN]  --ao-extra N (server)\n"
	      "  lat targets: [NETNS@]ADDR[=ALG]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode;
	int i;

	if (argc < 4)
		usage();
	mode = argv[1];
	o.addr = argv[2];
	o.port = atoi(argv[3]);
	for (i = 4; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (a[0] != '-') {
			/* lat: the targets close the command line. */
			o.targets = &argv[i];
			o.ntargets = argc - i;
			break;
		}
		if (!v)
			usage();
		if (!strcmp(a, "-T"))
			o.threads = atoi(v);
		else if (!strcmp(a, "-P"))
			o.streams = atoi(v);
		else if (!strcmp(a, "-t"))
			o.seconds = atof(v);
		else if (!strcmp(a, "-w"))
			o.warmup = atof(v);
		else if (!strcmp(a, "-s"))
			o.wsize = strtoul(v, NULL, 0);
		else if (!strcmp(a, "-B"))
			o.bytes = strtoll(v, NULL, 0);
		else if (!strcmp(a, "-n"))
			o.count = atol(v);
		else if (!strcmp(a, "--md5"))
			o.md5_key = v;
		else if (!strcmp(a, "--md5-peer"))
			o.md5_peer = v;
		else if (!strcmp(a, "--ao"))
			o.ao_alg = v;
		else if (!strcmp(a, "--ao-key"))
			o.ao_key = v;
		else if (!strcmp(a, "--ao-peer"))
			o.ao_peer = v;
		else if (!strcmp(a, "--ao-extra"))
			o.ao_extra = atol(v);
		else if (!strcmp(a, "--ao-ids")) {
			if (sscanf(v, "%d/%d", &o.ao_sndid, &o.ao_rcvid) != 2 ||
			    o.ao_sndid < 0 || o.ao_sndid > 255 ||
			    o.ao_rcvid < 0 || o.ao_rcvid > 255)
				usage();
		} else
			usage();
		i++;
	}
	if (!strcmp(mode, "lat")) {
		if (o.count < 1 || o.ntargets < 1)
			usage();
		signal(SIGPIPE, SIG_IGN);
		return cmd_lat();
	}
	if (o.ntargets)
		usage();
	if (parse_addr(o.addr, o.port, &dst, &dstlen))
		fatal("bad address");
	if (o.threads < 1 || o.streams < 1 || o.wsize < 1)
		usage();
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();

	if (!strcmp(mode, "server"))
		return cmd_server();
	if (!strcmp(mode, "bulk"))
		return cmd_bulk();
	if (!strcmp(mode, "crr"))
		return cmd_crr();
	if (!strcmp(mode, "hold")) {
		if (o.count < 1)
			usage();
		return cmd_hold();
	}
	usage();
	return 2;
}
