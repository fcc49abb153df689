/*
 * POWER DMA windows: the property decoders on byte buffers, spapr_dt_dma_info() on the
 * fake trees of tests/fixtures/power/mkfakedt, and the VFIO path's failures on x86.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iommu/spapr_dt.h"
#include "vfio/spapr_vfio.h"
#include "tap.h"

#define GIB (UINT64_C(1) << 30)
#define MIB (UINT64_C(1) << 20)

/* Big-endian cells into buf; returns the byte count. */
static size_t put_cells(uint8_t *buf, const uint32_t *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf[4 * i] = (uint8_t)(cells[i] >> 24);
		buf[4 * i + 1] = (uint8_t)(cells[i] >> 16);
		buf[4 * i + 2] = (uint8_t)(cells[i] >> 8);
		buf[4 * i + 3] = (uint8_t)cells[i];
	}
	return 4 * n;
}

#define CELLS(buf, ...) \
	put_cells(buf, (const uint32_t[]){ __VA_ARGS__ }, \
		  sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

static void window_decodes(void)
{
	struct spapr_window w = { 0 };
	uint8_t b[64];
	char why[128] = "";
	size_t n;
	bool ok, all;

	n = CELLS(b, 0x80000000, 0, 0, 0, 0x40000000);
	ok = spapr_decode_dma_window(b, n, 2, 2, &w, why, sizeof(why));
	tap_ok(ok && w.liobn == 0x80000000 && w.start == 0 && w.size == GIB,
	       "dma-window: QEMU default PHB: liobn 0x80000000, 0 + 1 GiB (%s)", why);

	n = CELLS(b, 0x80000200, 0, 0x40000000, 0, 0x80000000);
	ok = spapr_decode_dma_window(b, n, 2, 2, &w, why, sizeof(why));
	tap_ok(ok && w.liobn == 0x80000200 && w.start == GIB && w.size == 2 * GIB,
	       "dma-window: 0x40000000 + 2 GiB");

	n = CELLS(b, 7, 0x1000, 0x2000);
	ok = spapr_decode_dma_window(b, n, 1, 1, &w, why, sizeof(why));
	tap_ok(ok && w.liobn == 7 && w.start == 0x1000 && w.size == 0x2000, "dma-window: 1+1 cells");

	n = CELLS(b, 1, 0, 0x8, 0, 0, 0x10000000);
	ok = spapr_decode_dma_window(b, n, 3, 2, &w, why, sizeof(why));
	tap_ok(ok && w.start == UINT64_C(0x800000000) && w.size == 256 * MIB,
	       "dma-window: 3 address cells, top one zero");

	n = CELLS(b, 1, 1, 0, 0, 0, 0x10000000);
	ok = spapr_decode_dma_window(b, n, 3, 2, &w, why, sizeof(why));
	tap_ok(!ok && strstr(why, "64 bits"), "dma-window: address beyond 64 bits rejected: %s", why);

	n = CELLS(b, 0x80000000, 0, 0, 0, 0x40000000);
	all = true;
	for (size_t len = 0; len < n; len++)
		all &= !spapr_decode_dma_window(b, len, 2, 2, &w, NULL, 0);
	tap_ok(all, "dma-window: every truncation of 20 bytes rejected");

	n = CELLS(b, 0x80000000, 0, 0, 0, 0x40000000, 0);
	ok = spapr_decode_dma_window(b, n, 2, 2, &w, why, sizeof(why));
	tap_ok(!ok && strstr(why, "24 bytes, expected 20"), "dma-window: 24 bytes rejected: %s", why);

	n = CELLS(b, 0x80000000, 0, 0, 0, 0);
	ok = spapr_decode_dma_window(b, n, 2, 2, &w, why, sizeof(why));
	tap_ok(!ok && strstr(why, "size 0"), "dma-window: size 0 rejected: %s", why);

	n = CELLS(b, 1, 0xffffffff, 0xfffff000, 0, 0x2000);
	ok = spapr_decode_dma_window(b, n, 2, 2, &w, why, sizeof(why));
	tap_ok(!ok && strstr(why, "wraps"), "dma-window: window past 2^64 rejected: %s", why);

	n = CELLS(b, 1, 0xffffffff, 0xfffff000, 0, 0x1000);
	ok = spapr_decode_dma_window(b, n, 2, 2, &w, why, sizeof(why));
	tap_ok(ok, "dma-window: window ending exactly at 2^64 accepted");

	ok = spapr_decode_dma_window(b, sizeof(b), 0, 2, &w, why, sizeof(why)) ||
	     spapr_decode_dma_window(b, sizeof(b), 2, 0, &w, NULL, 0) ||
	     spapr_decode_dma_window(b, sizeof(b), 5, 2, &w, NULL, 0) ||
	     spapr_decode_dma_window(b, sizeof(b), 256, 2, &w, NULL, 0) ||
	     spapr_decode_dma_window(NULL, 20, 2, 2, &w, NULL, 0) ||
	     spapr_decode_dma_window(NULL, 0, 2, 2, &w, NULL, 0);
	tap_ok(!ok, "dma-window: 0, 5 or 256 cells and NULL data rejected");
}

static void small_props_decode(void)
{
	uint8_t b[64];
	char why[128] = "";
	uint32_t v = 0, tokens[3] = { 0 }, reset = 0;
	uint64_t sizes = 0;
	bool q64 = false, ok;
	size_t n;

	n = CELLS(b, 2);
	tap_ok(spapr_decode_u32(b, n, &v, NULL, 0) && v == 2, "u32: one cell");
	tap_ok(!spapr_decode_u32(b, 3, &v, NULL, 0) && !spapr_decode_u32(b, 8, &v, NULL, 0) &&
	       !spapr_decode_u32(NULL, 4, &v, NULL, 0), "u32: 3 or 8 bytes, NULL rejected");

	n = CELLS(b, 0x2026, 0x2027, 0x2028);
	ok = spapr_decode_ddw_applicable(b, n, tokens, why, sizeof(why));
	tap_ok(ok && tokens[0] == 0x2026 && tokens[1] == 0x2027 && tokens[2] == 0x2028,
	       "ddw-applicable: query, create, remove tokens");
	tap_ok(spapr_decode_ddw_applicable(b, 16, tokens, NULL, 0), "ddw-applicable: extra cell ignored");
	ok = spapr_decode_ddw_applicable(b, 8, tokens, why, sizeof(why));
	tap_ok(!ok && strstr(why, "3 cells"), "ddw-applicable: 8 bytes rejected: %s", why);
	ok = spapr_decode_ddw_applicable(b, 13, tokens, why, sizeof(why));
	tap_ok(!ok && strstr(why, "13 bytes"), "ddw-applicable: 13 bytes rejected: %s", why);

	n = CELLS(b, 2, 0x2029, 1);
	ok = spapr_decode_ddw_extensions(b, n, &reset, &q64, why, sizeof(why));
	tap_ok(ok && reset == 0x2029 && q64, "ddw-extensions: reset token 0x2029, 64-bit query");
	n = CELLS(b, 1, 0x2029);
	ok = spapr_decode_ddw_extensions(b, n, &reset, &q64, why, sizeof(why));
	tap_ok(ok && reset == 0x2029 && !q64, "ddw-extensions: one extension");
	n = CELLS(b, 0);
	ok = spapr_decode_ddw_extensions(b, n, &reset, &q64, why, sizeof(why));
	tap_ok(ok && reset == 0 && !q64, "ddw-extensions: none");
	n = CELLS(b, 5, 0x2029, 1);
	ok = spapr_decode_ddw_extensions(b, n, &reset, &q64, why, sizeof(why));
	tap_ok(!ok && strstr(why, "says 5"), "ddw-extensions: count 5 with 2 cells rejected: %s", why);
	n = CELLS(b, 0xffffffff);
	tap_ok(!spapr_decode_ddw_extensions(b, n, &reset, &q64, NULL, 0) &&
	       !spapr_decode_ddw_extensions(b, 0, &reset, &q64, NULL, 0) &&
	       !spapr_decode_ddw_extensions(b, 6, &reset, &q64, NULL, 0),
	       "ddw-extensions: huge count, empty, 6 bytes rejected");

	n = CELLS(b, 12, 16, 21, 30);
	ok = spapr_decode_tce_sizes(b, n, &sizes, why, sizeof(why));
	tap_ok(ok && sizes == UINT64_C(0x40211000), "supported-tce-sizes: 12 16 21 30 = 0x40211000");
	n = CELLS(b, 12, 64);
	ok = spapr_decode_tce_sizes(b, n, &sizes, why, sizeof(why));
	tap_ok(!ok && strstr(why, "64"), "supported-tce-sizes: shift 64 rejected: %s", why);
	n = CELLS(b, 11);
	tap_ok(!spapr_decode_tce_sizes(b, n, &sizes, NULL, 0) &&
	       !spapr_decode_tce_sizes(b, 0, &sizes, NULL, 0) &&
	       !spapr_decode_tce_sizes(b, 5, &sizes, NULL, 0),
	       "supported-tce-sizes: shift 11, empty, 5 bytes rejected");
}

/* Random buffers through every decoder: no crash, and what is accepted is consistent. */
static void decoders_survive_noise(void)
{
	uint32_t state = 12345, v, tokens[3], reset;
	uint8_t b[48];
	struct spapr_window w;
	uint64_t sizes;
	bool q64, consistent = true;
	int accepted = 0;

	for (int i = 0; i < 20000; i++) {
		size_t len;
		unsigned ac, sc;

		for (size_t j = 0; j < sizeof(b); j++) {
			state = state * 1103515245 + 12345;
			b[j] = (uint8_t)(state >> 16);
		}
		/* small cell counts and zero-heavy data, so that some windows decode */
		if (i % 2)
			memset(b + 4, 0, 8);
		len = b[0] % (sizeof(b) + 1);
		ac = b[1] % 6;
		sc = b[2] % 6;
		if (spapr_decode_dma_window(b, len, ac, sc, &w, NULL, 0)) {
			accepted++;
			consistent &= len == 4 * (1 + ac + sc) && w.size != 0 &&
				      w.start + (w.size - 1) >= w.start;
		}
		spapr_decode_u32(b, len, &v, NULL, 0);
		spapr_decode_ddw_applicable(b, len, tokens, NULL, 0);
		spapr_decode_ddw_extensions(b, len, &reset, &q64, NULL, 0);
		if (spapr_decode_tce_sizes(b, len, &sizes, NULL, 0))
			consistent &= (sizes & 0xfff) == 0;
	}
	tap_ok(consistent && accepted > 0, "decoders: 20000 random buffers (%d windows accepted)",
	       accepted);
}

static void agreement(void)
{
	struct spapr_dma_info dt = { .kind = SPAPR_PHB_PSERIES, .has_win32 = true, .ddw = true,
				     .win32 = { .liobn = 0x80000000, .start = 0, .size = GIB } };
	struct spapr_dma_info vfio = { .from_vfio = true, .has_win32 = true, .ddw = true,
				       .win32 = { .start = 0, .size = GIB } };
	struct spapr_dma_info nv = { .kind = SPAPR_PHB_POWERNV, .page_sizes = 0x40211000 };
	char why[160] = "";

	tap_ok(spapr_dma_info_agree(&dt, &vfio, why, sizeof(why)), "agree: same window, both DDW");
	dt.win32.size = 768 * MIB;
	tap_ok(!spapr_dma_info_agree(&dt, &vfio, why, sizeof(why)) &&
	       strstr(why, "0x30000000") && strstr(why, "0x40000000"),
	       "agree: 768 MiB in the tree, 1 GiB from VFIO: %s", why);
	dt.win32.size = GIB;
	dt.ddw = false;
	tap_ok(!spapr_dma_info_agree(&dt, &vfio, why, sizeof(why)) && strstr(why, "ddw-applicable"),
	       "agree: VFIO DDW without ibm,ddw-applicable: %s", why);
	tap_ok(spapr_dma_info_agree(&nv, &vfio, NULL, 0), "agree: powernv tree has no window to compare");
}

/* ---- fixture trees ---- */

static char fixture_script[PATH_MAX];

/* tests/fixtures/power/mkfakedt next to the build directory, else below the cwd. */
static bool find_fixture_script(void)
{
	char exe[PATH_MAX], *slash;
	const char *rel = "tests/fixtures/power/mkfakedt";

	if (realpath("/proc/self/exe", exe) && (slash = strrchr(exe, '/'))) {
		*slash = '\0';
		if ((slash = strrchr(exe, '/'))) {
			*slash = '\0';
			if ((size_t)snprintf(fixture_script, sizeof(fixture_script), "%s/%s", exe,
					     rel) < sizeof(fixture_script) &&
			    access(fixture_script, R_OK) == 0)
				return true;
		}
	}
	return realpath(rel, fixture_script) != NULL;
}

static bool run_command(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Builds tree MODE into tmp/MODE; false (and a failing test) when it cannot.  The pseries
 * tree starts as mkfakesys's pseries.desc when mkfakesys is built next to the unit tests
 * (as the host tests would use it), so that mkfakedt adds to an existing tree.
 */
static bool build_tree(const char *tmp, const char *mode, char *dir, size_t len)
{
	char mk[PATH_MAX], desc[PATH_MAX], *slash;
	char *mk_argv[] = { mk, desc, dir, NULL };
	char *dt_argv[] = { "bash", fixture_script, (char *)mode, dir, NULL };
	bool ok = true;

	snprintf(dir, len, "%s/%s", tmp, mode);
	if (strcmp(mode, "pseries") == 0 && realpath("/proc/self/exe", mk) &&
	    (slash = strrchr(mk, '/')) && (size_t)(slash - mk) + sizeof("/mkfakesys") <= sizeof(mk)) {
		strcpy(slash, "/mkfakesys");
		snprintf(desc, sizeof(desc), "%.*s/pseries.desc",
			 (int)(strrchr(fixture_script, '/') - fixture_script), fixture_script);
		if (access(mk, X_OK) == 0)
			ok = run_command(mk_argv);
	}
	ok = ok && run_command(dt_argv);
	if (!ok)
		tap_ok(false, "fixture %s built in %s", mode, dir);
	return ok;
}

static int dt_info(const char *address, struct spapr_dma_info *info, char *why, size_t len)
{
	why[0] = '\0';
	return spapr_dt_dma_info(address, info, why, len);
}

/* pci@800000020000009 gets an ibm,dma-window that is a FIFO, then one of 5000 bytes. */
static void hostile_properties(const char *dir)
{
	struct spapr_dma_info d;
	char prop[PATH_MAX], why[256];
	FILE *f;
	int r;

	snprintf(prop, sizeof(prop), "%.3900s/firmware/devicetree/base/pci@800000020000009/ibm,dma-window",
		 dir);
	r = mkfifo(prop, 0644) == 0 ? dt_info("0009:00:00.0", &d, why, sizeof(why)) : 1;
	tap_ok(r == -EINVAL && strstr(why, "ibm,dma-window"),
	       "pseries: a FIFO as ibm,dma-window: EINVAL, no hang (%s)", why);
	unlink(prop);
	f = fopen(prop, "w");
	r = f && fprintf(f, "%5000s", "") == 5000 && fclose(f) == 0 ?
	    dt_info("0009:00:00.0", &d, why, sizeof(why)) : 1;
	tap_ok(r == -EFBIG, "pseries: a 5000-byte ibm,dma-window: EFBIG (%s)", why);
	unlink(prop);
}

static void pseries_tree(const char *tmp)
{
	struct spapr_dma_info d;
	char dir[PATH_MAX], why[256];
	static const struct {
		const char *address, *why_part;
	} broken[] = {
		{ "0003:00:00.0", "pci@800000020000003: ibm,dma-window: 12 bytes, expected 20" },
		{ "0004:00:00.0", "ibm,dma-window: 24 bytes, expected 20" },
		{ "0005:00:00.0", "ibm,dma-window: window size 0" },
		{ "0006:00:00.0", "ibm,dma-window: 256 address cells" },
		{ "0007:00:00.0", "ibm,ddw-applicable: 8 bytes" },
		{ "0008:00:00.0", "ibm,ddw-extensions: says 5 extensions, 2 cells follow" },
	};
	int r;

	if (!build_tree(tmp, "pseries", dir, sizeof(dir)))
		return;
	setenv("VFIO_TOOLS_SYSFS", dir, 1);

	r = dt_info("0000:00:00.0", &d, why, sizeof(why));
	tap_ok(r == 0 && !d.from_vfio && d.kind == SPAPR_PHB_PSERIES && d.has_win32 &&
	       d.win32.liobn == 0x80000000 && d.win32.start == 0 && d.win32.size == GIB &&
	       strcmp(d.node, "pci@800000020000000") == 0,
	       "pseries 0000:00:00.0: PHB pci@800000020000000, liobn 0x80000000, 0 + 1 GiB (%d %s)",
	       r, why);
	tap_ok(r == 0 && d.ddw && d.ddw_query == 0x2026 && d.ddw_create == 0x2027 &&
	       d.ddw_remove == 0x2028 && d.ddw_reset == 0x2029 && d.ddw_query_64bit &&
	       d.page_sizes == 0 && d.max_windows == 0 && d.levels == 0,
	       "pseries 0000:00:00.0: DDW tokens 2026 2027 2028, reset 2029, 64-bit query");
	r = dt_info("0000:00:01.0", &d, why, sizeof(why));
	tap_ok(r == 0 && d.win32.size == GIB && d.ddw, "pseries 0000:00:01.0: same PHB");
	r = dt_info("0000:01:00.0", &d, why, sizeof(why));
	tap_ok(r == 0 && d.win32.size == GIB && d.ddw && strcmp(d.node, "pci@800000020000000") == 0,
	       "pseries 0000:01:00.0 behind a bridge: the PHB's window (%d %s)", r, why);

	r = dt_info("0001:00:00.0", &d, why, sizeof(why));
	tap_ok(r == 0 && d.has_win32 && d.win32.liobn == 0x80000100 && d.win32.start == GIB &&
	       d.win32.size == 2 * GIB && !d.ddw && d.ddw_reset == 0 &&
	       strcmp(d.node, "pci@800000020000001") == 0,
	       "pseries 0001:00:00.0: liobn 0x80000100, 0x40000000 + 2 GiB, no DDW (%d %s)", r, why);

	r = dt_info("0002:00:00.0", &d, why, sizeof(why));
	tap_ok(r == 0 && d.win32.liobn == 0x80000200 && d.win32.start == 0 &&
	       d.win32.size == 256 * MIB,
	       "pseries 0002:00:00.0: no ibm,#dma-*-cells: #address-cells 3, root #size-cells 2 "
	       "(%d %s)", r, why);

	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		r = dt_info(broken[i].address, &d, why, sizeof(why));
		tap_ok(r == -EINVAL && strstr(why, broken[i].why_part) && !d.has_win32 && !d.ddw,
		       "pseries %s rejected: %s", broken[i].address, why);
	}
	r = dt_info("0009:00:00.0", &d, why, sizeof(why));
	tap_ok(r == -ENODATA, "pseries 0009:00:00.0: no window properties: ENODATA (%s)", why);
	hostile_properties(dir);
	r = dt_info("000a:00:00.0", &d, why, sizeof(why));
	tap_ok(r == -ENOENT, "pseries 000a:00:00.0: dangling of_node: ENOENT (%s)", why);
	r = dt_info("000b:00:00.0", &d, why, sizeof(why));
	tap_ok(r == -ENOENT && strstr(why, "outside"),
	       "pseries 000b:00:00.0: of_node outside the tree: ENOENT (%s)", why);
	r = dt_info("0000:05:00.0", &d, why, sizeof(why));
	tap_ok(r == -ENOENT, "pseries: no such device: ENOENT (%s)", why);
	r = dt_info("../../firmware", &d, why, sizeof(why)) == -EINVAL &&
	    dt_info("", &d, why, sizeof(why)) == -EINVAL;
	tap_ok(r, "pseries: a path or nothing as the address: EINVAL");
	tap_ok(spapr_dt_dma_info("0003:00:00.0", &d, NULL, 0) == -EINVAL &&
	       spapr_dt_dma_info("0000:00:00.0", &d, NULL, 0) == 0, "pseries: why may be NULL");
}

static void powernv_tree(const char *tmp)
{
	struct spapr_dma_info d;
	char dir[PATH_MAX], why[256];
	int r;

	if (!build_tree(tmp, "powernv", dir, sizeof(dir)))
		return;
	setenv("VFIO_TOOLS_SYSFS", dir, 1);
	r = dt_info("0000:01:00.0", &d, why, sizeof(why));
	tap_ok(r == 0 && d.kind == SPAPR_PHB_POWERNV && !d.has_win32 && !d.ddw &&
	       d.page_sizes == UINT64_C(0x40211000) && strcmp(d.node, "pciex@600c3c0000000") == 0,
	       "powernv 0000:01:00.0: pciex@600c3c0000000, pages 4K 64K 2M 1G, no window (%d %s)",
	       r, why);
	r = dt_info("0000:00:00.0", &d, why, sizeof(why));
	tap_ok(r == 0 && d.page_sizes == UINT64_C(0x40211000), "powernv root port 0000:00:00.0");
	r = dt_info("0001:01:00.0", &d, why, sizeof(why));
	tap_ok(r == 0 && d.page_sizes == UINT64_C(0x11000) &&
	       strcmp(d.node, "pciex@600c3c0100000") == 0, "powernv 0001:01:00.0: pages 4K 64K");
	r = dt_info("0002:01:00.0", &d, why, sizeof(why));
	tap_ok(r == -EINVAL && strstr(why, "ibm,supported-tce-sizes: page shift 64"),
	       "powernv 0002:01:00.0 rejected: %s", why);
}

static void x86_tree(const char *tmp)
{
	struct spapr_dma_info d;
	char dir[PATH_MAX], why[256];
	int r;

	if (!build_tree(tmp, "x86", dir, sizeof(dir)))
		return;
	setenv("VFIO_TOOLS_SYSFS", dir, 1);
	r = dt_info("0000:00:03.0", &d, why, sizeof(why));
	tap_ok(r == -ENOENT && strstr(why, "device-tree node"), "x86 0000:00:03.0: ENOENT (%s)", why);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static bool touch(const char *dir, const char *name)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	return f && fclose(f) == 0;
}

/* Without POWER only the failures can run: no device nodes, and nodes that are not VFIO. */
static void vfio_failures(const char *tmp)
{
	struct spapr_dma_info d;
	char dev[300], vfio[320], why[256] = "";
	int r, fds = open_fds();

	snprintf(dev, sizeof(dev), "%s/dev", tmp);
	snprintf(vfio, sizeof(vfio), "%s/vfio", dev);
	mkdir(dev, 0755);
	setenv("VFIO_TOOLS_DEV", dev, 1);
	r = spapr_vfio_dma_info(3, &d, why, sizeof(why));
	tap_ok(r == -ENOENT && strstr(why, "vfio/vfio") && !d.from_vfio,
	       "vfio: no /dev/vfio/vfio: ENOENT (%s)", why);

	mkdir(vfio, 0755);
	touch(vfio, "vfio");
	r = spapr_vfio_dma_info(3, &d, why, sizeof(why));
	tap_ok(r == -ENOENT && strstr(why, "vfio/3"), "vfio: no /dev/vfio/3: ENOENT (%s)", why);

	touch(vfio, "3");
	r = spapr_vfio_dma_info(3, &d, why, sizeof(why));
	tap_ok(r == -ENODEV && strstr(why, "API version"),
	       "vfio: plain files, not VFIO: ENODEV (%s)", why);
	tap_ok(spapr_vfio_dma_info(-1, &d, NULL, 0) == -EINVAL, "vfio: group -1: EINVAL");
	tap_ok(open_fds() == fds, "vfio: every descriptor closed (%d open)", fds);
}

void test_spapr(void)
{
	struct saved_env sysfs = save_env("VFIO_TOOLS_SYSFS"), dev = save_env("VFIO_TOOLS_DEV");
	const char *tmpdir = getenv("TMPDIR");
	char tmp[256];

	window_decodes();
	small_props_decode();
	decoders_survive_noise();
	agreement();

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/vt-spapr.XXXXXX",
			     tmpdir && *tmpdir ? tmpdir : "/tmp") >= sizeof(tmp) || !mkdtemp(tmp)) {
		tap_ok(false, "mkdtemp %s: %s", tmp, strerror(errno));
		restore_env(&sysfs);
		restore_env(&dev);
		return;
	}
	if (find_fixture_script()) {
		pseries_tree(tmp);
		powernv_tree(tmp);
		x86_tree(tmp);
	} else {
		tap_ok(false, "tests/fixtures/power/mkfakedt not found (from the build dir or cwd)");
	}
	vfio_failures(tmp);
	remove_tree(tmp);
	restore_env(&sysfs);
	restore_env(&dev);
}
