/* The /sys part of a snapshot: what list, groups and check read there, under "sys/". */
#ifndef VT_SNAPSHOT_SYSFS_H
#define VT_SNAPSHOT_SYSFS_H

#include "snapshot/snapshot_archive.h"

/* Copies from sysfs_root(); false when it cannot be resolved (nothing copied). */
bool snapshot_sysfs(struct snapshot_archive *a);

#endif
