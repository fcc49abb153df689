#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pci/pci_class.h"
#include "util/report.h"

struct class_name {
	const char *name;
	uint32_t value;		/* as in pci_class_filter */
	uint32_t mask;
};

#define BASE(n, c)	{ n, (uint32_t)(c) << 16, 0xff0000 }
#define SUB(n, c)	{ n, (uint32_t)(c) << 8, 0xffff00 }

/* Base classes and subclasses from the PCI Code and ID Assignment specification. */
static const struct class_name class_names[] = {
	BASE("unclassified", 0x00),
	BASE("storage", 0x01),
	BASE("network", 0x02),
	BASE("display", 0x03),
	BASE("multimedia", 0x04),
	BASE("memory", 0x05),
	BASE("bridge", 0x06),
	BASE("communication", 0x07),
	BASE("system", 0x08),
	BASE("input", 0x09),
	BASE("docking", 0x0a),
	BASE("processor", 0x0b),
	BASE("serial", 0x0c),
	BASE("wireless", 0x0d),
	BASE("intelligent", 0x0e),
	BASE("satellite", 0x0f),
	BASE("encryption", 0x10),
	BASE("signal", 0x11),
	BASE("accelerator", 0x12),
	BASE("instrumentation", 0x13),
	BASE("coprocessor", 0x40),
	SUB("vga", 0x0300),
	SUB("nvme", 0x0108),
	SUB("sata", 0x0106),
	SUB("ethernet", 0x0200),
	SUB("usb", 0x0c03),
	SUB("audio", 0x0403),
	SUB("host-bridge", 0x0600),
	SUB("isa-bridge", 0x0601),
	SUB("pci-bridge", 0x0604),
};

const char *pci_class_filter_name(size_t i)
{
	return i < sizeof(class_names) / sizeof(class_names[0]) ? class_names[i].name : NULL;
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

bool pci_class_filter_parse(const char *text, struct pci_class_filter *f, char *why, size_t whylen)
{
	const char *hex;
	size_t i, len;

	for (i = 0; (hex = pci_class_filter_name(i)); i++)
		if (strcasecmp(text, hex) == 0) {
			f->value = class_names[i].value;
			f->mask = class_names[i].mask;
			return true;
		}
	hex = strncasecmp(text, "0x", 2) == 0 ? text + 2 : text;
	len = strlen(hex);
	if ((len == 2 || len == 4 || len == 6) && all_hex(hex)) {
		unsigned shift = (unsigned)(6 - len) * 4;

		f->value = (uint32_t)strtoul(hex, NULL, 16) << shift;
		f->mask = (0xffffffu << shift) & 0xffffff;
		return true;
	}
	vt_why(EINVAL, why, whylen, "not a class name (network, storage, display, ...: see --help) "
		 "nor 2, 4 or 6 hexadecimal digits");
	return false;
}

bool pci_class_filter_match(const struct pci_class_filter *f, uint32_t class24)
{
	return (class24 & f->mask) == f->value;
}
