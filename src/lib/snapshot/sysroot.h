/* --sysroot FILE|DIR: list, groups and check analyse a snapshot or another root, not this machine. */
#ifndef VT_SYSROOT_H
#define VT_SYSROOT_H

#include <stdbool.h>

/*
 * A directory is used as it is; a file is a snapshot, extracted (util/tar_extract.h) into
 * a private directory that is removed at exit. Moves every root there (util/sysfs.h),
 * says on stderr what it is a snapshot of (vfio-tools/info), and gives JSON documents
 * their "snapshot" key. false after reporting one line.
 */
bool sysroot_open(const char *arg);

#endif
