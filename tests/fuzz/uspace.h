/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel's pure logic (src/option.c, src/sne.h, src/keysel.c)
 * needs to build in userspace for the fuzzers: kernel integer types, the
 * few kernel macros it uses, and a struct tcpao_mkt with just the fields
 * key selection reads.  Nothing here may change what that code does.
 */
#ifndef _TCPAO_FUZZ_USPACE_H
#define _TCPAO_FUZZ_USPACE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef s64 time64_t;

#define __packed __attribute__((__packed__))

/* Exports for the KUnit module: nothing to export here. */
#define EXPORT_SYMBOL_IF_TCPAO_KUNIT(sym)

/*
 * A key version as key selection sees it.  The module's struct tcpao_mkt
 * (src/tcpao.h) has these fields among others; keysel.c reads no other.
 */
struct tcpao_mkt {
	time64_t start;
	u8 id;
	u8 send_id;
	u8 recv_id;
};

#endif /* _TCPAO_FUZZ_USPACE_H */
