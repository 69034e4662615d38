// SPDX-License-Identifier: GPL-2.0
/*
 * The layout of every structure of the uAPI header, field by field, as
 * Documentation/sockopt.rst documents it.  Compile-time checks only:
 * test_uapi.sh compiles this file for x86_64 and for i386 (-m32), so a
 * field that moves, or a layout that differs between a 64-bit kernel and
 * a 32-bit process, fails the build.  Nothing here needs a C library.
 */
#include <stddef.h>
#include <linux/types.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/tcpao.h>

#define FIELD(s, f, off, size)						\
	_Static_assert(offsetof(struct s, f) == (off),			\
		       #s "." #f " is not at offset " #off);		\
	_Static_assert(sizeof(((struct s *)0)->f) == (size),		\
		       #s "." #f " is not " #size " bytes")
#define SIZE(s, size, align)						\
	_Static_assert(sizeof(struct s) == (size),			\
		       "struct " #s " is not " #size " bytes");	\
	_Static_assert(_Alignof(struct s) == (align),			\
		       "struct " #s " is not aligned to " #align)

FIELD(tcpao_bind, family, 0, 2);
FIELD(tcpao_bind, prefixlen, 2, 1);
FIELD(tcpao_bind, flags, 3, 1);
FIELD(tcpao_bind, ifindex, 4, 4);
FIELD(tcpao_bind, addr, 8, 16);
FIELD(tcpao_bind, keychain, 24, TCPAO_KEYCHAIN_NAME_LEN);
SIZE(tcpao_bind, 88, 4);

FIELD(tcpao_info, flags, 0, 4);
FIELD(tcpao_info, state, 4, 1);
FIELD(tcpao_info, send_keyid, 5, 1);
FIELD(tcpao_info, send_rnext, 6, 1);
FIELD(tcpao_info, recv_keyid, 7, 1);
FIELD(tcpao_info, recv_rnext, 8, 1);
FIELD(tcpao_info, reserved, 9, 3);
FIELD(tcpao_info, snd_sne, 12, 4);
FIELD(tcpao_info, rcv_sne, 16, 4);
FIELD(tcpao_info, reserved2, 20, 4);
FIELD(tcpao_info, pkts_good, 24, 8);
FIELD(tcpao_info, pkts_bad, 32, 8);
FIELD(tcpao_info, pkts_signed, 40, 8);
FIELD(tcpao_info, keychain, 48, TCPAO_KEYCHAIN_NAME_LEN);
SIZE(tcpao_info, 112, 8);

FIELD(tcpao_repair, lisn, 0, 4);
FIELD(tcpao_repair, risn, 4, 4);
FIELD(tcpao_repair, snd_sne, 8, 4);
FIELD(tcpao_repair, rcv_sne, 12, 4);
SIZE(tcpao_repair, 16, 4);

/* One object of each, for pahole (test_uapi.sh). */
struct tcpao_bind uapi_bind;
struct tcpao_info uapi_info;
struct tcpao_repair uapi_repair;
