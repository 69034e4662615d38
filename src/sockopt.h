/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPAO_SOCKOPT_H
#define _TCPAO_SOCKOPT_H

#include "tcpao.h"

int tcpao_sockopt_init(void);
void tcpao_sockopt_exit(void);
int tcpao_bindings_init(struct tcpao_net *tn);
void tcpao_bindings_destroy(struct tcpao_net *tn);
u32 tcpao_bindings_gc(struct tcpao_net *tn);

#endif /* _TCPAO_SOCKOPT_H */
