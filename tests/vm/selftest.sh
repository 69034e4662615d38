#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of the VM harness: success must only ever come from a clean
# kernel.  tests/vm/selftest/tcpao_selftest.ko injects one fault per boot;
# each faulty run must make tests/vm/run go red (run with --expect-fail, so
# that it reports a pass exactly when it went red), and for the right
# reason: its output must name the fault.  fault=none must stay green.
#
#   tests/vm/selftest.sh [--results DIR] [FAULT...]
#
# Prints one line per fault and "N passed, N failed"; exit 1 on failure.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
results=$repo/results/vm-selftest-$(date +%Y%m%d-%H%M%S)-$$
if [ "${1:-}" = --results ]; then
	results=$2
	shift 2
fi
faults=("$@")
[ ${#faults[@]} -gt 0 ] || faults=(none kunit_fail warn kasan_uaf leak)

# What the harness output must contain for each fault, so that a run that
# went red for another reason (a build error, say) does not count.
declare -A evidence=(
	[kunit_fail]='^FAIL kunit:tcpao_selftest fault=kunit_fail: tcpao_selftest\.selftest_kunit_case'
	[warn]='deliberate warning'
	[kasan_uaf]='BUG: KASAN: .*use-after-free'
	[leak]='^FAIL vm: kmemleak'
)

mkdir -p "$results"
passed=0
failed=0
for f in "${faults[@]}"; do
	out=$results/$f.out
	# --no-load: the self-test is about the harness, not about tcpao.ko.
	args=(--kernel debug --no-load --timeout 120 --results "$results/$f")
	if [ "$f" = none ]; then
		"$repo/tests/vm/run" "${args[@]}" "kunit:tcpao_selftest fault=none" >"$out" 2>&1
		rc=$?
		if [ $rc -eq 0 ] && tail -n 1 "$out" | grep -qx '1 passed, 0 failed'; then
			echo "PASS selftest: fault=none stays green"
			passed=$((passed + 1))
		else
			echo "FAIL selftest: fault=none went red (see $out)"
			sed 's/^/  | /' "$out" | tail -n 30
			failed=$((failed + 1))
		fi
		continue
	fi
	"$repo/tests/vm/run" "${args[@]}" --expect-fail \
		"kunit:tcpao_selftest fault=$f" >"$out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -qE "${evidence[$f]:-.}" "$out"; then
		echo "PASS selftest: fault=$f makes the harness fail"
		passed=$((passed + 1))
	else
		echo "FAIL selftest: fault=$f did not make the harness fail for the right reason (see $out)"
		sed 's/^/  | /' "$out" | tail -n 30
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
