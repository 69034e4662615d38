// SPDX-License-Identifier: GPL-2.0
/*
 * aopeer: a TCP peer that uses Linux's own TCP-AO (net/ipv4/tcp_ao.c,
 * Linux 6.7 and later), the implementation tcpao did not write, so that the
 * interop scenarios (tests/scenarios/native/) test tcpao against an
 * independent RFC 5925 implementation instead of against itself.
 *
 *   aopeer connect ADDR PORT [OPTIONS]     connect to ADDR PORT
 *   aopeer listen ADDR PORT [OPTIONS]      accept one connection on ADDR PORT
 *   aopeer probe                           exit 0 if this kernel has TCP-AO
 *                                          with hmac(sha1) and cmac(aes128)
 *
 * Keys (MKTs) go on the socket with TCP_AO_ADD_KEY before connect() or
 * listen().  Without --key the peer is a plain TCP peer: the other side of
 * the test, whose TCP-AO tcpao adds from a peer policy.
 *
 *   --key SPEC        an MKT, SPEC comma-separated words:
 *                       send=ID,recv=ID      SendID and RecvID (required)
 *                       alg=ALG              hmac(sha1) (default) or
 *                                            cmac(aes128); tcpao's names
 *                                            hmac-sha-1-96, aes-128-cmac-96
 *                                            are accepted too
 *                       secret=TEXT | secret-hex=HEX | secret-file=PATH
 *                       peer=ADDR[/LEN]      the key's peer (default: the
 *                                            peer address when connecting,
 *                                            any address when listening)
 *                       maclen=N             MAC length (default 12)
 *                       exclude-opt          TCP options excluded from the
 *                                            MAC (default: covered)
 *                       current, rnext       set_current / set_rnext
 *   --required        TCP_AO_INFO ao_required
 *   --local ADDR      source address (connect)
 *   --lport PORT      source port (connect)
 *   --isn SEQ         connect with this initial sequence number, placed
 *                     with TCP_REPAIR / TCP_QUEUE_SEQ (e.g. just below 2^32
 *                     for a sequence number extension wrap)
 *   --send BYTES      bytes to send (a deterministic pseudo-random stream)
 *   --rate BYTES      send at most BYTES per second (a transfer that lasts)
 *   --at WHEN:ACTION  WHEN: bytes=N (payload sent + received), time=EPOCH
 *                     (UNIX time, may have a fraction) or after=SECONDS
 *                     (since the connection was established); ACTION:
 *                     rnext=RECVID, current=SENDID (TCP_AO_INFO),
 *                     del=SENDID/RECVID (TCP_AO_DEL_KEY).  Actions run in
 *                     the order given, each when it is due.  A del= that
 *                     Linux refuses with EBUSY (the key is still Current
 *                     or RNext: the peer has not moved yet) is tried again
 *                     every 50 ms for up to 10 s, as a daemon would.
 *   --follow          when the peer moves our Current_key (its RNextKeyID),
 *                     ask for the same key back: RNext := that key's RecvID
 *   --hold PATH       when the exchange is over and the connection has been
 *                     idle for --quiet-ms, write the report (counters of
 *                     that idle moment), print "quiet" on stderr and wait
 *                     until PATH exists before closing
 *   --quiet-ms MS     idle time before the counters are read (default 1000)
 *   --timeout S       connect or accept timeout (default 20 s)
 *   --deadline S      give up the whole exchange after S seconds (120)
 *   --out FILE        the JSON report to FILE (default stdout)
 *
 * The exchange: each side sends an 8-byte length and then that many bytes,
 * and reads the peer's, at the same time; then each sends the SHA-256 of
 * what it received and compares the peer's with the SHA-256 of what it
 * sent.  Then, at an idle moment, it reads the counters and closes.
 *
 * The report is one JSON object: addresses and ports, the connect/accept
 * result (ok, or the errno name), bytes and hashes both ways, whether the
 * peer confirmed our stream, and with TCP-AO: TCP_AO_INFO (Current_key,
 * RNext_key, the five counters), every MKT from TCP_AO_GET_KEYS (IDs,
 * algorithm, flags, good/bad; never the secret), the ISNs and SNEs from
 * TCP_AO_REPAIR, and every change of Current_key/RNext_key seen while the
 * connection ran; TCP_INFO's segment counts in any case.  A listener also
 * reports the listening socket's TCP_AO_INFO: Linux verifies the SYN (and
 * the ACK that completes the handshake, until the child socket exists)
 * there.  A listener that accepted nothing reports only that.  Exit status 0
 * when the exchange completed and both hashes matched, 1 otherwise, 2 on a
 * usage error.
 *
 * The TCP-AO uAPI (include/uapi/linux/tcp.h of Linux 6.7+, described in
 * Documentation/networking/tcp_ao.rst) is not in Debian 12's
 * linux-libc-dev (6.1): it is declared below unless the installed header
 * has it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/tcp.h>
#include <openssl/evp.h>

#ifndef TCP_AO_ADD_KEY
/* Linux 6.7's TCP-AO socket options (include/uapi/linux/tcp.h). */
#define TCP_AO_ADD_KEY		38
#define TCP_AO_DEL_KEY		39
#define TCP_AO_INFO		40
#define TCP_AO_GET_KEYS		41
#define TCP_AO_REPAIR		42

#define TCP_AO_MAXKEYLEN	80
#define TCP_AO_KEYF_IFINDEX	(1 << 0)
#define TCP_AO_KEYF_EXCLUDE_OPT	(1 << 1)

struct tcp_ao_add {
	struct __kernel_sockaddr_storage addr;
	char	alg_name[64];
	__s32	ifindex;
	__u32	set_current :1,
		set_rnext :1,
		reserved :30;
	__u16	reserved2;
	__u8	prefix;
	__u8	sndid;
	__u8	rcvid;
	__u8	maclen;
	__u8	keyflags;
	__u8	keylen;
	__u8	key[TCP_AO_MAXKEYLEN];
} __attribute__((aligned(8)));

struct tcp_ao_del {
	struct __kernel_sockaddr_storage addr;
	__s32	ifindex;
	__u32	set_current :1,
		set_rnext :1,
		del_async :1,
		reserved :29;
	__u16	reserved2;
	__u8	prefix;
	__u8	sndid;
	__u8	rcvid;
	__u8	current_key;
	__u8	rnext;
	__u8	keyflags;
} __attribute__((aligned(8)));

struct tcp_ao_info_opt {
	__u32	set_current :1,
		set_rnext :1,
		ao_required :1,
		set_counters :1,
		accept_icmps :1,
		reserved :27;
	__u16	reserved2;
	__u8	current_key;
	__u8	rnext;
	__u64	pkt_good;
	__u64	pkt_bad;
	__u64	pkt_key_not_found;
	__u64	pkt_ao_required;
	__u64	pkt_dropped_icmp;
} __attribute__((aligned(8)));

struct tcp_ao_getsockopt {
	struct __kernel_sockaddr_storage addr;
	char	alg_name[64];
	__u8	key[TCP_AO_MAXKEYLEN];
	__u32	nkeys;
	__u16	is_current :1,
		is_rnext :1,
		get_all :1,
		reserved :13;
	__u8	sndid;
	__u8	rcvid;
	__u8	prefix;
	__u8	maclen;
	__u8	keyflags;
	__u8	keylen;
	__s32	ifindex;
	__u64	pkt_good;
	__u64	pkt_bad;
} __attribute__((aligned(8)));

struct tcp_ao_repair {
	__be32	snt_isn;
	__be32	rcv_isn;
	__u32	snd_sne;
	__u32	rcv_sne;
} __attribute__((aligned(8)));
#endif /* TCP_AO_ADD_KEY */

/* Ours or the header's, the structures must have Linux's layout. */
#define ABI(type, size) _Static_assert(sizeof(struct type) == (size), #type)
#define AT(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field)
ABI(tcp_ao_add, 288);
AT(tcp_ao_add, prefix, 202);
AT(tcp_ao_add, key, 208);
ABI(tcp_ao_del, 144);
AT(tcp_ao_del, keyflags, 143);
ABI(tcp_ao_info_opt, 48);
AT(tcp_ao_info_opt, pkt_good, 8);
ABI(tcp_ao_getsockopt, 304);
AT(tcp_ao_getsockopt, nkeys, 272);
AT(tcp_ao_getsockopt, sndid, 278);
AT(tcp_ao_getsockopt, ifindex, 284);
ABI(tcp_ao_repair, 16);

#define MAX_KEYS	16
#define MAX_ACTIONS	16
#define MAX_EVENTS	64
#define CHUNK		(64 * 1024)

struct key {
	struct tcp_ao_add add;
};

enum when { W_BYTES, W_TIME, W_AFTER };

/* del= on a key still in use (EBUSY) is tried again, for up to 10 s. */
#define DEL_RETRY_S	0.05
#define DEL_RETRIES	200
enum what { A_RNEXT, A_CURRENT, A_DEL };

struct action {
	enum when when;
	uint64_t bytes;
	double t;
	enum what what;
	int id, id2;
	bool done;
	int err;	/* 0 or the errno of the socket option */
	double at;	/* when it was done */
	int busy;	/* del= answered EBUSY this many times */
};

struct event {
	double t;
	int current, rnext;
	bool by_us;
};

static struct {
	bool listen;
	const char *addr, *local;
	unsigned int port, lport;
	bool have_isn;
	uint32_t isn;
	uint64_t send;
	uint64_t rate;
	bool required, follow;
	const char *hold, *out;
	unsigned int quiet_ms, timeout, deadline;
} opt = { .quiet_ms = 1000, .timeout = 20, .deadline = 120 };

static struct key keys[MAX_KEYS];
static int nkeys;
static struct action actions[MAX_ACTIONS];
static int nactions;
static struct event events[MAX_EVENTS];
static int nevents, events_dropped;
static int family;
static FILE *out;

static void usage(void)
{
	fprintf(stderr,
		"usage: aopeer connect|listen ADDR PORT [--key SPEC]... [--required]\n"
		"              [--local ADDR] [--lport PORT] [--isn SEQ] [--send BYTES]\n"
		"              [--rate BYTES] [--at WHEN:ACTION]... [--follow]\n"
		"              [--hold PATH] [--quiet-ms MS] [--timeout S]\n"
		"              [--deadline S] [--out FILE]\n"
		"(see the comment at the top of tests/tools/aopeer.c)\n");
	exit(2);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "aopeer: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long num(const char *s, unsigned long max, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max)
		die("bad %s: '%s'", what, s);
	return v;
}

/* --- Addresses -------------------------------------------------------------- */

static int parse_addr(const char *s, struct sockaddr_storage *ss, unsigned int port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return AF_INET6;
	}
	die("not an IPv4 or IPv6 address: '%s'", s);
	return 0;
}

static socklen_t sa_len(int fam)
{
	return fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

static void sa_str(const struct sockaddr_storage *ss, char *buf, size_t len,
		   unsigned int *port)
{
	const struct sockaddr_in *sin = (const void *)ss;
	const struct sockaddr_in6 *sin6 = (const void *)ss;

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, buf, len);
		*port = ntohs(sin->sin_port);
	} else {
		inet_ntop(AF_INET6, &sin6->sin6_addr, buf, len);
		*port = ntohs(sin6->sin6_port);
	}
}

/* --- Keys ----------------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void key_secret(struct tcp_ao_add *a, const char *kind, const char *v)
{
	size_t n = 0;

	if (!strcmp(kind, "secret")) {
		n = strlen(v);
		if (n > TCP_AO_MAXKEYLEN)
			die("secret longer than %d bytes", TCP_AO_MAXKEYLEN);
		memcpy(a->key, v, n);
	} else if (!strcmp(kind, "secret-hex")) {
		if (!strncmp(v, "0x", 2))
			v += 2;
		if (strlen(v) % 2 || strlen(v) / 2 > TCP_AO_MAXKEYLEN)
			die("bad secret-hex");
		for (; v[n * 2]; n++) {
			int hi = hexval(v[n * 2]), lo = hexval(v[n * 2 + 1]);

			if (hi < 0 || lo < 0)
				die("bad secret-hex");
			a->key[n] = hi << 4 | lo;
		}
	} else {
		FILE *f = fopen(v, "r");

		if (!f)
			die("%s: %s", v, strerror(errno));
		n = fread(a->key, 1, TCP_AO_MAXKEYLEN, f);
		if (fgetc(f) != EOF)
			die("%s: secret longer than %d bytes", v, TCP_AO_MAXKEYLEN);
		fclose(f);
	}
	if (!n)
		die("empty secret");
	a->keylen = n;
}

/* Key specs are parsed once the peer's family is known (see main). */
static const char *key_specs[MAX_KEYS];

static void parse_key(const char *spec, struct tcp_ao_add *a)
{
	char *s = strdup(spec), *save = NULL, *w;
	bool have_snd = false, have_rcv = false, have_peer = false, have_secret = false;

	if (!s)
		die("out of memory");
	memset(a, 0, sizeof(*a));
	strcpy(a->alg_name, "hmac(sha1)");
	for (w = strtok_r(s, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		char *v = strchr(w, '=');

		if (v)
			*v++ = '\0';
		if (!strcmp(w, "send") && v) {
			a->sndid = num(v, 255, "send id");
			have_snd = true;
		} else if (!strcmp(w, "recv") && v) {
			a->rcvid = num(v, 255, "recv id");
			have_rcv = true;
		} else if (!strcmp(w, "alg") && v) {
			if (!strcmp(v, "hmac-sha-1-96") || !strcmp(v, "hmac(sha1)"))
				strcpy(a->alg_name, "hmac(sha1)");
			else if (!strcmp(v, "aes-128-cmac-96") || !strcmp(v, "cmac(aes128)"))
				strcpy(a->alg_name, "cmac(aes128)");
			else if (strlen(v) < sizeof(a->alg_name))
				strcpy(a->alg_name, v);	/* the kernel judges */
			else
				die("bad alg '%s'", v);
		} else if ((!strcmp(w, "secret") || !strcmp(w, "secret-hex") ||
			    !strcmp(w, "secret-file")) && v) {
			key_secret(a, w, v);
			have_secret = true;
		} else if (!strcmp(w, "peer") && v) {
			char *slash = strchr(v, '/');
			int fam;

			if (slash)
				*slash++ = '\0';
			fam = parse_addr(v, (struct sockaddr_storage *)&a->addr, 0);
			a->prefix = slash ? num(slash, fam == AF_INET ? 32 : 128, "prefix")
					  : (fam == AF_INET ? 32 : 128);
			have_peer = true;
		} else if (!strcmp(w, "maclen") && v) {
			a->maclen = num(v, 255, "maclen");
		} else if (!strcmp(w, "exclude-opt") && !v) {
			a->keyflags |= TCP_AO_KEYF_EXCLUDE_OPT;
		} else if (!strcmp(w, "current") && !v) {
			a->set_current = 1;
		} else if (!strcmp(w, "rnext") && !v) {
			a->set_rnext = 1;
		} else {
			die("bad key word '%s'", w);
		}
	}
	if (!have_snd || !have_rcv || !have_secret)
		die("a key needs send=, recv= and a secret: '%s'", spec);
	if (!have_peer) {
		if (opt.listen) {
			/* Any peer of the socket's family: address 0, prefix 0. */
			a->addr.ss_family = family;
			a->prefix = 0;
		} else {
			parse_addr(opt.addr, (struct sockaddr_storage *)&a->addr, 0);
			a->prefix = family == AF_INET ? 32 : 128;
		}
	}
	if (a->addr.ss_family != family)
		die("key '%s': peer of another family than the socket", spec);
	if (!a->maclen)
		a->maclen = 12;
	free(s);
}

static int find_key(int sndid, int rcvid)
{
	int i;

	for (i = 0; i < nkeys; i++)
		if ((sndid < 0 || keys[i].add.sndid == sndid) &&
		    (rcvid < 0 || keys[i].add.rcvid == rcvid))
			return i;
	return -1;
}

static void add_keys(int fd)
{
	int i;

	for (i = 0; i < nkeys; i++)
		if (setsockopt(fd, IPPROTO_TCP, TCP_AO_ADD_KEY, &keys[i].add,
			       sizeof(keys[i].add)))
			die("TCP_AO_ADD_KEY (send %u recv %u %s): %s",
			    keys[i].add.sndid, keys[i].add.rcvid,
			    keys[i].add.alg_name, strerror(errno));
	if (opt.required) {
		struct tcp_ao_info_opt info = { .ao_required = 1 };

		if (setsockopt(fd, IPPROTO_TCP, TCP_AO_INFO, &info, sizeof(info)))
			die("TCP_AO_INFO ao_required: %s", strerror(errno));
	}
}

static int ao_info(int fd, struct tcp_ao_info_opt *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return getsockopt(fd, IPPROTO_TCP, TCP_AO_INFO, info, &len);
}

/*
 * TCP_AO_INFO replaces ao_required and accept_icmps with what it is given:
 * read them first and hand them back unchanged.
 */
static int ao_set(int fd, int current, int rnext)
{
	struct tcp_ao_info_opt info, set;

	if (ao_info(fd, &info))
		return errno;
	memset(&set, 0, sizeof(set));
	set.ao_required = info.ao_required;
	set.accept_icmps = info.accept_icmps;
	if (current >= 0) {
		set.set_current = 1;
		set.current_key = current;
	}
	if (rnext >= 0) {
		set.set_rnext = 1;
		set.rnext = rnext;
	}
	return setsockopt(fd, IPPROTO_TCP, TCP_AO_INFO, &set, sizeof(set)) ? errno : 0;
}

static int ao_del(int fd, int sndid, int rcvid)
{
	struct tcp_ao_del del;
	int i = find_key(sndid, rcvid);

	if (i < 0)
		return ENOENT;
	memset(&del, 0, sizeof(del));
	del.addr = keys[i].add.addr;
	del.prefix = keys[i].add.prefix;
	del.sndid = sndid;
	del.rcvid = rcvid;
	del.keyflags = keys[i].add.keyflags & TCP_AO_KEYF_IFINDEX;
	return setsockopt(fd, IPPROTO_TCP, TCP_AO_DEL_KEY, &del, sizeof(del)) ? errno : 0;
}

/* --- The data: xorshift64* streams, one per direction ----------------------- */

struct stream {
	uint64_t state;
	uint64_t pos;		/* bytes produced or consumed */
	unsigned char word[8];	/* the current word of the stream */
	unsigned int left;	/* its bytes not used yet */
	EVP_MD_CTX *md;
	unsigned char digest[32];
};

static void stream_init(struct stream *st, uint64_t seed)
{
	st->state = seed * 0x9e3779b97f4a7c15ULL + 1;
	st->pos = 0;
	st->left = 0;
	st->md = EVP_MD_CTX_new();
	if (!st->md || !EVP_DigestInit_ex(st->md, EVP_sha256(), NULL))
		die("EVP_DigestInit_ex failed");
}

static void stream_fill(struct stream *st, unsigned char *buf, size_t len)
{
	size_t i;

	/* Byte by byte from 8-byte words: any split of the stream gives the same bytes. */
	for (i = 0; i < len; i++) {
		if (!st->left) {
			uint64_t x = st->state;

			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			st->state = x;
			x *= 0x2545f4914f6cdd1dULL;
			memcpy(st->word, &x, 8);
			st->left = 8;
		}
		buf[i] = st->word[8 - st->left--];
	}
}

static void stream_hash(struct stream *st, const unsigned char *buf, size_t len)
{
	if (!EVP_DigestUpdate(st->md, buf, len))
		die("EVP_DigestUpdate failed");
	st->pos += len;
}

static void stream_final(struct stream *st)
{
	unsigned int n = sizeof(st->digest);

	if (!EVP_DigestFinal_ex(st->md, st->digest, &n))
		die("EVP_DigestFinal_ex failed");
	EVP_MD_CTX_free(st->md);
	st->md = NULL;
}

static void hex(char *dst, const unsigned char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(dst + 2 * i, "%02x", src[i]);
}

/* --- Events and actions ----------------------------------------------------- */

static int last_current = -1, last_rnext = -1;
static double established_at;

static void record(int fd, bool by_us)
{
	struct tcp_ao_info_opt info;

	if (!nkeys || ao_info(fd, &info))
		return;
	if (info.current_key == last_current && info.rnext == last_rnext)
		return;
	if (last_current >= 0 && !by_us && info.current_key != last_current &&
	    opt.follow) {
		/* The peer asked for another key: ask for the same one back. */
		int k = find_key(info.current_key, -1);

		if (k >= 0 && keys[k].add.rcvid != info.rnext) {
			int err = ao_set(fd, -1, keys[k].add.rcvid);

			if (err)
				fprintf(stderr, "aopeer: follow: rnext %u: %s\n",
					keys[k].add.rcvid, strerror(err));
			else
				info.rnext = keys[k].add.rcvid;
		}
	}
	if (nevents < MAX_EVENTS) {
		events[nevents].t = now();
		events[nevents].current = info.current_key;
		events[nevents].rnext = info.rnext;
		events[nevents].by_us = by_us;
		nevents++;
	} else {
		events_dropped++;
	}
	last_current = info.current_key;
	last_rnext = info.rnext;
}

static uint64_t done_bytes;

/* A del= that found its key in use and waits to try again. */
static bool del_waiting(void)
{
	int i;

	for (i = 0; i < nactions; i++)
		if (!actions[i].done && actions[i].busy)
			return true;
	return false;
}

/* Seconds until the next timed action (-1: none). */
static double run_actions(int fd)
{
	double next = -1, t = now();
	int i;

	for (i = 0; i < nactions; i++) {
		struct action *a = &actions[i];
		double due = a->when == W_TIME ? a->t :
			     a->when == W_AFTER ? established_at + a->t : 0;
		bool go;

		if (a->done)
			continue;
		go = a->when == W_BYTES ? done_bytes >= a->bytes : t >= due;
		if (!go) {
			if (a->when != W_BYTES && (next < 0 || due - t < next))
				next = due - t;
			continue;
		}
		/* In order: a later action waits for the earlier ones. */
		if (i > 0 && !actions[i - 1].done)
			continue;
		a->done = true;
		a->at = t;
		if (a->what == A_RNEXT)
			a->err = ao_set(fd, -1, a->id);
		else if (a->what == A_CURRENT)
			a->err = ao_set(fd, a->id, -1);
		else
			a->err = ao_del(fd, a->id, a->id2);
		if (a->err == EBUSY && a->what == A_DEL && a->busy < DEL_RETRIES) {
			/*
			 * The key is still Current_key or RNext_key: the peer
			 * has not moved to the new one yet.  A daemon waits for
			 * that, and so do we.
			 */
			a->busy++;
			a->done = false;
			if (next < 0 || next > DEL_RETRY_S)
				next = DEL_RETRY_S;
			continue;
		}
		if (a->err)
			fprintf(stderr, "aopeer: action %d: %s\n", i, strerror(a->err));
		record(fd, true);
	}
	return next;
}

static void parse_action(const char *when, const char *what)
{
	struct action *a;
	const char *v;

	if (nactions == MAX_ACTIONS)
		die("too many --at");
	a = &actions[nactions++];
	memset(a, 0, sizeof(*a));
	if (!strncmp(when, "bytes=", 6)) {
		a->when = W_BYTES;
		a->bytes = num(when + 6, ULONG_MAX, "bytes");
	} else if (!strncmp(when, "time=", 5) || !strncmp(when, "after=", 6)) {
		char *end;

		a->when = when[0] == 't' ? W_TIME : W_AFTER;
		v = strchr(when, '=') + 1;
		a->t = strtod(v, &end);
		if (end == v || *end)
			die("bad time '%s'", when);
	} else {
		die("bad WHEN '%s' (bytes=N, time=EPOCH, after=SECONDS)", when);
	}
	if (!strncmp(what, "rnext=", 6)) {
		a->what = A_RNEXT;
		a->id = num(what + 6, 255, "rnext");
	} else if (!strncmp(what, "current=", 8)) {
		a->what = A_CURRENT;
		a->id = num(what + 8, 255, "current");
	} else if (!strncmp(what, "del=", 4)) {
		char buf[32], *slash;

		snprintf(buf, sizeof(buf), "%s", what + 4);
		slash = strchr(buf, '/');
		if (!slash)
			die("bad del '%s' (del=SENDID/RECVID)", what);
		*slash++ = '\0';
		a->what = A_DEL;
		a->id = num(buf, 255, "send id");
		a->id2 = num(slash, 255, "recv id");
	} else {
		die("bad ACTION '%s' (rnext=ID, current=ID, del=SEND/RECV)", what);
	}
}

/* --- Connection set-up ------------------------------------------------------ */

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECONNRESET: return "ECONNRESET";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENETUNREACH: return "ENETUNREACH";
	case EPIPE: return "EPIPE";
	default: return strerrorname_np(e) ? strerrorname_np(e) : "error";
	}
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		die("fcntl: %s", strerror(errno));
}

/* Returns 0 or the errno of the failed connect. */
static int do_connect(int fd, const struct sockaddr_storage *peer)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0, n;

	if (opt.local || opt.lport) {
		struct sockaddr_storage ls;

		if (opt.local) {
			if (parse_addr(opt.local, &ls, opt.lport) != family)
				die("--local: another family than the peer");
		} else {
			memset(&ls, 0, sizeof(ls));
			ls.ss_family = family;
			((struct sockaddr_in *)&ls)->sin_port = htons(opt.lport);
			if (family == AF_INET6)
				((struct sockaddr_in6 *)&ls)->sin6_port = htons(opt.lport);
		}
		if (bind(fd, (struct sockaddr *)&ls, sa_len(family)))
			die("bind: %s", strerror(errno));
	}
	if (opt.have_isn) {
		/*
		 * Linux keeps a write_seq set in repair mode while the socket
		 * is closed: connect() then uses it as the ISN (tcp_v4_connect
		 * picks one only when write_seq is 0).
		 */
		int on = TCP_REPAIR_ON, off = TCP_REPAIR_OFF_NO_WP, q = TCP_SEND_QUEUE;

		if (!opt.isn)
			die("--isn must not be 0 (0 means: choose one)");
		if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)) ||
		    setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) ||
		    setsockopt(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &opt.isn, sizeof(opt.isn)) ||
		    setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &off, sizeof(off)))
			die("placing the ISN with TCP_REPAIR: %s", strerror(errno));
	}
	set_nonblock(fd);
	if (!connect(fd, (const struct sockaddr *)peer, sa_len(family)))
		return 0;
	if (errno != EINPROGRESS)
		return errno;
	n = poll(&p, 1, opt.timeout * 1000);
	if (n < 0)
		die("poll: %s", strerror(errno));
	if (n == 0)
		return ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		die("SO_ERROR: %s", strerror(errno));
	return err;
}

/* Returns the accepted socket, or -1 with *err set. */
static int do_listen(int fd, const struct sockaddr_storage *local, int *err)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int one = 1, c, n;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)local, sa_len(family)))
		die("bind: %s", strerror(errno));
	if (listen(fd, 8))
		die("listen: %s", strerror(errno));
	fprintf(stderr, "listening\n");
	n = poll(&p, 1, opt.timeout * 1000);
	if (n < 0)
		die("poll: %s", strerror(errno));
	if (n == 0) {
		*err = ETIMEDOUT;
		return -1;
	}
	c = accept(fd, NULL, NULL);
	if (c < 0) {
		*err = errno;
		return -1;
	}
	set_nonblock(c);
	*err = 0;
	return c;
}

/* --- The exchange ----------------------------------------------------------- */

struct xfer {
	struct stream tx, rx;
	unsigned char hdr_out[8], hdr_in[8];
	unsigned int hdr_out_n, hdr_in_n;
	uint64_t rx_total;		/* announced by the peer */
	unsigned char buf[CHUNK];	/* produced, not yet all sent */
	size_t buf_len, buf_off;
	unsigned char dig_in[32];
	unsigned int dig_out_n, dig_in_n;
	bool tx_over, rx_over;		/* data (not the digests) done */
	bool eof;
	int err;			/* errno of a failed send/recv */
	const char *fail;		/* what went wrong */
};

static void put64(unsigned char *b, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = v & 0xff;
}

static uint64_t get64(const unsigned char *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static bool again(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

/* Whether the sending side has something to send now. */
static bool tx_ready(const struct xfer *x, double start)
{
	if (x->hdr_out_n < 8 || x->buf_off < x->buf_len)
		return true;
	if (x->tx.pos < opt.send)
		return !opt.rate || (mono() - start) * opt.rate > x->tx.pos;
	/* Our digest of what we received, once all of it arrived. */
	return x->rx_over && x->dig_out_n < 32;
}

/* One non-blocking step of sending; false on a hard error. */
static bool tx_step(int fd, struct xfer *x, double start)
{
	const unsigned char *p;
	size_t len;
	ssize_t n;

	if (x->hdr_out_n < 8) {
		p = x->hdr_out + x->hdr_out_n;
		len = 8 - x->hdr_out_n;
	} else if (x->buf_off < x->buf_len || x->tx.pos < opt.send) {
		if (x->buf_off == x->buf_len) {
			/* Produce (and hash) the next chunk, within the rate. */
			len = opt.send - x->tx.pos < CHUNK ? opt.send - x->tx.pos : CHUNK;
			if (opt.rate) {
				double allowed = (mono() - start) * opt.rate - x->tx.pos;

				if (allowed < 1)
					return true;
				if (allowed < len)
					len = allowed;
			}
			stream_fill(&x->tx, x->buf, len);
			stream_hash(&x->tx, x->buf, len);
			x->buf_len = len;
			x->buf_off = 0;
			if (x->tx.pos == opt.send)
				stream_final(&x->tx);
		}
		p = x->buf + x->buf_off;
		len = x->buf_len - x->buf_off;
	} else if (x->rx_over && x->dig_out_n < 32) {
		p = x->rx.digest + x->dig_out_n;
		len = 32 - x->dig_out_n;
	} else {
		return true;
	}
	n = send(fd, p, len, MSG_NOSIGNAL);
	if (n < 0) {
		if (again())
			return true;
		x->err = errno;
		x->fail = "send";
		return false;
	}
	if (x->hdr_out_n < 8) {
		x->hdr_out_n += n;
	} else if (x->buf_off < x->buf_len) {
		x->buf_off += n;
		done_bytes += n;
		if (x->buf_off == x->buf_len && x->tx.pos == opt.send)
			x->tx_over = true;
	} else {
		x->dig_out_n += n;
	}
	return true;
}

/* One non-blocking step of receiving; false on a hard error or early EOF. */
static bool rx_step(int fd, struct xfer *x)
{
	static unsigned char buf[CHUNK];
	ssize_t n;
	size_t len;

	if (x->hdr_in_n < 8)
		len = 8 - x->hdr_in_n;
	else if (!x->rx_over)
		len = x->rx_total - x->rx.pos < CHUNK ? x->rx_total - x->rx.pos : CHUNK;
	else if (x->dig_in_n < 32)
		len = 32 - x->dig_in_n;
	else
		len = 1;	/* nothing more is expected: only EOF */
	n = recv(fd, buf, len, 0);
	if (n < 0) {
		if (again())
			return true;
		x->err = errno;
		x->fail = "recv";
		return false;
	}
	if (n == 0) {
		x->eof = true;
		if (x->dig_in_n == 32)
			return true;
		x->fail = "early EOF";
		return false;
	}
	if (x->hdr_in_n < 8) {
		memcpy(x->hdr_in + x->hdr_in_n, buf, n);
		x->hdr_in_n += n;
		if (x->hdr_in_n == 8) {
			x->rx_total = get64(x->hdr_in);
			if (!x->rx_total) {
				stream_final(&x->rx);
				x->rx_over = true;
			}
		}
	} else if (!x->rx_over) {
		unsigned char want[CHUNK];

		/* The peer's stream is known: check it as it comes. */
		stream_fill(&x->rx, want, n);
		if (memcmp(want, buf, n) && !x->fail)
			x->fail = "received data differs from the peer's stream";
		stream_hash(&x->rx, buf, n);
		done_bytes += n;
		if (x->rx.pos == x->rx_total) {
			stream_final(&x->rx);
			x->rx_over = true;
		}
	} else if (x->dig_in_n < 32) {
		memcpy(x->dig_in + x->dig_in_n, buf, n);
		x->dig_in_n += n;
	} else {
		x->fail = "data after the digest";
		return false;
	}
	return true;
}

static bool exchange(int fd, struct xfer *x, uint64_t seed_tx, uint64_t seed_rx)
{
	double start = mono(), end = start + opt.deadline;

	stream_init(&x->tx, seed_tx);
	stream_init(&x->rx, seed_rx);
	put64(x->hdr_out, opt.send);
	if (!opt.send)
		stream_final(&x->tx), x->tx_over = true;
	while (!(x->tx_over && x->rx_over && x->dig_out_n == 32 && x->dig_in_n == 32)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double t = run_actions(fd), m;
		int ms = 100, n;

		if (x->fail)
			return false;
		m = mono();
		if (m > end) {
			x->fail = "deadline";
			return false;
		}
		if (tx_ready(x, start))
			p.events |= POLLOUT;
		else if (opt.rate && x->tx.pos < opt.send)
			ms = 10;
		if (t >= 0 && t * 1000 < ms)
			ms = t * 1000 + 1;
		n = poll(&p, 1, ms);
		if (n < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (n > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP)) && !rx_step(fd, x))
			return false;
		if (n > 0 && (p.revents & POLLOUT) && !tx_step(fd, x, start))
			return false;
		record(fd, false);
	}
	/* Actions still due (a del= waiting for the peer's move), 10 s at most. */
	while (run_actions(fd) >= 0 && del_waiting() && mono() < end) {
		struct pollfd p = { .fd = fd, .events = 0 };

		poll(&p, 1, DEL_RETRY_S * 1000);
		record(fd, false);
	}
	return !x->fail;
}

/* --- The report --------------------------------------------------------------- */

static void json_ao(int fd, const char *name)
{
	struct tcp_ao_info_opt info;

	if (ao_info(fd, &info)) {
		fprintf(out, ",\"%s\":{\"error\":\"%s\"}", name, errname(errno));
		return;
	}
	fprintf(out, ",\"%s\":{\"current_key\":%u,\"rnext\":%u,\"ao_required\":%s,"
		"\"accept_icmps\":%s,\"pkt_good\":%" PRIu64 ",\"pkt_bad\":%" PRIu64
		",\"pkt_key_not_found\":%" PRIu64 ",\"pkt_ao_required\":%" PRIu64
		",\"pkt_dropped_icmp\":%" PRIu64 "}", name,
		info.current_key, info.rnext, info.ao_required ? "true" : "false",
		info.accept_icmps ? "true" : "false",
		(uint64_t)info.pkt_good, (uint64_t)info.pkt_bad,
		(uint64_t)info.pkt_key_not_found, (uint64_t)info.pkt_ao_required,
		(uint64_t)info.pkt_dropped_icmp);
}

static void json_keys(int fd)
{
	struct tcp_ao_getsockopt k[MAX_KEYS];
	socklen_t len = sizeof(k[0]);
	unsigned int i, n;

	memset(k, 0, sizeof(k));
	k[0].nkeys = MAX_KEYS;
	k[0].get_all = 1;
	if (getsockopt(fd, IPPROTO_TCP, TCP_AO_GET_KEYS, k, &len)) {
		fprintf(out, ",\"keys\":{\"error\":\"%s\"}", errname(errno));
		return;
	}
	n = k[0].nkeys < MAX_KEYS ? k[0].nkeys : MAX_KEYS;
	fprintf(out, ",\"keys\":[");
	for (i = 0; i < n; i++) {
		char a[INET6_ADDRSTRLEN];
		unsigned int port;

		/* The kernel hands the secret back: it goes no further. */
		explicit_bzero(k[i].key, sizeof(k[i].key));
		sa_str((struct sockaddr_storage *)&k[i].addr, a, sizeof(a), &port);
		fprintf(out, "%s{\"sndid\":%u,\"rcvid\":%u,\"alg\":\"%s\",\"maclen\":%u,"
			"\"exclude_opt\":%s,\"peer\":\"%s/%u\",\"is_current\":%s,"
			"\"is_rnext\":%s,\"pkt_good\":%" PRIu64 ",\"pkt_bad\":%" PRIu64 "}",
			i ? "," : "", k[i].sndid, k[i].rcvid, k[i].alg_name, k[i].maclen,
			k[i].keyflags & TCP_AO_KEYF_EXCLUDE_OPT ? "true" : "false",
			a, k[i].prefix, k[i].is_current ? "true" : "false",
			k[i].is_rnext ? "true" : "false",
			(uint64_t)k[i].pkt_good, (uint64_t)k[i].pkt_bad);
	}
	fprintf(out, "]");
}

/* ISNs and SNEs: TCP_AO_REPAIR answers only in repair mode. */
static void json_repair(int fd)
{
	int on = TCP_REPAIR_ON, off = TCP_REPAIR_OFF_NO_WP;
	struct tcp_ao_repair r;
	socklen_t len = sizeof(r);
	int err = 0;

	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on))) {
		fprintf(out, ",\"repair\":{\"error\":\"%s\"}", errname(errno));
		return;
	}
	if (getsockopt(fd, IPPROTO_TCP, TCP_AO_REPAIR, &r, &len))
		err = errno;
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &off, sizeof(off)))
		die("leaving repair mode: %s", strerror(errno));
	if (err) {
		fprintf(out, ",\"repair\":{\"error\":\"%s\"}", errname(err));
		return;
	}
	fprintf(out, ",\"repair\":{\"snt_isn\":%u,\"rcv_isn\":%u,\"snd_sne\":%u,"
		"\"rcv_sne\":%u}", ntohl(r.snt_isn), ntohl(r.rcv_isn), r.snd_sne,
		r.rcv_sne);
}

static void json_tcp_info(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return;
	fprintf(out, ",\"tcp_info\":{\"state\":%u,\"segs_in\":%u,\"segs_out\":%u,"
		"\"data_segs_in\":%u,\"data_segs_out\":%u,\"total_retrans\":%u,"
		"\"bytes_received\":%llu,\"bytes_acked\":%llu}",
		ti.tcpi_state, ti.tcpi_segs_in, ti.tcpi_segs_out,
		ti.tcpi_data_segs_in, ti.tcpi_data_segs_out, ti.tcpi_total_retrans,
		(unsigned long long)ti.tcpi_bytes_received,
		(unsigned long long)ti.tcpi_bytes_acked);
}

static void json_endpoints(int fd)
{
	struct sockaddr_storage l, r;
	socklen_t ll = sizeof(l), rl = sizeof(r);
	char la[INET6_ADDRSTRLEN] = "", ra[INET6_ADDRSTRLEN] = "";
	unsigned int lp = 0, rp = 0;

	if (!getsockname(fd, (struct sockaddr *)&l, &ll))
		sa_str(&l, la, sizeof(la), &lp);
	if (!getpeername(fd, (struct sockaddr *)&r, &rl))
		sa_str(&r, ra, sizeof(ra), &rp);
	fprintf(out, ",\"local\":\"%s\",\"lport\":%u,\"remote\":\"%s\",\"rport\":%u",
		la, lp, ra, rp);
}

static void json_events(void)
{
	int i;

	fprintf(out, ",\"events\":[");
	for (i = 0; i < nevents; i++)
		fprintf(out, "%s{\"t\":%.3f,\"current_key\":%d,\"rnext\":%d,\"by\":\"%s\"}",
			i ? "," : "", events[i].t, events[i].current,
			events[i].rnext, events[i].by_us ? "us" : "peer");
	fprintf(out, "],\"events_dropped\":%d,\"actions\":[", events_dropped);
	for (i = 0; i < nactions; i++)
		fprintf(out, "%s{\"done\":%s,\"at\":%.3f,\"result\":\"%s\",\"busy\":%d}",
			i ? "," : "", actions[i].done ? "true" : "false",
			actions[i].at, errname(actions[i].err), actions[i].busy);
	fprintf(out, "]");
}

/* Whether the running kernel has TCP-AO and both RFC 5926 algorithms. */
static int probe(void)
{
	static const char *const algs[] = { "hmac(sha1)", "cmac(aes128)" };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct tcp_ao_add a;
		struct sockaddr_in *sin = (struct sockaddr_in *)&a.addr;
		int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

		if (fd < 0)
			die("socket: %s", strerror(errno));
		memset(&a, 0, sizeof(a));
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.prefix = 32;
		strcpy(a.alg_name, algs[i]);
		a.keylen = 16;
		memcpy(a.key, "aopeer probe key", 16);
		if (setsockopt(fd, IPPROTO_TCP, TCP_AO_ADD_KEY, &a, sizeof(a))) {
			fprintf(stderr, "aopeer: TCP_AO_ADD_KEY %s: %s\n", algs[i],
				strerror(errno));
			return 1;
		}
		close(fd);
	}
	return 0;
}

/* --- main ----------------------------------------------------------------------- */

static void wait_hold(double end)
{
	fprintf(stderr, "quiet\n");
	while (access(opt.hold, F_OK)) {
		if (mono() > end)
			die("--hold: %s did not appear", opt.hold);
		usleep(50 * 1000);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "required", no_argument, NULL, 'R' },
		{ "local", required_argument, NULL, 'l' },
		{ "lport", required_argument, NULL, 'L' },
		{ "isn", required_argument, NULL, 'i' },
		{ "send", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "at", required_argument, NULL, 'a' },
		{ "follow", no_argument, NULL, 'f' },
		{ "hold", required_argument, NULL, 'H' },
		{ "quiet-ms", required_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, 't' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_storage peer;
	struct xfer *x;
	char d1[65], d2[65], d3[65];
	double t0, deadline_at;
	int c, i, fd, cfd, err;
	bool ok = false;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (nkeys == MAX_KEYS)
				die("too many keys");
			key_specs[nkeys++] = optarg;
			break;
		case 'R': opt.required = true; break;
		case 'l': opt.local = optarg; break;
		case 'L': opt.lport = num(optarg, 65535, "port"); break;
		case 'i':
			opt.isn = num(optarg, UINT32_MAX, "isn");
			opt.have_isn = true;
			break;
		case 's': opt.send = num(optarg, ULONG_MAX, "bytes"); break;
		case 'r': opt.rate = num(optarg, ULONG_MAX, "rate"); break;
		case 'a': {
			char *colon = strchr(optarg, ':');

			if (!colon)
				die("--at WHEN:ACTION, not '%s'", optarg);
			*colon = '\0';
			parse_action(optarg, colon + 1);
			break;
		}
		case 'f': opt.follow = true; break;
		case 'H': opt.hold = optarg; break;
		case 'q': opt.quiet_ms = num(optarg, 600000, "milliseconds"); break;
		case 't': opt.timeout = num(optarg, 3600, "seconds"); break;
		case 'd': opt.deadline = num(optarg, 86400, "seconds"); break;
		case 'o': opt.out = optarg; break;
		default: usage();
		}
	}
	if (argc - optind == 1 && !strcmp(argv[optind], "probe"))
		return probe();
	if (argc - optind != 3)
		usage();
	if (!strcmp(argv[optind], "listen"))
		opt.listen = true;
	else if (strcmp(argv[optind], "connect"))
		usage();
	opt.addr = argv[optind + 1];
	opt.port = num(argv[optind + 2], 65535, "port");
	family = parse_addr(opt.addr, &peer, opt.port);
	if (opt.have_isn && opt.listen)
		die("--isn: only when connecting (a listener's ISN is the kernel's)");
	if (!nkeys && (opt.required || nactions || opt.follow))
		die("--required, --at and --follow need keys");
	for (i = 0; i < nkeys; i++)
		parse_key(key_specs[i], &keys[i].add);

	out = stdout;
	if (opt.out && !(out = fopen(opt.out, "w")))
		die("%s: %s", opt.out, strerror(errno));

	fd = socket(family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	add_keys(fd);
	/* The secrets are in the kernel now; the copies here go. */
	for (i = 0; i < nkeys; i++)
		explicit_bzero(keys[i].add.key, sizeof(keys[i].add.key));

	t0 = now();
	if (opt.listen) {
		cfd = do_listen(fd, &peer, &err);
	} else {
		err = do_connect(fd, &peer);
		cfd = err ? -1 : fd;
	}
	fprintf(out, "{\"mode\":\"%s\",\"family\":\"%s\",\"ao\":%s,\"connect\":\"%s\","
		"\"connect_seconds\":%.3f", opt.listen ? "listen" : "connect",
		family == AF_INET ? "inet" : "inet6", nkeys ? "true" : "false",
		errname(err), now() - t0);
	if (cfd < 0) {
		/* What the socket that did not connect (or the listener) saw. */
		if (nkeys)
			json_ao(fd, opt.listen ? "listener" : "info");
		fprintf(out, "}\n");
		fclose(out);
		return 1;
	}
	established_at = now();
	deadline_at = mono() + opt.deadline;
	record(cfd, false);
	x = calloc(1, sizeof(*x));
	if (!x)
		die("out of memory");
	/* Each direction has its own stream: the connector's is seed 1. */
	ok = exchange(cfd, x, opt.listen ? 2 : 1, opt.listen ? 1 : 2);
	if (ok) {
		double quiet = mono() + opt.quiet_ms / 1000.0;

		while (mono() < quiet) {
			usleep(20 * 1000);
			record(cfd, false);
		}
	}
	record(cfd, false);

	hex(d1, x->tx.md ? (unsigned char *)"" : x->tx.digest, x->tx.md ? 0 : 32);
	hex(d2, x->rx.md ? (unsigned char *)"" : x->rx.digest, x->rx.md ? 0 : 32);
	hex(d3, x->dig_in, x->dig_in_n == 32 ? 32 : 0);
	if (x->tx.md)
		d1[0] = '\0';
	if (x->rx.md)
		d2[0] = '\0';
	if (x->dig_in_n != 32)
		d3[0] = '\0';
	json_endpoints(cfd);
	fprintf(out, ",\"sent\":%" PRIu64 ",\"sent_sha256\":\"%s\",\"received\":%" PRIu64
		",\"received_sha256\":\"%s\",\"peer_received_sha256\":\"%s\","
		"\"peer_confirms\":%s,\"result\":\"%s\"",
		x->tx.pos, d1, x->rx.pos, d2, d3,
		x->dig_in_n == 32 && !x->tx.md && !memcmp(x->dig_in, x->tx.digest, 32) ?
		"true" : "false", ok ? "ok" : x->fail ? x->fail : "failed");
	if (x->err)
		fprintf(out, ",\"error\":\"%s\"", errname(x->err));
	if (ok && (x->dig_in_n != 32 || memcmp(x->dig_in, x->tx.digest, 32)))
		ok = false;
	if (nkeys) {
		json_ao(cfd, "info");
		/* The handshake's segments were the listener's to verify. */
		if (cfd != fd)
			json_ao(fd, "listener");
		json_keys(cfd);
		json_repair(cfd);
		json_events();
	}
	json_tcp_info(cfd);
	fprintf(out, "}\n");
	fflush(out);
	/*
	 * The counters above are of this idle moment; whoever compares them
	 * with the peer's does so now, before either side's close adds
	 * segments.
	 */
	if (ok && opt.hold)
		wait_hold(deadline_at);

	/* Close cleanly: FIN, then read until the peer's. */
	shutdown(cfd, SHUT_WR);
	if (ok) {
		double end = mono() + 10;
		struct pollfd p = { .fd = cfd, .events = POLLIN };
		unsigned char b[512];

		while (!x->eof && mono() < end && poll(&p, 1, 100) >= 0) {
			ssize_t n = recv(cfd, b, sizeof(b), 0);

			if (n == 0)
				break;
			if (n < 0 && !again())
				break;
		}
	}
	close(cfd);
	if (cfd != fd)
		close(fd);
	if (out != stdout)
		fclose(out);
	return ok ? 0 : 1;
}
