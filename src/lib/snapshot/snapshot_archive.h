/* The archive a snapshot writes: paths of this machine copied under their archive names. */
#ifndef VT_SNAPSHOT_ARCHIVE_H
#define VT_SNAPSHOT_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tar_write.h"

#define SNAPSHOT_FILE_MAX (1u << 20)	/* larger files are left out (counted) */

struct snapshot_archive {
	struct tar_writer tar;
	char **dirs;		/* archive directories already written */
	size_t n_dirs;
	unsigned skipped;	/* files unreadable or too large */
	unsigned masked;	/* serial numbers masked */
};

void snapshot_archive_init(struct snapshot_archive *a, FILE *out, time_t now);
/* Ends the archive; false when a write failed. Frees what init allocated. */
bool snapshot_archive_finish(struct snapshot_archive *a);

/* The directory name and its parents, each once. */
void snapshot_add_dirs(struct snapshot_archive *a, const char *name);
/* Bytes as the file name (its parents made). */
void snapshot_add_data(struct snapshot_archive *a, const char *name, const void *data, size_t len);
/* The file at path, read whole up to SNAPSHOT_FILE_MAX, as name; false when unreadable (not added). */
bool snapshot_add_file(struct snapshot_archive *a, const char *name, const char *path);
/* The symlink at path, its target as it is, as name; false when it is no symlink. */
bool snapshot_add_link(struct snapshot_archive *a, const char *name, const char *path);
/* An empty file: for names whose presence is the fact (ACPI tables, /dev nodes). */
void snapshot_add_marker(struct snapshot_archive *a, const char *name);

/* The file at path, read whole up to max bytes into a malloc'd buffer; NULL when unreadable. */
char *snapshot_read(const char *path, size_t max, size_t *len);

#endif
