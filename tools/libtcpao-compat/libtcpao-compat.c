// SPDX-License-Identifier: GPL-2.0
/*
 * libtcpao-compat.so: Linux's TCP-AO socket options for daemons that use
 * them (BIRD 2.17 and later), on kernels built without TCP-AO, answered by
 * tcpao.  Loaded with LD_PRELOAD, it wraps setsockopt() and getsockopt():
 *
 *   level IPPROTO_TCP, optname TCP_AO_ADD_KEY .. TCP_AO_REPAIR (38..42)
 *     is first asked of the kernel, unchanged.  Only when the kernel does
 *     not know the option (ENOPROTOOPT on a TCP socket) and the tcpao
 *     module is loaded (/sys/module/tcpao) does the call go to tcpao
 *     instead: same arguments, at level IPPROTO_IP (AF_INET sockets) or
 *     IPPROTO_IPV6 (AF_INET6), optname TCPAO_SO_AO(optname)
 *     (<linux/tcpao.h>).  That decision is made once per process; a
 *     kernel with TCP-AO of its own is never bypassed.
 *   anything else
 *     goes to the C library untouched.
 *
 * Nothing here knows TCP-AO: the structures pass through as they are and
 * the module (src/linuxapi.c) gives them Linux's meaning;
 * Documentation/linuxapi.rst says which behaviours differ.
 *
 * TCPAO_COMPAT_DEBUG=1 in the environment: one line on stderr when the
 * decision is made.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/tcpao.h>

typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);
typedef int (*getsockopt_fn)(int, int, int, void *, socklen_t *);

enum route { ROUTE_UNKNOWN, ROUTE_KERNEL, ROUTE_TCPAO };

static int route = ROUTE_UNKNOWN;	/* __atomic: threads may race, benignly */

static setsockopt_fn real_set(void)
{
	static setsockopt_fn fn;

	if (!fn)
		fn = (setsockopt_fn)dlsym(RTLD_NEXT, "setsockopt");
	return fn;
}

static getsockopt_fn real_get(void)
{
	static getsockopt_fn fn;

	if (!fn)
		fn = (getsockopt_fn)dlsym(RTLD_NEXT, "getsockopt");
	return fn;
}

static int is_ao_opt(int level, int optname)
{
	return level == IPPROTO_TCP && optname >= TCP_AO_ADD_KEY &&
	       optname <= TCP_AO_REPAIR;
}

static void decided(int r)
{
	const char *d = getenv("TCPAO_COMPAT_DEBUG");

	__atomic_store_n(&route, r, __ATOMIC_RELAXED);
	if (d && *d && *d != '0')
		fprintf(stderr, "libtcpao-compat: TCP-AO socket options go to %s\n",
			r == ROUTE_TCPAO ? "tcpao" : "the kernel's own TCP-AO");
}

/*
 * The kernel answered a TCP_AO_* call on @fd with @err: is it a kernel
 * without TCP-AO, with tcpao loaded?  Decided once: by the first answer of
 * a TCP socket other than ENOPROTOOPT (native TCP-AO), or by ENOPROTOOPT
 * with tcpao loaded.  Without tcpao nothing is decided (it may be loaded
 * later) and the error stands.
 */
static int use_tcpao(int fd, int err)
{
	getsockopt_fn get = real_get();
	int proto = 0;
	socklen_t len = sizeof(proto);
	int r = __atomic_load_n(&route, __ATOMIC_RELAXED);

	if (r != ROUTE_UNKNOWN)
		return r == ROUTE_TCPAO;
	if (!get || get(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) ||
	    proto != IPPROTO_TCP)
		return 0;	/* not a TCP socket: its errors say nothing */
	if (err != ENOPROTOOPT) {
		decided(ROUTE_KERNEL);
		return 0;
	}
	if (access("/sys/module/tcpao", F_OK))
		return 0;
	decided(ROUTE_TCPAO);
	return 1;
}

/* tcpao's level for @fd: its address family's. */
static int tcpao_level(int fd)
{
	getsockopt_fn get = real_get();
	int domain = 0;
	socklen_t len = sizeof(domain);

	if (!get || get(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len))
		return -1;
	return domain == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
}

int setsockopt(int fd, int level, int optname, const void *optval,
	       socklen_t optlen)
{
	setsockopt_fn set = real_set();
	int ret, err, lvl;

	if (!set) {
		errno = ENOSYS;
		return -1;
	}
	if (!is_ao_opt(level, optname))
		return set(fd, level, optname, optval, optlen);
	if (__atomic_load_n(&route, __ATOMIC_RELAXED) != ROUTE_TCPAO) {
		ret = set(fd, level, optname, optval, optlen);
		if (ret == 0)
			return ret;
		err = errno;
		if (!use_tcpao(fd, err)) {
			errno = err;
			return ret;
		}
	}
	lvl = tcpao_level(fd);
	if (lvl < 0)
		return -1;
	return set(fd, lvl, TCPAO_SO_AO(optname), optval, optlen);
}

int getsockopt(int fd, int level, int optname, void *optval,
	       socklen_t *optlen)
{
	getsockopt_fn get = real_get();
	int ret, err, lvl;

	if (!get) {
		errno = ENOSYS;
		return -1;
	}
	if (!is_ao_opt(level, optname))
		return get(fd, level, optname, optval, optlen);
	if (__atomic_load_n(&route, __ATOMIC_RELAXED) != ROUTE_TCPAO) {
		ret = get(fd, level, optname, optval, optlen);
		if (ret == 0)
			return ret;
		err = errno;
		if (!use_tcpao(fd, err)) {
			errno = err;
			return ret;
		}
	}
	lvl = tcpao_level(fd);
	if (lvl < 0)
		return -1;
	return get(fd, lvl, TCPAO_SO_AO(optname), optval, optlen);
}
