/*
 * A small streaming JSON writer. Used where the output nests objects with their own
 * keys (groups with members), which libsmartcols' line-per-row JSON cannot express.
 */
#ifndef VT_JSON_H
#define VT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *out;
	int depth;
	bool has_items[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *out);
/* key is NULL inside arrays and for the top-level value. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);	/* NULL -> null */
void json_int(struct json *j, const char *key, long long value);
void json_uint(struct json *j, const char *key, unsigned long long value);
/* %.6g; null when not finite. */
void json_double(struct json *j, const char *key, double value);
/* "0x1f": for addresses, offsets and bitmaps that may exceed 2^53 (jq reads numbers as doubles). */
void json_hex(struct json *j, const char *key, unsigned long long value);
void json_int_or_null(struct json *j, const char *key, long long value, bool present);
void json_bool(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
void json_finish(struct json *j);	/* final newline */

/*
 * The version of the --json contract (doc/schema/): "MAJOR.MINOR". MINOR grows when keys or
 * values are added, MAJOR when a key is removed or renamed or changes its type or meaning.
 */
#define JSON_SCHEMA_VERSION "1.1"

/* Every --json document: its top-level object, opened with "schema_version" as first key. */
void json_document_begin(struct json *j, FILE *out);
void json_document_end(struct json *j);
/*
 * Where the data of every later document comes from when it is not this machine (--sysroot):
 * json_document_begin() then writes "snapshot": {machine, kernel, taken, taken_by} after
 * "schema_version". The strings are copied; NULL ones are written as null.
 */
void json_document_origin(const char *machine, const char *kernel, const char *taken, const char *taken_by);	/* closes it, final newline */

#endif
