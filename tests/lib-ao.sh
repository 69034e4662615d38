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
#	                             add a key (secret from a root-only file,
#	                             the key for the capture verifier beside it)
#	ao_stat NS NAME              one counter of "aoctl -j stats"
#	ao_conn NS FIELD [N]         FIELD of the Nth connection (conn show -j)
#	xfer_mb                      megabytes a bulk transfer should move here
#	xfer NSC NSS ADDR PORT BYTES run tests/tools/xfer.py; ok if the server
#	                             got what the client sent (sha256)
#	cap_start NS DEV NAME [FILTER]  tcpdump of whole packets (the MACs
#	                             cover the data); start it before the
#	                             connections open
#	cap_stop NAME                stop it (and let it flush); the capture
#	                             is $RESULTS/NAME.pcap unless over
#	                             $CAP_KEEP_MB MB (default 16)
#	cap_path NAME                where the capture is (while it runs too)
#	cap_check_ao NAME KEYID... [-- OPTION...]
#	                             every TCP segment carries TCP-AO with one
#	                             of KEYID... and its MAC verifies
#	                             (tests/tools/aoverify.py, with every key
#	                             ao_key added; OPTIONs go to it: --isn,
#	                             --unsigned-ok, ...); a capture over
#	                             $CAP_KEEP_MB MB is deleted once it
#	                             verified, kept in $RESULTS if it failed
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
AOVERIFY=$TCPAO_SRC/tests/tools/aoverify.py
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
	# The key as aoctl takes it, for cap_check_ao's verifier: the last
	# version of each key of each namespace.
	printf 'keychain add %s key %s secret-file %s send-id %s recv-id %s cryptographic-algorithm %s tcp-ao-option %s\n' \
		"$_kc" "$_id" "$_f" "$_snd" "$_rcv" "$_alg" "$_opt" >"$_f.key"
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

# Captures go to the guest's tmpfs (/tmp) first: written over 9p into
# $RESULTS, tcpdump cannot keep up with a bulk transfer under TCG and loses
# most of it.  cap_stop moves a small capture to $RESULTS; a large one (a
# bulk transfer) stays until cap_check_ao has verified it, and reaches
# $RESULTS only if it failed.  cap_path NAME says where it is.
CAP_TMP=$(mktemp -d /tmp/tcpao-cap.XXXXXX)
on_exit "rm -rf '$CAP_TMP'"

cap_path() {
	if [ -e "$CAP_TMP/$1.pcap" ]; then
		echo "$CAP_TMP/$1.pcap"
	else
		echo "$RESULTS/$1.pcap"
	fi
}

cap_start() {
	_ns=$1 _dev=$2 _name=$3
	shift 3
	rm -f "$RESULTS/$_name.stats" "$RESULTS/$_name.pcap"
	# exec: $! must be tcpdump itself (ip netns exec execs it), not a
	# subshell that a SIGTERM would kill while tcpdump writes on.
	# --immediate-mode: without it packets wait in the capture ring for
	# a block to fill or time out, and a SIGTERM loses the last ones.
	# -U: each packet is in the file at once (inject.py reads it live).
	# Whole packets (-s 0): the verifier recomputes every MAC, which
	# covers the data.  -B 64 MB: a 100 MB transfer under TCG overruns
	# smaller rings.  -Z root: the directory is root's.
	(exec ip netns exec "$_ns" tcpdump -i "$_dev" -s 0 -B 65536 -U -n --immediate-mode \
		-Z root -w "$CAP_TMP/$_name.pcap" "${@:-tcp}") \
		>"$RESULTS/$_name.tcpdump.log" 2>&1 &
	eval "_cap_${_name//[^A-Za-z0-9_]/_}=$!"
	# Under TCG beside other VMs tcpdump has taken 6 s to start: a
	# capture that misses the SYN cannot have its MACs checked.
	wait_for 60 grep -q listening "$RESULTS/$_name.tcpdump.log" || {
		echo "cap_start: tcpdump on $_ns/$_dev did not start in 60 s" >&2
		cat "$RESULTS/$_name.tcpdump.log" >&2
		return 1
	}
}

# Background jobs of a non-interactive shell ignore SIGINT: stop tcpdump
# with SIGTERM (it flushes and exits), and make sure it is gone.  First let
# it write what it still holds: a SIGTERM loses what is left in the ring.
cap_stop() {
	eval "_p=\${_cap_${1//[^A-Za-z0-9_]/_}:-}"
	[ -n "$_p" ] || { echo "cap_stop: no capture named $1" >&2; return 1; }
	_f=$CAP_TMP/$1.pcap
	_was=-1
	for _i in $(seq 20); do
		sleep 0.25
		_now=$(stat -c %s "$_f" 2>/dev/null || echo 0)
		[ "$_now" != "$_was" ] || break
		_was=$_now
	done
	kill -TERM "$_p" 2>/dev/null
	for _i in $(seq 50); do
		kill -0 "$_p" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	if [ -e "$_f" ] && [ "$(stat -c %s "$_f")" -le $((${CAP_KEEP_MB:-16} << 20)) ]; then
		mv "$_f" "$RESULTS/$1.pcap"
	fi
}

# One pass over capture NAME (cached in NAME.stats): "SEGMENTS WITH_AO
# OTHER_KEYID MAX_IP_LENGTH WITH_SACK", for the KeyIDs given
# (tests/tools/pcapao.py).
cap_stats() {
	_name=$1
	shift
	[ -s "$RESULTS/$_name.stats" ] ||
		python3 "$TCPAO_SRC/tests/tools/pcapao.py" "$(cap_path "$_name")" "$@" \
			>"$RESULTS/$_name.stats"
	cat "$RESULTS/$_name.stats"
}

# Segments with SACK blocks in capture NAME.
cap_sacks() {
	read -r _n _a _k _m _s < <(cap_stats "$1")
	echo "$_s"
}

# Every TCP segment in capture NAME carries TCP-AO with one of the KeyIDs,
# and its MAC, recomputed from the keys ao_key added (every namespace's),
# the ISNs and SNEs of the capture, verifies.  Also writes NAME.stats (as
# pcapao.py would) for cap_sacks and cap_max_ip, and keeps the verifier's
# report in NAME.aoverify.
cap_check_ao() {
	_name=$1
	shift
	_ids=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		_ids=$_ids${_ids:+,}$1
		shift
	done
	[ $# -eq 0 ] || shift
	_keys=()
	for _f in "$AO_SECRETS"/*.key; do
		[ ! -e "$_f" ] || _keys+=(--keys "$_f")
	done
	_pcap=$(cap_path "$_name")
	python3 "$AOVERIFY" "${_keys[@]}" ${_ids:+--keyids "$_ids"} \
		--stats "$RESULTS/$_name.stats" "$@" "$_pcap" >"$RESULTS/$_name.aoverify" 2>&1
	_rc=$?
	# What tcpdump saw and what it could not keep (a segment it dropped is
	# one nobody verified).
	grep -E 'packets (captured|received|dropped)' "$RESULTS/$_name.tcpdump.log" |
		paste -sd, - | sed 's/^/tcpdump: /' >>"$RESULTS/$_name.aoverify"
	cat "$RESULTS/$_name.aoverify"
	case $_pcap in
	"$CAP_TMP"/*)
		if [ $_rc -eq 0 ]; then
			echo "$_name.pcap ($(($(stat -c %s "$_pcap") >> 20)) MB) verified, not kept"
			rm -f "$_pcap"
		else
			mv "$_pcap" "$RESULTS/$_name.pcap"
		fi ;;
	esac
	return $_rc
}

cap_max_ip() {
	read -r _n _a _k _m _s < <(cap_stats "$1")
	echo "$_m"
}
