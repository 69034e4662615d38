#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcpao.ko loads, describes itself, unloads cleanly and loads again.
# (The harness loaded it before this script; it reloads it afterwards if a
# script leaves it unloaded, but this one puts it back itself.)
. "$(dirname "$0")/../../lib.sh"

plan 12

check_grep "tcpao is listed in /proc/modules" '^tcpao ' /proc/modules

modinfo "$TCPAO_KO" >"$RESULTS/modinfo.txt" 2>&1
check_grep "modinfo: version" '^version: +[^ ]' "$RESULTS/modinfo.txt"
check_grep "modinfo: license GPL" '^license: +GPL$' "$RESULTS/modinfo.txt"
check_grep "modinfo: description" '^description: +[^ ]' "$RESULTS/modinfo.txt"
check_grep "modinfo: author" '^author: +[^ ]' "$RESULTS/modinfo.txt"
check_grep "modinfo: built for the running kernel" \
	"^vermagic: +$(uname -r | sed 's/[.+]/\\&/g') " "$RESULTS/modinfo.txt"

dmesg >"$RESULTS/dmesg-load.txt"
check_grep "kernel log has the load line" '] tcpao: .*version .* loaded' \
	"$RESULTS/dmesg-load.txt"

check "rmmod tcpao succeeds" rmmod tcpao
if grep -q '^tcpao ' /proc/modules; then
	not_ok "tcpao is gone from /proc/modules"
else
	ok "tcpao is gone from /proc/modules"
fi
dmesg >"$RESULTS/dmesg-unload.txt"
check_grep "kernel log has the unload line" '] tcpao: unloaded' \
	"$RESULTS/dmesg-unload.txt"

check "insmod tcpao.ko again succeeds" insmod "$TCPAO_KO"
check_grep "tcpao is listed again" '^tcpao ' /proc/modules

done_testing
