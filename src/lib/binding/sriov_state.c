#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding/bind_state.h"
#include "binding/sriov_state.h"

#define SUFFIX ".sriov"

int sriov_state_record(const struct sriov_record *r)
{
	char text[64];

	snprintf(text, sizeof(text), "numvfs=%u\nautoprobe=%d\n", r->numvfs, r->autoprobe ? 1 : 0);
	return bind_state_save_text(r->address, SUFFIX, text);
}

static bool read_number(const char *line, const char *key, unsigned max, unsigned *out)
{
	size_t k = strlen(key);
	char *end;
	unsigned long v;

	if (strncmp(line, key, k) != 0 || line[k] < '0' || line[k] > '9')
		return false;
	v = strtoul(line + k, &end, 10);
	if ((*end && *end != '\n') || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

int sriov_state_load(const char *address, struct sriov_record *r)
{
	char path[PATH_MAX], line[128];
	unsigned autoprobe = 1;
	int found = 0, n;
	FILE *f;

	memset(r, 0, sizeof(*r));
	n = snprintf(path, sizeof(path), "%s/%s" SUFFIX, bind_state_dir(), address);
	if (n < 0 || (size_t)n >= sizeof(path) || strlen(address) >= sizeof(r->address))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	snprintf(r->address, sizeof(r->address), "%s", address);
	while (fgets(line, sizeof(line), f))
		found |= read_number(line, "numvfs=", 65535, &r->numvfs) ? 1 :
			 read_number(line, "autoprobe=", 1, &autoprobe) ? 2 : 0;
	fclose(f);
	r->autoprobe = autoprobe != 0;
	return found == 3 ? 1 : -EINVAL;
}

int sriov_state_forget(const char *address)
{
	return bind_state_remove(address, SUFFIX);
}

size_t sriov_state_list(char ***addresses)
{
	return bind_state_list_suffix(SUFFIX, addresses);
}
