#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# packaging/version in a scratch git repository: every version starts with
# the release in VERSION, and dpkg --compare-versions puts a release before
# the commits that follow it and those before the next release, whatever
# the commit hashes look like (a hash that starts with a digit was once the
# whole version, and sorted above every release).  TAP on stdout.
#
# Environment: TOPDIR (the source tree), VERSION_SCRIPT (default
# $TOPDIR/packaging/version: another script to judge, e.g. an old one).
set -u

TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SCRIPT=${VERSION_SCRIPT:-$TOPDIR/packaging/version}
T=$(mktemp -d /tmp/tcpao-version.XXXXXX)
trap 'rm -rf "$T"' EXIT

n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
diag() {
	echo "$*" | sed 's/^/#   /'
}

for c in git dpkg; do
	if ! command -v $c >/dev/null 2>&1; then
		echo "1..0 # SKIP $c is not installed"
		exit 0
	fi
done

R=$T/repo
mkdir -p "$R/packaging"
cp "$SCRIPT" "$R/packaging/version"
chmod +x "$R/packaging/version"
g() {
	git -C "$R" -c user.name=test -c user.email=test@example.org \
		-c commit.gpgsign=false -c tag.gpgsign=false "$@"
}
g init -q
commit() { # FILE CONTENT MESSAGE
	echo "$2" >"$R/$1"
	g add -A && g commit -q -m "$3"
}
v() {
	env -u TCPAO_VERSION "$R/packaging/version" --deb
}
# vlt A B: dpkg sorts A before B
vlt() {
	if dpkg --compare-versions "$1" lt "$2"; then
		ok 0 "$3: $1 < $2"
	else
		ok 1 "$3: $1 < $2"
	fi
}

commit VERSION 0.2.0 "release 0.2.0"
ver=$(v)
[ "$ver" = 0.2.0 ]
ok $? "the commit that sets VERSION, untagged: 0.2.0 ($ver)"
g tag -a -m "tcpao 0.2.0" v0.2.0
rel=$(v)
[ "$rel" = 0.2.0 ]
ok $? "at tag v0.2.0: 0.2.0 ($rel)"

commit a 1 "one"
s1=$(v)
[ "$s1" = "0.2.0+1.g$(g rev-parse --short HEAD)" ]
ok $? "one commit later: 0.2.0+1.gHASH ($s1)"
# Commits until the hash starts with a digit (what made 8dfee80 a version).
i=0
while :; do
	i=$((i + 1))
	commit a "c$i" "commit $i"
	case $(g rev-parse --short HEAD) in [0-9]*) break ;; esac
done
s2=$(v)
case $s2 in
0.2.0+*.g[0-9]*) ok 0 "a hash starting with a digit: still 0.2.0+N.gHASH ($s2)" ;;
*) ok 1 "a hash starting with a digit: still 0.2.0+N.gHASH ($s2)" ;;
esac
# Up to 12 commits: 2 digits of N (numeric order, not text order).
while [ "$(g rev-list --count v0.2.0..HEAD)" -lt 12 ]; do
	i=$((i + 1))
	commit a "c$i" "commit $i"
done
s12=$(v)
case $s12 in
0.2.0+12.g*) ok 0 "twelve commits later: 0.2.0+12.gHASH ($s12)" ;;
*) ok 1 "twelve commits later: 0.2.0+12.gHASH ($s12)" ;;
esac
echo change >>"$R/a"
dirty=$(v)
[ "$dirty" = "$s12+dirty" ]
ok $? "uncommitted changes: +dirty ($dirty)"
g checkout -q -- a

# Without the tag (a clone without tags): counted from the VERSION commit.
g tag -d v0.2.0 >/dev/null
[ "$(v)" = "$s12" ]
ok $? "without tag v0.2.0 the same version ($(v))"
g tag -a -m "tcpao 0.2.0" v0.2.0 "$(g rev-list --max-parents=0 HEAD)"

commit VERSION 0.2.1 "release 0.2.1"
g tag -a -m "tcpao 0.2.1" v0.2.1
next=$(v)
[ "$next" = 0.2.1 ]
ok $? "the next release: 0.2.1 ($next)"
commit a after "after 0.2.1"
after=$(v)

vlt "$rel" "$s1" "release < a commit after it"
vlt "$s1" "$s2" "commits in order"
vlt "$s2" "$s12" "commits in order (N numeric)"
vlt "$s12" "$dirty" "a commit < the same with changes"
vlt "$dirty" "$next" "commits after a release < the next release"
vlt "$next" "$after" "the next release < a commit after it"
vlt "$s12" 0.3.0 "commits < a later minor release"
# Why a bare hash must never be a version again: it sorts above releases.
dpkg --compare-versions 8dfee80 gt 0.2.0
ok $? "(a bare hash such as 8dfee80 sorts above 0.2.0)"

# No git: VERSION as it is (make deb writes the whole string there).
mkdir -p "$T/copy/packaging"
cp "$R/packaging/version" "$T/copy/packaging/"
echo "0.2.1+1.gabc1234" >"$T/copy/VERSION"
[ "$(env -u TCPAO_VERSION "$T/copy/packaging/version")" = 0.2.1+1.gabc1234 ]
ok $? "a copy without git: its VERSION"
[ "$(TCPAO_VERSION=9.9.9 "$R/packaging/version")" = 9.9.9 ]
ok $? "TCPAO_VERSION overrides"
[ "$(env -u TCPAO_VERSION "$R/packaging/version")" = "$after" ]
ok $? "without --deb: the same string (modinfo, aoctl -V)"

# This tree: the version starts with its VERSION file.
if [ -z "${VERSION_SCRIPT:-}" ]; then
	tv=$(env -u TCPAO_VERSION "$TOPDIR/packaging/version")
	case $tv in
	"$(cat "$TOPDIR/VERSION")"|"$(cat "$TOPDIR/VERSION")"+*) ok 0 "this tree: $tv" ;;
	*) ok 1 "this tree: $tv does not start with $(cat "$TOPDIR/VERSION")" ;;
	esac
fi

echo "1..$n"
[ "$failed" -eq 0 ]
