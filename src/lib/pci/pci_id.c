#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_id.h"
#include "util/report.h"

/* Empty means "any"; otherwise 1 to 4 hexadecimal digits. */
static bool parse_id_half(const char *s, size_t len, int *out)
{
	char buf[5];
	size_t i;

	if (len == 0) {
		*out = -1;
		return true;
	}
	if (len > 4)
		return false;
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		buf[i] = s[i];
	}
	buf[len] = '\0';
	*out = (int)strtol(buf, NULL, 16);
	return true;
}

bool pci_id_filter_parse(const char *text, struct pci_id_filter *f, char *why, size_t whylen)
{
	const char *colon = strchr(text, ':');

	if (!colon || strchr(colon + 1, ':')) {
		vt_why(EINVAL, why, whylen, "expected VENDOR:DEVICE in hexadecimal (either side may be empty)");
		return false;
	}
	if (!parse_id_half(text, (size_t)(colon - text), &f->vendor) ||
	    !parse_id_half(colon + 1, strlen(colon + 1), &f->device)) {
		vt_why(EINVAL, why, whylen, "vendor and device must be 1 to 4 hexadecimal digits");
		return false;
	}
	return true;
}

bool pci_id_filter_match(const struct pci_id_filter *f, uint16_t vendor, uint16_t device)
{
	return (f->vendor < 0 || f->vendor == vendor) && (f->device < 0 || f->device == device);
}
