/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tcpao: TCP Authentication Option (RFC 5925, RFC 5926) as a loadable module.
 *
 * This header is shared by the kernel module and its tools.  It defines
 *
 *   1. the generic netlink family "tcpao" (keychains, keys, peer policies,
 *      connections, counters, limits and events), and
 *   2. the socket options a routing daemon uses to bind its TCP sockets to a
 *      keychain (level SOL_IP for AF_INET sockets, SOL_IPV6 for AF_INET6).
 *
 * Every object lives in a network namespace; nothing is shared between
 * namespaces.  Every request, reads included, and joining the events group
 * need CAP_NET_ADMIN in the user namespace that owns the network namespace
 * (socket options: see below).  Secrets are write-only: no message the
 * module sends ever carries one, and the kernel wipes them from the request
 * once parsed (set NETLINK_CAP_ACK so that an error reply does not echo the
 * request).
 *
 * C programs: include <netinet/in.h> (or <arpa/inet.h>) before this header,
 * as with other kernel headers that use <linux/in.h>.
 */
#ifndef _UAPI_LINUX_TCPAO_H
#define _UAPI_LINUX_TCPAO_H

#include <linux/types.h>
#include <linux/in.h>
#include <linux/in6.h>

#define TCPAO_GENL_NAME		"tcpao"
#define TCPAO_GENL_VERSION	1
/* Multicast group: configuration changes, key activations, RNextKeyID
 * changes and (rate-limited) authentication failures.
 */
#define TCPAO_MCGRP_EVENTS	"events"

/* TCP option kind assigned to TCP-AO (RFC 5925, section 2.2). */
#define TCPAO_OPT_KIND		29
/* Every MAC algorithm tcpao implements is truncated to 96 bits. */
#define TCPAO_MAC_LEN		12
/* Kind, length, KeyID, RNextKeyID and the MAC. */
#define TCPAO_OPT_LEN		(4 + TCPAO_MAC_LEN)

/* Keychain names: 1 to 63 printable characters, NUL-terminated. */
#define TCPAO_KEYCHAIN_NAME_LEN	64
/* Key identifiers inside a keychain: 0 to 63 (Junos "key 0" .. "key 63"). */
#define TCPAO_KEY_ID_MAX	63
#define TCPAO_KEYS_MAX		(TCPAO_KEY_ID_MAX + 1)
/* Secrets (master keys) are 1 to 80 bytes. */
#define TCPAO_SECRET_MIN	1
#define TCPAO_SECRET_MAX	80
/* Clock-skew tolerance around a key transition, in seconds. */
#define TCPAO_TOLERANCE_DEFAULT	3600
#define TCPAO_TOLERANCE_MAX	999999999

/**
 * enum tcpao_alg - MAC and KDF algorithms (RFC 5926)
 * @TCPAO_ALG_HMAC_SHA1_96: KDF_HMAC_SHA1 and HMAC-SHA-1-96 ("hmac-sha-1-96")
 * @TCPAO_ALG_AES_128_CMAC_96: KDF_AES_128_CMAC and AES-128-CMAC-96
 *	("aes-128-cmac-96")
 */
enum tcpao_alg {
	TCPAO_ALG_UNSPEC,
	TCPAO_ALG_HMAC_SHA1_96,
	TCPAO_ALG_AES_128_CMAC_96,

	__TCPAO_ALG_MAX
};

#define TCPAO_ALG_MAX (__TCPAO_ALG_MAX - 1)

/**
 * enum tcpao_cmd - generic netlink commands
 *
 * Requests (all need CAP_NET_ADMIN in the netns' user ns, GETs too):
 * @TCPAO_CMD_KEYCHAIN_NEW: create a keychain.  Attrs: %TCPAO_A_KEYCHAIN
 *	with %TCPAO_KC_A_NAME and optionally %TCPAO_KC_A_TOLERANCE.
 * @TCPAO_CMD_KEYCHAIN_SET: change a keychain's tolerance.
 * @TCPAO_CMD_KEYCHAIN_DEL: delete a keychain and its keys.  EBUSY while a
 *	peer policy or a socket binding refers to it.  Its keys are revoked
 *	on the connections that still use it: they fail closed.
 * @TCPAO_CMD_KEYCHAIN_GET: one keychain (doit, by name) or all (dump).  The
 *	reply carries the Junos "show security keychain" columns; with
 *	%TCPAO_A_DETAIL it nests every key (never its secret).
 * @TCPAO_CMD_KEY_NEW: add a key to a keychain, creating the keychain when
 *	it does not exist (atomically: on error nothing is created).
 *	Attrs: %TCPAO_A_KEYCHAIN (name) and %TCPAO_A_KEY with at least
 *	%TCPAO_KEY_A_ID, %TCPAO_KEY_A_SECRET, %TCPAO_KEY_A_SEND_ID and
 *	%TCPAO_KEY_A_RECV_ID.  Defaults: start time now, HMAC-SHA-1-96, TCP
 *	options not covered by the MAC (Junos "tcp-ao-option disabled").
 * @TCPAO_CMD_KEY_SET: change attributes of an existing key.  Every
 *	connection on the keychain uses the new values from its next
 *	segment: a new secret or algorithm is a new key to them (new traffic
 *	keys; segments made with the old one are dropped), a new start time,
 *	send or receive ID or option flag applies to the traffic keys they
 *	have.
 * @TCPAO_CMD_KEY_DEL: delete one key.  It is revoked at once everywhere:
 *	connections no longer send or accept it; one sending with it moves
 *	to the next valid key or, when none is left, fails closed.
 * @TCPAO_CMD_PEER_NEW: add a peer policy (%TCPAO_A_PEER).
 * @TCPAO_CMD_PEER_DEL: delete the peer policy with exactly this prefix,
 *	port and VRF.
 * @TCPAO_CMD_PEER_GET: dump the peer policies.
 * @TCPAO_CMD_CONN_GET: dump the protected connections.
 * @TCPAO_CMD_STATS_GET: namespace counters (%TCPAO_A_STATS).
 * @TCPAO_CMD_LIMITS_GET: per-namespace limits (%TCPAO_A_LIMITS).
 * @TCPAO_CMD_LIMITS_SET: change limits.  Lowering a limit below the
 *	current use fails with EBUSY.
 * @TCPAO_CMD_FLUSH: delete every peer policy and then every keychain of
 *	the namespace that no socket binding names (their keys are revoked
 *	as by KEYCHAIN_DEL).
 *
 * Notifications on %TCPAO_MCGRP_EVENTS:
 * @TCPAO_CMD_EVENT_KEY_ACTIVE: a key of a keychain became the active key
 *	(its start time arrived).  %TCPAO_A_EVENT with keychain and key ID.
 * @TCPAO_CMD_EVENT_RNEXT: a connection changed the KeyID it sends with,
 *	or the RNextKeyID it advertises, or its peer changed the RNextKeyID.
 * @TCPAO_CMD_EVENT_AUTH_FAIL: segments were dropped; rate-limited to one
 *	message per cause and connection per second, with the count of
 *	drops the message stands for.
 *
 * @TCPAO_CMD_KEYCHAIN_SYNC: make a keychain hold exactly the keys of the
 *	request, creating it when it does not exist (aoctl -b FILE --sync).
 *	Attrs: %TCPAO_A_KEYCHAIN with %TCPAO_KC_A_NAME, %TCPAO_KC_A_TOLERANCE
 *	(absent: the default) and %TCPAO_KC_A_KEYS, a nest of %TCPAO_A_KEY
 *	nests that each carry what KEY_NEW needs (absent algorithm and
 *	option flag: the defaults; absent start time: the key's current
 *	one, now for a new key).  Every key is compared with the one of
 *	the same ID the keychain holds (the secret in constant time): an
 *	equal key stays as it is, traffic keys and all; a different one
 *	replaces it as KEY_SET would; keys the request lacks are deleted as
 *	by KEY_DEL.  The new key set is published in one step; a request
 *	that changes nothing changes nothing (no event, the keychain's
 *	generation stays, no traffic key is derived).  On error nothing
 *	changes.  Events: KEYCHAIN_NEW or KEYCHAIN_SET, and KEY_NEW, KEY_SET
 *	or KEY_DEL per key that changed.
 * PEER_NEW with NLM_F_REPLACE replaces a policy with the same prefix,
 *	port and VRF in one step (no moment without a policy); without one it
 *	adds it.  Connections the old policy made keep their keychain.
 * KEYCHAIN_NEW/SET/DEL, KEY_NEW/SET/DEL and PEER_NEW/DEL are also sent to the
 * group after they succeeded: keychain events carry %TCPAO_A_KEYCHAIN with
 * the name, key events also %TCPAO_A_KEY with the key ID, peer events
 * %TCPAO_A_PEER as in the request.  FLUSH sends nothing of its own.
 *
 * Uniqueness within a keychain (EEXIST, with a message): a key ID, a send
 * ID among send IDs, a receive ID among receive IDs, and a start time (so
 * that one key is active at any time; give keys added in the same second
 * explicit start times).  Limits reached: ENOSPC.  Keychain names are
 * printable ASCII without spaces.
 */
enum tcpao_cmd {
	TCPAO_CMD_UNSPEC,
	TCPAO_CMD_KEYCHAIN_NEW,
	TCPAO_CMD_KEYCHAIN_SET,
	TCPAO_CMD_KEYCHAIN_DEL,
	TCPAO_CMD_KEYCHAIN_GET,
	TCPAO_CMD_KEY_NEW,
	TCPAO_CMD_KEY_SET,
	TCPAO_CMD_KEY_DEL,
	TCPAO_CMD_PEER_NEW,
	TCPAO_CMD_PEER_DEL,
	TCPAO_CMD_PEER_GET,
	TCPAO_CMD_CONN_GET,
	TCPAO_CMD_STATS_GET,
	TCPAO_CMD_LIMITS_GET,
	TCPAO_CMD_LIMITS_SET,
	TCPAO_CMD_FLUSH,
	TCPAO_CMD_EVENT_KEY_ACTIVE,
	TCPAO_CMD_EVENT_RNEXT,
	TCPAO_CMD_EVENT_AUTH_FAIL,
	TCPAO_CMD_KEYCHAIN_SYNC,

	__TCPAO_CMD_MAX
};

#define TCPAO_CMD_MAX (__TCPAO_CMD_MAX - 1)

/**
 * enum tcpao_attr - top-level attributes
 * @TCPAO_A_KEYCHAIN: nest, &enum tcpao_keychain_attr
 * @TCPAO_A_KEY: nest, &enum tcpao_key_attr
 * @TCPAO_A_PEER: nest, &enum tcpao_peer_attr
 * @TCPAO_A_CONN: nest, &enum tcpao_conn_attr
 * @TCPAO_A_STATS: nest, &enum tcpao_stats_attr
 * @TCPAO_A_LIMITS: nest, &enum tcpao_limits_attr
 * @TCPAO_A_EVENT: nest, &enum tcpao_event_attr
 * @TCPAO_A_DETAIL: flag; GET requests: include per-key detail
 * @TCPAO_A_PAD: padding for 64-bit attributes
 */
enum tcpao_attr {
	TCPAO_A_UNSPEC,
	TCPAO_A_KEYCHAIN,
	TCPAO_A_KEY,
	TCPAO_A_PEER,
	TCPAO_A_CONN,
	TCPAO_A_STATS,
	TCPAO_A_LIMITS,
	TCPAO_A_EVENT,
	TCPAO_A_DETAIL,
	TCPAO_A_PAD,

	__TCPAO_A_MAX
};

#define TCPAO_A_MAX (__TCPAO_A_MAX - 1)

/**
 * enum tcpao_keychain_attr - attributes of %TCPAO_A_KEYCHAIN
 * @TCPAO_KC_A_NAME: string, 1-63 characters
 * @TCPAO_KC_A_TOLERANCE: u32, seconds, 0-999999999 (default 3600)
 * @TCPAO_KC_A_ACTIVE_SEND: u8, key (0-63, not the wire KeyID) new
 *	connections send with now (absent: none)
 * @TCPAO_KC_A_ACTIVE_RECV: u8, key (0-63) whose receive ID we advertise as
 *	RNextKeyID now
 * @TCPAO_KC_A_NEXT_SEND: u8, key (0-63) that becomes active next (absent:
 *	none)
 * @TCPAO_KC_A_NEXT_RECV: u8, key (0-63) we will ask the peer for next
 * @TCPAO_KC_A_TRANSITION: s64, seconds until the next key becomes active
 * @TCPAO_KC_A_KEYS: nest of %TCPAO_A_KEY (with %TCPAO_A_DETAIL; in
 *	KEYCHAIN_SYNC requests, the keys)
 * @TCPAO_KC_A_PEERS: u32, peer policies naming this keychain
 * @TCPAO_KC_A_CONNS: u32, live connections using this keychain
 * @TCPAO_KC_A_PAD: padding
 * @TCPAO_KC_A_BINDINGS: u32, socket bindings naming this keychain
 * @TCPAO_KC_A_GENERATION: u32, bumped each time the keychain publishes a
 *	new key set (connections follow the keychain from one generation to
 *	the next)
 */
enum tcpao_keychain_attr {
	TCPAO_KC_A_UNSPEC,
	TCPAO_KC_A_NAME,
	TCPAO_KC_A_TOLERANCE,
	TCPAO_KC_A_ACTIVE_SEND,
	TCPAO_KC_A_ACTIVE_RECV,
	TCPAO_KC_A_NEXT_SEND,
	TCPAO_KC_A_NEXT_RECV,
	TCPAO_KC_A_TRANSITION,
	TCPAO_KC_A_KEYS,
	TCPAO_KC_A_PEERS,
	TCPAO_KC_A_CONNS,
	TCPAO_KC_A_PAD,
	TCPAO_KC_A_BINDINGS,
	TCPAO_KC_A_GENERATION,

	__TCPAO_KC_A_MAX
};

#define TCPAO_KC_A_MAX (__TCPAO_KC_A_MAX - 1)

/**
 * enum tcpao_key_state - where a key stands on the keychain's time line
 * @TCPAO_KEY_STATE_FUTURE: start time not reached (outside the tolerance)
 * @TCPAO_KEY_STATE_PENDING: start time within the tolerance: accepted on
 *	receive, not yet sent with
 * @TCPAO_KEY_STATE_ACTIVE: the active key
 * @TCPAO_KEY_STATE_PREVIOUS: superseded less than the tolerance ago: still
 *	accepted on receive
 * @TCPAO_KEY_STATE_EXPIRED: superseded more than the tolerance ago
 */
enum tcpao_key_state {
	TCPAO_KEY_STATE_UNSPEC,
	TCPAO_KEY_STATE_FUTURE,
	TCPAO_KEY_STATE_PENDING,
	TCPAO_KEY_STATE_ACTIVE,
	TCPAO_KEY_STATE_PREVIOUS,
	TCPAO_KEY_STATE_EXPIRED,

	__TCPAO_KEY_STATE_MAX
};

/**
 * enum tcpao_key_attr - attributes of %TCPAO_A_KEY
 * @TCPAO_KEY_A_ID: u8, 0-63
 * @TCPAO_KEY_A_SECRET: binary, 1-80 bytes; requests only, never sent back
 * @TCPAO_KEY_A_START_TIME: s64, seconds since the epoch (UTC)
 * @TCPAO_KEY_A_SEND_ID: u8, KeyID put in segments we sign with this key
 * @TCPAO_KEY_A_RECV_ID: u8, KeyID the peer uses for this key
 * @TCPAO_KEY_A_ALG: u8, &enum tcpao_alg
 * @TCPAO_KEY_A_TCP_OPTIONS: u8, 1: TCP options are covered by the MAC
 *	(Junos "tcp-ao-option enabled"), 0: only TCP-AO itself is (default)
 * @TCPAO_KEY_A_STATE: u8, &enum tcpao_key_state (replies only)
 * @TCPAO_KEY_A_CONNS: u32, connections holding this key (replies only)
 * @TCPAO_KEY_A_SECRET_LEN: u8, length of the secret (replies only)
 * @TCPAO_KEY_A_PAD: padding
 */
enum tcpao_key_attr {
	TCPAO_KEY_A_UNSPEC,
	TCPAO_KEY_A_ID,
	TCPAO_KEY_A_SECRET,
	TCPAO_KEY_A_START_TIME,
	TCPAO_KEY_A_SEND_ID,
	TCPAO_KEY_A_RECV_ID,
	TCPAO_KEY_A_ALG,
	TCPAO_KEY_A_TCP_OPTIONS,
	TCPAO_KEY_A_STATE,
	TCPAO_KEY_A_CONNS,
	TCPAO_KEY_A_SECRET_LEN,
	TCPAO_KEY_A_PAD,

	__TCPAO_KEY_A_MAX
};

#define TCPAO_KEY_A_MAX (__TCPAO_KEY_A_MAX - 1)

/* Peer policy and socket binding flags. */
#define TCPAO_F_ALLOW_WITHOUT_AO	(1U << 0) /* allow-without-tcpao */
#define TCPAO_F_ACCEPT_ICMPS		(1U << 1) /* accept-icmps (RFC 5925 7.8) */
#define TCPAO_F_AO_REQUIRED		(1U << 2) /* socket bindings only */
#define TCPAO_F_ALL			(TCPAO_F_ALLOW_WITHOUT_AO | \
					 TCPAO_F_ACCEPT_ICMPS | \
					 TCPAO_F_AO_REQUIRED)

/**
 * enum tcpao_peer_attr - attributes of %TCPAO_A_PEER
 *
 * A policy matches a connection when the remote address is inside the
 * prefix, the port (when given) equals the local or the remote port, and
 * the connection is in the given VRF (no VRF: the default VRF only).  Of
 * the matching policies the longest prefix wins; at equal length one with a
 * port beats one without.  Socket bindings take precedence over policies.
 *
 * @TCPAO_PEER_A_ADDR: binary, 4 (IPv4) or 16 (IPv6) bytes, network order;
 *	host bits beyond the prefix must be zero
 * @TCPAO_PEER_A_PREFIXLEN: u8, 0-32 or 0-128 (default: full length)
 * @TCPAO_PEER_A_PORT: u16, 1-65535 (host order); absent: any port
 * @TCPAO_PEER_A_IFINDEX: u32, ifindex of a VRF (l3mdev) device
 * @TCPAO_PEER_A_KEYCHAIN: string, keychain name
 * @TCPAO_PEER_A_FLAGS: u32, %TCPAO_F_ALLOW_WITHOUT_AO, %TCPAO_F_ACCEPT_ICMPS
 * @TCPAO_PEER_A_CONNS: u32, live connections created by this policy
 * @TCPAO_PEER_A_FAMILY: u16, AF_INET or AF_INET6 (replies only)
 * @TCPAO_PEER_A_STATS: nest, the policy's counters (%TCPAO_CMD_PEER_GET
 *	replies only), u64 attributes of &enum tcpao_stats_attr:
 *	%TCPAO_STATS_A_GOOD and %TCPAO_STATS_A_SIGNED (segments of its
 *	connections), the drop counters of &enum tcpao_drop_cause (segments
 *	of its connections, and segments of no connection whose addresses it
 *	matches), %TCPAO_STATS_A_CONNS (live connections) and
 *	%TCPAO_STATS_A_CONNS_CREATED.  Counted since the policy was added.
 */
enum tcpao_peer_attr {
	TCPAO_PEER_A_UNSPEC,
	TCPAO_PEER_A_ADDR,
	TCPAO_PEER_A_PREFIXLEN,
	TCPAO_PEER_A_PORT,
	TCPAO_PEER_A_IFINDEX,
	TCPAO_PEER_A_KEYCHAIN,
	TCPAO_PEER_A_FLAGS,
	TCPAO_PEER_A_CONNS,
	TCPAO_PEER_A_FAMILY,
	TCPAO_PEER_A_STATS,

	__TCPAO_PEER_A_MAX
};

#define TCPAO_PEER_A_MAX (__TCPAO_PEER_A_MAX - 1)

/**
 * enum tcpao_conn_state - a connection as tcpao sees it on the wire
 */
enum tcpao_conn_state {
	TCPAO_CONN_UNSPEC,
	TCPAO_CONN_SYN_SENT,	/* our SYN left, no valid SYN-ACK yet */
	TCPAO_CONN_SYN_RECV,	/* valid SYN arrived, both ISNs not yet known */
	TCPAO_CONN_ESTABLISHED,	/* both ISNs known, traffic keys derived
				 * (unprotected: the handshake's ACK seen)
				 */
	TCPAO_CONN_FIN_WAIT,	/* a FIN was seen */
	TCPAO_CONN_TIME_WAIT,	/* FINs both ways: lingering for TIME_WAIT */
	TCPAO_CONN_CLOSED,	/* RST seen: lingering for stray segments */

	__TCPAO_CONN_MAX
};

/* Connection flags (%TCPAO_CONN_A_FLAGS, &struct tcpao_info.flags). */
#define TCPAO_CONN_F_UNPROTECTED	(1U << 0) /* allowed without TCP-AO */
#define TCPAO_CONN_F_SOCKET		(1U << 1) /* keychain from a socket */
#define TCPAO_CONN_F_ACCEPT_ICMPS	(1U << 2)
#define TCPAO_CONN_F_REPAIRED		(1U << 3) /* ISNs set by TCPAO_SO_REPAIR */
#define TCPAO_CONN_F_NO_KEY		(1U << 4) /* no valid send key: failing closed */

/**
 * enum tcpao_conn_attr - attributes of %TCPAO_A_CONN (dump replies, events)
 * @TCPAO_CONN_A_FAMILY: u16, AF_INET or AF_INET6
 * @TCPAO_CONN_A_LADDR: binary, 4 or 16 bytes
 * @TCPAO_CONN_A_RADDR: binary, 4 or 16 bytes
 * @TCPAO_CONN_A_LPORT: u16, host order
 * @TCPAO_CONN_A_RPORT: u16, host order
 * @TCPAO_CONN_A_IFINDEX: u32, VRF ifindex (0: default VRF)
 * @TCPAO_CONN_A_KEYCHAIN: string
 * @TCPAO_CONN_A_STATE: u8, &enum tcpao_conn_state
 * @TCPAO_CONN_A_FLAGS: u32, TCPAO_CONN_F_*
 * @TCPAO_CONN_A_SEND_KEYID: u8, KeyID of our last signed segment
 * @TCPAO_CONN_A_SEND_RNEXT: u8, RNextKeyID of our last signed segment
 * @TCPAO_CONN_A_RECV_KEYID: u8, KeyID of the peer's last valid segment
 * @TCPAO_CONN_A_RECV_RNEXT: u8, RNextKeyID of the peer's last valid segment
 * @TCPAO_CONN_A_SND_SNE: u32, our sequence number extension
 * @TCPAO_CONN_A_RCV_SNE: u32, the peer's sequence number extension
 * @TCPAO_CONN_A_PKTS_GOOD: u64, segments verified
 * @TCPAO_CONN_A_PKTS_BAD: u64, segments dropped
 * @TCPAO_CONN_A_PKTS_SIGNED: u64, segments signed
 * @TCPAO_CONN_A_PAD: padding
 * @TCPAO_CONN_A_LISN: u32, our initial sequence number
 * @TCPAO_CONN_A_RISN: u32, the peer's initial sequence number
 * @TCPAO_CONN_A_KEYS_DERIVED: u64, traffic keys (a send and a receive key
 *	from one master key) derived for this connection
 * @TCPAO_CONN_A_DIAG: u8, &enum tcpao_diag: likely cause of the last
 *	segment of this connection that failed (absent: none diagnosed, or
 *	segments of it verified since)
 * @TCPAO_CONN_A_DIAG_KEYID: u8, KeyID of that segment
 * @TCPAO_CONN_A_DIAG_START: s64 (padded with %TCPAO_CONN_A_PAD),
 *	%TCPAO_DIAG_KEY_FUTURE and
 *	%TCPAO_DIAG_KEY_EXPIRED: start time here of the key it names (UNIX
 *	seconds)
 */
enum tcpao_conn_attr {
	TCPAO_CONN_A_UNSPEC,
	TCPAO_CONN_A_FAMILY,
	TCPAO_CONN_A_LADDR,
	TCPAO_CONN_A_RADDR,
	TCPAO_CONN_A_LPORT,
	TCPAO_CONN_A_RPORT,
	TCPAO_CONN_A_IFINDEX,
	TCPAO_CONN_A_KEYCHAIN,
	TCPAO_CONN_A_STATE,
	TCPAO_CONN_A_FLAGS,
	TCPAO_CONN_A_SEND_KEYID,
	TCPAO_CONN_A_SEND_RNEXT,
	TCPAO_CONN_A_RECV_KEYID,
	TCPAO_CONN_A_RECV_RNEXT,
	TCPAO_CONN_A_SND_SNE,
	TCPAO_CONN_A_RCV_SNE,
	TCPAO_CONN_A_PKTS_GOOD,
	TCPAO_CONN_A_PKTS_BAD,
	TCPAO_CONN_A_PKTS_SIGNED,
	TCPAO_CONN_A_PAD,
	TCPAO_CONN_A_LISN,
	TCPAO_CONN_A_RISN,
	TCPAO_CONN_A_KEYS_DERIVED,
	TCPAO_CONN_A_DIAG,
	TCPAO_CONN_A_DIAG_KEYID,
	TCPAO_CONN_A_DIAG_START,

	__TCPAO_CONN_A_MAX
};

#define TCPAO_CONN_A_MAX (__TCPAO_CONN_A_MAX - 1)

/**
 * enum tcpao_stats_attr - namespace counters, all u64
 * @TCPAO_STATS_A_GOOD: segments verified
 * @TCPAO_STATS_A_SIGNED: segments signed
 * @TCPAO_STATS_A_BAD_MAC: dropped: MAC did not verify
 * @TCPAO_STATS_A_KEY_NOT_FOUND: dropped: KeyID matches no key of the keychain
 * @TCPAO_STATS_A_AO_REQUIRED: dropped: TCP-AO missing where it is required
 * @TCPAO_STATS_A_MALFORMED: dropped: malformed TCP-AO or TCP options
 * @TCPAO_STATS_A_ICMP_DROPPED: ICMP errors ignored (RFC 5925 7.8)
 * @TCPAO_STATS_A_WITHOUT_AO: connections accepted without TCP-AO
 *	(allow-without-tcpao)
 * @TCPAO_STATS_A_KEY_EXPIRED: dropped: key superseded beyond the tolerance
 * @TCPAO_STATS_A_KEY_NOT_VALID: dropped: key's start time not yet reached
 * @TCPAO_STATS_A_NO_SEND_KEY: not sent: no valid key to sign with
 * @TCPAO_STATS_A_NO_SPACE: not sent: TCP-AO does not fit the options
 * @TCPAO_STATS_A_NO_STATE: dropped: TCP-AO on a segment of no known
 *	connection (or unsignable segment of one)
 * @TCPAO_STATS_A_CONN_LIMIT: dropped: connection table full
 * @TCPAO_STATS_A_MD5_CONFLICT: dropped: TCP-AO together with TCP-MD5
 * @TCPAO_STATS_A_CONNS: gauge, connections in the table now
 * @TCPAO_STATS_A_CONNS_CREATED: connections created since the netns began
 * @TCPAO_STATS_A_TX_ERROR: not sent, or dropped on receive: internal error
 *	(memory)
 * @TCPAO_STATS_A_PAD: padding
 * @TCPAO_STATS_A_BINDINGS: gauge, socket bindings now
 * @TCPAO_STATS_A_RX_ERROR: dropped: a segment of a protected flow that
 *	could not be examined (no memory to read its header)
 * @TCPAO_STATS_A_KEYS_DERIVED: traffic keys derived for connections (as
 *	%TCPAO_CONN_A_KEYS_DERIVED, summed since the netns began)
 * @TCPAO_STATS_A_DIAG_OPTS_COVERED: diagnosed: the peer covers TCP options
 *	where our key excludes them
 * @TCPAO_STATS_A_DIAG_OPTS_EXCLUDED: diagnosed: the peer excludes TCP options
 *	where our key covers them
 * @TCPAO_STATS_A_DIAG_IDS_SWAPPED: diagnosed: SendID and RecvID swapped
 * @TCPAO_STATS_A_DIAG_OTHER_ALG: diagnosed: the peer uses the key's other
 *	algorithm
 * @TCPAO_STATS_A_DIAG_KEY_FUTURE: diagnosed: the peer's key starts later here
 * @TCPAO_STATS_A_DIAG_KEY_EXPIRED: diagnosed: the peer's key expired here
 * @TCPAO_STATS_A_DIAG_UNKNOWN: diagnosed: wrong secret, or a key we lack
 * @TCPAO_STATS_A_DIAG_RUNS: diagnoses run (each at most
 *	%TCPAO_DIAG_MACS trial MACs)
 * @TCPAO_STATS_A_DIAG_SKIPPED: failures not diagnosed: over the rate of
 *	%TCPAO_DIAG_RATE diagnoses a second per namespace
 */
enum tcpao_stats_attr {
	TCPAO_STATS_A_UNSPEC,
	TCPAO_STATS_A_GOOD,
	TCPAO_STATS_A_SIGNED,
	TCPAO_STATS_A_BAD_MAC,
	TCPAO_STATS_A_KEY_NOT_FOUND,
	TCPAO_STATS_A_AO_REQUIRED,
	TCPAO_STATS_A_MALFORMED,
	TCPAO_STATS_A_ICMP_DROPPED,
	TCPAO_STATS_A_WITHOUT_AO,
	TCPAO_STATS_A_KEY_EXPIRED,
	TCPAO_STATS_A_KEY_NOT_VALID,
	TCPAO_STATS_A_NO_SEND_KEY,
	TCPAO_STATS_A_NO_SPACE,
	TCPAO_STATS_A_NO_STATE,
	TCPAO_STATS_A_CONN_LIMIT,
	TCPAO_STATS_A_MD5_CONFLICT,
	TCPAO_STATS_A_CONNS,
	TCPAO_STATS_A_CONNS_CREATED,
	TCPAO_STATS_A_TX_ERROR,
	TCPAO_STATS_A_PAD,
	TCPAO_STATS_A_BINDINGS,
	TCPAO_STATS_A_RX_ERROR,
	TCPAO_STATS_A_KEYS_DERIVED,
	TCPAO_STATS_A_DIAG_OPTS_COVERED,
	TCPAO_STATS_A_DIAG_OPTS_EXCLUDED,
	TCPAO_STATS_A_DIAG_IDS_SWAPPED,
	TCPAO_STATS_A_DIAG_OTHER_ALG,
	TCPAO_STATS_A_DIAG_KEY_FUTURE,
	TCPAO_STATS_A_DIAG_KEY_EXPIRED,
	TCPAO_STATS_A_DIAG_UNKNOWN,
	TCPAO_STATS_A_DIAG_RUNS,
	TCPAO_STATS_A_DIAG_SKIPPED,

	__TCPAO_STATS_A_MAX
};

#define TCPAO_STATS_A_MAX (__TCPAO_STATS_A_MAX - 1)

/**
 * enum tcpao_limits_attr - per-namespace limits, all u32
 * @TCPAO_LIMITS_A_KEYCHAINS: keychains (default 1024)
 * @TCPAO_LIMITS_A_PEERS: peer policies (default 65536)
 * @TCPAO_LIMITS_A_CONNS: protected connections in the table (default
 *	65536); connections accepted without TCP-AO have as many of their own
 * @TCPAO_LIMITS_A_BINDINGS: socket bindings (default 65536)
 *
 * In a network namespace of a user namespace other than the initial one,
 * the limits start at and cannot go above 64 keychains, 1024 peers, 1024
 * connections and 1024 bindings (EPERM).
 */
enum tcpao_limits_attr {
	TCPAO_LIMITS_A_UNSPEC,
	TCPAO_LIMITS_A_KEYCHAINS,
	TCPAO_LIMITS_A_PEERS,
	TCPAO_LIMITS_A_CONNS,
	TCPAO_LIMITS_A_BINDINGS,

	__TCPAO_LIMITS_A_MAX
};

#define TCPAO_LIMITS_A_MAX (__TCPAO_LIMITS_A_MAX - 1)

/**
 * enum tcpao_drop_cause - why segments were dropped (events)
 */
enum tcpao_drop_cause {
	TCPAO_DROP_UNSPEC,
	TCPAO_DROP_BAD_MAC,
	TCPAO_DROP_KEY_NOT_FOUND,
	TCPAO_DROP_AO_REQUIRED,
	TCPAO_DROP_MALFORMED,
	TCPAO_DROP_KEY_EXPIRED,
	TCPAO_DROP_KEY_NOT_VALID,
	TCPAO_DROP_NO_STATE,
	TCPAO_DROP_MD5_CONFLICT,
	TCPAO_DROP_NO_SEND_KEY,

	__TCPAO_DROP_MAX
};

/**
 * enum tcpao_diag - likely cause of a segment that failed verification
 * @TCPAO_DIAG_NONE: not diagnosed
 * @TCPAO_DIAG_OPTS_COVERED: the MAC verifies with TCP options covered; our
 *	key excludes them (fix: tcp-ao-option enabled)
 * @TCPAO_DIAG_OPTS_EXCLUDED: the MAC verifies with TCP options excluded; our
 *	key covers them (fix: tcp-ao-option disabled)
 * @TCPAO_DIAG_IDS_SWAPPED: the KeyID is the SendID of one of our keys and
 *	the MAC verifies with that key: send-id and recv-id look swapped
 * @TCPAO_DIAG_OTHER_ALG: the MAC verifies with the key's other algorithm
 * @TCPAO_DIAG_KEY_FUTURE: the KeyID is that of a key whose start time is
 *	not reached here (clock or start-time mismatch)
 * @TCPAO_DIAG_KEY_EXPIRED: the KeyID is that of a key superseded here
 *	beyond the keychain's tolerance
 * @TCPAO_DIAG_UNKNOWN: none of the above: wrong secret, or a key this side
 *	does not have
 *
 * A diagnosis only explains a drop; the segment stays dropped.  At most
 * %TCPAO_DIAG_RATE diagnoses run per second per namespace (a token bucket),
 * each computing at most %TCPAO_DIAG_MACS trial MACs.
 */
enum tcpao_diag {
	TCPAO_DIAG_NONE,
	TCPAO_DIAG_OPTS_COVERED,
	TCPAO_DIAG_OPTS_EXCLUDED,
	TCPAO_DIAG_IDS_SWAPPED,
	TCPAO_DIAG_OTHER_ALG,
	TCPAO_DIAG_KEY_FUTURE,
	TCPAO_DIAG_KEY_EXPIRED,
	TCPAO_DIAG_UNKNOWN,

	__TCPAO_DIAG_MAX
};

#define TCPAO_DIAG_RATE	100
#define TCPAO_DIAG_MACS	3

/**
 * enum tcpao_event_attr - attributes of %TCPAO_A_EVENT
 * @TCPAO_EV_A_KEYCHAIN: string
 * @TCPAO_EV_A_KEY_ID: u8, key that became active
 * @TCPAO_EV_A_CONN: nest, &enum tcpao_conn_attr (connection events)
 * @TCPAO_EV_A_CAUSE: u8, &enum tcpao_drop_cause
 * @TCPAO_EV_A_COUNT: u32, drops this message stands for
 * @TCPAO_EV_A_KEYID: u8, KeyID seen in the dropped segment
 * @TCPAO_EV_A_OLD: u8, previous KeyID / RNextKeyID
 * @TCPAO_EV_A_NEW: u8, new KeyID / RNextKeyID
 * @TCPAO_EV_A_WHAT: u8, &enum tcpao_rnext_what
 * @TCPAO_EV_A_DIAG: u8, &enum tcpao_diag: likely cause of the drop
 * @TCPAO_EV_A_DIAG_START: s64 (padded with %TCPAO_EV_A_PAD), with
 *	%TCPAO_DIAG_KEY_FUTURE and %TCPAO_DIAG_KEY_EXPIRED: start time here
 *	of the key the segment names (UNIX seconds)
 * @TCPAO_EV_A_PAD: padding
 */
enum tcpao_event_attr {
	TCPAO_EV_A_UNSPEC,
	TCPAO_EV_A_KEYCHAIN,
	TCPAO_EV_A_KEY_ID,
	TCPAO_EV_A_CONN,
	TCPAO_EV_A_CAUSE,
	TCPAO_EV_A_COUNT,
	TCPAO_EV_A_KEYID,
	TCPAO_EV_A_OLD,
	TCPAO_EV_A_NEW,
	TCPAO_EV_A_WHAT,
	TCPAO_EV_A_DIAG,
	TCPAO_EV_A_DIAG_START,
	TCPAO_EV_A_PAD,

	__TCPAO_EV_A_MAX
};

#define TCPAO_EV_A_MAX (__TCPAO_EV_A_MAX - 1)

/* What changed, in a %TCPAO_CMD_EVENT_RNEXT. */
enum tcpao_rnext_what {
	TCPAO_RNEXT_UNSPEC,
	TCPAO_RNEXT_SEND_KEYID,	/* the KeyID we sign with */
	TCPAO_RNEXT_SEND_RNEXT,	/* the RNextKeyID we advertise */
	TCPAO_RNEXT_PEER_RNEXT,	/* the RNextKeyID the peer advertises */

	__TCPAO_RNEXT_MAX
};

/*
 * Socket options: level SOL_IP on AF_INET sockets, SOL_IPV6 on AF_INET6
 * sockets (including IPv4 peers given as v4-mapped addresses).  They reach
 * tcpao through netfilter's socket option registration, so they exist while
 * the module is loaded; without it they fail with ENOPROTOOPT.
 *
 * Order of calls for a client: socket(), [bind()], setsockopt(TCPAO_SO_BIND)
 * for the peer, connect().  For a server: socket(), bind(),
 * setsockopt(TCPAO_SO_BIND) once per peer, listen(), accept().  A binding
 * cannot change after connect() or once the socket is listening and has
 * accepted connections (EISCONN).  The keychain must exist (ENOENT).  Needs
 * CAP_NET_ADMIN in the socket's network namespace (EPERM).
 */
#define TCPAO_SO_BIND		5925	/* set: struct tcpao_bind */
#define TCPAO_SO_UNBIND		5926	/* set: struct tcpao_bind (prefix/VRF) */
#define TCPAO_SO_INFO		5927	/* get: struct tcpao_info */
#define TCPAO_SO_REPAIR		5928	/* set and get: struct tcpao_repair */
/* Linux's own TCP-AO socket options (see the end of this header). */
#define TCPAO_SO_AO_ADD_KEY	5929	/* set: struct tcp_ao_add */
#define TCPAO_SO_AO_DEL_KEY	5930	/* set: struct tcp_ao_del */
#define TCPAO_SO_AO_INFO	5931	/* set, get: struct tcp_ao_info_opt */
#define TCPAO_SO_AO_GET_KEYS	5932	/* get: struct tcp_ao_getsockopt[] */
#define TCPAO_SO_AO_REPAIR	5933	/* set, get: struct tcp_ao_repair */
#define TCPAO_SO_MIN		TCPAO_SO_BIND
#define TCPAO_SO_MAX		TCPAO_SO_AO_REPAIR

/**
 * struct tcpao_bind - bind a socket to a keychain for a peer
 * @family: AF_INET or AF_INET6 (address family of @addr)
 * @prefixlen: prefix length of @addr (0-32 or 0-128)
 * @flags: TCPAO_F_ALLOW_WITHOUT_AO, TCPAO_F_ACCEPT_ICMPS and, on the first
 *	binding of a listening socket, TCPAO_F_AO_REQUIRED (refuse every
 *	peer that matches no binding)
 * @ifindex: VRF (l3mdev) ifindex; 0: the socket's own VRF
 * @addr: peer prefix, network order
 * @keychain: NUL-terminated keychain name
 */
struct tcpao_bind {
	__u16	family;
	__u8	prefixlen;
	__u8	flags;
	__u32	ifindex;
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
	} addr;
	char	keychain[TCPAO_KEYCHAIN_NAME_LEN];
};

/**
 * struct tcpao_info - TCPAO_SO_INFO: state of a connected socket
 * @flags: TCPAO_CONN_F_*; TCPAO_INFO_F_* below
 * @state: &enum tcpao_conn_state
 * @send_keyid: KeyID of our last signed segment
 * @send_rnext: RNextKeyID of our last signed segment
 * @recv_keyid: KeyID of the peer's last valid segment
 * @recv_rnext: RNextKeyID of the peer's last valid segment
 * @snd_sne: our sequence number extension
 * @rcv_sne: the peer's sequence number extension
 * @reserved2: zero; keeps the counters 8-byte aligned for 32-bit processes
 *	as well (the layout is that of x86_64 before this field was named)
 * @pkts_good: segments verified
 * @pkts_bad: segments dropped
 * @pkts_signed: segments signed
 * @keychain: keychain name
 */
struct tcpao_info {
	__u32	flags;
	__u8	state;
	__u8	send_keyid;
	__u8	send_rnext;
	__u8	recv_keyid;
	__u8	recv_rnext;
	__u8	reserved[3];
	__u32	snd_sne;
	__u32	rcv_sne;
	__u32	reserved2;
	__aligned_u64	pkts_good;
	__aligned_u64	pkts_bad;
	__aligned_u64	pkts_signed;
	char	keychain[TCPAO_KEYCHAIN_NAME_LEN];
};

#define TCPAO_INFO_F_BOUND	(1U << 16) /* socket has bindings */
#define TCPAO_INFO_F_CONN	(1U << 17) /* a connection entry exists */

/**
 * struct tcpao_repair - TCPAO_SO_REPAIR: checkpoint and restore
 * @lisn: our initial sequence number
 * @risn: the peer's initial sequence number
 * @snd_sne: SNE of the sequence number we send next
 * @rcv_sne: SNE of the sequence number we expect next
 *
 * Setting it needs the socket in TCP_REPAIR mode and connected (in repair
 * mode connect() sends nothing); it creates the connection entry that a
 * handshake would have created, using the socket's binding or a peer policy.
 */
struct tcpao_repair {
	__u32	lisn;
	__u32	risn;
	__u32	snd_sne;
	__u32	rcv_sne;
};

/*
 * Linux's TCP-AO socket API (Linux 6.7, <linux/tcp.h>), for kernels built
 * without it: the same calls and structures, at tcpao's level and option
 * numbers.  A daemon's
 *
 *	setsockopt(fd, IPPROTO_TCP, TCP_AO_ADD_KEY, &add, sizeof(add))
 *
 * is, on tcpao,
 *
 *	setsockopt(fd, level, TCPAO_SO_AO(TCP_AO_ADD_KEY), &add, sizeof(add))
 *
 * with level IPPROTO_IP on AF_INET sockets and IPPROTO_IPV6 on AF_INET6
 * sockets: what libtcpao-compat.so (tools/libtcpao-compat) does for daemons that
 * cannot be changed.  Documentation/linuxapi.rst says, per call, what is
 * reproduced and what differs.  The structures are written from Linux's
 * documentation (Documentation/networking/tcp_ao.rst) and its UAPI; their
 * layout is the ABI and must not change.  A program that includes
 * <linux/tcp.h> of Linux 6.7 or later includes it first: these definitions
 * then stand aside.
 */
#define TCPAO_SO_AO(optname)	((optname) - TCP_AO_ADD_KEY + TCPAO_SO_AO_ADD_KEY)

#if defined(__KERNEL__)
#include <linux/tcp.h>
#endif
#include <linux/socket.h>

#ifndef TCP_AO_ADD_KEY
#define TCP_AO_ADD_KEY		38	/* add a Master Key Tuple */
#define TCP_AO_DEL_KEY		39	/* delete one */
#define TCP_AO_INFO		40	/* per-socket settings and counters */
#define TCP_AO_GET_KEYS		41	/* list the MKTs */
#define TCP_AO_REPAIR		42	/* ISNs and SNEs, for TCP_REPAIR */
#endif

#ifndef TCP_AO_MAXKEYLEN
#define TCP_AO_MAXKEYLEN	80

#define TCP_AO_KEYF_IFINDEX	(1 << 0)	/* @ifindex names a VRF */
#define TCP_AO_KEYF_EXCLUDE_OPT	(1 << 1)	/* TCP options other than
						 * TCP-AO are not covered
						 * by the MAC
						 */

/**
 * struct tcp_ao_add - TCP_AO_ADD_KEY
 * @addr: peer address (port 0); the any address with @prefix 0: any peer
 * @alg_name: "hmac(sha1)" or "cmac(aes128)" (tcpao: these two only)
 * @ifindex: VRF (l3mdev) ifindex, with %TCP_AO_KEYF_IFINDEX
 * @set_current: make it Current_key (the key we send with)
 * @set_rnext: make it RNext_key (the key we ask the peer for)
 * @reserved: zero
 * @reserved2: zero
 * @prefix: prefix length of @addr
 * @sndid: SendID, the KeyID of the segments we sign
 * @rcvid: RecvID, the KeyID of the segments we accept
 * @maclen: MAC length, 0 for the default 12 (tcpao: 12 only)
 * @keyflags: %TCP_AO_KEYF_*
 * @keylen: length of @key
 * @key: the secret
 */
struct tcp_ao_add {
	struct __kernel_sockaddr_storage addr;
	char	alg_name[64];
	__s32	ifindex;
	__u32	set_current	:1,
		set_rnext	:1,
		reserved	:30;
	__u16	reserved2;
	__u8	prefix;
	__u8	sndid;
	__u8	rcvid;
	__u8	maclen;
	__u8	keyflags;
	__u8	keylen;
	__u8	key[TCP_AO_MAXKEYLEN];
} __attribute__((aligned(8)));

/**
 * struct tcp_ao_del - TCP_AO_DEL_KEY: the key of exactly these IDs, peer
 *	and VRF
 * @addr: as added
 * @ifindex: as added
 * @set_current: at the same time, make the key of SendID @current_key the
 *	Current_key
 * @set_rnext: at the same time, make the key of RecvID @rnext the RNext_key
 * @del_async: listening sockets only
 * @reserved: zero
 * @reserved2: zero
 * @prefix: as added
 * @sndid: SendID of the key
 * @rcvid: RecvID of the key
 * @current_key: with @set_current
 * @rnext: with @set_rnext
 * @keyflags: %TCP_AO_KEYF_IFINDEX or 0
 */
struct tcp_ao_del {
	struct __kernel_sockaddr_storage addr;
	__s32	ifindex;
	__u32	set_current	:1,
		set_rnext	:1,
		del_async	:1,
		reserved	:29;
	__u16	reserved2;
	__u8	prefix;
	__u8	sndid;
	__u8	rcvid;
	__u8	current_key;
	__u8	rnext;
	__u8	keyflags;
} __attribute__((aligned(8)));

/**
 * struct tcp_ao_info_opt - TCP_AO_INFO: set (in) or read (out)
 * @set_current: in: make the key of SendID @current_key Current_key;
 *	out: @current_key is valid
 * @set_rnext: in: make the key of RecvID @rnext RNext_key; out: @rnext is
 *	valid
 * @ao_required: refuse segments without TCP-AO, from every peer
 * @set_counters: in: set the counters to the values given
 * @accept_icmps: act on ICMP hard errors (RFC 5925 7.8)
 * @reserved: zero
 * @reserved2: zero
 * @current_key: SendID of Current_key
 * @rnext: RecvID of RNext_key
 * @pkt_good: segments verified
 * @pkt_bad: segments whose MAC did not verify
 * @pkt_key_not_found: segments with a KeyID of no key
 * @pkt_ao_required: segments without TCP-AO where it is required
 * @pkt_dropped_icmp: ICMP errors ignored
 */
struct tcp_ao_info_opt {
	__u32	set_current	:1,
		set_rnext	:1,
		ao_required	:1,
		set_counters	:1,
		accept_icmps	:1,
		reserved	:27;
	__u16	reserved2;
	__u8	current_key;
	__u8	rnext;
	__u64	pkt_good;
	__u64	pkt_bad;
	__u64	pkt_key_not_found;
	__u64	pkt_ao_required;
	__u64	pkt_dropped_icmp;
} __attribute__((aligned(8)));

/**
 * struct tcp_ao_getsockopt - TCP_AO_GET_KEYS: an array of these, the
 *	first one the filter; optlen is the size of one
 * @addr: in: keys for this peer prefix (family 0 with @get_all,
 *	@is_current or @is_rnext); out: the key's
 * @alg_name: out: "hmac(sha1)" or "cmac(aes)"
 * @key: out: the secret (tcpao: never; zeros)
 * @nkeys: in: entries in the array; out (first entry): keys that matched
 * @is_current: in: the Current_key only; out: it is Current_key
 * @is_rnext: in: the RNext_key only; out: it is RNext_key
 * @get_all: in: every key
 * @reserved: zero
 * @sndid: in/out: SendID (filters with @addr)
 * @rcvid: in/out: RecvID (filters with @addr)
 * @prefix: in/out: prefix length
 * @maclen: out: MAC length
 * @keyflags: in: %TCP_AO_KEYF_IFINDEX to filter by @ifindex; out: the key's
 * @keylen: out: length of the secret (16 for a cmac(aes128) key of another
 *	length: its derived key)
 * @ifindex: in/out: VRF
 * @pkt_good: out: segments verified with this key
 * @pkt_bad: out: segments whose MAC did not verify with it
 */
struct tcp_ao_getsockopt {
	struct __kernel_sockaddr_storage addr;
	char	alg_name[64];
	__u8	key[TCP_AO_MAXKEYLEN];
	__u32	nkeys;
	__u16	is_current	:1,
		is_rnext	:1,
		get_all		:1,
		reserved	:13;
	__u8	sndid;
	__u8	rcvid;
	__u8	prefix;
	__u8	maclen;
	__u8	keyflags;
	__u8	keylen;
	__s32	ifindex;
	__u64	pkt_good;
	__u64	pkt_bad;
} __attribute__((aligned(8)));

/**
 * struct tcp_ao_repair - TCP_AO_REPAIR, in TCP_REPAIR mode
 * @snt_isn: our initial sequence number (network order)
 * @rcv_isn: the peer's (network order)
 * @snd_sne: sequence number extension of what we send
 * @rcv_sne: and of what we receive
 */
struct tcp_ao_repair {
	__be32	snt_isn;
	__be32	rcv_isn;
	__u32	snd_sne;
	__u32	rcv_sne;
} __attribute__((aligned(8)));
#endif /* TCP_AO_MAXKEYLEN */

#endif /* _UAPI_LINUX_TCPAO_H */
