#include "util/json.h"
#include <math.h>
#include "util/report.h"

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->has_items[0] = false;
}

static void indent(struct json *j)
{
	int i;

	for (i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

static void put_escaped(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Separator, newline, indentation and key before every value. */
static void begin_value(struct json *j, const char *key)
{
	if (j->depth > 0) {
		fputs(j->has_items[j->depth] ? ",\n" : "\n", j->out);
		j->has_items[j->depth] = true;
		indent(j);
	}
	if (key) {
		put_escaped(j->out, key);
		fputs(": ", j->out);
	}
}

static void open_container(struct json *j, const char *key, char c)
{
	begin_value(j, key);
	fputc(c, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
}

static void close_container(struct json *j, char c)
{
	bool had = j->has_items[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had) {
		fputc('\n', j->out);
		indent(j);
	}
	fputc(c, j->out);
}

void json_object_begin(struct json *j, const char *key)
{
	open_container(j, key, '{');
}

void json_object_end(struct json *j)
{
	close_container(j, '}');
}

void json_array_begin(struct json *j, const char *key)
{
	open_container(j, key, '[');
}

void json_array_end(struct json *j)
{
	close_container(j, ']');
}

void json_string(struct json *j, const char *key, const char *value)
{
	begin_value(j, key);
	if (value)
		put_escaped(j->out, value);
	else
		fputs("null", j->out);
}

void json_int(struct json *j, const char *key, long long value)
{
	begin_value(j, key);
	fprintf(j->out, "%lld", value);
}

void json_uint(struct json *j, const char *key, unsigned long long value)
{
	begin_value(j, key);
	fprintf(j->out, "%llu", value);
}

void json_double(struct json *j, const char *key, double value)
{
	begin_value(j, key);
	if (isfinite(value))
		fprintf(j->out, "%.6g", value);
	else
		fputs("null", j->out);
}

void json_hex(struct json *j, const char *key, unsigned long long value)
{
	begin_value(j, key);
	fprintf(j->out, "\"0x%llx\"", value);
}

void json_int_or_null(struct json *j, const char *key, long long value, bool present)
{
	if (present)
		json_int(j, key, value);
	else
		json_null(j, key);
}

void json_bool(struct json *j, const char *key, bool value)
{
	begin_value(j, key);
	fputs(value ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key)
{
	begin_value(j, key);
	fputs("null", j->out);
}

void json_finish(struct json *j)
{
	fputc('\n', j->out);
}

static struct {
	bool set;
	char *machine, *kernel, *taken, *taken_by;
} origin;

static char *copy_or_null(const char *s)
{
	return s ? vt_xstrdup(s) : NULL;
}

void json_document_origin(const char *machine, const char *kernel, const char *taken, const char *taken_by)
{
	origin.set = true;
	origin.machine = copy_or_null(machine);
	origin.kernel = copy_or_null(kernel);
	origin.taken = copy_or_null(taken);
	origin.taken_by = copy_or_null(taken_by);
}

void json_document_begin(struct json *j, FILE *out)
{
	json_init(j, out);
	json_object_begin(j, NULL);
	json_string(j, "schema_version", JSON_SCHEMA_VERSION);
	if (!origin.set)
		return;
	json_object_begin(j, "snapshot");
	json_string(j, "machine", origin.machine);
	json_string(j, "kernel", origin.kernel);
	json_string(j, "taken", origin.taken);
	json_string(j, "taken_by", origin.taken_by);
	json_object_end(j);
}

void json_document_end(struct json *j)
{
	json_object_end(j);
	json_finish(j);
}
