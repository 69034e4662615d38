/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux's TCP-AO socket API on tcpao (linuxapi.c): its socket options.  The
 * state they set, which connections and the datapath use, is lxstate.h's.
 */
#ifndef _TCPAO_LINUXAPI_H
#define _TCPAO_LINUXAPI_H

#include <linux/sockptr.h>

#include "lxstate.h"

int tcpao_lx_setsockopt(struct sock *sk, int optname, sockptr_t arg,
			unsigned int len);
int tcpao_lx_getsockopt(struct sock *sk, int optname, void __user *user,
			int *len);

#endif /* _TCPAO_LINUXAPI_H */
