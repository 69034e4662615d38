#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Hostile netlink, part 1: as root, in a namespace of its own,
# tests/tools/nlfuzz.c sends random and mutated messages to the tcpao
# family (every command, doit and dump; bad types, lengths, nesting,
# missing attributes, huge values, lying headers, two requests in one
# send) and checks that a message the kernel rejected left the
# configuration exactly as it was (keychains with their keys, peer
# policies, limits, compared after every message tcpao answered itself),
# that replies and extack messages are well formed, and that no reply or
# event echoes a key's secret.  Then random socket options (TCPAO_SO_*:
# garbage structures, wrong lengths, levels and socket types, repair
# mode); no binding may outlive its socket.  All this while a protected
# session runs in another namespace.  Part 2, as unprivileged users, is
# hardening/netlink_users.sh; together they make 100,000.
#
# HARDEN_NL_ROOT (default 60000): messages; HARDEN_SOCKOPT (default 5000):
# socket option calls.
. "$(dirname "$0")/../../lib.sh"
. "$TCPAO_SRC/tests/tools/harden-lib.sh"

N_ROOT=${HARDEN_NL_ROOT:-60000}
N_SOCK=${HARDEN_SOCKOPT:-5000}
FUZZ=/tmp/nlfuzz
. "$HD_TOOLS/nlfuzz-lib.sh"

# A protected session elsewhere: the fuzzing must not disturb it.
hd_topo
check "keychains and peer policies r1/r2" hd_protect
hd_sessions_start s4,r2,r1,192.0.2.2,179

ns_create fz
_n=root
run_fuzz "as root: $N_ROOT messages, $N_SOCK socket options" in_ns fz \
	$FUZZ -n "$N_ROOT" -S "$N_SOCK" -s 1
hd_full "netlink messages as root, none failed" "$total" 60000 "$N_ROOT"
hd_sessions_alive "the protected session elsewhere stayed up"
hd_sessions_stop
check_eq "the session saw no bad MAC" 0 "$(hd_stat r2 bad_mac)"

done_testing
