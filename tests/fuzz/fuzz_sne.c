// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the Sequence Number Extension (src/sne.h, built
 * unchanged).  A 64-bit sequence space is the model: a reference point
 * somewhere in it (anywhere, SNE wrapping included), then a series of
 * segments at random distances from it of less than 2^31 either way, as
 * TCP's window guarantees.  For each, tcpao_sne_of() must give the high
 * half of the segment's 64-bit sequence number; and tcpao_sne_advance()
 * must move the reference to the segment exactly when the segment is
 * later, never backwards.
 *
 * Input: 8 bytes of starting point, then 5 bytes per step (a signed
 * 32-bit distance, clamped below 2^31, and whether to advance).
 */
#include <stdio.h>
#include <stdlib.h>

#include "sne.h"
#include "check.h"

static u64 get64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	atomic64_t ref;
	u64 model;
	size_t i;

	if (size < 8)
		return 0;
	model = get64(data);
	atomic64_set(&ref, (s64)model);
	for (i = 8; i + 5 <= size; i += 5) {
		s32 d = (s32)((u32)data[i] << 24 | (u32)data[i + 1] << 16 |
			      (u32)data[i + 2] << 8 | data[i + 3]);
		u64 seq64, cur = (u64)atomic64_read(&ref);
		u32 seq;

		CHECK(cur == model);
		if (d == INT32_MIN)
			d++;	/* exactly 2^31 away is ambiguous by design */
		seq64 = model + (u64)(s64)d;
		seq = (u32)seq64;
		CHECK(tcpao_sne_of(cur, seq) == (u32)(seq64 >> 32));
		CHECK(tcpao_seq_before(seq, (u32)cur) == (d < 0));
		if (data[i + 4] & 1) {
			tcpao_sne_advance(&ref, seq);
			if (d > 0)
				model = seq64;
			CHECK((u64)atomic64_read(&ref) == model);
		}
		/* tcpao_sne_pack() is what the datapath stores. */
		CHECK(tcpao_sne_pack((u32)(model >> 32), (u32)model) == model);
	}
	return 0;
}
