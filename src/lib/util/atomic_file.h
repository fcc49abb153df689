/*
 * Replacing a whole file so that a reader (udev, a crash) sees the old contents or the
 * new, never a mix: a temporary file beside it, fsync'd, then renamed over it.
 */
#ifndef VT_ATOMIC_FILE_H
#define VT_ATOMIC_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Writes len bytes of text as path (mode), making missing parent directories (0755). 0 or a negative errno with why. */
int atomic_file_replace(const char *path, const char *text, size_t len, mode_t mode, char *why, size_t whylen);

/* Removes path; one already absent is no error. 0 or a negative errno with why. */
int atomic_file_remove(const char *path, char *why, size_t whylen);

#endif
