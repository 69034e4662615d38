// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's own TCP-AO (CONFIG_TCP_AO, 6.7 and later): its connections are
 * not ours.
 *
 * A socket that holds Linux TCP-AO keys for its peer (a daemon's
 * TCP_AO_ADD_KEY) signs and verifies its segments itself, and Linux drops
 * every segment of it that lacks a valid TCP-AO option.  tcpao must neither
 * verify such a segment with its own keys nor hide its option, and must
 * not drop it for want of a tcpao connection: a segment carries one TCP-AO
 * option, so only one of the two can protect a connection.  The socket's
 * own configuration wins over a peer policy that matches the same flow:
 * the daemon asked for TCP-AO on that very socket, and the connection is
 * protected by TCP-AO either way.
 *
 * Output needs no lookup: tcpao's hook runs after TCP built the segment,
 * so a SYN from such a socket already carries its TCP-AO option.  Input
 * looks up the socket a segment with a TCP-AO option is for (the listener
 * for a SYN) when tcpao has no connection for it, and asks whether that
 * socket holds a key for the peer, as Linux itself decides
 * (tcp_ao_do_lookup(): address prefix, VRF when the key names one).
 *
 * TCP-MD5 sockets need nothing here: tcpao never touches a segment of a
 * flow no policy or binding covers, and refuses TCP-MD5 on a flow one does
 * (RFC 5925 2.2: never both options on a segment; the policy asks for
 * TCP-AO, so TCP-MD5 there would be a silent downgrade).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/tcp.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "datapath.h"

#if IS_ENABLED(CONFIG_TCP_AO)

/* Does @ao hold a key for the peer of flow @f? */
static bool tcpao_native_key(const struct tcp_ao_info *ao,
			     const struct tcpao_flow *f)
{
	const struct tcp_ao_key *key;

	hlist_for_each_entry_rcu(key, &ao->head, node) {
		if (key->family != f->family)
			continue;
		if ((key->keyflags & TCP_AO_KEYF_IFINDEX) &&
		    key->l3index != f->l3index)
			continue;
		if (f->family == AF_INET) {
			__be32 mask = key->prefixlen ?
				htonl(~0U << (32 - min_t(u8, key->prefixlen, 32))) : 0;

			if (!key->addr.a4.s_addr ||
			    !((key->addr.a4.s_addr ^ f->raddr.a4) & mask))
				return true;
#if IS_ENABLED(CONFIG_IPV6)
		} else if (ipv6_addr_any(&key->addr.a6) ||
			   ipv6_prefix_equal(&key->addr.a6, &f->raddr.a6,
					     min_t(u8, key->prefixlen, 128))) {
			return true;
#endif
		}
	}
	return false;
}

/* Does @sk (any kind of TCP socket) use Linux's TCP-AO with this peer? */
static bool tcpao_native_sk(const struct sock *sk, const struct tcpao_flow *f)
{
	const struct tcp_ao_info *ao;

	switch (sk->sk_state) {
	case TCP_NEW_SYN_RECV:
		return tcp_rsk(inet_reqsk((struct sock *)sk))->used_tcp_ao;
	case TCP_TIME_WAIT:
		ao = rcu_dereference(tcp_twsk(sk)->ao_info);
		break;
	default:
		ao = rcu_dereference(tcp_sk(sk)->ao_info);
	}
	return ao && tcpao_native_key(ao, f);
}

/*
 * An inbound segment with a TCP-AO option, of no tcpao connection: is it
 * for a socket that uses Linux's TCP-AO with this peer?
 */
bool tcpao_native_in(struct tcpao_net *tn, const struct sk_buff *skb,
		     const struct tcpao_pkt *p)
{
	const struct tcpao_flow *f = &p->flow;
	struct net *net = tn->net;
	struct sock *sk;
	bool native;

	if (tcpao_syn_only(p)) {
		sk = tcpao_listener_sk(tn, skb, f);
		return sk && tcpao_native_sk(sk, f);
	}
	if (f->family == AF_INET)
		sk = __inet_lookup_established(net, tcpao_hashinfo(net),
					       f->raddr.a4, f->rport,
					       f->laddr.a4, ntohs(f->lport),
					       inet_iif(skb), inet_sdif(skb));
	else
		sk = __inet6_lookup_established(net, tcpao_hashinfo(net),
						&f->raddr.a6, f->rport,
						&f->laddr.a6, ntohs(f->lport),
						inet6_iif(skb), inet6_sdif(skb));
	if (!sk)
		return false;
	native = tcpao_native_sk(sk, f);
	sock_gen_put(sk);
	return native;
}

/* An outbound SYN that its TCP socket signed with Linux's TCP-AO. */
bool tcpao_native_out(const struct sk_buff *skb, const struct tcpao_pkt *p)
{
	const struct sock *sk = skb->sk;

	return !p->bad_opts && p->opts.ao >= 0 && sk && sk_fullsock(sk) &&
	       sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP &&
	       rcu_access_pointer(tcp_sk(sk)->ao_info);
}

#endif /* CONFIG_TCP_AO */
