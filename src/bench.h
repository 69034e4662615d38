/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/debug/tcpao/bench: the per-segment cost, measured in the
 * module (bench.c).  Left out with "make TCPAO_BENCH=0".
 */
#ifndef _TCPAO_BENCH_H
#define _TCPAO_BENCH_H

#ifdef TCPAO_BENCH
void tcpao_bench_init(void);
void tcpao_bench_exit(void);
#else
static inline void tcpao_bench_init(void)
{
}

static inline void tcpao_bench_exit(void)
{
}
#endif

#endif /* _TCPAO_BENCH_H */
