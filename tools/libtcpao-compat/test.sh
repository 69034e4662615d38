#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libtcpao-compat.so's test (make check): probe.c makes a daemon's calls
# with the library preloaded and fake.c standing in for the kernel below
# it, logging what reaches it.  Asserts, for a kernel without TCP-AO with
# and without tcpao, and for a kernel with native TCP-AO: which calls go
# to tcpao (level and option number), which go on unchanged, and the
# errors the daemon sees.
set -eu
cd "$(dirname "$0")"
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
$CC -std=gnu11 -Wall -Wextra -Werror -fPIC -shared -o "$T/fake.so" fake.c -ldl
$CC -std=gnu11 -Wall -Wextra -Werror -o "$T/probe" probe.c
fail=0 n=0

# run NAME FAMILY KERNEL TCPAO EXPECTED-OUTPUT EXPECTED-LOG
run() {
	n=$((n + 1))
	rm -f "$T/log"
	out=$(FAKE_LOG=$T/log FAKE_KERNEL=$3 FAKE_TCPAO=$4 \
		LD_PRELOAD="$PWD/libtcpao-compat.so $T/fake.so" "$T/probe" $2)
	log=$(cat "$T/log" 2>/dev/null || true)
	if [ "$out" = "$5" ] && [ "$log" = "$6" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '#   output: %s\n#   want:   %s\n#   log: %s\n#   want: %s\n' \
			"$out" "$5" "$log" "$6"
		fail=1
	fi
}

NOPROTO=$(printf 'Protocol not available')
# IPPROTO_TCP=6 IPPROTO_IP=0 IPPROTO_IPV6=41; TCP_AO_ADD_KEY=38 -> 5929,
# TCP_AO_INFO=40 -> 5931.  TCP_NODELAY (1) reaches the fake unchanged,
# which passes it on to the C library.
run "no TCP-AO, tcpao loaded, IPv4: forwarded to IPPROTO_IP 5929.." 4 none 1 \
"udp $NOPROTO
nodelay ok
add ok
add ok
info ok" \
"get 6 40
set 0 5929
set 6 1
set 0 5929
set 0 5929
get 0 5931"
run "no TCP-AO, tcpao loaded, IPv6: forwarded to IPPROTO_IPV6" 6 none 1 \
"udp $NOPROTO
nodelay ok
add ok
add ok
info ok" \
"get 6 40
set 41 5929
set 6 1
set 41 5929
set 41 5929
get 41 5931"
run "no TCP-AO, no tcpao: the kernel's ENOPROTOOPT, nothing forwarded" 4 none 0 \
"udp $NOPROTO
nodelay ok
add $NOPROTO
add $NOPROTO
info $NOPROTO" \
"get 6 40
set 6 38
set 6 1
get 6 40
set 6 38
get 6 40
set 6 38
get 6 40
get 6 40"
run "native TCP-AO: the kernel answers, never tcpao" 4 native 1 \
"udp Invalid argument
nodelay ok
add Invalid argument
add Invalid argument
info Invalid argument" \
"get 6 40
set 6 38
set 6 1
set 6 38
set 6 38
get 6 40"
# A first call the kernel refuses for a reason of its own (TCP_AO_REPAIR:
# EPERM before anything else on Linux 6.12) decides nothing: the library's
# own question does.
run "no TCP-AO, tcpao loaded, TCP_AO_REPAIR first: still forwarded" "4 repair-first" none 1 \
"repair ok
udp $NOPROTO
nodelay ok
add ok
add ok
info ok" \
"get 6 40
get 0 5933
set 0 5929
set 6 1
set 0 5929
set 0 5929
get 0 5931"
echo "1..$n"
exit $fail
