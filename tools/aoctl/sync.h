/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aoctl: configuration sync (aoctl -b FILE --sync).  The file is the whole
 * configuration of the namespace's keychains, keys and peer policies; what
 * differs from the kernel's is changed, nothing else.
 *
 * sync.c holds what needs no netlink: the model of the file (each keychain
 * with all its keys, the peer policies, the limits), checked as a whole
 * with FILE:LINE messages, and the plan that compares it with what the
 * kernel has (from its dumps).  aoctl.c runs the plan.  Secrets are
 * compared in the kernel, never here: aoctl cannot read them back.
 */
#ifndef AOCTL_SYNC_H
#define AOCTL_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aoctl.h"

/* A parsed batch line. */
struct batch_cmd {
	unsigned int line;
	struct aoctl_cmd cmd;
};

struct sync_keychain {
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	unsigned int line;		/* first line that names it */
	bool has_tolerance;
	uint32_t tolerance;
	unsigned int tolerance_line;
	unsigned int n_keys;
	const struct batch_cmd *keys[TCPAO_KEYS_MAX];
};

struct sync_model {
	struct sync_keychain *kcs;
	unsigned int n_kcs;
	const struct batch_cmd **peers;
	unsigned int n_peers;
	bool has_limits;
	struct aoctl_cmd limits;	/* OP_LIMITS_SET, merged */
};

/*
 * Build the model of @n commands read from @file.  Only the commands that
 * say what the configuration is are allowed (keychain add, keychain set
 * NAME tolerance, peer add, limits set); every problem is reported as
 * "aoctl: FILE:LINE: ..." and the whole file is checked.  EXIT_OK,
 * EXIT_USAGE or EXIT_ERR (memory).
 */
int sync_model_build(struct sync_model *m, const struct batch_cmd *cmds,
		     size_t n, const char *file);
void sync_model_free(struct sync_model *m);

/* What the kernel has, from its dumps (no secrets: it gives none). */
struct sync_kpeer {
	int family;
	uint8_t addr[16];
	unsigned int plen;
	unsigned int port;		/* 0: any */
	uint32_t ifindex;
	uint32_t flags;
	char keychain[TCPAO_KEYCHAIN_NAME_LEN];
};

struct sync_kkeychain {
	char name[TCPAO_KEYCHAIN_NAME_LEN];
	uint32_t bindings;
};

struct sync_kstate {
	struct sync_kpeer *peers;
	unsigned int n_peers;
	struct sync_kkeychain *kcs;
	unsigned int n_kcs;
};

int sync_kstate_add_peer(struct sync_kstate *k, const struct sync_kpeer *p);
int sync_kstate_add_keychain(struct sync_kstate *k,
			     const struct sync_kkeychain *kc);
void sync_kstate_free(struct sync_kstate *k);

enum sync_peer_act {
	SYNC_PEER_KEEP,			/* the kernel has it as it is */
	SYNC_PEER_ADD,
	SYNC_PEER_REPLACE,		/* same prefix, port, VRF; other keychain
					 * or flags */
};

enum sync_kc_act {
	SYNC_KC_KEEP,			/* in the file */
	SYNC_KC_DEL,
	SYNC_KC_EMPTY,			/* not in the file, but socket bindings
					 * name it: its keys go, it stays */
};

struct sync_plan {
	enum sync_peer_act *peer_act;	/* per model peer */
	bool *peer_del;			/* per kernel peer */
	enum sync_kc_act *kc_act;	/* per kernel keychain */
};

/*
 * Compare model @m (its peers' VRFs resolved to @ifindex, one per peer)
 * with the kernel's state @k.  0 or -ENOMEM.
 */
int sync_plan_make(const struct sync_model *m, const uint32_t *ifindex,
		   const struct sync_kstate *k, struct sync_plan *p);
void sync_plan_free(struct sync_plan *p);

#endif
