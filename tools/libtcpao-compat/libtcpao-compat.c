// SPDX-License-Identifier: GPL-2.0
/*
 * libtcpao-compat.so: Linux's TCP-AO socket options for daemons that use
 * them (BIRD 2.17 and later), on kernels built without TCP-AO, answered by
 * tcpao.  Loaded with LD_PRELOAD, it wraps setsockopt() and getsockopt():
 *
 *   level IPPROTO_TCP, optname TCP_AO_ADD_KEY .. TCP_AO_REPAIR (38..42)
 *     goes to the kernel, unchanged, unless the kernel has no TCP-AO
 *     (TCP_AO_INFO on a socket of our own: ENOPROTOOPT) and the tcpao
 *     module is loaded (/sys/module/tcpao): then to tcpao, with the same
 *     arguments, at level IPPROTO_IP (AF_INET sockets) or IPPROTO_IPV6
 *     (AF_INET6), optname TCPAO_SO_AO(optname) (<linux/tcpao.h>).  That
 *     decision is made once per process, at the first such call; a
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
static setsockopt_fn real_set;
static getsockopt_fn real_get;
static int debug;

/*
 * Resolved when the library is loaded, before the daemon runs: dlsym() is
 * neither async-signal-safe nor free of races when first called from two
 * threads.
 */
__attribute__((constructor)) static void compat_init(void)
{
	const char *d = getenv("TCPAO_COMPAT_DEBUG");

	real_set = (setsockopt_fn)dlsym(RTLD_NEXT, "setsockopt");
	real_get = (getsockopt_fn)dlsym(RTLD_NEXT, "getsockopt");
	debug = d && *d && *d != '0';
}

static int is_ao_opt(int level, int optname)
{
	return level == IPPROTO_TCP && optname >= TCP_AO_ADD_KEY &&
	       optname <= TCP_AO_REPAIR;
}

static void decided(int r)
{
	__atomic_store_n(&route, r, __ATOMIC_RELAXED);
	if (debug)
		fprintf(stderr, "libtcpao-compat: TCP-AO socket options go to %s\n",
			r == ROUTE_TCPAO ? "tcpao" : "the kernel's own TCP-AO");
}

/*
 * Does the kernel lack TCP-AO, with tcpao loaded?  Asked once, of a socket
 * of our own, so that the answer does not depend on the caller's socket or
 * arguments (a first call the kernel refuses for another reason, EPERM or
 * EINVAL, must not decide): TCP_AO_INFO on a new TCP socket is ENOENT
 * where the kernel has TCP-AO (no keys yet), ENOPROTOOPT where it has not.
 * Without tcpao nothing is decided (it may be loaded later): the kernel
 * answers, and its error stands.
 */
static int use_tcpao(void)
{
	int r = __atomic_load_n(&route, __ATOMIC_RELAXED);
	struct tcp_ao_info_opt info = { 0 };
	socklen_t len = sizeof(info);
	int fd, ret, err;

	if (r != ROUTE_UNKNOWN)
		return r == ROUTE_TCPAO;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;	/* no socket to ask: the kernel answers */
	ret = real_get(fd, IPPROTO_TCP, TCP_AO_INFO, &info, &len);
	err = errno;
	close(fd);
	if (ret == 0 || err != ENOPROTOOPT) {
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
	int domain = 0;
	socklen_t len = sizeof(domain);

	if (real_get(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len))
		return -1;
	return domain == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
}

int setsockopt(int fd, int level, int optname, const void *optval,
	       socklen_t optlen)
{
	int lvl;

	if (!real_set) {
		errno = ENOSYS;
		return -1;
	}
	if (!is_ao_opt(level, optname) || !real_get || !use_tcpao())
		return real_set(fd, level, optname, optval, optlen);
	lvl = tcpao_level(fd);
	if (lvl < 0)
		return -1;
	return real_set(fd, lvl, TCPAO_SO_AO(optname), optval, optlen);
}

int getsockopt(int fd, int level, int optname, void *optval,
	       socklen_t *optlen)
{
	int lvl;

	if (!real_get) {
		errno = ENOSYS;
		return -1;
	}
	if (!is_ao_opt(level, optname) || !use_tcpao())
		return real_get(fd, level, optname, optval, optlen);
	lvl = tcpao_level(fd);
	if (lvl < 0)
		return -1;
	return real_get(fd, lvl, TCPAO_SO_AO(optname), optval, optlen);
}
