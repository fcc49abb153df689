/* sysfs, procfs and /dev access under roots that tests can move (VFIO_TOOLS_SYSFS, _PROC, _DEV, _ETC). */
#ifndef VT_SYSFS_H
#define VT_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

/* "/sys", or $VFIO_TOOLS_SYSFS when set (a fake tree for tests). */
const char *sysfs_root(void);

/*
 * --sysroot DIR: /sys, /proc, /dev and /etc become DIR/sys, DIR/proc, DIR/dev and DIR/etc,
 * over the environment variables; false when DIR is too long. sysroot_dir() is DIR, or
 * NULL when none is set.
 */
bool sysroot_set(const char *dir);
const char *sysroot_dir(void);
/* A path under the sysroot as the machine had it ("/dev/vfio/3"); others as they are. */
const char *sysroot_display(const char *path);

/* Whether a root is the machine's own, not a fake tree a test put in its place. */
bool sysfs_is_real(void);
bool procfs_is_real(void);
bool devfs_is_real(void);

/* Writes root + formatted relative path into buf; false if it does not fit. */
bool sysfs_path(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same under /proc ($VFIO_TOOLS_PROC), /dev ($VFIO_TOOLS_DEV) and /etc ($VFIO_TOOLS_ETC). */
bool procfs_path(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The running kernel's release ("6.12.48+deb13-amd64") from VFIO_TOOLS_PROC or /proc; "" and false when unknown. */
bool procfs_kernel_release(char *buf, size_t len);
bool devfs_path(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool etc_path(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A whole file of at most max bytes (the rest ignored), NUL-terminated, malloc'd; NULL
 * with errno when it cannot be opened. */
char *read_text_file(const char *path, size_t max);

/* Reads the first line of a file, without its newline. */
bool sysfs_read_line(const char *path, char *buf, size_t len);

/* Writes value to a sysfs attribute in one write(); 0 or a negative errno. */
int sysfs_write(const char *path, const char *value);

/* Reads a symlink and stores the last component of its target. */
bool sysfs_link_basename(const char *path, char *buf, size_t len);

#endif
