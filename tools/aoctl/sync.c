// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: configuration sync, the part without netlink (see sync.h): the
 * model of a sync file and the plan that brings the kernel to it.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "sync.h"
#include "util.h"

static const char *const limit_names[LIMIT_COUNT] = {
	[LIMIT_KEYCHAINS] = "keychains",
	[LIMIT_PEERS] = "peers",
	[LIMIT_CONNS] = "conns",
	[LIMIT_BINDINGS] = "bindings",
};

static struct sync_keychain *model_keychain(struct sync_model *m,
					    const char *name,
					    unsigned int line, size_t cap)
{
	unsigned int i;

	for (i = 0; i < m->n_kcs; i++)
		if (!strcmp(m->kcs[i].name, name))
			return &m->kcs[i];
	if (m->n_kcs == cap)
		return NULL;
	memset(&m->kcs[i], 0, sizeof(m->kcs[i]));
	snprintf(m->kcs[i].name, sizeof(m->kcs[i].name), "%s", name);
	m->kcs[i].line = line;
	m->n_kcs++;
	return &m->kcs[i];
}

/* Problems of a key line against the keys of its keychain so far. */
static int model_key(struct sync_keychain *kc, const struct batch_cmd *b)
{
	const struct aoctl_cmd *c = &b->cmd;
	unsigned int i;

	for (i = 0; i < kc->n_keys; i++) {
		const struct batch_cmd *o = kc->keys[i];

		if (o->cmd.key_id == c->key_id) {
			aoctl_err(c->what, "key %u of keychain %s is already defined at line %u",
				  c->key_id, kc->name, o->line);
			return EXIT_USAGE;
		}
		if (o->cmd.send_id == c->send_id) {
			aoctl_err(c->what, "send-id %u is already used by key %u (line %u)",
				  c->send_id, o->cmd.key_id, o->line);
			return EXIT_USAGE;
		}
		if (o->cmd.recv_id == c->recv_id) {
			aoctl_err(c->what, "recv-id %u is already used by key %u (line %u)",
				  c->recv_id, o->cmd.key_id, o->line);
			return EXIT_USAGE;
		}
		if (o->cmd.has_start_time && c->has_start_time &&
		    o->cmd.start_time == c->start_time) {
			aoctl_err(c->what, "start-time is already used by key %u (line %u); start times must be unique",
				  o->cmd.key_id, o->line);
			return EXIT_USAGE;
		}
	}
	kc->keys[kc->n_keys++] = b;
	return EXIT_OK;
}

/*
 * A policy's identity: prefix, port and VRF (by name in a file, by ifindex
 * in the kernel).  Files and kernels may hold 65536 policies: they are
 * found through a hash table, not by comparing each with each.
 */
struct peer_id {
	int family;
	unsigned int plen;
	unsigned int port;
	uint32_t ifindex;
	uint8_t addr[16];
	char vrf[IF_NAMESIZE];
};

static void peer_id_of(struct peer_id *id, const struct aoctl_cmd *c,
		       uint32_t ifindex, bool by_name)
{
	memset(id, 0, sizeof(*id));
	id->family = c->prefix.family;
	id->plen = c->prefix.len;
	id->port = c->has_port ? c->port : 0;
	id->ifindex = ifindex;
	memcpy(id->addr, c->prefix.addr, family_addr_len(c->prefix.family));
	/* Only the name: "vrf default" leaves bytes after its NUL. */
	if (by_name)
		snprintf(id->vrf, sizeof(id->vrf), "%s", c->vrf);
}

/* Open addressing; a slot holds an index into the ids + 1 (0: empty). */
struct peer_index {
	struct peer_id *ids;
	unsigned int *slot;
	unsigned int mask;
};

static int peer_index_init(struct peer_index *ix, struct peer_id *ids,
			   unsigned int n)
{
	unsigned int size = 16;

	while (size < 2 * n)
		size *= 2;
	ix->ids = ids;
	ix->mask = size - 1;
	ix->slot = calloc(size, sizeof(*ix->slot));
	return ix->slot ? 0 : -ENOMEM;
}

static uint32_t peer_id_hash(const struct peer_id *id)
{
	const uint8_t *b = (const uint8_t *)id;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*id); i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* The index of an id equal to ids[i] that is in @ix; if none, ids[i] is
 * added and -1 returned.
 */
static long peer_index_add(struct peer_index *ix, unsigned int i)
{
	uint32_t h = peer_id_hash(&ix->ids[i]) & ix->mask;

	for (;; h = (h + 1) & ix->mask) {
		unsigned int s = ix->slot[h];

		if (!s) {
			ix->slot[h] = i + 1;
			return -1;
		}
		if (!memcmp(&ix->ids[s - 1], &ix->ids[i], sizeof(ix->ids[i])))
			return s - 1;
	}
}

static void peer_name(const struct aoctl_cmd *c, char *buf, size_t len)
{
	char pfx[INET6_ADDRSTRLEN + 8];

	format_prefix(&c->prefix, pfx, sizeof(pfx));
	if (c->has_port)
		snprintf(buf, len, "%s port %u vrf %s", pfx, c->port,
			 c->vrf[0] ? c->vrf : "default");
	else
		snprintf(buf, len, "%s vrf %s", pfx,
			 c->vrf[0] ? c->vrf : "default");
}

static int model_peer(struct sync_model *m, struct peer_index *ix,
		      const struct batch_cmd *b)
{
	char name[INET6_ADDRSTRLEN + 48];
	struct peer_id *id = &ix->ids[m->n_peers];
	long o;

	peer_id_of(id, &b->cmd, 0, true);
	o = peer_index_add(ix, m->n_peers);
	if (o >= 0) {
		peer_name(&b->cmd, name, sizeof(name));
		aoctl_err(b->cmd.what, "peer %s is already defined at line %u",
			  name, m->peers[o]->line);
		return EXIT_USAGE;
	}
	m->peers[m->n_peers++] = b;
	return EXIT_OK;
}

static int model_limits(struct sync_model *m, const struct aoctl_cmd *c)
{
	unsigned int l;

	for (l = 0; l < LIMIT_COUNT; l++) {
		if (!c->has_limit[l])
			continue;
		if (m->limits.has_limit[l]) {
			aoctl_err(c->what, "limit %s is set twice", limit_names[l]);
			return EXIT_USAGE;
		}
		m->limits.has_limit[l] = true;
		m->limits.limit[l] = c->limit[l];
	}
	if (!m->has_limits) {
		m->has_limits = true;
		m->limits.op = OP_LIMITS_SET;
		snprintf(m->limits.what, sizeof(m->limits.what), "limits set");
	}
	return EXIT_OK;
}

static int model_line(struct sync_model *m, struct peer_index *ix,
		      const struct batch_cmd *b, size_t cap)
{
	const struct aoctl_cmd *c = &b->cmd;
	struct sync_keychain *kc;

	switch (c->op) {
	case OP_KEYCHAIN_NEW:
	case OP_KEYCHAIN_SET:
	case OP_KEY_NEW:
		kc = model_keychain(m, c->keychain, b->line, cap);
		if (!kc)
			return EXIT_ERR;
		if (c->op == OP_KEY_NEW)
			return model_key(kc, b);
		if (!c->has_tolerance)
			return EXIT_OK;
		if (kc->has_tolerance) {
			aoctl_err(c->what, "the tolerance of keychain %s is already set at line %u",
				  kc->name, kc->tolerance_line);
			return EXIT_USAGE;
		}
		kc->has_tolerance = true;
		kc->tolerance = c->tolerance;
		kc->tolerance_line = b->line;
		return EXIT_OK;
	case OP_PEER_NEW:
		return model_peer(m, ix, b);
	case OP_LIMITS_SET:
		return model_limits(m, c);
	default:
		aoctl_err(c->what, "cannot be used with --sync: the file says what the configuration is (keychain add, keychain set NAME tolerance, peer add, limits set)");
		return EXIT_USAGE;
	}
}

int sync_model_build(struct sync_model *m, const struct batch_cmd *cmds,
		     size_t n, const char *file)
{
	struct peer_index ix = { 0 };
	struct peer_id *ids;
	int ret = EXIT_OK, r;
	unsigned int i, j;

	memset(m, 0, sizeof(*m));
	/* At most one keychain and one peer per line. */
	m->kcs = calloc(n ? n : 1, sizeof(*m->kcs));
	m->peers = calloc(n ? n : 1, sizeof(*m->peers));
	ids = calloc(n ? n : 1, sizeof(*ids));
	if (!m->kcs || !m->peers || !ids ||
	    peer_index_init(&ix, ids, (unsigned int)n)) {
		aoctl_err(NULL, "out of memory");
		free(ids);
		free(ix.slot);
		sync_model_free(m);
		return EXIT_ERR;
	}
	for (i = 0; i < n; i++) {
		err_set_location(file, cmds[i].line);
		r = model_line(m, &ix, &cmds[i], n);
		if (r == EXIT_ERR) {
			aoctl_err(NULL, "out of memory");
			ret = r;
			break;
		}
		if (r && !ret)
			ret = r;
	}
	/* Keychains that are not in the file are removed: a policy cannot
	 * name one.
	 */
	for (i = 0; ret != EXIT_ERR && i < m->n_peers; i++) {
		const struct batch_cmd *b = m->peers[i];

		for (j = 0; j < m->n_kcs; j++)
			if (!strcmp(m->kcs[j].name, b->cmd.keychain))
				break;
		if (j < m->n_kcs)
			continue;
		err_set_location(file, b->line);
		aoctl_err(b->cmd.what, "keychain %s is not in the file (a sync removes the keychains that are not)",
			  b->cmd.keychain);
		ret = EXIT_USAGE;
	}
	err_set_location(NULL, 0);
	free(ids);
	free(ix.slot);
	if (ret)
		sync_model_free(m);
	return ret;
}

void sync_model_free(struct sync_model *m)
{
	free(m->kcs);
	free(m->peers);
	memset(m, 0, sizeof(*m));
}

/* ---- the kernel's state ---- */

int sync_kstate_add_peer(struct sync_kstate *k, const struct sync_kpeer *p)
{
	struct sync_kpeer *n = realloc(k->peers,
				       (k->n_peers + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	k->peers = n;
	k->peers[k->n_peers++] = *p;
	return 0;
}

int sync_kstate_add_keychain(struct sync_kstate *k,
			     const struct sync_kkeychain *kc)
{
	struct sync_kkeychain *n = realloc(k->kcs, (k->n_kcs + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	k->kcs = n;
	k->kcs[k->n_kcs++] = *kc;
	return 0;
}

void sync_kstate_free(struct sync_kstate *k)
{
	free(k->peers);
	free(k->kcs);
	memset(k, 0, sizeof(*k));
}

/* ---- the plan ---- */

int sync_plan_make(const struct sync_model *m, const uint32_t *ifindex,
		   const struct sync_kstate *k, struct sync_plan *p)
{
	unsigned int n = k->n_peers + m->n_peers, i, j;
	struct peer_index ix = { 0 };
	struct peer_id *ids;
	long o;

	memset(p, 0, sizeof(*p));
	p->peer_act = calloc(m->n_peers ? m->n_peers : 1, sizeof(*p->peer_act));
	p->peer_del = calloc(k->n_peers ? k->n_peers : 1, sizeof(*p->peer_del));
	p->kc_act = calloc(k->n_kcs ? k->n_kcs : 1, sizeof(*p->kc_act));
	/* The kernel's policies first, then the file's, in one table. */
	ids = calloc(n ? n : 1, sizeof(*ids));
	if (!p->peer_act || !p->peer_del || !p->kc_act || !ids ||
	    peer_index_init(&ix, ids, n)) {
		free(ids);
		free(ix.slot);
		sync_plan_free(p);
		return -ENOMEM;
	}
	for (j = 0; j < k->n_peers; j++) {
		const struct sync_kpeer *kp = &k->peers[j];

		ids[j].family = kp->family;
		ids[j].plen = kp->plen;
		ids[j].port = kp->port;
		ids[j].ifindex = kp->ifindex;
		memcpy(ids[j].addr, kp->addr, sizeof(ids[j].addr));
		peer_index_add(&ix, j);
		p->peer_del[j] = true;
	}
	for (i = 0; i < m->n_peers; i++) {
		const struct aoctl_cmd *c = &m->peers[i]->cmd;
		const struct sync_kpeer *kp;

		peer_id_of(&ids[k->n_peers + i], c, ifindex[i], false);
		o = peer_index_add(&ix, k->n_peers + i);
		if (o < 0) {
			p->peer_act[i] = SYNC_PEER_ADD;
			continue;
		}
		kp = &k->peers[o];
		p->peer_del[o] = false;
		p->peer_act[i] = !strcmp(kp->keychain, c->keychain) &&
				 kp->flags == c->flags ?
				 SYNC_PEER_KEEP : SYNC_PEER_REPLACE;
	}
	free(ids);
	free(ix.slot);
	for (j = 0; j < k->n_kcs; j++) {
		p->kc_act[j] = k->kcs[j].bindings ? SYNC_KC_EMPTY : SYNC_KC_DEL;
		for (i = 0; i < m->n_kcs; i++)
			if (!strcmp(m->kcs[i].name, k->kcs[j].name))
				p->kc_act[j] = SYNC_KC_KEEP;
	}
	return 0;
}

void sync_plan_free(struct sync_plan *p)
{
	free(p->peer_act);
	free(p->peer_del);
	free(p->kc_act);
	memset(p, 0, sizeof(*p));
}
