#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's operator section, as written, then the packages' details
# (Debian's stock kernels only: 6.1, or 6.12 with --kernel stock612; not
# in make check: DKMS compiles the module in the
# guest, under TCG, which takes most of the half hour this runs):
#
#   1. README.md, verbatim: the code blocks marked <!-- readme:NAME --> are
#      taken from the README and run as they stand (only the version in the
#      package file names is this build's):
#        install  apt install the .debs; DKMS builds tcpao.ko
#        keys     the secret files
#        conf     /etc/tcpao/tcpao.conf
#        enable   "systemctl enable --now tcpao": systemd is not PID 1 in
#                 the test VM, so the unit's ExecStartPre and ExecStart run
#                 instead, as systemd would run them
#        bird     BIRD's configuration on R1 (this namespace, interface
#                 eth0), against R2: a network namespace with tcpao, its
#                 keychain made from the README's Junos lines (readme:junos)
#                 and BIRD
#        check    aoctl conn show: the session, established, good > 0,
#                 KeyIDs as the README shows them
#        tcpdump  the README's tcpdump command: tcp-ao keyid 1 rnextkeyid 2
#                 and back
#      If the README changes, this follows it.
#   2. The packages: names (tcpao-dkms, tcpao-tools, aoctl transitional),
#      versions (packaging/version), DKMS, modinfo, autoload, the units
#      (tcpao.service, tcpao@.service) installed but not enabled, the
#      conffile's mode, reload idempotent, a broken or world-readable file
#      refused without a change, man page, completion.
#   3. Upgrading from the package "aoctl" of 0.1.0 (built from commit
#      8dfee80, the last one with it, unless build/deb-old/ has it): an
#      edited /etc/tcpao/tcpao.conf survives the move to tcpao-tools, and
#      purging the transitional aoctl leaves it alone.
#   4. dpkg -r takes everything away again.
#
# The packages: build/deb/*.deb when build/deb/MANIFEST says they were
# built from this very tree ("make deb" on the host, minutes), else they
# are built here first (many minutes more under TCG):
#
#   tests/vm/run --kernel stock --timeout 2400 tests/scenarios/install/deb.sh
#   tests/vm/run --kernel stock612 --timeout 2400 tests/scenarios/install/deb.sh
#
# The guest's root is a tmpfs overlay: nothing installed here reaches the
# host.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-daemons.sh"

case $KERNEL_FLAVOR in
stock|stock612) ;;
*) skip_all "needs one of Debian's stock kernels (DKMS builds against its headers)" ;;
esac
# The harness does not tell tests their timeout; its record does.
timeout=${TCPAO_TEST_TIMEOUT:-}
[ -z "$timeout" ] || [ "$timeout" -ge 1500 ] ||
	skip_all "needs tests/vm/run --timeout 1500 or more (this run: $timeout s)"
krel=$(uname -r)
[ -d "/lib/modules/$krel/build/include" ] ||
	skip_all "no headers for $krel (apt-get install linux-headers-$krel)"
require dpkg apt dkms modinfo python3 bash man bird birdc tcpdump

t0=$(date +%s)
lap() {
	diag "$1: $(($(date +%s) - t0)) s"
}
README=$TCPAO_SRC/README.md
OLD_COMMIT=8dfee80

# readme NAME: the code block after "<!-- readme:NAME -->" in README.md
readme() {
	awk -v m="<!-- readme:$1 -->" '
		$0 == m { want = 1; next }
		want && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$README"
}
for b in install junos keys conf enable bird check tcpdump; do
	[ -n "$(readme $b)" ] || bail "README.md has no block readme:$b"
done

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
version=$("$TCPAO_SRC/packaging/version")
dkms_deb=$debs/tcpao-dkms_${version}_all.deb
tools_deb=$debs/tcpao-tools_${version}_amd64.deb
trans_deb=$debs/aoctl_${version}_all.deb
for f in "$dkms_deb" "$tools_deb" "$trans_deb"; do
	[ -f "$f" ] || bail "no $(basename "$f") in $debs"
done
check_eq "the version starts with VERSION" "$(cat "$TCPAO_SRC/VERSION")" \
	"$(printf '%s' "$version" | sed 's/+.*//')"
lap "packages ready ($version)"

# The harness loaded its own tcpao.ko: from now on only the installed one.
rmmod tcpao 2>/dev/null
check "tcpao is not loaded before the installation" sh -c '! grep -q "^tcpao " /proc/modules'
conf=/etc/tcpao/tcpao.conf

# --- 1. README.md, as written -------------------------------------------------
# The two routers: R1 is this namespace (interface eth0), R2 a namespace.
ns_create R2
ip link add eth0 type veth peer name eth0 netns R2 || bail "no veth"
ip addr add 192.0.2.1/30 dev eth0
ip addr add 2001:db8::1/64 dev eth0 nodad
ip link set eth0 up
ip -n R2 addr add 192.0.2.2/30 dev eth0
ip -n R2 addr add 2001:db8::2/64 dev eth0 nodad
ip -n R2 link set eth0 up

# install: in the directory of the packages, with this build's version.
readme install | sed "s/_0\.2\.0_/_${version}_/g" >"$RESULTS/readme-install.sh"
diag "README install: $(cat "$RESULTS/readme-install.sh")"
export DEBIAN_FRONTEND=noninteractive
if (cd "$debs" && sh -e "$RESULTS/readme-install.sh") >"$RESULTS/apt-install.log" 2>&1; then
	ok "README install: apt install the two packages"
else
	not_ok "README install: apt install the two packages" "see apt-install.log"
	tail -n 30 "$RESULTS/apt-install.log" | sed 's/^/#   /'
	cp /var/lib/dkms/tcpao/"$version"/build/make.log "$RESULTS/dkms-make.log" 2>/dev/null
fi
lap "apt install (DKMS build included)"
# From now on the package's aoctl, also for the test's own commands.
AOCTL=/usr/sbin/aoctl
check_eq "README: modinfo -F version tcpao prints the release" "$version" \
	"$(modinfo -F version tcpao 2>&1)"
check "$conf applies nothing as shipped" sh -c "! grep -Ev '^[[:space:]]*(#|$)' $conf"

# keys and conf
readme keys >"$RESULTS/readme-keys.sh"
check "README keys: the secret files" sh -e "$RESULTS/readme-keys.sh"
check_eq "  root-only" "700 600 600" "$(stat -c %a /etc/tcpao/keys \
	/etc/tcpao/keys/new_auth_key.0 /etc/tcpao/keys/new_auth_key.1 | tr '\n' ' ' | sed 's/ $//')"
readme conf >"$conf"
cp "$conf" "$RESULTS/tcpao.conf"
conf_lines=$(wc -l <"$conf")
check_eq "README conf: /etc/tcpao/tcpao.conf, mode 0600" "600" "$(stat -c %a "$conf")"
check "  at most ten lines ($conf_lines)" test "$conf_lines" -le 10

# enable: the unit's commands.
unit=/lib/systemd/system/tcpao.service
check_eq "README enable: systemctl enable --now tcpao" "systemctl enable --now tcpao" "$(readme enable)"
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
if run_unit_cmds "$start_cmds" >"$RESULTS/unit-start.log" 2>&1; then
	ok "tcpao.service's start commands (for systemctl enable --now; systemd is not PID 1 here)"
else
	not_ok "tcpao.service's start commands" "$(cat "$RESULTS/unit-start.log")"
fi
check "  modprobe loaded the installed module" grep -q '^tcpao ' /proc/modules
sed 's/^/#   /' "$RESULTS/unit-start.log"

# R2, the Junos router: its keychain from the README's Junos lines, tcpao
# in its namespace, BIRD with the seed's R2 configuration.
readme junos >"$RESULTS/junos.txt"
python3 - "$RESULTS/junos.txt" >"$RESULTS/r2.batch" <<'PY' || bail "cannot read the Junos lines"
import shlex, sys
# "set security authentication-key-chains key-chain K key N secret S
#  start-time T algorithm ao ao-attribute send-id X recv-id Y
#  cryptographic-algorithm A tcp-ao-option O" and
# "set protocols bgp group G neighbor A authentication-key-chain K ...",
# in aoctl's words (junos-mapping.rst).
for line in open(sys.argv[1]):
    w = shlex.split(line)
    if w[:4] == ["set", "security", "authentication-key-chains", "key-chain"]:
        # Every word names the value after it ("ao-attribute" is a level).
        kc, a = w[4], dict(zip(w[5:], w[6:]))
        print("keychain add %s key %s secret %s send-id %s recv-id %s "
              "start-time %s cryptographic-algorithm %s tcp-ao-option %s" % (
                  kc, a["key"], shlex.quote(a["secret"]), a["send-id"],
                  a["recv-id"], shlex.quote(a["start-time"]),
                  a["cryptographic-algorithm"], a["tcp-ao-option"]))
    elif w[:3] == ["set", "protocols", "bgp"] and "authentication-key-chain" in w:
        print("peer add %s keychain %s port 179" % (
            w[w.index("neighbor") + 1], w[w.index("authentication-key-chain") + 1]))
PY
sed -e 's/secret [^ ]* /secret *** /' "$RESULTS/r2.batch" | sed 's/^/#   R2: /'
check "R2 (Junos): the README's keychain and neighbors in aoctl's words" aoctl_batch R2 "$RESULTS/r2.batch"
check "R2: BIRD" bird_start R2 R2 "$DAEMONS_DATA/bird-r2.conf"

# tcpdump as the README has it, in the background.
readme tcpdump >"$RESULTS/readme-tcpdump.sh"
diag "README tcpdump: $(cat "$RESULTS/readme-tcpdump.sh")"
timeout 120 sh "$RESULTS/readme-tcpdump.sh" >"$RESULTS/tcpdump.txt" 2>"$RESULTS/tcpdump.err" &
tcpdump_pid=$!
wait_for 20 grep -q 'listening on' "$RESULTS/tcpdump.err"

# BIRD on R1 with the README's configuration.
mkdir -p "$DTMP/bird-R1"
readme bird >"$DTMP/bird-R1/bird.conf"
cp "$DTMP/bird-R1/bird.conf" "$RESULTS/bird-R1.conf"
check "README bird: BIRD starts on R1 with it" bird -c "$DTMP/bird-R1/bird.conf" \
	-s "$DTMP/bird-R1/bird.ctl" -P "$DTMP/bird-R1/bird.pid"
# The README's BIRD has no "timeformat protocol iso long": Since is one
# word there (lib-daemons.sh's bird_up expects two).
r1_up() {
	birdc_ R1 show protocols r2 | grep -qE '^r2 +BGP +[^ ]+ +up +[^ ]+ +Established'
}
if wait_for 120 r1_up; then
	ok "R1: BIRD's session r2 is Established"
else
	not_ok "R1: BIRD's session r2 is Established"
fi
diag_cmd "R1: birdc show protocols" birdc_ R1 show protocols

# check
readme check >"$RESULTS/readme-check.sh"
sh "$RESULTS/readme-check.sh" >"$RESULTS/conn-show.txt" 2>&1
sed 's/^/#   /' "$RESULTS/conn-show.txt"
# Whichever router opened it: 179 is R2's port or ours.
check_grep "README check: aoctl conn show: the BGP session with 192.0.2.2, established, KeyIDs 1/2 and 2/1" \
	'^192\.0\.2\.1:(179 +192\.0\.2\.2:[0-9]+|[0-9]+ +192\.0\.2\.2:179) +default +new_auth_key +established +1/2 +2/1 ' \
	"$RESULTS/conn-show.txt"
"$AOCTL" -j conn show 192.0.2.2 port 179 >"$RESULTS/conn-show.json" 2>&1
read -r good bad < <(python3 -c '
import json, sys
c = [c for c in json.load(open(sys.argv[1])) if c["state"] == "established"]
print(c[0]["good"], c[0]["bad"]) if c else print("none none")' "$RESULTS/conn-show.json")
if [ -n "$good" ] && [ "$good" != none ] && [ "$good" -gt 0 ] && [ "$bad" = 0 ]; then
	ok "  good > 0 ($good segments verified), bad 0"
else
	not_ok "  good > 0, bad 0" "good: ${good:-none}, bad: ${bad:-none}"
fi
"$AOCTL" stats peer 192.0.2.2 >"$RESULTS/stats-peer.txt" 2>&1
sed 's/^/#   /' "$RESULTS/stats-peer.txt"
kill "$tcpdump_pid" 2>/dev/null
wait "$tcpdump_pid" 2>/dev/null
grep -m 4 'tcp-ao' "$RESULTS/tcpdump.txt" | sed 's/^/#   /'
check_grep "README tcpdump: tcp-ao keyid 1 rnextkeyid 2 from R1" \
	'IP 192\.0\.2\.1\.[0-9]+ > 192\.0\.2\.2\.[0-9]+: .*tcp-ao keyid 1 rnextkeyid 2 mac 0x' "$RESULTS/tcpdump.txt"
check_grep "  and keyid 2 rnextkeyid 1 back" \
	'IP 192\.0\.2\.2\.[0-9]+ > 192\.0\.2\.1\.[0-9]+: .*tcp-ao keyid 2 rnextkeyid 1 mac 0x' "$RESULTS/tcpdump.txt"
check "  no BGP segment without it" sh -c "! grep -E 'IP6? .*\\.179[: ]' '$RESULTS/tcpdump.txt' | grep -v 'tcp-ao'"
bird_stop R1
bird_stop R2
lap "README done"

# --- 2. The packages -------------------------------------------------------------
check_eq "installed: tcpao-dkms and tcpao-tools" "ii ii" \
	"$(dpkg-query -W -f='${db:Status-Abbrev}' tcpao-dkms tcpao-tools | tr -s ' ' | sed 's/ $//')"
check_eq "  at version $version" "$version $version" \
	"$(dpkg-query -W -f='${Version} ' tcpao-dkms tcpao-tools | sed 's/ $//')"
dkms status -m tcpao >"$RESULTS/dkms-status.txt" 2>&1
# Versions and kernel releases hold '.' and '+' (6.12.95+deb12-amd64).
ver_re=$(printf '%s' "$version" | sed 's/[.+]/\\&/g')
krel_re=$(printf '%s' "$krel" | sed 's/[.+]/\\&/g')
check_grep "dkms status: tcpao $version installed for $krel" \
	"^tcpao/$ver_re, $krel_re, [^:]*: installed" "$RESULTS/dkms-status.txt"
# DKMS compresses the module as the kernel's own are (6.12: xz).
ko=$(ls /lib/modules/"$krel"/updates/dkms/tcpao.ko* 2>/dev/null | head -n 1)
: "${ko:=/lib/modules/$krel/updates/dkms/tcpao.ko}"
check "tcpao.ko is in /lib/modules/$krel/updates/dkms (${ko##*/})" test -f "$ko"
check_eq "modinfo -n tcpao points into updates/dkms" "$ko" "$(modinfo -n tcpao 2>&1)"
diag "signed by: $(modinfo -F signer "$ko" 2>&1)"
check_eq "modprobe resolves the genetlink alias to tcpao" "tcpao" \
	"$(modprobe -R net-pf-16-proto-16-family-tcpao 2>&1)"
check_eq "aoctl is the package's" "/usr/sbin/aoctl" "$(command -v aoctl)"
check_eq "aoctl -V" "aoctl version $version" "$(/usr/sbin/aoctl -V 2>&1)"
check_eq "dpkg -S /usr/sbin/aoctl: tcpao-tools" "tcpao-tools" \
	"$(dpkg-query -S /usr/sbin/aoctl 2>&1 | cut -d: -f1)"

# Autoload: the first aoctl command loads the module.
"$AOCTL" flush
rmmod tcpao
if /usr/sbin/aoctl keychain show >"$RESULTS/autoload.txt" 2>&1; then
	ok "aoctl keychain show works with the module not loaded"
else
	not_ok "aoctl keychain show works with the module not loaded" "$(cat "$RESULTS/autoload.txt")"
fi
check "the kernel loaded tcpao on aoctl's request" grep -q '^tcpao ' /proc/modules

check "tcpao.service is installed" test -f "$unit"
check "tcpao@.service is installed" test -f /lib/systemd/system/tcpao@.service
check_grep "  it applies /etc/tcpao/NETNS.conf in netns NETNS" \
	'^ExecStart=/usr/libexec/tcpao/tcpao-apply -n %i /etc/tcpao/%i\.conf$' /lib/systemd/system/tcpao@.service
check_eq "neither unit is enabled by the installation" "" \
	"$(ls /etc/systemd/system/*/tcpao*.service 2>/dev/null)"
check_eq "$conf is a root-only conffile" "600 0" "$(stat -c '%a %u' "$conf" 2>&1)"
check_grep "  a conffile of tcpao-tools" "^ $conf [0-9a-f]+$" \
	<(dpkg-query -W -f='${Conffiles}\n' tcpao-tools)

# The README's configuration equals the seed's R1 keychain.
ns_create ref
"$AOCTL" -n ref -b "$TCPAO_SRC/tests/scenarios/data/seed-r1.batch" 2>"$RESULTS/ref.err"
check "the seed applies in a namespace of its own" test $? -eq 0

# keychain show detail without the countdown to the next key (it ticks),
# the generation (how many key sets it took to get there) and who uses it.
show() {
	aoctl ${1:+-n "$1"} -j keychain show detail | python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if k not in ("transition", "generation", "connections", "peers")}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
print(json.dumps(strip(json.load(sys.stdin)), indent=1, sort_keys=True))'
}
run_unit_cmds "$start_cmds" >>"$RESULTS/unit-start.log" 2>&1
show ref >"$RESULTS/keychain-seed.json" 2>&1
show >"$RESULTS/keychain-service.json" 2>&1
check "keychain show detail: the README's equals the seed's R1" \
	diff -u "$RESULTS/keychain-seed.json" "$RESULTS/keychain-service.json"

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
check_eq "two peer policies after reload" 2 "$(aoctl -j peer show | grep -o '"prefix"' | wc -l)"

# A mistake in the file: refused, the running configuration stays.
cp -p "$conf" "$RESULTS/.conf.good"
echo "keychain add other key 0 secret-file /etc/tcpao/keys/new_auth_key.0 send-id 1 recv-id 2 bogus" >>"$conf"
if run_unit_cmds "$reload_cmds" >"$RESULTS/unit-bad.log" 2>&1; then
	not_ok "a file with a mistake is refused"
else
	ok "a file with a mistake is refused"
fi
check_grep "the error names the file and line" "^aoctl: $conf:$((conf_lines + 1)): keychain add: " \
	"$RESULTS/unit-bad.log"
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

# man page and completion
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
lap "packages checked"

# --- 3. Upgrading from the package "aoctl" (0.1.0) -----------------------------
old=$TCPAO_SRC/build/deb-old
old_deb=$(ls "$old"/aoctl_0.1.0_amd64.deb 2>/dev/null | head -n 1)
if [ -z "$old_deb" ]; then
	diag "building aoctl 0.1.0 from $OLD_COMMIT here"
	rm -rf /tmp/old-src /tmp/deb-old
	mkdir -p /tmp/old-src
	if git -C "$TCPAO_SRC" archive "$OLD_COMMIT" | tar -x -C /tmp/old-src &&
		DEB_BUILD_OPTIONS=nocheck /tmp/old-src/packaging/mkdeb /tmp/deb-old \
			>"$RESULTS/mkdeb-old.log" 2>&1; then
		old_deb=/tmp/deb-old/aoctl_0.1.0_amd64.deb
	fi
fi
if [ -f "$old_deb" ]; then
	"$AOCTL" flush
	dpkg --purge tcpao-tools >"$RESULTS/dpkg-purge-tools.log" 2>&1
	check "tcpao-tools purged (tcpao-dkms stays)" sh -c '! dpkg-query -W -f="\${db:Status-Abbrev}" tcpao-tools 2>/dev/null | grep -q "^ii"'
	rm -rf /etc/tcpao/tcpao.conf
	check "the old package aoctl 0.1.0 installs" dpkg -i "$old_deb"
	echo '# edited by the administrator' >>"$conf"
	check_eq "  it owns $conf" aoctl "$(dpkg-query -S "$conf" 2>&1 | cut -d: -f1)"
	if (cd "$debs" && apt-get install -y -o Dpkg::Options::=--force-confold \
		"./$(basename "$tools_deb")" "./$(basename "$trans_deb")") >"$RESULTS/apt-upgrade.log" 2>&1; then
		ok "upgrade: apt install tcpao-tools and the transitional aoctl"
	else
		not_ok "upgrade: apt install tcpao-tools and the transitional aoctl" "see apt-upgrade.log"
		tail -n 20 "$RESULTS/apt-upgrade.log" | sed 's/^/#   /'
	fi
	check_eq "  aoctl is now $version, tcpao-tools $version" "$version $version" \
		"$(dpkg-query -W -f='${Version} ' aoctl tcpao-tools | sed 's/ $//')"
	check_eq "  /usr/sbin/aoctl and $conf belong to tcpao-tools" "tcpao-tools tcpao-tools" \
		"$(dpkg-query -S /usr/sbin/aoctl "$conf" 2>&1 | cut -d: -f1 | tr '\n' ' ' | sed 's/ $//')"
	check_grep "  the administrator's edit survived" '^# edited by the administrator$' "$conf"
	check "dpkg --purge aoctl (transitional)" dpkg --purge aoctl
	check_grep "  leaves $conf alone" '^# edited by the administrator$' "$conf"
	check "  and aoctl in place" test -x /usr/sbin/aoctl
else
	not_ok "the old package aoctl 0.1.0" "not built (see mkdeb-old.log)"
fi
lap "upgrade"

# --- 4. dpkg -r --------------------------------------------------------------------
"$AOCTL" flush
rmmod tcpao
if dpkg -r tcpao-tools tcpao-dkms >"$RESULTS/dpkg-remove.log" 2>&1; then
	ok "dpkg -r tcpao-tools tcpao-dkms"
else
	not_ok "dpkg -r tcpao-tools tcpao-dkms" "$(tail -n 20 "$RESULTS/dpkg-remove.log")"
fi
check "the module is gone from updates/dkms" test ! -e "$ko"
check "modprobe no longer finds tcpao" sh -c '! modinfo -n tcpao'
check "aoctl is gone" test ! -e /usr/sbin/aoctl
lap "done"
# The harness loads its own tcpao.ko again after this test.
done_testing
