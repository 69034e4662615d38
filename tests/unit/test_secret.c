// SPDX-License-Identifier: GPL-2.0
/*
 * Secrets: strings, hex, files (newline handling, permissions, size
 * limits), standard input.  Messages never contain the secret.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "util.h"
#include "tap.h"

static char dir[] = "/tmp/aoctl-test-XXXXXX";
static char *warnbuf;
static size_t warnlen;

static const char *mkfile(const char *name, const void *data, size_t len,
			  mode_t mode)
{
	static char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	fchmod(fd, mode);
	close(fd);
	return path;
}

static void reset_warnings(void)
{
	fflush(err_fp);
	if (warnlen)
		memset(warnbuf, 0, warnlen);
	rewind(err_fp);
}

static int file_secret(const void *data, size_t len, mode_t mode,
		       struct aoctl_secret *s, char *err)
{
	const char *p = mkfile("secret", data, len, mode);

	memset(s, 0xaa, sizeof(*s));
	reset_warnings();
	return secret_from_file(p, s, err, ERRLEN);
}

static int stdin_secret(const void *data, size_t len, struct aoctl_secret *s,
			char *err)
{
	int p[2], saved = dup(0), ret;

	if (pipe(p) || write(p[1], data, len) != (ssize_t)len)
		abort();
	close(p[1]);
	dup2(p[0], 0);
	close(p[0]);
	ret = secret_from_file("-", s, err, ERRLEN);
	dup2(saved, 0);
	close(saved);
	return ret;
}

int main(void)
{
	struct aoctl_secret s;
	char err[ERRLEN];
	char big[200];
	int ret;

	if (!mkdtemp(dir))
		abort();
	err_fp = open_memstream(&warnbuf, &warnlen);

	/* secret STRING */
	ok(secret_from_string("x", &s, err, sizeof(err)) == 0 && s.len == 1 &&
	   s.buf[0] == 'x', "secret: 1 byte");
	memset(big, 'k', 80);
	big[80] = '\0';
	ok(secret_from_string(big, &s, err, sizeof(err)) == 0 && s.len == 80,
	   "secret: 80 bytes");
	big[80] = 'k';
	big[81] = '\0';
	ok(secret_from_string(big, &s, err, sizeof(err)) == -EINVAL,
	   "secret: 81 bytes rejected");
	is_str(err, "secret is 81 bytes long; the maximum is 80", "  message");
	ok(secret_from_string("", &s, err, sizeof(err)) == -EINVAL,
	   "secret: empty rejected");
	is_str(err, "secret is empty", "  message");

	/* secret-hex */
	ok(secret_from_hex("00ff7F", &s, err, sizeof(err)) == 0 && s.len == 3 &&
	   s.buf[0] == 0 && s.buf[1] == 0xff && s.buf[2] == 0x7f,
	   "secret-hex: 00ff7F");
	ok(secret_from_hex("0xDEADbeef", &s, err, sizeof(err)) == 0 &&
	   s.len == 4 && s.buf[0] == 0xde && s.buf[3] == 0xef,
	   "secret-hex: 0x prefix");
	ok(secret_from_hex("abc", &s, err, sizeof(err)) == -EINVAL,
	   "secret-hex: odd number of digits rejected");
	is_str(err, "secret-hex has an odd number of hex digits (3)", "  message");
	ok(secret_from_hex("12g4", &s, err, sizeof(err)) == -EINVAL,
	   "secret-hex: non-hex digit rejected");
	ok(!strstr(err, "12g4") && !strstr(err, "'g'"),
	   "  message does not echo the secret: '%s'", err);
	ok(secret_from_hex("", &s, err, sizeof(err)) == -EINVAL &&
	   secret_from_hex("0x", &s, err, sizeof(err)) == -EINVAL,
	   "secret-hex: empty rejected");
	is_str(err, "secret-hex is empty", "  message");
	memset(big, 'a', 160);
	big[160] = '\0';
	ok(secret_from_hex(big, &s, err, sizeof(err)) == 0 && s.len == 80,
	   "secret-hex: 80 bytes");
	big[160] = 'a';
	big[161] = 'a';
	big[162] = '\0';
	ok(secret_from_hex(big, &s, err, sizeof(err)) == -EINVAL,
	   "secret-hex: 81 bytes rejected");
	is_str(err, "secret-hex is 81 bytes long; the maximum is 80", "  message");

	/* secret-file */
	ok(file_secret("hunter2\n", 8, 0600, &s, err) == 0 && s.len == 7 &&
	   !memcmp(s.buf, "hunter2", 7), "file: trailing newline stripped");
	is_int(warnbuf[0], 0, "  no warning for mode 0600");
	ok(file_secret("hunter2", 7, 0600, &s, err) == 0 && s.len == 7 &&
	   !memcmp(s.buf, "hunter2", 7), "file: without newline");
	ok(file_secret("hunter2\n\n", 9, 0600, &s, err) == 0 && s.len == 8 &&
	   !memcmp(s.buf, "hunter2\n", 8), "file: only ONE newline stripped");
	ok(file_secret("a\r\n", 3, 0600, &s, err) == 0 && s.len == 2 &&
	   s.buf[1] == '\r', "file: CR kept (only the newline goes)");
	ok(file_secret("\x00\x01\xff", 3, 0400, &s, err) == 0 && s.len == 3 &&
	   s.buf[0] == 0 && s.buf[2] == 0xff, "file: binary bytes kept");
	ok(file_secret("", 0, 0600, &s, err) == -EINVAL, "file: empty rejected");
	like(err, "is empty", "  message");
	ok(file_secret("\n", 1, 0600, &s, err) == -EINVAL,
	   "file: a lone newline is empty");
	memset(big, 's', sizeof(big));
	big[80] = '\n';
	ok(file_secret(big, 81, 0600, &s, err) == 0 && s.len == 80,
	   "file: 80 bytes and a newline");
	ok(file_secret(big, 80, 0600, &s, err) == 0 && s.len == 80,
	   "file: 80 bytes");
	big[80] = 's';
	ok(file_secret(big, 81, 0600, &s, err) == -EINVAL,
	   "file: 81 bytes rejected");
	like(err, "is longer than 80 bytes", "  message");
	big[81] = '\n';
	ok(file_secret(big, 82, 0600, &s, err) == -EINVAL,
	   "file: 81 bytes and a newline rejected");
	ok(file_secret(big, sizeof(big), 0600, &s, err) == -EINVAL,
	   "file: 200 bytes rejected");
	ok(!strstr(err, "sss"), "  message does not echo the secret");

	ok(file_secret("hunter2\n", 8, 0644, &s, err) == 0 && s.len == 7,
	   "file: mode 0644 accepted");
	fflush(err_fp);
	like(warnbuf, "warning: secret-file", "  with a warning");
	like(warnbuf, "readable by group or others (chmod 600", "  suggesting chmod 600");
	ok(!strstr(warnbuf, "hunter2"), "  warning does not echo the secret");
	ok(file_secret("hunter2\n", 8, 0640, &s, err) == 0,
	   "file: mode 0640 accepted");
	fflush(err_fp);
	like(warnbuf, "readable by group", "  with a warning");

	snprintf(big, sizeof(big), "%s/does-not-exist", dir);
	ret = secret_from_file(big, &s, err, sizeof(err));
	ok(ret == -ENOENT, "file: missing file is an I/O error, not a usage error");
	like(err, "cannot open secret-file", "  message");
	like(err, "No such file or directory", "  with strerror");
	ret = secret_from_file(dir, &s, err, sizeof(err));
	ok(ret == -EISDIR, "file: a directory is refused");

	/* standard input */
	ok(stdin_secret("from-stdin\n", 11, &s, err) == 0 && s.len == 10 &&
	   !memcmp(s.buf, "from-stdin", 10), "stdin: newline stripped");
	ok(stdin_secret("x", 1, &s, err) == 0 && s.len == 1, "stdin: 1 byte");
	ok(stdin_secret("", 0, &s, err) == -EINVAL, "stdin: empty rejected");
	like(err, "the secret in standard input is empty", "  message");
	memset(big, 'z', sizeof(big));
	ok(stdin_secret(big, 150, &s, err) == -EINVAL, "stdin: 150 bytes rejected");

	/* wiping */
	secret_from_string("wipe-me", &s, err, sizeof(err));
	secret_wipe(&s);
	{
		size_t i, nz = 0;

		for (i = 0; i < sizeof(s.buf); i++)
			nz += s.buf[i] != 0;
		ok(nz == 0 && s.len == 0, "secret_wipe zeroes the secret");
	}

	snprintf(big, sizeof(big), "rm -rf %s", dir);
	if (system(big))
		diag("cannot remove %s", dir);
	return tap_done();
}
