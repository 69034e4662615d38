/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpao's socket options (sockopt.c), and what linuxapi.c, Linux's TCP-AO
 * socket options, takes from them.
 */
#ifndef _TCPAO_SOCKOPT_H
#define _TCPAO_SOCKOPT_H

#include "tcpao.h"

int tcpao_sockopt_init(void);
void tcpao_sockopt_exit(void);

struct tcpao_conn;
struct tcpao_conn *tcpao_sk_conn(struct tcpao_net *tn, struct sock *sk);
int tcpao_sock_repair(struct sock *sk, const struct tcpao_repair *r);

#endif /* _TCPAO_SOCKOPT_H */
