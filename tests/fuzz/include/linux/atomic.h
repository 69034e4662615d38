/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of the kernel's <linux/atomic.h> that src/sne.h uses, on the
 * compiler's atomics, for the userspace fuzzers.  (<linux/types.h> is the
 * system's UAPI header; the kernel-only types come from uspace.h.)
 */
#ifndef _TCPAO_FUZZ_LINUX_ATOMIC_H
#define _TCPAO_FUZZ_LINUX_ATOMIC_H

#include "uspace.h"

typedef struct {
	s64 counter;
} atomic64_t;

static inline s64 atomic64_read(const atomic64_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic64_set(atomic64_t *v, s64 i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

/* Returns the old value, like the kernel's. */
static inline s64 atomic64_cmpxchg(atomic64_t *v, s64 old, s64 new)
{
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

#endif /* _TCPAO_FUZZ_LINUX_ATOMIC_H */
