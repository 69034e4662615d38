// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: configure tcpao (TCP-AO, RFC 5925/5926) keychains, peer policies
 * and limits, and show connections, counters and events.
 *
 *	aoctl [OPTIONS] OBJECT { COMMAND | help }
 *	aoctl [OPTIONS] -b FILE [--sync] [--check]
 *
 * Every command is parsed and checked completely before the first netlink
 * message is sent; a batch file is parsed completely before its first
 * command runs.  With --sync the file is the whole configuration and only
 * what differs changes (sync.h); --check stops after the checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aoctl.h"
#include "batch.h"
#include "msg.h"
#include "nl.h"
#include "out.h"
#include "sync.h"
#include "util.h"
#include "version.h"

struct global {
	bool json;
	bool pretty;
	const char *netns;
	const char *batch;
	bool sync;
	bool check;
	struct aoctl_nl nl;
	bool aonl_open;
};

static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	/* A name from "ip netns add", or a path such as /proc/PID/ns/net. */
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		aoctl_err(NULL, "cannot open network namespace \"%s\": %s", name,
			  strerror(errno));
		return EXIT_ERR;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		aoctl_err(NULL, "cannot enter network namespace \"%s\": %s", name,
			  strerror(errno));
		close(fd);
		return EXIT_ERR;
	}
	close(fd);
	return EXIT_OK;
}

static int ensure_nl(struct global *g)
{
	if (g->aonl_open)
		return EXIT_OK;
	if (aonl_open(&g->nl))
		return EXIT_ERR;
	g->aonl_open = true;
	return EXIT_OK;
}

#define DUMP_ATTEMPTS 5

static int run(struct global *g, struct aoctl_cmd *cmd)
{
	struct print_ctx pc = {
		.op = cmd->op, .detail = cmd->detail, .sel = cmd,
	};
	int ret, attempt;

	if (cmd->op == OP_HELP) {
		print_usage(stdout, cmd->help_topic[0] ? cmd->help_topic : NULL);
		return fflush(stdout) ? EXIT_ERR : EXIT_OK;
	}
	if (cmd->has_vrf) {
		cmd->ifindex = if_nametoindex(cmd->vrf);
		if (!cmd->ifindex) {
			aoctl_err(cmd->what, "vrf %s: %s", cmd->vrf,
				  errno == ENODEV || errno == ENXIO ?
				  "no such device" : strerror(errno));
			return EXIT_ERR;
		}
	}
	ret = ensure_nl(g);
	if (ret)
		return ret;
	if (cmd->op == OP_MONITOR) {
		out_init(stdout, g->json, false);	/* JSON lines */
		return aonl_monitor(&g->nl);
	}

	/* A dump that a configuration change interrupted (NLM_F_DUMP_INTR)
	 * may be inconsistent: drop it and dump again.
	 */
	for (attempt = 1;; attempt++) {
		bool again;

		pc.rows = 0;
		pc.intr = false;
		out_doc_begin();
		print_begin(&pc);
		ret = aonl_request(&g->nl, cmd, &pc);
		print_end(&pc);
		again = ret == EXIT_OK && pc.intr && attempt < DUMP_ATTEMPTS;
		if (ret == EXIT_OK && pc.intr && !again)
			aoctl_warn("%s: the configuration kept changing during the dump; it may be inconsistent",
				   cmd->what);
		if (out_doc_end(ret == EXIT_OK && !again) < 0 && ret == EXIT_OK) {
			aoctl_err(NULL, "write error: %s", strerror(errno));
			return EXIT_ERR;
		}
		if (!again)
			return ret;
	}
}

/* Does this batch line carry a secret in its words? */
static bool has_inline_secret(char **argv, int argc)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "secret") || !strcmp(argv[i], "secret-hex"))
			return true;
	return false;
}

/* ---- --check: what the file holds (the VRFs for tcpao-apply's trial) ---- */

static const char *keychain_word(const struct aoctl_cmd *c)
{
	return c->has_keychain ? c->keychain : NULL;
}

static const char *vrf_word(const struct aoctl_cmd *c)
{
	return c->has_vrf ? c->vrf : NULL;
}

/* The distinct words of the commands, in order.  (Few distinct ones, many
 * lines: each line is compared with the distinct words only.)
 */
static int check_list(const char *key, const struct batch_cmd *cmds,
		      size_t n, const char *(*word)(const struct aoctl_cmd *c))
{
	const char **seen = calloc(n ? n : 1, sizeof(*seen));
	size_t i, j, k = 0;

	if (!seen) {
		aoctl_err(NULL, "out of memory");
		return EXIT_ERR;
	}
	open_json_array(key);
	print_fp("%s:", key);
	for (i = 0; i < n; i++) {
		const char *w = word(&cmds[i].cmd);

		for (j = 0; w && j < k; j++)
			if (!strcmp(seen[j], w))
				break;
		if (!w || j < k)
			continue;
		seen[k++] = w;
		print_string(PRINT_ANY, NULL, " %s", w);
	}
	close_json_array();
	print_nl();
	free(seen);
	return EXIT_OK;
}

static int check_report(const char *name, const struct batch_cmd *cmds,
			size_t n)
{
	unsigned int keys = 0, peers = 0;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		keys += cmds[i].cmd.op == OP_KEY_NEW;
		peers += cmds[i].cmd.op == OP_PEER_NEW;
	}
	out_doc_begin();
	open_json_object(NULL);
	print_string(PRINT_ANY, "file", "file: %s\n", name);
	print_uint(PRINT_ANY, "commands", "commands: %u\n", (unsigned int)n);
	ret = check_list("keychains", cmds, n, keychain_word);
	print_uint(PRINT_ANY, "keys", "keys: %u\n", keys);
	print_uint(PRINT_ANY, "peers", "peers: %u\n", peers);
	ret = ret ?: check_list("vrfs", cmds, n, vrf_word);
	close_json_object();
	if (out_doc_end(ret == EXIT_OK) < 0) {
		aoctl_err(NULL, "write error: %s", strerror(errno));
		return EXIT_ERR;
	}
	return ret;
}

/* ---- --sync ---- */

struct sync_ctx {
	struct global *g;
	const char *name;		/* the file, for FILE:LINE */
	struct sync_kstate k;
	int err;
};

static void sync_dump_cb(uint8_t gcmd, struct nlattr **tb, void *arg)
{
	struct sync_ctx *sc = arg;
	struct sync_kkeychain kc;
	struct sync_kpeer p;

	(void)gcmd;
	if (tb[TCPAO_A_PEER] && !msg_parse_kpeer(tb[TCPAO_A_PEER], &p)) {
		if (sync_kstate_add_peer(&sc->k, &p))
			sc->err = -ENOMEM;
	} else if (tb[TCPAO_A_KEYCHAIN] &&
		   !msg_parse_kkeychain(tb[TCPAO_A_KEYCHAIN], &kc)) {
		if (sync_kstate_add_keychain(&sc->k, &kc))
			sc->err = -ENOMEM;
	}
}

/* The kernel's keychains and peer policies, consistent with each other. */
static int sync_dump(struct sync_ctx *sc)
{
	bool intr1, intr2;
	int attempt, ret;

	for (attempt = 1;; attempt++) {
		sync_kstate_free(&sc->k);
		sc->err = 0;
		ret = aonl_call(&sc->g->nl, TCPAO_CMD_KEYCHAIN_GET, NLM_F_DUMP,
				NULL, NULL, sync_dump_cb, sc, "sync: keychain show",
				&intr1);
		if (!ret)
			ret = aonl_call(&sc->g->nl, TCPAO_CMD_PEER_GET,
					NLM_F_DUMP, NULL, NULL, sync_dump_cb, sc,
					"sync: peer show", &intr2);
		if (!ret && sc->err) {
			aoctl_err("sync", "out of memory");
			ret = EXIT_ERR;
		}
		if (ret || (!intr1 && !intr2))
			return ret;
		if (attempt == DUMP_ATTEMPTS) {
			aoctl_err("sync", "the configuration kept changing while it was read; nothing changed");
			return EXIT_ERR;
		}
	}
}

static int build_keychain_sync(struct nl_msg *msg, const void *arg)
{
	return msg_build_keychain_sync(msg, arg);
}

static int build_cmd(struct nl_msg *msg, const void *arg)
{
	return msg_build(msg, arg);
}

static int sync_keychain(struct global *g, const struct sync_keychain *kc)
{
	char what[TCPAO_KEYCHAIN_NAME_LEN + 16];

	snprintf(what, sizeof(what), "sync: keychain %s", kc->name);
	return aonl_call(&g->nl, TCPAO_CMD_KEYCHAIN_SYNC, 0,
			 build_keychain_sync, kc, NULL, NULL, what, NULL);
}

/* A keychain the file lacks: deleted or, while sockets name it, emptied. */
static int sync_keychain_gone(struct sync_ctx *sc,
			      const struct sync_kkeychain *kk, bool empty)
{
	struct aoctl_cmd del = { .op = OP_KEYCHAIN_DEL, .has_keychain = true };
	struct sync_keychain none = { 0 };
	char what[TCPAO_KEYCHAIN_NAME_LEN + 32];

	if (empty) {
		aoctl_warn("keychain %s is not in %s, but %u socket binding(s) name it: its keys are deleted; sync again once those sockets are closed to delete it",
			   kk->name, sc->name, kk->bindings);
		snprintf(none.name, sizeof(none.name), "%s", kk->name);
		return sync_keychain(sc->g, &none);
	}
	snprintf(del.keychain, sizeof(del.keychain), "%s", kk->name);
	snprintf(what, sizeof(what), "sync: keychain del %s", kk->name);
	return aonl_call(&sc->g->nl, TCPAO_CMD_KEYCHAIN_DEL, 0, build_cmd, &del,
			 NULL, NULL, what, NULL);
}

static int sync_peer_del(struct sync_ctx *sc, const struct sync_kpeer *kp)
{
	struct aoctl_cmd del = { .op = OP_PEER_DEL };
	char pfx[INET6_ADDRSTRLEN + 8], what[sizeof(pfx) + 48];

	del.prefix.family = kp->family;
	memcpy(del.prefix.addr, kp->addr, sizeof(del.prefix.addr));
	del.prefix.len = kp->plen;
	del.has_port = kp->port != 0;
	del.port = (uint16_t)kp->port;
	del.ifindex = kp->ifindex;
	format_prefix(&del.prefix, pfx, sizeof(pfx));
	snprintf(what, sizeof(what), "sync: peer del %s port %u ifindex %u",
		 pfx, kp->port, kp->ifindex);
	return aonl_call(&sc->g->nl, TCPAO_CMD_PEER_DEL, 0, build_cmd, &del,
			 NULL, NULL, what, NULL);
}

/*
 * Bring the namespace to model @m: limits, then every keychain of the file
 * (each in one step, in the kernel), then the peer policies (deleted,
 * replaced, added), then the keychains the file no longer has.
 */
static int run_sync(struct global *g, const struct sync_model *m,
		    const char *name)
{
	struct sync_ctx sc = { .g = g, .name = name };
	struct sync_plan plan = { 0 };
	uint32_t *ifindex;
	unsigned int i;
	int ret;

	ifindex = calloc(m->n_peers ? m->n_peers : 1, sizeof(*ifindex));
	if (!ifindex) {
		aoctl_err("sync", "out of memory");
		return EXIT_ERR;
	}
	for (i = 0; i < m->n_peers; i++) {
		const struct aoctl_cmd *c = &m->peers[i]->cmd;

		if (!c->has_vrf)
			continue;
		ifindex[i] = if_nametoindex(c->vrf);
		if (!ifindex[i]) {
			err_set_location(name, m->peers[i]->line);
			aoctl_err(c->what, "vrf %s: %s", c->vrf,
				  errno == ENODEV || errno == ENXIO ?
				  "no such device" : strerror(errno));
			err_set_location(NULL, 0);
			free(ifindex);
			return EXIT_ERR;
		}
	}
	ret = ensure_nl(g);
	if (!ret && m->has_limits)
		ret = aonl_request(&g->nl, &m->limits, NULL);
	if (!ret)
		ret = sync_dump(&sc);
	for (i = 0; !ret && i < m->n_kcs; i++) {
		err_set_location(name, m->kcs[i].line);
		ret = sync_keychain(g, &m->kcs[i]);
		err_set_location(NULL, 0);
	}
	if (!ret && sync_plan_make(m, ifindex, &sc.k, &plan)) {
		aoctl_err("sync", "out of memory");
		ret = EXIT_ERR;
	}
	for (i = 0; !ret && i < sc.k.n_peers; i++)
		if (plan.peer_del[i])
			ret = sync_peer_del(&sc, &sc.k.peers[i]);
	for (i = 0; !ret && i < m->n_peers; i++) {
		struct aoctl_cmd c;

		if (plan.peer_act[i] == SYNC_PEER_KEEP)
			continue;
		c = m->peers[i]->cmd;
		c.ifindex = ifindex[i];
		c.replace = plan.peer_act[i] == SYNC_PEER_REPLACE;
		err_set_location(name, m->peers[i]->line);
		ret = aonl_request(&g->nl, &c, NULL);
		err_set_location(NULL, 0);
	}
	for (i = 0; !ret && i < sc.k.n_kcs; i++)
		if (plan.kc_act[i] != SYNC_KC_KEEP)
			ret = sync_keychain_gone(&sc, &sc.k.kcs[i],
						 plan.kc_act[i] == SYNC_KC_EMPTY);
	sync_plan_free(&plan);
	sync_kstate_free(&sc.k);
	free(ifindex);
	return ret;
}

static int run_batch(struct global *g)
{
	bool from_stdin = !strcmp(g->batch, "-");
	const char *name = from_stdin ? "stdin" : g->batch;
	static char iobuf[BUFSIZ];
	struct parse_opts opts = {
		.batch = true,
		.batch_stdin = from_stdin,
		.quiet_usage = true,
		.check = g->check,
		.now = time(NULL),
	};
	struct batch_cmd *cmds = NULL;
	struct sync_model model = { 0 };
	size_t ncmds = 0, cap = 0, i;
	char *line = NULL;
	size_t linecap = 0;
	unsigned int lineno = 0, first = 0;
	bool warned = false, readable;
	char err[ERRLEN];
	struct stat st;
	FILE *fp;
	int ret = EXIT_OK, r;

	fp = from_stdin ? stdin : fopen(g->batch, "re");
	if (!fp) {
		aoctl_err(NULL, "cannot open batch file %s: %s", g->batch,
			  strerror(errno));
		return EXIT_ERR;
	}
	/* Our buffer, so that we can wipe the secrets it held. */
	setvbuf(fp, iobuf, _IOFBF, sizeof(iobuf));
	readable = !from_stdin && fstat(fileno(fp), &st) == 0 &&
		   S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH));
	/* --check: the file says where the secrets are, or holds them. */
	if (g->check && !from_stdin &&
	    check_private_fd(fileno(fp), "file", g->batch, err, sizeof(err))) {
		aoctl_err(NULL, "%s", err);
		ret = EXIT_ERR;
	}

	/* Pass 1: parse and check every command (--check: report every
	 * problem, not just the first).
	 */
	while ((ret == EXIT_OK || g->check) &&
	       batch_read(fp, &line, &linecap, &lineno, &first) >= 0) {
		char *argv[BATCH_MAX_ARGS];
		int argc;

		err_set_location(name, first);
		argc = batch_split(line, argv, BATCH_MAX_ARGS, err, sizeof(err));
		if (argc < 0) {
			aoctl_err(NULL, "%s", err);
			ret = ret ?: EXIT_USAGE;
			continue;
		}
		if (argc == 0)
			continue;
		if (!warned && readable && !g->check &&
		    has_inline_secret(argv, argc)) {
			err_set_location(NULL, 0);
			aoctl_warn("%s holds secrets and is readable by group or others (chmod 600 %s)",
				   g->batch, g->batch);
			err_set_location(name, first);
			warned = true;
		}
		if (ncmds == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct batch_cmd *n = calloc(ncap, sizeof(*n));

			if (!n) {
				aoctl_err(NULL, "out of memory");
				ret = EXIT_ERR;
				break;
			}
			if (cmds) {
				memcpy(n, cmds, ncmds * sizeof(*n));
				explicit_bzero(cmds, ncmds * sizeof(*n));
				free(cmds);
			}
			cmds = n;
			cap = ncap;
		}
		cmds[ncmds].line = first;
		r = aoctl_parse(argc, argv, &cmds[ncmds].cmd, &opts);
		if (!r && cmds[ncmds].cmd.op == OP_MONITOR) {
			aoctl_err("monitor", "cannot be used in a batch");
			r = EXIT_USAGE;
		}
		if (r) {
			/* Nothing of a failed line is used: wipe it now. */
			aoctl_cmd_wipe(&cmds[ncmds].cmd);
			ret = ret ?: r;
			continue;
		}
		ncmds++;
	}
	if (ret == EXIT_OK && ferror(fp)) {
		err_set_location(NULL, 0);
		aoctl_err(NULL, "cannot read batch file %s: %s", name,
			  strerror(errno));
		ret = EXIT_ERR;
	}
	batch_free_line(&line, &linecap);
	if (!from_stdin)
		fclose(fp);
	explicit_bzero(iobuf, sizeof(iobuf));
	err_set_location(NULL, 0);

	/* A sync file as a whole: each keychain with all its keys. */
	if (g->sync && (ret == EXIT_OK || g->check)) {
		r = sync_model_build(&model, cmds, ncmds, name);
		ret = ret ?: r;
	}
	if (g->check) {
		if (ret == EXIT_OK)
			ret = check_report(name, cmds, ncmds);
	} else if (ret == EXIT_OK && g->netns) {
		ret = enter_netns(g->netns);
	}

	/* Pass 2: run them, stopping at the first error. */
	if (ret == EXIT_OK && g->sync && !g->check)
		ret = run_sync(g, &model, name);
	for (i = 0; !g->sync && !g->check && i < ncmds; i++) {
		if (ret == EXIT_OK) {
			/* Netlink problems are not the line's fault. */
			if (cmds[i].cmd.op != OP_HELP)
				ret = ensure_nl(g);
			if (ret == EXIT_OK) {
				err_set_location(name, cmds[i].line);
				ret = run(g, &cmds[i].cmd);
				err_set_location(NULL, 0);
			}
		}
	}
	sync_model_free(&model);
	for (i = 0; i < ncmds; i++)
		aoctl_cmd_wipe(&cmds[i].cmd);
	free(cmds);
	return ret;
}

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "netns", required_argument, NULL, 'n' },
	{ "batch", required_argument, NULL, 'b' },
	{ "sync", no_argument, NULL, 'S' },
	{ "check", no_argument, NULL, 'C' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	struct global g = { 0 };
	struct parse_opts opts = { 0 };
	struct aoctl_cmd cmd;
	int c, ret;

	/* No core dumps or ptrace peeks at the secrets we hold. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	/* '+': options end at the object; "-0700" later is an argument.
	 * getopt_long_only accepts ip-style "-json", "-netns".
	 */
	while ((c = getopt_long_only(argc, argv, "+jpn:b:Vh", long_options,
				     NULL)) != -1) {
		switch (c) {
		case 'j':
			g.json = true;
			break;
		case 'p':
			g.json = true;
			g.pretty = true;
			break;
		case 'n':
			g.netns = optarg;
			break;
		case 'b':
			g.batch = optarg;
			break;
		case 'S':
			g.sync = true;
			break;
		case 'C':
			g.check = true;
			break;
		case 'V':
			printf("aoctl version %s\n", AOCTL_VERSION);
			return fflush(stdout) ? EXIT_ERR : EXIT_OK;
		case 'h':
			print_usage(stdout, NULL);
			return fflush(stdout) ? EXIT_ERR : EXIT_OK;
		default:
			print_usage_short(stderr);
			return EXIT_USAGE;
		}
	}
	out_init(stdout, g.json, g.pretty);

	if ((g.sync || g.check) && !g.batch) {
		aoctl_err(NULL, "--sync and --check work on a batch file (-b FILE)");
		return EXIT_USAGE;
	}
	if (g.batch) {
		if (optind < argc) {
			aoctl_err(NULL, "-b takes no command: '%s'", argv[optind]);
			return EXIT_USAGE;
		}
		ret = run_batch(&g);
		aonl_close(&g.nl);
		return ret;
	}
	if (optind >= argc) {
		print_usage_short(stderr);
		return EXIT_USAGE;
	}

	opts.now = time(NULL);
	ret = aoctl_parse(argc - optind, argv + optind, &cmd, &opts);
	if (ret == EXIT_OK && g.netns && cmd.op != OP_HELP)
		ret = enter_netns(g.netns);
	if (ret == EXIT_OK)
		ret = run(&g, &cmd);
	aoctl_cmd_wipe(&cmd);
	aonl_close(&g.nl);
	return ret;
}
