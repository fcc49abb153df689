#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/limits_conf.h"

static int domain_rank(const char *domain, const char *user, const char *const *groups, size_t n_groups)
{
	size_t i;

	if (strcmp(domain, user) == 0)
		return 3;
	if (domain[0] == '@')
		for (i = 0; i < n_groups; i++)
			if (strcmp(domain + 1, groups[i]) == 0)
				return 2;
	return strcmp(domain, "*") == 0 ? 1 : 0;
}

static bool parse_kib(const char *value, uint64_t *bytes)
{
	char *end;
	unsigned long long kib;

	if (strcasecmp(value, "unlimited") == 0 || strcasecmp(value, "infinity") == 0) {
		*bytes = MEMLOCK_UNLIMITED;
		return true;
	}
	if (*value < '0' || *value > '9')
		return false;
	kib = strtoull(value, &end, 10);
	if (*end || kib > UINT64_MAX / 1024)
		return false;
	*bytes = kib * 1024;
	return true;
}

static void apply_line(char *line, const char *user, const char *const *groups, size_t n_groups,
		       struct memlock_match *m)
{
	char *field[4], *save = NULL, *hash = strchr(line, '#');
	uint64_t bytes;
	int n, rank;

	if (hash)
		*hash = '\0';
	for (n = 0; n < 4 && (field[n] = strtok_r(n ? NULL : line, " \t", &save)); n++)
		;
	if (n < 4 || strtok_r(NULL, " \t", &save) || strcmp(field[2], "memlock") != 0)
		return;
	if (strcmp(field[1], "soft") != 0 && strcmp(field[1], "-") != 0)
		return;
	rank = domain_rank(field[0], user, groups, n_groups);
	if (rank == 0 || rank < m->rank || !parse_kib(field[3], &bytes))
		return;
	m->rank = rank;
	m->bytes = bytes;
}

void limits_conf_memlock(const char *text, size_t len, const char *user,
			 const char *const *groups, size_t n_groups, struct memlock_match *m)
{
	char line[512];
	size_t start = 0, end, n;

	while (start < len) {
		for (end = start; end < len && text[end] != '\n'; end++)
			;
		n = end - start < sizeof(line) - 1 ? end - start : sizeof(line) - 1;
		memcpy(line, text + start, n);
		line[n] = '\0';
		apply_line(line, user, groups, n_groups, m);
		start = end + 1;
	}
}
