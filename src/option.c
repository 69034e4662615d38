// SPDX-License-Identifier: GPL-2.0
/*
 * TCP option parsing and rewriting for TCP-AO (RFC 5925 section 2.2).
 *
 * Input segments come from the network and may be hostile: the parser
 * bounds-checks every length byte and reports anything that does not parse
 * as malformed, so that the caller drops and counts it.  Output segments
 * come from the local stack; the layout function makes room for TCP-AO by
 * trimming SACK blocks (never TCP-AO itself) when 40 bytes are not enough.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/export.h>
#endif
#include <linux/tcpao.h>
#include "option.h"

/**
 * tcpao_opts_parse - locate the options TCP-AO cares about
 * @opts: the options area (TCP header + 20)
 * @len: its length (doff * 4 - 20)
 * @o: result
 *
 * Returns 0, or -EINVAL when the options are malformed: a length byte
 * missing, below 2 or reaching beyond the header, a second TCP-AO option,
 * or a TCP-AO option whose length is not that of a 96-bit MAC.
 */
int tcpao_opts_parse(const u8 *opts, unsigned int len, struct tcpao_opts *o)
{
	unsigned int i = 0, nops = 0;

	o->ao = -1;
	o->mss = -1;
	o->sack = -1;
	o->md5 = false;
	o->sack_nops = false;
	o->end = len;

	while (i < len) {
		u8 kind = opts[i];
		u8 olen;

		if (kind == TCPAO_KIND_EOL) {
			o->end = i;
			break;
		}
		if (kind == TCPAO_KIND_NOP) {
			i++;
			nops++;
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL;
		olen = opts[i + 1];
		if (olen < 2 || olen > len - i)
			return -EINVAL;

		switch (kind) {
		case TCPAO_KIND_AO:
			if (o->ao >= 0 || olen != TCPAO_OPT_LEN)
				return -EINVAL;
			o->ao = i;
			break;
		case TCPAO_KIND_MD5:
			o->md5 = true;
			break;
		case TCPAO_KIND_MSS:
			if (olen == 4)
				o->mss = i;
			break;
		case TCPAO_KIND_SACK:
			o->sack = i;
			o->sack_nops = nops >= 2;
			break;
		}
		nops = 0;
		i += olen;
	}
	return 0;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_opts_parse);

/*
 * Copy @in to @out without the SACK option's trailing blocks beyond
 * @keep_blocks.  With no block kept the option goes, and with it the two
 * NOPs the stack puts before it for alignment: NOP options, as the parser
 * saw them, not just bytes of value 1 (the end of the option before could
 * be).  Returns the length copied.
 */
static unsigned int tcpao_copy_trim_sack(const u8 *in, unsigned int inlen,
					 const struct tcpao_opts *o,
					 unsigned int keep_blocks, u8 *out)
{
	unsigned int sack = o->sack;
	unsigned int sack_len = in[sack + 1];
	unsigned int n = 0;
	unsigned int head = sack;

	if (!keep_blocks && o->sack_nops)
		head = sack - 2;

	memcpy(out, in, head);
	n = head;
	if (keep_blocks) {
		unsigned int l = 2 + 8 * keep_blocks;

		memcpy(out + n, in + sack, l);
		out[n + 1] = l;
		n += l;
	}
	memcpy(out + n, in + sack + sack_len, inlen - sack - sack_len);
	return n + inlen - sack - sack_len;
}

/**
 * tcpao_opts_sign_layout - options of a segment about to be signed
 * @in: the segment's options as the stack wrote them (well formed)
 * @inlen: their length
 * @out: buffer of TCPAO_OPTSPACE_MAX bytes for the new options
 * @keyid: KeyID to put in the TCP-AO option
 * @rnext: RNextKeyID to put in the TCP-AO option
 * @ao_off: set to the offset of the TCP-AO option in @out
 *
 * Everything is kept as it was, except that SACK blocks are dropped from
 * the end of the SACK option until TCP-AO fits (RFC 5925 7.6 leaves room
 * for one block next to timestamps).  TCP-AO goes last, 4-byte aligned,
 * with its MAC zeroed.  Returns the new length (a multiple of 4) or
 * -ENOSPC when even that is not enough.
 */
int tcpao_opts_sign_layout(const u8 *in, unsigned int inlen, u8 *out,
			   u8 keyid, u8 rnext, unsigned int *ao_off)
{
	const unsigned int room = TCPAO_OPTSPACE_MAX - TCPAO_OPT_LEN;
	struct tcpao_opts o;
	unsigned int n, blocks = 0;
	struct tcpao_opt *ao;

	if (inlen > TCPAO_OPTSPACE_MAX || tcpao_opts_parse(in, inlen, &o) ||
	    o.ao >= 0)
		return -EINVAL;
	inlen = o.end;
	if (o.sack >= 0)
		blocks = (in[o.sack + 1] - 2) / 8;

	for (;;) {
		if (o.sack >= 0) {
			n = tcpao_copy_trim_sack(in, inlen, &o, blocks, out);
		} else if (inlen <= room) {
			memcpy(out, in, inlen);
			n = inlen;
		} else {
			return -ENOSPC;
		}
		if (((n + 3) & ~3U) <= room)
			break;
		if (o.sack < 0 || !blocks)
			return -ENOSPC;
		blocks--;
	}

	while (n & 3)
		out[n++] = TCPAO_KIND_NOP;
	ao = (struct tcpao_opt *)(out + n);
	ao->kind = TCPAO_KIND_AO;
	ao->len = TCPAO_OPT_LEN;
	ao->keyid = keyid;
	ao->rnext = rnext;
	memset(ao->mac, 0, TCPAO_MAC_LEN);
	*ao_off = n;
	return n + TCPAO_OPT_LEN;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_opts_sign_layout);

/*
 * Replace a verified TCP-AO option by NOPs: kernels with native TCP-AO
 * would otherwise drop a segment carrying an option its socket did not ask
 * for, and no kernel needs to see it once we have checked it.
 */
void tcpao_opts_hide_ao(u8 *opts, const struct tcpao_opts *o)
{
	memset(opts + o->ao, TCPAO_KIND_NOP, TCPAO_OPT_LEN);
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_opts_hide_ao);

/*
 * Lower the MSS a SYN or SYN-ACK announces by the room TCP-AO takes in
 * every segment we will send, so that the stack sizes even the first data
 * segment of a connection to fit the peer's MTU (RFC 6691: the sender must
 * account for its own options).  Returns whether the option changed.
 */
bool tcpao_opts_mss_reduce(u8 *opts, const struct tcpao_opts *o, u16 delta)
{
	u16 mss;

	if (o->mss < 0)
		return false;
	mss = (opts[o->mss + 2] << 8) | opts[o->mss + 3];
	/* Leave absurdly small values to the stack's own clamping. */
	if (mss <= delta + 64)
		return false;
	mss -= delta;
	opts[o->mss + 2] = mss >> 8;
	opts[o->mss + 3] = mss & 0xff;
	return true;
}
EXPORT_SYMBOL_IF_TCPAO_KUNIT(tcpao_opts_mss_reduce);
