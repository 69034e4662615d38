#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# The connection dump (TCPAO_CMD_CONN_GET) at 16,384, 32,768 and 65,536
# connections, the default connection limit: every entry listed exactly
# once, and how the time grows with the table (linear, or quadratic when
# each continuation walks the list from its start).
#
# Entries come cheap: tests/tools/conndump sends one SYN per entry on a raw
# socket from namespace "ds", through a dummy device (which drops it) to
# 10.201.0.0/24, which a peer policy protects: tcpao's output hook makes
# the entry (SYN_SENT, kept 180 s) and signs the SYN; no socket, no answer.
# The table grows to each size in turn; at each, tcpao's own count of its
# entries (STATS_GET) must be the size, and every dump (raw netlink,
# 32 KiB reads, CONN_DUMP_REPS times, default 3) must list every entry
# exactly once and nothing else, uninterrupted.
#
# Times are reported, not judged (timing belongs in make bench, whose
# "dump" part reports the same ratios): "# dump N: ..." lines and
# t(32768)/t(16384), t(65536)/t(16384), from the fastest repetition at
# each size (about 2 and 4 if linear, 4 and 16 if quadratic).  With
# CONN_DUMP_MAX_RATIO=R the last ratio is asserted <= R too:
#   tests/vm/run --kernel stock \
#       'tests/scenarios/operations/conn_dump_scale.sh CONN_DUMP_MAX_RATIO=6'
# CONN_DUMP_SIZES (comma-separated, growing) and CONN_DUMP_BUFSIZE (bytes
# per recv(), 4096-65536) change the run.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

CONNDUMP=$TCPAO_SRC/build/tools/conndump
SIZES=${CONN_DUMP_SIZES:-16384,32768,65536}
REPS=${CONN_DUMP_REPS:-3}
BUFSIZE=${CONN_DUMP_BUFSIZE:-32768}
MAX_RATIO=${CONN_DUMP_MAX_RATIO:-}
[ -x "$CONNDUMP" ] || bail "$CONNDUMP is missing (make -C tests/tools O=build/tools)"

t_start=$(date +%s)
ns_create ds
setup() {
	ip -n ds link add d0 type dummy &&
	ip -n ds link set d0 up &&
	ip -n ds addr add 10.200.0.1/24 dev d0 &&
	ip -n ds route add 10.201.0.0/24 dev d0 &&
	ao_key ds kc 0 1 2 &&
	ao ds peer add 10.201.0.0/24 keychain kc
}
check "namespace ds: a dummy device, 10.201.0.0/24 behind it protected by a peer policy" setup

in_ns ds "$CONNDUMP" scale 10.200.0.1 10.201.0.0 --sizes "$SIZES" \
	--reps "$REPS" --bufsize "$BUFSIZE" >"$RESULTS/scale.json" 2>"$RESULTS/scale.err"
rc=$?
sed 's/^/#   conndump: /' "$RESULTS/scale.err"
check_eq "conndump scale ran through (exit 0: every dump listed every entry once)" 0 $rc

# One line per size, then the ratios; read in one python3 (each costs
# a good fraction of a second under TCG).
nsizes=$(echo "$SIZES" | tr ',' '\n' | grep -c .)
check_eq "a report for each of the $nsizes sizes" "$nsizes" \
	"$(grep -c '"size"' "$RESULTS/scale.json")"
python3 - "$RESULTS/scale.json" >"$RESULTS/scale.txt" <<'EOF'
import json, sys
keys = ("size sent send_errors table exact entries distinct repeated "
        "foreign interrupted ms_min messages recvs create_s age_s").split()
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "size" in d:
        print(" ".join(str(d.get(k, "none")) for k in keys),
              ",".join(str(x) for x in d.get("ms", [])))
    else:
        print("ratios", " ".join("%s=%s" % (k[6:], v) for k, v in d.items()
                                 if k.startswith("ratio_")))
EOF
prev=0
while read -r n sent errs table exact entries distinct repeated foreign intr \
	ms_min msgs recvs create age ms; do
	[ "$n" = ratios ] && continue
	check_eq "$((n - prev)) more SYNs sent, none refused" "$((n - prev)) 0" "$sent $errs"
	check_eq "  the table holds $n entries (tcpao's count)" "$n" "$table"
	check_eq "  each of the $REPS dumps lists the $n entries, each once, nothing else" \
		"$REPS" "$exact"
	check_eq "  (the last dump: entries, distinct, repeated, foreign, interrupted)" \
		"$n $n 0 0 0" "$entries $distinct $repeated $foreign $intr"
	diag "dump $n: $ms_min ms (fastest of $ms ms), $msgs messages in $recvs reads of up to $BUFSIZE bytes; the $((n - prev)) new entries made in $create s; the oldest $age s old"
	prev=$n
done <"$RESULTS/scale.txt"

first=${SIZES%%,*}
ratios=
ratio=
rn=
for kv in $(sed -n 's/^ratios //p' "$RESULTS/scale.txt"); do
	rn=${kv%%=*}
	ratio=${kv#*=}
	ratios="$ratios${ratios:+, }t($rn)/t($first) = $ratio"
done
diag "dump time ratios: $ratios (linear: as the sizes; quadratic: as their squares)"
if [ -n "$MAX_RATIO" ]; then
	check "t($rn)/t($first) = $ratio <= $MAX_RATIO" \
		python3 -c 'import sys; sys.exit(not 0 <= float(sys.argv[1]) <= float(sys.argv[2]))' \
		"$ratio" "$MAX_RATIO"
fi
diag "conn_dump_scale: $(($(date +%s) - t_start)) s in all"
done_testing
