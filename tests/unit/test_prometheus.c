#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/prometheus.h"
#include "tap.h"

static void expect(const char *got, const char *want, const char *what)
{
	bool same = strcmp(got, want) == 0;

	tap_ok(same, "prometheus: %s%s%s", what, same ? "" : ": got\n", same ? "" : got);
}

static char *sample(const struct prom_label *l, size_t n, double value)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	prom_sample(f, "vfio_x", l, n, value);
	fclose(f);
	return buf;
}

void test_prometheus(void)
{
	static const struct prom_label hostile[] = {
		{ "driver", "a\"b\\c\nd" }, { "group", NULL }, { "id", "é\tx{y}=z," },
	};
	static const struct prom_label one[] = { { "level", "fail" } };
	char *buf = NULL, *s;
	size_t len = 0;
	FILE *f;

	s = sample(hostile, 3, 1);
	expect(s, "vfio_x{driver=\"a\\\"b\\\\c\\nd\",group=\"\",id=\"é\tx{y}=z,\"} 1\n",
	       "label values escape backslash, quote and newline only; NULL is \"\"");
	free(s);
	s = sample(NULL, 0, 1765080000);
	expect(s, "vfio_x 1765080000\n", "no labels, no braces; a timestamp without exponent");
	free(s);
	s = sample(one, 1, 0.25);
	expect(s, "vfio_x{level=\"fail\"} 0.25\n", "one label, a fraction");
	free(s);
	s = sample(NULL, 0, NAN);
	expect(s, "vfio_x NaN\n", "NaN");
	free(s);
	s = sample(NULL, 0, -INFINITY);
	expect(s, "vfio_x -Inf\n", "-Inf");
	free(s);

	f = open_memstream(&buf, &len);
	prom_family(f, "vfio_x", "gauge", "a \"quoted\" back\\slash\nand a line");
	fclose(f);
	expect(buf, "# HELP vfio_x a \"quoted\" back\\\\slash\\nand a line\n# TYPE vfio_x gauge\n",
	       "HELP escapes backslash and newline, not quotes");
	free(buf);
}
