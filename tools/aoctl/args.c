// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: the command grammar.  Words in, struct aoctl_cmd out; everything
 * that can be checked without the kernel is checked here (the kernel checks
 * it all again).
 *
 * On the command line, objects, commands, keywords and keyword values may
 * be abbreviated to any prefix that begins one word only, as with ip(8):
 * "aoctl k s" is "aoctl keychain show".  Two exceptions, each for a
 * reason: a prefix of both "set" and "show" means show (it changes
 * nothing, and "aoctl k s" is what fingers type), and "flush", which
 * deletes everything without an argument, is never abbreviated.  Batch
 * files spell every word out: a file outlives the grammar, and a prefix
 * that is unique today may become ambiguous when a keyword is added, which
 * would stop the file from applying at boot.
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
	if (ps->opts->quiet_usage)
		return EXIT_USAGE;
	/* No object: the synopsis, not every command (aoctl help). */
	if (ps->object)
		print_usage(efp(), ps->object);
	else
		print_usage_short(efp());
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

static bool is_prefix(const char *w, const char *word)
{
	size_t n = strlen(w);

	return n && n < strlen(word) && !strncmp(w, word, n);
}

static bool in_list(const char *w, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(w, *words))
			return true;
	return false;
}

/* Words that mean the same thing: either may be written. */
static const char *alias_of(const char *word)
{
	if (!strcmp(word, "delete"))
		return "del";
	if (!strcmp(word, "list"))
		return "show";
	return word;
}

/*
 * The keyword that word w stands for among @words (NULL-terminated): w
 * itself when it is one, else the one word it begins (abbreviations, not
 * in batch files).  Returns w unchanged when it begins none, so that the
 * caller's own "unknown ..." message follows, and NULL after an error
 * (*ret set) when it begins several.
 */
static const char *kw_match(struct pstate *ps, const char *w,
			    const char *const *words, int *ret)
{
	const char *meant[2] = { NULL, NULL };
	const char *found = NULL;
	unsigned int i, n = 0;
	char list[ERRLEN] = "";
	size_t len = 0;

	for (i = 0; words[i]; i++)
		if (!strcmp(w, words[i]))
			return words[i];
	for (i = 0; words[i]; i++) {
		if (!is_prefix(w, words[i]))
			continue;
		len += (size_t)snprintf(list + len, len < sizeof(list) ?
					sizeof(list) - len : 0, "%s%s",
					len ? ", " : "", words[i]);
		if (len >= sizeof(list))
			len = sizeof(list) - 1;
		if (!found)
			found = words[i];
		/* Distinct meanings ("del" and "delete" are one). */
		if (n < 2 && (!n || strcmp(meant[0], alias_of(words[i]))))
			meant[n++] = alias_of(words[i]);
		else if (n == 2 && strcmp(meant[0], alias_of(words[i])) &&
			 strcmp(meant[1], alias_of(words[i])))
			n = 3;
	}
	if (!found)
		return w;
	if (ps->opts->batch) {
		snprintf(ps->err, sizeof(ps->err),
			 "'%s': batch files spell keywords out (%s)", w, list);
		*ret = invalid(ps, ps->err);
		return NULL;
	}
	if (n == 1)
		return found;
	/* "s" is show, not set. */
	if (n == 2 && ((!strcmp(meant[0], "set") && !strcmp(meant[1], "show")) ||
		       (!strcmp(meant[0], "show") && !strcmp(meant[1], "set"))))
		return "show";
	snprintf(ps->err, sizeof(ps->err), "'%s' is ambiguous: %s", w, list);
	*ret = invalid(ps, ps->err);
	return NULL;
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
		static const char *const algs[] = {
			"hmac-sha-1-96", "aes-128-cmac-96", NULL
		};

		ret = once(ps, &c->has_alg, kw);
		if (ret)
			return ret;
		val = arg_of(ps, kw, &ret);
		if (!val)
			return ret;
		val = (char *)kw_match(ps, val, algs, &ret);
		if (!val)
			return ret;
		if (parse_alg(val, &c->alg, ps->err, sizeof(ps->err)))
			return invalid(ps, ps->err);
		return 0;
	}
	if (!strcmp(kw, "tcp-ao-option")) {
		static const char *const values[] = {
			"enabled", "disabled", NULL
		};

		ret = once(ps, &c->has_tcp_options, kw);
		if (ret)
			return ret;
		val = arg_of(ps, kw, &ret);
		if (!val)
			return ret;
		val = (char *)kw_match(ps, val, values, &ret);
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
	static const char *const words[] = {
		"key", "tolerance", "secret", "secret-file", "secret-hex",
		"send-id", "recv-id", "cryptographic-algorithm", "start-time",
		"tcp-ao-option", NULL
	};
	struct aoctl_cmd *c = ps->c;
	uint64_t v;
	int ret = 0;

	while (more(ps)) {
		const char *kw = kw_match(ps, next(ps), words, &ret);
		bool matched;

		if (!kw)
			return ret;

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
		static const char *const words[] = { "key", NULL };
		const char *kw = kw_match(ps, next(ps), words, &ret);

		if (!kw)
			return ret;
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

/*
 * keychain show [NAME] [detail].  A keychain name is never taken for an
 * abbreviation: the first word is the name unless it is "detail" in full.
 */
static int keychain_show(struct pstate *ps)
{
	static const char *const words[] = { "detail", NULL };
	struct aoctl_cmd *c = ps->c;
	int ret = 0;

	c->op = OP_KEYCHAIN_SHOW;
	while (more(ps)) {
		const char *w = next(ps);

		if (c->has_keychain || !strcmp(w, "detail")) {
			w = kw_match(ps, w, words, &ret);
			if (!w)
				return ret;
			if (!strcmp(w, "detail")) {
				c->detail = true;
				continue;
			}
			return syntax(ps, "unexpected '%s'", w);
		}
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
	ps->c->has_prefix = true;
	return 0;
}

/* What the words of peer_words() are for. */
enum peer_mode {
	PM_ADD,		/* peer add */
	PM_DEL,		/* peer del: the words of add, flags ignored */
	PM_PEERS,	/* selectors of peer show and stats peer */
	PM_CONNS,	/* selectors of conn show, and detail */
};

static int port_arg(struct pstate *ps, const char *kw)
{
	struct aoctl_cmd *c = ps->c;
	uint64_t v;
	int ret;

	ret = once(ps, &c->has_port, kw);
	if (ret)
		return ret;
	if (peek(ps) && !strcmp(peek(ps), "any")) {
		next(ps);
		c->port = 0;
		return 0;
	}
	ret = num_arg(ps, kw, "port", 1, 65535, &v);
	c->port = (uint16_t)v;
	return ret;
}

/*
 * peer add|del PREFIX ...: the policy.  del takes the words of add, so
 * that an add line turned into a del line works; only prefix, port and
 * VRF identify a policy, the rest is not compared.
 * peer show, stats peer, conn show [PREFIX] [port PORT|any] [vrf DEV]
 * [keychain NAME]: selectors, in any order.
 */
static int peer_words(struct pstate *ps, enum peer_mode mode)
{
	static const char *const words[] = {
		"port", "vrf", "keychain", "allow-without-tcpao",
		"accept-icmps", NULL
	};
	static const char *const sel_words[] = {
		"port", "vrf", "keychain", NULL
	};
	static const char *const conn_words[] = {
		"port", "vrf", "keychain", "detail", NULL
	};
	struct aoctl_cmd *c = ps->c;
	bool policy = mode == PM_ADD || mode == PM_DEL;
	const char *const *list = policy ? words : mode == PM_CONNS ?
				  conn_words : sel_words;
	bool seen_allow = false, seen_icmps = false;
	int ret = 0;

	if (policy) {
		ret = prefix_arg(ps);
		if (ret)
			return ret;
	}
	while (more(ps)) {
		const char *kw = kw_match(ps, next(ps), list, &ret);
		char *val;

		if (!kw)
			return ret;
		if (!in_list(kw, list)) {
			if (policy || !(strchr(kw, ':') || (*kw >= '0' && *kw <= '9')))
				return syntax(ps, "unknown keyword '%s'", kw);
			if (c->has_prefix)
				return syntax(ps, "unexpected '%s': one prefix only", kw);
			ps->i--;
			ret = prefix_arg(ps);
			if (ret)
				return ret;
		} else if (!strcmp(kw, "port")) {
			ret = port_arg(ps, kw);
			if (ret)
				return ret;
		} else if (!strcmp(kw, "vrf")) {
			ret = once(ps, &c->sel_vrf, kw);
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
			c->has_vrf = true;
		} else if (!strcmp(kw, "keychain")) {
			if (c->has_keychain)
				return syntax(ps, "'%s' given twice", kw);
			ret = keychain_arg(ps);
			if (ret)
				return ret;
		} else if (!strcmp(kw, "allow-without-tcpao")) {
			ret = once(ps, &seen_allow, kw);
			if (ret)
				return ret;
			if (mode == PM_ADD)
				c->flags |= TCPAO_F_ALLOW_WITHOUT_AO;
		} else if (!strcmp(kw, "accept-icmps")) {
			ret = once(ps, &seen_icmps, kw);
			if (ret)
				return ret;
			if (mode == PM_ADD)
				c->flags |= TCPAO_F_ACCEPT_ICMPS;
		} else {	/* detail */
			ret = once(ps, &c->detail, kw);
			if (ret)
				return ret;
		}
	}
	/* "vrf default" is the default VRF, as peer show prints it. */
	if (c->has_vrf && !strcmp(c->vrf, "default")) {
		c->has_vrf = false;
		c->vrf[0] = '\0';
	}
	if (mode == PM_ADD && !c->has_keychain)
		return syntax(ps, "missing 'keychain NAME'");
	if (mode == PM_ADD && !c->has_port) {
		char pfx[INET6_ADDRSTRLEN + 8];

		format_prefix(&c->prefix, pfx, sizeof(pfx));
		aoctl_warn("peer add %s: no port: the policy protects every TCP connection to and from %s (SSH and NETCONF too); add 'port 179' for BGP alone, or 'port any' to mean all",
			   pfx, pfx);
	}
	if (mode == PM_ADD)
		c->op = OP_PEER_NEW;
	else if (mode == PM_DEL)
		c->op = OP_PEER_DEL;
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
	static const char *const names[LIMIT_COUNT + 1] = {
		[LIMIT_KEYCHAINS] = "keychains",
		[LIMIT_PEERS] = "peers",
		[LIMIT_CONNS] = "conns",
		[LIMIT_BINDINGS] = "bindings",
	};
	struct aoctl_cmd *c = ps->c;
	bool any = false;
	int ret = 0;

	c->op = OP_LIMITS_SET;
	while (more(ps)) {
		const char *kw = kw_match(ps, next(ps), names, &ret);
		unsigned int l;
		uint64_t v;

		if (!kw)
			return ret;
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

static const char *const objects[] = {
	"keychain", "peer", "conn", "stats", "monitor", "limits", "help", NULL
};

/*
 * The object that word w names, or NULL after an error.  "flush" deletes
 * everything and takes no argument: it is never abbreviated.
 */
static const char *object_of(struct pstate *ps, const char *w, int *ret)
{
	if (!strcmp(w, "flush"))
		return "flush";
	if (is_prefix(w, "flush") && !ps->opts->batch) {
		ps->object = NULL;
		*ret = syntax(ps, "'%s': write flush in full (it deletes every keychain and peer policy)",
			      w);
		return NULL;
	}
	w = kw_match(ps, w, objects, ret);
	if (w && strcmp(w, "help") && !usage_known_object(w)) {
		ps->object = NULL;
		*ret = syntax(ps, "unknown object '%s'", w);
		return NULL;
	}
	return w;
}

/* help [OBJECT]: the word "help" has been read. */
static int help(struct pstate *ps, const char *topic)
{
	int ret = 0;

	if (topic) {
		topic = object_of(ps, topic, &ret);
		if (!topic)
			return ret;
		if (!strcmp(topic, "help"))
			topic = NULL;
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

/* stats [show] [peer [SELECTORS]] | stats help; monitor; flush. */
static int no_verb(struct pstate *ps, const char *object)
{
	static const char *const stats_words[] = {
		"show", "list", "peer", "help", NULL
	};
	static const char *const words[] = { "help", NULL };
	bool stats = !strcmp(object, "stats"), shown = false;
	struct aoctl_cmd *c = ps->c;
	const char *w;
	int ret = 0;

	set_what(ps, object, V_NONE);
	c->op = stats ? OP_STATS : !strcmp(object, "monitor") ? OP_MONITOR :
		OP_FLUSH;
	while (more(ps)) {
		w = kw_match(ps, peek(ps), stats ? stats_words : words, &ret);
		if (!w)
			return ret;
		if (!strcmp(w, "help")) {
			next(ps);
			return help(ps, object);
		}
		/* "stats show" reads naturally too. */
		if (stats && verb_of(w) == V_SHOW && !shown) {
			next(ps);
			shown = true;
			continue;
		}
		if (stats && !strcmp(w, "peer")) {
			next(ps);
			c->op = OP_STATS_PEER;
			snprintf(c->what, sizeof(c->what), "stats peer");
			return peer_words(ps, PM_PEERS);
		}
		return syntax(ps, "unexpected '%s'", peek(ps));
	}
	return 0;
}

int aoctl_parse(int argc, char **argv, struct aoctl_cmd *cmd,
		const struct parse_opts *opts)
{
	static const struct parse_opts defaults;
	static const char *const verbs[] = {
		"add", "set", "del", "delete", "show", "list", "help", NULL
	};
	struct pstate ps = {
		.argc = argc, .argv = argv, .c = cmd,
		.opts = opts ? opts : &defaults,
	};
	const char *object, *w;
	enum verb v;
	int ret = 0;

	memset(cmd, 0, sizeof(*cmd));
	w = next(&ps);
	if (!w) {
		ps.object = NULL;
		return syntax(&ps, "missing object");
	}
	object = object_of(&ps, w, &ret);
	if (!object)
		return ret;
	if (!strcmp(object, "help"))
		return help(&ps, next(&ps));
	ps.object = object;

	if (!strcmp(object, "stats") || !strcmp(object, "monitor") ||
	    !strcmp(object, "flush"))
		return no_verb(&ps, object);

	w = next(&ps);
	if (w) {
		set_what(&ps, object, V_NONE);
		w = kw_match(&ps, w, verbs, &ret);
		if (!w)
			return ret;
	}
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
			return peer_words(&ps, PM_ADD);
		case V_DEL:
			return peer_words(&ps, PM_DEL);
		case V_SHOW:
			cmd->op = OP_PEER_SHOW;
			return peer_words(&ps, PM_PEERS);
		default:
			break;
		}
	} else if (!strcmp(object, "conn")) {
		if (v == V_SHOW) {
			cmd->op = OP_CONN_SHOW;
			return peer_words(&ps, PM_CONNS);
		}
	} else if (!strcmp(object, "limits")) {
		if (v == V_SHOW) {
			cmd->op = OP_LIMITS_SHOW;
			return no_more(&ps);
		}
		if (v == V_SET)
			return limits_set(&ps);
	}
	return syntax(&ps, "'%s %s' is not a command", object, verb_names[v]);
}

void aoctl_cmd_wipe(struct aoctl_cmd *cmd)
{
	secret_wipe(&cmd->secret);
	explicit_bzero(cmd, sizeof(*cmd));
}
