/*
 * `vfio-admin snapshot`: one tar of what list, groups and check read on this machine, laid
 * out as the machine's own paths (sys/, proc/, dev/, etc/, lib/modules/RELEASE/) plus
 * vfio-tools/info and vfio-tools/live-facts, without serial numbers. `--sysroot` reads it.
 */
#ifndef VT_SNAPSHOT_H
#define VT_SNAPSHOT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#define SNAPSHOT_INFO_FILE "vfio-tools/info"

struct snapshot_stats {
	unsigned skipped;	/* files unreadable or too large */
	unsigned masked;	/* serial numbers masked */
};

/* Writes the snapshot to out; false with why when sysfs cannot be read or a write failed. */
bool snapshot_write(FILE *out, time_t now, struct snapshot_stats *stats, char *why, size_t whylen);

#endif
