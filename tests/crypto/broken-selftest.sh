#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A tcpao.ko whose known-answer self-test fails must refuse to load.
#
#   tests/crypto/broken-selftest.sh [--kernel stock|debug] [tests/vm/run options]
#
# The guest cannot rebuild the module, so this runs in two halves:
#
#  1. on the host, build a copy of the tree with TCPAO_SELFTEST_BREAK=1
#     (Kbuild turns it into -DTCPAO_SELFTEST_BREAK: src/selftest.c then
#     expects a wrong MAC for RFC 9235 vector 5.1.3) into
#     build/broken-selftest/<kernel release>/tcpao.ko, where the guest sees
#     it (the repository is at its host path in the guest; /tmp is not);
#  2. boot the guest with tests/vm/run --no-load and run
#     tests/crypto/broken-selftest-guest.sh, which insmods that module,
#     expects the load to fail with the self-test line in the kernel log,
#     then loads the normal tcpao.ko and expects "self-test passed".
#
# Prints the harness' verdict (ending "N passed, N failed"); exit status 0
# only when every check passed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
kernel=stock
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--kernel=*) kernel=${1#*=} ;;
	*) args+=("$1") ;;
	esac
	shift
done

case $kernel in
stock) kdir=$("$repo/tests/vm/stock-kernel" --kdir) ;;
debug) kdir=$("$repo/tests/vm/build-kernel") ;;
*)
	echo "broken-selftest: --kernel must be stock or debug" >&2
	exit 2
	;;
esac
[ -d "$kdir" ] || { echo "broken-selftest: $kdir missing" >&2; exit 2; }
# The guest looks for build/broken-selftest/$(uname -r)/tcpao.ko.
kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$kdir/include/generated/utsrelease.h")
[ -n "$kver" ] || { echo "broken-selftest: no kernel release in $kdir" >&2; exit 2; }

out=$repo/build/broken-selftest/$kver
tree=$out/tree
mkdir -p "$tree"
echo "broken-selftest: building tcpao.ko with TCPAO_SELFTEST_BREAK=1 for $kver" >&2
(cd "$repo" && rsync -aR --delete \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.o.d' --exclude='*.order' \
	--exclude='*.symvers' \
	Kbuild VERSION src include "$tree/")
# CONFIG_KUNIT= : only tcpao.ko is wanted.
if ! make -C "$kdir" M="$tree" TCPAO_SELFTEST_BREAK=1 CONFIG_KUNIT= \
	TCPAO_VERSION=selftest-break modules >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "FAIL broken-selftest: build (see $out/build.log)"
	echo "0 passed, 1 failed"
	exit 1
fi
cp "$tree/tcpao.ko" "$out/tcpao.ko"

exec "$repo/tests/vm/run" --kernel "$kernel" --no-load "${args[@]}" \
	tests/crypto/broken-selftest-guest.sh
