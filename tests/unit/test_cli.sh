#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aoctl as a program, without the kernel module: exit codes and messages of
# usage errors (which never reach netlink), -V, help, batch files (checked
# completely before anything runs), the man page, the bash completion and
# "make install".  TAP on stdout.
#
# Environment: AOCTL (the binary), TOPDIR (the source tree), TCPAO_APPLY
# (default: packaging/tcpao-apply of TOPDIR).
set -u

TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
AOCTL=${AOCTL:-$TOPDIR/tools/aoctl/aoctl}
T=$(mktemp -d /tmp/aoctl-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT

n=0
failed=0

ok()
{
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

skip()
{
	n=$((n + 1))
	echo "ok $n - # SKIP $1"
}

diag()
{
	sed 's/^/#   /'
}

# Run aoctl; $T/out, $T/err, $rc.
run()
{
	"$AOCTL" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# expect RC FIRST-STDERR-LINE -- ARGS...: exit code, first line of stderr
# (after warnings), nothing on stdout.
expect()
{
	local want_rc=$1 want=$2 got
	shift 3
	run "$@"
	got=$(grep -v '^aoctl: warning:' "$T/err" | head -n 1)
	if [ "$rc" -eq "$want_rc" ] && [ "$got" = "$want" ] && [ ! -s "$T/out" ]; then
		ok 0 "exit $want_rc: aoctl $*"
	else
		ok 1 "exit $want_rc: aoctl $*"
		{
			echo "exit code $rc"
			echo "expected: $want"
			echo "stderr:"
			cat "$T/err"
			echo "stdout:"
			cat "$T/out"
		} | diag
	fi
}

module_absent()
{
	[ ! -e /sys/module/tcpao ] && ! modinfo tcpao >/dev/null 2>&1
}

NOTLOADED="aoctl: tcpao module not loaded (modprobe tcpao)"

# ---- version and help ----
run -V
grep -qE '^aoctl version [^ ]+$' "$T/out" && [ "$rc" -eq 0 ] && [ ! -s "$T/err" ]
ok $? "-V prints the version ($(cat "$T/out"))"
ver=$(sed 's/^aoctl version //' "$T/out")
want=$("$TOPDIR/packaging/version")
[ "$ver" = "$want" ]
ok $? "  the version is packaging/version's ($want)"

for h in help -h --help -help; do
	run $h
	grep -q '^Usage: aoctl \[OPTIONS\] OBJECT { COMMAND | help }' "$T/out" &&
		grep -q '^Usage: aoctl keychain add NAME key ID SECRET' "$T/out" &&
		[ "$rc" -eq 0 ] && [ ! -s "$T/err" ]
	ok $? "aoctl $h: full usage on stdout, exit 0"
done
run keychain help
grep -q '^Usage: aoctl keychain add' "$T/out" && ! grep -q 'peer add' "$T/out" && [ "$rc" -eq 0 ]
ok $? "aoctl keychain help: the keychain usage"
run help peer
grep -q '^Usage: aoctl peer add PREFIX keychain NAME' "$T/out" && [ "$rc" -eq 0 ]
ok $? "aoctl help peer: the peer usage"
run -n no-such-netns help
[ "$rc" -eq 0 ]
ok $? "help needs no namespace"

run
[ "$rc" -eq 2 ] && grep -q '^Usage: aoctl' "$T/err" && [ ! -s "$T/out" ] &&
	[ "$(wc -l <"$T/err")" -eq 3 ]
ok $? "no arguments: the three-line synopsis on stderr, exit 2"
run -j
[ "$rc" -eq 2 ] && [ "$(head -n 1 "$T/err")" = "Usage: aoctl [OPTIONS] OBJECT { COMMAND | help }" ] &&
	grep -q "^Try 'aoctl help'" "$T/err" && [ "$(wc -l <"$T/err")" -eq 3 ] && [ ! -s "$T/out" ]
ok $? "-j alone: the synopsis, not every command (3 lines), exit 2"
run -x
[ "$rc" -eq 2 ] && grep -q 'Usage: aoctl' "$T/err" && [ "$(grep -c . "$T/err")" -le 4 ]
ok $? "unknown option: exit 2 with the synopsis"
for h in "stats help" "s h" "help stats" "monitor help" "flush help"; do
	# shellcheck disable=SC2086 # the words
	run $h
	[ "$rc" -eq 0 ] && grep -q '^Usage: aoctl \(stats\|monitor\|flush\)' "$T/out" && [ ! -s "$T/err" ]
	ok $? "aoctl $h: that usage, exit 0"
done
grep -q '^       aoctl stats peer \[SELECTORS\]' <("$AOCTL" stats help)
ok $? "stats help: stats peer"

# ---- usage errors: exit 2, nothing sent ----
expect 2 "aoctl: unknown object 'route'" -- route show
expect 2 "aoctl: keychain: unknown command 'frob'" -- keychain frob
expect 2 "aoctl: keychain add: key ID 64 is out of range (0-63)" -- \
	keychain add k key 64 secret-hex 00 send-id 1 recv-id 1
expect 2 "aoctl: keychain add: send-id 256 is out of range (0-255)" -- \
	keychain add k key 1 secret-hex 00 send-id 256 recv-id 1
expect 2 "aoctl: keychain add: secret is empty" -- \
	keychain add k key 1 secret '' send-id 1 recv-id 1
expect 2 "aoctl: keychain add: secret is 81 bytes long; the maximum is 80" -- \
	keychain add k key 1 secret "$(printf '%081d' 0)" send-id 1 recv-id 1
expect 2 "aoctl: keychain add: unknown cryptographic-algorithm 'md5' (hmac-sha-1-96 or aes-128-cmac-96)" -- \
	keychain add k key 1 secret-hex 00 send-id 1 recv-id 1 cryptographic-algorithm md5
expect 2 "aoctl: keychain add: invalid start-time '2024-02-30.12:00': day 30 is out of range (2024-02 has 29 days)" -- \
	keychain add k key 1 secret-hex 00 send-id 1 recv-id 1 start-time 2024-02-30.12:00
expect 2 "aoctl: keychain add: invalid start-time '2025-01-01.25:00': hour 25 is out of range (0-23)" -- \
	keychain add k key 1 secret-hex 00 send-id 1 recv-id 1 start-time 2025-01-01.25:00
expect 2 "aoctl: keychain add: invalid UTC offset '+2500': hours 00-23, minutes 00-59" -- \
	keychain add k key 1 secret-hex 00 send-id 1 recv-id 1 start-time 2025-01-01.12:00 +2500
expect 2 "aoctl: keychain add: missing 'recv-id N'" -- \
	keychain add k key 1 secret-hex 00 send-id 1
expect 2 "aoctl: keychain set: tolerance 1000000000 is out of range (0-999999999)" -- \
	keychain set k tolerance 1000000000
expect 2 "aoctl: peer add: invalid prefix '10.0.0.1/24': host bits are set (the prefix is 10.0.0.0/24)" -- \
	peer add 10.0.0.1/24 keychain k
expect 2 "aoctl: peer add: missing 'keychain NAME'" -- peer add 10.0.0.1
expect 2 "aoctl: limits set: nothing to set" -- limits set
expect 2 "aoctl: keychain add: 'se' is ambiguous: secret, secret-file, secret-hex, send-id" -- \
	keychain add k key 1 se x
expect 2 "aoctl: 'fl': write flush in full (it deletes every keychain and peer policy)" -- fl
expect 2 "aoctl: peer show: unknown keyword 'router1'" -- peer show router1
expect 2 "aoctl: keychain add: key ID 64 is out of range (0-63)" -- \
	-j keychain add k key 64 secret-hex 00 send-id 1 recv-id 1
expect 2 "aoctl: keychain add: key ID 64 is out of range (0-63)" -- \
	-n no-such-netns keychain add k key 64 secret-hex 00 send-id 1 recv-id 1
expect 1 "aoctl: keychain add: cannot open secret-file $T/nope: No such file or directory" -- \
	keychain add k key 1 secret-file "$T/nope" send-id 1 recv-id 1
expect 1 'aoctl: cannot open network namespace "no-such-netns": No such file or directory' -- \
	-n no-such-netns keychain show

run keychain add k key 1 secret-hex 0xSECRETSECRET send-id 1 recv-id 1
[ "$rc" -eq 2 ] && ! grep -q SECRET "$T/err" "$T/out"
ok $? "a bad secret is not echoed"
run keychain add k key 1 secret SECRETSECRET send-id 1 recv-id 999
[ "$rc" -eq 2 ] && ! grep -q SECRET "$T/err" "$T/out" &&
	grep -q "aoctl: warning: a secret on the command line may be recorded in the shell history" "$T/err"
ok $? "secret on the command line: warning, never echoed"

# ---- without the module ----
if module_absent; then
	expect 1 "$NOTLOADED" -- keychain show
	expect 1 "$NOTLOADED" -- -j stats
	# Abbreviations and selectors parse (and reach netlink).
	expect 1 "$NOTLOADED" -- k s
	expect 1 "$NOTLOADED" -- keychain sh
	expect 1 "$NOTLOADED" -- peer show 192.0.2.2
	expect 1 "$NOTLOADED" -- conn show port 179 keychain new_auth_key
	expect 1 "$NOTLOADED" -- stats peer 192.0.2.0/24
	expect 1 "$NOTLOADED" -- peer del 192.0.2.2 keychain k port 179 allow-without-tcpao
	run peer add 192.0.2.2 keychain k
	[ "$rc" -eq 1 ] && grep -q "^aoctl: warning: peer add 192.0.2.2/32: no port: " "$T/err"
	ok $? "peer add without port: the warning, then the command"
	run peer add 192.0.2.2 keychain k port any
	[ "$rc" -eq 1 ] && ! grep -q warning "$T/err"
	ok $? "peer add ... port any: no warning"
	printf 'x\n' >"$T/secret"
	chmod 600 "$T/secret"
	run keychain add k key 1 secret-file "$T/secret" send-id 1 recv-id 1
	[ "$rc" -eq 1 ] && [ "$(cat "$T/err")" = "$NOTLOADED" ]
	ok $? "a valid command: only '$NOTLOADED'"
else
	for i in 1 2 3 4 5 6 7 8 9 10 11; do
		skip "tcpao is loaded or installed here"
	done
fi

# ---- batch ----
cat >"$T/bad.batch" <<'EOF'
# a batch with an error on line 4
keychain add k key 1 secret-hex 00 send-id 1 recv-id 1

keychain add k key 64 secret-hex 00 send-id 1 recv-id 1
keychain show
EOF
chmod 600 "$T/bad.batch"
run -b "$T/bad.batch"
[ "$rc" -eq 2 ] &&
	[ "$(cat "$T/err")" = "aoctl: $T/bad.batch:4: keychain add: key ID 64 is out of range (0-63)" ]
ok $? "batch: error at line 4, nothing run (not even a netlink socket)"
[ "$rc" -eq 2 ] || diag <"$T/err"

printf 'keychain show\nkeychain add "k key 1\n' >"$T/quote.batch"
run -b "$T/quote.batch"
[ "$rc" -eq 2 ] && [ "$(cat "$T/err")" = "aoctl: $T/quote.batch:2: unterminated double quote" ]
ok $? "batch: unterminated quote, line 2"

printf 'keychain show\nkeychain add k \\\n  key 1 \\\n  key 2\n' >"$T/cont.batch"
run -b "$T/cont.batch"
[ "$rc" -eq 2 ] && grep -q "^aoctl: $T/cont.batch:2: keychain add: 'key' given twice" "$T/err"
ok $? "batch: continued command reported at its first line"

printf '\n# comment\nkeychain add k key 99 secret-hex 00 send-id 1 recv-id 1\n' |
	"$AOCTL" -b - >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && [ "$(cat "$T/err")" = "aoctl: stdin:3: keychain add: key ID 99 is out of range (0-63)" ]
ok $? "batch from stdin: 'stdin:3'"

printf 'keychain add k key 1 secret-file - send-id 1 recv-id 1\n' |
	"$AOCTL" -b - >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q "secret-file - cannot be used when the batch is read from standard input" "$T/err"
ok $? "batch from stdin: secret-file - refused"

printf 'keychain show\nk s\n' >"$T/abbrev.batch"
run -b "$T/abbrev.batch"
[ "$rc" -eq 2 ] && [ "$(cat "$T/err")" = "aoctl: $T/abbrev.batch:2: 'k': batch files spell keywords out (keychain)" ]
ok $? "batch: no abbreviations (a file outlives the grammar)"

printf 'stats\nmonitor\n' >"$T/mon.batch"
run -b "$T/mon.batch"
[ "$rc" -eq 2 ] && [ "$(cat "$T/err")" = "aoctl: $T/mon.batch:2: monitor: cannot be used in a batch" ]
ok $? "batch: monitor refused"

run -b "$T/mon.batch" stats
[ "$rc" -eq 2 ] && grep -q "aoctl: -b takes no command: 'stats'" "$T/err"
ok $? "batch: no command after -b FILE"

run -b "$T/missing.batch"
[ "$rc" -eq 1 ] && grep -q "aoctl: cannot open batch file $T/missing.batch: No such file or directory" "$T/err"
ok $? "batch: missing file, exit 1"

printf 'keychain add k key 1 secret "s e c r e t" send-id 1 recv-id 1\n' >"$T/secret.batch"
chmod 644 "$T/secret.batch"
run -b "$T/secret.batch"
grep -q "aoctl: warning: $T/secret.batch holds secrets and is readable by group or others (chmod 600 $T/secret.batch)" "$T/err" &&
	! grep -q "shell history" "$T/err" && ! grep -q "s e c r e t" "$T/err"
ok $? "batch: warning for a readable file with secrets"
chmod 600 "$T/secret.batch"
run -b "$T/secret.batch"
! grep -q "warning" "$T/err"
ok $? "batch: no warning at mode 0600"

for f in "$TOPDIR"/tests/scenarios/data/*.batch; do
	[ -e "$f" ] || continue
	cp "$f" "$T/seed.batch"
	chmod 600 "$T/seed.batch"
	run -b "$T/seed.batch"
	# Parsed completely: whatever fails now is netlink, not a line.
	! grep -q "seed.batch:" "$T/err" && { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; }
	ok $? "$(basename "$f") parses"
	[ "$rc" -le 1 ] || diag <"$T/err"
done

# ---- --sync and --check (no kernel: --check never needs one) ----
mkdir -p "$T/etc/keys"
chmod 700 "$T/etc" "$T/etc/keys"
(umask 077 && printf '%s' "k0 # \"q\" 'sq'" >"$T/etc/keys/my key.0")
cat >"$T/etc/sync.conf" <<'SYNC'
# a sync file: secrets with '#' and quotes, a path with a space
keychain add kc key 0 secret-file "KEYDIR/my key.0" send-id 10 recv-id 20 \
    start-time 2020-01-01.00:00
keychain add kc key 1 secret "k1 #not a comment 'q' \"dq\"" send-id 11 recv-id 21 \
    start-time 2030-01-01.00:00   # a comment
keychain set kc tolerance 60
keychain add empty
peer add 192.0.2.0/24 keychain kc port 179
peer add 2001:db8::/32 keychain kc vrf red port 179
peer add 198.51.100.1 keychain kc vrf red port 179
limits set keychains 10
SYNC
sed -i "s#KEYDIR#$T/etc/keys#" "$T/etc/sync.conf"
chmod 600 "$T/etc/sync.conf"
run -b "$T/etc/sync.conf" --sync --check
printf 'file: %s\ncommands: 8\nkeychains: kc empty\nkeys: 2\npeers: 3\nvrfs: red\n' \
	"$T/etc/sync.conf" >"$T/want"
[ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && cmp -s "$T/out" "$T/want"
ok $? "--sync --check: the report (keychains, keys, peers, the VRFs to create)"
[ "$rc" -eq 0 ] || diag <"$T/err"
run -j -b "$T/etc/sync.conf" --check
[ "$rc" -eq 0 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d == {"file": sys.argv[2], "commands": 8, "keychains": ["kc", "empty"],
             "keys": 2, "peers": 3, "vrfs": ["red"]}, d' "$T/out" "$T/etc/sync.conf"
ok $? "--check -j: the report as JSON"
! grep -q 'k0 #\|k1 #' "$T/out" "$T/err"
ok $? "--check: no secret in the output"

chmod 640 "$T/etc/sync.conf"
run -b "$T/etc/sync.conf" --sync --check
[ "$rc" -eq 1 ] && [ ! -s "$T/out" ] &&
	[ "$(cat "$T/err")" = "aoctl: file $T/etc/sync.conf is accessible by group or others: mode 640 (chmod 600 $T/etc/sync.conf)" ]
ok $? "--check: a file group can read is refused, exit 1"
chmod 600 "$T/etc/sync.conf"
chmod 604 "$T/etc/keys/my key.0"
run -b "$T/etc/sync.conf" --sync --check
[ "$rc" -eq 1 ] && [ ! -s "$T/out" ] &&
	[ "$(cat "$T/err")" = "aoctl: $T/etc/sync.conf:2: keychain add: secret-file $T/etc/keys/my key.0 is accessible by group or others: mode 604 (chmod 600 $T/etc/keys/my key.0)" ]
ok $? "--check: a secret file others can read is refused at FILE:LINE, exit 1"
chmod 600 "$T/etc/keys/my key.0"
run -b "$T/etc/sync.conf" --sync
[ "$rc" -eq 1 ] && [ "$(cat "$T/err")" = "aoctl: $T/etc/sync.conf:9: peer add: vrf red: no such device" ]
ok $? "--sync: the file is fine; the first policy in a VRF that does not exist is named"
run -b "$T/etc/sync.conf"
[ "$rc" -ne 2 ] && ! grep -q "$T/etc/sync.conf:" "$T/err"
ok $? "the sync file is a plain batch file too"

cat >"$T/etc/bad.conf" <<'BAD'
keychain add kc key 0 secret x send-id 10 recv-id 20 start-time 2020-01-01.00:00
keychain add kc key 0 secret y send-id 11 recv-id 21
keychain add kc key 1 secret y send-id 10 recv-id 22
keychain add kc key 2 secret y send-id 12 recv-id 20
keychain add kc key 3 secret y send-id 13 recv-id 23 start-time 2020-01-01.00:00
keychain del kc key 1
peer add 10.0.0.0/8 keychain other port 179
peer add 10.0.0.0/8 keychain kc port 179
keychain set kc tolerance 5
keychain add kc tolerance 6
limits set peers 10
limits set conns 5 peers 11
keychain add kc key 4 bogus
keychain add kc key 5 secret-file - send-id 15 recv-id 25
BAD
chmod 600 "$T/etc/bad.conf"
run -b "$T/etc/bad.conf" --sync --check
cat >"$T/want" <<WANT
aoctl: $T/etc/bad.conf:13: keychain add: unknown keyword 'bogus'
aoctl: $T/etc/bad.conf:14: keychain add: secret-file - (standard input) cannot be checked
aoctl: $T/etc/bad.conf:2: keychain add: key 0 of keychain kc is already defined at line 1
aoctl: $T/etc/bad.conf:3: keychain add: send-id 10 is already used by key 0 (line 1)
aoctl: $T/etc/bad.conf:4: keychain add: recv-id 20 is already used by key 0 (line 1)
aoctl: $T/etc/bad.conf:5: keychain add: start-time is already used by key 0 (line 1); start times must be unique
aoctl: $T/etc/bad.conf:6: keychain del: cannot be used with --sync: the file says what the configuration is (keychain add, keychain set NAME tolerance, peer add, limits set)
aoctl: $T/etc/bad.conf:8: peer add: peer 10.0.0.0/8 port 179 vrf default is already defined at line 7
aoctl: $T/etc/bad.conf:10: keychain add: the tolerance of keychain kc is already set at line 9
aoctl: $T/etc/bad.conf:12: limits set: limit peers is set twice
aoctl: $T/etc/bad.conf:7: peer add: keychain other is not in the file (a sync removes the keychains that are not)
WANT
[ "$rc" -eq 2 ] && [ ! -s "$T/out" ] && cmp -s "$T/err" "$T/want"
ok $? "--sync --check: every problem of the file, each at FILE:LINE, exit 2"
cmp -s "$T/err" "$T/want" || diff "$T/want" "$T/err" | diag
run -b "$T/etc/bad.conf" --sync
[ "$rc" -eq 2 ] && [ "$(cat "$T/err")" = "aoctl: $T/etc/bad.conf:13: keychain add: unknown keyword 'bogus'" ]
ok $? "--sync: the first error stops it before anything is sent"
printf 'keychain add kc key 0 secret x send-id 1 recv-id 2\nkeychain add kc key 0 secret y send-id 3 recv-id 4\n' \
	>"$T/etc/dup.conf"
chmod 600 "$T/etc/dup.conf"
run -b "$T/etc/dup.conf" --sync
[ "$rc" -eq 2 ] && [ "$(cat "$T/err")" = "aoctl: $T/etc/dup.conf:2: keychain add: key 0 of keychain kc is already defined at line 1" ]
ok $? "--sync: a sync file is checked as a whole before anything is sent"
expect 2 "aoctl: --sync and --check work on a batch file (-b FILE)" -- --sync keychain show
expect 2 "aoctl: --sync and --check work on a batch file (-b FILE)" -- --check stats

# ---- tcpao-apply: the file reaches aoctl whole ----
# aoctl-apply stands in for aoctl: "--check" runs the real one (no kernel
# needed), anything else (the trial run and the real sync) is only written
# to its log, one argument a line.  tcpao-apply must hand over the file
# and nothing else: the secret-file path with a space, relative to the
# file's directory, and the quotes and '#' of a secret are aoctl's to read.
TCPAO_APPLY=${TCPAO_APPLY:-$TOPDIR/packaging/tcpao-apply}
cat >"$T/aoctl-apply" <<STUB
#!/bin/sh
case " \$* " in
*" --check "*) exec "$AOCTL" "\$@" ;;
esac
printf '%s\n' "\$@" >>"$T/apply.log"
STUB
chmod +x "$T/aoctl-apply"
cat >"$T/etc/apply.conf" <<'APPLY'
# tcpao.conf: quotes, '#', a secret-file path with a space
keychain add kc key 0 secret-file "keys/my key.0" send-id 10 recv-id 20 # key 0
keychain add kc key 1 secret "k1 # \"dq\" 'sq' #" send-id 11 recv-id 21 \
    start-time 2030-01-01.00:00
peer add 192.0.2.0/24 keychain kc port 179
APPLY
chmod 600 "$T/etc/apply.conf"
apply()
{
	rm -f "$T/apply.log"
	(cd / && AOCTL=$T/aoctl-apply "$TCPAO_APPLY" -n r1 "$T/etc/apply.conf") \
		>"$T/out" 2>"$T/err"
	rc=$?
}
apply
last=$(tail -n 5 "$T/apply.log" 2>/dev/null | paste -sd' ')
[ "$rc" -eq 0 ] && ! grep -v 'warning: no trial run' "$T/err" | grep -q . &&
	[ "$last" = "-n r1 -b $T/etc/apply.conf --sync" ]
ok $? "tcpao-apply: a secret-file path with a space, a secret with '#' and quotes: checked, then aoctl -b FILE --sync"
[ "$rc" -eq 0 ] || { echo "exit $rc"; cat "$T/err" "$T/apply.log"; } 2>/dev/null | diag
sed -i 's/my key\.0/my key.9/' "$T/etc/apply.conf"
apply
[ "$rc" -eq 1 ] && [ ! -e "$T/apply.log" ] &&
	grep -qF "aoctl: $T/etc/apply.conf:2: keychain add: " "$T/err" &&
	grep -qF "keys/my key.9" "$T/err" &&
	grep -qxF "tcpao-apply: $T/etc/apply.conf not applied (it failed the checks; nothing changed)" "$T/err"
ok $? "tcpao-apply: a missing secret file is named whole at FILE:LINE, nothing applied"
[ "$rc" -eq 1 ] || { echo "exit $rc"; cat "$T/err"; } | diag

# ---- man page ----
MAN=$TOPDIR/tools/aoctl/aoctl.8
warn=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$MAN" 2>&1)
[ -z "$warn" ]
ok $? "man page: groff -ww reports nothing"
[ -z "$warn" ] || echo "$warn" | diag
if command -v man >/dev/null; then
	warn=$(MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >"$T/man.txt")
	[ -z "$warn" ] && [ -s "$T/man.txt" ]
	ok $? "man page: man -l renders it without warnings"
else
	LC_ALL=C.UTF-8 groff -man -Tutf8 "$MAN" 2>/dev/null | col -b >"$T/man.txt"
	skip "man is not installed"
fi
missing=""
for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES FILES "EXIT STATUS" "SEE ALSO" JUNOS; do
	grep -q "^$s" "$T/man.txt" || missing="$missing $s"
done
[ -z "$missing" ]
ok $? "man page: every section${missing:+ (missing:$missing)}"
grep -q 'ip(8)' "$T/man.txt" && grep -q 'bird(8)' "$T/man.txt" &&
	grep -q 'new_auth_key' "$T/man.txt" && grep -q 'send-id 2 recv-id 1' "$T/man.txt"
ok $? "man page: SEE ALSO ip(8) bird(8), the Junos seed with swapped IDs"
# Keywords of the usage (prose and the tails of "-j[son]" left out).
"$AOCTL" help | grep -oE '(^|[ {|\[])-?[a-z][a-z0-9]*(-[a-z0-9]+)*' |
	sed 's/^[ {|[]//' | sort -u |
	grep -vxE 'an|atch|bytes|characters|elp|ersion|etns|given|is|offset|retty|son|unless|where' \
		>"$T/words"
[ "$(wc -l <"$T/words")" -gt 40 ]
ok $? "usage: $(wc -l <"$T/words") keywords"
missing=""
while read -r w; do
	grep -qF -- "$w" "$T/man.txt" || missing="$missing $w"
done <"$T/words"
[ -z "$missing" ]
ok $? "man page: every word of the usage is documented${missing:+ (missing:$missing)}"

# ---- bash completion ----
cat >"$T/aoctl-stub" <<'EOF'
#!/bin/sh
echo "$*" >>"$STUBLOG"
case "$*" in
*"-j keychain show new_auth_key detail") echo '[{"name":"new_auth_key","keys":[{"id":0},{"id":1}]}]' ;;
*"-j keychain show") echo '[{"name":"new_auth_key","tolerance":3600},{"name":"other","tolerance":60}]' ;;
*"-j peer show") echo '[{"prefix":"10.0.0.2/32","port":null},{"prefix":"2001:db8::/32","port":179}]' ;;
esac
EOF
chmod +x "$T/aoctl-stub"
export STUBLOG=$T/stub.log
# shellcheck source=/dev/null
. "$TOPDIR/tools/aoctl/completion/aoctl"
complete -p aoctl >/dev/null 2>&1
ok $? "completion: registered for aoctl"

# comp WANT WORDS...: the candidates for the last word (may be '').
comp()
{
	local want=$1 got
	shift
	COMP_WORDS=("$T/aoctl-stub" "$@")
	COMP_CWORD=$#
	COMP_LINE="aoctl $*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_aoctl
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
	want=$(tr ' ' '\n' <<<"$want" | sort | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ]
	ok $? "completion: aoctl $* -> $want"
	[ "$got" = "$want" ] || echo "got: $got" | diag
}
comp "keychain peer conn stats monitor limits flush help" ''
comp "keychain" 'k'
comp "-j -p -n -b -V -h" '-'
comp "add set del show help" keychain ''
comp "add del show help" peer ''
comp "show set help" limits ''
comp "show peer help" stats ''
comp "add set del show help" k ''
comp "new_auth_key other" k a ''
comp "new_auth_key other detail" k s ''
comp "enabled disabled" keychain add k key 0 tc ''
comp "hmac-sha-1-96 aes-128-cmac-96" k a k key 0 cr ''
comp "any" p a 10.0.0.2 k x po ''
comp "port vrf keychain 10.0.0.2/32 2001:db8::/32" peer show ''
comp "vrf keychain 10.0.0.2/32 2001:db8::/32" peer show port 179 ''
comp "any" peer show port ''
comp "new_auth_key other" peer show keychain ''
comp "port vrf keychain 10.0.0.2/32 2001:db8::/32" stats peer ''
comp "port vrf keychain 10.0.0.2/32 2001:db8::/32" stats show peer ''
comp "port vrf keychain 10.0.0.2/32 2001:db8::/32" s p ''
comp "new_auth_key other" keychain add ''
comp "new_auth_key other detail" keychain show ''
comp "detail" keychain show new_auth_key ''
comp "secret secret-file secret-hex send-id recv-id cryptographic-algorithm start-time tcp-ao-option tolerance" \
	keychain add k key 0 ''
comp "send-id recv-id cryptographic-algorithm start-time tcp-ao-option tolerance" \
	keychain add k key 0 secret-hex 00 ''
comp "hmac-sha-1-96 aes-128-cmac-96" keychain add k key 0 cryptographic-algorithm ''
comp "enabled disabled" keychain add k key 0 tcp-ao-option ''
comp "" keychain add k key 0 send-id ''
comp "0 1" keychain set new_auth_key key ''
comp "key" keychain del new_auth_key ''
comp "new_auth_key other" peer add 10.0.0.2 keychain ''
comp "port vrf allow-without-tcpao accept-icmps" peer add 10.0.0.2 keychain k ''
comp "vrf accept-icmps" peer add 10.0.0.2 keychain k port 179 allow-without-tcpao ''
comp "10.0.0.2/32 2001:db8::/32" peer del ''
comp "port vrf keychain allow-without-tcpao accept-icmps" peer del 10.0.0.2/32 ''
comp "port vrf keychain detail" conn show ''
comp "vrf keychain detail" conn show port 179 ''
comp "new_auth_key other" conn show keychain ''
comp "peers conns bindings" limits set keychains 5 ''
: >"$STUBLOG"
comp "new_auth_key other" -n red keychain del ''
grep -q -- "-n red -j keychain show" "$STUBLOG"
ok $? "completion: asks aoctl in the namespace given with -n"

# ---- make install ----
make -s -C "$TOPDIR/tools/aoctl" install DESTDIR="$T/root" PREFIX=/usr >"$T/inst" 2>&1
[ -x "$T/root/usr/sbin/aoctl" ] &&
	[ -f "$T/root/usr/share/man/man8/aoctl.8" ] &&
	[ -f "$T/root/usr/share/bash-completion/completions/aoctl" ] &&
	[ "$(stat -c %a "$T/root/usr/sbin/aoctl")" = 755 ] &&
	[ "$(stat -c %a "$T/root/usr/share/man/man8/aoctl.8")" = 644 ]
st=$?
ok $st "make install DESTDIR= PREFIX=/usr: sbin/aoctl, man8/aoctl.8, completions/aoctl"
[ $st -eq 0 ] || diag <"$T/inst"

echo "1..$n"
[ "$failed" -eq 0 ]
