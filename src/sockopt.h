/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPAO_SOCKOPT_H
#define _TCPAO_SOCKOPT_H

#include "tcpao.h"

int tcpao_sockopt_init(void);
void tcpao_sockopt_exit(void);

#endif /* _TCPAO_SOCKOPT_H */
