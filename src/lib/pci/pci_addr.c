#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "pci/pci_addr.h"

/* Parses 1..maxdigits hex digits spanning exactly [s, end). */
static bool parse_hex_field(const char *s, const char *end, unsigned maxdigits, uint32_t *out)
{
	size_t n = (size_t)(end - s);
	uint32_t v = 0;

	if (n == 0 || n > maxdigits)
		return false;
	for (; s < end; s++) {
		if (!isxdigit((unsigned char)*s))
			return false;
		v = v * 16 + (uint32_t)(isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10);
	}
	*out = v;
	return true;
}

static bool fail(char *why, size_t whylen, const char *msg)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", msg);
	return false;
}

bool pci_addr_parse(const char *text, struct pci_addr *addr, char *why, size_t whylen)
{
	const char *c1, *c2, *dot, *bus_start;
	uint32_t domain = 0, bus, dev, fn;

	if (!*text)
		return fail(why, whylen, "empty address");
	c1 = strchr(text, ':');
	if (!c1)
		return fail(why, whylen, "expected DDDD:BB:DD.F or BB:DD.F");
	c2 = strchr(c1 + 1, ':');
	if (c2 && strchr(c2 + 1, ':'))
		return fail(why, whylen, "too many ':' separators");
	if (c2) {
		if (!parse_hex_field(text, c1, 8, &domain))
			return fail(why, whylen, "domain must be 1 to 8 hexadecimal digits");
		bus_start = c1 + 1;
	} else {
		bus_start = text;
		c2 = c1;
	}
	if (!parse_hex_field(bus_start, c2, 2, &bus))
		return fail(why, whylen, "bus must be 1 or 2 hexadecimal digits");
	dot = strchr(c2 + 1, '.');
	if (!dot)
		return fail(why, whylen, "missing '.' before the function number");
	if (!parse_hex_field(c2 + 1, dot, 2, &dev) || dev > 0x1f)
		return fail(why, whylen, "device must be a hexadecimal number from 00 to 1f");
	if (!parse_hex_field(dot + 1, dot + 1 + strlen(dot + 1), 1, &fn) || fn > 7)
		return fail(why, whylen, "function must be a digit from 0 to 7");
	addr->domain = domain;
	addr->bus = (uint8_t)bus;
	addr->dev = (uint8_t)dev;
	addr->fn = (uint8_t)fn;
	return true;
}

void pci_addr_format(const struct pci_addr *addr, char out[PCI_ADDR_STRLEN])
{
	snprintf(out, PCI_ADDR_STRLEN, "%04x:%02x:%02x.%x",
		 addr->domain, addr->bus, addr->dev, addr->fn);
}

int pci_addr_compare(const struct pci_addr *a, const struct pci_addr *b)
{
	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->fn != b->fn)
		return a->fn < b->fn ? -1 : 1;
	return 0;
}

static bool is_glob(const char *text)
{
	return strpbrk(text, "*?[") != NULL;
}

/* Hex digits, separators and glob syntax only, with every '[' closed. */
static bool glob_chars_valid(const char *text)
{
	bool in_bracket = false;

	for (; *text; text++) {
		if (!isxdigit((unsigned char)*text) && !strchr(":.*?[]-!", *text))
			return false;
		if (*text == '[')
			in_bracket = true;
		else if (*text == ']')
			in_bracket = false;
	}
	return !in_bracket;
}

/* Appends [s, end) to out at *used, left-padded with zeros to width when it is plain hex. */
static bool append_field(char *out, size_t len, size_t *used, const char *s, const char *end, size_t width)
{
	size_t n = (size_t)(end - s), pad = 0;
	const char *p;

	for (p = s; p < end && isxdigit((unsigned char)*p); p++)
		;
	if (p == end && n && n < width)
		pad = width - n;
	if (*used + pad + n >= len)
		return false;
	memset(out + *used, '0', pad);
	memcpy(out + *used + pad, s, n);
	*used += pad + n;
	out[*used] = '\0';
	return true;
}

/*
 * The glob as canonical addresses spell it: a short glob (BB:DD.F) gets domain 0000, as a
 * short address does, and every field without glob syntax its leading zeros ("1:0.*" is
 * 0000:01:00.*).  A first field longer than a bus number ("10000:*") is a domain.
 */
static bool canonical_glob(const char *text, int colons, char *out, size_t len)
{
	static const char domain0[] = "0000", colon[] = ":";
	const char *c1 = strchr(text, ':'), *bus = text, *devfn, *dot;
	size_t used = 0;

	out[0] = '\0';
	if (colons == 0)
		return append_field(out, len, &used, text, text + strlen(text), 0);
	if (colons == 2) {
		if (!append_field(out, len, &used, text, c1, 4))
			return false;
		bus = c1 + 1;
	} else if (c1 - text > 2) {
		return append_field(out, len, &used, text, text + strlen(text), 0);
	} else if (!append_field(out, len, &used, domain0, domain0 + 4, 0)) {
		return false;
	}
	devfn = strchr(bus, ':') + 1;
	if (!append_field(out, len, &used, colon, colon + 1, 0) || !append_field(out, len, &used, bus, devfn - 1, 2) ||
	    !append_field(out, len, &used, colon, colon + 1, 0))
		return false;
	dot = strchr(devfn, '.');
	if (!dot)
		return append_field(out, len, &used, devfn, devfn + strlen(devfn), 0);
	return append_field(out, len, &used, devfn, dot, 2) &&
	       append_field(out, len, &used, dot, dot + strlen(dot), 0);
}

bool pci_selector_parse(const char *text, struct pci_selector *sel, char *why, size_t whylen)
{
	const char *p;
	int colons = 0;
	size_t i;

	memset(sel, 0, sizeof(*sel));
	if (!is_glob(text)) {
		if (!pci_addr_parse(text, &sel->addr, why, whylen))
			return false;
		pci_addr_format(&sel->addr, sel->pattern);
		return true;
	}
	if (!glob_chars_valid(text))
		return fail(why, whylen, "a glob may hold only hexadecimal digits, ':', '.', '*', '?' and closed [...]");
	for (p = text; *p; p++)
		colons += *p == ':';
	if (colons > 2)
		return fail(why, whylen, "too many ':' separators");
	if (!canonical_glob(text, colons, sel->pattern, sizeof(sel->pattern)))
		return fail(why, whylen, "glob too long");
	for (i = 0; sel->pattern[i]; i++)
		sel->pattern[i] = (char)tolower((unsigned char)sel->pattern[i]);
	sel->is_glob = true;
	return true;
}

bool pci_selector_match(const struct pci_selector *sel, const struct pci_addr *addr)
{
	char canon[PCI_ADDR_STRLEN];

	if (!sel->is_glob)
		return pci_addr_compare(&sel->addr, addr) == 0;
	pci_addr_format(addr, canon);
	return fnmatch(sel->pattern, canon, 0) == 0;
}
