#include <ctype.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include "util/units.h"

bool parse_size(const char *text, uint64_t *bytes)
{
	static const char suffixes[] = "KMGTPE";
	unsigned long long v;
	unsigned shift = 0;
	char *end;
	int i;

	if (!isdigit((unsigned char)*text))
		return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno)
		return false;
	if (*end) {
		for (i = 0; suffixes[i] && toupper((unsigned char)*end) != suffixes[i]; i++)
			;
		if (!suffixes[i])
			return false;
		shift = 10 * (unsigned)(i + 1);
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'B' || *end == 'b')
			end++;
		if (*end || v > (UINT64_MAX >> shift))
			return false;
	}
	*bytes = (uint64_t)v << shift;
	return true;
}

void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned i = 0;

	while (i < 6 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		i++;
	}
	if (i == 0 && bytes >= 1024) {
		double v = (double)bytes;

		while (v >= 1024 && i < 6) {
			v /= 1024;
			i++;
		}
		snprintf(buf, len, "%.1f %s", v, names[i]);
		return;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)bytes, names[i]);
}
