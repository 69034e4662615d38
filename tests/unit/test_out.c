// SPDX-License-Identifier: GPL-2.0
/*
 * The print path: JSON validity (checked by Python's json module),
 * escaping, pretty printing, text formats, PRINT_FP/PRINT_JSON, documents
 * dropped on failure, JSON lines.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "out.h"
#include "pycheck.h"
#include "tap.h"

static char *capture(void (*fn)(void), bool json, bool pretty, bool success)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	out_init(m, json, pretty);
	out_doc_begin();
	fn();
	out_doc_end(success);
	fclose(m);
	return buf;
}

static void everything(void)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "name %s\n", "new_auth_key");
	print_string(PRINT_ANY, "escapes", "%s\n",
		     "q\" b\\ n\n t\t c\x01 d\x7f s/ é 中 bad\xff\xc3(");
	print_uint(PRINT_ANY, "u", "u %u\n", 4294967295u);
	print_u64(PRINT_ANY, "u64", "u64 %llu\n", UINT64_MAX);
	print_s64(PRINT_ANY, "s64", "s64 %lld\n", INT64_MIN);
	print_bool(PRINT_ANY, "yes", "yes %s\n", true);
	print_bool(PRINT_ANY, "no", "no %s\n", false);
	print_null(PRINT_ANY, "nothing", "nothing %s\n", "-");
	print_string(PRINT_JSON, "json_only", "NEVER %s\n", "j");
	print_string(PRINT_FP, "text_only", "text only %s\n", "t");
	print_string(PRINT_ANY, "key \"with\" quotes", NULL, "v");
	open_json_object("nested");
	print_uint(PRINT_ANY, "depth", NULL, 2);
	open_json_array("list");
	print_string(PRINT_ANY, NULL, NULL, "a");
	print_uint(PRINT_ANY, NULL, NULL, 1);
	open_json_object(NULL);
	print_null(PRINT_ANY, "x", NULL, NULL);
	close_json_object();
	close_json_array();
	close_json_object();
	open_json_array("empty_array");
	close_json_array();
	open_json_object("empty_object");
	close_json_object();
	close_json_object();
}

static const char *everything_expr =
	"d['name'] == 'new_auth_key' and "
	"d['escapes'] == 'q\" b\\\\ n\\n t\\t c\\x01 d\\x7f s/ \\u00e9 \\u4e2d bad\\u00ff\\u00c3(' and "
	"d['u'] == 4294967295 and d['u64'] == 18446744073709551615 and "
	"d['s64'] == -9223372036854775808 and d['yes'] is True and "
	"d['no'] is False and d['nothing'] is None and d['json_only'] == 'j' and "
	"'text_only' not in d and d['key \"with\" quotes'] == 'v' and "
	"d['nested'] == {'depth': 2, 'list': ['a', 1, {'x': None}]} and "
	"d['empty_array'] == [] and d['empty_object'] == {} and "
	"list(d)[0] == 'name'";

static void array_of_objects(void)
{
	int i;

	open_json_array(NULL);
	for (i = 0; i < 3; i++) {
		open_json_object(NULL);
		print_uint(PRINT_ANY, "i", "%u\n", (unsigned int)i);
		close_json_object();
	}
	close_json_array();
}

static void empty_array(void)
{
	open_json_array(NULL);
	close_json_array();
}

static void table(void)
{
	print_fp("%-6s %s\n", "Name", "Value");
	print_string(PRINT_ANY, "name", "%-6s ", "abc");
	print_uint(PRINT_ANY, "value", "%u", 7);
	print_nl();
	print_string(PRINT_ANY, "evil", "%s\n", "a\x1b[31mred\x07");
}

int main(void)
{
	char *out;

	out = capture(everything, true, false, true);
	ok(py_check(out, "doc", everything_expr), "compact JSON is valid and complete");
	ok(!strchr(out, '\n') || strchr(out, '\n') == out + strlen(out) - 1,
	   "compact JSON is one line");
	ok(!strstr(out, "NEVER") && !strstr(out, "text_only"),
	   "PRINT_FP values and formats stay out of JSON");
	like(out, "\"u64\":18446744073709551615", "numbers are numbers");
	like(out, "c\\u0001 d\\u007f", "control characters escaped");
	free(out);

	out = capture(everything, true, true, true);
	ok(py_check(out, "doc", everything_expr), "pretty JSON is valid and complete");
	like(out, "{\n    \"name\": \"new_auth_key\",\n", "pretty JSON is indented");
	like(out, "\"empty_array\": [],", "pretty: empty array stays []");
	free(out);

	out = capture(array_of_objects, true, false, true);
	is_str(out, "[{\"i\":0},{\"i\":1},{\"i\":2}]\n", "array of objects");
	ok(py_check(out, "doc", "d == [{'i': 0}, {'i': 1}, {'i': 2}]"),
	   "  parses");
	free(out);

	out = capture(empty_array, true, false, true);
	is_str(out, "[]\n", "empty array");
	free(out);
	out = capture(empty_array, true, true, true);
	is_str(out, "[]\n", "empty array, pretty");
	free(out);

	out = capture(array_of_objects, true, false, false);
	is_str(out, "", "a failed command's document is dropped");
	free(out);
	out = capture(array_of_objects, false, false, false);
	is_str(out, "", "  in text too");
	free(out);

	out = capture(everything, false, false, true);
	like(out, "name new_auth_key\n", "text: format applied");
	like(out, "u64 18446744073709551615\n", "text: u64");
	like(out, "s64 -9223372036854775808\n", "text: s64");
	like(out, "nothing -\n", "text: null shows its text");
	like(out, "text only t\n", "text: PRINT_FP printed");
	ok(!strstr(out, "NEVER"), "text: PRINT_JSON not printed");
	ok(!strstr(out, "depth"), "text: no format, no output");
	like(out, "q\" b\\ n? t? c? d?", "text: control characters replaced");
	free(out);

	out = capture(table, false, false, true);
	is_str(out, "Name   Value\nabc    7\na?[31mred?\n", "text table");
	free(out);

	/* JSON lines (monitor) */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		int i;

		out_init(m, true, false);
		for (i = 0; i < 3; i++) {
			open_json_object(NULL);
			print_string(PRINT_ANY, "event", "%s", "key-new");
			print_uint(PRINT_ANY, "id", " key %u", (unsigned int)i);
			close_json_object();
			out_line_end();
		}
		fclose(m);
		ok(py_check(buf, "lines",
			    "[e['id'] for e in d] == [0, 1, 2] and "
			    "all(e['event'] == 'key-new' for e in d)"),
		   "JSON lines: one object per line");
		free(buf);

		buf = NULL;
		m = open_memstream(&buf, &len);
		out_init(m, false, false);
		print_string(PRINT_ANY, "event", "%s", "key-new");
		print_uint(PRINT_ANY, "id", " key %u", 3);
		out_line_end();
		fclose(m);
		is_str(buf, "key-new key 3\n", "text lines");
		free(buf);
	}

	return tap_done();
}
