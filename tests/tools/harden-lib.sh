# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the hardening scenarios (tests/scenarios/hardening/*.sh), on top
# of tests/lib.sh:
#
#	hd_topo                      namespaces r1 and r2 over a veth with
#	                             fixed MACs, 192.0.2.1-2/24, 2001:db8::1-2/64
#	hd_keys NS KC SEND RECV [SECRET]
#	                             keychain KC with key 0 (secret from a
#	                             root-only file)
#	hd_protect [PORT]            keychains "kc" (key 0) and peer policies
#	                             (v4, v6) protecting r1<->r2 [on PORT only]
#	hd_stat NS NAME              one counter of aoctl -j stats
#	hd_conn NS LPORT RPORT FIELD FIELD of that connection (aoctl -j conn)
#	hd_fetch NS...               fetch both once; hd_stat and hd_conn use
#	                             the copies until hd_unfetch
#	hd_relay                     turn the "RESULT ok|not_ok DESC" lines of a
#	                             tool on stdin into TAP; "# " lines pass
#	hd_sessions_start SPEC...    BGP-like sessions (tests/tools/sessions.py,
#	                             which documents SPEC), all in one process;
#	                             waits until each is up ($RESULTS/NAME.status)
#	hd_sessions_add SPEC         one more, while running
#	hd_sessions_alive DESC       TAP: no session has failed so far
#	hd_sessions_stop [NAME=RE]...
#	                             close them all; one TAP line per session
#	                             (NAME must have failed, error matching RE)
#	hd_slab                      kB of unreclaimable slab (/proc/meminfo)
#	hd_full DESC N FIGURE        ok if N >= FIGURE (the full-scale figures)
#
# Scale: the scenarios take their counts (HARDEN_*) from the environment
# or, since the test VM does not pass the host's environment on, from
# results/harden.env (git-ignored; for quicker iterations).  A run scaled
# below the full-scale figures fails its "full scale" line, so a forgotten
# override cannot pass for the real thing.

HD_TOOLS=$TCPAO_SRC/tests/tools
# shellcheck source=/dev/null
[ ! -r "$TCPAO_SRC/results/harden.env" ] || . "$TCPAO_SRC/results/harden.env"
HD_MAC1=02:00:00:00:a0:01
HD_MAC2=02:00:00:00:a0:02
HD_SECRETS=$RESULTS/secrets
export PYTHONDONTWRITEBYTECODE=1

# Few execs: under TCG each exec of ip or aoctl costs around a second on a
# busy host, so the topology is one "ip -b" per namespace.
hd_topo() {
	for _ns in r1 r2; do
		ip netns add $_ns || bail "cannot create netns $_ns"
		_lib_ns="$_lib_ns $_ns"
	done
	ip link add to-r2 netns r1 address $HD_MAC1 type veth peer name to-r1 \
		netns r2 address $HD_MAC2 || bail "cannot create the veth pair"
	# Static neighbours: nothing waits for resolution under load.
	ip -n r1 -b - <<EOF || bail "cannot configure r1"
link set lo up
addr add 192.0.2.1/24 dev to-r2
addr add 2001:db8::1/64 dev to-r2 nodad
link set to-r2 up
neigh replace 192.0.2.2 lladdr $HD_MAC2 dev to-r2 nud permanent
neigh replace 2001:db8::2 lladdr $HD_MAC2 dev to-r2 nud permanent
EOF
	ip -n r2 -b - <<EOF || bail "cannot configure r2"
link set lo up
addr add 192.0.2.2/24 dev to-r1
addr add 2001:db8::2/64 dev to-r1 nodad
link set to-r1 up
neigh replace 192.0.2.1 lladdr $HD_MAC1 dev to-r1 nud permanent
neigh replace 2001:db8::1 lladdr $HD_MAC1 dev to-r1 nud permanent
EOF
}

hd_keys() {
	_ns=$1 _kc=$2 _snd=$3 _rcv=$4 _sec=${5:-tcpao hardening secret}
	mkdir -p "$HD_SECRETS"
	chmod 700 "$HD_SECRETS"
	(umask 077 && printf '%s' "$_sec" >"$HD_SECRETS/$_ns-$_kc")
	"$AOCTL" -n "$_ns" keychain add "$_kc" key 0 secret-file \
		"$HD_SECRETS/$_ns-$_kc" send-id "$_snd" recv-id "$_rcv"
}

# r1 signs with KeyID 10 and asks for 20; r2 the reverse.  One aoctl
# batch per namespace (the file is root's only: it holds the secret).
hd_protect() {
	_port=${1:+ port $1}
	mkdir -p "$HD_SECRETS"
	chmod 700 "$HD_SECRETS"
	for _ns in r1 r2; do
		if [ $_ns = r1 ]; then
			_ids="send-id 10 recv-id 20" _peer=2
		else
			_ids="send-id 20 recv-id 10" _peer=1
		fi
		(umask 077 && cat >"$HD_SECRETS/$_ns.batch" <<EOF
keychain add kc key 0 secret "tcpao hardening secret" $_ids
peer add 192.0.2.$_peer keychain kc$_port
peer add 2001:db8::$_peer keychain kc$_port
EOF
		)
		"$AOCTL" -n $_ns -b "$HD_SECRETS/$_ns.batch" || return 1
	done
}

# Counters and connections of namespaces, fetched once (hd_stat and
# hd_conn then read these copies, until hd_fetch again or hd_unfetch).
hd_fetch() {
	for _ns in "$@"; do
		"$AOCTL" -n "$_ns" -j stats >"$RESULTS/.stats-$_ns"
		"$AOCTL" -n "$_ns" -j conn show >"$RESULTS/.conns-$_ns"
	done
}

hd_unfetch() {
	rm -f "$RESULTS"/.stats-* "$RESULTS"/.conns-*
}

# (No python here: under TCG each python start costs seconds.  aoctl -j
# prints compact JSON, one "key":value after the other.)
hd_stat() {
	if [ -e "$RESULTS/.stats-$1" ]; then
		cat "$RESULTS/.stats-$1"
	else
		"$AOCTL" -n "$1" -j stats
	fi | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}

hd_conn() {
	_v=$(if [ -e "$RESULTS/.conns-$1" ]; then
		cat "$RESULTS/.conns-$1"
	else
		"$AOCTL" -n "$1" -j conn show
	fi | tr '{' '\n' |
		grep "\"local_port\":$2," | grep "\"remote_port\":$3," |
		sed -n "s/.*\"$4\":\([0-9]*\).*/\1/p" | head -n 1)
	echo "${_v:-none}"
}

hd_relay() {
	while IFS= read -r _l; do
		case $_l in
		"RESULT ok "*) ok "${_l#RESULT ok }" ;;
		"RESULT not_ok "*) not_ok "${_l#RESULT not_ok }" ;;
		"#"*) echo "$_l" ;;
		*) diag "$_l" ;;
		esac
	done
}

# All sessions run in one sessions.py process (both ends, every netns).
hd_sessions_start() {
	hd_sessions_start_bg "$@"
	for _s in "$@"; do
		hd_sessions_wait "${_s%%,*}" || return 1
	done
}

hd_sessions_start_bg() {
	# The FIFO in /tmp: the results directory (9p) has none.
	HD_FIFO=/tmp/hd-sessions.$$.fifo
	rm -f "$RESULTS"/*.status "$RESULTS"/*.fail "$HD_FIFO"
	python3 "$HD_TOOLS/sessions.py" --dir "$RESULTS" \
		--fifo "$HD_FIFO" "$@" >"$RESULTS/sessions.out" 2>&1 &
	hd_sessions_pid=$!
	on_exit "kill $hd_sessions_pid"
	wait_for 120 test -p "$HD_FIFO"
}

hd_sessions_wait() {
	wait_for "${2:-120}" test -s "$RESULTS/$1.status" -o -e "$RESULTS/$1.fail"
	[ -s "$RESULTS/$1.status" ] && [ ! -e "$RESULTS/$1.fail" ]
}

hd_sessions_add() {
	wait_for 30 test -p "$HD_FIFO" || return 1
	echo "add $1" >"$HD_FIFO"
	hd_sessions_wait "${1%%,*}" "${2:-120}"
}

# One TAP line: no session has failed so far.
hd_sessions_alive() {
	_f=$(cd "$RESULTS" && ls -- *.fail 2>/dev/null)
	if [ -z "$_f" ] && kill -0 "$hd_sessions_pid" 2>/dev/null; then
		ok "$1"
	else
		not_ok "$1" "failed: $(cd "$RESULTS" && head -n 1 -- *.fail 2>/dev/null)
$(tail -n 5 "$RESULTS/sessions.out")"
	fi
}

# Stop every session (FINs both ways); one TAP line per session.  A
# NAME=REGEX argument says that session must have failed, with an error
# matching REGEX (the controls of an attack).
hd_sessions_stop() {
	kill -TERM "$hd_sessions_pid"
	wait "$hd_sessions_pid"
	_rc=$?
	grep '^{' "$RESULTS/sessions.out" >"$RESULTS/sessions.json"
	while IFS= read -r _j; do
		_n=$(echo "$_j" | sed 's/.*"name": "\([^"]*\)".*/\1/')
		_want=
		for _e in "$@"; do
			[ "${_e%%=*}" != "$_n" ] || _want=${_e#*=}
		done
		if [ -n "$_want" ]; then
			if echo "$_j" | grep -q '"ok": false' &&
				echo "$_j" | grep -Eq "$_want"; then
				ok "session $_n failed as it should: $_j"
			else
				not_ok "session $_n failed with /$_want/" "$_j"
			fi
		elif echo "$_j" | grep -q '"ok": true'; then
			ok "session $_n stayed up: $_j"
		else
			not_ok "session $_n stayed up" "$_j"
		fi
	done <"$RESULTS/sessions.json"
	[ -s "$RESULTS/sessions.json" ] || not_ok "sessions.py reported" \
		"exit $_rc: $(tail -n 5 "$RESULTS/sessions.out")"
}

hd_slab() {
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}

# hd_full DESC N FIGURE [ASKED]: with HARDEN_REDUCED=1 (tests/scenarios/LIST
# sets it for make check's shorter runs), N below the full-scale FIGURE but at
# least the ASKED count is a SKIP that says so; anything short of what was
# asked still fails.
hd_full() {
	if [ -n "$2" ] && [ "$2" -ge "$3" ]; then
		ok "$1: $2 (at least $3)"
	elif [ "${HARDEN_REDUCED:-0}" = 1 ] && [ -n "$2" ] && [ -n "${4:-}" ] &&
		[ "$2" -ge "$4" ]; then
		skip "$1: $2 at the full scale of $3" \
			"reduced to $4 for make check (full scale: make harden)"
	else
		not_ok "$1: ${2:-none}, fewer than $3" \
			"scaled down by the environment or results/harden.env?"
	fi
}
