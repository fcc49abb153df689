#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binding/bind_state.h"
#include "pci/pci_addr.h"
#include "util/report.h"

const char *bind_state_dir(void)
{
	const char *dir = getenv("VFIO_TOOLS_STATE");

	return dir && *dir ? dir : "/run/vfio-tools";
}

static bool record_path_suffix(const char *address, const char *suffix, char *path, size_t len)
{
	int n = snprintf(path, len, "%s/%s%s", bind_state_dir(), address, suffix);

	return n > 0 && (size_t)n < len;
}

static bool record_path(const char *address, char *path, size_t len)
{
	return record_path_suffix(address, "", path, len);
}

int bind_state_lock(char *why, size_t whylen)
{
	char path[PATH_MAX];
	int fd;

	if (mkdir(bind_state_dir(), 0755) < 0 && errno != EEXIST)
		return vt_why_errno(errno, why, whylen, "%s", bind_state_dir());
	snprintf(path, sizeof(path), "%s/.lock", bind_state_dir());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return vt_why_errno(errno, why, whylen, "%s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		vt_note("waiting for another vfio-admin to finish (lock %s)", path);
		if (flock(fd, LOCK_EX) < 0) {
			close(fd);
			return vt_why_errno(errno, why, whylen, "%s: flock", path);
		}
	}
	return fd;
}

void bind_state_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}

int bind_state_record(const struct bind_record *r)
{
	char text[160];

	snprintf(text, sizeof(text), "driver=%s\noverride=%s\n", r->driver, r->override);
	return bind_state_save_text(r->address, "", text);
}

/* Written to a temporary file and renamed: a crash leaves the old record or the new one. */
int bind_state_save_text(const char *address, const char *suffix, const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;

	if (!record_path_suffix(address, suffix, path, sizeof(path)))
		return -ENAMETOOLONG;
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fputs(text, f);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		int err = -errno;

		fclose(f);
		unlink(tmp);
		return err;
	}
	fclose(f);
	return rename(tmp, path) < 0 ? -errno : 0;
}

static bool copy_value(const char *line, const char *key, char *out, size_t len)
{
	size_t k = strlen(key), n;

	if (strncmp(line, key, k) != 0)
		return false;
	n = strcspn(line + k, "\n");
	if (n >= len)
		return false;
	memcpy(out, line + k, n);
	out[n] = '\0';
	return true;
}

int bind_state_load(const char *address, struct bind_record *r)
{
	char path[PATH_MAX], line[256];
	int found = 0;
	FILE *f;

	memset(r, 0, sizeof(*r));
	if (!record_path(address, path, sizeof(path)) || strlen(address) >= sizeof(r->address))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	strcpy(r->address, address);
	while (fgets(line, sizeof(line), f))
		found |= copy_value(line, "driver=", r->driver, sizeof(r->driver)) ? 1 :
			 copy_value(line, "override=", r->override, sizeof(r->override)) ? 2 : 0;
	fclose(f);
	return found == 3 ? 1 : -EINVAL;
}

int bind_state_forget(const char *address)
{
	return bind_state_remove(address, "");
}

int bind_state_remove(const char *address, const char *suffix)
{
	char path[PATH_MAX];

	if (!record_path_suffix(address, suffix, path, sizeof(path)))
		return -ENAMETOOLONG;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t bind_state_list(char ***addresses)
{
	return bind_state_list_suffix("", addresses);
}

size_t bind_state_list_suffix(const char *suffix, char ***addresses)
{
	size_t n = 0, len, k = strlen(suffix);
	struct pci_addr addr;
	char name[NAME_MAX + 1], why[8];
	struct dirent *e;
	DIR *dir;

	*addresses = NULL;
	dir = opendir(bind_state_dir());
	if (!dir)
		return 0;
	while ((e = readdir(dir))) {
		len = strlen(e->d_name);
		if (len <= k || strcmp(e->d_name + len - k, suffix) != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - k), e->d_name);
		if (pci_addr_parse(name, &addr, why, sizeof(why))) {
			*addresses = vt_xrealloc(*addresses, n + 1, sizeof(**addresses));
			(*addresses)[n++] = vt_xstrdup(name);
		}
	}
	closedir(dir);
	if (n)
		qsort(*addresses, n, sizeof(**addresses), compare_strings);
	return n;
}
