# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for scenario scripts (tests/scenarios/*/*.sh), which run as root in
# the test VM (tests/vm/run) and print TAP.  Source it first:
#
#	. "$(dirname "$0")/../lib.sh"
#
# The harness gives every script:
#	TCPAO_SRC      the repository (same path as on the host)
#	TCPAO_KO       tcpao.ko built for the running kernel
#	TCPAO_KO_DIR   every .ko built for the running kernel
#	AOCTL          tools/aoctl/aoctl
#	RESULTS        a writable directory for this script's captures and logs
#	KERNEL_FLAVOR  debug or stock
#
# TAP:
#	plan N                       optional "1..N" up front
#	ok DESC / not_ok DESC [MSG]  one result
#	skip DESC REASON             "ok N - DESC # SKIP REASON"
#	skip_all REASON              "1..0 # SKIP REASON" and exit 0
#	diag MSG                     "# MSG"
#	check DESC CMD...            ok if CMD succeeds; its output is kept and
#	                             shown as diagnostics when it fails
#	check_eq DESC EXPECTED ACTUAL
#	check_grep DESC REGEX FILE   ok if grep -E REGEX matches in FILE
#	done_testing                 prints the plan if none was given and
#	                             exits 1 if anything failed (0 otherwise)
#	bail MSG                     "Bail out! MSG", exit 1
# Waiting:
#	wait_for SECONDS CMD...      run CMD every 0.2 s until it succeeds;
#	                             returns 1 after SECONDS
# Network namespaces (deleted again on exit, as are background jobs
# started with spawn):
#	ns_create NS...              new namespaces with lo up
#	ns_link [--mtu N] NS1 NS2 ADDR1 ADDR2 [ADDR1 ADDR2]...
#	                             veth NS1<->NS2 (interfaces "to-NS2" in NS1,
#	                             "to-NS1" in NS2), up, with the addresses
#	                             given in pairs (IPv4 or IPv6; no DAD)
#	topo_two [--mtu N] NS1 NS2 ADDR1 ADDR2 [ADDR1 ADDR2]...
#	                             ns_create NS1 NS2 + ns_link
#	in_ns NS CMD...              ip netns exec NS CMD...
#	spawn CMD...                 start CMD in the background, killed on exit
#	on_exit CMD                  run the shell command CMD on exit (LIFO)
#	require CMD...               skip_all unless every CMD is installed

: "${TCPAO_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TCPAO_KO_DIR:=$TCPAO_SRC}"
: "${TCPAO_KO:=$TCPAO_KO_DIR/tcpao.ko}"
: "${AOCTL:=$TCPAO_SRC/tools/aoctl/aoctl}"
: "${RESULTS:=$(mktemp -d)}"
: "${KERNEL_FLAVOR:=unknown}"
export TCPAO_SRC TCPAO_KO TCPAO_KO_DIR AOCTL RESULTS KERNEL_FLAVOR

_tap_n=0
_tap_failed=0
_tap_planned=
_lib_ns=
_lib_pids=
_lib_exit_cmds=

# --- TAP -------------------------------------------------------------------
plan() {
	_tap_planned=$1
	echo "1..$1"
}

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	[ $# -lt 2 ] || diag "$2"
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

bail() {
	echo "Bail out! $*"
	exit 1
}

check() {
	_desc=$1
	shift
	if "$@" >"$RESULTS/.check.out" 2>&1; then
		ok "$_desc"
	else
		not_ok "$_desc" "failed: $* (exit $?)"
		tail -n 20 "$RESULTS/.check.out" | sed 's/^/#   /'
	fi
	rm -f "$RESULTS/.check.out"
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected '$2', got '$3'"
	fi
}

check_grep() {
	if grep -Eq -- "$2" "$3" 2>/dev/null; then
		ok "$1"
	else
		not_ok "$1" "no line matching '$2' in $3"
	fi
}

done_testing() {
	[ -n "$_tap_planned" ] || echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ] || exit 1
	if [ -n "$_tap_planned" ] && [ "$_tap_planned" -ne "$_tap_n" ]; then
		diag "planned $_tap_planned tests, ran $_tap_n"
		exit 1
	fi
	exit 0
}

# check_no_failures NS: none of tcpao's failure counters in namespace NS
# moved.  The counters that did are in the test's own line, which is all
# that a summary of failures (tests/check's, CI's) shows; the module's
# last lines for drops (peer, ports, cause) in its diagnostics.
check_no_failures() {
	_bad=
	for _c in bad-mac key-not-found ao-required malformed key-expired \
		key-not-yet-valid no-send-key no-option-space no-state \
		md5-conflict tx-error rx-error; do
		_v=$("$AOCTL" -n "$1" stats | awk -v k="$_c" '$1 == k { print $2 }')
		[ "$_v" = 0 ] || _bad="$_bad $_c=${_v:-?}"
	done
	if [ -z "$_bad" ]; then
		ok "$1: no TCP-AO failures in aoctl stats"
	else
		not_ok "$1: no TCP-AO failures in aoctl stats (counters:$_bad)" \
			"the module's last drop lines: $(dmesg 2>/dev/null |
				grep 'tcpao: dropped segment' | tail -n 4)"
	fi
}

# --- Waiting -----------------------------------------------------------------
wait_for() {
	_end=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

# --- Cleanup -------------------------------------------------------------------
on_exit() {
	_lib_exit_cmds="$1
$_lib_exit_cmds"
}

_lib_cleanup() {
	_rc=$?
	trap - EXIT INT TERM
	# Registered commands first (newest first), then jobs, then namespaces.
	printf '%s\n' "$_lib_exit_cmds" | while IFS= read -r _c; do
		[ -z "$_c" ] || eval "$_c" >/dev/null 2>&1
	done
	for _p in $_lib_pids; do
		kill "$_p" 2>/dev/null
	done
	for _ns in $_lib_ns; do
		ip netns pids "$_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns delete "$_ns" 2>/dev/null
	done
	exit "$_rc"
}
trap _lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

spawn() {
	"$@" &
	_lib_pids="$_lib_pids $!"
}

require() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || skip_all "$_c is not installed"
	done
}

# --- Network namespaces --------------------------------------------------------
in_ns() {
	_ns=$1
	shift
	ip netns exec "$_ns" "$@"
}

ns_create() {
	for _ns in "$@"; do
		ip netns add "$_ns" || bail "cannot create netns $_ns"
		_lib_ns="$_lib_ns $_ns"
		ip -n "$_ns" link set lo up
	done
}

# Interface names are at most 15 characters.
_lib_ifname() {
	printf 'to-%s' "$1" | cut -c1-15
}

ns_link() {
	_mtu=
	if [ "$1" = --mtu ]; then
		_mtu=$2
		shift 2
	fi
	_a=$1 _b=$2
	shift 2
	_ia=$(_lib_ifname "$_b")
	_ib=$(_lib_ifname "$_a")
	ip link add "$_ia" netns "$_a" type veth peer name "$_ib" netns "$_b" ||
		bail "cannot create veth $_a/$_ia <-> $_b/$_ib"
	if [ -n "$_mtu" ]; then
		ip -n "$_a" link set "$_ia" mtu "$_mtu"
		ip -n "$_b" link set "$_ib" mtu "$_mtu"
	fi
	while [ $# -ge 2 ]; do
		# nodad: an IPv6 address must be usable at once, not after DAD.
		case $1 in *:*) _f=nodad ;; *) _f= ;; esac
		ip -n "$_a" addr add "$1" dev "$_ia" $_f || bail "cannot add $1 in $_a"
		ip -n "$_b" addr add "$2" dev "$_ib" $_f || bail "cannot add $2 in $_b"
		shift 2
	done
	ip -n "$_a" link set "$_ia" up
	ip -n "$_b" link set "$_ib" up
}

topo_two() {
	_mtu_opt=
	if [ "$1" = --mtu ]; then
		_mtu_opt="--mtu $2"
		shift 2
	fi
	ns_create "$1" "$2"
	# shellcheck disable=SC2086 # $_mtu_opt is empty or two words
	ns_link $_mtu_opt "$@"
}
