/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP option parsing and rewriting for TCP-AO.  Pure logic on byte arrays:
 * the datapath, the KUnit suite and the userspace fuzzer share it.
 */
#ifndef _TCPAO_OPTION_H
#define _TCPAO_OPTION_H

#ifdef __KERNEL__
#include <linux/types.h>
#include "compat.h"
#else
#include "uspace.h"
#endif

#define TCPAO_OPTSPACE_MAX	40	/* MAX_TCP_OPTION_SPACE */

#define TCPAO_KIND_EOL		0
#define TCPAO_KIND_NOP		1
#define TCPAO_KIND_MSS		2
#define TCPAO_KIND_SACK		5
#define TCPAO_KIND_MD5		19
#define TCPAO_KIND_AO		29

/**
 * struct tcpao_opts - what the datapath needs to know of a segment's options
 * @ao: offset of the TCP-AO option in the options area, or -1
 * @mss: offset of the MSS option, or -1
 * @sack: offset of the SACK option, or -1
 * @md5: a TCP-MD5 option is present
 * @sack_nops: two NOP options come right before the SACK option
 * @end: length of the options up to (not including) EOL
 */
struct tcpao_opts {
	int ao;
	int mss;
	int sack;
	bool md5;
	bool sack_nops;
	unsigned int end;
};

/* Wire format of the TCP-AO option (RFC 5925 section 2.2). */
struct tcpao_opt {
	u8 kind;
	u8 len;
	u8 keyid;
	u8 rnext;
	u8 mac[];
} __packed;

int tcpao_opts_parse(const u8 *opts, unsigned int len, struct tcpao_opts *o);
int tcpao_opts_sign_layout(const u8 *in, unsigned int inlen, u8 *out,
			   u8 keyid, u8 rnext, unsigned int *ao_off);
void tcpao_opts_hide_ao(u8 *opts, const struct tcpao_opts *o);
bool tcpao_opts_mss_reduce(u8 *opts, const struct tcpao_opts *o,
			   u16 delta);

#endif /* _TCPAO_OPTION_H */
