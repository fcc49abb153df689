/*
 * A file replaced in one step: written to a temporary file in the same directory, then
 * renamed over it, so a reader (node_exporter's textfile collector) sees the old file
 * or the new one, never a part (udev, a crash).
 */
#ifndef VT_ATOMIC_FILE_H
#define VT_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct atomic_file {
	FILE *f;		/* write here */
	char *path;
	char *tmp;		/* ".NAME.XXXXXX" beside path: no reader's "*.prom" matches it */
};

/* Creates the temporary file (mode 0666 less the umask, as a shell's > would); -errno with why. */
int atomic_file_open(struct atomic_file *af, const char *path, char *why, size_t whylen);
/* Flushes and syncs it, then renames it over path; on failure removes it. Frees af either way. */
int atomic_file_commit(struct atomic_file *af, char *why, size_t whylen);
/* Removes the temporary file and frees af. */
void atomic_file_abort(struct atomic_file *af);

/* The whole file at once: len bytes of text as path (mode), making missing parent directories (0755). */
int atomic_file_replace(const char *path, const char *text, size_t len, mode_t mode, char *why, size_t whylen);
/* Removes path; one already absent is no error. 0 or a negative errno with why. */
int atomic_file_remove(const char *path, char *why, size_t whylen);

#endif
