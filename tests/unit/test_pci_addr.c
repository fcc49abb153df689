#include <string.h>

#include "pci/pci_addr.h"
#include "tap.h"

static void parses_to(const char *text, const char *canonical)
{
	struct pci_addr a;
	char why[128], out[PCI_ADDR_STRLEN] = "";
	bool ok = pci_addr_parse(text, &a, why, sizeof(why));

	if (ok)
		pci_addr_format(&a, out);
	tap_ok(ok && strcmp(out, canonical) == 0, "address '%s' -> %s (got %s)", text, canonical,
	       ok ? out : why);
}

static void rejects(const char *text, const char *why_part)
{
	struct pci_addr a;
	char why[128] = "";
	bool ok = pci_addr_parse(text, &a, why, sizeof(why));

	tap_ok(!ok && strstr(why, why_part), "address '%s' rejected: %s", text, why);
}

static void selects(const char *sel_text, const char *addr_text, bool expect)
{
	struct pci_selector sel;
	struct pci_addr a;
	char why[128];
	bool ok = pci_selector_parse(sel_text, &sel, why, sizeof(why)) &&
		  pci_addr_parse(addr_text, &a, why, sizeof(why));

	tap_ok(ok && pci_selector_match(&sel, &a) == expect, "selector '%s' %s %s", sel_text,
	       expect ? "matches" : "does not match", addr_text);
}

void test_pci_addr(void)
{
	parses_to("0000:03:00.0", "0000:03:00.0");
	parses_to("03:00.0", "0000:03:00.0");
	parses_to("10000:00:02.0", "10000:00:02.0");
	parses_to("ffffffff:ff:1f.7", "ffffffff:ff:1f.7");
	parses_to("0000:0A:1F.7", "0000:0a:1f.7");
	parses_to("3:0.1", "0000:03:00.1");
	rejects("", "empty");
	rejects("zz:00.0", "bus");
	rejects("00:20.0", "device");
	rejects("00:00.8", "function");
	rejects("0000:00:00.0.1", "function");
	rejects("123456789:00:00.0", "domain");
	rejects("0:0:0:00.0", "too many");
	rejects("0000:00:00", "missing '.'");
	rejects("eth0", "expected");
	selects("0000:03:00.*", "0000:03:00.1", true);
	selects("0000:03:00.*", "0000:04:00.1", false);
	selects("03:00.*", "0000:03:00.3", true);
	selects("03:00.*", "0001:03:00.3", false);
	selects("*", "10000:00:02.0", true);
	selects("10000:*", "10000:00:02.0", true);
	selects("0000:0[34]:00.0", "0000:04:00.0", true);
	selects("03:00.0", "0000:03:00.0", true);
	selects("0000:03:00.0", "0000:03:00.1", false);
	/* plain fields of a glob get their leading zeros, as short addresses do */
	selects("1:00.*", "0000:01:00.2", true);
	selects("1:00.*", "0000:10:00.2", false);
	selects("1:0.*", "0000:01:00.0", true);
	selects("0:1:0.*", "0000:01:00.5", true);
	selects("*:1:00.0", "0001:01:00.0", true);
	selects("1:*", "0000:01:1f.7", true);
	selects("0000:1*:00.0", "0000:1f:00.0", true);
	selects("0000:1*:00.0", "0000:01:00.0", false);
	selects("1:1?.0", "0000:01:1a.0", true);
	selects(":0.*", "0000:00:00.0", false);
}
