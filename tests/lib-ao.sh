# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TCP-AO helpers for scenario scripts, on top of tests/lib.sh:
#
#	. "$(dirname "$0")/../lib.sh"
#	. "$(dirname "$0")/../lib-ao.sh"
#
#	ao NS ARGS...                aoctl -n NS ARGS... (output in $AO_OUT)
#	fails CMD...                 succeeds when CMD fails (for check)
#	ao_key NS KC ID SEND RECV [ALG [OPT [SECRET [START]]]]
#	                             add a key (secret from a root-only file)
#	ao_stat NS NAME              one counter of "aoctl -j stats"
#	ao_conn NS FIELD [N]         FIELD of the Nth connection (conn show -j)
#	xfer_mb                      megabytes a bulk transfer should move here
#	xfer NSC NSS ADDR PORT BYTES run tests/tools/xfer.py; ok if the server
#	                             got what the client sent (sha256)
#	cap_start NS DEV NAME [FILTER]  tcpdump -w $RESULTS/NAME.pcap (headers)
#	cap_stop NAME                stop it (and let it flush)
#	cap_check_ao NAME KEYID...   every TCP segment carries TCP-AO, and every
#	                             KeyID seen is one of KEYID...
#	cap_max_ip NAME              largest IP packet (total length) captured
#	cap_sacks NAME               segments with SACK blocks in capture NAME

# A trace of every command, for when a scenario hangs or fails oddly.
exec 7>>"$RESULTS/trace.log"
BASH_XTRACEFD=7
# \t: the time without a fork (a $(date) per traced command costs a process
# under TCG, several times the command itself).
PS4='+ \t ${LINENO}: '
set -x

XFER=$TCPAO_SRC/tests/tools/xfer.py
AO_OUT=$RESULTS/.ao.out
AO_SECRETS=$RESULTS/secrets
mkdir -p "$AO_SECRETS"
chmod 700 "$AO_SECRETS"

ao() {
	_ns=$1
	shift
	"$AOCTL" -n "$_ns" "$@" >"$AO_OUT" 2>&1
	_rc=$?
	[ $_rc -eq 0 ] || sed 's/^/#   aoctl: /' "$AO_OUT"
	return $_rc
}

fails() {
	! "$@"
}

ao_key() {
	_ns=$1 _kc=$2 _id=$3 _snd=$4 _rcv=$5
	_alg=${6:-hmac-sha-1-96} _opt=${7:-disabled}
	_sec=${8:-tcpao test secret} _start=${9:-}
	_f=$AO_SECRETS/$_ns-$_kc-$_id
	(umask 077 && printf '%s' "$_sec" >"$_f")
	# shellcheck disable=SC2086 # optional words
	ao "$_ns" keychain add "$_kc" key "$_id" secret-file "$_f" \
		send-id "$_snd" recv-id "$_rcv" cryptographic-algorithm "$_alg" \
		tcp-ao-option "$_opt" ${_start:+start-time $_start}
}

ao_stat() {
	"$AOCTL" -n "$1" -j stats | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"
}

ao_conn() {
	"$AOCTL" -n "$1" -j conn show | python3 -c \
		'import json,sys; d=json.load(sys.stdin); i=int(sys.argv[2])
print(d[i][sys.argv[1]] if i < len(d) else "none")' "$2" "${3:-0}"
}

# Megabytes for bulk transfers: 100 on the stock kernel, less under KASAN
# (which is several times slower); TCPAO_XFER_MB overrides.
xfer_mb() {
	if [ -n "${TCPAO_XFER_MB:-}" ]; then
		echo "$TCPAO_XFER_MB"
	elif [ "$KERNEL_FLAVOR" = debug ]; then
		echo 8
	else
		echo 100
	fi
}

xfer() {
	_nsc=$1 _nss=$2 _addr=$3 _port=$4 _bytes=$5
	_tag=$RESULTS/xfer-$_nss-$_port
	in_ns "$_nss" python3 "$XFER" server "$_addr" "$_port" >"$_tag.srv" 2>&1 &
	_sp=$!
	wait_for 10 grep -q listening "$_tag.srv"
	in_ns "$_nsc" timeout "${XFER_TIMEOUT:-240}" python3 "$XFER" client \
		"$_addr" "$_port" "$_bytes" >"$_tag.cli" 2>&1
	_crc=$?
	wait "$_sp"
	[ $_crc -eq 0 ] && [ -s "$_tag.cli" ] &&
		[ "$(tail -n 1 "$_tag.srv")" = "$(cat "$_tag.cli")" ]
}

cap_start() {
	_ns=$1 _dev=$2 _name=$3
	shift 3
	# exec: $! must be tcpdump itself (ip netns exec execs it), not a
	# subshell that a SIGTERM would kill while tcpdump writes on.
	# --immediate-mode: without it packets wait in the capture ring for
	# a block to fill or time out, and a SIGTERM loses the last ones.
	(exec ip netns exec "$_ns" tcpdump -i "$_dev" -s 160 -U -n --immediate-mode \
		-w "$RESULTS/$_name.pcap" "${@:-tcp}") \
		>"$RESULTS/$_name.tcpdump.log" 2>&1 &
	eval "_cap_${_name//[^A-Za-z0-9_]/_}=$!"
	wait_for 10 grep -q listening "$RESULTS/$_name.tcpdump.log"
}

# Background jobs of a non-interactive shell ignore SIGINT: stop tcpdump
# with SIGTERM (it flushes and exits), and make sure it is gone.
cap_stop() {
	eval "_p=\${_cap_${1//[^A-Za-z0-9_]/_}:-}"
	[ -n "$_p" ] || { echo "cap_stop: no capture named $1" >&2; return 1; }
	sleep 0.5
	kill -TERM "$_p" 2>/dev/null
	for _i in $(seq 50); do
		kill -0 "$_p" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
}

# One pass over capture NAME (cached in NAME.stats): "SEGMENTS WITH_AO
# OTHER_KEYID MAX_IP_LENGTH WITH_SACK", for the KeyIDs given
# (tests/tools/pcapao.py).
cap_stats() {
	_name=$1
	shift
	[ -s "$RESULTS/$_name.stats" ] ||
		python3 "$TCPAO_SRC/tests/tools/pcapao.py" "$RESULTS/$_name.pcap" "$@" \
			>"$RESULTS/$_name.stats"
	cat "$RESULTS/$_name.stats"
}

# Segments with SACK blocks in capture NAME.
cap_sacks() {
	read -r _n _a _k _m _s < <(cap_stats "$1")
	echo "$_s"
}

# Every TCP segment in capture NAME carries TCP-AO with one of the KeyIDs.
cap_check_ao() {
	read -r _n _a _k _m _s < <(cap_stats "$@")
	echo "# $1: $_n segments, $_a with TCP-AO, $_k with another KeyID"
	[ "$_n" -gt 0 ] && [ "$_n" -eq "$_a" ] && [ "$_k" -eq 0 ]
}

cap_max_ip() {
	read -r _n _a _k _m _s < <(cap_stats "$1")
	echo "$_m"
}
