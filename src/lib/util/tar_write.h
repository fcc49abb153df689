/*
 * A small tar writer: POSIX ustar headers, with a pax extended header ('x') carrying
 * path= or linkpath= when a name or link target does not fit ustar's fixed fields
 * (sysfs device paths are often longer than 100 bytes). Every entry is owned by
 * root (uid/gid 0) and has the writer's one mtime, so two snapshots of the same
 * files are byte for byte the same.
 */
#ifndef VT_TAR_WRITE_H
#define VT_TAR_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

struct tar_writer {
	FILE *f;
	time_t mtime;
	bool failed;		/* a write failed or an entry could not be written */
};

void tar_writer_init(struct tar_writer *w, FILE *f, time_t mtime);
/* name is relative ("sys/bus/pci"); a trailing '/' is optional. false (and w->failed) on failure. */
bool tar_add_dir(struct tar_writer *w, const char *name, unsigned mode);
bool tar_add_file(struct tar_writer *w, const char *name, unsigned mode, const void *data, size_t len);
bool tar_add_symlink(struct tar_writer *w, const char *name, const char *target);
/* The two zero blocks that end the archive, then fflush; false if any write (ever) failed. */
bool tar_finish(struct tar_writer *w);

#endif
