/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux's TCP-AO socket API on tcpao (linuxapi.c): its socket options.  The
 * state they set, which connections and the datapath use, is lxstate.h's.
 */
#ifndef _TCPAO_LINUXAPI_H
#define _TCPAO_LINUXAPI_H

int tcpao_linuxapi_init(void);
void tcpao_linuxapi_exit(void);

#endif /* _TCPAO_LINUXAPI_H */
