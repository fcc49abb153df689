#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iommu/acs.h"
#include "iommu/acs_groups.h"
#include "pci/pci_device.h"
#include "util/report.h"
#include "fake_config.h"
#include "tap.h"

/* A config space with a PCIe capability of this type (or none: -1) and optionally ACS. */
static void device_config(struct pci_config *cfg, int type, bool mf, int acs_cap, uint16_t acs_ctl)
{
	bool bridge = type == PCI_PORT_ROOT_PORT || type == PCI_PORT_DOWNSTREAM ||
		      type == PCI_PORT_UPSTREAM || type == PCI_PORT_PCIE_TO_PCI;

	fake_config(cfg, type, bridge, mf, acs_cap, acs_ctl);
}

static void judged(const char *what, int type, bool mf, unsigned fn, int acs_cap, uint16_t acs_ctl,
		   enum acs_verdict verdict, uint16_t missing)
{
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));
	struct acs_info a;

	device_config(cfg, type, mf, acs_cap, acs_ctl);
	acs_check(cfg, fn, &a);
	tap_ok(a.verdict == verdict && a.missing == missing && a.port_type == type,
	       "acs: %s: %s, missing %#x (got %s, %#x)", what, acs_verdict_name(verdict), missing,
	       acs_verdict_name(a.verdict), a.missing);
	free(cfg);
}

static void verdicts(void)
{
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));
	struct acs_info a;

	judged("root port 0x5f/0x1d", PCI_PORT_ROOT_PORT, false, 0, 0x5f, 0x1d, ACS_OK, 0);
	judged("root port 0x5f/0", PCI_PORT_ROOT_PORT, false, 0, 0x5f, 0, ACS_CTL_MISSING, ACS_REQUIRED);
	judged("root port without ACS", PCI_PORT_ROOT_PORT, false, 0, -1, 0, ACS_NO_CAP, 0);
	judged("root port ACSCap without UF, Ctl SV RR CR", PCI_PORT_ROOT_PORT, false, 0, 0x0f, 0x0d,
	       ACS_OK, 0);
	judged("root port ACSCap 0 (all hard-wired)", PCI_PORT_ROOT_PORT, false, 0, 0, 0, ACS_OK, 0);
	judged("root port EC advertised and off", PCI_PORT_ROOT_PORT, false, 0, 0x7f, 0x1d, ACS_OK, 0);
	judged("downstream port 0x1f/0x1d", PCI_PORT_DOWNSTREAM, false, 0, 0x1f, 0x1d, ACS_OK, 0);
	judged("downstream port without ACS", PCI_PORT_DOWNSTREAM, false, 0, -1, 0, ACS_NO_CAP, 0);
	judged("downstream port 0x5f/0x15", PCI_PORT_DOWNSTREAM, false, 0, 0x5f, 0x15, ACS_CTL_MISSING,
	       PCI_ACS_CR);
	judged("single-function endpoint without ACS", PCI_PORT_ENDPOINT, false, 0, -1, 0,
	       ACS_NOT_CHECKED, 0);
	judged("multifunction endpoint without ACS", PCI_PORT_ENDPOINT, true, 0, -1, 0, ACS_NO_CAP, 0);
	judged("function 1 without the header bit", PCI_PORT_ENDPOINT, false, 1, -1, 0, ACS_NO_CAP, 0);
	judged("multifunction endpoint 0x5f/0x1d", PCI_PORT_ENDPOINT, true, 0, 0x5f, 0x1d, ACS_OK, 0);
	judged("single-function upstream port", PCI_PORT_UPSTREAM, false, 0, -1, 0, ACS_NOT_CHECKED, 0);
	judged("multifunction upstream port", PCI_PORT_UPSTREAM, true, 0, -1, 0, ACS_NO_CAP, 0);
	judged("single-function legacy endpoint", PCI_PORT_LEGACY_ENDPOINT, false, 0, -1, 0,
	       ACS_NOT_CHECKED, 0);
	judged("multifunction RCiEP 0x5f/0x0d", PCI_PORT_RC_ENDPOINT, true, 0, 0x5f, 0x0d,
	       ACS_CTL_MISSING, PCI_ACS_UF);
	judged("PCIe-to-PCI bridge", PCI_PORT_PCIE_TO_PCI, false, 0, -1, 0, ACS_BRIDGE_TYPE, 0);
	judged("PCI-to-PCIe bridge", PCI_PORT_PCI_TO_PCIE, false, 0, -1, 0, ACS_BRIDGE_TYPE, 0);
	judged("RC event collector with ACS", PCI_PORT_RC_EVENT_COLLECTOR, false, 0, 0x5f, 0x1d,
	       ACS_BRIDGE_TYPE, 0);
	judged("reserved type 3, multifunction", 3, true, 0, -1, 0, ACS_NOT_CHECKED, 0);
	judged("conventional PCI", PCI_PORT_CONVENTIONAL, false, 0, -1, 0, ACS_CONVENTIONAL, 0);

	acs_check(NULL, 0, &a);
	tap_ok(a.verdict == ACS_UNKNOWN && acs_verdict_enabled(a.verdict) < 0,
	       "acs: unreadable config: unknown");
	device_config(cfg, PCI_PORT_ROOT_PORT, true, 0x5f, 0x1d);
	cfg->len = 64;
	acs_check(cfg, 0, &a);
	tap_ok(a.verdict == ACS_UNKNOWN && a.multifunction && a.bridge,
	       "acs: 64-byte config: unknown, header still read");
	cfg->len = 256;
	acs_check(cfg, 0, &a);
	tap_ok(a.verdict == ACS_NO_CAP, "acs: 256-byte config of a root port: no ACS, as the kernel sees");
	free(cfg);
}

/* ---- fake trees built from tests/fixtures by the mkfakesys next to this binary ---- */

static bool exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return false;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *root)
{
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* $VFIO_TOOLS_FIXTURES, else tests/fixtures next to the build directory or the current one. */
static bool fixture_path(const char *dir, const char *fixture, char *buf, size_t len)
{
	const char *env = getenv("VFIO_TOOLS_FIXTURES");

	if (env && *env)
		snprintf(buf, len, "%s/%s.desc", env, fixture);
	else if (snprintf(buf, len, "%s/../tests/fixtures/%s.desc", dir, fixture) > 0 &&
		 access(buf, R_OK) != 0)
		snprintf(buf, len, "tests/fixtures/%s.desc", fixture);
	return access(buf, R_OK) == 0;
}

static bool build_tree(const char *fixture, char *root, size_t len)
{
	char dir[PATH_MAX], mk[PATH_MAX + 16], desc[PATH_MAX + 64];
	const char *tmp = getenv("TMPDIR");
	pid_t pid;
	int st;

	if (!exe_dir(dir, sizeof(dir)) || !fixture_path(dir, fixture, desc, sizeof(desc)))
		return false;
	snprintf(mk, sizeof(mk), "%s/mkfakesys", dir);
	snprintf(root, len, "%s/vfio-tools-acs.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		return false;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execl(mk, mk, desc, root, (char *)NULL);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return true;
	remove_tree(root);
	return false;
}

static bool load_tree(const char *fixture, char *root, size_t len, struct pci_device_list *list)
{
	bool ok = build_tree(fixture, root, len);

	tap_ok(ok, "acs: fixture %s built with mkfakesys", fixture);
	if (!ok)
		return false;
	setenv("VFIO_TOOLS_SYSFS", root, 1);
	return pci_device_list_load(list);
}

static void unload_tree(const char *root, struct pci_device_list *list)
{
	pci_device_list_free(list);
	unsetenv("VFIO_TOOLS_SYSFS");
	remove_tree(root);
}

/* "a b c": the addresses with the same (non-negative) number as device i. */
static void mates(const struct pci_device_list *list, const int *group, size_t i, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t j = 0; j < list->n && group[i] >= 0; j++) {
		int n;

		if (group[j] != group[i] || used >= len)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", list->dev[j].address);
		if (n > 0)
			used += (size_t)n;
	}
}

/* Every device's predicted group has the members of its group in the fixture. */
static void groups_match(const char *fixture, const struct pci_device_list *list)
{
	struct acs_prediction *pr = vt_xcalloc(list->n, sizeof(*pr));
	int *predicted = vt_xcalloc(list->n, sizeof(int));
	int *kernel = vt_xcalloc(list->n, sizeof(int));
	char want[1024], got[1024];
	struct acs_env env = { 0 };

	struct acs_info *infos = acs_read_all(list, &env);

	acs_predict_machine(list, infos, &env, pr);
	free(infos);
	for (size_t i = 0; i < list->n; i++) {
		kernel[i] = list->dev[i].iommu_group;
		predicted[i] = pr[i].group;
	}
	for (size_t i = 0; i < list->n; i++) {
		mates(list, kernel, i, want, sizeof(want));
		mates(list, predicted, i, got, sizeof(got));
		tap_ok(!strcmp(want, got) && (kernel[i] < 0) == (predicted[i] < 0),
		       "acs: %s %s: predicted group [%s] (want [%s])", fixture, list->dev[i].address,
		       got, want);
	}
	free(predicted);
	free(kernel);
	free(pr);
}

static size_t index_of(const struct pci_device_list *list, const char *address)
{
	for (size_t i = 0; i < list->n; i++)
		if (!strcmp(list->dev[i].address, address))
			return i;
	return list->n;
}

static void device_verdict(const struct pci_device_list *list, const char *address,
			   enum acs_verdict verdict, const char *missing)
{
	size_t i = index_of(list, address);
	struct acs_info a = { .verdict = ACS_UNKNOWN };
	struct acs_env env = { 0 };
	char bits[32] = "";

	if (i < list->n) {
		acs_read(list, i, &env, &a);
		pci_acs_bits_format(a.missing, bits, sizeof(bits));
	}
	tap_ok(i < list->n && a.verdict == verdict && !strcmp(bits, missing),
	       "acs: %s: %s, missing '%s' (got %s, '%s')", address, acs_verdict_name(verdict), missing,
	       acs_verdict_name(a.verdict), bits);
}

/* The path from a device up: "address:verdict[:alias]" per hop. */
static void path_is(const struct pci_device_list *list, const char *address, const char *want)
{
	struct acs_hop hops[8];
	struct acs_env env = { 0 };
	char got[512] = "";
	struct acs_info *infos = acs_read_all(list, &env);
	size_t n = acs_path(list, infos, index_of(list, address), hops, 8), used = 0;

	for (size_t k = 0; k < n && used < sizeof(got); k++) {
		int w = snprintf(got + used, sizeof(got) - used, "%s%s:%d%s", k ? " " : "",
				 list->dev[hops[k].index].address, (int)hops[k].info.verdict,
				 hops[k].requester_alias ? ":alias" : "");
		if (w > 0)
			used += (size_t)w;
	}
	tap_ok(!strcmp(got, want), "acs: path of %s is [%s] (got [%s])", address, want, got);
	free(infos);
}

/* What sysfs gives: 4096 bytes (PCIe), 64 (a non-root reader), nothing for no device. */
static void config_sizes(void)
{
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));
	bool full = pci_config_read("0000:00:02.0", cfg) && cfg->len == 4096 &&
		    pci_config_u16(cfg, 0) == 0x1b36;
	bool short64 = pci_config_read("0000:10:00.0", cfg) && cfg->len == 64 &&
		       pci_config_u8(cfg, 0x40) == 0xff;

	tap_ok(full && short64 && !pci_config_read("0000:7f:00.0", cfg),
	       "acs: config read from sysfs: 4096 and 64 bytes, none for an absent device");
	free(cfg);
}

static void lab_tree(void)
{
	struct pci_device_list list = { 0 };
	char root[PATH_MAX], want[256];

	if (!load_tree("acs-lab", root, sizeof(root), &list))
		return;
	groups_match("acs-lab", &list);
	device_verdict(&list, "0000:00:0c.0", ACS_CTL_MISSING, "SV RR CR UF");
	device_verdict(&list, "0000:00:04.0", ACS_OK, "");
	device_verdict(&list, "0000:04:00.0", ACS_NO_CAP, "");
	device_verdict(&list, "0000:00:0a.1", ACS_CONVENTIONAL, "");
	snprintf(want, sizeof(want), "0000:05:00.0:%d 0000:04:00.0:%d 0000:03:00.0:%d 0000:00:04.0:%d",
		 ACS_CONVENTIONAL, ACS_NO_CAP, ACS_NOT_CHECKED, ACS_OK);
	path_is(&list, "0000:05:00.0", want);
	snprintf(want, sizeof(want), "0000:10:01.0:%d 0000:0f:00.0:%d:alias 0000:00:08.0:%d",
		 ACS_CONVENTIONAL, ACS_BRIDGE_TYPE, ACS_OK);
	path_is(&list, "0000:10:01.0", want);
	snprintf(want, sizeof(want), "0000:11:02.0:%d 0000:00:09.0:%d:alias", ACS_CONVENTIONAL,
		 ACS_CONVENTIONAL);
	path_is(&list, "0000:11:02.0", want);
	snprintf(want, sizeof(want), "0000:00:00.0:%d", ACS_CONVENTIONAL);
	path_is(&list, "0000:00:00.0", want);
	unload_tree(root, &list);
}

static void shapes_tree(void)
{
	struct pci_device_list list = { 0 };
	char root[PATH_MAX];

	if (!load_tree("acs-shapes", root, sizeof(root), &list))
		return;
	groups_match("acs-shapes", &list);
	device_verdict(&list, "0000:02:08.0", ACS_OK, "");
	device_verdict(&list, "0000:00:03.0", ACS_OK, "");
	device_verdict(&list, "0000:00:06.0", ACS_CTL_MISSING, "SV RR CR UF");
	device_verdict(&list, "0000:00:07.0", ACS_CTL_MISSING, "RR");
	device_verdict(&list, "0000:07:00.1", ACS_NO_CAP, "");
	device_verdict(&list, "0000:00:0f.0", ACS_BRIDGE_TYPE, "");
	device_verdict(&list, "0000:10:00.0", ACS_UNKNOWN, "");
	config_sizes();
	unload_tree(root, &list);
}

void test_acs(void)
{
	verdicts();
	lab_tree();
	shapes_tree();
}
