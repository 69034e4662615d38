// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: configure tcpao (TCP-AO, RFC 5925/5926) keychains, peer policies
 * and limits, and show connections, counters and events.
 *
 *	aoctl [OPTIONS] OBJECT { COMMAND | help }
 *	aoctl [OPTIONS] -b FILE
 *
 * Every command is parsed and checked completely before the first netlink
 * message is sent; a batch file is parsed completely before its first
 * command runs.
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
#include "util.h"
#include "version.h"

struct global {
	bool json;
	bool pretty;
	const char *netns;
	const char *batch;
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

struct batch_cmd {
	unsigned int line;
	struct aoctl_cmd cmd;
};

static int run_batch(struct global *g)
{
	bool from_stdin = !strcmp(g->batch, "-");
	const char *name = from_stdin ? "stdin" : g->batch;
	static char iobuf[BUFSIZ];
	struct parse_opts opts = {
		.batch = true,
		.batch_stdin = from_stdin,
		.quiet_usage = true,
		.now = time(NULL),
	};
	struct batch_cmd *cmds = NULL;
	size_t ncmds = 0, cap = 0, i;
	char *line = NULL;
	size_t linecap = 0;
	unsigned int lineno = 0, first = 0;
	bool warned = false, readable;
	struct stat st;
	FILE *fp;
	int ret = EXIT_OK;

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

	/* Pass 1: parse and check every command. */
	while (batch_read(fp, &line, &linecap, &lineno, &first) >= 0) {
		char *argv[BATCH_MAX_ARGS];
		char err[ERRLEN];
		int argc;

		err_set_location(name, first);
		argc = batch_split(line, argv, BATCH_MAX_ARGS, err, sizeof(err));
		if (argc < 0) {
			aoctl_err(NULL, "%s", err);
			ret = EXIT_USAGE;
			break;
		}
		if (argc == 0)
			continue;
		if (!warned && readable && has_inline_secret(argv, argc)) {
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
		ret = aoctl_parse(argc, argv, &cmds[ncmds].cmd, &opts);
		ncmds++;
		if (ret)
			break;
		if (cmds[ncmds - 1].cmd.op == OP_MONITOR) {
			aoctl_err("monitor", "cannot be used in a batch");
			ret = EXIT_USAGE;
			break;
		}
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

	/* Pass 2: run them, stopping at the first error. */
	if (ret == EXIT_OK && g->netns)
		ret = enter_netns(g->netns);
	for (i = 0; i < ncmds; i++) {
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
		aoctl_cmd_wipe(&cmds[i].cmd);
	}
	free(cmds);
	return ret;
}

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "netns", required_argument, NULL, 'n' },
	{ "batch", required_argument, NULL, 'b' },
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
