#!/bin/bash
# exploratory: what the guest offers
echo "# nproc $(nproc) online $(cat /sys/devices/system/cpu/online) possible $(cat /sys/devices/system/cpu/possible)"
grep -m1 flags /proc/cpuinfo | sed 's/^/# /'
grep -m1 "model name" /proc/cpuinfo | sed 's/^/# /'
echo "# clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) avail $(cat /sys/devices/system/clocksource/clocksource0/available_clocksource)"
for m in sha1_ssse3 aesni_intel cmac md5 sha1_generic; do modprobe $m 2>&1 | sed "s/^/# modprobe $m: /"; done
grep -E "^name|^driver|^priority" /proc/crypto | paste - - - | grep -E "sha1|aes|md5|cmac" | sed 's/^/# /'
perf --version 2>&1 | sed 's/^/# /'
perf stat -e cpu-clock,cycles,kmem:kmalloc -a sleep 1 2>&1 | sed 's/^/# /'
ls /sys/kernel/debug/tracing/ 2>&1 | head -3 | sed 's/^/# /'
ls /sys/kernel/tracing 2>&1 | head -3 | sed 's/^/# /'
cat /sys/kernel/tracing/available_tracers 2>&1 | sed 's/^/# /'
which iperf3 ethtool python3 | sed 's/^/# /'
echo "ok 1 - probe"
