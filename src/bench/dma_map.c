/* vfio-bench dma-map: VFIO map/unmap latency and mapping throughput by size and backing memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "bench.h"
#include "bench/bench_device.h"
#include "iommu/device_group.h"
#include "pci/pci_addr.h"
#include "tool/cli.h"
#include "dma_memory.h"
#include "util/report.h"
#include "vfio/spapr_vfio.h"
#include "util/units.h"
#include "tool/vfio_open.h"

#define MAX_SIZES 16
#define VERIFY_LEN 2048		/* QEMU 7.2's edu aborts the VM at 4096 (vm-lab.md §11) */

static char *opt_sizes, *opt_memory, *opt_align, *opt_window, *opt_iommu_page, *opt_iova, *opt_dma_mask;
static int opt_fresh, opt_verify, opt_no_register, opt_compare, opt_map_file;

static const struct poptOption options[] = {
	{ "sizes", 's', POPT_ARG_STRING, &opt_sizes, 0,
	  "Mapping sizes (default 4K,64K,2M,1G; those memory or memlock cannot hold are skipped)", "LIST" },
	{ "memory", 'm', POPT_ARG_STRING, &opt_memory, 0,
	  "Backing: anon (4K pages), thp, hugetlb2m, hugetlb1g; a list, or all (default anon)", "LIST" },
	{ "align", 'a', POPT_ARG_STRING, &opt_align, 0,
	  "Align the buffer to this power of two (default: the backing's page size)", "BYTES" },
	{ "fresh", 'f', POPT_ARG_NONE, &opt_fresh, 0,
	  "A new buffer for every iteration (allocated outside the timing) instead of one reused", NULL },
	{ "window", '\0', POPT_ARG_STRING, &opt_window, 0,
	  "sPAPR TCE (POWER): map in the default 32-bit window, or in a 64-bit dynamic window created for the run",
	  "32bit|64bit" },
	{ "iommu-page", '\0', POPT_ARG_STRING, &opt_iommu_page, 0,
	  "With --window 64bit: the window's IOMMU page size, one the host bridge offers (default 4K; "
	  "larger pages need hugepage-backed --memory)", "SIZE" },
	{ "iova", '\0', POPT_ARG_STRING, &opt_iova, 0,
	  "Map every size at exactly this IOVA (default: the lowest the IOMMU allows); the kernel judges it", "ADDRESS" },
	{ "no-register", '\0', POPT_ARG_NONE, &opt_no_register, 0,
	  "sPAPR TCE v2: do not register the buffers first (the kernel then refuses every map with EPERM)", NULL },
	{ "verify", '\0', POPT_ARG_NONE, &opt_verify, 0,
	  "Prove each mapping works: the device (edu) DMAs a pattern into it", NULL },
	{ "compare", '\0', POPT_ARG_NONE, &opt_compare, 0,
	  "Run the cases through the group backend (type1), then through iommufd, on the same device, and print "
	  "iommufd's p50 and mean over the group's", NULL },
	{ "map-file", '\0', POPT_ARG_NONE, &opt_map_file, 0,
	  "iommufd: map each size of a memfd (and of a hugetlbfs memfd where 2 MiB hugepages are reserved) by "
	  "address (IOMMU_IOAS_MAP), then by file (IOMMU_IOAS_MAP_FILE, Linux 6.13), and print MAP_FILE's p50 and "
	  "mean over MAP's", NULL },
	{ "dma-mask", '\0', POPT_ARG_STRING, &opt_dma_mask, 0,
	  "With --verify: the device's DMA mask (edu: 0xfffffff unless QEMU's dma_mask property says more)", "MASK" },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, bench_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

struct plan {
	uint64_t sizes[MAX_SIZES];
	size_t n_sizes;
	bool backing[DMA_N_BACKINGS];
	uint64_t align;			/* 0: the backing's page */
	unsigned iommu_page_shift;	/* --window 64bit */
	bool fixed_iova;		/* --iova */
	uint64_t iova;
	uint64_t dma_mask;		/* --dma-mask; 0: the driver's default */
};

static bool parse_sizes(struct plan *p)
{
	char *copy = vt_xstrdup(opt_sizes ? opt_sizes : "4K,64K,2M,1G"), *tok, *save = NULL;
	bool ok = true;

	for (tok = strtok_r(copy, ",", &save); ok && tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;

		if (!parse_size(tok, &v) || v == 0 || v % 4096) {
			vt_error(tok, "invalid size", "give a multiple of 4K such as 4K, 64K, 2M, 1G");
			ok = false;
		} else if (p->n_sizes == MAX_SIZES) {
			vt_error(tok, "too many sizes", "at most %d", MAX_SIZES);
			ok = false;
		} else
			p->sizes[p->n_sizes++] = v;
	}
	free(copy);
	return ok;
}

static bool parse_memory(struct plan *p)
{
	char *copy = vt_xstrdup(opt_memory ? opt_memory : "anon"), *tok, *save = NULL;
	bool ok = true;
	enum dma_backing b;

	for (tok = strtok_r(copy, ",", &save); ok && tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0)
			for (b = 0; b < DMA_N_BACKINGS; b++)
				p->backing[b] = true;
		else if (dma_backing_parse(tok, &b))
			p->backing[b] = true;
		else {
			vt_error(tok, "unknown memory", "use anon, thp, hugetlb2m, hugetlb1g or all");
			ok = false;
		}
	}
	free(copy);
	return ok;
}

static bool parse_window(struct plan *p)
{
	uint64_t page = 4096;

	if (opt_window && strcmp(opt_window, "32bit") != 0 && strcmp(opt_window, "64bit") != 0) {
		vt_error(opt_window, "unknown --window", "use 32bit or 64bit");
		return false;
	}
	if (opt_iommu_page && (!opt_window || strcmp(opt_window, "64bit") != 0)) {
		vt_error("--iommu-page", "needs --window 64bit", "the default window's page size is the host bridge's");
		return false;
	}
	if (opt_iommu_page && (!parse_size(opt_iommu_page, &page) || page < 4096 || (page & (page - 1)))) {
		vt_error(opt_iommu_page, "invalid --iommu-page", "give a power of two of at least 4K, such as 4K, 64K, 2M, 16M");
		return false;
	}
	p->iommu_page_shift = (unsigned)__builtin_ctzll(page);
	return true;
}

static bool parse_iova(struct plan *p)
{
	unsigned long long v;

	if (!opt_iova)
		return true;
	if (!tool_parse_u64("--iova", opt_iova, UINT64_MAX, &v))
		return false;
	p->fixed_iova = true;
	p->iova = v;
	return true;
}

static bool parse_dma_mask(struct plan *p)
{
	unsigned long long v;

	if (!opt_dma_mask)
		return true;
	if (!tool_parse_u64("--dma-mask", opt_dma_mask, UINT64_MAX, &v))
		return false;
	if (!opt_verify || v < 0xfff || (v & (v + 1))) {
		vt_error(opt_dma_mask, "invalid --dma-mask", !opt_verify ? "it is for --verify only"
			 : "give a mask of low bits, such as 0xffffffff or 0xffffffffffffffff");
		return false;
	}
	p->dma_mask = v;
	return true;
}

static bool parse_align(struct plan *p)
{
	if (!opt_align)
		return true;
	if (!parse_size(opt_align, &p->align) || p->align < 4096 || (p->align & (p->align - 1))) {
		vt_error(opt_align, "invalid --align", "give a power of two of at least 4K");
		return false;
	}
	return true;
}

/* Root (CAP_IPC_LOCK) pins without limit; others need the largest mapping under RLIMIT_MEMLOCK. */
static bool check_memlock(const struct plan *p)
{
	uint64_t need = 0;
	struct rlimit rl;
	size_t i;
	char a[32], b[32];

	for (i = 0; i < p->n_sizes; i++)
		if (p->sizes[i] > need)
			need = p->sizes[i];
	need += opt_verify ? 4096 : 0;
	if (geteuid() == 0 || getrlimit(RLIMIT_MEMLOCK, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= need)
		return true;
	vt_error("memlock", "limit too low", "%s locked memory allowed, %s to map: raise it (ulimit -l, memlock in "
		 "/etc/security/limits.conf, LimitMEMLOCK= for a service) or run as root",
		 bench_size_name(rl.rlim_cur, a, sizeof(a)), bench_size_name(need, b, sizeof(b)));
	return false;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The IOVA ranges type1 (Linux 5.4+) and iommufd report, the reserved regions left out; NULL for the others. */
static const struct iova_range *usable_ranges(const struct vfio_iommu_view *v, size_t *n)
{
	if (v->kind == VFIO_IOMMU_KIND_TYPE1 && v->type1.has_ranges)
		return *n = v->type1.n_ranges, v->type1.ranges;
	if (v->kind == VFIO_IOMMU_KIND_IOAS)
		return *n = v->n_ranges, v->ranges;
	return NULL;
}

/*
 * The lowest IOVA at or above `from`, aligned to the size's power of two (at most 1G),
 * where size bytes fit inside what the IOMMU allows and below limit; false if none.
 * On sPAPR the range is the dynamic window dyn when given, else the default 32-bit window.
 */
static bool pick_iova(const struct vfio_iommu_view *v, uint64_t size, uint64_t from, uint64_t limit,
		      const struct spapr_window *dyn, uint64_t *iova)
{
	uint64_t a = 4096, start;
	size_t i, n = 0;
	const struct iova_range *r = NULL;
	struct iova_range win;

	while (a < size && a < (1ULL << 30))
		a <<= 1;
	if ((r = usable_ranges(v, &n)) != NULL)
		;
	else if (v->kind == VFIO_IOMMU_KIND_SPAPR && dyn) {
		win.start = dyn->start;
		win.end = dyn->start + dyn->size - 1;
		r = &win, n = 1;
	} else if (v->kind == VFIO_IOMMU_KIND_SPAPR && v->spapr.win32.size) {
		win.start = v->spapr.win32.start;
		win.end = v->spapr.win32.start + v->spapr.win32.size - 1;
		r = &win, n = 1;
	} else {			/* type1 before Linux 5.4: no ranges reported */
		win.start = 0, win.end = UINT64_MAX;
		r = &win, n = 1;
	}
	for (i = 0; i < n; i++) {
		start = align_up(r[i].start > from ? r[i].start : from, a);
		if (start < r[i].start || start > r[i].end || size - 1 > r[i].end - start || start + size > limit)
			continue;
		*iova = start;
		return true;
	}
	return false;
}

/* The run: the device, its IOMMU's view, the report, and --verify's source page. */
struct run {
	struct vfio_dev dev;
	struct vfio_iommu_view view;
	struct bench_report rep;
	struct bench_device bd;
	bool have_bd;
	struct dma_buffer src;
	uint64_t src_iova;
	bool src_mapped;
	uint64_t limit;
	int verify_failures;
	struct spapr_window window64;	/* --window 64bit: the dynamic window created for the run (size 0: none) */
	unsigned window64_page_shift;
	const char *type_names[2];	/* --compare: each backend's IOMMU type */
	bool by_file;			/* --map-file: mapping by file (IOMMU_IOAS_MAP_FILE) now */
	bool map_file_missing;		/* --map-file: the kernel has no IOMMU_IOAS_MAP_FILE */
};

/* sPAPR TCE v2 pins memory when it is registered; --no-register leaves that out. */
static int register_buffer(const struct run *run, void *p, uint64_t size, char *why, size_t whylen)
{
	return opt_no_register ? 0 : run->dev.ops->dma_register(&run->dev, p, size, why, whylen);
}

static void unregister_buffer(const struct run *run, void *p, uint64_t size)
{
	if (!opt_no_register)
		run->dev.ops->dma_unregister(&run->dev, p, size);
}

/*
 * Where [iova, iova + size) leaves the usable IOVA ranges (type1, iommufd), why the kernel
 * said EINVAL: it overlaps a reserved region (the software MSI window on Arm, the
 * interrupt range on x86). Empty when it lies inside one range or nothing is known.
 */
static void outside_ranges_hint(const struct vfio_iommu_view *v, uint64_t iova, uint64_t size, char *out,
				size_t len)
{
	size_t i, n = 0, k;
	const struct iova_range *r = usable_ranges(v, &n);

	out[0] = '\0';
	if (!r || !n || !size)
		return;
	for (i = 0; i < n; i++)
		if (iova >= r[i].start && iova <= r[i].end && size - 1 <= r[i].end - iova)
			return;
	k = (size_t)snprintf(out, len, ": the IOVA range is outside the IOMMU's usable ranges (");
	for (i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(out + k, len - k, "%s0x%llx-0x%llx", i ? ", " : "",
				      (unsigned long long)r[i].start, (unsigned long long)r[i].end);
	if (k < len)
		snprintf(out + k, len - k, "): it overlaps a reserved region (vfio-dump iommu)");
}

/* A failed map or unmap; on sPAPR with the windows the IOVA had to fall in, elsewhere the usable ranges it left. */
static void report_dma_failure(const struct run *run, const char *label, const char *what, const char *why,
			       uint64_t iova, uint64_t size)
{
	const struct spapr_dma_info *w = &run->view.spapr;
	char windows[160] = "", page[16], ranges[256];

	if (run->view.kind == VFIO_IOMMU_KIND_SPAPR && w->win32.size)
		snprintf(windows, sizeof(windows), " (windows: 32-bit 0x%llx-0x%llx", (unsigned long long)w->win32.start,
			 (unsigned long long)(w->win32.start + w->win32.size - 1));
	if (windows[0] && run->window64.size)
		snprintf(windows + strlen(windows), sizeof(windows) - strlen(windows), ", 64-bit 0x%llx-0x%llx with %s pages",
			 (unsigned long long)run->window64.start,
			 (unsigned long long)(run->window64.start + run->window64.size - 1),
			 vfio_pgsizes_format(UINT64_C(1) << run->window64_page_shift, page, sizeof(page)));
	if (windows[0])
		strcat(windows, ")");
	outside_ranges_hint(&run->view, iova, size, ranges, sizeof(ranges));
	vt_error(label, what, "%s%s%s", why, windows, ranges);
}

/* Maps the buffer's first size bytes at iova: by address, or (--map-file's second method) by file. */
static inline int map_buffer(const struct run *run, const struct dma_buffer *buf, uint64_t iova, uint64_t size,
			     char *why, size_t whylen)
{
	if (run->by_file)
		return run->dev.ops->dma_map_file(&run->dev, buf->fd, 0, iova, size, why, whylen);
	return run->dev.ops->dma_map(&run->dev, buf->p, iova, size, why, whylen);
}

static bool map_or_report(const struct run *run, const char *label, const struct dma_buffer *buf, uint64_t iova,
			  uint64_t size)
{
	char why[512];

	if (map_buffer(run, buf, iova, size, why, sizeof(why)) == 0)
		return true;
	report_dma_failure(run, label, "map failed", why, iova, size);
	return false;
}

static bool unmap_or_report(const struct run *run, const char *label, uint64_t iova, uint64_t size)
{
	char why[512];

	if (run->dev.ops->dma_unmap(&run->dev, iova, size, why, sizeof(why)) == 0)
		return true;
	report_dma_failure(run, label, "unmap failed", why, iova, size);
	return false;
}

/*
 * Samples wait in a small batch and reach the histograms every SAMPLE_BATCH pairs: the
 * loop between two ioctls is then only the clock reads and two stores.
 */
#define SAMPLE_BATCH 64

struct sample_batch {
	unsigned n;
	uint64_t map[SAMPLE_BATCH], unmap[SAMPLE_BATCH];	/* ticks */
};

static void flush_samples(struct sample_batch *b, struct bench_result *rmap, struct bench_result *runmap,
			  struct bench_result *rpair)
{
	unsigned i;

	for (i = 0; i < b->n; i++) {
		bench_result_add(rmap, bench_ticks_ns(b->map[i]));
		bench_result_add(runmap, bench_ticks_ns(b->unmap[i]));
		bench_result_add(rpair, bench_ticks_ns(b->map[i] + b->unmap[i]));
	}
	b->n = 0;
}

/* One case: warm-up, then the measured loop; a fresh buffer per iteration with --fresh. */
static bool measure(struct run *run, const char *label, enum dma_backing b, uint64_t size, uint64_t align,
		    uint64_t iova, struct dma_buffer *buf)
{
	struct bench_result *rmap, *runmap, *rpair;
	struct sample_batch batch = { .n = 0 };
	char name[96], why[512];
	struct bench_loop loop;
	uint64_t i, t0, t1, t2;
	bool ok = true;

	snprintf(name, sizeof(name), "%s map", label);
	rmap = bench_report_add(&run->rep, name, "map", size, dma_backing_name(b));
	snprintf(name, sizeof(name), "%s unmap", label);
	runmap = bench_report_add(&run->rep, name, "unmap", size, dma_backing_name(b));
	snprintf(name, sizeof(name), "%s map+unmap", label);
	rpair = bench_report_add(&run->rep, name, "map+unmap", size, dma_backing_name(b));
	for (i = 0; ok && i < bench_options.warmup && !bench_interrupted; i++)
		ok = map_or_report(run, label, buf, iova, size) && unmap_or_report(run, label, iova, size);
	bench_loop_start(&loop, label);
	while (ok && bench_loop_next(&loop)) {
		if (opt_fresh) {
			unregister_buffer(run, buf->p, size);
			dma_buffer_free(buf);
			if (!dma_buffer_alloc(b, size, align, buf, why, sizeof(why)) ||
			    register_buffer(run, buf->p, size, why, sizeof(why)) < 0) {
				vt_error(label, "fresh buffer", "%s", why);
				ok = false;
				break;
			}
		}
		t0 = bench_ticks();
		if (map_buffer(run, buf, iova, size, why, sizeof(why)) < 0) {
			report_dma_failure(run, label, "map failed", why, iova, size);
			ok = false;
			break;
		}
		t1 = bench_ticks();
		if (run->dev.ops->dma_unmap(&run->dev, iova, size, why, sizeof(why)) < 0) {
			report_dma_failure(run, label, "unmap failed", why, iova, size);
			ok = false;
			break;
		}
		t2 = bench_ticks();
		batch.map[batch.n] = t1 - t0;
		batch.unmap[batch.n] = t2 - t1;
		if (++batch.n == SAMPLE_BATCH)
			flush_samples(&batch, rmap, runmap, rpair);
	}
	bench_loop_end(&loop);
	flush_samples(&batch, rmap, runmap, rpair);
	rmap->wall_ns = runmap->wall_ns = rpair->wall_ns = loop.end_ns - loop.start_ns;
	return ok;
}

/* --verify: the edu copies a pattern from the source page into the mapping's first and last bytes. */
static bool verify(struct run *run, const char *label, struct dma_buffer *buf, uint64_t size, uint64_t iova)
{
	uint64_t dst[2] = { iova, iova + size - VERIFY_LEN };
	uint8_t *at[2] = { buf->p, (uint8_t *)buf->p + size - VERIFY_LEN };
	char why[256];
	bool ok = true;
	int k;

	if (!map_or_report(run, label, buf, iova, size))
		return false;
	for (k = 0; k < 2 && ok; k++) {
		memset(at[k], 0, VERIFY_LEN);
		if (run->bd.ops->dma_copy(&run->bd, run->src_iova, dst[k], VERIFY_LEN, 5000, why, sizeof(why)) < 0) {
			vt_error(label, "--verify: device DMA failed", "%s", why);
			ok = false;
		} else if (memcmp(at[k], run->src.p, VERIFY_LEN) != 0) {
			bench_report_note(&run->rep, "verify %s: FAILED: the DMA to IOVA 0x%llx did not reach the buffer",
					  label, (unsigned long long)dst[k]);
			run->verify_failures++;
			ok = false;
		}
	}
	if (ok)
		bench_report_note(&run->rep, "verify %s: the device's DMA reached the mapping (%d bytes at IOVA 0x%llx and 0x%llx)",
				  label, VERIFY_LEN, (unsigned long long)dst[0], (unsigned long long)dst[1]);
	return unmap_or_report(run, label, iova, size) && (ok || run->verify_failures);
}

static bool measure_and_verify(struct run *run, const char *label, enum dma_backing b, uint64_t size, uint64_t align,
			       uint64_t iova, struct dma_buffer *buf)
{
	bool ok = measure(run, label, b, size, align, iova, buf);

	if (ok && opt_verify && !bench_interrupted)
		ok = verify(run, label, buf, size, iova);
	return ok;
}

static const char *const map_methods[2] = { "map", "map-file" };

/*
 * --map-file: whether the kernel maps by file, tried (unmeasured) with the case's buffer
 * until it answers: 1 yes; 0 no (ENOTTY before Linux 6.13), noted once; -1 after reporting.
 */
static int map_file_works(struct run *run, const char *label, const struct dma_buffer *buf, uint64_t iova,
			  uint64_t size)
{
	char why[512];
	struct utsname u;
	int r;

	if (run->map_file_missing)
		return 0;
	r = run->dev.ops->dma_map_file(&run->dev, buf->fd, 0, iova, size, why, sizeof(why));
	if (r == 0)
		return unmap_or_report(run, label, iova, size) ? 1 : -1;
	if (r != -ENOTTY && r != -EOPNOTSUPP) {
		report_dma_failure(run, label, "map failed", why, iova, size);
		return -1;
	}
	run->map_file_missing = true;
	uname(&u);
	bench_report_note(&run->rep, "IOMMU_IOAS_MAP_FILE needs Linux 6.13 (this kernel is %s, which answers %s): "
			  "IOMMU_IOAS_MAP's figures alone", u.release, r == -ENOTTY ? "ENOTTY" : "EOPNOTSUPP");
	return 0;
}

/* --map-file: the same memfd pages by address (IOMMU_IOAS_MAP), then by file (IOMMU_IOAS_MAP_FILE). */
static bool measure_methods(struct run *run, const char *label, enum dma_backing b, uint64_t size, uint64_t align,
			    uint64_t iova, struct dma_buffer *buf)
{
	char name[96];
	bool ok = true;
	int k, works;

	for (k = 0; ok && k < 2 && !bench_interrupted; k++) {
		run->by_file = k == 1;
		run->rep.method = map_methods[k];
		snprintf(name, sizeof(name), "%s %s", map_methods[k], label);
		if (run->by_file && (works = map_file_works(run, name, buf, iova, size)) <= 0) {
			ok = works == 0;
			break;
		}
		ok = measure_and_verify(run, name, b, size, align, iova, buf);
	}
	run->by_file = false;
	run->rep.method = NULL;
	return ok;
}

static bool run_case(struct run *run, const struct plan *p, enum dma_backing b, uint64_t size)
{
	uint64_t align = p->align ? p->align : dma_backing_page(b), iova, avail = dma_mem_available();
	struct dma_buffer buf;
	char label[64], sz[32], why[256];
	bool ok;

	snprintf(label, sizeof(label), "%s%s%s %s", run->rep.backend ? run->rep.backend : "", run->rep.backend ? " " : "",
		 bench_size_name(size, sz, sizeof(sz)), dma_backing_name(b));
	if (avail && size > avail / 2) {
		bench_report_note(&run->rep, "%s: skipped: %llu MiB of memory available, less than twice the size", label,
				  (unsigned long long)(avail >> 20));
		return true;
	}
	if (dma_backing_unavailable(b, size, why, sizeof(why))) {
		bench_report_note(&run->rep, "%s: skipped: %s", label, why);
		return true;
	}
	if (run->window64.size && size % (UINT64_C(1) << run->window64_page_shift)) {
		bench_report_note(&run->rep, "%s: skipped: not a multiple of the 64-bit window's IOMMU page", label);
		return true;
	}
	if (p->fixed_iova)
		iova = p->iova;
	else if (!pick_iova(&run->view, size, run->src_mapped ? run->src_iova + 4096 : 0, run->limit,
						run->window64.size ? &run->window64 : NULL, &iova)) {
		if (run->have_bd)
			bench_report_note(&run->rep, "%s: skipped: no IOVA range holds it below the device's DMA limit (0x%llx; "
					  "--dma-mask gives the device's real mask)", label, (unsigned long long)run->limit);
		else
			bench_report_note(&run->rep, "%s: skipped: no IOVA range holds it", label);
		return true;
	}
	if (!dma_buffer_alloc(b, size, align, &buf, why, sizeof(why))) {
		bench_report_note(&run->rep, "%s: skipped: %s", label, why);
		return true;
	}
	if (register_buffer(run, buf.p, size, why, sizeof(why)) < 0) {
		vt_error(label, "cannot register the buffer", "%s", why);
		dma_buffer_free(&buf);
		return false;
	}
	ok = opt_map_file ? measure_methods(run, label, b, size, align, iova, &buf)
			  : measure_and_verify(run, label, b, size, align, iova, &buf);
	unregister_buffer(run, buf.p, size);
	dma_buffer_free(&buf);
	return ok;
}

/* --verify: the edu driver and a mapped source page with a pattern (on sPAPR in the 32-bit window). */
static bool verify_setup(struct run *run, const struct plan *p)
{
	char why[512], known[128];
	size_t i;

	if (bench_device_open(&run->bd, run->dev.device, why, sizeof(why)) < 0) {
		vt_error(run->dev.address, "--verify needs a device vfio-bench can drive", "%s (known: %s)", why,
			 bench_device_known(known, sizeof(known)));
		return false;
	}
	run->have_bd = true;
	run->limit = p->dma_mask ? (p->dma_mask == UINT64_MAX ? UINT64_MAX : p->dma_mask + 1) : run->bd.ops->dma_limit;
	run->bd.dma_limit = run->limit;
	if (!dma_buffer_alloc(DMA_ANON, 4096, 4096, &run->src, why, sizeof(why))) {
		vt_error("--verify", "source page", "%s", why);
		return false;
	}
	for (i = 0; i < 4096; i++)
		((uint8_t *)run->src.p)[i] = (uint8_t)(i * 7 + 3);
	if (!pick_iova(&run->view, 4096, 0, run->limit, NULL, &run->src_iova) ||
	    register_buffer(run, run->src.p, 4096, why, sizeof(why)) < 0 ||
	    !map_or_report(run, "--verify source", &run->src, run->src_iova, 4096)) {
		vt_error("--verify", "cannot map the source page", "no usable IOVA or %s", why);
		return false;
	}
	run->src_mapped = true;
	return true;
}

/*
 * --window 64bit on sPAPR TCE v2: one dynamic window big enough for the largest size,
 * with --iommu-page pages (default 4K: larger pages need hugepage-backed memory on a
 * 4K-page kernel, which otherwise refuses the map with EINVAL).
 */
static bool window_setup(struct run *run, const struct plan *p)
{
	uint64_t need = 1ULL << 30, window, page = UINT64_C(1) << p->iommu_page_shift;
	char why[512], sizes[96];
	size_t i;

	if (!opt_window || strcmp(opt_window, "32bit") == 0)
		return true;
	if (run->view.kind != VFIO_IOMMU_KIND_SPAPR || run->dev.container.iommu_type != VFIO_SPAPR_TCE_v2_IOMMU ||
	    !run->view.spapr.ddw) {
		vt_error("--window 64bit", "not available", "only sPAPR TCE v2 with dynamic DMA windows (POWER) has them; "
			 "this IOMMU is %s", run->view.type_name);
		return false;
	}
	if (!(run->view.spapr.page_sizes & page)) {
		vt_error("--iommu-page", "not offered by the host bridge", "it offers %s",
			 vfio_pgsizes_format(run->view.spapr.page_sizes, sizes, sizeof(sizes)));
		return false;
	}
	for (i = 0; i < p->n_sizes; i++)
		while (need < p->sizes[i] * 2)
			need <<= 1;
	window = need;
	if (spapr_vfio_create_window(&run->dev.container, p->iommu_page_shift, window, 1, &run->window64.start, why,
				     sizeof(why)) < 0) {
		vt_error("--window 64bit", "cannot create the window", "%s", why);
		return false;
	}
	run->window64.size = window;
	run->window64_page_shift = p->iommu_page_shift;
	bench_report_fact(&run->rep, "dma_window", "64-bit dynamic at 0x%llx, %llu MiB, %s pages",
			  (unsigned long long)run->window64.start, (unsigned long long)(window >> 20),
			  vfio_pgsizes_format(page, sizes, sizeof(sizes)));
	return true;
}

static void run_teardown(struct run *run)
{
	if (run->window64.size)
		spapr_vfio_remove_window(&run->dev.container, run->window64.start);
	if (run->src_mapped) {
		unmap_or_report(run, "--verify source", run->src_iova, 4096);
		unregister_buffer(run, run->src.p, 4096);
	}
	dma_buffer_free(&run->src);
	if (run->have_bd)
		bench_device_close(&run->bd);
	vfio_iommu_view_free(&run->view);
	vfio_dev_close(&run->dev);
}

static void add_facts(struct run *run)
{
	char buf[128];

	bench_env_facts(&run->rep, &run->dev);
	if (!opt_compare)
		bench_report_fact(&run->rep, "iommu_type", "%s", run->view.type_name);
	if (run->view.kind == VFIO_IOMMU_KIND_TYPE1)
		bench_report_fact(&run->rep, "iommu_page_sizes", "%s", vfio_pgsizes_format(run->view.type1.iova_pgsizes, buf, sizeof(buf)));
	bench_report_fact(&run->rep, "iterations", "%llu", (unsigned long long)bench_options.iterations);
	bench_report_fact(&run->rep, "duration_s", "%g", bench_options.duration_s);
	bench_report_fact(&run->rep, "warmup", "%llu", (unsigned long long)bench_options.warmup);
	bench_report_fact(&run->rep, "buffer", "%s", opt_fresh ? "fresh each iteration" : "reused");
}

/* --compare wants both backends to itself. */
static bool parse_compare(void)
{
	if (!opt_compare)
		return true;
	if (tool_common.backend_text) {
		vt_error("--compare", "cannot be combined with --backend", "it runs the group backend, then iommufd");
		return false;
	}
	if (opt_window && strcmp(opt_window, "64bit") == 0) {
		vt_error("--compare", "cannot be combined with --window 64bit", "sPAPR windows have no iommufd counterpart");
		return false;
	}
	return true;
}

/* --map-file compares two ways of mapping through iommufd, on memfds of its own. */
static bool parse_map_file(struct plan *p)
{
	if (!opt_map_file)
		return true;
	if (opt_compare) {
		vt_error("--map-file", "cannot be combined with --compare", "each compares two ways of mapping: run them apart");
		return false;
	}
	if (opt_memory) {
		vt_error("--map-file", "cannot be combined with --memory",
			 "it maps memfds: 4K pages, and 2 MiB hugetlbfs pages where reserved");
		return false;
	}
	if (tool_common.backend == VFIO_BACKEND_GROUP) {
		vt_error("--map-file", "needs the iommufd backend",
			 "--backend group maps through the VFIO container, which cannot map a file");
		return false;
	}
	memset(p->backing, 0, sizeof(p->backing));
	p->backing[DMA_MEMFD] = p->backing[DMA_MEMFD_HUGETLB_2M] = true;
	return true;
}

static const char no_map_file[] = "--map-file: needs the iommufd backend";

/* --map-file without /dev/iommu: said before the device is opened (PCI addresses in their canonical form). */
static bool check_iommufd(const char *device)
{
	char address[PCI_ADDR_STRLEN], why[128];
	struct pci_addr a;
	bool pci;

	if (!opt_map_file || iommufd_present())
		return true;
	if ((pci = pci_addr_parse(device, &a, why, sizeof(why))))
		pci_addr_format(&a, address);
	vt_error(pci ? address : device, no_map_file,
		 "this kernel has no /dev/iommu (built without IOMMUFD, as Debian's kernels are, or its module is not "
		 "loaded)");
	return false;
}

/* --map-file with a device that auto opened through its group although /dev/iommu exists: why. */
static void report_no_map_file(const struct vfio_dev *d)
{
	if (vfio_group_is_noiommu(d->group))
		vt_error(d->address, no_map_file, "its group %d is a no-IOMMU one, which no IOAS holds", d->group);
	else
		vt_error(d->address, no_map_file, "it has no VFIO device node in /dev/vfio/devices (a kernel without "
			 "VFIO_DEVICE_CDEV)");
}

/* Every case through one backend: open, set up, measure, undo. */
static bool run_backend(struct run *run, const struct plan *plan, const char *device, enum vfio_backend_choice backend,
			bool first)
{
	char why[256];
	size_t i;
	bool ok;
	int b;

	memset(&run->view, 0, sizeof(run->view));
	memset(&run->bd, 0, sizeof(run->bd));
	memset(&run->src, 0, sizeof(run->src));
	memset(&run->window64, 0, sizeof(run->window64));
	run->have_bd = run->src_mapped = false;
	run->limit = UINT64_MAX;
	if (!vfio_open_device(device, backend, &run->dev))
		return false;
	if (opt_map_file && !run->dev.ops->dma_map_file) {
		report_no_map_file(&run->dev);
		vfio_dev_close(&run->dev);
		return false;
	}
	ok = vfio_dev_iommu_view(&run->dev, &run->view, why, sizeof(why)) == 0;
	if (!ok)
		vt_error(run->dev.address, "cannot read the IOMMU's view", "%s", why);
	else if (run->view.kind == VFIO_IOMMU_KIND_NONE) {
		vt_error(run->dev.address, "nothing to map", "in no-IOMMU mode the device's DMA uses physical addresses");
		ok = false;
	}
	ok = ok && window_setup(run, plan) && (!opt_verify || verify_setup(run, plan));
	if (ok && first)
		add_facts(run);
	if (ok && opt_compare)
		run->type_names[!first] = run->view.type_name;
	for (b = 0; ok && b < DMA_N_BACKINGS; b++)
		for (i = 0; ok && plan->backing[b] && i < plan->n_sizes && !bench_interrupted; i++)
			ok = run_case(run, plan, (enum dma_backing)b, plan->sizes[i]);
	run_teardown(run);
	return ok;
}

int cmd_dma_map(int argc, const char **argv)
{
	static const enum vfio_backend_choice both[] = { VFIO_BACKEND_GROUP, VFIO_BACKEND_IOMMUFD };
	static struct run run;
	struct plan plan = { 0 };
	struct tool_args args;
	size_t k, n_backends;
	int rc = 2;
	bool ok = true;

	if (!tool_parse(argc, argv, options, "[OPTIONS] DEVICE", 1, 1, NULL, &args))
		return 2;
	n_backends = opt_compare ? 2 : 1;
	if (!bench_options_finish(1000) || !parse_sizes(&plan) || !parse_memory(&plan) || !parse_align(&plan) || !parse_window(&plan) ||
	    !parse_iova(&plan) || !parse_dma_mask(&plan) || !parse_compare() || !parse_map_file(&plan) ||
	    !check_memlock(&plan) || !check_iommufd(args.arg[0])) {
		tool_args_free(&args);
		return 2;
	}
	run.rep.command = "dma-map";
	run.rep.dev = &run.dev;
	if (opt_compare) {
		run.rep.compare[0] = "group";
		run.rep.compare[1] = "iommufd";
	} else if (opt_map_file) {
		run.rep.compare[0] = map_methods[0];
		run.rep.compare[1] = map_methods[1];
		run.rep.compare_methods = true;
	}
	bench_catch_signals();
	for (k = 0; ok && k < n_backends && !bench_interrupted; k++) {
		run.rep.backend = opt_compare ? run.rep.compare[k] : NULL;
		/* --map-file: auto, so that a device without a cdev (or in a no-IOMMU group) gets report_no_map_file's line */
		ok = run_backend(&run, &plan, args.arg[0], opt_compare ? both[k] : opt_map_file ? VFIO_BACKEND_AUTO :
				 tool_common.backend, k == 0);
	}
	if (ok && opt_compare)
		bench_report_fact(&run.rep, "iommu_type", "%s, then %s", run.type_names[0], run.type_names[1]);
	if (ok && opt_map_file)
		bench_report_fact(&run.rep, "map_file", run.map_file_missing ?
				  "IOMMU_IOAS_MAP of the memfd's mapping only: no IOMMU_IOAS_MAP_FILE before Linux 6.13" :
				  "IOMMU_IOAS_MAP of the memfd's mapping, then IOMMU_IOAS_MAP_FILE of the memfd");
	if (run.map_file_missing)	/* nothing to pair */
		run.rep.compare[0] = run.rep.compare[1] = NULL;
	if (ok) {
		bench_report_print(&run.rep);
		rc = run.verify_failures ? 1 : 0;
		if (bench_interrupted)
			rc = bench_exit_interrupted("every mapping was undone");
	}
	bench_report_free(&run.rep);
	tool_args_free(&args);
	return rc;
}
