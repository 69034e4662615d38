// SPDX-License-Identifier: GPL-2.0
/*
 * What every layer reads of a network namespace's state (tcpao.h): its id
 * among the namespace's generic pointers, its counters and the caps of
 * its limits.  The namespace's lifetime, which creates and destroys every
 * object it holds, is at the top (main.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "tcpao.h"

unsigned int tcpao_net_id __read_mostly;
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_net_id);

void tcpao_stats_read(struct tcpao_net *tn, struct tcpao_stats *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct tcpao_stats *s = per_cpu_ptr(tn->stats, cpu);

		for (i = 0; i < ARRAY_SIZE(sum->c); i++)
			sum->c[i] += READ_ONCE(s->c[i]);
	}
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_stats_read);

/* The most each limit may be in @net (see tcpao.h). */
void tcpao_limits_caps(const struct net *net, struct tcpao_limits *caps)
{
	if (net->user_ns == &init_user_ns) {
		caps->keychains = TCPAO_LIMIT_MAX;
		caps->peers = TCPAO_LIMIT_MAX;
		caps->conns = TCPAO_LIMIT_MAX;
		caps->bindings = TCPAO_LIMIT_MAX;
	} else {
		caps->keychains = TCPAO_USERNS_MAX_KEYCHAINS;
		caps->peers = TCPAO_USERNS_MAX_PEERS;
		caps->conns = TCPAO_USERNS_MAX_CONNS;
		caps->bindings = TCPAO_USERNS_MAX_BINDINGS;
	}
}
