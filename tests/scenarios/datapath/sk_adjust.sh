#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The socket of a protected connection accounts for TCP-AO's 16 bytes
# (output.c, tcpao_sk_adjust_later()): its MSS is the path's less the
# option, and where it can, tcpao makes that change in TCP's own softirq
# path, at the connection's first signed segment there, instead of in a
# work item; a first segment from a task still queues one.  Until then the
# socket sizes its segments from the peer's MSS, which input.c lowered by
# 16: the SYN's for the server, the SYN-ACK's for the client.
#
#   1. The client connects (blocking) and sends one byte; the server
#      accepts and reads it (its first segment is the ACK, in softirq).
#      Right after, both ends' TCP_MAXSEG is 1500 less the IP and TCP
#      headers, timestamps (12) and TCP-AO (16): 1432 (IPv4), 1412 (IPv6);
#      again once the client's work item has run (0.1 s later); and the
#      20 connections queued at most one work item each (the tcpao
#      workqueue, counted on the workqueue_queue_work trace event).
#      Before, each end of each connection queued one: 40.
#      The client runs SCHED_FIFO on one CPU and never sleeps between its
#      connect() and its first getsockopt() (both ends in one guest: the
#      handshake completes inside connect()), so the kworker of that CPU
#      cannot run the client's work item before: its MSS must be right
#      without it.  When the client's SYN queued the work and input.c left
#      the SYN-ACK's MSS alone, the client's was 1448 then (1428 over
#      IPv6), as CI saw on 6.12, whose EEVDF scheduler often lets a task
#      run on past a kworker's wake-up.  With the SYN-ACK's MSS lowered
#      but the work still queued by the SYN, which cannot know it, the
#      client's was 1416 on 6.1 once the work had run.
#   2. The server writes first, at once after accept (data from a task:
#      the hook cannot tell it holds the socket lock): a work item does
#      it, and the accepted socket's MSS is 1432 a moment later.  At most
#      one work item per connection end.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../../lib-ao.sh"

topo_two r1 r2 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64
setup() {
	ao_key r1 kc 0 10 20 && ao_key r2 kc 0 20 10 &&
		ao r1 peer add 192.0.2.2 keychain kc &&
		ao r1 peer add 2001:db8:1::2 keychain kc &&
		ao r2 peer add 192.0.2.1 keychain kc &&
		ao r2 peer add 2001:db8:1::1 keychain kc
}
check "keychains and peer policies on both ends" setup

tr=/sys/kernel/tracing
[ -d $tr/events ] || tr=/sys/kernel/debug/tracing
[ -d $tr/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
[ -d $tr/events ] || tr=/sys/kernel/tracing
ev=$tr/events/workqueue/workqueue_queue_work
have_trace=0
if [ -e $ev/enable ]; then
	echo 0 >$tr/tracing_on
	echo >$tr/trace
	echo 1 >$ev/enable
	have_trace=1
fi

cat >"$RESULTS/mss.py" <<'EOF'
# mss.py MODE FAMILY SERVER_NS CLIENT_NS ADDR PORT COUNT
#   MODE client-first: the client sends a byte, the server reads it, then
#   both print TCP_MAXSEG, and the client's again 0.1 s later, the loop
#   run SCHED_FIFO on CPU 0; server-first: the server writes at accept,
#   and prints its TCP_MAXSEG once it is below 1448 (for up to 2 s).
import ctypes, os, socket, sys, time
mode, fam, sns, cns, addr, port, count = sys.argv[1:8]
port, count = int(port), int(count)
af = socket.AF_INET if fam == "4" else socket.AF_INET6
TCP_MAXSEG = 2
libc = ctypes.CDLL(None, use_errno=True)
def setns(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(fd, 0x40000000):      # CLONE_NEWNET
        raise OSError(ctypes.get_errno(), "setns " + ns)
    os.close(fd)
def maxseg(sk):
    return sk.getsockopt(socket.IPPROTO_TCP, TCP_MAXSEG)
setns(sns)
ls = socket.socket(af, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((addr, port))
ls.listen(64)
ls.settimeout(10)
setns(cns)
if mode == "client-first":
    os.sched_setaffinity(0, {0})
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
out = []
for i in range(count):
    c = socket.socket(af, socket.SOCK_STREAM)
    c.settimeout(10)
    c.connect((addr, port))
    s, _ = ls.accept()
    s.settimeout(10)
    if mode == "client-first":
        c.send(b"x")
        s.recv(1)
        now = "%d %d" % (maxseg(c), maxseg(s))
        time.sleep(0.1)
        out.append("%s %d" % (now, maxseg(c)))
    else:
        s.send(b"y")
        c.recv(1)
        end = time.time() + 2
        m = maxseg(s)
        while m >= 1448 - 16 * (fam == "6") and time.time() < end:
            time.sleep(0.01)
            m = maxseg(s)
        out.append("%d" % m)
    c.close()
    s.close()
os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
print(" ".join(sorted(set(out))))
EOF

queued() {
	grep -c 'function=tcpao_sk_work_fn' $tr/trace 2>/dev/null || true
}

[ $have_trace = 1 ] && echo 1 >$tr/tracing_on
got4=$(python3 "$RESULTS/mss.py" client-first 4 r2 r1 192.0.2.2 7100 10 2>&1)
got6=$(python3 "$RESULTS/mss.py" client-first 6 r2 r1 2001:db8:1::2 7101 10 2>&1)
[ $have_trace = 1 ] && echo 0 >$tr/tracing_on
check_eq "IPv4, client first: TCP_MAXSEG client and server, client after its work, 10 connections" \
	"1432 1432 1432" "$got4"
check_eq "IPv6, client first: TCP_MAXSEG client and server, client after its work, 10 connections" \
	"1412 1412 1412" "$got6"
if [ $have_trace = 1 ]; then
	n=$(queued)
	check "at most one work item per connection: $n for those 20" \
		test "$n" -le 20
	echo >$tr/trace
	echo 1 >$tr/tracing_on
else
	skip "no workqueue_queue_work trace event here"
fi

got=$(python3 "$RESULTS/mss.py" server-first 4 r2 r1 192.0.2.2 7102 5 2>&1)
check_eq "IPv4, server writes first: its TCP_MAXSEG, 5 connections" "1432" "$got"
if [ $have_trace = 1 ]; then
	echo 0 >$tr/tracing_on
	n=$(queued)
	check "the accepted sockets queued theirs, at most one per end: $n for 5 connections" \
		test "$n" -ge 5 -a "$n" -le 10
	echo 0 >$ev/enable
fi
check_eq "no bad MAC on r1" 0 "$(ao_stat r1 bad_mac)"
check_eq "no bad MAC on r2" 0 "$(ao_stat r2 bad_mac)"
done_testing
