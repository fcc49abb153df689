/*
 * A file replaced in one step: written to a temporary file in the same directory, then
 * renamed over it, so a reader (node_exporter's textfile collector) sees the old file
 * or the new one, never a part.
 */
#ifndef VT_ATOMIC_FILE_H
#define VT_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

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

#endif
