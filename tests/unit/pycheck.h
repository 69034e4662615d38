/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Check JSON text with Python: json.load() must accept it, and a Python
 * expression over the result (named d) must be true.
 */
#ifndef AOCTL_PYCHECK_H
#define AOCTL_PYCHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* mode "doc": one document; "lines": one document per line (d: list). */
static inline int py_check(const char *json, const char *mode,
			   const char *expr)
{
	char path[] = "/tmp/aoctl-json-XXXXXX";
	char script[] = "/tmp/aoctl-py-XXXXXX";
	char cmd[256];
	FILE *fp;
	int fd, ret;

	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	fp = fdopen(fd, "w");
	fputs(json, fp);
	fclose(fp);
	fd = mkstemp(script);
	if (fd < 0)
		return 0;
	fp = fdopen(fd, "w");
	fprintf(fp,
		"import json, sys\n"
		"text = open(sys.argv[1], encoding='utf-8').read()\n"
		"if sys.argv[2] == 'lines':\n"
		"    lines = text.split('\\n')\n"
		"    assert lines[-1] == '', 'no final newline'\n"
		"    d = [json.loads(l) for l in lines[:-1]]\n"
		"else:\n"
		"    assert text.endswith('\\n'), 'no final newline'\n"
		"    d = json.loads(text)\n"
		"ok = (%s)\n"
		"if not ok:\n"
		"    print('#   python: expression false for', repr(d))\n"
		"sys.exit(0 if ok else 1)\n", expr);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "python3 %s %s %s 2>&1", script, path, mode);
	fp = popen(cmd, "r");
	if (!fp)
		return 0;
	{
		char line[512];

		while (fgets(line, sizeof(line), fp))
			printf("#   %s", line);
	}
	ret = pclose(fp) == 0;
	unlink(path);
	unlink(script);
	return ret;
}

#endif
