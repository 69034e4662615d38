// SPDX-License-Identifier: GPL-2.0
/*
 * Start-time parsing (valid, invalid, offsets, leap years), UTC
 * formatting and the Junos Transition column.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "parse.h"
#include "tap.h"

#define NOW 1795000000	/* 2026-11-18 */

static void good(const char *spec, const char *off, int64_t want)
{
	char err[ERRLEN] = "";
	int64_t t = -1;
	int ret = parse_start_time(spec, off, NOW, &t, err, sizeof(err));

	if (!ok(ret == 0 && t == want, "start-time '%s'%s%s = %" PRId64, spec,
		off ? " " : "", off ? off : "", want))
		diag("ret %d t %" PRId64 " err '%s'", ret, t, err);
}

static void bad(const char *spec, const char *off, const char *msg)
{
	char err[ERRLEN] = "";
	int64_t t = 12345;
	int ret = parse_start_time(spec, off, NOW, &t, err, sizeof(err));

	ok(ret == -EINVAL && t == 12345, "start-time '%s'%s%s rejected", spec,
	   off ? " " : "", off ? off : "");
	like(err, msg, "  message for '%s'", spec);
}

static int64_t tg(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_sec = s,
	};

	return (int64_t)timegm(&tm);
}

static void transition(int64_t s, const char *want)
{
	char buf[64];

	format_transition(s, buf, sizeof(buf));
	is_str(buf, want, "transition %" PRId64 " = '%s'", s, want);
}

int main(void)
{
	char buf[64];
	int y, m, fails = 0;

	/* The time zone of the host must not matter. */
	setenv("TZ", "America/Los_Angeles", 1);
	tzset();

	/* Valid */
	good("1970-01-01.00:00", NULL, 0);
	good("2026-11-24.12:00", NULL, tg(2026, 11, 24, 12, 0, 0));
	good("2026-11-24.12:00:30", NULL, tg(2026, 11, 24, 12, 0, 30));
	good("2011-6-23.20:19", NULL, tg(2011, 6, 23, 20, 19, 0));
	good("2011-6-23.20:19:00", "-0700", tg(2011, 6, 24, 3, 19, 0));
	good("2011-6-23.20:19:00 -0700", NULL, tg(2011, 6, 24, 3, 19, 0));
	good("2011-06-23.20:19:00", "+0530", tg(2011, 6, 23, 14, 49, 0));
	good("2011-06-23.20:19:00", "+05:30", tg(2011, 6, 23, 14, 49, 0));
	good("2011-06-23.20:19:00", "UTC", tg(2011, 6, 23, 20, 19, 0));
	good("2011-06-23.20:19:00", "+0000", tg(2011, 6, 23, 20, 19, 0));
	good("2011-06-23T20:19:00Z", NULL, tg(2011, 6, 23, 20, 19, 0));
	good("2011-06-23.20:19:00+0100", NULL, tg(2011, 6, 23, 19, 19, 0));
	good("2024-02-29.23:59:59", NULL, tg(2024, 2, 29, 23, 59, 59));
	good("2000-02-29.00:00", NULL, tg(2000, 2, 29, 0, 0, 0));
	good("2026-12-31.23:59:59", NULL, tg(2026, 12, 31, 23, 59, 59));
	good("2026-01-01.00:30", "+0100", tg(2025, 12, 31, 23, 30, 0));
	good("9999-12-31.23:59:59", NULL, tg(9999, 12, 31, 23, 59, 59));
	good("now", NULL, NOW);

	/* Invalid calendar values */
	bad("2024-02-30.12:00", NULL, "day 30 is out of range (2024-02 has 29 days)");
	bad("2023-02-29.12:00", NULL, "day 29 is out of range (2023-02 has 28 days)");
	bad("1900-02-29.12:00", NULL, "year 1900 is before 1970");
	bad("2100-02-29.12:00", NULL, "(2100-02 has 28 days)");
	bad("2026-04-31.12:00", NULL, "(2026-04 has 30 days)");
	bad("2026-00-10.12:00", NULL, "month 0 is out of range (1-12)");
	bad("2026-13-10.12:00", NULL, "month 13 is out of range (1-12)");
	bad("2026-01-00.12:00", NULL, "day 0 is out of range");
	bad("2026-01-10.25:00", NULL, "hour 25 is out of range (0-23)");
	bad("2026-01-10.24:00", NULL, "hour 24 is out of range (0-23)");
	bad("2026-01-10.12:60", NULL, "minute 60 is out of range (0-59)");
	bad("2026-01-10.12:00:60", NULL, "second 60 is out of range (0-59)");
	bad("1969-12-31.23:59", NULL, "year 1969 is before 1970");
	bad("1970-01-01.00:30", "+0100", "before 1970-01-01.00:00:00 UTC");

	/* Syntax */
	bad("", NULL, "expected YYYY-MM-DD.HH:MM[:SS] [+HHMM|-HHMM]");
	bad("tomorrow", NULL, "expected YYYY-MM-DD.HH:MM[:SS]");
	bad("2026-11-24", NULL, "expected YYYY-MM-DD.HH:MM");
	bad("2026-11-24.12", NULL, "expected");
	bad("26-11-24.12:00", NULL, "expected");
	bad("2026/11/24.12:00", NULL, "expected");
	bad("2026-11-24 12:00", NULL, "expected");
	bad("2026-11-24.12:0", NULL, "expected");
	bad("2026-11-24.12:00:0", NULL, "expected");
	bad("2026-111-24.12:00", NULL, "expected");
	bad("2026-11-24.12:00:00x", NULL, "expected");
	bad("2026-11-24.12:00:00 +0100 x", NULL, "expected");
	bad("2026-11-24.12:00", "+2500", "invalid UTC offset '+2500'");
	bad("2026-11-24.12:00", "+0160", "invalid UTC offset '+0160'");
	bad("2026-11-24.12:00", "+1", "invalid UTC offset '+1'");
	bad("2026-11-24.12:00", "+01000", "invalid UTC offset");
	bad("2026-11-24.12:00", "CET", "invalid UTC offset 'CET'");
	bad("2026-11-24.12:00 +0100", "+0100", "two UTC offsets");
	bad("now", "+0100", "start-time now takes no UTC offset");

	ok(is_utc_offset("+0100") && is_utc_offset("-0700") &&
	   is_utc_offset("UTC") && is_utc_offset("+25"),
	   "is_utc_offset: offsets");
	ok(!is_utc_offset("tcp-ao-option") && !is_utc_offset("-") &&
	   !is_utc_offset(NULL) && !is_utc_offset("2026-01-01.00:00"),
	   "is_utc_offset: not offsets");

	/* Leap years */
	ok(is_leap_year(2024) && is_leap_year(2000) && is_leap_year(2400),
	   "leap years: 2024 2000 2400");
	ok(!is_leap_year(2023) && !is_leap_year(1900) && !is_leap_year(2100),
	   "not leap years: 2023 1900 2100");
	is_int(days_in_month(2024, 2), 29, "February 2024 has 29 days");
	is_int(days_in_month(2025, 2), 28, "February 2025 has 28 days");

	/* days_from_civil against the C library, every month 1970-2200 */
	for (y = 1970; y <= 2200; y++)
		for (m = 1; m <= 12; m++) {
			unsigned int d = days_in_month(y, (unsigned int)m);

			if (days_from_civil(y, (unsigned int)m, d) * 86400 !=
			    tg(y, m, (int)d, 0, 0, 0))
				fails++;
		}
	is_int(fails, 0, "days_from_civil agrees with timegm 1970-2200");

	/* UTC formatting */
	format_time_utc(0, buf, sizeof(buf));
	is_str(buf, "1970-01-01.00:00:00 UTC", "format 0");
	format_time_utc(tg(2026, 11, 24, 12, 0, 0), buf, sizeof(buf));
	is_str(buf, "2026-11-24.12:00:00 UTC", "format 2026-11-24.12:00:00");
	format_time_utc(tg(2024, 2, 29, 23, 59, 59), buf, sizeof(buf));
	is_str(buf, "2024-02-29.23:59:59 UTC", "format leap day");

	/* Round trip: what detail prints, start-time accepts. */
	{
		char err[ERRLEN];
		int64_t t = tg(2031, 7, 4, 5, 6, 7), back = 0;
		char *sp;

		format_time_utc(t, buf, sizeof(buf));
		sp = strchr(buf, ' ');
		*sp = '\0';
		ok(parse_start_time(buf, sp + 1, NOW, &back, err, sizeof(err)) == 0 &&
		   back == t, "detail output round-trips through start-time");
	}

	/* Transition (Junos) */
	transition(0, "00:00:00");
	transition(20, "00:00:20");
	transition(59, "00:00:59");
	transition(60, "00:01:00");
	transition(3599, "00:59:59");
	transition(3600, "01:00:00");
	transition(86399, "23:59:59");
	transition(86400, "1d 00:00:00");
	transition(93784, "1d 02:03:04");
	transition(10 * 86400 + 5, "10d 00:00:05");
	transition(400 * 86400 + 3661, "400d 01:01:01");
	transition(-5, "00:00:00");
	transition(INT64_MAX, "106751991167300d 15:30:07");

	return tap_done();
}
