/*
 * libFuzzer target for the command-line selectors: the input (a NUL-terminated copy) goes
 * through pci_addr_parse, pci_selector_parse (exact or glob) and its matcher, the
 * VENDOR:DEVICE filter, the class filter and parse_size, each with invariants checked:
 * a parsed address formats to a canonical string that parses back to the same address,
 * filters match what they were parsed from, sizes agree with a reference parser.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_addr.h"
#include "pci/pci_class.h"
#include "pci/pci_id.h"
#include "util/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_why(const char *why, size_t whylen)
{
	if (whylen && strnlen(why, whylen) >= whylen)
		abort();
}

static void check_addr(const char *text, size_t whylen)
{
	struct pci_addr a, b;
	char canon[PCI_ADDR_STRLEN], why[64];

	if (!pci_addr_parse(text, &a, why, whylen)) {
		check_why(why, whylen);
		pci_addr_parse(text, &a, NULL, 0);
		return;
	}
	if (a.dev > 0x1f || a.fn > 7)
		abort();
	pci_addr_format(&a, canon);
	if (strlen(canon) > 16 || !pci_addr_parse(canon, &b, why, sizeof(why)) ||
	    pci_addr_compare(&a, &b) != 0)
		abort();
	for (const char *c = canon; *c; c++)
		if (isupper((unsigned char)*c))
			abort();
}

static void check_selector(const char *text, const struct pci_addr *probe, size_t whylen)
{
	static const struct pci_addr fixed[] = {
		{ 0, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0x3a, 0x1f, 7 }, { 0x10000, 0, 2, 1 },
		{ 0xffffffff, 0xff, 0x1f, 7 },
	};
	struct pci_selector sel;
	char why[64], canon[PCI_ADDR_STRLEN];
	size_t i;

	if (!pci_selector_parse(text, &sel, why, whylen)) {
		check_why(why, whylen);
		return;
	}
	if (strnlen(sel.pattern, sizeof(sel.pattern)) >= sizeof(sel.pattern))
		abort();
	if (!sel.is_glob) {
		pci_addr_format(&sel.addr, canon);
		if (strcmp(canon, sel.pattern) != 0 || !pci_selector_match(&sel, &sel.addr))
			abort();
	} else {
		for (i = 0; sel.pattern[i]; i++)
			if (isupper((unsigned char)sel.pattern[i]))
				abort();
	}
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		pci_selector_match(&sel, &fixed[i]);
	pci_selector_match(&sel, probe);
}

static void check_id(const char *text, size_t whylen)
{
	struct pci_id_filter f;
	char why[96];

	if (!pci_id_filter_parse(text, &f, why, whylen)) {
		check_why(why, whylen);
		return;
	}
	if (f.vendor < -1 || f.vendor > 0xffff || f.device < -1 || f.device > 0xffff)
		abort();
	if (!pci_id_filter_match(&f, f.vendor < 0 ? 0x8086 : (uint16_t)f.vendor,
				 f.device < 0 ? 0x10fb : (uint16_t)f.device))
		abort();
}

static void check_class(const char *text, size_t whylen)
{
	struct pci_class_filter f;
	char why[160];

	if (!pci_class_filter_parse(text, &f, why, whylen)) {
		check_why(why, whylen);
		return;
	}
	if ((f.mask & ~0xffffffu) || (f.value & ~f.mask) || !pci_class_filter_match(&f, f.value))
		abort();
}

/* Reference for parse_size: decimal digits, then K/M/G/T/P/E with optional i and B. */
static bool ref_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "KMGTPE";
	const char *hit;
	uint64_t v = 0;
	unsigned shift = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return false;
	if (*s) {
		hit = strchr(suffixes, toupper((unsigned char)*s));
		if (!hit || !*hit)
			return false;
		shift = 10 * (unsigned)(hit - suffixes + 1);
		s++;
		if (*s == 'i' || *s == 'I')
			s++;
		if (*s == 'b' || *s == 'B')
			s++;
		if (*s || v > (UINT64_MAX >> shift))
			return false;
	}
	*out = v << shift;
	return true;
}

static void check_size(const char *text)
{
	uint64_t got = 0, want = 0;
	bool ok = parse_size(text, &got), ref = ref_size(text, &want);

	if (ok != ref || (ok && got != want))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pci_addr probe;
	char *text;
	size_t whylen;

	if (size > 256)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	whylen = 1 + size % 64;		/* short buffers too: the reason must be cut cleanly */
	probe.domain = size > 0 ? data[size - 1] : 0;
	probe.bus = size > 1 ? data[size - 2] : 0;
	probe.dev = (size > 2 ? data[size - 3] : 0) & 0x1f;
	probe.fn = (size > 3 ? data[size - 4] : 0) & 7;
	check_addr(text, whylen);
	check_selector(text, &probe, whylen);
	check_id(text, whylen);
	check_class(text, whylen);
	check_size(text);
	free(text);
	return 0;
}
