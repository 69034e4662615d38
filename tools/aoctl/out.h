/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aoctl: the one print path for text and JSON (after iproute2's
 * json_print.h).
 *
 * Every value is printed once, with a type:
 *
 *	print_uint(PRINT_ANY, "tolerance", "%u\n", tol);
 *
 * In text mode the value goes through the printf format (no format: nothing
 * is printed); in JSON mode it becomes the member "tolerance" of the open
 * object (or an element of the open array when the key is NULL).
 * PRINT_FP values appear only in text, PRINT_JSON values only in JSON, so a
 * text column can combine what JSON keeps apart ("0/1" vs send_keyid and
 * send_rnext).  open/close_json_* shape the JSON and print nothing in text.
 *
 * A command's output is a document: out_doc_begin() ... out_doc_end(ok).
 * It is buffered and reaches the real output only when the command
 * succeeded, so a failing command never leaves half a JSON document.
 * Strings are escaped for JSON (RFC 8259, invalid UTF-8 as \u00XX) and
 * stripped of control characters in text.
 */
#ifndef AOCTL_OUT_H
#define AOCTL_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

/* Set the destination and the mode (json, pretty) once. */
void out_init(FILE *fp, bool json, bool pretty);
bool is_json(void);

/* Buffer a document; out_doc_end() writes it (ok) or drops it.  Returns
 * 0, or -1 (with errno) when writing failed.
 */
void out_doc_begin(void);
int out_doc_end(bool ok);
/* Unbuffered: one JSON object per line (monitor).  Call out_line_end()
 * after each object/line; it writes the newline and flushes.
 */
void out_line_end(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
void print_s64(enum output_type t, const char *key, const char *fmt,
	       int64_t value);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
/* JSON null; text: @text through @fmt. */
void print_null(enum output_type t, const char *key, const char *fmt,
		const char *text);
/* Text only, printf-like (headers, separators). */
void print_fp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Text only: a newline. */
void print_nl(void);

#endif
