// SPDX-License-Identifier: GPL-2.0
/*
 * aoecho: how a routing daemon protects its TCP sessions with tcpao's
 * socket options, and nothing else (no "aoctl peer").
 *
 *   aoecho server ADDR PORT [--accept N] PREFIX=KEYCHAIN...
 *	listen on ADDR PORT; bind the listening socket to KEYCHAIN for every
 *	peer in PREFIX (one TCPAO_SO_BIND per peer, before listen()); accept
 *	N connections (default 1), echo what each sends, print its TCP-AO
 *	state.
 *   aoecho client ADDR PORT KEYCHAIN [--bytes N]
 *	bind a socket to KEYCHAIN for the peer ADDR, connect, send N bytes
 *	(default 100000), check the echo, print the TCP-AO state.
 *
 * The order of calls is the point: socket(), setsockopt(TCPAO_SO_BIND),
 * then connect() or listen().  IPv4 peers of an IPv6 socket are given as
 * v4-mapped addresses (::ffff:192.0.2.1).
 *
 * Exit status 0 when every connection was protected and the data came back
 * intact.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/tcpao.h>

static int opt_level(int family)
{
	return family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
}

/* Fill a sockaddr for ADDR PORT; returns its family. */
static int parse_sockaddr(const char *addr, int port,
			  struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return AF_INET6;
	}
	fprintf(stderr, "aoecho: bad address %s\n", addr);
	exit(2);
}

/* PREFIX[/LEN] into a struct tcpao_bind. */
static void parse_prefix(const char *arg, struct tcpao_bind *b)
{
	char buf[INET6_ADDRSTRLEN + 5], *slash;
	int maxlen;

	snprintf(buf, sizeof(buf), "%s", arg);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, &b->addr.v4) == 1) {
		b->family = AF_INET;
		maxlen = 32;
	} else if (inet_pton(AF_INET6, buf, &b->addr.v6) == 1) {
		b->family = AF_INET6;
		maxlen = 128;
	} else {
		fprintf(stderr, "aoecho: bad prefix %s\n", arg);
		exit(2);
	}
	b->prefixlen = slash ? atoi(slash) : maxlen;
}

/*
 * The one call a daemon adds: protect this socket's connections to
 * PREFIX with KEYCHAIN.  Errors: ENOENT (no such keychain), EISCONN (the
 * socket is already connected), EPERM (no CAP_NET_ADMIN), EINVAL (bad
 * argument), ENOPROTOOPT (tcpao not loaded).
 */
static int tcpao_bind_peer(int fd, int family, const char *prefix,
			   const char *keychain)
{
	struct tcpao_bind b;

	memset(&b, 0, sizeof(b));
	parse_prefix(prefix, &b);
	snprintf(b.keychain, sizeof(b.keychain), "%s", keychain);
	if (setsockopt(fd, opt_level(family), TCPAO_SO_BIND, &b,
		       sizeof(b)) < 0) {
		fprintf(stderr, "aoecho: TCPAO_SO_BIND %s keychain %s: %s\n",
			prefix, keychain, strerror(errno));
		return -1;
	}
	return 0;
}

/* Print the TCP-AO state of a connected socket; 0 if it is protected. */
static int show_info(int fd, int family, const char *who)
{
	struct tcpao_info info;
	socklen_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (getsockopt(fd, opt_level(family), TCPAO_SO_INFO, &info,
		       &len) < 0) {
		fprintf(stderr, "aoecho: TCPAO_SO_INFO: %s\n", strerror(errno));
		return -1;
	}
	printf("%s: keychain %s keyid %u rnext %u peer-keyid %u peer-rnext %u sne %u/%u good %llu bad %llu signed %llu%s\n",
	       who, info.keychain, info.send_keyid, info.send_rnext,
	       info.recv_keyid, info.recv_rnext, info.snd_sne, info.rcv_sne,
	       (unsigned long long)info.pkts_good,
	       (unsigned long long)info.pkts_bad,
	       (unsigned long long)info.pkts_signed,
	       info.flags & TCPAO_CONN_F_UNPROTECTED ? " UNPROTECTED" : "");
	fflush(stdout);
	if (!(info.flags & TCPAO_INFO_F_CONN) ||
	    info.flags & TCPAO_CONN_F_UNPROTECTED || !info.pkts_good)
		return -1;
	return 0;
}

static int server(int argc, char **argv)
{
	const char *addr = argv[0];
	int port = atoi(argv[1]), naccept = 1, fd, family, i, one = 1;
	int ret = 0, bound = 0;
	struct sockaddr_storage ss;
	socklen_t len;

	family = parse_sockaddr(addr, port, &ss, &len);
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0) {
		perror("aoecho: socket/bind");
		return 1;
	}
	for (i = 2; i < argc; i++) {
		char *eq;

		if (!strcmp(argv[i], "--accept") && i + 1 < argc) {
			naccept = atoi(argv[++i]);
			continue;
		}
		eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "aoecho: expected PREFIX=KEYCHAIN\n");
			return 2;
		}
		*eq = '\0';
		if (tcpao_bind_peer(fd, family, argv[i], eq + 1))
			return 1;
		bound++;
	}
	if (!bound || listen(fd, 16) < 0) {
		fprintf(stderr, "aoecho: need a binding and a listen()\n");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);

	for (i = 0; i < naccept; i++) {
		char buf[65536], who[INET6_ADDRSTRLEN + 16];
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		ssize_t n;
		int c;

		c = accept(fd, (struct sockaddr *)&peer, &plen);
		if (c < 0) {
			perror("aoecho: accept");
			return 1;
		}
		while ((n = read(c, buf, sizeof(buf))) > 0)
			if (write(c, buf, n) != n)
				break;
		if (peer.ss_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)&peer)->sin6_addr,
				  who, sizeof(who));
		else
			inet_ntop(AF_INET,
				  &((struct sockaddr_in *)&peer)->sin_addr,
				  who, sizeof(who));
		if (show_info(c, family, who))
			ret = 1;
		close(c);
	}
	close(fd);
	return ret;
}

static int client(int argc, char **argv)
{
	const char *addr = argv[0], *keychain = argv[2];
	int port = atoi(argv[1]), family, fd, i, tries;
	long bytes = 100000, sent = 0, got = 0;
	struct sockaddr_storage ss;
	static char out[65536], in[65536];
	socklen_t len;

	for (i = 3; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--bytes"))
			bytes = atol(argv[++i]);
	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (char)(i * 7 + 3);

	family = parse_sockaddr(addr, port, &ss, &len);
	for (tries = 0; ; tries++) {
		fd = socket(family, SOCK_STREAM, 0);
		if (fd < 0 || tcpao_bind_peer(fd, family, addr, keychain))
			return 1;
		if (!connect(fd, (struct sockaddr *)&ss, len))
			break;
		if (errno != ECONNREFUSED || tries > 50) {
			perror("aoecho: connect");
			return 1;
		}
		close(fd);
		usleep(100000);
	}
	while (sent < bytes) {
		long n = bytes - sent < (long)sizeof(out) ?
			 bytes - sent : (long)sizeof(out);
		ssize_t w = write(fd, out, n);

		if (w <= 0) {
			perror("aoecho: write");
			return 1;
		}
		sent += w;
		while (got < sent) {
			ssize_t r = read(fd, in, sizeof(in));

			if (r <= 0) {
				fprintf(stderr, "aoecho: echo cut short\n");
				return 1;
			}
			for (i = 0; i < r; i++)
				if (in[i] != out[(got + i) % sizeof(out)]) {
					fprintf(stderr,
						"aoecho: echo differs at %ld\n",
						got + i);
					return 1;
				}
			got += r;
		}
	}
	printf("echoed %ld bytes\n", got);
	i = show_info(fd, family, "client");
	close(fd);
	return i ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "server"))
		return server(argc - 2, argv + 2);
	if (argc >= 5 && !strcmp(argv[1], "client"))
		return client(argc - 2, argv + 2);
	fprintf(stderr,
		"usage: aoecho server ADDR PORT [--accept N] PREFIX=KEYCHAIN...\n"
		"       aoecho client ADDR PORT KEYCHAIN [--bytes N]\n");
	return 2;
}
