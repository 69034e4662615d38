#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The uAPI structures (include/uapi/linux/tcpao.h) have the same layout for
# a 64-bit and a 32-bit process, with no hole the compiler adds: a 32-bit
# process on a 64-bit kernel (or a 32-bit kernel) reads and writes the same
# bytes as a 64-bit one.  uapi_layout.c holds the expected offsets, checked
# at compile time for x86_64 and for i386 (-m32, compile only: no 32-bit C
# library is needed, the x86 <asm/> headers serve both); pahole then
# confirms that no structure has a hole or tail padding.  TAP on stdout.
#
# Environment: TOPDIR (the source tree), CC.
set -u

TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CC=${CC:-cc}
T=$(mktemp -d /tmp/tcpao-uapi.XXXXXX)
trap 'rm -rf "$T"' EXIT
SRC=$TOPDIR/tests/unit/uapi_layout.c
INC="-I$TOPDIR/include/uapi"
# Debian keeps the x86 <asm/*.h> under the x86_64 multiarch directory;
# they choose by __i386__/__x86_64__, so they serve -m32 as well.
ASM=$(ls -d /usr/include/x86_64-linux-gnu 2>/dev/null)

n=0
failed=0
ok()
{
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		sed 's/^/#   /' "$T/out"
	fi
}

$CC -std=gnu11 -Wall -Wextra -Werror -Wpadded -g -c $INC -o "$T/native.o" \
	"$SRC" >"$T/out" 2>&1
ok $? "uAPI layouts as documented, no padding (native, $(uname -m))"

if $CC -m32 -E -x c /dev/null >/dev/null 2>&1; then
	$CC -m32 -std=gnu11 -Wall -Wextra -Werror -Wpadded -c $INC \
		${ASM:+-I$ASM} -o "$T/i386.o" "$SRC" >"$T/out" 2>&1
	ok $? "uAPI layouts identical for a 32-bit process (-m32)"
else
	n=$((n + 1))
	echo "ok $n - uAPI layouts for a 32-bit process # SKIP $CC has no -m32"
fi

if command -v pahole >/dev/null 2>&1; then
	for s in tcpao_bind tcpao_info tcpao_repair; do
		pahole -C "$s" "$T/native.o" >"$T/out" 2>&1
		st=$?
		[ $st -eq 0 ] && grep -q "struct $s" "$T/out" &&
			! grep -Eq 'hole|padding:' "$T/out"
		ok $? "pahole: struct $s has no hole and no tail padding"
	done
else
	n=$((n + 1))
	echo "ok $n - pahole # SKIP pahole (dwarves) is not installed"
fi

echo "1..$n"
[ $failed -eq 0 ]
