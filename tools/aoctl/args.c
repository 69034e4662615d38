// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: the command grammar.  Words in, struct aoctl_cmd out; everything
 * that can be checked without the kernel is checked here (the kernel checks
 * it all again).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "aoctl.h"
#include "util.h"

struct pstate {
	int argc;
	char **argv;
	int i;				/* next word */
	struct aoctl_cmd *c;
	const struct parse_opts *opts;
	const char *object;		/* for the usage text */
	char err[ERRLEN];
};

static FILE *efp(void)
{
	return err_fp ? err_fp : stderr;
}

/* A syntax error: message, then the usage of the object. */
static int __attribute__((format(printf, 2, 3)))
syntax(struct pstate *ps, const char *fmt, ...)
{
	char msg[ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	aoctl_err(ps->c->what, "%s", msg);
	if (!ps->opts->quiet_usage)
		print_usage(efp(), ps->object);
	return EXIT_USAGE;
}

/* A wrong value: the message says all. */
static int invalid(struct pstate *ps, const char *msg)
{
	aoctl_err(ps->c->what, "%s", msg);
	return EXIT_USAGE;
}

static bool more(const struct pstate *ps)
{
	return ps->i < ps->argc;
}

static char *peek(const struct pstate *ps)
{
	return more(ps) ? ps->argv[ps->i] : NULL;
}

static char *next(struct pstate *ps)
{
	return more(ps) ? ps->argv[ps->i++] : NULL;
}

/* The argument of keyword kw, or NULL after printing the error. */
static char *arg_of(struct pstate *ps, const char *kw, int *ret)
{
	char *v = next(ps);

	if (!v)
		*ret = syntax(ps, "missing argument after '%s'", kw);
	return v;
}

static int once(struct pstate *ps, bool *seen, const char *kw)
{
	if (*seen)
		return syntax(ps, "'%s' given twice", kw);
	*seen = true;
	return 0;
}

static int num_arg(struct pstate *ps, const char *kw, const char *what,
		   uint64_t min, uint64_t max, uint64_t *out)
{
	int ret = 0;
	char *v = arg_of(ps, kw, &ret);

	if (!v)
		return ret;
	if (parse_num(what, v, min, max, out, ps->err, sizeof(ps->err)))
		return invalid(ps, ps->err);
	return 0;
}

static int keychain_arg(struct pstate *ps)
{
	char *v = next(ps);

	if (!v)
		return syntax(ps, "missing keychain name");
	if (parse_keychain_name(v, ps->c->keychain, ps->err, sizeof(ps->err)))
		return invalid(ps, ps->err);
	ps->c->has_keychain = true;
	return 0;
}

static void secret_on_cmdline_warning(const struct pstate *ps)
{
	if (!ps->opts->batch)
		aoctl_warn("a secret on the command line may be recorded in the shell history and is visible to other users while aoctl runs; prefer secret-file PATH or secret-file -");
}

/*
 * One key attribute: secret*, send-id, recv-id, cryptographic-algorithm,
 * start-time, tcp-ao-option.  *matched tells whether kw was one.
 */
static int key_attr(struct pstate *ps, const char *kw, bool *matched)
{
	struct aoctl_cmd *c = ps->c;
	uint64_t v = 0;
	char *val;
	int ret = 0;

	*matched = true;
	if (!strcmp(kw, "secret") || !strcmp(kw, "secret-hex") ||
	    !strcmp(kw, "secret-file")) {
		if (c->has_secret)
			return syntax(ps, "only one of secret, secret-file and secret-hex may be given");
		val = arg_of(ps, kw, &ret);
		if (!val)
			return ret;
		if (!strcmp(kw, "secret-file")) {
			if (!strcmp(val, "-") && ps->opts->batch_stdin)
				return invalid(ps, "secret-file - cannot be used when the batch is read from standard input");
			/* --check: the file must be private too. */
			ret = ps->opts->check ?
			      secret_from_private_file(val, &c->secret,
						       ps->err,
						       sizeof(ps->err)) :
			      secret_from_file(val, &c->secret, ps->err,
					       sizeof(ps->err));
		} else {
			secret_on_cmdline_warning(ps);
			if (!strcmp(kw, "secret"))
				ret = secret_from_string(val, &c->secret, ps->err,
							 sizeof(ps->err));
			else
				ret = secret_from_hex(val, &c->secret, ps->err,
						      sizeof(ps->err));
			/* Out of argv (and /proc/PID/cmdline) right away. */
			explicit_bzero(val, strlen(val));
		}
		if (ret == -EINVAL)
			return invalid(ps, ps->err);
		if (ret) {
			aoctl_err(c->what, "%s", ps->err);
			return EXIT_ERR;
		}
		c->has_secret = true;
		return 0;
	}
	if (!strcmp(kw, "send-id")) {
		ret = once(ps, &c->has_send_id, kw);
		if (!ret)
			ret = num_arg(ps, kw, "send-id", 0, 255, &v);
		c->send_id = (uint8_t)v;
		return ret;
	}
	if (!strcmp(kw, "recv-id")) {
		ret = once(ps, &c->has_recv_id, kw);
		if (!ret)
			ret = num_arg(ps, kw, "recv-id", 0, 255, &v);
		c->recv_id = (uint8_t)v;
		return ret;
	}
	if (!strcmp(kw, "cryptographic-algorithm")) {
		ret = once(ps, &c->has_alg, kw);
		if (ret)
			return ret;
		val = arg_of(ps, kw, &ret);
		if (!val)
			return ret;
		if (parse_alg(val, &c->alg, ps->err, sizeof(ps->err)))
			return invalid(ps, ps->err);
		return 0;
	}
	if (!strcmp(kw, "tcp-ao-option")) {
		ret = once(ps, &c->has_tcp_options, kw);
		if (ret)
			return ret;
		val = arg_of(ps, kw, &ret);
		if (!val)
			return ret;
		if (parse_enabled(kw, val, &c->tcp_options, ps->err,
				  sizeof(ps->err)))
			return invalid(ps, ps->err);
		return 0;
	}
	if (!strcmp(kw, "start-time")) {
		const char *offset = NULL;

		ret = once(ps, &c->has_start_time, kw);
		if (ret)
			return ret;
		val = arg_of(ps, kw, &ret);
		if (!val)
			return ret;
		if (is_utc_offset(peek(ps)))
			offset = next(ps);
		if (parse_start_time(val, offset, ps->opts->now, &c->start_time,
				     ps->err, sizeof(ps->err)))
			return invalid(ps, ps->err);
		return 0;
	}
	*matched = false;
	return 0;
}

static bool any_key_attr(const struct aoctl_cmd *c)
{
	return c->has_secret || c->has_send_id || c->has_recv_id ||
	       c->has_alg || c->has_tcp_options || c->has_start_time;
}

/* keychain add|set NAME ...: the words after NAME, in any order. */
static int keychain_words(struct pstate *ps)
{
	struct aoctl_cmd *c = ps->c;
	uint64_t v;
	int ret;

	while (more(ps)) {
		char *kw = next(ps);
		bool matched;

		if (!strcmp(kw, "key")) {
			ret = once(ps, &c->has_key_id, kw);
			if (!ret)
				ret = num_arg(ps, kw, "key ID", 0,
					      TCPAO_KEY_ID_MAX, &v);
			if (ret)
				return ret;
			c->key_id = (uint8_t)v;
			continue;
		}
		if (!strcmp(kw, "tolerance")) {
			ret = once(ps, &c->has_tolerance, kw);
			if (!ret)
				ret = num_arg(ps, kw, "tolerance", 0,
					      TCPAO_TOLERANCE_MAX, &v);
			if (ret)
				return ret;
			c->tolerance = (uint32_t)v;
			continue;
		}
		ret = key_attr(ps, kw, &matched);
		if (ret)
			return ret;
		if (!matched)
			return syntax(ps, "unknown keyword '%s'", kw);
	}
	if (c->has_tolerance && (c->has_key_id || any_key_attr(c)))
		return syntax(ps, "tolerance is a keychain setting: give it alone ('aoctl keychain set %s tolerance SECONDS')",
			      c->keychain);
	if (!c->has_key_id && any_key_attr(c))
		return syntax(ps, "missing 'key ID': the key attributes belong to a key");
	return 0;
}

static int keychain_add(struct pstate *ps)
{
	struct aoctl_cmd *c = ps->c;
	int ret;

	ret = keychain_arg(ps);
	if (!ret)
		ret = keychain_words(ps);
	if (ret)
		return ret;
	if (!c->has_key_id) {
		c->op = OP_KEYCHAIN_NEW;
		return 0;
	}
	if (!c->has_secret)
		return syntax(ps, "missing secret (secret STRING, secret-file PATH or secret-hex HEX)");
	if (!c->has_send_id)
		return syntax(ps, "missing 'send-id N'");
	if (!c->has_recv_id)
		return syntax(ps, "missing 'recv-id N'");
	/* Explicit defaults: what the operator sees in the man page is what
	 * the kernel gets.  The start time stays absent: the kernel uses now.
	 */
	if (!c->has_alg) {
		c->has_alg = true;
		c->alg = TCPAO_ALG_HMAC_SHA1_96;
	}
	if (!c->has_tcp_options) {
		c->has_tcp_options = true;
		c->tcp_options = 0;
	}
	c->op = OP_KEY_NEW;
	return 0;
}

static int keychain_set(struct pstate *ps)
{
	struct aoctl_cmd *c = ps->c;
	int ret;

	ret = keychain_arg(ps);
	if (!ret)
		ret = keychain_words(ps);
	if (ret)
		return ret;
	if (c->has_tolerance) {
		c->op = OP_KEYCHAIN_SET;
		return 0;
	}
	if (!c->has_key_id)
		return syntax(ps, "missing 'key ID ...' or 'tolerance SECONDS'");
	if (!any_key_attr(c))
		return syntax(ps, "nothing to set for key %u", c->key_id);
	c->op = OP_KEY_SET;
	return 0;
}

static int keychain_del(struct pstate *ps)
{
	struct aoctl_cmd *c = ps->c;
	uint64_t v;
	int ret;

	ret = keychain_arg(ps);
	if (ret)
		return ret;
	c->op = OP_KEYCHAIN_DEL;
	while (more(ps)) {
		char *kw = next(ps);

		if (strcmp(kw, "key"))
			return syntax(ps, "unknown keyword '%s'", kw);
		ret = once(ps, &c->has_key_id, kw);
		if (!ret)
			ret = num_arg(ps, kw, "key ID", 0, TCPAO_KEY_ID_MAX, &v);
		if (ret)
			return ret;
		c->key_id = (uint8_t)v;
		c->op = OP_KEY_DEL;
	}
	return 0;
}

static int keychain_show(struct pstate *ps)
{
	struct aoctl_cmd *c = ps->c;

	c->op = OP_KEYCHAIN_SHOW;
	while (more(ps)) {
		char *w = next(ps);

		if (!strcmp(w, "detail")) {
			c->detail = true;
			continue;
		}
		if (c->has_keychain)
			return syntax(ps, "unexpected '%s'", w);
		if (parse_keychain_name(w, c->keychain, ps->err,
					sizeof(ps->err)))
			return invalid(ps, ps->err);
		c->has_keychain = true;
	}
	return 0;
}

static int prefix_arg(struct pstate *ps)
{
	char *v = next(ps);

	if (!v)
		return syntax(ps, "missing prefix");
	if (parse_prefix(v, &ps->c->prefix, ps->err, sizeof(ps->err)))
		return invalid(ps, ps->err);
	return 0;
}

/* peer add|del PREFIX ...; add allows more keywords. */
static int peer_words(struct pstate *ps, bool add)
{
	struct aoctl_cmd *c = ps->c;
	bool seen_allow = false, seen_icmps = false;
	uint64_t v;
	int ret;

	ret = prefix_arg(ps);
	if (ret)
		return ret;
	while (more(ps)) {
		char *kw = next(ps);
		char *val;

		if (!strcmp(kw, "port")) {
			ret = once(ps, &c->has_port, kw);
			if (!ret)
				ret = num_arg(ps, kw, "port", 1, 65535, &v);
			if (ret)
				return ret;
			c->port = (uint16_t)v;
		} else if (!strcmp(kw, "vrf")) {
			ret = once(ps, &c->has_vrf, kw);
			if (ret)
				return ret;
			val = arg_of(ps, kw, &ret);
			if (!val)
				return ret;
			if (!*val || strlen(val) >= sizeof(c->vrf) ||
			    strchr(val, '/')) {
				snprintf(ps->err, sizeof(ps->err),
					 "vrf '%s' is not a valid device name", val);
				return invalid(ps, ps->err);
			}
			strcpy(c->vrf, val);
		} else if (add && !strcmp(kw, "keychain")) {
			if (c->has_keychain)
				return syntax(ps, "'%s' given twice", kw);
			ret = keychain_arg(ps);
			if (ret)
				return ret;
		} else if (add && !strcmp(kw, "allow-without-tcpao")) {
			ret = once(ps, &seen_allow, kw);
			if (ret)
				return ret;
			c->flags |= TCPAO_F_ALLOW_WITHOUT_AO;
		} else if (add && !strcmp(kw, "accept-icmps")) {
			ret = once(ps, &seen_icmps, kw);
			if (ret)
				return ret;
			c->flags |= TCPAO_F_ACCEPT_ICMPS;
		} else {
			return syntax(ps, "unknown keyword '%s'", kw);
		}
	}
	/* "vrf default" is the default VRF, as peer show prints it. */
	if (c->has_vrf && !strcmp(c->vrf, "default")) {
		c->has_vrf = false;
		c->vrf[0] = '\0';
	}
	if (add && !c->has_keychain)
		return syntax(ps, "missing 'keychain NAME'");
	c->op = add ? OP_PEER_NEW : OP_PEER_DEL;
	return 0;
}

static int no_more(struct pstate *ps)
{
	if (more(ps))
		return syntax(ps, "unexpected '%s'", peek(ps));
	return 0;
}

static int limits_set(struct pstate *ps)
{
	static const char *const names[LIMIT_COUNT] = {
		[LIMIT_KEYCHAINS] = "keychains",
		[LIMIT_PEERS] = "peers",
		[LIMIT_CONNS] = "conns",
		[LIMIT_BINDINGS] = "bindings",
	};
	struct aoctl_cmd *c = ps->c;
	bool any = false;

	c->op = OP_LIMITS_SET;
	while (more(ps)) {
		char *kw = next(ps);
		unsigned int l;
		uint64_t v;
		int ret;

		for (l = 0; l < LIMIT_COUNT; l++)
			if (!strcmp(kw, names[l]))
				break;
		if (l == LIMIT_COUNT)
			return syntax(ps, "unknown keyword '%s'", kw);
		ret = once(ps, &c->has_limit[l], kw);
		if (!ret)
			ret = num_arg(ps, kw, names[l], 0, UINT32_MAX, &v);
		if (ret)
			return ret;
		c->limit[l] = (uint32_t)v;
		any = true;
	}
	if (!any)
		return syntax(ps, "nothing to set");
	return 0;
}

enum verb { V_NONE, V_ADD, V_SET, V_DEL, V_SHOW, V_HELP, V_UNKNOWN };

static enum verb verb_of(const char *w)
{
	if (!w)
		return V_NONE;
	if (!strcmp(w, "add"))
		return V_ADD;
	if (!strcmp(w, "set"))
		return V_SET;
	if (!strcmp(w, "del") || !strcmp(w, "delete"))
		return V_DEL;
	if (!strcmp(w, "show") || !strcmp(w, "list"))
		return V_SHOW;
	if (!strcmp(w, "help"))
		return V_HELP;
	return V_UNKNOWN;
}

static int help(struct pstate *ps, const char *topic)
{
	if (topic && !usage_known_object(topic)) {
		ps->object = NULL;
		return syntax(ps, "unknown object '%s'", topic);
	}
	ps->c->op = OP_HELP;
	snprintf(ps->c->help_topic, sizeof(ps->c->help_topic), "%s",
		 topic ? topic : "");
	return no_more(ps);
}

static const char *const verb_names[] = {
	[V_ADD] = "add", [V_SET] = "set", [V_DEL] = "del", [V_SHOW] = "show",
};

/* ps->c->what = "OBJECT VERB" */
static void set_what(struct pstate *ps, const char *object, enum verb v)
{
	char *what = ps->c->what;
	size_t len = sizeof(ps->c->what);

	if (v >= V_ADD && v <= V_SHOW)
		snprintf(what, len, "%s %s", object, verb_names[v]);
	else
		snprintf(what, len, "%s", object);
}

int aoctl_parse(int argc, char **argv, struct aoctl_cmd *cmd,
		const struct parse_opts *opts)
{
	static const struct parse_opts defaults;
	struct pstate ps = {
		.argc = argc, .argv = argv, .c = cmd,
		.opts = opts ? opts : &defaults,
	};
	const char *object;
	char *w;
	enum verb v;
	int ret;

	memset(cmd, 0, sizeof(*cmd));
	object = next(&ps);
	if (!object) {
		ps.object = NULL;
		return syntax(&ps, "missing object");
	}
	if (!strcmp(object, "help"))
		return help(&ps, next(&ps));
	if (!usage_known_object(object)) {
		ps.object = NULL;
		return syntax(&ps, "unknown object '%s'", object);
	}
	ps.object = object;

	if (!strcmp(object, "stats") || !strcmp(object, "monitor") ||
	    !strcmp(object, "flush")) {
		w = peek(&ps);
		if (w && !strcmp(w, "help"))
			return help(&ps, object);
		/* "stats show" reads naturally too. */
		if (w && !strcmp(object, "stats") && verb_of(w) == V_SHOW)
			next(&ps);
		set_what(&ps, object, V_NONE);
		cmd->op = !strcmp(object, "stats") ? OP_STATS :
			  !strcmp(object, "monitor") ? OP_MONITOR : OP_FLUSH;
		return no_more(&ps);
	}

	w = next(&ps);
	v = verb_of(w);
	if (v == V_HELP)
		return help(&ps, object);
	if (v == V_NONE)
		v = V_SHOW;	/* "aoctl peer" = "aoctl peer show", as ip */
	set_what(&ps, object, v == V_UNKNOWN ? V_NONE : v);
	if (v == V_UNKNOWN)
		return syntax(&ps, "unknown command '%s'", w);

	if (!strcmp(object, "keychain")) {
		switch (v) {
		case V_ADD:
			return keychain_add(&ps);
		case V_SET:
			return keychain_set(&ps);
		case V_DEL:
			return keychain_del(&ps);
		default:
			return keychain_show(&ps);
		}
	}
	if (!strcmp(object, "peer")) {
		switch (v) {
		case V_ADD:
			return peer_words(&ps, true);
		case V_DEL:
			return peer_words(&ps, false);
		case V_SHOW:
			cmd->op = OP_PEER_SHOW;
			return no_more(&ps);
		default:
			break;
		}
	} else if (!strcmp(object, "conn")) {
		if (v == V_SHOW) {
			cmd->op = OP_CONN_SHOW;
			w = peek(&ps);
			if (w && !strcmp(w, "detail")) {
				next(&ps);
				cmd->detail = true;
			}
			return no_more(&ps);
		}
	} else if (!strcmp(object, "limits")) {
		if (v == V_SHOW) {
			cmd->op = OP_LIMITS_SHOW;
			return no_more(&ps);
		}
		if (v == V_SET)
			return limits_set(&ps);
	}
	ret = syntax(&ps, "'%s %s' is not a command", object, w);
	return ret;
}

void aoctl_cmd_wipe(struct aoctl_cmd *cmd)
{
	secret_wipe(&cmd->secret);
	explicit_bzero(cmd, sizeof(*cmd));
}
