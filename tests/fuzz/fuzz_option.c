// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: TCP option parsing and rewriting (src/option.c, built
 * unchanged).  Every input is an options area as it could arrive from the
 * network; the parser must never read outside it and must report exactly
 * the well-formed areas as such.  Areas that parse are then laid out for
 * signing (as the output hook does), their TCP-AO option hidden and their
 * MSS lowered (as the input hook does), and each result is checked
 * against what RFC 5925 and the comments in option.c promise.
 *
 * Input: byte 0 the area length (mod 41), byte 1 KeyID, byte 2
 * RNextKeyID, byte 3 an MSS delta, then the area (zero-filled if short).
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/tcpao.h>
#include "option.h"
#include "check.h"

struct opt {
	unsigned int off, kind, len;
};

/*
 * The TLV walk of RFC 793 / RFC 9293 up to EOL, written independently of
 * option.c: returns the number of options (NOPs included) or -1 when the
 * area is not well formed for TCP-AO (a length byte missing, below 2 or
 * beyond the area, two TCP-AO options, or TCP-AO not 16 bytes long).
 */
static int walk(const u8 *b, unsigned int len, struct opt *v,
		unsigned int *end)
{
	unsigned int i = 0, n = 0, aos = 0;

	*end = len;
	while (i < len) {
		if (b[i] == TCPAO_KIND_EOL) {
			*end = i;
			break;
		}
		if (b[i] == TCPAO_KIND_NOP) {
			v[n++] = (struct opt){ i, 1, 1 };
			i++;
			continue;
		}
		if (len - i < 2 || b[i + 1] < 2 || b[i + 1] > len - i)
			return -1;
		if (b[i] == TCPAO_KIND_AO && (aos++ || b[i + 1] != TCPAO_OPT_LEN))
			return -1;
		v[n++] = (struct opt){ i, b[i], b[i + 1] };
		i += b[i + 1];
	}
	return n;
}

static int last_of(const struct opt *v, int n, unsigned int kind,
		   unsigned int len)
{
	int i, r = -1;

	for (i = 0; i < n; i++)
		if (v[i].kind == kind && (!len || v[i].len == len))
			r = v[i].off;
	return r;
}

/* Two NOP options (not merely bytes of value 1) right before @off. */
static bool nop_options_before(const struct opt *v, int n, unsigned int off)
{
	int i;

	for (i = 2; i < n; i++)
		if (v[i].off == off)
			return v[i - 1].kind == TCPAO_KIND_NOP &&
			       v[i - 2].kind == TCPAO_KIND_NOP;
	return false;
}

static void check_parse(const u8 *b, unsigned int len, int ret,
			const struct tcpao_opts *o)
{
	struct opt v[TCPAO_OPTSPACE_MAX];
	unsigned int end;
	int n = walk(b, len, v, &end), i;
	bool md5 = false;

	CHECK((ret == 0) == (n >= 0));
	if (ret)
		return;
	CHECK(ret == 0);
	for (i = 0; i < n; i++)
		md5 |= v[i].kind == TCPAO_KIND_MD5;
	CHECK(o->end == end);
	CHECK(o->md5 == md5);
	CHECK(o->ao == last_of(v, n, TCPAO_KIND_AO, 0));
	CHECK(o->mss == last_of(v, n, TCPAO_KIND_MSS, 4));
	CHECK(o->sack == last_of(v, n, TCPAO_KIND_SACK, 0));
	CHECK(o->sack < 0 ||
	      o->sack_nops == nop_options_before(v, n, o->sack));
	if (o->ao >= 0)
		CHECK((unsigned int)o->ao + TCPAO_OPT_LEN <= len);
}

/* The area after signing must be the input, SACK blocks trimmed as little
 * as possible, NOP padding, then our TCP-AO option.
 */
static void check_layout(const u8 *in, unsigned int inlen,
			 const struct tcpao_opts *o, int r, const u8 *out,
			 unsigned int ao_off, u8 keyid, u8 rnext)
{
	const unsigned int room = TCPAO_OPTSPACE_MAX - TCPAO_OPT_LEN;
	static const u8 zero[TCPAO_MAC_LEN];
	struct opt vi[TCPAO_OPTSPACE_MAX], vo[TCPAO_OPTSPACE_MAX];
	unsigned int end = o->end, oend, sack_len = 0, min_len, i, j;
	struct tcpao_opts oo;
	int ni, no;

	ni = walk(in, end, vi, &oend);
	CHECK(ni >= 0);
	if (o->sack >= 0)
		sack_len = in[o->sack + 1];
	/* The shortest the area can get: without SACK and the two NOP
	 * options the stack puts before it.
	 */
	min_len = end - sack_len;
	if (o->sack >= 0 && nop_options_before(vi, ni, o->sack))
		min_len -= 2;
	if (o->sack < 0)
		min_len = end;
	if (r < 0) {
		CHECK(r == -ENOSPC);
		CHECK(((min_len + 3) & ~3U) > room);
		return;
	}
	CHECK(r % 4 == 0 && r <= TCPAO_OPTSPACE_MAX);
	CHECK(ao_off + TCPAO_OPT_LEN == (unsigned int)r);
	CHECK(out[ao_off] == TCPAO_KIND_AO && out[ao_off + 1] == TCPAO_OPT_LEN);
	CHECK(out[ao_off + 2] == keyid && out[ao_off + 3] == rnext);
	CHECK(!memcmp(out + ao_off + 4, zero, TCPAO_MAC_LEN));
	CHECK(tcpao_opts_parse(out, r, &oo) == 0 && oo.ao == (int)ao_off);

	/* Options before TCP-AO, NOPs aside, are the input's in order, the
	 * last SACK possibly shortened by whole blocks or gone.
	 */
	no = walk(out, ao_off, vo, &oend);
	CHECK(no >= 0);
	for (i = 0, j = 0; i < (unsigned int)ni; i++) {
		if (vi[i].kind == TCPAO_KIND_NOP)
			continue;
		while (j < (unsigned int)no && vo[j].kind == TCPAO_KIND_NOP)
			j++;
		if (vi[i].off == (unsigned int)o->sack) {
			if (j < (unsigned int)no && vo[j].kind == TCPAO_KIND_SACK &&
			    vo[j].len < vi[i].len) {
				unsigned int k = (vo[j].len - 2) / 8;

				CHECK(vo[j].len == 2 + 8 * k && k >= 1);
				CHECK(!memcmp(out + vo[j].off + 2,
					      in + vi[i].off + 2, 8 * k));
				/* Minimal: one block more would not fit. */
				if (k < (sack_len - 2) / 8)
					CHECK(((end - sack_len + 2 + 8 * (k + 1) +
						3) & ~3U) > room);
				j++;
				continue;
			}
			if (j < (unsigned int)no && vo[j].kind == TCPAO_KIND_SACK &&
			    vo[j].len == vi[i].len) {
				CHECK(!memcmp(out + vo[j].off, in + vi[i].off,
					      vi[i].len));
				j++;
				continue;
			}
			/* Gone: even one block would not have fitted. */
			if ((sack_len - 2) / 8 >= 1)
				CHECK(((end - sack_len + 10 + 3) & ~3U) > room);
			continue;
		}
		CHECK(j < (unsigned int)no);
		CHECK(vo[j].kind == vi[i].kind && vo[j].len == vi[i].len);
		CHECK(!memcmp(out + vo[j].off, in + vi[i].off, vi[i].len));
		j++;
	}
	while (j < (unsigned int)no)
		CHECK(vo[j++].kind == TCPAO_KIND_NOP);
	if (o->sack < 0)
		CHECK(!memcmp(out, in, end));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 in[TCPAO_OPTSPACE_MAX], out[TCPAO_OPTSPACE_MAX], keyid, rnext;
	unsigned int len, ao_off = ~0U;
	struct tcpao_opts o;
	u8 *heap;
	u16 delta;
	int ret, r;

	if (size < 4)
		return 0;
	len = data[0] % (TCPAO_OPTSPACE_MAX + 1);
	keyid = data[1];
	rnext = data[2];
	delta = data[3];
	memset(in, 0, sizeof(in));
	memcpy(in, data + 4, size - 4 < len ? size - 4 : len);

	/* Exactly @len bytes on the heap: ASan sees any read beyond. */
	heap = malloc(len ? len : 1);
	memcpy(heap, in, len);
	ret = tcpao_opts_parse(heap, len, &o);
	CHECK(ret == 0 || ret == -EINVAL);
	check_parse(heap, len, ret, &o);

	memset(out, 0xA5, sizeof(out));
	r = tcpao_opts_sign_layout(heap, len, out, keyid, rnext, &ao_off);
	if (ret || o.ao >= 0)
		CHECK(r == -EINVAL);
	else
		check_layout(heap, len, &o, r, out, ao_off, keyid, rnext);

	if (!ret && o.ao >= 0) {
		struct tcpao_opts o2;
		unsigned int i;

		tcpao_opts_hide_ao(heap, &o);
		for (i = 0; i < TCPAO_OPT_LEN; i++)
			CHECK(heap[o.ao + i] == TCPAO_KIND_NOP);
		CHECK(tcpao_opts_parse(heap, len, &o2) == 0 && o2.ao < 0);
	}
	if (!ret) {
		u16 before = 0, after;
		bool changed;

		if (o.mss >= 0)
			before = (heap[o.mss + 2] << 8) | heap[o.mss + 3];
		changed = tcpao_opts_mss_reduce(heap, &o, delta);
		CHECK(!changed || o.mss >= 0);
		if (o.mss >= 0) {
			after = (heap[o.mss + 2] << 8) | heap[o.mss + 3];
			if (changed)
				CHECK(after == before - delta &&
				      before > delta + 64);
			else
				CHECK(after == before && before <= delta + 64);
		}
	}
	free(heap);
	return 0;
}
