# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the scenarios that run real, unmodified Debian routing daemons
# over tcpao (tests/scenarios/daemons/*.sh) and for the demo (tests/demo/):
# the Junos seed's two routers, its keychain and peer policies, BIRD 2,
# FRR 8.4 (zebra, ospfd, ldpd) and StayRTR in network namespaces, packet
# captures and their TCP-AO check.  Bash only.  Source it after lib.sh:
#
#	. "$(dirname "$0")/../lib.sh"
#	. "$(dirname "$0")/../lib-daemons.sh"
#
# Topology and seed:
#	seed_topology [--v4-only]  R1 (192.0.2.1/30, 2001:db8::1/64, lo
#	                           192.168.0.11) -- R2 (192.0.2.2/30,
#	                           2001:db8::2/64, lo 192.168.0.12); interfaces
#	                           to-R2 in R1 and to-R1 in R2
#	aoctl_batch NS FILE        aoctl -n NS -b FILE (copied mode 0600 first,
#	                           as an operator keeps a file with secrets)
#	seed_keychain NS r1|r2     the seed's keychain new_auth_key
#	                           (tests/scenarios/data/seed-r?.batch)
#	seed_peers NS r1|r2        the seed's peer policies: BGP (IPv4, IPv6),
#	                           LDP, RPKI-RTR (data/daemons/r?-peers.batch)
#	aostat NS NAME             one counter of "aoctl stats" (text name,
#	                           e.g. bad-mac)
#	aoconn NS FILTER FIELD...  the FIELDs (space-separated) of the first
#	                           connection of "aoctl -j conn show" that
#	                           matches FILTER, a Python expression over c
#	                           (the connection's JSON object)
#	sock_ports NS REMOTE PORT  "LPORT RPORT" of the established TCP socket
#	                           (ss) to REMOTE with PORT at either end
#	session_conn NS REMOTE PORT FIELD...
#	                           aoconn for the connection of the kernel's
#	                           established socket (sock_ports): the live
#	                           session, not an older entry tcpao keeps
#	sessions_view NS PORT      "REMOTE LPORT RPORT SEND RECV" per live
#	                           session (KeyID/RNextKeyID sent, received)
#	session_ids NS REMOTE PORT "SEND RECV" of the live session to REMOTE
#	utc_in SECONDS             a start time SECONDS from now, for aoctl
# Daemons (each with its own directory under $DTMP; logs and the rendered
# configurations go to $RESULTS):
#	bird_start NAME NS CONF    BIRD with CONF (@LOG@ replaced)
#	birdc_ NAME CMD...         birdc on NAME's control socket
#	bird_stop NAME [SIGNAL]    kill BIRD (default TERM), wait until gone
#	bird_state NAME PROTO      the protocol's Info column (Established, ...)
#	bird_up NAME PROTO         BGP/RPKI protocol is up and Established
#	bird_since NAME PROTO      the protocol's "Since" column
#	frr_start NAME NS CONF DAEMON...
#	                           FRR daemons as Debian runs them (user frr),
#	                           pathspace NAME, then CONF loaded by vtysh -f
#	vtysh_ NAME ARGS...        vtysh for NAME's daemons
#	mpls_enable NS IF...       MPLS forwarding in NS (modprobe on stock)
#	stayrtr_start NAME NS BIND JSON
#	                           StayRTR serving the ROAs of JSON on BIND
#	                           (re-read every 2 s)
# Captures:
#	cap_start NAME NS IF [FILTER]  tcpdump -w $RESULTS/NAME.pcap
#	cap_stop NAME                  stop it (all packets written)
#	ao_count PCAP FILTER [SKIP]    "SEGMENTS WITH_TCP_AO", not counting
#	                               segments whose line matches regex SKIP
#	count_flags PCAP FILTER FLAGS  segments with exactly these flags (S.)
#	check_all_ao DESC PCAP FILTER [SKIP]
#	                               ok if there are segments and every one
#	                               carries TCP-AO
#	check_no_ao DESC PCAP FILTER [SKIP]
#	                               ok if there are segments and none does
#	keyids PCAP FILTER             the KeyIDs in order, repeats folded
#	show_segments PCAP FILTER N    the first N segments, as tcpdump shows
#	                               them (for the eye)
#	check_macs DESC PCAP [OPTION...]
#	                               ok if every TCP segment of PCAP carries
#	                               TCP-AO and its MAC verifies, recomputed
#	                               by tests/tools/aoverify.py from the keys
#	                               of every batch file aoctl_batch loaded
#	                               (OPTIONs go to it: --unsigned-ok, ...)
# Checks (TAP):
#	check_bird_up NAME PROTO [SECONDS]   wait for Established (default 60 s)
#	check_stat DESC NS COUNTER OP VALUE  e.g. check_stat "..." R1 bad-mac -gt 0
#	check_clean NS                       every failure counter is 0
#	check_since DESC BEFORE AFTER        BIRD's "Since" did not move
#	diag_cmd TITLE CMD...                CMD's output as TAP diagnostics

DAEMONS_DATA=$TCPAO_SRC/tests/scenarios/data/daemons
SEED_DATA=$TCPAO_SRC/tests/scenarios/data
DTMP=$(mktemp -d /tmp/tcpao-daemons.XXXXXX) || bail "mktemp failed"
# FRR drops to user frr: it must reach its directories below.
chmod 755 "$DTMP"
on_exit "rm -rf '$DTMP'"
# The guest's PATH has the daemons; an operator's shell may not have sbin.
PATH=$PATH:/usr/sbin:/sbin
declare -A _cap_pid=()

# --- Topology and seed ------------------------------------------------------------
seed_topology() {
	if [ "${1:-}" = --v4-only ]; then
		topo_two R1 R2 192.0.2.1/30 192.0.2.2/30
	else
		topo_two R1 R2 192.0.2.1/30 192.0.2.2/30 2001:db8::1/64 2001:db8::2/64
	fi
	ip -n R1 addr add 192.168.0.11/32 dev lo
	ip -n R2 addr add 192.168.0.12/32 dev lo
}

aoctl_batch() {
	local f
	f=$DTMP/aoctl-$1-$(basename "$2")
	# Kept for check_macs: the keys the capture verifier tries.
	echo "$f" >>"$DTMP/key-batches"
	install -m 600 "$2" "$f" && "$AOCTL" -n "$1" -b "$f"
}

seed_keychain() {
	aoctl_batch "$1" "$SEED_DATA/seed-$2.batch"
}

seed_peers() {
	aoctl_batch "$1" "$DAEMONS_DATA/$2-peers.batch"
}

aostat() {
	"$AOCTL" -n "$1" stats | awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print "?" }'
}

aoconn() {
	"$AOCTL" -n "$1" -j conn show | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    if eval(sys.argv[1]):
        v = [c.get(f) for f in sys.argv[2:]]
        print(" ".join(",".join(x) if isinstance(x, list) else str(x) for x in v))
        break
' "$2" "${@:3}"
}

sock_ports() {
	ip netns exec "$1" ss -Htn state established | awk -v r="$2" -v p="$3" '{
		lp = $3; sub(/.*:/, "", lp)
		rp = $4; sub(/.*:/, "", rp)
		ra = $4; sub(/:[0-9]+$/, "", ra); gsub(/[][]/, "", ra); sub(/^::ffff:/, "", ra)
		if (ra == r && (lp == p || rp == p)) { print lp, rp; exit }
	}'
}

session_conn() {
	local ns=$1 remote=$2 port=$3 lp rp
	shift 3
	read -r lp rp < <(sock_ports "$ns" "$remote" "$port")
	[ -n "$lp" ] || return 1
	aoconn "$ns" "c['remote_address'] == '$remote' and c['local_port'] == $lp and c['remote_port'] == $rp" "$@"
}

# sessions_view NS PORT: one line per established TCP socket with PORT at
# either end, "REMOTE LPORT RPORT SEND RECV" (SEND, RECV: tcpao's
# KeyID/RNextKeyID last sent and received on that connection, "-" if tcpao
# has no entry), from one ss and one "aoctl conn show", so that the lines
# are of one moment.  No Python: tests call it when time matters.
sessions_view() {
	local socks conns
	socks=$(ip netns exec "$1" ss -Htn state established)
	conns=$("$AOCTL" -n "$1" conn show)
	awk -v p="$2" '
		function port(a) { sub(/.*:/, "", a); return a }
		FNR == NR {
			ra = $4; sub(/:[0-9]+$/, "", ra); gsub(/[][]/, "", ra); sub(/^::ffff:/, "", ra)
			lp = port($3); rp = port($4)
			if (lp == p || rp == p) { want[lp " " rp] = ra; order[++n] = lp " " rp }
			next
		}
		(port($1) " " port($2)) in want && !((port($1) " " port($2)) in got) {
			got[port($1) " " port($2)] = $6 " " $7
		}
		END {
			for (i = 1; i <= n; i++) {
				k = order[i]
				print want[k], k, (k in got) ? got[k] : "- -"
			}
		}' <(printf '%s\n' "$socks") <(printf '%s\n' "$conns")
}

# session_ids NS REMOTE PORT: "KeyID/RNextKeyID sent KeyID/RNextKeyID
# received" of the live session's connection to REMOTE.
session_ids() {
	sessions_view "$1" "$3" | awk -v r="$2" '$1 == r { print $4, $5; exit }'
}

utc_in() {
	date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%d.%H:%M:%S
}

# --- BIRD -----------------------------------------------------------------------
bird_start() {
	local name=$1 ns=$2 conf=$3 d=$DTMP/bird-$1
	mkdir -p "$d"
	sed "s#@LOG@#$RESULTS/bird-$name.log#" "$conf" >"$d/bird.conf"
	cp "$d/bird.conf" "$RESULTS/bird-$name.conf"
	# BIRD daemonizes once its control socket is up.
	in_ns "$ns" bird -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" ||
		return 1
	wait_for 30 birdc -s "$d/bird.ctl" show status
}

birdc_() {
	local name=$1
	shift
	birdc -s "$DTMP/bird-$name/bird.ctl" "$@"
}

bird_stop() {
	local pid
	pid=$(cat "$DTMP/bird-$1/bird.pid" 2>/dev/null) || return 0
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	wait_for 30 sh -c "! kill -0 $pid"
}

# "r2_v4  BGP  ---  up  2026-11-24 01:29:27.123  Established": with
# "timeformat protocol iso long ms" Since is two words.
bird_state() {
	birdc_ "$1" show protocols "$2" | awk -v p="$2" '$1 == p {
		s = ""; for (i = 7; i <= NF; i++) s = s (s ? " " : "") $i; print s }'
}

bird_up() {
	birdc_ "$1" show protocols "$2" |
		awk -v p="$2" '$1 == p && $4 == "up" && $7 == "Established" { f = 1 } END { exit !f }'
}

bird_since() {
	birdc_ "$1" show protocols "$2" | awk -v p="$2" '$1 == p { print $5 " " $6 }'
}

# --- FRR ------------------------------------------------------------------------
frr_start() {
	local name=$1 ns=$2 conf=$3 d=$DTMP/frr-$1 daemon
	shift 3
	mkdir -p "$d/etc/$name" "/run/frr/$name" "$RESULTS/frr-$name"
	: >"$d/empty.conf"
	: >"$d/etc/$name/vtysh.conf"
	chown -R frr:frr "$d" "/run/frr/$name"
	# The daemons write their logs after dropping to user frr.
	chmod 777 "$RESULTS/frr-$name"
	for daemon in "$@"; do
		in_ns "$ns" "/usr/lib/frr/$daemon" -d -N "$name" -f "$d/empty.conf" \
			-i "$d/$daemon.pid" --log "file:$RESULTS/frr-$name/$daemon.log" ||
			return 1
		wait_for 30 test -S "/run/frr/$name/$daemon.vty" || return 1
	done
	cp "$conf" "$RESULTS/frr-$name/frr.conf"
	vtysh_ "$name" -f "$conf"
}

vtysh_() {
	local name=$1
	shift
	vtysh -N "$name" --config_dir "$DTMP/frr-$name/etc" "$@"
}

mpls_enable() {
	local ns=$1 i
	shift
	if [ ! -d /proc/sys/net/mpls ]; then
		modprobe mpls_router && modprobe mpls_iptunnel || return 1
	fi
	in_ns "$ns" sysctl -qw net.mpls.platform_labels=100000 || return 1
	for i in "$@"; do
		in_ns "$ns" sysctl -qw "net.mpls.conf.$i.input=1" || return 1
	done
}

# --- StayRTR ----------------------------------------------------------------------
stayrtr_start() {
	local name=$1 ns=$2 bind=$3 json=$4
	cp "$json" "$RESULTS/$name-roas.json"
	# -refresh: re-read JSON every 2 s (tests change it); no metrics port.
	ip netns exec "$ns" stayrtr -bind "$bind" -cache "$json" -checktime=false \
		-refresh 2 -metrics.addr "" >"$RESULTS/$name.log" 2>&1 &
	_lib_pids="$_lib_pids $!"
	wait_for 30 grep -q "Server started" "$RESULTS/$name.log"
}

# --- Captures ---------------------------------------------------------------------
cap_start() {
	local name=$1 ns=$2 ifc=$3
	shift 3
	# -Z root: write the file as root (the results directory is root's).
	ip netns exec "$ns" tcpdump -i "$ifc" -n -U --immediate-mode -Z root -w "$RESULTS/$name.pcap" "$@" \
		2>"$DTMP/cap-$name.err" &
	_cap_pid[$name]=$!
	_lib_pids="$_lib_pids $!"
	wait_for 30 grep -q "listening on" "$DTMP/cap-$name.err" || {
		cat "$DTMP/cap-$name.err" >&2
		return 1
	}
}

cap_stop() {
	local pid=${_cap_pid[$1]:-}
	[ -n "$pid" ] || return 0
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "_cap_pid[$1]"
	return 0
}

# One packet per timestamped line (-tt); decoded payloads (BGP, LDP) add
# indented lines.  The TCP options are on the first line.  (tcpdump's
# tcp[tcpflags] filters work for IPv4 only: flags are matched in the text.)
ao_count() {
	tcpdump -nn -tt -r "$1" "$2" 2>/dev/null | awk -v skip="${3:-}" '
		!/^[0-9]+\.[0-9]+ / { next }
		skip != "" && $0 ~ skip { next }
		{ n++ }
		/tcp-ao keyid [0-9]+ rnextkeyid [0-9]+ mac 0x/ { a++ }
		END { print n + 0, a + 0 }'
}

# count_flags PCAP FILTER FLAGS: segments whose flags are exactly FLAGS as
# tcpdump prints them (S, S., R, R., F., P., ...).
count_flags() {
	tcpdump -nn -r "$1" "$2" 2>/dev/null | grep -c "Flags \[$(printf '%s' "$3" | sed 's/\./\\./g')\]"
}

show_segments() {
	tcpdump -nn -r "$1" "$2" 2>/dev/null | grep '^[0-9]' | head -n "$3"
}

check_all_ao() {
	local n a
	read -r n a < <(ao_count "$2" "$3" "${4:-}")
	if [ "$n" -gt 0 ] && [ "$n" = "$a" ]; then
		ok "$1 ($n segments, all with TCP-AO)"
	else
		not_ok "$1" "$a of $n segments ($3) carry TCP-AO"
		tcpdump -nn -r "$2" "$3" 2>/dev/null | grep '^[0-9]' |
			grep -v "tcp-ao keyid" | head -n 5 | sed 's/^/#   /'
	fi
}

check_macs() {
	local desc=$1 pcap=$2 f out rc
	local keys=()
	shift 2
	out=${pcap%.pcap}.aoverify
	while read -r f; do
		keys+=(--keys "$f")
	done < <(sort -u "$DTMP/key-batches")
	python3 "$TCPAO_SRC/tests/tools/aoverify.py" "${keys[@]}" "$@" "$pcap" >"$out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "$desc ($(tail -n 1 "$out" | sed 's/.*: \([0-9]* verified\).*/\1/'))"
	else
		not_ok "$desc" "tests/tools/aoverify.py exit $rc ($out):"
		tail -n 20 "$out" | sed 's/^/#   /'
	fi
}

check_no_ao() {
	local n a
	read -r n a < <(ao_count "$2" "$3" "${4:-}")
	if [ "$n" -gt 0 ] && [ "$a" = 0 ]; then
		ok "$1 ($n segments, none with TCP-AO)"
	else
		not_ok "$1" "$a of $n segments ($3) carry TCP-AO"
	fi
}

keyids() {
	tcpdump -nn -r "$1" "$2" 2>/dev/null | grep '^[0-9]' |
		grep -oE 'tcp-ao keyid [0-9]+' | awk '{ print $3 }' | uniq | paste -sd' '
}

# --- Checks -----------------------------------------------------------------------
# check_bird_up NAME PROTO [SECONDS]: wait for the protocol to be Established.
check_bird_up() {
	if wait_for "${3:-60}" bird_up "$1" "$2"; then
		ok "$1: BIRD $2 Established"
	else
		not_ok "$1: BIRD $2 Established" "$2 is: $(bird_state "$1" "$2")"
	fi
}

# check_stat DESC NS NAME OP VALUE: an aoctl stats counter compared with
# test(1)'s OP (-eq, -gt, ...).
check_stat() {
	local v
	v=$(aostat "$2" "$3")
	if [ "$v" != "?" ] && [ "$v" "$4" "$5" ]; then
		ok "$1 ($2 $3 $v)"
	else
		not_ok "$1" "$2: $3 is $v, expected $4 $5"
	fi
}

# check_clean NS: no segment dropped or left unsigned for any reason.
check_clean() {
	check_no_failures "$1"
}

# check_since DESC BEFORE AFTER: two "Since" times of a protocol are the
# same.  BIRD keeps them on its monotonic clock and prints them converted to
# wall-clock time, so the printed value drifts by milliseconds with the
# wall clock (under TCG it does); a flap would move it by seconds.
check_since() {
	local a b
	a=$(date -d "$2" +%s.%N 2>/dev/null) b=$(date -d "$3" +%s.%N 2>/dev/null)
	if [ -n "$a" ] && [ -n "$b" ] &&
		awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; exit !(d < 0.5 && d > -0.5) }'; then
		ok "$1 ($3)"
	else
		not_ok "$1" "since '$2' before, '$3' now"
	fi
}

# diag_cmd TITLE CMD...: CMD's output as TAP diagnostics, under TITLE.
diag_cmd() {
	local t=$1
	shift
	diag "$t:"
	"$@" 2>&1 | sed 's/^/#   /'
}

# trixie_shim ROOT: where the kernel has no TCP-AO of its own (Debian's
# 6.12), Debian 13's BIRD 2.17 in the root at ROOT runs with
# libtcpao-compat.so, so that tcpao answers its TCP_AO_* calls
# (src/linuxapi.c, Documentation/linuxapi.rst): the library goes into the
# root's /tmp and /sys, where it looks for tcpao, is bound in.  Sets SHIM
# to the library's path inside the root, or to nothing on a kernel with
# TCP-AO.
trixie_shim() {
	local root=$1 lib=$TCPAO_SRC/tools/libtcpao-compat/libtcpao-compat.so

	SHIM=
	[ -x "$TCPAO_SRC/build/tools/aopeer" ] &&
		"$TCPAO_SRC/build/tools/aopeer" probe 2>/dev/null && return 0
	[ -e "$lib" ] ||
		bail "no TCP-AO in this kernel and no libtcpao-compat.so (make -C tools)"
	cp "$lib" "$root/tmp/" ||
		bail "cannot copy libtcpao-compat.so into the Debian 13 root"
	SHIM=/tmp/libtcpao-compat.so
	mkdir -p "$root/sys"
	mount --bind /sys "$root/sys" || bail "cannot bind /sys into the root"
	on_exit "umount '$root/sys'"
	diag "BIRD 2.17 runs with LD_PRELOAD=libtcpao-compat.so on $(uname -r): tcpao answers its TCP-AO calls"
}
