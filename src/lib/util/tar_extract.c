#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/tar_extract.h"

struct extract {
	int root;
	size_t index;		/* entries handed to us, for why */
	char why[512];		/* our own reason, when we refuse an entry */
};

static bool refuse(struct extract *x, const char *name, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool refuse(struct extract *x, const char *name, int err, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	snprintf(x->why, sizeof(x->why), "entry %zu (%s): ", x->index, name);
	used = strlen(x->why);
	va_start(ap, fmt);
	vsnprintf(x->why + used, sizeof(x->why) - used, fmt, ap);
	va_end(ap);
	used = strlen(x->why);
	if (err)
		snprintf(x->why + used, sizeof(x->why) - used, ": %s", strerror(err));
	return false;
}

/*
 * Opens the directory that holds name's last component, from the root, one component at
 * a time with O_NOFOLLOW (making missing ones); *base is that last component.
 */
static int open_parent(struct extract *x, char *name, char **base)
{
	int fd = dup(x->root);
	char *comp = name, *slash;

	while (fd >= 0 && (slash = strchr(comp, '/')) && slash[1]) {
		int sub = -1, err;

		*slash = '\0';
		if (mkdirat(fd, comp, 0755) == 0 || errno == EEXIST)
			sub = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		err = errno;
		*slash = '/';
		if (sub < 0 && (err == ELOOP || err == ENOTDIR))
			refuse(x, name, 0, "%.*s is not a directory (a symlink or a file)", (int)(slash - name), name);
		else if (sub < 0)
			refuse(x, name, err, "cannot make or open directory %.*s", (int)(slash - name), name);
		close(fd);
		fd = sub;
		comp = slash + 1;
	}
	if (fd < 0 && !x->why[0])
		refuse(x, name, errno, "cannot open the extraction directory");
	*base = comp;
	return fd;
}

static bool write_file(struct extract *x, int dirfd, const char *base, const struct tar_entry *e)
{
	int fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			(e->mode & 0644) | 0200);
	size_t done = 0;

	if (fd < 0)
		return refuse(x, e->name, errno, errno == EEXIST ? "already there" : "cannot create it");
	while (done < e->size) {
		ssize_t n = write(fd, e->data + done, e->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			refuse(x, e->name, n < 0 ? errno : EIO, "cannot write it");
			close(fd);
			return false;
		}
		done += (size_t)n;
	}
	if (close(fd) < 0)
		return refuse(x, e->name, errno, "cannot write it");
	return true;
}

static bool extract_entry(const struct tar_entry *e, void *arg)
{
	struct extract *x = arg;
	char name[PATH_MAX], *base;
	struct stat st;
	bool ok = true;
	int dirfd;

	x->index++;
	snprintf(name, sizeof(name), "%s", e->name);
	dirfd = open_parent(x, name, &base);
	if (dirfd < 0)
		return false;
	if (e->type == TAR_DIR) {
		base[strcspn(base, "/")] = '\0';
		if (mkdirat(dirfd, base, 0755) < 0 &&
		    (errno != EEXIST || fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)))
			ok = refuse(x, e->name, errno == EEXIST ? 0 : errno,
				    errno == EEXIST ? "already there, not a directory" : "cannot make it");
	} else if (e->type == TAR_SYMLINK) {
		if (symlinkat(e->target, dirfd, base) < 0)
			ok = refuse(x, e->name, errno, errno == EEXIST ? "already there" : "cannot make the symlink");
	} else {
		ok = write_file(x, dirfd, base, e);
	}
	close(dirfd);
	return ok;
}

/* The whole file, at most max bytes. */
static unsigned char *read_all(int fd, size_t max, size_t *len, char *why, size_t whylen)
{
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap), *bigger;
	ssize_t r;

	while (buf) {
		if (n == cap) {
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				snprintf(why, whylen, "out of memory");
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, whylen, "cannot read it: %s", strerror(errno));
			break;
		}
		if (r == 0) {
			*len = n;
			return buf;
		}
		n += (size_t)r;
		if (n > max) {
			snprintf(why, whylen, "larger than %zu bytes", max);
			break;
		}
	}
	free(buf);
	return NULL;
}

static bool dir_empty(int fd)
{
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	bool empty = d != NULL;

	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = false;
	if (d)
		closedir(d);
	else if (dfd >= 0)
		close(dfd);
	return empty;
}

bool tar_extract_file(const char *path, const char *dir, const struct tar_limits *lim, char *why, size_t whylen)
{
	static const struct tar_limits defaults = TAR_LIMITS_DEFAULT;
	struct extract x = { .root = -1 };
	unsigned char *buf;
	size_t len = 0, max;
	bool ok;
	int fd, root;

	if (!lim)
		lim = &defaults;
	/* the files' data, and for each entry a header, a pax header and their padding */
	max = lim->max_total_size;
	max += lim->max_entries > (SIZE_MAX - max) / 4096 ? SIZE_MAX - max : lim->max_entries * 4096;
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		snprintf(why, whylen, "%s: %s", dir, strerror(errno));
		return false;
	}
	if (!dir_empty(root)) {
		snprintf(why, whylen, "%s: not an empty directory", dir);
		close(root);
		return false;
	}
	x.root = root;
	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		close(root);
		return false;
	}
	buf = read_all(fd, max, &len, x.why, sizeof(x.why));
	if (fd != STDIN_FILENO)
		close(fd);
	if (!buf) {
		snprintf(why, whylen, "%s: %s", path, x.why);
		close(root);
		return false;
	}
	ok = tar_parse(buf, len, lim, extract_entry, &x, why, whylen);
	if (!ok && x.why[0])
		snprintf(why, whylen, "%s", x.why);
	free(buf);
	close(root);
	return ok;
}
