// SPDX-License-Identifier: GPL-2.0
/*
 * What compat.h cannot do inline for older kernels: the buffers of
 * formatted extack messages before 6.2 (see TCPAO_ERR there).  Every layer
 * that reports a configuration error uses it, so it sits below them all.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/netlink.h>

#include "compat.h"

#ifndef NL_SET_ERR_MSG_FMT_MOD
#define TCPAO_ERRBUF_N		16
#define TCPAO_ERRBUF_LEN	160

const char *tcpao_errbuf(const char *fmt, ...)
{
	static char bufs[TCPAO_ERRBUF_N][TCPAO_ERRBUF_LEN];
	static atomic_t next = ATOMIC_INIT(0);
	char *buf = bufs[(unsigned int)atomic_inc_return(&next) %
			 TCPAO_ERRBUF_N];
	va_list args;

	va_start(args, fmt);
	vscnprintf(buf, TCPAO_ERRBUF_LEN, fmt, args);
	va_end(args);
	return buf;
}
#endif
