/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPAO_NETLINK_H
#define _TCPAO_NETLINK_H

#include "conn.h"

int tcpao_genl_init(void);
void tcpao_genl_exit(void);

#endif /* _TCPAO_NETLINK_H */
