/*
 * A tar reader for hostile input: a pure parser over an archive held in memory, no file
 * system access. It accepts POSIX ustar (and GNU tar's "ustar  " magic) with pax 'x'
 * headers' path= and linkpath=; files, directories and symlinks only. Every entry is
 * checked (header checksum, strict octal fields, sizes inside the buffer, limits) and its
 * name normalised and refused if it could land outside the extraction root.
 */
#ifndef VT_TAR_READ_H
#define VT_TAR_READ_H

#include <stdbool.h>
#include <stddef.h>

enum tar_entry_type { TAR_FILE, TAR_DIR, TAR_SYMLINK };

/* Valid only during the callback: name and target live in the parser's buffers. */
struct tar_entry {
	enum tar_entry_type type;
	const char *name;		/* relative, normalised, no "." or ".." component; dirs end in '/' */
	const char *target;		/* symlinks: relative, stays inside the root; NULL otherwise */
	unsigned mode;			/* the permission bits (07777) */
	const unsigned char *data;	/* files: size bytes inside the archive's buffer */
	size_t size;
};

struct tar_limits {
	size_t max_entries;		/* files, directories and symlinks */
	size_t max_file_size;
	size_t max_total_size;		/* all files' data together */
};

#define TAR_LIMITS_DEFAULT { .max_entries = 1u << 20, .max_file_size = 64u << 20, \
			     .max_total_size = 1u << 30 }

/*
 * Walks the whole archive buf (len bytes), calling cb for each entry once it is
 * validated. lim NULL: TAR_LIMITS_DEFAULT. Stops at the first invalid entry: false, with
 * why one line ("entry 12 (sys/x): bad header checksum"). When cb returns false it stops
 * too and returns false with why "entry N (NAME): refused by the caller" (a callback with
 * a reason of its own keeps it in arg). true at the end of the archive: two zero blocks,
 * one, or the buffer's end right after an entry.
 */
bool tar_parse(const void *buf, size_t len, const struct tar_limits *lim,
	       bool (*cb)(const struct tar_entry *e, void *arg), void *arg, char *why, size_t whylen);

#endif
