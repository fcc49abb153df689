/*
 * Extracting a tar archive safely: whatever the archive holds, nothing is written outside
 * the directory, nor through a symlink (even one the archive made itself).
 */
#ifndef VT_TAR_EXTRACT_H
#define VT_TAR_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tar_read.h"

/*
 * Extracts the archive at path ("-": standard input) into dir, an existing empty
 * directory, with tar_parse's checks (lim NULL: TAR_LIMITS_DEFAULT). Every parent is
 * opened from dir with O_NOFOLLOW (missing ones made, 0755); files are created with
 * O_EXCL|O_NOFOLLOW (their mode & 0644, plus the owner's write), directories 0755 (one
 * already there is fine), symlinks as they are. A name already there as something else
 * is an error. false with a one-line why; what was extracted before it stays.
 */
bool tar_extract_file(const char *path, const char *dir, const struct tar_limits *lim, char *why, size_t whylen);

#endif
