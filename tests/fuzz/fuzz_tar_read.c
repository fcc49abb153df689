/*
 * libFuzzer: the tar parser over any bytes, with small limits so that they are reached.
 * Every entry it hands over must be safe to extract: a relative name without "." or ".."
 * components or empty ones, data inside the input, a relative target that cannot climb
 * above the root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tar_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *data;
	size_t size, entries;
};

static void check_name(const char *name, enum tar_entry_type type)
{
	size_t len = strlen(name);
	const char *c = name;

	if (len == 0 || name[0] == '/' || (type == TAR_DIR) != (name[len - 1] == '/'))
		abort();
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			abort();
		c += n;
		if (*c == '/')
			c++;
	}
}

static bool check_entry(const struct tar_entry *e, void *arg)
{
	struct input *in = arg;
	size_t depth = 0;
	const char *c;

	check_name(e->name, e->type);
	if (e->size && (e->data < in->data || e->size > in->size ||
			(size_t)(e->data - in->data) > in->size - e->size))
		abort();
	if ((e->type == TAR_SYMLINK) != (e->target != NULL) || (e->type != TAR_FILE && e->size))
		abort();
	if (e->target) {
		for (c = e->name; *c; c++)
			depth += *c == '/';
		if (!*e->target || e->target[0] == '/')
			abort();
		for (c = e->target; *c; c++)
			if (strncmp(c, "..", 2) == 0 && (c == e->target || c[-1] == '/') && (c[2] == '/' || !c[2]) &&
			    depth-- == 0)
				abort();
	}
	/* touch every byte, for ASan */
	if (e->size && memchr(e->data, 0x100 - 1, e->size) == e->data + e->size)
		abort();
	return ++in->entries < 64;
}

/*
 * A copy with the checksum of every block that looks like a header made right, so that
 * mutations get past the checksum to the fields behind it.
 */
static uint8_t *with_checksums(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	size_t off, i;
	unsigned sum;
	char field[8];

	if (!copy)
		return NULL;
	memcpy(copy, data, size);
	for (off = 0; off + 512 <= size; off += 512) {
		if (memcmp(copy + off + 257, "ustar", 5) != 0)
			continue;
		memset(copy + off + 148, ' ', 8);
		for (sum = 0, i = 0; i < 512; i++)
			sum += copy[off + i];
		snprintf(field, sizeof(field), "%06o", sum);
		memcpy(copy + off + 148, field, 7);
	}
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tar_limits lim = { .max_entries = 48, .max_file_size = 16384, .max_total_size = 32768 };
	struct input in = { data, size, 0 };
	uint8_t *fixed = with_checksums(data, size);
	char why[160];

	tar_parse(data, size, &lim, check_entry, &in, why, sizeof(why));
	in.entries = 0;
	tar_parse(data, size, NULL, check_entry, &in, why, 7);
	if (fixed) {
		in = (struct input){ fixed, size, 0 };
		tar_parse(fixed, size, &lim, check_entry, &in, why, sizeof(why));
		free(fixed);
	}
	return 0;
}
