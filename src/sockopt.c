// SPDX-License-Identifier: GPL-2.0
/*
 * Socket options: a routing daemon binds its TCP sockets to keychains, per
 * peer, through netfilter's socket option registration (SOL_IP on AF_INET
 * sockets, SOL_IPV6 on AF_INET6 sockets), reads a connection's state and
 * restores one in TCP_REPAIR mode.  The bindings themselves, their lookups
 * and their collection are binding.c's.
 *
 * Linux's own TCP-AO socket options (TCPAO_SO_AO_*) are linuxapi.c's,
 * registered apart; it finds a socket's connection and restores one with
 * the functions here (sockopt.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/capability.h>
#include <linux/netfilter.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/l3mdev.h>
#include <net/tcp.h>

#include "datapath.h"
#include "binding.h"
#include "peer.h"
#include "sne.h"
#include "sockopt.h"

static int tcpao_bind_parse(const struct tcpao_bind *b, struct tcpao_bind_ent *e)
{
	union tcpao_addr masked;
	u8 plen = b->prefixlen;

	memset(e, 0, sizeof(*e));
	if (b->flags & ~TCPAO_F_ALL)
		return -EINVAL;
	if (b->family == AF_INET) {
		if (plen > 32)
			return -EINVAL;
		e->family = AF_INET;
		e->addr.a4 = b->addr.v4.s_addr;
	} else if (b->family == AF_INET6 && ipv6_addr_v4mapped(&b->addr.v6)) {
		/* An IPv4 peer of an IPv6 socket: the wire carries IPv4. */
		if (plen < 96 || plen > 128)
			return -EINVAL;
		e->family = AF_INET;
		e->addr.a4 = b->addr.v6.s6_addr32[3];
		plen -= 96;
	} else if (b->family == AF_INET6) {
		if (plen > 128)
			return -EINVAL;
		e->family = AF_INET6;
		e->addr.a6 = b->addr.v6;
	} else {
		return -EINVAL;
	}
	tcpao_addr_mask(e->family, &e->addr, plen, &masked);
	if (memcmp(&masked, &e->addr, sizeof(masked)))
		return -EINVAL;
	if (!memchr(b->keychain, 0, sizeof(b->keychain)))
		return -EINVAL;
	e->plen = plen;
	e->ifindex = b->ifindex;
	e->flags = b->flags & (TCPAO_F_ALLOW_WITHOUT_AO | TCPAO_F_ACCEPT_ICMPS);
	return 0;
}

/* Addresses, ports and VRF of a socket's connection. */
static void tcpao_sk_flow(struct sock *sk, struct tcpao_flow *f)
{
	struct inet_sock *inet = inet_sk(sk);

	memset(f, 0, sizeof(*f));
	if (sk->sk_family == AF_INET6 &&
	    !ipv6_addr_v4mapped(&sk->sk_v6_daddr)) {
		f->family = AF_INET6;
		f->laddr.a6 = sk->sk_v6_rcv_saddr;
		f->raddr.a6 = sk->sk_v6_daddr;
	} else {
		f->family = AF_INET;
		f->laddr.a4 = inet->inet_saddr;
		f->raddr.a4 = inet->inet_daddr;
	}
	f->lport = inet->inet_sport;
	f->rport = inet->inet_dport;
	if (sk->sk_bound_dev_if)
		f->l3index = l3mdev_master_ifindex_by_index(sock_net(sk),
							    sk->sk_bound_dev_if);
}

struct tcpao_conn *tcpao_sk_conn(struct tcpao_net *tn, struct sock *sk)
{
	struct tcpao_conn_key key;
	struct tcpao_flow f;

	tcpao_sk_flow(sk, &f);
	tcpao_flow_to_key(&f, &key);
	return tcpao_conn_lookup(tn, &key);
}

static int tcpao_so_bind(struct sock *sk, sockptr_t arg, unsigned int len,
			 bool remove)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(sk));
	struct tcpao_bind b;
	struct tcpao_bind_ent e;
	int err;

	if (len != sizeof(b))
		return -EINVAL;
	if (copy_from_sockptr(&b, arg, sizeof(b)))
		return -EFAULT;
	err = tcpao_bind_parse(&b, &e);
	if (err)
		return err;

	lock_sock(sk);
	/* Junos: a session keeps its keychain for life.  Listening sockets
	 * may gain peers: new connections use them.
	 */
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN) {
		err = -EISCONN;
		goto out;
	}
	mutex_lock(&tn->lock);
	if (!remove) {
		e.kc = tcpao_keychain_find(tn, b.keychain);
		if (!e.kc) {
			err = -ENOENT;
			goto out_unlock;
		}
		if (e.ifindex &&
		    l3mdev_master_ifindex_by_index(tn->net, e.ifindex) !=
		    e.ifindex) {
			err = -EINVAL;
			goto out_unlock;
		}
	}
	err = tcpao_binding_update(tn, sk, &e, b.flags & TCPAO_F_AO_REQUIRED,
				   remove);
out_unlock:
	mutex_unlock(&tn->lock);
out:
	release_sock(sk);
	return err;
}

/*
 * Restore a connection of a socket in TCP_REPAIR mode (CRIU and alike):
 * TCPAO_SO_REPAIR, and linuxapi.c's TCP_AO_REPAIR.
 */
int tcpao_sock_repair(struct sock *sk, const struct tcpao_repair *rp)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(sk));
	struct tcpao_repair r = *rp;
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcpao_match m;
	struct tcpao_conn *c;
	struct tcpao_flow f;
	bool required;
	int err = 0;

	lock_sock(sk);
	if (!tp->repair) {
		err = -EPERM;
		goto out;
	}
	if (sk->sk_state != TCP_ESTABLISHED) {
		err = -ENOTCONN;
		goto out;
	}
	tcpao_sk_flow(sk, &f);
	mutex_lock(&tn->lock);
	rcu_read_lock();
	if (!tcpao_sock_lookup(tn, sk, &f, &m, &required) &&
	    (required || m.lx || !tcpao_peer_lookup(tn, &f, &m))) {
		err = -ENOENT;
		goto out_unlock;
	}
	c = tcpao_sk_conn(tn, sk);
	if (c)
		tcpao_conn_unlink(c);
	c = tcpao_conn_create(tn, &f, &m, TCPAO_CONN_SYN_SENT,
			      TCPAO_CONN_F_REPAIRED);
	if (IS_ERR(c)) {
		err = PTR_ERR(c);
		goto out_unlock;
	}
	err = tcpao_conn_sync(c, htonl(r.lisn), htonl(r.risn));
	if (err) {
		tcpao_conn_unlink(c);
		goto out_unlock;
	}
	atomic64_set(&c->snd_ref, tcpao_sne_pack(r.snd_sne, tp->snd_nxt));
	atomic64_set(&c->rcv_ref, tcpao_sne_pack(r.rcv_sne, tp->rcv_nxt));
	tcpao_sk_adjust(c, sk);
out_unlock:
	rcu_read_unlock();
	if (!err)
		err = tcpao_hooks_update(tn);
	mutex_unlock(&tn->lock);
out:
	release_sock(sk);
	return err;
}

static int tcpao_so_repair(struct sock *sk, sockptr_t arg, unsigned int len)
{
	struct tcpao_repair r;

	if (len != sizeof(r))
		return -EINVAL;
	if (copy_from_sockptr(&r, arg, sizeof(r)))
		return -EFAULT;
	return tcpao_sock_repair(sk, &r);
}

static int tcpao_so_set(struct sock *sk, int optval, sockptr_t arg,
			unsigned int len)
{
	if (sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM)
		return -ENOPROTOOPT;
	if (!ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN))
		return -EPERM;

	switch (optval) {
	case TCPAO_SO_BIND:
		return tcpao_so_bind(sk, arg, len, false);
	case TCPAO_SO_UNBIND:
		return tcpao_so_bind(sk, arg, len, true);
	case TCPAO_SO_REPAIR:
		return tcpao_so_repair(sk, arg, len);
	default:
		return -ENOPROTOOPT;
	}
}

static int tcpao_so_get_info(struct sock *sk, void __user *user, int *len)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(sk));
	bool admin = ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN);
	struct tcpao_info info = {};
	struct tcpao_conn *c;
	int n;

	if (*len < 0)
		return -EINVAL;
	lock_sock(sk);
	rcu_read_lock();
	if (tcpao_sock_bound(tn, sk))
		info.flags |= TCPAO_INFO_F_BOUND;
	c = sk->sk_state == TCP_LISTEN ? NULL : tcpao_sk_conn(tn, sk);
	if (c) {
		info.flags |= TCPAO_INFO_F_CONN | tcpao_conn_flags(c);
		info.state = READ_ONCE(c->state);
		info.send_keyid = READ_ONCE(c->send_keyid);
		info.send_rnext = READ_ONCE(c->send_rnext);
		info.recv_keyid = READ_ONCE(c->recv_keyid);
		info.recv_rnext = READ_ONCE(c->peer_rnext);
		/* SNEs help predict a connection's sequence space, as
		 * ISNs do: for CAP_NET_ADMIN only, zero for others.
		 */
		if (admin) {
			info.snd_sne = atomic64_read(&c->snd_ref) >> 32;
			info.rcv_sne = atomic64_read(&c->rcv_ref) >> 32;
		}
		info.pkts_good = atomic64_read(&c->pkts_good);
		info.pkts_bad = atomic64_read(&c->pkts_bad);
		info.pkts_signed = atomic64_read(&c->pkts_signed);
		strscpy(info.keychain, c->kc->name, sizeof(info.keychain));
	}
	rcu_read_unlock();
	release_sock(sk);

	n = min_t(int, *len, sizeof(info));
	if (copy_to_user(user, &info, n))
		return -EFAULT;
	*len = n;
	return 0;
}

static int tcpao_so_get_repair(struct sock *sk, void __user *user, int *len)
{
	struct tcpao_net *tn = tcpao_pernet(sock_net(sk));
	struct tcpao_repair r = {};
	struct tcpao_conn *c;
	int err = 0;

	if (*len != sizeof(r))
		return -EINVAL;
	/* As Linux's TCP_AO_REPAIR (tcp_can_repair_sock()): ISNs and SNEs
	 * are for a checkpointing administrator, on a socket in repair mode.
	 */
	if (!ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN) ||
	    sk->sk_state == TCP_LISTEN)
		return -EPERM;
	lock_sock(sk);
	if (!tcp_sk(sk)->repair) {
		release_sock(sk);
		return -EPERM;
	}
	rcu_read_lock();
	c = tcpao_sk_conn(tn, sk);
	if (!c || c->state < TCPAO_CONN_ESTABLISHED) {
		err = -ENOENT;
	} else {
		struct tcp_sock *tp = tcp_sk(sk);

		r.lisn = ntohl(c->lisn);
		r.risn = ntohl(c->risn);
		r.snd_sne = tcpao_sne_of(atomic64_read(&c->snd_ref),
					 tp->snd_nxt);
		r.rcv_sne = tcpao_sne_of(atomic64_read(&c->rcv_ref),
					 tp->rcv_nxt);
	}
	rcu_read_unlock();
	release_sock(sk);
	if (!err && copy_to_user(user, &r, sizeof(r)))
		err = -EFAULT;
	return err;
}

static int tcpao_so_get(struct sock *sk, int optval, void __user *user,
			int *len)
{
	if (sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM)
		return -ENOPROTOOPT;
	switch (optval) {
	case TCPAO_SO_INFO:
		return tcpao_so_get_info(sk, user, len);
	case TCPAO_SO_REPAIR:
		return tcpao_so_get_repair(sk, user, len);
	default:
		return -ENOPROTOOPT;
	}
}

static struct nf_sockopt_ops tcpao_sockopts[] = {
	{
		.pf = PF_INET,
		.set_optmin = TCPAO_SO_MIN,
		.set_optmax = TCPAO_SO_REPAIR + 1,
		.set = tcpao_so_set,
		.get_optmin = TCPAO_SO_MIN,
		.get_optmax = TCPAO_SO_REPAIR + 1,
		.get = tcpao_so_get,
		.owner = THIS_MODULE,
	},
	{
		.pf = PF_INET6,
		.set_optmin = TCPAO_SO_MIN,
		.set_optmax = TCPAO_SO_REPAIR + 1,
		.set = tcpao_so_set,
		.get_optmin = TCPAO_SO_MIN,
		.get_optmax = TCPAO_SO_REPAIR + 1,
		.get = tcpao_so_get,
		.owner = THIS_MODULE,
	},
};

/*
 * The socket option structures have one layout for 64-bit and 32-bit
 * processes (no compat translation needed): fixed offsets, no hole.
 * tests/unit/test_uapi.sh checks the same from userspace, with -m32.
 */
static void tcpao_uapi_layout_check(void)
{
	BUILD_BUG_ON(sizeof(struct tcpao_bind) != 88);
	BUILD_BUG_ON(offsetof(struct tcpao_bind, ifindex) != 4);
	BUILD_BUG_ON(offsetof(struct tcpao_bind, addr) != 8);
	BUILD_BUG_ON(offsetof(struct tcpao_bind, keychain) != 24);
	BUILD_BUG_ON(sizeof(struct tcpao_info) != 112);
	BUILD_BUG_ON(offsetof(struct tcpao_info, snd_sne) != 12);
	BUILD_BUG_ON(offsetof(struct tcpao_info, reserved2) != 20);
	BUILD_BUG_ON(offsetof(struct tcpao_info, pkts_good) != 24);
	BUILD_BUG_ON(offsetof(struct tcpao_info, pkts_signed) != 40);
	BUILD_BUG_ON(offsetof(struct tcpao_info, keychain) != 48);
	BUILD_BUG_ON(sizeof(struct tcpao_repair) != 16);
	BUILD_BUG_ON(offsetof(struct tcpao_repair, rcv_sne) != 12);
}

int tcpao_sockopt_init(void)
{
	int err;

	tcpao_uapi_layout_check();

	err = nf_register_sockopt(&tcpao_sockopts[0]);
	if (err)
		return err;
	err = nf_register_sockopt(&tcpao_sockopts[1]);
	if (err)
		nf_unregister_sockopt(&tcpao_sockopts[0]);
	return err;
}

void tcpao_sockopt_exit(void)
{
	nf_unregister_sockopt(&tcpao_sockopts[1]);
	nf_unregister_sockopt(&tcpao_sockopts[0]);
}
