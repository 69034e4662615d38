/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aoctl: parsing and formatting of values.  No netlink in here: the unit
 * tests link this file alone.
 *
 * Parsers return 0 on success.  On failure they return -EINVAL (the value is
 * wrong: a usage error) or another negative errno (the environment failed,
 * e.g. a secret file cannot be read) and put a message, without the
 * "aoctl: command: " prefix, into err.  Messages never contain secret bytes.
 */
#ifndef AOCTL_PARSE_H
#define AOCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* Before <linux/tcpao.h>: its <linux/in.h> defers to glibc only when
 * glibc's definitions came first.
 */
#include <netinet/in.h>
#include <linux/tcpao.h>

#define ERRLEN 256

/* Strict unsigned decimal: digits only, no sign, no blanks. */
int parse_u64(const char *s, uint64_t max, uint64_t *out);
/* parse_u64 with a message: "<what> 'S' is not a number" or
 * "<what> N is out of range (MIN-MAX)".
 */
int parse_num(const char *what, const char *s, uint64_t min, uint64_t max,
	      uint64_t *out, char *err, size_t errlen);

/* Keychain names: 1-63 printable ASCII characters. */
int parse_keychain_name(const char *s, char *out, char *err, size_t errlen);

/* Algorithms: "hmac-sha-1-96", "aes-128-cmac-96". */
int parse_alg(const char *s, uint8_t *alg, char *err, size_t errlen);
const char *alg_name(unsigned int alg);

/* "enabled" / "disabled" */
int parse_enabled(const char *what, const char *s, uint8_t *out,
		  char *err, size_t errlen);

/*
 * Start times (Junos): "YYYY-MM-DD.HH:MM[:SS]" in UTC, optionally followed
 * (in the same string after blanks, or as @offset) by a UTC offset
 * "+HHMM", "-HHMM", "+HH:MM", "-HH:MM" or "UTC".  Month, day and hour may
 * have one digit (Junos writes "2011-6-23.20:19").  'T' may replace '.'
 * and a trailing 'Z' means UTC (ISO 8601).  "now" gives @now.
 */
int parse_start_time(const char *spec, const char *offset, int64_t now,
		     int64_t *out, char *err, size_t errlen);
/* Is s a UTC offset word that may follow a start time? */
bool is_utc_offset(const char *s);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d);
bool is_leap_year(int64_t y);
unsigned int days_in_month(int64_t y, unsigned int m);

/* Secrets.  Callers wipe them with secret_wipe(). */
struct aoctl_secret {
	uint8_t buf[TCPAO_SECRET_MAX];
	size_t len;
};

void secret_wipe(struct aoctl_secret *s);
int secret_from_string(const char *s, struct aoctl_secret *out,
		       char *err, size_t errlen);
int secret_from_hex(const char *s, struct aoctl_secret *out,
		    char *err, size_t errlen);
/* Read until EOF (a terminal: one line, echo off), strip one trailing
 * newline.  @name is used in messages ("standard input", the path).
 */
int secret_from_fd(int fd, const char *name, struct aoctl_secret *out,
		   char *err, size_t errlen);
/* Open and read @path ("-": standard input).  Warns (aoctl_warn) when a
 * regular file is readable by group or others.
 */
int secret_from_file(const char *path, struct aoctl_secret *out,
		     char *err, size_t errlen);
/* The same for a file that must be private (aoctl --check): a regular
 * file owned by root or by us, no access for group or others (-EACCES);
 * "-" is refused (-EINVAL).
 */
int secret_from_private_file(const char *path, struct aoctl_secret *out,
			     char *err, size_t errlen);
/* Is open file @fd such a private file?  0, or -EACCES (-errno) with
 * "WHAT PATH is ..." in err.
 */
int check_private_fd(int fd, const char *what, const char *path,
		     char *err, size_t errlen);

/* Prefixes: "ADDR[/LEN]" for IPv4 and IPv6.  Host bits must be zero. */
struct aoctl_prefix {
	int family;		/* AF_INET, AF_INET6 */
	uint8_t addr[16];	/* network order, 4 or 16 bytes used */
	unsigned int len;	/* prefix length */
};

int parse_prefix(const char *s, struct aoctl_prefix *p, char *err,
		 size_t errlen);
unsigned int family_addr_len(int family);
/* "10.0.0.0/24", "2001:db8::/32" */
void format_prefix(const struct aoctl_prefix *p, char *buf, size_t len);
/* "10.0.0.1:179", "[2001:db8::1]:179"; port 0: "*" */
void format_addr_port(int family, const void *addr, unsigned int port,
		      char *buf, size_t len);
void format_addr(int family, const void *addr, char *buf, size_t len);

/* "2026-11-24.12:00:00 UTC" */
void format_time_utc(int64_t t, char *buf, size_t len);
/* Junos "Transition": "1d 02:03:04", "00:00:20"; negative: "00:00:00" */
void format_transition(int64_t secs, char *buf, size_t len);

/* Names of enum values; unknown values give "unknown(N)" in buf. */
const char *key_state_name(unsigned int v, char *buf, size_t len);
const char *conn_state_name(unsigned int v, char *buf, size_t len);
const char *drop_cause_name(unsigned int v, char *buf, size_t len);
const char *diag_name(unsigned int v, char *buf, size_t len);
void diag_reason(unsigned int v, unsigned int keyid, int64_t start,
		 char *buf, size_t len);
const char *rnext_what_name(unsigned int v, char *buf, size_t len);

/* Flag names, in bit order; NULL past the last. */
const char *peer_flag_name(unsigned int bit);
const char *conn_flag_name(unsigned int bit);

#endif
