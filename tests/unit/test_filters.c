#include <string.h>

#include "pci/pci_class.h"
#include "pci/pci_id.h"
#include "tap.h"

static void class_case(const char *text, unsigned class24, bool expect)
{
	struct pci_class_filter f;
	char why[160];
	bool ok = pci_class_filter_parse(text, &f, why, sizeof(why));

	tap_ok(ok && pci_class_filter_match(&f, class24) == expect, "class '%s' %s %06x",
	       text, expect ? "matches" : "does not match", class24);
}

static void id_case(const char *text, unsigned vendor, unsigned device, bool expect)
{
	struct pci_id_filter f;
	char why[128];
	bool ok = pci_id_filter_parse(text, &f, why, sizeof(why));

	tap_ok(ok && pci_id_filter_match(&f, (uint16_t)vendor, (uint16_t)device) == expect,
	       "id '%s' %s %04x:%04x", text, expect ? "matches" : "does not match", vendor, device);
}

static void rejects(bool ok, const char *what)
{
	tap_ok(!ok, "rejects %s", what);
}

void test_filters(void)
{
	struct pci_class_filter cf;
	struct pci_id_filter idf;
	char why[160];

	class_case("network", 0x020000, true);
	class_case("NETWORK", 0x028000, true);
	class_case("network", 0x010802, false);
	class_case("nvme", 0x010802, true);
	class_case("storage", 0x010802, true);
	class_case("02", 0x020000, true);
	class_case("0108", 0x010802, true);
	class_case("010802", 0x010802, true);
	class_case("010802", 0x010801, false);
	class_case("0x0300", 0x030000, true);
	class_case("unclassified", 0x00ff00, true);
	rejects(pci_class_filter_parse("networks", &cf, why, sizeof(why)), "class 'networks'");
	rejects(pci_class_filter_parse("123", &cf, why, sizeof(why)), "class '123'");
	rejects(pci_class_filter_parse("", &cf, why, sizeof(why)), "empty class");
	id_case("1234:11e8", 0x1234, 0x11e8, true);
	id_case("1234:", 0x1234, 0x0001, true);
	id_case(":11e8", 0x8086, 0x11e8, true);
	id_case("8086:", 0x1234, 0x11e8, false);
	id_case("10DE:", 0x10de, 0x2204, true);
	rejects(pci_id_filter_parse("12345:0", &idf, why, sizeof(why)), "id '12345:0'");
	rejects(pci_id_filter_parse("1234", &idf, why, sizeof(why)), "id '1234'");
	rejects(pci_id_filter_parse("12:34:56", &idf, why, sizeof(why)), "id '12:34:56'");
	rejects(pci_id_filter_parse("xy:11e8", &idf, why, sizeof(why)), "id 'xy:11e8'");
}
