/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence Number Extension (RFC 5925 section 6.2).
 *
 * The SNE is the high half of a 64-bit sequence number.  We keep, per
 * direction, a reference point: the highest sequence number seen (for the
 * receive direction: seen in a segment that verified) and its SNE, packed
 * into one 64-bit word so that readers and the lockless updater agree on a
 * pair.  Any segment within 2^31 of the reference gets its SNE by looking at
 * which side of the reference it falls and whether the 32-bit value wrapped,
 * which is what makes retransmissions across the wrap work.
 *
 * Pure logic: also built into the userspace fuzzer and the KUnit suite.
 */
#ifndef _TCPAO_SNE_H
#define _TCPAO_SNE_H

#include <linux/types.h>
#include <linux/atomic.h>

static inline bool tcpao_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline u64 tcpao_sne_pack(u32 sne, u32 seq)
{
	return ((u64)sne << 32) | seq;
}

/* SNE of @seq, given the reference point @ref (packed SNE and sequence). */
static inline u32 tcpao_sne_of(u64 ref, u32 seq)
{
	u32 rseq = (u32)ref;
	u32 rsne = (u32)(ref >> 32);

	if (tcpao_seq_before(seq, rseq)) {
		/* Earlier than the reference but numerically larger: it was
		 * sent before the reference's sequence number wrapped.
		 */
		if (seq > rseq)
			rsne--;
	} else {
		/* Later than the reference but numerically smaller: the
		 * sequence number wrapped between the two.
		 */
		if (seq < rseq)
			rsne++;
	}
	return rsne;
}

/*
 * Move the reference forward to @seq when @seq is later than it.  Lockless:
 * concurrent callers (transmit from process context, an RST from another
 * CPU) race through cmpxchg, and the reference only ever moves forward.
 */
static inline void tcpao_sne_advance(atomic64_t *ref, u32 seq)
{
	s64 old = atomic64_read(ref);

	for (;;) {
		u64 want;
		s64 cur;

		if (!tcpao_seq_before((u32)old, seq))
			return;
		want = tcpao_sne_pack(tcpao_sne_of(old, seq), seq);
		cur = atomic64_cmpxchg(ref, old, want);
		if (cur == old)
			return;
		old = cur;
	}
}

#endif /* _TCPAO_SNE_H */
