#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding/vfio_alias.h"
#include "tap.h"

#define VIRTIO_NET "vfio_pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00"

static void table_from(struct vfio_alias_table *t, const char *text, size_t len, bool builtin)
{
	FILE *f = fmemopen((void *)text, len, "r");

	memset(t, 0, sizeof(*t));
	if (f) {
		vfio_alias_table_read(t, f, builtin);
		fclose(f);
	}
}

static void best_is(const char *what, const char *text, const char *modalias, const char *module)
{
	struct vfio_alias_table t;
	struct vfio_alias_match m;
	bool found;

	table_from(&t, text, strlen(text), false);
	found = vfio_alias_best(&t, modalias, &m);
	tap_ok(module ? found && strcmp(m.module, module) == 0 : !found, "vfio_alias: %s: %s (got %s)", what,
	       module ? module : "no match", found ? m.module : "none");
	vfio_alias_table_free(&t);
}

static void glob(void)
{
	static const struct {
		const char *p, *t;
		bool match;
	} cases[] = {
		{ "vfio_pci:v*d*sv*sd*bc*sc*i*", VIRTIO_NET, true },
		{ "vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i*", VIRTIO_NET, true },
		{ "vfio_pci:v00001AF4d00001042sv*sd*bc*sc*i*", VIRTIO_NET, false },
		{ "vfio_pci:v00001AF4d0000104?sv*", VIRTIO_NET, true },
		{ "vfio_pci:v00001AF4d00001041sv*sd*bc03sc*i*", VIRTIO_NET, false },
		{ "*", "", true },
		{ "", "", true },
		{ "", "a", false },
		{ "a*", "", false },
		{ "*a*b*c", "xaxbxc", true },
		{ "*a*b*c", "xaxbxcx", false },
		{ "**", "abc", true },
		{ "a?c", "ac", false },
	};
	char text[4096];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_ok(vfio_alias_glob(cases[i].p, cases[i].t) == cases[i].match, "vfio_alias: glob '%s' on '%s': %s",
		       cases[i].p, cases[i].t, cases[i].match ? "matches" : "does not match");
	/* the worst case for backtracking ends (and fails) */
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	tap_ok(!vfio_alias_glob("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text),
	       "vfio_alias: 25 stars against 4095 characters without a b: no match, no blowup");
	tap_ok(vfio_alias_wildcards("vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i*") == 5 &&
	       vfio_alias_wildcards("vfio_pci:v*d*sv*sd*bc*sc*i*") == 7 && vfio_alias_wildcards("a?b*") == 2,
	       "vfio_alias: wildcards counted ('*' and '?')");
}

static void picking(void)
{
	static const char alias[] =
		"# Aliases extracted from modules themselves.\n"
		"alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci\n"
		"alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
		"alias vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i* virtio_vfio_pci\n"
		"alias vfio_pci:v00001AF4d00001041sv00001AF4sd00001100bc*sc*i* acme_vfio_pci\n"
		"alias vfio_pci:v00001D0Fd00007777sv*sd*bc*sc*i* zeta_vfio_pci\n"
		"alias vfio_pci:v00001D0Fd0000777?sv*sd*bc*sc*i* beta_vfio_pci\n"
		"alias vfio_pci:v00001D0Fd00007777sv*sd*b?*sc*i* omega_vfio_pci\n"
		"alias vfio_pci:v00001D0Fd00007777sv*sd*bc*sc*i* alpha_vfio_pci\n";

	best_is("subsystem ids beat vendor:device (3 wildcards against 5)", alias, VIRTIO_NET, "acme_vfio_pci");
	best_is("vendor:device beats the catch-all (5 against 7)", alias,
		"vfio_pci:v00001AF4d00001041sv00001AF4sd00000001bc02sc00i00", "virtio_vfio_pci");
	best_is("nothing but the catch-all: vfio_pci itself", alias,
		"vfio_pci:v00001234d000011E8sv00001AF4sd00001100bcFFsc00i00", "vfio_pci");
	best_is("a tie in wildcards goes to the smaller module name, whatever the line order", alias,
		"vfio_pci:v00001D0Fd00007777sv00000000sd00000000bc00sc00i00", "alpha_vfio_pci");
	best_is("a tie in wildcards goes to more literal characters first",
		"alias vfio_pci:v00001D0Fd00007777sv*sd*bc*sc*i* alpha_vfio_pci\n"
		"alias vfio_pci:v00001D0Fd00007777sv0000*sd*bc*sc*i* zzz_vfio_pci\n",
		"vfio_pci:v00001D0Fd00007777sv00000000sd00000000bc00sc00i00", "zzz_vfio_pci");
	best_is("pci: aliases are not vfio_pci ones", "alias pci:v*d*sv*sd*bc*sc*i* virtio_pci\n", VIRTIO_NET, NULL);
	best_is("no file, no match", "", VIRTIO_NET, NULL);
}

static void hostile(void)
{
	struct vfio_alias_table t;
	char *big = malloc(3 * VFIO_ALIAS_LINE_MAX), *many;
	size_t i, n, len;

	/* an over-long vfio_pci line is skipped whole, the next one still read */
	len = (size_t)snprintf(big, 3 * VFIO_ALIAS_LINE_MAX, "alias vfio_pci:");
	memset(big + len, '*', 2 * VFIO_ALIAS_LINE_MAX);
	len += 2 * VFIO_ALIAS_LINE_MAX;
	len += (size_t)snprintf(big + len, 3 * VFIO_ALIAS_LINE_MAX - len, " m\nalias vfio_pci:v*d* ok_vfio_pci\n");
	table_from(&t, big, len, false);
	tap_ok(t.n == 1 && t.skipped == 1 && strcmp(t.a[0].module, "ok_vfio_pci") == 0,
	       "vfio_alias: an over-long line skipped, the next read (%zu entries, %zu skipped)", t.n, t.skipped);
	vfio_alias_table_free(&t);
	free(big);

	{
		static const char lines[] = "alias vfio_pci:v* bad/module\nalias vfio_pci:v* two words\nalias vfio_pci:v*\n"
					    "alias\tvfio_pci:v*\tgood_vfio_pci \n";

		table_from(&t, lines, sizeof(lines) - 1, false);
	}
	tap_ok(t.n == 1 && t.skipped == 3 && strcmp(t.a[0].module, "good_vfio_pci") == 0,
	       "vfio_alias: malformed lines skipped and counted, tabs and trailing blanks taken (%zu, %zu skipped)",
	       t.n, t.skipped);
	vfio_alias_table_free(&t);

	n = VFIO_ALIAS_MAX + 10;
	many = malloc(n * 32);
	for (i = 0, len = 0; i < n; i++)
		len += (size_t)sprintf(many + len, "alias vfio_pci:v%zu m\n", i);
	table_from(&t, many, len, false);
	tap_ok(t.n == VFIO_ALIAS_MAX && t.skipped == 10, "vfio_alias: at most %d entries kept (%zu, %zu skipped)",
	       VFIO_ALIAS_MAX, t.n, t.skipped);
	vfio_alias_table_free(&t);
	free(many);
}

static void builtin(void)
{
	static const char modinfo[] = "vfio.softdep=post: vfio_iommu_type1\0"
				      "vfio_pci.alias=vfio_pci:v*d*sv*sd*bc*sc*i*\0"
				      "mei_me.alias=pci:v00008086d0000D370sv*sd*bc*sc*i*\0"
				      "virtio_vfio_pci.alias=vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i*\0"
				      "virtio_vfio_pci.description=VIRTIO VFIO PCI - User Level meta-driver\0";
	struct vfio_alias_table t;
	struct vfio_alias_match m;

	table_from(&t, modinfo, sizeof(modinfo) - 1, true);
	tap_ok(t.n == 2 && vfio_alias_table_has_variants(&t) && vfio_alias_best(&t, VIRTIO_NET, &m) &&
	       strcmp(m.module, "virtio_vfio_pci") == 0 && m.wildcards == 5,
	       "vfio_alias: modules.builtin.modinfo records (%zu entries, best %s)", t.n, m.module);
	vfio_alias_table_free(&t);
	table_from(&t, modinfo + 36, 43, true);
	tap_ok(t.n == 1 && !vfio_alias_table_has_variants(&t), "vfio_alias: vfio_pci's catch-all alone is no variant");
	vfio_alias_table_free(&t);
}

void test_vfio_alias(void)
{
	glob();
	picking();
	hostile();
	builtin();
}
