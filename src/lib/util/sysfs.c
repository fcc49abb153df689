#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/report.h"
#include "util/sysfs.h"

/* --sysroot: every root under one directory (a snapshot's, or a copied machine's) */
static struct {
	char dir[PATH_MAX];
	char sys[PATH_MAX + 8], proc[PATH_MAX + 8], dev[PATH_MAX + 8], etc[PATH_MAX + 8];
} sysroot;

bool sysroot_set(const char *dir)
{
	if (snprintf(sysroot.dir, sizeof(sysroot.dir), "%s", dir) >= (int)sizeof(sysroot.dir)) {
		sysroot.dir[0] = '\0';
		return false;
	}
	snprintf(sysroot.sys, sizeof(sysroot.sys), "%s/sys", dir);
	snprintf(sysroot.proc, sizeof(sysroot.proc), "%s/proc", dir);
	snprintf(sysroot.dev, sizeof(sysroot.dev), "%s/dev", dir);
	snprintf(sysroot.etc, sizeof(sysroot.etc), "%s/etc", dir);
	return true;
}

const char *sysroot_dir(void)
{
	return sysroot.dir[0] ? sysroot.dir : NULL;
}

const char *sysroot_display(const char *path)
{
	size_t n = strlen(sysroot.dir);

	return n && strncmp(path, sysroot.dir, n) == 0 && path[n] == '/' ? path + n : path;
}

static const char *sysroot_for(const char *var)
{
	if (!sysroot.dir[0])
		return NULL;
	if (strcmp(var, "VFIO_TOOLS_SYSFS") == 0)
		return sysroot.sys;
	if (strcmp(var, "VFIO_TOOLS_PROC") == 0)
		return sysroot.proc;
	if (strcmp(var, "VFIO_TOOLS_DEV") == 0)
		return sysroot.dev;
	return sysroot.etc;
}

static const char *root_from_env(const char *var, const char *fallback)
{
	const char *root = sysroot_for(var);

	if (root)
		return root;
	root = getenv(var);
	return root && *root ? root : fallback;
}

const char *sysfs_root(void)
{
	return root_from_env("VFIO_TOOLS_SYSFS", "/sys");
}

static bool root_is_real(const char *var, const char *real)
{
	return strcmp(root_from_env(var, real), real) == 0;
}

bool sysfs_is_real(void)
{
	return root_is_real("VFIO_TOOLS_SYSFS", "/sys");
}

bool procfs_is_real(void)
{
	return root_is_real("VFIO_TOOLS_PROC", "/proc");
}

bool devfs_is_real(void)
{
	return root_is_real("VFIO_TOOLS_DEV", "/dev");
}

static bool vrooted_path(const char *root, char *buf, size_t len, const char *fmt, va_list ap)
{
	int n = snprintf(buf, len, "%s/", root);

	if (n < 0 || (size_t)n >= len)
		return false;
	n += vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	return n > 0 && (size_t)n < len;
}

bool sysfs_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vrooted_path(sysfs_root(), buf, len, fmt, ap);
	va_end(ap);
	return ok;
}

bool procfs_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vrooted_path(root_from_env("VFIO_TOOLS_PROC", "/proc"), buf, len, fmt, ap);
	va_end(ap);
	return ok;
}

bool procfs_kernel_release(char *buf, size_t len)
{
	char path[PATH_MAX];

	if (procfs_path(path, sizeof(path), "sys/kernel/osrelease") && sysfs_read_line(path, buf, len))
		return true;
	if (len)
		buf[0] = '\0';
	return false;
}

bool etc_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vrooted_path(root_from_env("VFIO_TOOLS_ETC", "/etc"), buf, len, fmt, ap);
	va_end(ap);
	return ok;
}

bool devfs_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vrooted_path(root_from_env("VFIO_TOOLS_DEV", "/dev"), buf, len, fmt, ap);
	va_end(ap);
	return ok;
}

bool sysfs_read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || len == 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

int sysfs_write(const char *path, const char *value)
{
	size_t len = strlen(value);
	/* O_TRUNC as a shell's '>' has: sysfs ignores it, and a test's fake tree then holds what was written */
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

bool sysfs_link_basename(const char *path, char *buf, size_t len)
{
	char target[4096];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;

	if (n <= 0)
		return false;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!*base || strlen(base) >= len)
		return false;
	memcpy(buf, base, strlen(base) + 1);
	return true;
}

char *read_text_file(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t used = 0;
	ssize_t n;
	char *text;

	if (fd < 0)
		return NULL;
	text = vt_xmalloc(max + 1);
	while (used < max && (n = read(fd, text + used, max - used)) > 0)
		used += (size_t)n;
	close(fd);
	text[used] = '\0';
	return text;
}
