#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic_file.h"
#include "util/report.h"

/* mkdir -p of the file's directory. */
static int mkdir_parent(const char *path, char *why, size_t whylen)
{
	char dir[PATH_MAX], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; ; p++)
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST)
				return vt_why_errno(errno, why, whylen, "%s", dir);
			if (!(*p = c))
				return 0;
		}
}

static int write_all(int fd, const char *text, size_t len)
{
	ssize_t n;

	for (; len; text += n, len -= (size_t)n)
		if ((n = write(fd, text, len)) < 0) {
			if (errno == EINTR)
				n = 0;
			else
				return -errno;
		}
	return 0;
}

int atomic_file_replace(const char *path, const char *text, size_t len, mode_t mode, char *why, size_t whylen)
{
	char tmp[PATH_MAX + 16];
	int fd, r;

	if ((r = mkdir_parent(path, why, whylen)) < 0)
		return r;
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return vt_why_errno(errno, why, whylen, "%s", tmp);
	r = fchmod(fd, mode) < 0 ? -errno : write_all(fd, text, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r < 0) {
		r = vt_why_errno(-r, why, whylen, "%s", tmp);
		close(fd);
		unlink(tmp);
		return r;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		r = vt_why_errno(errno, why, whylen, "%s", path);
		unlink(tmp);
		return r;
	}
	return 0;
}

int atomic_file_remove(const char *path, char *why, size_t whylen)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return vt_why_errno(errno, why, whylen, "%s", path);
	return 0;
}
