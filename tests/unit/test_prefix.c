// SPDX-License-Identifier: GPL-2.0
/*
 * Prefixes: IPv4 and IPv6, with and without a length, host bits, ranges,
 * and their formatting.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>

#include "parse.h"
#include "tap.h"

static void good(const char *s, int family, unsigned int len, const char *fmt)
{
	struct aoctl_prefix p;
	char err[ERRLEN] = "", buf[64] = "";
	int ret = parse_prefix(s, &p, err, sizeof(err));

	if (!ret)
		format_prefix(&p, buf, sizeof(buf));
	if (!ok(ret == 0 && p.family == family && p.len == len &&
		!strcmp(buf, fmt), "prefix '%s' -> %s", s, fmt))
		diag("ret %d family %d len %u buf '%s' err '%s'", ret, p.family,
		     p.len, buf, err);
}

static void bad(const char *s, const char *msg)
{
	struct aoctl_prefix p;
	char err[ERRLEN] = "";

	ok(parse_prefix(s, &p, err, sizeof(err)) == -EINVAL,
	   "prefix '%s' rejected", s);
	like(err, msg, "  message");
}

int main(void)
{
	uint8_t a4[4] = { 10, 0, 0, 1 };
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	char buf[80];

	good("10.0.0.2/32", AF_INET, 32, "10.0.0.2/32");
	good("10.0.0.2", AF_INET, 32, "10.0.0.2/32");
	good("10.0.0.0/24", AF_INET, 24, "10.0.0.0/24");
	good("10.0.0.0/8", AF_INET, 8, "10.0.0.0/8");
	good("0.0.0.0/0", AF_INET, 0, "0.0.0.0/0");
	good("192.168.1.128/25", AF_INET, 25, "192.168.1.128/25");
	good("2001:db8::1", AF_INET6, 128, "2001:db8::1/128");
	good("2001:db8::/32", AF_INET6, 32, "2001:db8::/32");
	good("2001:DB8:0:0::/64", AF_INET6, 64, "2001:db8::/64");
	good("::/0", AF_INET6, 0, "::/0");
	good("fe80::/10", AF_INET6, 10, "fe80::/10");
	good("::ffff:10.0.0.1/128", AF_INET6, 128, "::ffff:10.0.0.1/128");
	good("2001:db8::8000/113", AF_INET6, 113, "2001:db8::8000/113");

	bad("10.0.0.1/24", "host bits are set (the prefix is 10.0.0.0/24)");
	bad("10.0.0.1/0", "host bits are set (the prefix is 0.0.0.0/0)");
	bad("192.168.1.129/25", "(the prefix is 192.168.1.128/25)");
	bad("2001:db8::1/64", "host bits are set (the prefix is 2001:db8::/64)");
	bad("2001:db8::8000/112", "(the prefix is 2001:db8::/112)");
	bad("10.0.0.0/33", "prefix length is out of range (0-32)");
	bad("2001:db8::/129", "prefix length is out of range (0-128)");
	bad("10.0.0.0/", "prefix length '' is not a number");
	bad("10.0.0.0/-1", "is not a number");
	bad("10.0.0.0/2x", "is not a number");
	bad("10.0.0.0/99999999999999999999", "out of range");
	bad("10.0.0", "is not an IPv4 or IPv6 address");
	bad("10.0.0.256", "is not an IPv4 or IPv6 address");
	bad("host.example", "is not an IPv4 or IPv6 address");
	bad("", "invalid prefix ''");
	bad("/24", "invalid prefix '/24'");
	bad("fe80::1%eth0", "is not an IPv4 or IPv6 address");

	format_addr_port(AF_INET, a4, 179, buf, sizeof(buf));
	is_str(buf, "10.0.0.1:179", "addr:port IPv4");
	format_addr_port(AF_INET6, a6, 179, buf, sizeof(buf));
	is_str(buf, "[2001:db8::1]:179", "addr:port IPv6");
	format_addr_port(AF_INET, a4, 0, buf, sizeof(buf));
	is_str(buf, "10.0.0.1:*", "addr:port without port");

	return tap_done();
}
