#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "tap.h"

static char *render(void (*fill)(struct json *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	fill(&j);
	fclose(f);
	return buf;
}

static void fill_nested(struct json *j)
{
	json_object_begin(j, NULL);
	json_string(j, "s", "a\"b\\c\n\x01");
	json_null(j, "n");
	json_array_begin(j, "empty");
	json_array_end(j);
	json_array_begin(j, "list");
	json_int(j, NULL, -3);
	json_bool(j, NULL, true);
	json_string(j, NULL, NULL);
	json_array_end(j);
	json_object_end(j);
}

void test_json(void)
{
	char *out = render(fill_nested);
	const char *want =
		"{\n  \"s\": \"a\\\"b\\\\c\\n\\u0001\",\n  \"n\": null,\n  \"empty\": [],\n"
		"  \"list\": [\n    -3,\n    true,\n    null\n  ]\n}";

	bool same = strcmp(out, want) == 0;

	tap_ok(same, "json writer escapes, nests and separates%s%s", same ? "" : ": got\n", same ? "" : out);
	free(out);
}
