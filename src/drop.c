// SPDX-License-Identifier: GPL-2.0
/*
 * Where dropped segments are reported, all in one place: every drop of the
 * datapath comes through tcpao_event_fail(), which counts it for the peer
 * policy, writes the kernel log line and queues the monitor event.
 *
 * Kernel log.  An operator greps the kernel log for TCP-MD5's "MD5 Hash
 * failed" when a session flaps; tcpao writes a line of its own for a drop
 * (the peer, the ports, the keychain, the cause and the KeyID), whether or
 * not a monitor listens.  At most one line per cause and connection per
 * log_interval seconds (a connection not set up yet, such as a SYN, is its
 * addresses and ports), and at most ten lines per five seconds in all, as
 * net_ratelimit() allows: a flood of forged segments costs the log nothing
 * more.  log_failures=0 turns it off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/netdevice.h>

#include "datapath.h"
#include "events.h"

static bool tcpao_log_failures = true;
module_param_named(log_failures, tcpao_log_failures, bool, 0644);
MODULE_PARM_DESC(log_failures,
		 "Log dropped segments (authentication failures) to the kernel log, rate-limited (default 1)");

static unsigned int tcpao_log_interval = 60;
module_param_named(log_interval, tcpao_log_interval, uint, 0644);
MODULE_PARM_DESC(log_interval,
		 "Seconds before a cause is logged again for the same connection (default 60, 1-86400)");

/* Every namespace together, as net_ratelimit(). */
static DEFINE_RATELIMIT_STATE(tcpao_log_rs, 5 * HZ, 10);

/* The names aoctl prints (stats, monitor), so that one word greps both. */
static const char *const tcpao_cause_names[__TCPAO_DROP_MAX] = {
	[TCPAO_DROP_BAD_MAC] = "bad-mac",
	[TCPAO_DROP_KEY_NOT_FOUND] = "key-not-found",
	[TCPAO_DROP_AO_REQUIRED] = "ao-required",
	[TCPAO_DROP_MALFORMED] = "malformed",
	[TCPAO_DROP_KEY_EXPIRED] = "key-expired",
	[TCPAO_DROP_KEY_NOT_VALID] = "key-not-yet-valid",
	[TCPAO_DROP_NO_STATE] = "no-state",
	[TCPAO_DROP_MD5_CONFLICT] = "md5-conflict",
	[TCPAO_DROP_NO_SEND_KEY] = "no-send-key",
};

/* "192.0.2.2 port 179", "2001:db8::2 port 179" */
static void tcpao_log_ep(char *buf, size_t len, u8 family,
			 const union tcpao_addr *a, __be16 port)
{
	if (family == AF_INET)
		snprintf(buf, len, "%pI4 port %u", &a->a4, ntohs(port));
	else
		snprintf(buf, len, "%pI6c port %u", &a->a6, ntohs(port));
}

static void tcpao_log_print(struct tcpao_net *tn, struct tcpao_conn *c,
			    const struct tcpao_conn_key *k, u8 cause,
			    int keyid, const char *why)
{
	char peer[64], local[64], vrf[IFNAMSIZ + 8] = "", kc[80] = "";
	char id[16] = "", reason[128] = "";
	struct net_device *dev;
	struct tcpao_match m;
	struct tcpao_flow f;

	tcpao_log_ep(peer, sizeof(peer), k->family, &k->raddr, k->rport);
	tcpao_log_ep(local, sizeof(local), k->family, &k->laddr, k->lport);
	rcu_read_lock();
	if (k->l3index) {
		dev = dev_get_by_index_rcu(tn->net, k->l3index);
		if (dev)
			snprintf(vrf, sizeof(vrf), ", vrf %s", dev->name);
		else
			snprintf(vrf, sizeof(vrf), ", vrf if%d", k->l3index);
	}
	/* The connection's keychain, else the one of the policy that
	 * matches (a SYN that failed made no connection).
	 */
	if (c) {
		snprintf(kc, sizeof(kc), ", keychain %s", c->kc->name);
	} else {
		memset(&f, 0, sizeof(f));
		f.family = k->family;
		f.l3index = k->l3index;
		f.laddr = k->laddr;
		f.raddr = k->raddr;
		f.lport = k->lport;
		f.rport = k->rport;
		if (tcpao_peer_lookup(tn, &f, &m))
			snprintf(kc, sizeof(kc), ", keychain %s", m.kc->name);
	}
	rcu_read_unlock();
	if (keyid >= 0)
		snprintf(id, sizeof(id), ", keyid %d", keyid);
	if (why)
		snprintf(reason, sizeof(reason), " (%s)", why);
	pr_info("dropped segment: peer %s, local %s%s%s: %s%s%s\n", peer,
		local, vrf, kc, tcpao_cause_names[cause], id, reason);
}

/**
 * tcpao_log_fail - the kernel log line for a dropped segment
 * @tn: namespace
 * @c: its connection, or NULL (the flow then stands for it)
 * @f: the segment's addresses and ports (used when @c is NULL)
 * @cause: &enum tcpao_drop_cause
 * @keyid: KeyID of the segment, or -1
 * @why: a diagnosis to add in parentheses, or NULL
 *
 * Rate-limited as the file's header says; any context, allocates nothing.
 */
void tcpao_log_fail(struct tcpao_net *tn, struct tcpao_conn *c,
		    const struct tcpao_flow *f, u8 cause, int keyid,
		    const char *why)
{
	struct tcpao_log_slot *slot = NULL;
	struct tcpao_conn_key k;
	u32 now, ivl, hash = 0, *stamp = NULL, t;

	if (!READ_ONCE(tcpao_log_failures) || cause >= __TCPAO_DROP_MAX ||
	    !tcpao_cause_names[cause] || (!c && !f))
		return;
	now = (u32)jiffies | 1;
	ivl = clamp(READ_ONCE(tcpao_log_interval), 1U, 86400U) * HZ;
	if (c) {
		k = c->key;
		stamp = &c->log_time[cause];
		t = READ_ONCE(*stamp);
		if (t && now - t < ivl)
			return;
	} else {
		tcpao_flow_to_key(f, &k);
		hash = jhash(&k, sizeof(k), cause) | 1;
		slot = &tn->events->log_slot[hash % TCPAO_LOG_SLOTS];
		t = READ_ONCE(slot->time);
		if (READ_ONCE(slot->hash) == hash && t && now - t < ivl)
			return;
	}
	if (!__ratelimit(&tcpao_log_rs))
		return;
	if (stamp) {
		WRITE_ONCE(*stamp, now);
	} else {
		WRITE_ONCE(slot->hash, hash);
		WRITE_ONCE(slot->time, now);
	}
	tcpao_log_print(tn, c, &k, cause, keyid, why);
}

/* The drop counters of the policy that made the connection, or of the one
 * whose addresses a segment of no connection matches.
 */
static void tcpao_peer_count_drop(struct tcpao_net *tn, struct tcpao_conn *c,
				  const struct tcpao_flow *f, u8 cause)
{
	struct tcpao_peer *p = c ? c->peer : NULL;
	struct tcpao_match m;

	if (cause >= __TCPAO_DROP_MAX)
		return;
	rcu_read_lock();
	if (!c && f && tcpao_peer_lookup(tn, f, &m))
		p = m.peer;
	if (p)
		atomic64_inc(&p->drops[cause]);
	rcu_read_unlock();
}

/* The diagnosis in the kernel log line: the likely cause, the fix here. */
static const char *const tcpao_diag_why[] = {
	[TCPAO_DIAG_OPTS_COVERED] =
		"peer covers TCP options: set tcp-ao-option enabled",
	[TCPAO_DIAG_OPTS_EXCLUDED] =
		"peer excludes TCP options: set tcp-ao-option disabled",
	[TCPAO_DIAG_IDS_SWAPPED] = "send-id/recv-id look swapped",
	[TCPAO_DIAG_OTHER_ALG] =
		"peer uses the other algorithm with this key: check cryptographic-algorithm",
	[TCPAO_DIAG_KEY_FUTURE] =
		"peer uses a key not valid yet here: clock or start-time mismatch",
	[TCPAO_DIAG_KEY_EXPIRED] =
		"peer uses a key expired here: clock or start-time mismatch",
	[TCPAO_DIAG_UNKNOWN] = "wrong secret, or a key this side does not have",
};

/*
 * Every dropped segment: the policy's counter, the kernel log line, and at
 * most one message per connection per second (per namespace, ten a
 * second, for segments of no connection), carrying how many drops it
 * stands for.
 */
void tcpao_event_fail(struct tcpao_net *tn, struct tcpao_conn *c,
		      const struct tcpao_flow *f, u8 cause, int keyid,
		      u8 diag, time64_t start)
{
	struct tcpao_ev ev = {
		.cmd = TCPAO_CMD_EVENT_AUTH_FAIL,
		.what = cause,
		.diag = diag,
		.diag_start = start,
		.new = keyid,
		.count = 1,
	};
	unsigned long now = jiffies;
	const char *why = NULL;
	char when[112];

	tcpao_peer_count_drop(tn, c, f, cause);
	if (diag < ARRAY_SIZE(tcpao_diag_why))
		why = tcpao_diag_why[diag];
	/* A key that starts later here: when, so that the operator can
	 * compare the clocks and the start times of both ends.
	 */
	if (diag == TCPAO_DIAG_KEY_FUTURE && keyid >= 0) {
		struct tm tm;

		time64_to_tm(start, 0, &tm);
		snprintf(when, sizeof(when),
			 "peer uses key %d, which starts at %04ld-%02d-%02d.%02d:%02d:%02d UTC here: clock or start-time mismatch",
			 keyid, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
		why = when;
	}
	tcpao_log_fail(tn, c, f, cause, keyid, why);
	if (c) {
		unsigned long last = READ_ONCE(c->fail_ev_time);

		if (last && time_before(now, last + HZ)) {
			WRITE_ONCE(c->fail_ev_count, c->fail_ev_count + 1);
			return;
		}
		WRITE_ONCE(c->fail_ev_time, now ? now : 1);
		ev.count += READ_ONCE(c->fail_ev_count);
		WRITE_ONCE(c->fail_ev_count, 0);
	} else if (!__ratelimit(&tn->fail_rs)) {
		return;
	}
	if (!tcpao_events_wanted(tn))
		return;
	if (c) {
		tcpao_ev_conn(&ev, c);
	} else {
		ev.has_conn = true;
		tcpao_flow_to_key(f, &ev.key);
	}
	tcpao_event_queue(tn, &ev);
}
