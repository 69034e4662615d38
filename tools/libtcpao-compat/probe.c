// SPDX-License-Identifier: GPL-2.0
/*
 * test.sh's daemon: on a TCP socket of FAMILY (4 or 6), TCP_NODELAY, then
 * TCP_AO_ADD_KEY twice and TCP_AO_INFO read once, as a daemon would;
 * prints each call's result ("ok" or the error).  On a UDP socket,
 * TCP_AO_ADD_KEY once, first ("udp").  With "repair-first" after FAMILY:
 * TCP_AO_REPAIR read before anything else ("repair").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void res(const char *what, int r)
{
	printf("%s %s\n", what, r ? strerror(errno) : "ok");
}

int main(int argc, char **argv)
{
	int fam = argc > 1 && !strcmp(argv[1], "6") ? AF_INET6 : AF_INET;
	char buf[512] = { 0 };
	socklen_t len = 48;
	int one = 1, u, fd;

	if (argc > 2 && !strcmp(argv[2], "repair-first")) {
		fd = socket(fam, SOCK_STREAM, 0);
		len = 16;
		res("repair", getsockopt(fd, IPPROTO_TCP, 42, buf, &len));
		close(fd);
		len = 48;
	}
	u = socket(fam, SOCK_DGRAM, 0);
	res("udp", setsockopt(u, IPPROTO_TCP, 38, buf, 288));
	fd = socket(fam, SOCK_STREAM, 0);
	if (fd < 0 || u < 0)
		return 2;
	res("nodelay", setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				  sizeof(one)));
	res("add", setsockopt(fd, IPPROTO_TCP, 38, buf, 288));
	res("add", setsockopt(fd, IPPROTO_TCP, 38, buf, 288));
	res("info", getsockopt(fd, IPPROTO_TCP, 40, buf, &len));
	return 0;
}
