// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: random and mutated messages to the "tcpao" generic netlink family.
 *
 *   nlfuzz [-n COUNT] [-S COUNT] [-s SEED] [-u] [-e] [-v]
 *
 * Every message is a mutation of a known-good request of one of the
 * family's commands (every command, doit and dump): attributes left out,
 * duplicated, of the wrong type, size or nesting, huge or out-of-range
 * values, names that are empty, too long, unterminated or not printable,
 * random command numbers and header fields, netlink flags (dumps of doit
 * commands, no ACK, no REQUEST), lying nlmsg_len and attribute lengths,
 * deep nesting, two requests in one send, and byte flips on top.
 *
 * After each message it reads the answer and, unless the message was
 * accepted, checks that the namespace's configuration (every keychain with
 * its keys, every peer policy, the limits: dumped and put in a canonical
 * form without what time changes) is exactly what it was before.  An
 * accepted message sets the new reference.  Every reply must parse; extack
 * messages must be printable; on the socket without NETLINK_CAP_ACK, no
 * reply may carry a secret of a key nest that parsed (they are wiped).
 *
 *   -S   also COUNT random socket option calls (TCPAO_SO_*: garbage
 *        structures, wrong lengths, wrong levels and socket types, repair
 *        mode), after which no socket binding may be left once the
 *        sockets are closed
 *   -a   compare the configuration after every message (default: after
 *        every message tcpao itself answered, accepted or refused, every
 *        unanswered one and every 16th of those refused by the generic
 *        netlink core before tcpao saw them)
 *   -u   unprivileged: no request of the family may be accepted, reads
 *        included (they need CAP_NET_ADMIN too), nor may the events group
 *        be joined; no socket option that changes anything may succeed.
 *        The configuration cannot be read then: the caller compares it
 *        before and after (hardening/netlink_users.sh, as root)
 *   -e   exit at the first failure (default: count them and go on)
 *
 * Prints a summary; exit status 0 when nothing failed.  Run it in a
 * namespace of its own: it flushes and rewrites the configuration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/tcpao.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#ifndef NLMSGERR_ATTR_MSG
#define NLMSGERR_ATTR_MSG 1
#endif

#define BUFSZ (1 << 16)
#define MARK "nlfuzz-secret-"	/* 14 bytes, in every secret we send */

static uint64_t rng_state;
static int fam_id, mc_id;
static int sk_cap, sk_nocap, sk_snap, sk_mc;
static uint32_t seq = 1;
static bool unpriv, stop_on_fail, verbose, check_all;
static unsigned long failures, n_acc, n_rej, n_none, n_checks, n_events;
static unsigned long errs[256], cmds_acc[256];
static char msg_txt[512];

/* ---- randomness ---- */

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned int rn(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return rn(100) < percent;
}

/* ---- message building ---- */

struct buf {
	uint8_t d[BUFSZ];
	size_t len;
	int nest[64];
	int depth;
};

static void *put(struct buf *b, const void *p, size_t n)
{
	void *at = b->d + b->len;

	if (b->len + NLA_ALIGN(n) > sizeof(b->d) - 64)
		return at;	/* full: the message is just shorter */
	if (p)
		memcpy(at, p, n);
	else
		memset(at, 0, n);
	memset(b->d + b->len + n, 0, NLA_ALIGN(n) - n);
	b->len += NLA_ALIGN(n);
	return at;
}

static void attr(struct buf *b, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + n, .nla_type = type };

	if (b->len + NLA_HDRLEN + NLA_ALIGN(n) > sizeof(b->d) - 64)
		return;
	put(b, &a, sizeof(a));
	put(b, p, n);
}

static void nest_start(struct buf *b, uint16_t type)
{
	struct nlattr a = { .nla_type = type };

	if (!chance(5))
		a.nla_type |= NLA_F_NESTED;
	if (b->depth < 64)
		b->nest[b->depth++] = b->len;
	put(b, &a, sizeof(a));
}

static void nest_end(struct buf *b)
{
	struct nlattr *a;

	if (!b->depth)
		return;
	a = (struct nlattr *)(b->d + b->nest[--b->depth]);
	a->nla_len = b->len - ((uint8_t *)a - b->d);
}

/* A scalar of @size bytes: mostly @good, else an edge or a wrong size. */
static void scalar(struct buf *b, uint16_t type, int size, uint64_t good,
		   uint64_t lo, uint64_t hi)
{
	static const int sizes[] = { 0, 1, 2, 3, 4, 8, 16 };
	uint64_t v = good;
	int sz = size;

	switch (rn(10)) {
	case 0:
		v = hi + 1;
		break;
	case 1:
		v = lo ? lo - 1 : ~0ULL;
		break;
	case 2:
		v = rnd();
		break;
	case 3:
		sz = sizes[rn(7)];
		v = rnd();
		break;
	case 4:
		v = rn(2) ? lo : hi;
		break;
	}
	attr(b, type, &v, sz);	/* little-endian: the low bytes */
}

static const char *const names[] = { "kc0", "kc1", "kc2", "kc3" };

static void name_attr(struct buf *b, uint16_t type)
{
	char s[80];
	int n;

	switch (rn(12)) {
	case 0:
		attr(b, type, "", 1);			/* empty */
		return;
	case 1:
		attr(b, type, "a b", 4);		/* space */
		return;
	case 2:
		attr(b, type, "kc\001", 4);		/* control char */
		return;
	case 3:
		memset(s, 'x', 63);			/* longest */
		s[63] = 0;
		attr(b, type, s, 64);
		return;
	case 4:
		memset(s, 'y', 70);			/* too long */
		s[70] = 0;
		attr(b, type, s, 71);
		return;
	case 5:
		attr(b, type, "kc0", 3);		/* no NUL */
		return;
	case 6:
		attr(b, type, "\xff\xfe", 3);		/* not ASCII */
		return;
	default:
		n = rn(4);
		attr(b, type, names[n], strlen(names[n]) + 1);
	}
}

static void kc_nest(struct buf *b, bool tolerance)
{
	nest_start(b, TCPAO_A_KEYCHAIN);
	if (!chance(7))
		name_attr(b, TCPAO_KC_A_NAME);
	if (tolerance || chance(10))
		scalar(b, TCPAO_KC_A_TOLERANCE, 4, rn(7200), 0,
		       TCPAO_TOLERANCE_MAX);
	if (chance(5))	/* a reply-only attribute */
		scalar(b, TCPAO_KC_A_ACTIVE_SEND + rn(10), 4, 1, 0, 255);
	nest_end(b);
}

/* Returns whether every attribute of the key nest is well formed. */
static bool key_nest(struct buf *b, bool full)
{
	uint8_t secret[100];
	int id = rn(8), slen;
	bool clean = true;
	size_t start = b->len;

	nest_start(b, TCPAO_A_KEY);
	if (!chance(7))
		scalar(b, TCPAO_KEY_A_ID, 1, id, 0, TCPAO_KEY_ID_MAX);
	if (full || chance(30)) {
		slen = chance(90) ? 14 + (int)rn(67) : (int)rn(100);
		memset(secret, 'S', sizeof(secret));
		memcpy(secret, MARK, slen < 14 ? slen : 14);
		attr(b, TCPAO_KEY_A_SECRET, secret, slen);
		if (slen < 14 + 1 || slen > TCPAO_SECRET_MAX)
			clean = false;
	}
	if (full || chance(30))
		scalar(b, TCPAO_KEY_A_START_TIME, 8,
		       chance(50) ? 1600000000 + rn(1000) * 1000 :
		       4000000000ULL + rn(1000), 0, ~0ULL >> 1);
	if (full || chance(30))
		scalar(b, TCPAO_KEY_A_SEND_ID, 1, id * 2, 0, 255);
	if (full || chance(30))
		scalar(b, TCPAO_KEY_A_RECV_ID, 1, id * 2 + 1, 0, 255);
	if (chance(40))
		scalar(b, TCPAO_KEY_A_ALG, 1, 1 + rn(2), 1, TCPAO_ALG_MAX);
	if (chance(30))
		scalar(b, TCPAO_KEY_A_TCP_OPTIONS, 1, rn(2), 0, 1);
	if (chance(5))	/* reply-only */
		scalar(b, TCPAO_KEY_A_STATE + rn(4), 1, 1, 0, 255);
	nest_end(b);
	/* Scalars may have come out malformed: look. */
	if (clean) {
		struct nlattr *n = (struct nlattr *)(b->d + start), *a;
		size_t off;

		for (off = NLA_HDRLEN; off + NLA_HDRLEN <= n->nla_len;
		     off += NLA_ALIGN(a->nla_len)) {
			a = (struct nlattr *)((uint8_t *)n + off);
			int t = a->nla_type & NLA_TYPE_MASK;
			int l = a->nla_len - NLA_HDRLEN;

			if ((t == TCPAO_KEY_A_ID && (l != 1 ||
			     *((uint8_t *)(a + 1)) > TCPAO_KEY_ID_MAX)) ||
			    (t == TCPAO_KEY_A_START_TIME && l != 8) ||
			    ((t == TCPAO_KEY_A_SEND_ID ||
			      t == TCPAO_KEY_A_RECV_ID) && l != 1) ||
			    (t == TCPAO_KEY_A_ALG && (l != 1 ||
			     *((uint8_t *)(a + 1)) < 1 ||
			     *((uint8_t *)(a + 1)) > TCPAO_ALG_MAX)) ||
			    (t == TCPAO_KEY_A_TCP_OPTIONS && (l != 1 ||
			     *((uint8_t *)(a + 1)) > 1)) ||
			    t >= TCPAO_KEY_A_STATE || t == 0)
				clean = false;
			if (a->nla_len < NLA_HDRLEN)
				break;
		}
	}
	return clean;
}

static void peer_nest(struct buf *b, bool keychain)
{
	uint8_t addr[17];
	bool v6 = chance(40);
	int alen = v6 ? 16 : 4;

	memset(addr, 0, sizeof(addr));
	if (v6) {
		addr[0] = 0x20;
		addr[1] = 0x01;
		addr[2] = 0x0d;
		addr[3] = 0xb8;
		addr[15] = rn(4);
	} else {
		addr[0] = 198;
		addr[1] = 51;
		addr[2] = 100;
		addr[3] = rn(4);
	}
	if (chance(10))
		alen = rn(18);
	if (chance(10))
		addr[rn(alen ? alen : 1)] ^= 1 << rn(8);	/* host bits */
	nest_start(b, TCPAO_A_PEER);
	if (!chance(7))
		attr(b, TCPAO_PEER_A_ADDR, addr, alen);
	if (chance(60))
		scalar(b, TCPAO_PEER_A_PREFIXLEN, 1, v6 ? 128 : 32, 0, 128);
	if (chance(40))
		scalar(b, TCPAO_PEER_A_PORT, 2, 179 + rn(3), 1, 65535);
	if (chance(10))
		scalar(b, TCPAO_PEER_A_IFINDEX, 4, rn(4), 0, ~0U);
	if (keychain || chance(10))
		name_attr(b, TCPAO_PEER_A_KEYCHAIN);
	if (chance(40))
		scalar(b, TCPAO_PEER_A_FLAGS, 4, rn(4), 0, 3);
	if (chance(5))
		scalar(b, TCPAO_PEER_A_CONNS + rn(2), 4, 0, 0, 0);
	nest_end(b);
}

static void limits_nest(struct buf *b)
{
	int i;

	nest_start(b, TCPAO_A_LIMITS);
	for (i = TCPAO_LIMITS_A_KEYCHAINS; i <= TCPAO_LIMITS_A_BINDINGS; i++)
		if (chance(50))
			scalar(b, i, 4, 2 + rn(100), 1, 1 << 24);
	nest_end(b);
}

/* Attributes that do not belong: unknown types, deep or wrong nesting. */
static void junk(struct buf *b)
{
	uint8_t r[32];
	int i, depth;

	switch (rn(6)) {
	case 0:
		for (i = 0; i < 32; i++)
			r[i] = rnd();
		attr(b, rn(40), r, rn(33));
		break;
	case 1:
		depth = 1 + rn(40);
		for (i = 0; i < depth; i++)
			nest_start(b, 1 + rn(TCPAO_A_MAX));
		attr(b, 1, "x", 2);
		for (i = 0; i < depth; i++)
			nest_end(b);
		break;
	case 2:
		attr(b, TCPAO_A_DETAIL, "\1\2\3\4", 4);	/* flag with data */
		break;
	case 3:
		attr(b, TCPAO_A_KEYCHAIN, "kc0", 4);	/* nest, not */
		break;
	case 4:
		nest_start(b, TCPAO_A_STATS + rn(3));	/* reply-only */
		attr(b, 1, NULL, 8);
		nest_end(b);
		break;
	default:
		attr(b, TCPAO_A_PAD, NULL, rn(9));
	}
}

struct msgspec {
	uint8_t cmd;
	bool clean_key;		/* one well-formed key nest, nothing damaged */
	bool modifies;		/* a request of a command that changes things */
	bool reads;		/* a request of a command that reads */
	bool multi;		/* two requests in one send */
};

static bool modifying(int cmd)
{
	switch (cmd) {
	case TCPAO_CMD_KEYCHAIN_NEW: case TCPAO_CMD_KEYCHAIN_SET:
	case TCPAO_CMD_KEYCHAIN_DEL: case TCPAO_CMD_KEY_NEW:
	case TCPAO_CMD_KEY_SET: case TCPAO_CMD_KEY_DEL:
	case TCPAO_CMD_PEER_NEW: case TCPAO_CMD_PEER_DEL:
	case TCPAO_CMD_LIMITS_SET: case TCPAO_CMD_FLUSH:
	case TCPAO_CMD_KEYCHAIN_SYNC:
		return true;
	}
	return false;
}

/* One generic netlink request (header included) into @b. */
static void build(struct buf *b, struct msgspec *ms)
{
	struct nlmsghdr *nh;
	struct genlmsghdr *gh;
	int cmd = 1 + rn(TCPAO_CMD_FLUSH), i, extra;

	if (chance(3))
		cmd = rn(256);
	/* FLUSH wipes everything the others built: rarely. */
	if (cmd == TCPAO_CMD_FLUSH && !chance(10))
		cmd = TCPAO_CMD_KEY_NEW;
	if (chance(5))
		cmd = TCPAO_CMD_KEYCHAIN_SYNC;
	ms->cmd = cmd;
	ms->clean_key = false;
	ms->modifies = modifying(cmd);
	ms->reads = false;

	b->depth = 0;
	b->len = 0;
	nh = put(b, NULL, NLMSG_HDRLEN);
	nh->nlmsg_type = fam_id;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (chance(8))
		nh->nlmsg_flags |= NLM_F_DUMP;
	if (chance(3))
		nh->nlmsg_flags &= ~NLM_F_ACK;
	if (chance(1))
		nh->nlmsg_flags = rnd();
	nh->nlmsg_seq = seq++;
	gh = put(b, NULL, GENL_HDRLEN);
	gh->cmd = cmd;
	gh->version = chance(3) ? rnd() : TCPAO_GENL_VERSION;
	gh->reserved = chance(3) ? rnd() : 0;

	switch (cmd) {
	case TCPAO_CMD_KEYCHAIN_NEW:
	case TCPAO_CMD_KEYCHAIN_SET:
		kc_nest(b, cmd == TCPAO_CMD_KEYCHAIN_SET || chance(50));
		break;
	case TCPAO_CMD_KEYCHAIN_DEL:
	case TCPAO_CMD_KEYCHAIN_GET:
		if (!chance(10))
			kc_nest(b, false);
		if (chance(30))
			attr(b, TCPAO_A_DETAIL, NULL, 0);
		break;
	case TCPAO_CMD_KEY_NEW:
	case TCPAO_CMD_KEY_SET:
	case TCPAO_CMD_KEY_DEL:
		if (!chance(7))
			kc_nest(b, false);
		ms->clean_key = key_nest(b, cmd == TCPAO_CMD_KEY_NEW);
		break;
	case TCPAO_CMD_PEER_NEW:
	case TCPAO_CMD_PEER_DEL:
		peer_nest(b, cmd == TCPAO_CMD_PEER_NEW);
		break;
	case TCPAO_CMD_KEYCHAIN_SYNC:
		/* A keychain nest with a nest of key nests. */
		nest_start(b, TCPAO_A_KEYCHAIN);
		if (!chance(7))
			name_attr(b, TCPAO_KC_A_NAME);
		if (chance(30))
			scalar(b, TCPAO_KC_A_TOLERANCE, 4, rn(7200), 0,
			       TCPAO_TOLERANCE_MAX);
		ms->clean_key = true;
		if (!chance(10)) {
			nest_start(b, TCPAO_KC_A_KEYS);
			for (i = rn(4); i > 0; i--)
				if (!key_nest(b, !chance(10)))
					ms->clean_key = false;
			nest_end(b);
		}
		nest_end(b);
		break;
	case TCPAO_CMD_LIMITS_SET:
		limits_nest(b);
		break;
	default:
		if (chance(20))
			attr(b, TCPAO_A_DETAIL, NULL, 0);
	}
	extra = chance(15) ? 1 + rn(3) : 0;
	for (i = 0; i < extra; i++)
		junk(b);
	if (chance(5)) {	/* the same attributes twice */
		size_t n = b->len - NLMSG_HDRLEN - GENL_HDRLEN;

		if (n && n < 2048)
			put(b, b->d + NLMSG_HDRLEN + GENL_HDRLEN, n);
		ms->clean_key = false;
	}
	if (extra)
		ms->clean_key = false;
	nh = (struct nlmsghdr *)b->d;
	nh->nlmsg_len = b->len;

	/* Byte-level damage on top, sometimes. */
	if (chance(12)) {
		int flips = 1 + rn(4);

		for (i = 0; i < flips && b->len > NLMSG_HDRLEN; i++)
			b->d[NLMSG_HDRLEN + rn(b->len - NLMSG_HDRLEN)] ^=
				1 << rn(8);
		ms->clean_key = false;
	}
	if (chance(3)) {	/* lie about a length */
		if (rn(2))
			nh->nlmsg_len = rn(b->len + 16);
		else if (b->len > NLMSG_HDRLEN + GENL_HDRLEN + 4)
			((struct nlattr *)(b->d + NLMSG_HDRLEN +
					   GENL_HDRLEN))->nla_len = rnd();
		ms->clean_key = false;
	}
	ms->multi = false;
	if (chance(3) && b->len < sizeof(b->d) / 2 - 64) {
		/* The same request twice in one send. */
		memcpy(b->d + b->len, b->d, b->len);
		((struct nlmsghdr *)(b->d + b->len))->nlmsg_seq = seq++;
		b->len *= 2;
		ms->multi = true;
		ms->clean_key = false;
	}
	if (chance(2))		/* truncated send */
		b->len = rn(b->len);
	/* What the kernel will see, damage included. */
	ms->cmd = b->len > NLMSG_HDRLEN ? b->d[NLMSG_HDRLEN] : 0;
	ms->modifies = b->len >= NLMSG_HDRLEN + GENL_HDRLEN &&
		       nh->nlmsg_type == fam_id &&
		       (nh->nlmsg_flags & NLM_F_REQUEST) &&
		       modifying(ms->cmd);
	ms->reads = b->len >= NLMSG_HDRLEN + GENL_HDRLEN &&
		    nh->nlmsg_type == fam_id &&
		    (nh->nlmsg_flags & NLM_F_REQUEST) &&
		    ms->cmd >= TCPAO_CMD_KEYCHAIN_NEW &&
		    ms->cmd <= TCPAO_CMD_FLUSH && !modifying(ms->cmd);
	if (b->len != nh->nlmsg_len)
		ms->clean_key = false;
}

/* ---- talking to the kernel ---- */

static void fail(const char *fmt, ...)
{
	va_list ap;

	failures++;
	va_start(ap, fmt);
	printf("FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	if (stop_on_fail)
		exit(1);
}

static int nl_open(bool cap_ack)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fd, sz = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("netlink socket");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (cap_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return fd;
}

struct answer {
	int err;		/* of the ACK or DONE; 1: none came */
	int replies;		/* data messages */
	bool dump;
	bool secret_seen;
};

/* Check one reply message's attributes are well formed (recursively for
 * what is flagged nested).
 */
static bool attrs_ok(const uint8_t *p, size_t len, int depth)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return false;
		if ((a->nla_type & NLA_F_NESTED) && depth < 8 &&
		    !attrs_ok(p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN,
			      depth + 1))
			return false;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			return true;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return len == 0;
}

static void extack_check(const struct nlmsghdr *nh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	size_t off = sizeof(*e), end = nh->nlmsg_len - NLMSG_HDRLEN;
	const uint8_t *base = NLMSG_DATA(nh);

	msg_txt[0] = 0;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NETLINK_CAP_ACK the request is echoed first (padded). */
	if (!(nh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	while (off + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const void *)(base + off);
		size_t l = a->nla_len - NLA_HDRLEN, i;
		const char *s = (const char *)(a + 1);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end) {
			fail("extack TLVs malformed");
			return;
		}
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			/* Terminated within its attribute.  (Not necessarily
			 * printable: messages may quote names we sent.)
			 */
			if (!l || s[l - 1] || strlen(s) + 1 != l) {
				fail("extack message not NUL-terminated");
				return;
			}
			for (i = 0; i + 1 < l && i + 1 < sizeof(msg_txt); i++)
				msg_txt[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
			msg_txt[i] = 0;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

static bool has_mark(const uint8_t *p, size_t n)
{
	return memmem(p, n, MARK, strlen(MARK)) != NULL;
}

/* Send @len bytes and read whatever answer comes. */
static struct answer transact(int fd, const void *msg, size_t len)
{
	static uint8_t rb[BUFSZ * 4];
	struct answer an = { .err = 1 };
	bool in_dump = false, done = false;

	msg_txt[0] = 0;
	/* Nothing left over from the last request (a second ACK, say). */
	while (recv(fd, rb, sizeof(rb), MSG_DONTWAIT) > 0)
		;
	if (send(fd, msg, len, 0) < 0) {
		an.err = -errno;
		return an;
	}
	while (!done) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		struct nlmsghdr *nh;

		/* genetlink answers in the sender's context: a doit's answer
		 * is queued when send() returns; only a dump's next parts
		 * come as we read.
		 */
		if (poll(&pfd, 1, in_dump ? 5000 : 0) <= 0) {
			if (in_dump)
				fail("dump did not finish");
			break;
		}
		n = recv(fd, rb, sizeof(rb), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN)
				continue;
			if (errno == ENOBUFS)
				fail("receive buffer overrun");
			break;
		}
		if (has_mark(rb, n))
			an.secret_seen = true;
		for (nh = (void *)rb; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				an.err = e->error;
				extack_check(nh);
				done = true;
			} else if (nh->nlmsg_type == NLMSG_DONE) {
				an.err = *(int *)NLMSG_DATA(nh);
				an.dump = true;
				done = true;
			} else if (nh->nlmsg_type == fam_id) {
				an.replies++;
				if (nh->nlmsg_flags & NLM_F_MULTI)
					in_dump = true;
				if (!attrs_ok((uint8_t *)NLMSG_DATA(nh) +
					      GENL_HDRLEN,
					      nh->nlmsg_len - NLMSG_HDRLEN -
					      GENL_HDRLEN, 0))
					fail("reply with malformed attributes");
			}
		}
	}
	return an;
}

static int resolve_family(void)
{
	struct buf *b = calloc(1, sizeof(*b));
	uint8_t *rb = malloc(BUFSZ);
	struct nlmsghdr *nh;
	struct genlmsghdr *gh;
	ssize_t n;

	nh = put(b, NULL, NLMSG_HDRLEN);
	nh->nlmsg_type = GENL_ID_CTRL;
	nh->nlmsg_flags = NLM_F_REQUEST;
	nh->nlmsg_seq = seq++;
	gh = put(b, NULL, GENL_HDRLEN);
	gh->cmd = CTRL_CMD_GETFAMILY;
	gh->version = 1;
	attr(b, CTRL_ATTR_FAMILY_NAME, TCPAO_GENL_NAME,
	     strlen(TCPAO_GENL_NAME) + 1);
	((struct nlmsghdr *)b->d)->nlmsg_len = b->len;
	if (send(sk_cap, b->d, b->len, 0) < 0)
		return -1;
	n = recv(sk_cap, rb, BUFSZ, 0);
	nh = (void *)rb;
	if (n <= 0 || nh->nlmsg_type != GENL_ID_CTRL)
		return -1;
	{
		uint8_t *p = (uint8_t *)NLMSG_DATA(nh) + GENL_HDRLEN;
		size_t len = nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

		while (len >= NLA_HDRLEN) {
			struct nlattr *a = (void *)p;

			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				fam_id = *(uint16_t *)(a + 1);
			if ((a->nla_type & NLA_TYPE_MASK) ==
			    CTRL_ATTR_MCAST_GROUPS) {
				/* one group: "events" */
				uint8_t *q = p + NLA_HDRLEN + NLA_HDRLEN;
				size_t ql = a->nla_len - 2 * NLA_HDRLEN;

				while (ql >= NLA_HDRLEN) {
					struct nlattr *g = (void *)q;

					if (g->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						mc_id = *(uint32_t *)(g + 1);
					if ((size_t)NLA_ALIGN(g->nla_len) >= ql ||
					    g->nla_len < NLA_HDRLEN)
						break;
					ql -= NLA_ALIGN(g->nla_len);
					q += NLA_ALIGN(g->nla_len);
				}
			}
			if ((size_t)NLA_ALIGN(a->nla_len) >= len ||
			    a->nla_len < NLA_HDRLEN)
				break;
			len -= NLA_ALIGN(a->nla_len);
			p += NLA_ALIGN(a->nla_len);
		}
	}
	free(b);
	free(rb);
	return fam_id ? 0 : -1;
}

/* ---- configuration snapshots ---- */

struct snap {
	uint8_t *d;
	size_t len, cap;
};

static void snap_put(struct snap *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2 + 4096;
		s->d = realloc(s->d, s->cap);
	}
	memcpy(s->d + s->len, p, n);
	s->len += n;
}

/* Attributes in a canonical form, without what the clock changes:
 * TRANSITION, the active and next keys (they follow from the start
 * times), a key's STATE.
 */
static void canon(struct snap *s, const uint8_t *p, size_t len, int level)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int t = a->nla_type & NLA_TYPE_MASK;
		bool skip = false;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			break;
		if (level == 1 && (t == TCPAO_KC_A_TRANSITION ||
				   (t >= TCPAO_KC_A_ACTIVE_SEND &&
				    t <= TCPAO_KC_A_NEXT_RECV)))
			skip = true;
		if (level == 3 && t == TCPAO_KEY_A_STATE)
			skip = true;
		if (!skip) {
			uint16_t h[2] = { (uint16_t)t, (uint16_t)level };

			snap_put(s, h, sizeof(h));
			if (a->nla_type & NLA_F_NESTED ||
			    (level == 0 && t <= TCPAO_A_LIMITS) ||
			    (level == 1 && t == TCPAO_KC_A_KEYS) ||
			    (level == 2 && t == TCPAO_A_KEY))
				canon(s, p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN,
				      level + 1);
			else
				snap_put(s, a + 1, a->nla_len - NLA_HDRLEN);
		}
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

static bool snap_req(struct snap *s, int cmd, bool dump, bool detail)
{
	static uint8_t rb[BUFSZ * 4];
	struct buf *b = calloc(1, sizeof(*b));
	struct nlmsghdr *nh;
	struct genlmsghdr *gh;
	bool done = false, ok = true;

	nh = put(b, NULL, NLMSG_HDRLEN);
	nh->nlmsg_type = fam_id;
	nh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
	nh->nlmsg_seq = seq++;
	gh = put(b, NULL, GENL_HDRLEN);
	gh->cmd = cmd;
	gh->version = TCPAO_GENL_VERSION;
	if (detail)
		attr(b, TCPAO_A_DETAIL, NULL, 0);
	((struct nlmsghdr *)b->d)->nlmsg_len = b->len;
	if (send(sk_snap, b->d, b->len, 0) < 0)
		ok = false;
	while (ok && !done) {
		ssize_t n = recv(sk_snap, rb, sizeof(rb), 0);

		if (n <= 0) {
			ok = false;
			break;
		}
		for (nh = (void *)rb; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_DONE) {
				done = true;
			} else if (nh->nlmsg_type == NLMSG_ERROR) {
				if (((struct nlmsgerr *)NLMSG_DATA(nh))->error)
					ok = false;
				done = true;
			} else {
				if (nh->nlmsg_flags & NLM_F_DUMP_INTR)
					ok = false;	/* changed under us */
				snap_put(s, &cmd, 1);
				canon(s, (uint8_t *)NLMSG_DATA(nh) + GENL_HDRLEN,
				      nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
				      0);
			}
		}
	}
	free(b);
	return ok;
}

static void snapshot(struct snap *s)
{
	s->len = 0;
	if (!snap_req(s, TCPAO_CMD_KEYCHAIN_GET, true, true) ||
	    !snap_req(s, TCPAO_CMD_PEER_GET, true, false) ||
	    !snap_req(s, TCPAO_CMD_LIMITS_GET, false, false))
		fail("snapshot of the configuration failed");
}

static bool snap_eq(const struct snap *a, const struct snap *b)
{
	return a->len == b->len && !memcmp(a->d, b->d, a->len);
}

static void drain_events(void)
{
	static uint8_t rb[BUFSZ];
	ssize_t n;

	while ((n = recv(sk_mc, rb, sizeof(rb), MSG_DONTWAIT)) > 0) {
		struct nlmsghdr *nh;

		for (nh = (void *)rb; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			n_events++;
			if (has_mark((uint8_t *)nh, nh->nlmsg_len))
				fail("an event carries a secret");
		}
	}
}

/* A known state to start from: limits back to the defaults, nothing
 * configured, then a few keychains, keys and peers to work on.
 */
static void reset(void)
{
	struct buf *b = calloc(1, sizeof(*b));
	struct nlmsghdr *nh;
	struct genlmsghdr *gh;
	int i, k;
	char sec[32];

	for (i = 0; i < 8; i++) {
		b->len = 0;
		b->depth = 0;
		nh = put(b, NULL, NLMSG_HDRLEN);
		nh->nlmsg_type = fam_id;
		nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		nh->nlmsg_seq = seq++;
		gh = put(b, NULL, GENL_HDRLEN);
		gh->version = TCPAO_GENL_VERSION;
		if (i == 0) {
			/* The defaults, or in a namespace of an unprivileged
			 * user namespace (which refuses those) its caps.
			 */
			uint32_t l[2][4] = { { 1024, 65536, 65536, 65536 },
					     { 64, 1024, 1024, 1024 } };

			gh->cmd = TCPAO_CMD_LIMITS_SET;
			b->nest[b->depth++] = b->len;
			attr(b, TCPAO_A_LIMITS | NLA_F_NESTED, NULL, 0);
			for (k = 0; k < 4; k++)
				attr(b, k + 1, &l[0][k], 4);
			nest_end(b);
			((struct nlmsghdr *)b->d)->nlmsg_len = b->len;
			if (transact(sk_cap, b->d, b->len).err == -EPERM) {
				uint8_t *a = b->d + NLMSG_HDRLEN + GENL_HDRLEN +
					     NLA_HDRLEN;

				for (k = 0; k < 4; k++)
					memcpy(a + k * NLA_ALIGN(NLA_HDRLEN + 4) +
					       NLA_HDRLEN, &l[1][k], 4);
				transact(sk_cap, b->d, b->len);
			}
			continue;
		} else if (i == 1) {
			gh->cmd = TCPAO_CMD_FLUSH;
		} else if (i < 6) {
			gh->cmd = TCPAO_CMD_KEY_NEW;
			b->nest[b->depth++] = b->len;
			attr(b, TCPAO_A_KEYCHAIN | NLA_F_NESTED, NULL, 0);
			attr(b, TCPAO_KC_A_NAME, names[i - 2],
			     strlen(names[i - 2]) + 1);
			nest_end(b);
			b->nest[b->depth++] = b->len;
			attr(b, TCPAO_A_KEY | NLA_F_NESTED, NULL, 0);
			k = 0;
			attr(b, TCPAO_KEY_A_ID, &k, 1);
			snprintf(sec, sizeof(sec), MARK "%d", i);
			attr(b, TCPAO_KEY_A_SECRET, sec, strlen(sec));
			k = 0;
			attr(b, TCPAO_KEY_A_SEND_ID, &k, 1);
			k = 1;
			attr(b, TCPAO_KEY_A_RECV_ID, &k, 1);
			nest_end(b);
		} else {
			uint8_t a4[4] = { 198, 51, 100, (uint8_t)i };

			gh->cmd = TCPAO_CMD_PEER_NEW;
			b->nest[b->depth++] = b->len;
			attr(b, TCPAO_A_PEER | NLA_F_NESTED, NULL, 0);
			attr(b, TCPAO_PEER_A_ADDR, a4, 4);
			attr(b, TCPAO_PEER_A_KEYCHAIN, "kc0", 4);
			nest_end(b);
		}
		((struct nlmsghdr *)b->d)->nlmsg_len = b->len;
		transact(sk_cap, b->d, b->len);
	}
	free(b);
}

/* ---- socket options ---- */

static uint64_t stat_get(int which)
{
	static uint8_t rb[BUFSZ];
	struct buf *b = calloc(1, sizeof(*b));
	struct nlmsghdr *nh;
	struct genlmsghdr *gh;
	uint64_t v = ~0ULL;
	ssize_t n;

	nh = put(b, NULL, NLMSG_HDRLEN);
	nh->nlmsg_type = fam_id;
	nh->nlmsg_flags = NLM_F_REQUEST;
	nh->nlmsg_seq = seq++;
	gh = put(b, NULL, GENL_HDRLEN);
	gh->cmd = TCPAO_CMD_STATS_GET;
	gh->version = TCPAO_GENL_VERSION;
	((struct nlmsghdr *)b->d)->nlmsg_len = b->len;
	if (send(sk_snap, b->d, b->len, 0) > 0 &&
	    (n = recv(sk_snap, rb, sizeof(rb), 0)) > 0) {
		uint8_t *p = rb + NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN;
		size_t len = ((struct nlmsghdr *)rb)->nlmsg_len - NLMSG_HDRLEN -
			     GENL_HDRLEN - NLA_HDRLEN;

		while (len >= NLA_HDRLEN + 8) {
			struct nlattr *a = (void *)p;

			if ((a->nla_type & NLA_TYPE_MASK) == which)
				memcpy(&v, a + 1, 8);
			if (a->nla_len < NLA_HDRLEN ||
			    (size_t)NLA_ALIGN(a->nla_len) >= len)
				break;
			len -= NLA_ALIGN(a->nla_len);
			p += NLA_ALIGN(a->nla_len);
		}
	}
	free(b);
	return v;
}

static int fuzz_socket(void)
{
	static const int kinds[][3] = {
		{ AF_INET, SOCK_STREAM, 0 }, { AF_INET6, SOCK_STREAM, 0 },
		{ AF_INET, SOCK_DGRAM, 0 }, { AF_INET6, SOCK_STREAM, 1 },
		{ AF_INET, SOCK_STREAM, 1 }, { AF_INET, SOCK_STREAM, 2 },
	};
	int k = rn(6), fd, one = 1;

	fd = socket(kinds[k][0], kinds[k][1] | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (kinds[k][2] == 1) {		/* listening */
		if (kinds[k][0] == AF_INET6) {
			struct sockaddr_in6 a = { .sin6_family = AF_INET6,
						  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
			bind(fd, (struct sockaddr *)&a, sizeof(a));
		} else {
			struct sockaddr_in a = { .sin_family = AF_INET };

			a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			bind(fd, (struct sockaddr *)&a, sizeof(a));
		}
		listen(fd, 4);
	} else if (kinds[k][2] == 2) {	/* repair mode, "connected" */
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(179) };

		a.sin_addr.s_addr = htonl(0xC6336400 | rn(4));	/* 198.51.100.x */
		if (!setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &one,
				sizeof(one)))
			connect(fd, (struct sockaddr *)&a, sizeof(a));
	}
	return fd;
}

static void sockfuzz(unsigned long count)
{
	uint8_t buf[512];
	int fds[8], i, n_set = 0, n_ok = 0;
	unsigned long j;
	uint64_t bindings;

	for (i = 0; i < 8; i++)
		fds[i] = fuzz_socket();
	for (j = 0; j < count; j++) {
		int slot = rn(8), fd = fds[slot], level, name, r;
		socklen_t len;
		struct tcpao_bind *b = (void *)buf;

		if (chance(5)) {
			close(fd);
			fds[slot] = fd = fuzz_socket();
		}
		if (fd < 0)
			continue;
		level = chance(90) ? (chance(50) ? SOL_IP : SOL_IPV6) : rn(300);
		name = chance(90) ? TCPAO_SO_MIN + (int)rn(4) :
				    TCPAO_SO_MIN - 2 + (int)rn(8);
		for (i = 0; i < (int)sizeof(buf); i++)
			buf[i] = rnd();
		if (chance(70)) {
			/* Mostly well-formed, with a field or two wrong. */
			static const uint16_t fams[] = { AF_INET, AF_INET6, 0, 99 };

			b->family = chance(80) ? fams[rn(2)] : fams[rn(4)];
			b->prefixlen = chance(70) ? (b->family == AF_INET ? 32 :
						     128) : rnd();
			b->flags = chance(70) ? rn(8) : rnd();
			b->ifindex = chance(80) ? 0 : rn(8);
			memset(&b->addr, 0, sizeof(b->addr));
			if (b->family == AF_INET)
				b->addr.v4.s_addr = htonl(0xC6336400 | rn(4));
			else if (chance(20))	/* v4-mapped */
				b->addr.v6.s6_addr32[2] = htonl(0xffff);
			else
				b->addr.v6.s6_addr[0] = 0x20;
			if (chance(80))
				snprintf(b->keychain, sizeof(b->keychain),
					 "%s", names[rn(4)]);
		}
		len = chance(70) ? (name == TCPAO_SO_REPAIR ?
				    sizeof(struct tcpao_repair) :
				    name == TCPAO_SO_INFO ?
				    sizeof(struct tcpao_info) :
				    sizeof(struct tcpao_bind)) : rn(sizeof(buf));
		if (chance(50)) {
			r = setsockopt(fd, level, name,
				       chance(2) ? NULL : buf, len);
			n_set++;
			if (!r)
				n_ok++;
			if (!r && unpriv)
				fail("unprivileged setsockopt %d/%d succeeded",
				     level, name);
		} else {
			socklen_t l = chance(5) ? (socklen_t)-1 : len;

			getsockopt(fd, level, name, chance(2) ? NULL : buf,
				   chance(2) ? NULL : &l);
		}
	}
	for (i = 0; i < 8; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	/* Unprivileged: no set succeeded (checked above), so none made a
	 * binding; and the counter is not ours to read.
	 */
	if (unpriv) {
		printf("nlfuzz: %lu socket option calls: %d sets, %d succeeded\n",
		       count, n_set, n_ok);
		return;
	}
	/* Closed sockets lose their bindings at the collector's next
	 * round (once a second).
	 */
	for (i = 0; i < 100; i++) {
		bindings = stat_get(TCPAO_STATS_A_BINDINGS);
		if (!bindings)
			break;
		usleep(100000);
	}
	printf("nlfuzz: %lu socket option calls: %d sets, %d succeeded; "
	       "bindings left %llu\n", count, n_set, n_ok,
	       (unsigned long long)bindings);
	if (bindings)
		fail("socket bindings left after their sockets closed");
}

int main(int argc, char **argv)
{
	unsigned long count = 10000, i, every = 500, sockops = 0;
	struct snap ref = { 0 }, now = { 0 }, start = { 0 };
	struct buf *b = calloc(1, sizeof(*b));
	struct timespec t0, t1;
	int opt, one = 1;
	uint64_t seed = 5925;

	while ((opt = getopt(argc, argv, "n:S:s:auev")) != -1) {
		switch (opt) {
		case 'a':
			check_all = true;
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			sockops = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'u':
			unpriv = true;
			break;
		case 'e':
			stop_on_fail = true;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: nlfuzz [-n COUNT] [-S COUNT] [-s SEED] [-a] [-u] [-e] [-v]\n");
			return 2;
		}
	}
	rng_state = seed ? seed : 1;
	sk_cap = nl_open(true);
	sk_nocap = nl_open(false);
	sk_snap = nl_open(true);
	sk_mc = nl_open(true);
	if (resolve_family()) {
		fprintf(stderr, "nlfuzz: no generic netlink family \"tcpao\"\n");
		return 2;
	}
	if (mc_id &&
	    !setsockopt(sk_mc, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &mc_id,
			sizeof(mc_id)) && unpriv)
		fail("an unprivileged user joined the events group");
	(void)one;
	if (!unpriv) {
		reset();
		snapshot(&start);
		snapshot(&ref);
	} else if (snap_req(&start, TCPAO_CMD_KEYCHAIN_GET, true, true) ||
		   snap_req(&start, TCPAO_CMD_CONN_GET, true, false) ||
		   snap_req(&start, TCPAO_CMD_STATS_GET, false, false)) {
		fail("an unprivileged user read keychains, connections or counters");
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (i = 0; i < count; i++) {
		struct msgspec ms;
		struct answer an;
		bool nocap = chance(20);
		bool accepted;

		if (!unpriv && i && i % every == 0) {
			reset();
			snapshot(&ref);
		}
		build(b, &ms);
		an = transact(nocap ? sk_nocap : sk_cap, b->d, b->len);
		if (an.err <= 0 && an.err > -256)
			errs[-an.err]++;
		/* Accepted: a zero ACK or DONE, or a reply without an ACK.
		 * Two requests in one send: judged by neither answer.
		 */
		accepted = an.err == 0 || (an.err == 1 && an.replies);
		if (ms.multi) {
			accepted = false;
			an.err = 1;
		}
		if (accepted) {
			n_acc++;
			cmds_acc[ms.cmd]++;
		} else if (an.err == 1) {
			n_none++;
		} else {
			n_rej++;
		}
		/* A key request that reached tcpao (accepted, or refused by
		 * tcpao itself rather than by the policies) had its secret
		 * wiped before any answer: none may echo it.
		 */
		if (nocap && ms.clean_key && an.secret_seen &&
		    (an.err == 0 || !strncmp(msg_txt, "tcpao: ", 7)))
			fail("message %lu (cmd %u, error %d \"%s\"): a reply echoes the secret",
			     i, ms.cmd, an.err, msg_txt);
		if (unpriv && accepted && (ms.modifies || ms.reads))
			fail("message %lu: unprivileged cmd %u accepted", i,
			     ms.cmd);
		if (verbose)
			printf("%lu cmd %u len %zu -> %d%s %s\n", i, ms.cmd,
			       b->len, an.err, accepted ? " accepted" : "",
			       msg_txt);
		if (i % 64 == 0)
			drain_events();
		/* Refused before tcpao saw it (the generic netlink core's
		 * policies, permissions, unknown commands): tcpao's code did
		 * not run, so a sample of those is enough.  tcpao's own
		 * refusals carry its "tcpao: " messages or its errnos.
		 */
		if (!check_all && !accepted && an.err < 0 && !ms.multi &&
		    strncmp(msg_txt, "tcpao: ", 7) &&
		    an.err != -ENOENT && an.err != -EEXIST &&
		    an.err != -EBUSY && an.err != -ENOSPC &&
		    an.err != -ENODEV && an.err != -ENOMEM &&
		    (msg_txt[0] || an.err == -EOPNOTSUPP ||
		     an.err == -EPERM) && i % 16)
			continue;
		/* Unprivileged: nothing to read the state with. */
		if (unpriv)
			continue;
		/* No answer: the kernel dropped it, or it succeeded without
		 * an ACK; either way nothing to judge it by, so take the
		 * state as it is (never in unprivileged mode).
		 */
		snapshot(&now);
		n_checks++;
		if ((accepted || an.err == 1) && !unpriv) {
			struct snap t = ref;

			ref = now;
			now = t;
		} else if (!snap_eq(&now, &ref)) {
			fail("message %lu (cmd %u, error %d \"%s\") changed the configuration",
			     i, ms.cmd, an.err, msg_txt);
			if (verbose || stop_on_fail) {
				size_t k;

				for (k = 0; k < b->len; k++)
					printf("%02x%s", b->d[k],
					       k % 16 == 15 ? "\n" : " ");
				printf("\n");
			}
			{
				struct snap t = ref;

				ref = now;
				now = t;
			}
		}
	}
	drain_events();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (sockops) {
		if (!unpriv)
			reset();
		sockfuzz(sockops);
	}
	printf("nlfuzz: %lu messages in %.1f s: %lu accepted, %lu rejected, "
	       "%lu unanswered; %lu state checks; %lu events; %lu failures\n",
	       count, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       n_acc, n_rej, n_none, n_checks, n_events, failures);
	printf("nlfuzz: errors:");
	for (i = 0; i < 256; i++)
		if (errs[i] && i)
			printf(" %s=%lu", strerrorname_np(i) ?: "?", errs[i]);
	printf("\nnlfuzz: accepted by command:");
	for (i = 0; i < 256; i++)
		if (cmds_acc[i])
			printf(" %lu=%lu", i, cmds_acc[i]);
	printf("\n");
	return failures ? 1 : 0;
}
