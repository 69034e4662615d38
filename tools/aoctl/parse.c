// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: parsing and formatting of values (numbers, names, start times,
 * secrets, prefixes) and the names of the header's enums.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"
#include "util.h"

#define seterr(...) snprintf(err, errlen, __VA_ARGS__)

int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		d = (unsigned int)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_num(const char *what, const char *s, uint64_t min, uint64_t max,
	      uint64_t *out, char *err, size_t errlen)
{
	uint64_t v;
	int ret = parse_u64(s, UINT64_MAX, &v);

	if (ret == -EINVAL) {
		seterr("%s '%s' is not a number", what, s);
		return -EINVAL;
	}
	if (ret == -ERANGE || v < min || v > max) {
		if (ret == -ERANGE)
			seterr("%s %s is out of range (%" PRIu64 "-%" PRIu64 ")",
			       what, s, min, max);
		else
			seterr("%s %" PRIu64 " is out of range (%" PRIu64 "-%"
			       PRIu64 ")", what, v, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int parse_keychain_name(const char *s, char *out, char *err, size_t errlen)
{
	size_t n = strlen(s);
	size_t i;

	if (n == 0) {
		seterr("keychain name is empty");
		return -EINVAL;
	}
	if (n >= TCPAO_KEYCHAIN_NAME_LEN) {
		seterr("keychain name is %zu characters long; the maximum is %d",
		       n, TCPAO_KEYCHAIN_NAME_LEN - 1);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e) {
			seterr("keychain name contains a non-printable character");
			return -EINVAL;
		}
	}
	memcpy(out, s, n + 1);
	return 0;
}

static const char *const alg_names[] = {
	[TCPAO_ALG_HMAC_SHA1_96] = "hmac-sha-1-96",
	[TCPAO_ALG_AES_128_CMAC_96] = "aes-128-cmac-96",
};

int parse_alg(const char *s, uint8_t *alg, char *err, size_t errlen)
{
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(alg_names); i++) {
		if (alg_names[i] && !strcmp(s, alg_names[i])) {
			*alg = (uint8_t)i;
			return 0;
		}
	}
	seterr("unknown cryptographic-algorithm '%s' (hmac-sha-1-96 or aes-128-cmac-96)",
	       s);
	return -EINVAL;
}

const char *alg_name(unsigned int alg)
{
	if (alg < ARRAY_SIZE(alg_names) && alg_names[alg])
		return alg_names[alg];
	return NULL;
}

int parse_enabled(const char *what, const char *s, uint8_t *out,
		  char *err, size_t errlen)
{
	if (!strcmp(s, "enabled")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(s, "disabled")) {
		*out = 0;
		return 0;
	}
	seterr("%s must be 'enabled' or 'disabled', not '%s'", what, s);
	return -EINVAL;
}

/* ---- Time ---- */

bool is_leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned int days_in_month(int64_t y, unsigned int m)
{
	static const unsigned char mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap_year(y))
		return 29;
	return mdays[m - 1];
}

/* H. Hinnant's days_from_civil, for any proleptic Gregorian date. */
int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* @minlen to @maxlen decimal digits into *v; NULL if there are more or fewer. */
static const char *scan_digits(const char *p, unsigned int minlen,
			       unsigned int maxlen, unsigned int *v)
{
	unsigned int n = 0, val = 0;

	while (n < maxlen && isdigit((unsigned char)p[n])) {
		val = val * 10 + (unsigned int)(p[n] - '0');
		n++;
	}
	if (n < minlen || isdigit((unsigned char)p[n]))
		return NULL;
	*v = val;
	return p + n;
}

/* Exactly two digits, whatever follows ("+0130"). */
static const char *scan2(const char *p, unsigned int *v)
{
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return NULL;
	*v = (unsigned int)(p[0] - '0') * 10 + (unsigned int)(p[1] - '0');
	return p + 2;
}

/* Parse a UTC offset into seconds east of UTC.  -EINVAL if malformed. */
static int parse_offset(const char *s, int *secs)
{
	unsigned int hh, mm;
	const char *p;
	int sign;

	if (!strcmp(s, "UTC") || !strcmp(s, "GMT") || !strcmp(s, "Z") ||
	    !strcmp(s, "+0000") || !strcmp(s, "-0000")) {
		*secs = 0;
		return 0;
	}
	if (s[0] != '+' && s[0] != '-')
		return -EINVAL;
	sign = s[0] == '-' ? -1 : 1;
	p = scan2(s + 1, &hh);
	if (!p)
		return -EINVAL;
	if (*p == ':')
		p++;
	p = scan2(p, &mm);
	if (!p || *p)
		return -EINVAL;
	if (hh > 23 || mm > 59)
		return -ERANGE;
	*secs = sign * (int)(hh * 3600 + mm * 60);
	return 0;
}

bool is_utc_offset(const char *s)
{
	if (!s)
		return false;
	if (!strcmp(s, "UTC") || !strcmp(s, "GMT") || !strcmp(s, "Z"))
		return true;
	/* Malformed offsets count too: parse_start_time() explains them. */
	return (s[0] == '+' || s[0] == '-') && isdigit((unsigned char)s[1]);
}

#define TIME_SYNTAX "expected YYYY-MM-DD.HH:MM[:SS] [+HHMM|-HHMM]"

int parse_start_time(const char *spec, const char *offset, int64_t now,
		     int64_t *out, char *err, size_t errlen)
{
	unsigned int y, mo, d, h, mi, s = 0;
	const char *p = spec;
	char offbuf[16];
	int off = 0, ret;
	int64_t t;

	if (!strcmp(spec, "now")) {
		if (offset) {
			seterr("start-time now takes no UTC offset");
			return -EINVAL;
		}
		*out = now;
		return 0;
	}

	p = scan_digits(p, 4, 4, &y);
	if (!p || *p++ != '-')
		goto syntax;
	p = scan_digits(p, 1, 2, &mo);
	if (!p || *p++ != '-')
		goto syntax;
	p = scan_digits(p, 1, 2, &d);
	if (!p || (*p != '.' && *p != 'T'))
		goto syntax;
	p = scan_digits(p + 1, 1, 2, &h);
	if (!p || *p++ != ':')
		goto syntax;
	p = scan_digits(p, 2, 2, &mi);
	if (!p)
		goto syntax;
	if (*p == ':') {
		p = scan_digits(p + 1, 2, 2, &s);
		if (!p)
			goto syntax;
	}
	/* An offset inside the same word: "2011-6-23.20:19:00 -0700"
	 * (Junos quotes it so) or ISO "...Z".
	 */
	if (*p == 'Z' && !p[1]) {
		p++;
	} else if (*p == ' ' || *p == '\t') {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == 0 || n >= sizeof(offbuf) || p[n + strspn(p + n, " \t")])
			goto syntax;
		if (offset) {
			seterr("invalid start-time '%s': two UTC offsets", spec);
			return -EINVAL;
		}
		memcpy(offbuf, p, n);
		offbuf[n] = '\0';
		offset = offbuf;
		p += n;
	} else if (*p == '+' || *p == '-') {
		size_t n = strlen(p);

		if (offset || n >= sizeof(offbuf))
			goto syntax;
		memcpy(offbuf, p, n + 1);
		offset = offbuf;
		p += n;
	}
	if (*p)
		goto syntax;

	if (y < 1970) {
		seterr("invalid start-time '%s': year %u is before 1970", spec, y);
		return -EINVAL;
	}
	if (mo < 1 || mo > 12) {
		seterr("invalid start-time '%s': month %u is out of range (1-12)",
		       spec, mo);
		return -EINVAL;
	}
	if (d < 1 || d > days_in_month(y, mo)) {
		seterr("invalid start-time '%s': day %u is out of range (%04u-%02u has %u days)",
		       spec, d, y, mo, days_in_month(y, mo));
		return -EINVAL;
	}
	if (h > 23) {
		seterr("invalid start-time '%s': hour %u is out of range (0-23)",
		       spec, h);
		return -EINVAL;
	}
	if (mi > 59) {
		seterr("invalid start-time '%s': minute %u is out of range (0-59)",
		       spec, mi);
		return -EINVAL;
	}
	if (s > 59) {
		seterr("invalid start-time '%s': second %u is out of range (0-59)",
		       spec, s);
		return -EINVAL;
	}
	if (offset) {
		ret = parse_offset(offset, &off);
		if (ret == -ERANGE) {
			seterr("invalid UTC offset '%s': hours 00-23, minutes 00-59",
			       offset);
			return -EINVAL;
		}
		if (ret) {
			seterr("invalid UTC offset '%s': expected +HHMM or -HHMM",
			       offset);
			return -EINVAL;
		}
	}

	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	/* Local time = UTC + offset. */
	t -= off;
	if (t < 0) {
		seterr("invalid start-time '%s': before 1970-01-01.00:00:00 UTC",
		       spec);
		return -EINVAL;
	}
	*out = t;
	return 0;

syntax:
	seterr("invalid start-time '%s': " TIME_SYNTAX, spec);
	return -EINVAL;
}

void format_time_utc(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if ((int64_t)tt != t || !gmtime_r(&tt, &tm)) {
		snprintf(buf, len, "@%" PRId64, t);
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02d.%02d:%02d:%02d UTC",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void format_transition(int64_t secs, char *buf, size_t len)
{
	uint64_t v = secs < 0 ? 0 : (uint64_t)secs;
	uint64_t days = v / 86400;
	unsigned int h = (unsigned int)(v % 86400 / 3600);
	unsigned int m = (unsigned int)(v % 3600 / 60);
	unsigned int s = (unsigned int)(v % 60);

	if (days)
		snprintf(buf, len, "%" PRIu64 "d %02u:%02u:%02u", days, h, m, s);
	else
		snprintf(buf, len, "%02u:%02u:%02u", h, m, s);
}

/* ---- Secrets ---- */

void secret_wipe(struct aoctl_secret *s)
{
	explicit_bzero(s, sizeof(*s));
}

int secret_from_string(const char *s, struct aoctl_secret *out,
		       char *err, size_t errlen)
{
	size_t n = strlen(s);

	if (n < TCPAO_SECRET_MIN) {
		seterr("secret is empty");
		return -EINVAL;
	}
	if (n > TCPAO_SECRET_MAX) {
		seterr("secret is %zu bytes long; the maximum is %d", n,
		       TCPAO_SECRET_MAX);
		return -EINVAL;
	}
	memcpy(out->buf, s, n);
	out->len = n;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int secret_from_hex(const char *s, struct aoctl_secret *out,
		    char *err, size_t errlen)
{
	size_t n, i;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (n == 0) {
		seterr("secret-hex is empty");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (hexval((unsigned char)s[i]) < 0) {
			/* Never echo the secret, not even the bad digit. */
			seterr("secret-hex contains a character that is not a hex digit (position %zu)",
			       i + 1);
			return -EINVAL;
		}
	}
	if (n % 2) {
		seterr("secret-hex has an odd number of hex digits (%zu)", n);
		return -EINVAL;
	}
	if (n / 2 > TCPAO_SECRET_MAX) {
		seterr("secret-hex is %zu bytes long; the maximum is %d", n / 2,
		       TCPAO_SECRET_MAX);
		return -EINVAL;
	}
	for (i = 0; i < n / 2; i++)
		out->buf[i] = (uint8_t)(hexval((unsigned char)s[2 * i]) << 4 |
					hexval((unsigned char)s[2 * i + 1]));
	out->len = n / 2;
	return 0;
}

int secret_from_fd(int fd, const char *name, struct aoctl_secret *out,
		   char *err, size_t errlen)
{
	/* One byte for a trailing newline, one to detect "too long". */
	uint8_t buf[TCPAO_SECRET_MAX + 2];
	struct termios old, noecho;
	bool tty = isatty(fd);
	bool restore = false;
	size_t n = 0;
	int ret = 0;

	if (tty) {
		if (tcgetattr(fd, &old) == 0) {
			noecho = old;
			noecho.c_lflag &= ~(tcflag_t)ECHO;
			noecho.c_lflag |= ECHONL;
			restore = tcsetattr(fd, TCSAFLUSH, &noecho) == 0;
		}
		fputs("Secret: ", stderr);
		fflush(stderr);
	}
	while (n < sizeof(buf)) {
		ssize_t r = read(fd, buf + n, tty ? 1 : sizeof(buf) - n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			seterr("cannot read the secret from %s: %s", name,
			       strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (tty && buf[n - 1] == '\n')
			break;
	}
	if (n == sizeof(buf)) {
		seterr("the secret in %s is longer than %d bytes", name,
		       TCPAO_SECRET_MAX);
		ret = -EINVAL;
		goto out;
	}
	if (n && buf[n - 1] == '\n')
		n--;
	if (n < TCPAO_SECRET_MIN) {
		seterr("the secret in %s is empty", name);
		ret = -EINVAL;
		goto out;
	}
	if (n > TCPAO_SECRET_MAX) {
		seterr("the secret in %s is longer than %d bytes", name,
		       TCPAO_SECRET_MAX);
		ret = -EINVAL;
		goto out;
	}
	memcpy(out->buf, buf, n);
	out->len = n;
out:
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

int check_private_fd(int fd, const char *what, const char *path,
		     char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		seterr("%s %s: %s", what, path, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		seterr("%s %s is not a regular file", what, path);
		return -EACCES;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		seterr("%s %s is not owned by root (chown root: %s)", what, path,
		       path);
		return -EACCES;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		seterr("%s %s is accessible by group or others: mode %o (chmod 600 %s)",
		       what, path, (unsigned int)(st.st_mode & 07777), path);
		return -EACCES;
	}
	return 0;
}

static int secret_from_path(const char *path, bool private,
			    struct aoctl_secret *out, char *err, size_t errlen)
{
	struct stat st;
	int fd, ret;

	if (!strcmp(path, "-")) {
		if (private) {
			seterr("secret-file - (standard input) cannot be checked");
			return -EINVAL;
		}
		return secret_from_fd(STDIN_FILENO, "standard input", out, err,
				      errlen);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		seterr("cannot open secret-file %s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		seterr("cannot read secret-file %s: %s", path, strerror(EISDIR));
		return -EISDIR;
	}
	if (private) {
		ret = check_private_fd(fd, "secret-file", path, err, errlen);
		if (ret) {
			close(fd);
			return ret;
		}
	} else if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH))) {
		aoctl_warn("secret-file %s is readable by group or others (chmod 600 %s)",
			   path, path);
	}
	ret = secret_from_fd(fd, path, out, err, errlen);
	close(fd);
	return ret;
}

int secret_from_file(const char *path, struct aoctl_secret *out,
		     char *err, size_t errlen)
{
	return secret_from_path(path, false, out, err, errlen);
}

int secret_from_private_file(const char *path, struct aoctl_secret *out,
			     char *err, size_t errlen)
{
	return secret_from_path(path, true, out, err, errlen);
}

/* ---- Addresses ---- */

unsigned int family_addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

int parse_prefix(const char *s, struct aoctl_prefix *p, char *err,
		 size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	struct aoctl_prefix masked;
	unsigned int max, i;
	uint64_t len;

	memset(p, 0, sizeof(*p));
	if (alen == 0 || alen >= sizeof(buf)) {
		seterr("invalid prefix '%s'", s);
		return -EINVAL;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = AF_INET;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = AF_INET6;
	} else {
		seterr("invalid prefix '%s': '%s' is not an IPv4 or IPv6 address",
		       s, buf);
		return -EINVAL;
	}
	max = family_addr_len(p->family) * 8;
	p->len = max;
	if (slash) {
		if (parse_u64(slash + 1, UINT64_MAX, &len) == -EINVAL) {
			seterr("invalid prefix '%s': prefix length '%s' is not a number",
			       s, slash + 1);
			return -EINVAL;
		}
		if (parse_u64(slash + 1, max, &len)) {
			seterr("invalid prefix '%s': prefix length is out of range (0-%u)",
			       s, max);
			return -EINVAL;
		}
		p->len = (unsigned int)len;
	}
	masked = *p;
	for (i = 0; i < max / 8; i++) {
		unsigned int bits = p->len > i * 8 ? p->len - i * 8 : 0;

		if (bits < 8)
			masked.addr[i] &= (uint8_t)(0xff00u >> bits);
	}
	if (memcmp(masked.addr, p->addr, sizeof(p->addr))) {
		char fixed[INET6_ADDRSTRLEN + 8];

		format_prefix(&masked, fixed, sizeof(fixed));
		seterr("invalid prefix '%s': host bits are set (the prefix is %s)",
		       s, fixed);
		return -EINVAL;
	}
	return 0;
}

void format_addr(int family, const void *addr, char *buf, size_t len)
{
	if (!inet_ntop(family, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

void format_prefix(const struct aoctl_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	format_addr(p->family, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
}

void format_addr_port(int family, const void *addr, unsigned int port,
		      char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	char pbuf[16];

	format_addr(family, addr, a, sizeof(a));
	if (port)
		snprintf(pbuf, sizeof(pbuf), "%u", port);
	else
		snprintf(pbuf, sizeof(pbuf), "*");
	if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%s", a, pbuf);
	else
		snprintf(buf, len, "%s:%s", a, pbuf);
}

/* ---- Enum names ---- */

static const char *enum_name(const char *const *names, unsigned int n,
			     unsigned int v, char *buf, size_t len)
{
	if (v < n && names[v])
		return names[v];
	snprintf(buf, len, "unknown(%u)", v);
	return buf;
}

const char *key_state_name(unsigned int v, char *buf, size_t len)
{
	static const char *const names[] = {
		[TCPAO_KEY_STATE_FUTURE] = "future",
		[TCPAO_KEY_STATE_PENDING] = "pending",
		[TCPAO_KEY_STATE_ACTIVE] = "active",
		[TCPAO_KEY_STATE_PREVIOUS] = "previous",
		[TCPAO_KEY_STATE_EXPIRED] = "expired",
	};

	return enum_name(names, ARRAY_SIZE(names), v, buf, len);
}

const char *conn_state_name(unsigned int v, char *buf, size_t len)
{
	static const char *const names[] = {
		[TCPAO_CONN_SYN_SENT] = "syn-sent",
		[TCPAO_CONN_SYN_RECV] = "syn-recv",
		[TCPAO_CONN_ESTABLISHED] = "established",
		[TCPAO_CONN_FIN_WAIT] = "fin-wait",
		[TCPAO_CONN_TIME_WAIT] = "time-wait",
		[TCPAO_CONN_CLOSED] = "closed",
	};

	return enum_name(names, ARRAY_SIZE(names), v, buf, len);
}

const char *drop_cause_name(unsigned int v, char *buf, size_t len)
{
	static const char *const names[] = {
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

	return enum_name(names, ARRAY_SIZE(names), v, buf, len);
}

const char *diag_name(unsigned int v, char *buf, size_t len)
{
	static const char *const names[] = {
		[TCPAO_DIAG_OPTS_COVERED] = "options-covered",
		[TCPAO_DIAG_OPTS_EXCLUDED] = "options-excluded",
		[TCPAO_DIAG_IDS_SWAPPED] = "ids-swapped",
		[TCPAO_DIAG_OTHER_ALG] = "other-algorithm",
		[TCPAO_DIAG_KEY_FUTURE] = "key-not-yet-valid",
		[TCPAO_DIAG_KEY_EXPIRED] = "key-expired",
		[TCPAO_DIAG_UNKNOWN] = "unknown-key",
	};

	return enum_name(names, ARRAY_SIZE(names), v, buf, len);
}

/*
 * What an operator should read for a diagnosis (enum tcpao_diag): the
 * likely cause and the fix on this side.  @keyid is the KeyID of the
 * segment, @start the start time here of the key it names (KEY_* causes),
 * INT64_MIN when not known (events do not carry it).
 */
void diag_reason(unsigned int v, unsigned int keyid, int64_t start,
		 char *buf, size_t len)
{
	char t[64];

	format_time_utc(start, t, sizeof(t));
	switch (v) {
	case TCPAO_DIAG_OPTS_COVERED:
		snprintf(buf, len, "peer covers TCP options: set tcp-ao-option enabled");
		break;
	case TCPAO_DIAG_OPTS_EXCLUDED:
		snprintf(buf, len, "peer excludes TCP options: set tcp-ao-option disabled");
		break;
	case TCPAO_DIAG_IDS_SWAPPED:
		snprintf(buf, len, "send-id/recv-id look swapped (the peer's KeyID %u is one of our send-ids)",
			 keyid);
		break;
	case TCPAO_DIAG_OTHER_ALG:
		snprintf(buf, len, "peer uses the other algorithm with this key: check cryptographic-algorithm");
		break;
	case TCPAO_DIAG_KEY_FUTURE:
		if (start == INT64_MIN)
			snprintf(buf, len, "peer uses key %u, which is not valid yet here (clock or start-time mismatch)",
				 keyid);
		else
			snprintf(buf, len, "peer uses key %u, which starts at %s here (clock or start-time mismatch)",
				 keyid, t);
		break;
	case TCPAO_DIAG_KEY_EXPIRED:
		snprintf(buf, len, "peer uses key %u, which has expired here (clock or start-time mismatch)",
			 keyid);
		break;
	case TCPAO_DIAG_UNKNOWN:
		snprintf(buf, len, "wrong secret, or a key this side does not have");
		break;
	default:
		snprintf(buf, len, "cause %u", v);
		break;
	}
}

const char *rnext_what_name(unsigned int v, char *buf, size_t len)
{
	static const char *const names[] = {
		[TCPAO_RNEXT_SEND_KEYID] = "send-keyid",
		[TCPAO_RNEXT_SEND_RNEXT] = "send-rnext",
		[TCPAO_RNEXT_PEER_RNEXT] = "peer-rnext",
	};

	return enum_name(names, ARRAY_SIZE(names), v, buf, len);
}

const char *peer_flag_name(unsigned int bit)
{
	static const char *const names[] = {
		"allow-without-tcpao",	/* TCPAO_F_ALLOW_WITHOUT_AO */
		"accept-icmps",		/* TCPAO_F_ACCEPT_ICMPS */
		"ao-required",		/* TCPAO_F_AO_REQUIRED */
	};

	return bit < ARRAY_SIZE(names) ? names[bit] : NULL;
}

const char *conn_flag_name(unsigned int bit)
{
	static const char *const names[] = {
		"unprotected",		/* TCPAO_CONN_F_UNPROTECTED */
		"socket",		/* TCPAO_CONN_F_SOCKET */
		"accept-icmps",		/* TCPAO_CONN_F_ACCEPT_ICMPS */
		"repaired",		/* TCPAO_CONN_F_REPAIRED */
		"no-key",		/* TCPAO_CONN_F_NO_KEY */
	};

	return bit < ARRAY_SIZE(names) ? names[bit] : NULL;
}
