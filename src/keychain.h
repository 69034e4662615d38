/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keychains and keys (keychain.c): what the datapath reads under RCU, and
 * the configuration, all under tn->lock.
 */
#ifndef _TCPAO_KEYCHAIN_H
#define _TCPAO_KEYCHAIN_H

#include "tcpao.h"

/*
 * One immutable version of a key.  Changing a key publishes a new version,
 * and every connection on the keychain takes it from its next segment (see
 * conn.c).  The traffic keys a connection derived from a version depend on
 * its secret and algorithm only: versions that share those share @kdf_id,
 * and a connection keeps its traffic keys across them (a new start time,
 * new IDs or a new option flag derive nothing).  The secret is kept (so the
 * algorithm can change alone, as on Junos, and a sync can compare it) and,
 * like the prepared key, never leaves the kernel and is wiped when freed.
 */
/*
 * What Linux's TCP-AO socket API said of a key (linuxapi.c): the peer it is
 * for, as Linux keeps it and reports it back, and Linux's per-key counters.
 * Unused for keychain keys.
 */
struct tcpao_mkt_lx {
	union tcpao_addr addr;
	u64 serial;		/* order of addition, per namespace */
	atomic64_t pkt_good;
	atomic64_t pkt_bad;
	int l3index;
	u8 family;
	u8 prefix;
	u8 keyflags;		/* TCP_AO_KEYF_* */
	u8 keylen;		/* as Linux reports it */
};

struct tcpao_mkt {
	struct rcu_head rcu;
	refcount_t ref;
	const struct tcpao_algo *alg;
	time64_t start;
	u64 kdf_id;		/* new with each new secret or algorithm */
	u8 id;
	u8 send_id;
	u8 recv_id;
	u8 secret_len;
	bool exclude_opts;
	struct tcpao_prf_key kdf;
	u8 secret[TCPAO_SECRET_MAX];
	struct tcpao_mkt_lx lx;
};

/* The keys of a keychain at one moment, sorted by start time then id. */
struct tcpao_keyset {
	struct rcu_head rcu;
	u8 n;
	struct tcpao_mkt *mkt[];
};

struct tcpao_keychain {
	struct list_head list;		/* tn->keychains, RCU */
	struct rcu_head rcu;
	refcount_t ref;			/* list, peers, bindings, conns */
	struct tcpao_net *tn;
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	u32 tolerance;			/* READ_ONCE: datapath reads it */
	u32 gen;			/* of @keys, see conn.c */
	struct tcpao_keyset __rcu *keys;	/* NULL: no keys (revoked) */
	u32 n_peers;			/* tn->lock */
	u32 n_bindings;			/* tn->lock */
	atomic_t n_conns;
	atomic_t key_users[TCPAO_KEYS_MAX];	/* connections holding key id */
	struct delayed_work activate_work;	/* KEY_ACTIVE events */
	int last_active;			/* id last reported active */
	bool dead;
};

struct tcpao_keychain *tcpao_keychain_find(struct tcpao_net *tn,
					   const char *name);
struct tcpao_keychain *tcpao_keychain_find_rcu(struct tcpao_net *tn,
					       const char *name);
void tcpao_keychain_put(struct tcpao_keychain *kc);

/* Called under tn->lock after @kc published a new key set. */
typedef void tcpao_kc_publish_fn(struct tcpao_net *tn,
				 struct tcpao_keychain *kc);
void tcpao_keychain_on_publish(tcpao_kc_publish_fn *fn);
void tcpao_mkt_put(struct tcpao_mkt *mkt);

/* Key selection (keysel.c): pure functions over sorted key versions. */
#include "keysel.h"

/* Configuration (netlink), all under tn->lock. */
struct tcpao_key_cfg {
	u8 id;
	bool has_secret, has_start, has_send, has_recv, has_alg, has_opts;
	u8 secret_len;
	u8 send_id;
	u8 recv_id;
	u8 alg;
	bool tcp_options;
	time64_t start;
	u8 secret[TCPAO_SECRET_MAX];
};

struct netlink_ext_ack;
int tcpao_name_check(const char *name, struct netlink_ext_ack *extack);
int tcpao_keychain_new(struct tcpao_net *tn, const char *name,
		       const u32 *tolerance, struct netlink_ext_ack *extack);
int tcpao_keychain_set(struct tcpao_net *tn, const char *name, u32 tolerance,
		       struct netlink_ext_ack *extack);
int tcpao_keychain_del(struct tcpao_net *tn, const char *name,
		       struct netlink_ext_ack *extack);
int tcpao_key_new(struct tcpao_net *tn, const char *name,
		  const struct tcpao_key_cfg *cfg,
		  struct netlink_ext_ack *extack);
int tcpao_key_set(struct tcpao_net *tn, const char *name,
		  const struct tcpao_key_cfg *cfg,
		  struct netlink_ext_ack *extack);
int tcpao_key_del(struct tcpao_net *tn, const char *name, u8 id,
		  struct netlink_ext_ack *extack);
struct tcpao_mkt *tcpao_mkt_new(const struct tcpao_key_cfg *cfg);
void tcpao_keychains_flush(struct tcpao_net *tn);

/* What a sync changed (key IDs as bits), for its events. */
struct tcpao_sync_result {
	bool created;
	bool tolerance;
	u64 added;
	u64 changed;
	u64 removed;
};

int tcpao_keychain_sync(struct tcpao_net *tn, const char *name,
			u32 tolerance, struct tcpao_key_cfg *cfg, int n,
			struct tcpao_sync_result *res,
			struct netlink_ext_ack *extack);

#endif /* _TCPAO_KEYCHAIN_H */
