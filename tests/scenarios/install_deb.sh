#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages, installed as an operator would (Debian's stock
# kernels only: 6.1, or 6.12 with --kernel stock612):
#
#   - tcpao-dkms and aoctl install with dpkg -i, and DKMS builds tcpao.ko
#     against the installed headers into /lib/modules/KVER/updates/dkms;
#   - modprobe finds it there, and the first aoctl command loads it by
#     itself (genetlink asks for net-pf-16-proto-16-family-tcpao);
#   - tcpao.service's commands (run by hand: systemd is not PID 1 here)
#     apply /etc/tcpao/tcpao.conf, the shipped file with its Junos example
#     enabled, giving the keychain of tests/scenarios/data/seed-r1.batch;
#     applying again changes nothing, a broken or world-readable file
#     changes nothing;
#   - man aoctl renders, bash completion completes;
#   - dpkg -r takes the module away again.
#
# The packages: build/deb/*.deb when build/deb/MANIFEST says they were
# built from this very tree ("make deb" on the host, seconds), else they
# are built here first (minutes under TCG).  DKMS compiles the module under
# TCG: the whole test takes several minutes; run it with a long --timeout:
#
#   tests/vm/run --kernel stock --timeout 1800 tests/scenarios/install_deb.sh
#   tests/vm/run --kernel stock612 --timeout 2400 tests/scenarios/install_deb.sh
#
# The guest's root is a tmpfs overlay: nothing installed here reaches the
# host.
. "$(dirname "$0")/../lib.sh"

case $KERNEL_FLAVOR in
stock|stock612) ;;
*) skip_all "needs one of Debian's stock kernels (DKMS builds against its headers)" ;;
esac
# DKMS compiles the module under TCG: far beyond the default 300 s per
# test.  The harness does not tell tests their timeout; its record does.
timeout=${TCPAO_TEST_TIMEOUT:-}
[ -z "$timeout" ] || [ "$timeout" -ge 1500 ] ||
	skip_all "needs tests/vm/run --timeout 1500 or more (this run: $timeout s)"
krel=$(uname -r)
[ -d "/lib/modules/$krel/build/include" ] ||
	skip_all "no headers for $krel (apt-get install linux-headers-$krel)"
require dpkg dkms modinfo python3 bash man

t0=$(date +%s)
lap() {
	diag "$1: $(($(date +%s) - t0)) s"
}

# --- The packages ------------------------------------------------------------
debs=$TCPAO_SRC/build/deb
if [ -f "$debs/MANIFEST" ] && "$TCPAO_SRC/packaging/mkdeb" --manifest 2>/dev/null |
	cmp -s - "$debs/MANIFEST"; then
	diag "using the packages in $debs (built from this tree)"
else
	if [ -f "$debs/MANIFEST" ]; then
		"$TCPAO_SRC/packaging/mkdeb" --manifest | diff "$debs/MANIFEST" - >"$RESULTS/manifest.diff"
		diag "the packages in $debs are stale (see manifest.diff)"
	fi
	diag "building the packages here (make deb on the host first saves this)"
	debs=/tmp/deb
	if ! DEB_BUILD_OPTIONS=nocheck "$TCPAO_SRC/packaging/mkdeb" "$debs" >"$RESULTS/mkdeb.log" 2>&1; then
		cp "$debs/build.log" "$RESULTS/" 2>/dev/null
		bail "building the packages failed (see mkdeb.log, build.log)"
	fi
fi
debver=$("$TCPAO_SRC/packaging/version" --deb)
version=$("$TCPAO_SRC/packaging/version")
dkms_deb=$debs/tcpao-dkms_${debver}_all.deb
aoctl_deb=$(ls "$debs"/aoctl_"${debver}"_*.deb 2>/dev/null | head -n 1)
[ -f "$dkms_deb" ] && [ -f "$aoctl_deb" ] || bail "no packages for $debver in $debs"
lap "packages ready"

# The harness loaded its own tcpao.ko: from now on only the installed one.
rmmod tcpao 2>/dev/null
check "tcpao is not loaded before the installation" sh -c '! grep -q "^tcpao " /proc/modules'

# --- dpkg -i: DKMS builds and installs the module --------------------------------
export DEBIAN_FRONTEND=noninteractive
if dpkg -i "$dkms_deb" "$aoctl_deb" >"$RESULTS/dpkg-install.log" 2>&1; then
	ok "dpkg -i tcpao-dkms aoctl"
else
	not_ok "dpkg -i tcpao-dkms aoctl" "see dpkg-install.log"
	tail -n 30 "$RESULTS/dpkg-install.log" | sed 's/^/#   /'
	cp /var/lib/dkms/tcpao/"$debver"/build/make.log "$RESULTS/dkms-make.log" 2>/dev/null
fi
lap "dpkg -i (DKMS build included)"
check_eq "both packages are installed" "ii ii" \
	"$(dpkg-query -W -f='${db:Status-Abbrev}' tcpao-dkms aoctl | tr -s ' ' | sed 's/ $//')"
dkms status -m tcpao >"$RESULTS/dkms-status.txt" 2>&1
debver_re=$(printf '%s' "$debver" | sed 's/[.+]/\\&/g')
check_grep "dkms status: tcpao $debver installed for $krel" \
	"^tcpao/$debver_re, $krel, [^:]*: installed" "$RESULTS/dkms-status.txt"
# DKMS compresses the module as the kernel's own are (6.12: xz).
ko=$(ls /lib/modules/"$krel"/updates/dkms/tcpao.ko* 2>/dev/null | head -n 1)
: "${ko:=/lib/modules/$krel/updates/dkms/tcpao.ko}"
check "tcpao.ko is in /lib/modules/$krel/updates/dkms (${ko##*/})" test -f "$ko"
check_eq "modinfo -n tcpao points into updates/dkms" "$ko" "$(modinfo -n tcpao 2>&1)"
check_eq "the module's version is the package's" "$version" "$(modinfo -F version tcpao 2>&1)"
diag "signed by: $(modinfo -F signer "$ko" 2>&1)"
check_eq "modprobe resolves the genetlink alias to tcpao" "tcpao" \
	"$(modprobe -R net-pf-16-proto-16-family-tcpao 2>&1)"
check_eq "aoctl is the package's" "/usr/sbin/aoctl" "$(command -v aoctl)"
check_eq "aoctl -V" "aoctl version $version" "$(/usr/sbin/aoctl -V 2>&1)"

# --- Autoload: the first aoctl command loads the module ------------------------
if /usr/sbin/aoctl keychain show >"$RESULTS/autoload.txt" 2>&1; then
	ok "aoctl keychain show works with the module not loaded"
else
	not_ok "aoctl keychain show works with the module not loaded" "$(cat "$RESULTS/autoload.txt")"
fi
check "the kernel loaded tcpao on aoctl's request" grep -q '^tcpao ' /proc/modules
rmmod tcpao
check "tcpao unloads again" sh -c '! grep -q "^tcpao " /proc/modules'

# --- tcpao.service, by hand ---------------------------------------------------------
unit=/lib/systemd/system/tcpao.service
check "tcpao.service is installed" test -f "$unit"
check_eq "tcpao.service is not enabled by the installation" "" \
	"$(ls /etc/systemd/system/*/tcpao.service 2>/dev/null)"
conf=/etc/tcpao/tcpao.conf
check_eq "$conf is a root-only conffile" "600 0" "$(stat -c '%a %u' "$conf" 2>&1)"
check_eq "/etc/tcpao/keys is root-only" "700 0" "$(stat -c '%a %u' /etc/tcpao/keys 2>&1)"
check "$conf applies nothing as shipped" \
	sh -c "! grep -Ev '^[[:space:]]*(#|$)' $conf"

# The shipped example enabled, with the seed's secrets in key files: the
# commands in it, and the lines that continue them.
awk '
/^# --- Example/ { ex = 1 }
/^# --- End/ { ex = 0 }
ex && (cont || /^#(keychain|peer) /) { sub(/^#/, ""); cont = /\\$/ }
{ print }' "$conf" >"$conf.new" && cat "$conf.new" >"$conf" && rm -f "$conf.new"
(
	umask 077
	printf '%s' 'tcpao seed key 0' >/etc/tcpao/keys/new_auth_key.0
	printf '%s\n' 'tcpjunosseedkey1' >/etc/tcpao/keys/new_auth_key.1
)
grep -Ev '^[[:space:]]*(#|$)' "$conf" >"$RESULTS/tcpao.conf.active"
check_grep "the example is enabled" '^keychain add new_auth_key key 1 ' "$RESULTS/tcpao.conf.active"

# Environment=, ExecStartPre=, ExecStart= and ExecReload= of the unit.
unit_lines() {
	sed -n "s/^$1=//p" "$unit"
}
unit_env=$(unit_lines Environment)
run_unit_cmds() {
	# $1: Exec lines to run (one per line); each must succeed.
	printf '%s\n' "$1" | while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		echo "+ $cmd"
		# shellcheck disable=SC2086 # the unit's words
		env $unit_env $cmd || exit 1
	done
}
start_cmds=$(unit_lines ExecStartPre; unit_lines ExecStart)
reload_cmds=$(unit_lines ExecReload)
diag "unit: $(printf '%s' "$start_cmds" | tr '\n' ';')"
check_grep "the unit loads the module" '^ExecStartPre=/sbin/modprobe tcpao$' "$unit"

if run_unit_cmds "$start_cmds" >"$RESULTS/unit-start.log" 2>&1; then
	ok "tcpao.service's start commands succeed"
else
	not_ok "tcpao.service's start commands succeed" "$(cat "$RESULTS/unit-start.log")"
fi
check "modprobe tcpao loaded the module" grep -q '^tcpao ' /proc/modules
lap "unit started"

# What the seed gives, in a namespace of its own, for comparison.
ns_create ref
aoctl -n ref -b "$TCPAO_SRC/tests/scenarios/data/seed-r1.batch" 2>"$RESULTS/ref.err" &&
	aoctl -n ref peer add 192.0.2.2/32 keychain new_auth_key port 179
check "the seed applies in a namespace of its own" test $? -eq 0

# keychain show without the countdown to the next key (it ticks) and the
# generation (how many key sets it took to get there).
show() {
	aoctl ${1:+-n "$1"} -j keychain show detail | python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if k not in ("transition", "generation")}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
print(json.dumps(strip(json.load(sys.stdin)), indent=1, sort_keys=True))'
}
show ref >"$RESULTS/keychain-seed.json" 2>&1
show >"$RESULTS/keychain-service.json" 2>&1
check_grep "the service made keychain new_auth_key" '"name": "new_auth_key"' "$RESULTS/keychain-service.json"
check "keychain show detail: the service's equals the seed's" \
	diff -u "$RESULTS/keychain-seed.json" "$RESULTS/keychain-service.json"
aoctl keychain show >"$RESULTS/keychain-show.txt" 2>&1
sed 's/^/# /' "$RESULTS/keychain-show.txt"
aoctl peer show >"$RESULTS/peer-show.txt" 2>&1
check_grep "the service added the peer policy" '192\.0\.2\.2/32.*new_auth_key' "$RESULTS/peer-show.txt"

# Reload (and a second start) change nothing.
if run_unit_cmds "$reload_cmds" >"$RESULTS/unit-reload.log" 2>&1 &&
	run_unit_cmds "$start_cmds" >>"$RESULTS/unit-reload.log" 2>&1; then
	ok "reload and a second start succeed"
else
	not_ok "reload and a second start succeed" "$(cat "$RESULTS/unit-reload.log")"
fi
show >"$RESULTS/keychain-reload.json" 2>&1
check "the keychain after reload is the same" \
	diff -u "$RESULTS/keychain-seed.json" "$RESULTS/keychain-reload.json"
check_eq "one peer policy after reload" 1 "$(aoctl -j peer show | grep -o '"prefix"' | wc -l)"

# A mistake in the file: refused, the running configuration stays.
cp -p "$conf" "$RESULTS/.conf.good"
echo "keychain add other key 0 secret-file /etc/tcpao/keys/new_auth_key.0 send-id 1 recv-id 2 bogus" >>"$conf"
if run_unit_cmds "$reload_cmds" >"$RESULTS/unit-bad.log" 2>&1; then
	not_ok "a file with a mistake is refused"
else
	ok "a file with a mistake is refused"
fi
check_grep "the error names the file and line" "^aoctl: $conf:[0-9]+: keychain add: " "$RESULTS/unit-bad.log"
show >"$RESULTS/keychain-bad.json" 2>&1
check "the running keychain survives a bad file" \
	diff -u "$RESULTS/keychain-seed.json" "$RESULTS/keychain-bad.json"
cp -p "$RESULTS/.conf.good" "$conf"

# A start time used twice in a keychain: the checks (aoctl --check) catch it.
echo "keychain add new_auth_key key 2 secret-file /etc/tcpao/keys/new_auth_key.0 send-id 5 recv-id 6 start-time 2020-01-01.00:00:00" >>"$conf"
if run_unit_cmds "$reload_cmds" >"$RESULTS/unit-dupstart.log" 2>&1; then
	not_ok "a start time used twice is refused"
else
	ok "a start time used twice is refused"
fi
check_grep "... by the checks, at its line" "^aoctl: $conf:[0-9]+: keychain add: start-time is already used by key 0" "$RESULTS/unit-dupstart.log"
cp -p "$RESULTS/.conf.good" "$conf"

# A line only the kernel refuses (a limit beyond its range): the trial run
# catches it, the running configuration stays.
echo "limits set conns 100000000" >>"$conf"
if run_unit_cmds "$reload_cmds" >"$RESULTS/unit-kernel.log" 2>&1; then
	not_ok "a line the kernel refuses fails the trial run"
else
	ok "a line the kernel refuses fails the trial run"
fi
check_grep "... saying so" "failed a trial run; nothing changed" "$RESULTS/unit-kernel.log"
show >"$RESULTS/keychain-kernel.json" 2>&1
check "the running keychain survives it" \
	diff -u "$RESULTS/keychain-seed.json" "$RESULTS/keychain-kernel.json"
cp -p "$RESULTS/.conf.good" "$conf"
rm -f "$RESULTS/.conf.good"

# Readable by others: refused before anything happens.
chmod 644 "$conf"
if run_unit_cmds "$reload_cmds" >"$RESULTS/unit-mode.log" 2>&1; then
	not_ok "a world-readable $conf is refused"
else
	ok "a world-readable $conf is refused"
fi
check_grep "... saying why" "accessible by group or others" "$RESULTS/unit-mode.log"
chmod 600 "$conf"
chmod 644 /etc/tcpao/keys/new_auth_key.1
if run_unit_cmds "$reload_cmds" >"$RESULTS/unit-keymode.log" 2>&1; then
	not_ok "a world-readable secret file is refused"
else
	ok "a world-readable secret file is refused"
fi
chmod 600 /etc/tcpao/keys/new_auth_key.1
show >"$RESULTS/keychain-mode.json" 2>&1
check "the running keychain survives the refusals" \
	diff -u "$RESULTS/keychain-seed.json" "$RESULTS/keychain-mode.json"

# --- man page and completion ---------------------------------------------------
MANWIDTH=80 MANPAGER=cat man aoctl >"$RESULTS/man.txt" 2>"$RESULTS/man.err"
check_grep "man aoctl renders" '^ +aoctl - configure TCP Authentication Option' "$RESULTS/man.txt"
check_eq "man aoctl: no groff warnings" "" \
	"$(man --warnings -l /usr/share/man/man8/aoctl.8.gz 2>&1 >/dev/null)"
comp=/usr/share/bash-completion/completions/aoctl
complete_words() {
	# Complete the last of the words given, as bash would on TAB.
	bash -c '. "$1"; complete -p aoctl >/dev/null || exit 1
		shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_aoctl aoctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		bash "$comp" "$@"
}
check_eq "complete -p aoctl" "complete -F _aoctl aoctl" \
	"$(bash -c ". $comp; complete -p aoctl")"
check_eq "aoctl <TAB>" "conn flush help keychain limits monitor peer stats " \
	"$(complete_words aoctl '')"
check_eq "aoctl keychain <TAB>" "add del help set show " \
	"$(complete_words aoctl keychain '')"
check_eq "aoctl peer add 192.0.2.9/32 keychain <TAB> (from the kernel)" "new_auth_key " \
	"$(complete_words aoctl peer add 192.0.2.9/32 keychain '')"

# --- dpkg -r ------------------------------------------------------------------------
aoctl flush
rmmod tcpao
if dpkg -r aoctl tcpao-dkms >"$RESULTS/dpkg-remove.log" 2>&1; then
	ok "dpkg -r aoctl tcpao-dkms"
else
	not_ok "dpkg -r aoctl tcpao-dkms" "$(tail -n 20 "$RESULTS/dpkg-remove.log")"
fi
check "the module is gone from updates/dkms" test ! -e "$ko"
check "modprobe no longer finds tcpao" sh -c '! modinfo -n tcpao'
check "aoctl is gone" test ! -e /usr/sbin/aoctl
lap "done"
# The harness loads its own tcpao.ko again after this test.
done_testing
