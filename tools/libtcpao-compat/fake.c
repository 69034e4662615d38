// SPDX-License-Identifier: GPL-2.0
/*
 * test.sh's stand-in for the kernel, preloaded after libtcpao-compat.so:
 * setsockopt()/getsockopt() and access() that log what reaches them (to
 * FAKE_LOG) and answer as FAKE_KERNEL says:
 *   FAKE_KERNEL=none    TCP_AO_* at IPPROTO_TCP: ENOPROTOOPT (Debian's
 *                       kernels), but TCP_AO_REPAIR: EPERM (Linux 6.12
 *                       checks the caller's capability first); tcpao's
 *                       options: 0 on a TCP socket if FAKE_TCPAO=1, else
 *                       ENOPROTOOPT
 *   FAKE_KERNEL=native  TCP_AO_* at IPPROTO_TCP: EINVAL (a kernel that has
 *                       TCP-AO and disliked the argument)
 * /sys/module/tcpao exists if FAKE_TCPAO=1.  Everything else goes on to
 * the C library.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

static void logf_(const char *what, int level, int optname)
{
	const char *p = getenv("FAKE_LOG");
	FILE *f = p ? fopen(p, "a") : NULL;

	if (!f)
		return;
	fprintf(f, "%s %d %d\n", what, level, optname);
	fclose(f);
}

static int is_tcp(int fd)
{
	int (*next)(int, int, int, void *, socklen_t *) =
		dlsym(RTLD_NEXT, "getsockopt");
	int proto = 0;
	socklen_t len = sizeof(proto);

	return !next(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) &&
	       proto == IPPROTO_TCP;
}

static int answer(int fd, int level, int optname)
{
	const char *k = getenv("FAKE_KERNEL");
	const char *t = getenv("FAKE_TCPAO");

	if (level == IPPROTO_TCP && optname >= 38 && optname <= 42) {
		if (k && !strcmp(k, "native"))
			return EINVAL;
		return optname == 42 ? EPERM : ENOPROTOOPT;
	}
	if ((level == IPPROTO_IP || level == IPPROTO_IPV6) &&
	    optname >= 5929 && optname <= 5933)
		return t && !strcmp(t, "1") && is_tcp(fd) ? 0 : ENOPROTOOPT;
	return -1;
}

int setsockopt(int fd, int level, int optname, const void *v, socklen_t l)
{
	int (*next)(int, int, int, const void *, socklen_t) =
		dlsym(RTLD_NEXT, "setsockopt");
	int a = answer(fd, level, optname);

	logf_("set", level, optname);
	if (a < 0)
		return next(fd, level, optname, v, l);
	errno = a;
	return a ? -1 : 0;
}

int getsockopt(int fd, int level, int optname, void *v, socklen_t *l)
{
	int (*next)(int, int, int, void *, socklen_t *) =
		dlsym(RTLD_NEXT, "getsockopt");
	int a = answer(fd, level, optname);

	if (a < 0)
		return next(fd, level, optname, v, l);
	logf_("get", level, optname);
	errno = a;
	return a ? -1 : 0;
}

int access(const char *path, int mode)
{
	int (*next)(const char *, int) = dlsym(RTLD_NEXT, "access");
	const char *t = getenv("FAKE_TCPAO");

	if (!strcmp(path, "/sys/module/tcpao")) {
		if (t && !strcmp(t, "1"))
			return 0;
		errno = ENOENT;
		return -1;
	}
	return next(path, mode);
}
