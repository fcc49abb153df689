#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"

const char *sysfs_root(void)
{
	const char *root = getenv("VFIO_TOOLS_SYSFS");

	return root && *root ? root : "/sys";
}

bool sysfs_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(buf, len, "%s/", sysfs_root());

	if (n < 0 || (size_t)n >= len)
		return false;
	va_start(ap, fmt);
	n += vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	return n > 0 && (size_t)n < len;
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
