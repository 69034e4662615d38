#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check one connection between tcpao and Linux's own TCP-AO, for
tests/scenarios/native/ao.sh.

usage: aopair.py NATIVE.json PLAIN.json CONNS.json [CHECK...]

NATIVE.json is the report of tests/tools/aopeer on the Linux TCP-AO side,
PLAIN.json the one of the plain aopeer on tcpao's side, CONNS.json
"aoctl -j conn show" of tcpao's namespace, taken while both peers held the
connection idle (aopeer --hold), i.e. at the same moment as the native
counters.  Prints one line per check, "ok: ..." or "FAIL: ...", and exits 1
if any failed.

Always checked: the exchange completed on both sides and each confirmed the
SHA-256 of the other's stream; tcpao has the connection (by its ports) and
its ISNs are the ones Linux reports (TCP_AO_REPAIR); Linux verified
segments and failed none (TCP_AO_INFO: good > 0, bad = key-not-found =
ao-required = 0); tcpao failed none; and the two agree: every segment tcpao
signed Linux verified (tcpao "signed" = Linux good), and every segment Linux
sent tcpao verified (tcpao "good" = TCP_INFO segs_out of the Linux socket).

CHECK words add:
  keys=S/R        tcpao's connection last sent KeyID S, last received R
  native=C/N      Linux's Current_key (SendID) C and RNext_key (RecvID) N
  sne=A/B         tcpao's SNEs: sending A, receiving B (Linux's must be
                  the mirror: its sending B, receiving A); "*": any value
  isn=N           the Linux side's ISN is N (it connected with --isn N)
  plain_isn=N     the plain side's ISN is N (tcpao's side, with --isn N)
"""
import json
import sys


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        nat = json.load(f)
    with open(sys.argv[2]) as f:
        pla = json.load(f)
    with open(sys.argv[3]) as f:
        conns = json.load(f)
    failed = []

    def check(ok, what, detail=''):
        print('%s: %s%s' % ('ok' if ok else 'FAIL', what,
                            '' if ok or not detail else ' (%s)' % detail))
        if not ok:
            failed.append(what)

    for name, r in (('Linux', nat), ('tcpao side', pla)):
        check(r.get('result') == 'ok' and r.get('peer_confirms') is True,
              '%s: exchange complete, %d bytes sent and confirmed by SHA-256, '
              '%d received' % (name, r.get('sent', 0), r.get('received', 0)),
              r.get('result'))
    check(nat.get('sent_sha256') == pla.get('received_sha256') and
          pla.get('sent_sha256') == nat.get('received_sha256') and
          nat.get('sent_sha256') and pla.get('sent_sha256'),
          'both streams arrived intact (SHA-256 compared across sides)')

    # tcpao's connection: its local port is the plain side's.
    c = [c for c in conns
         if c.get('local_port') == pla.get('lport') and
         c.get('remote_port') == pla.get('rport')]
    check(len(c) == 1, 'tcpao has the connection %s:%s -> %s:%s' % (
        pla.get('local'), pla.get('lport'), pla.get('remote'), pla.get('rport')),
        '%d entries' % len(c))
    if len(c) != 1:
        return 1
    c = c[0]
    info = nat.get('info', {})
    rep = nat.get('repair', {})
    ti = nat.get('tcp_info', {})
    # A Linux listener verifies the handshake on the listening socket (the
    # SYN, and the ACK that completes it while the child does not exist
    # yet), and sends the SYN-ACK from the request socket: the accepted
    # socket's TCP_AO_INFO and TCP_INFO count neither.  (Nothing else
    # connects to these listeners, so their counters are this
    # connection's.)
    lst = nat.get('listener', {})
    nat_good = info.get('pkt_good', 0) + lst.get('pkt_good', 0)
    nat_sent = ti.get('segs_out', 0) + (1 if nat.get('mode') == 'listen' else 0)
    print('# tcpao: keys %s/%s rnext %s/%s sne %s/%s good %s bad %s signed %s '
          'lisn %s risn %s' % (c.get('send_keyid'), c.get('recv_keyid'),
                               c.get('send_rnext'), c.get('recv_rnext'),
                               c.get('snd_sne'), c.get('rcv_sne'), c.get('good'),
                               c.get('bad'), c.get('signed'), c.get('lisn'),
                               c.get('risn')))
    print('# Linux: current %s rnext %s good %s bad %s key-not-found %s '
          'ao-required %s (listener: good %s bad %s); isn %s/%s sne %s/%s; '
          'segs out %s in %s' % (
              info.get('current_key'), info.get('rnext'), info.get('pkt_good'),
              info.get('pkt_bad'), info.get('pkt_key_not_found'),
              info.get('pkt_ao_required'), lst.get('pkt_good', '-'),
              lst.get('pkt_bad', '-'), rep.get('snt_isn'), rep.get('rcv_isn'),
              rep.get('snd_sne'), rep.get('rcv_sne'), ti.get('segs_out'),
              ti.get('segs_in')))
    check(c.get('lisn') == rep.get('rcv_isn') and c.get('risn') == rep.get('snt_isn'),
          'both sides derive traffic keys from the same ISNs',
          'tcpao %s/%s, Linux %s/%s' % (c.get('lisn'), c.get('risn'),
                                       rep.get('rcv_isn'), rep.get('snt_isn')))
    check(info.get('pkt_good', 0) > 0 and info.get('pkt_bad') == 0 and
          info.get('pkt_key_not_found') == 0 and info.get('pkt_ao_required') == 0,
          'Linux TCP_AO_INFO: %s verified, none failed' % info.get('pkt_good'),
          'bad %s key-not-found %s ao-required %s' % (
              info.get('pkt_bad'), info.get('pkt_key_not_found'),
              info.get('pkt_ao_required')))
    check(c.get('good', 0) > 0 and c.get('bad') == 0,
          'tcpao: %s verified, none failed' % c.get('good'), 'bad %s' % c.get('bad'))
    check(lst.get('pkt_bad', 0) == 0 and lst.get('pkt_key_not_found', 0) == 0,
          'Linux listener: none failed', 'bad %s key-not-found %s' % (
              lst.get('pkt_bad'), lst.get('pkt_key_not_found')))
    check(c.get('signed') == nat_good,
          'every segment tcpao signed, Linux verified (%s)' % c.get('signed'),
          'tcpao signed %s, Linux verified %s' % (c.get('signed'), nat_good))
    check(c.get('good') == nat_sent,
          'every segment Linux sent, tcpao verified (%s)' % c.get('good'),
          'Linux sent %s, tcpao verified %s' % (nat_sent, c.get('good')))

    for w in sys.argv[4:]:
        k, v = w.split('=', 1)
        if k == 'keys':
            got = '%s/%s' % (c.get('send_keyid'), c.get('recv_keyid'))
            check(got == v, 'tcpao last sent KeyID / received KeyID %s' % v, got)
        elif k == 'native':
            got = '%s/%s' % (info.get('current_key'), info.get('rnext'))
            check(got == v, 'Linux Current_key/RNext_key %s' % v, got)
        elif k == 'sne':
            # A or B may be "*": any value, the same on both sides (the
            # direction whose ISN the kernel chose could wrap too).
            a, b = v.split('/')
            ok = (c.get('snd_sne') == rep.get('rcv_sne') and
                  c.get('rcv_sne') == rep.get('snd_sne') and
                  a in ('*', str(c.get('snd_sne'))) and
                  b in ('*', str(c.get('rcv_sne'))))
            check(ok, 'SNE: tcpao sends %s receives %s, Linux the mirror' % (a, b),
                  'tcpao %s/%s, Linux %s/%s' % (c.get('snd_sne'), c.get('rcv_sne'),
                                                rep.get('snd_sne'), rep.get('rcv_sne')))
        elif k == 'isn':
            check(rep.get('snt_isn') == int(v, 0), 'Linux connected with ISN %s' % v,
                  rep.get('snt_isn'))
        elif k == 'plain_isn':
            check(c.get('lisn') == int(v, 0), 'tcpao side connected with ISN %s' % v,
                  c.get('lisn'))
        else:
            sys.exit('aopair.py: unknown check %s' % w)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
