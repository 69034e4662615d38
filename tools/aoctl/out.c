// SPDX-License-Identifier: GPL-2.0
/*
 * aoctl: the print path for text and JSON; see out.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

/* The format strings are the callers' and take exactly one argument. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

#define MAX_DEPTH 16

static struct {
	FILE *real;		/* where documents end up */
	FILE *fp;		/* where we print now */
	char *buf;		/* open_memstream buffer of a document */
	size_t buflen;
	bool json;
	bool pretty;
	int depth;
	bool first[MAX_DEPTH + 1];	/* no member yet at this level */
} o = { .first = { true } };

void out_init(FILE *fp, bool json, bool pretty)
{
	o.real = fp;
	o.fp = fp;
	o.json = json;
	o.pretty = json && pretty;
	o.depth = 0;
	o.first[0] = true;
}

bool is_json(void)
{
	return o.json;
}

static FILE *ofp(void)
{
	if (!o.fp)
		o.fp = o.real ? o.real : stdout;
	return o.fp;
}

void out_doc_begin(void)
{
	FILE *m;

	if (!o.real)
		o.real = stdout;
	o.depth = 0;
	o.first[0] = true;
	m = open_memstream(&o.buf, &o.buflen);
	o.fp = m ? m : o.real;	/* no memory: unbuffered, still correct */
}

int out_doc_end(bool ok)
{
	int ret = 0;

	if (o.json && o.depth == 0 && !o.first[0] && ok)
		fputc('\n', o.fp);
	if (o.fp != o.real) {
		fclose(o.fp);
		if (ok && o.buflen &&
		    fwrite(o.buf, 1, o.buflen, o.real) != o.buflen)
			ret = -1;
		free(o.buf);
		o.buf = NULL;
		o.buflen = 0;
	}
	o.fp = o.real;
	if (fflush(o.real) || ferror(o.real))
		ret = -1;
	o.depth = 0;
	o.first[0] = true;
	return ret;
}

void out_line_end(void)
{
	FILE *fp = ofp();

	fputc('\n', fp);
	fflush(fp);
	o.depth = 0;
	o.first[0] = true;
}

/* ---- JSON ---- */

static void json_indent(void)
{
	int i;

	fputc('\n', o.fp);
	for (i = 0; i < o.depth; i++)
		fputs("    ", o.fp);
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void json_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', o.fp);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':  fputs("\\\"", o.fp); s++; continue;
		case '\\': fputs("\\\\", o.fp); s++; continue;
		case '\b': fputs("\\b", o.fp); s++; continue;
		case '\f': fputs("\\f", o.fp); s++; continue;
		case '\n': fputs("\\n", o.fp); s++; continue;
		case '\r': fputs("\\r", o.fp); s++; continue;
		case '\t': fputs("\\t", o.fp); s++; continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			fprintf(o.fp, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_seq(s);
		if (!n) {
			/* Not UTF-8: keep the byte as its Latin-1 code point. */
			fprintf(o.fp, "\\u%04x", *s);
			s++;
			continue;
		}
		fwrite(s, 1, n, o.fp);
		s += n;
	}
	fputc('"', o.fp);
}

/* Separator, indentation and "key": before a member or an element. */
static void json_member(const char *key)
{
	ofp();
	if (!o.first[o.depth])
		fputc(',', o.fp);
	o.first[o.depth] = false;
	if (o.pretty && o.depth > 0)
		json_indent();
	if (key && o.depth > 0) {
		json_string(key);
		fputs(o.pretty ? ": " : ":", o.fp);
	}
}

static void json_open(const char *key, char c)
{
	json_member(key);
	fputc(c, o.fp);
	if (o.depth < MAX_DEPTH)
		o.depth++;
	o.first[o.depth] = true;
}

static void json_close(char c)
{
	bool empty = o.first[o.depth];

	if (o.depth > 0)
		o.depth--;
	if (o.pretty && !empty)
		json_indent();
	fputc(c, o.fp);
}

void open_json_object(const char *key)
{
	if (o.json)
		json_open(key, '{');
}

void close_json_object(void)
{
	if (o.json)
		json_close('}');
}

void open_json_array(const char *key)
{
	if (o.json)
		json_open(key, '[');
}

void close_json_array(void)
{
	if (o.json)
		json_close(']');
}

/* ---- Values ---- */

static bool want_text(enum output_type t, const char *fmt)
{
	return !o.json && (t & PRINT_FP) && fmt;
}

static bool want_json(enum output_type t)
{
	return o.json && (t & PRINT_JSON);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (!value)
		value = "";
	if (want_json(t)) {
		json_member(key);
		json_string(value);
	} else if (want_text(t, fmt)) {
		/* No terminal control sequences from kernel strings. */
		char *clean = strdup(value);
		char *p;

		if (!clean)
			return;
		for (p = clean; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		fprintf(ofp(), fmt, clean);
		free(clean);
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (want_json(t)) {
		json_member(key);
		fprintf(o.fp, "%u", value);
	} else if (want_text(t, fmt)) {
		fprintf(ofp(), fmt, value);
	}
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (want_json(t)) {
		json_member(key);
		fprintf(o.fp, "%" PRIu64, value);
	} else if (want_text(t, fmt)) {
		fprintf(ofp(), fmt, value);
	}
}

void print_s64(enum output_type t, const char *key, const char *fmt,
	       int64_t value)
{
	if (want_json(t)) {
		json_member(key);
		fprintf(o.fp, "%" PRId64, value);
	} else if (want_text(t, fmt)) {
		fprintf(ofp(), fmt, value);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (want_json(t)) {
		json_member(key);
		fputs(value ? "true" : "false", o.fp);
	} else if (want_text(t, fmt)) {
		fprintf(ofp(), fmt, value ? "true" : "false");
	}
}

void print_null(enum output_type t, const char *key, const char *fmt,
		const char *text)
{
	if (want_json(t)) {
		json_member(key);
		fputs("null", o.fp);
	} else if (want_text(t, fmt)) {
		fprintf(ofp(), fmt, text);
	}
}

void print_fp(const char *fmt, ...)
{
	va_list ap;

	if (o.json)
		return;
	va_start(ap, fmt);
	vfprintf(ofp(), fmt, ap);
	va_end(ap);
}

void print_nl(void)
{
	if (!o.json)
		fputc('\n', ofp());
}
