/* vfio-bench mmio: latency of one BAR register access through mmap and through pread/pwrite. */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "bench.h"
#include "tool/cli.h"
#include "util/report.h"
#include "tool/vfio_open.h"

static char *opt_region, *opt_offset, *opt_width, *opt_access, *opt_write;
static int opt_force;

static const struct poptOption options[] = {
	{ "region", 'r', POPT_ARG_STRING, &opt_region, 0, "Region (default BAR0)", "BARn|INDEX" },
	{ "offset", 'o', POPT_ARG_STRING, &opt_offset, 0, "Register offset in the region (default 0)", "OFFSET" },
	{ "width", 'W', POPT_ARG_STRING, &opt_width, 0, "Access size in bytes (default 4)", "1|2|4|8" },
	{ "access", 'A', POPT_ARG_STRING, &opt_access, 0, "mmap, pread (pwrite for writes) or both (default)",
	  "mmap|pread|both" },
	{ "write", '\0', POPT_ARG_STRING, &opt_write, 0,
	  "Measure writes of VALUE instead of reads (needs --force: registers have side effects)", "VALUE" },
	{ "force", '\0', POPT_ARG_NONE, &opt_force, 0, "Allow --write", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, bench_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

struct mmio_plan {
	int index;
	uint64_t offset, value;
	unsigned width;
	bool write, use_mmap, use_pread;
};

static bool parse_plan(struct mmio_plan *p)
{
	unsigned long long v = 4;

	p->index = vfio_pci_region_index(opt_region ? opt_region : "BAR0");
	if (p->index < 0) {
		vt_error(opt_region, "unknown region", "use BAR0..BAR5, ROM, CONFIG or an index");
		return false;
	}
	if (opt_width && (!tool_parse_u64("invalid --width", opt_width, 8, &v) || (v != 1 && v != 2 && v != 4 && v != 8))) {
		if (v <= 8)
			vt_error(opt_width, "invalid --width", "use 1, 2, 4 or 8");
		return false;
	}
	p->width = (unsigned)v;
	v = 0;
	if (opt_offset && !tool_parse_u64("invalid --offset", opt_offset, UINT64_MAX, &v))
		return false;
	p->offset = v;
	if (p->offset % p->width) {
		vt_error(opt_offset, "misaligned --offset", "must be a multiple of --width %u", p->width);
		return false;
	}
	p->write = opt_write != NULL;
	if (p->write && !opt_force) {
		vt_error("--write", "refused without --force", "a register write can reset, stop or reprogram the device");
		return false;
	}
	if (p->write && !tool_parse_u64("invalid --write value", opt_write,
					p->width == 8 ? UINT64_MAX : (1ULL << (8 * p->width)) - 1, &v))
		return false;
	p->value = v;
	if (opt_access && strcmp(opt_access, "mmap") != 0 && strcmp(opt_access, "pread") != 0 &&
	    strcmp(opt_access, "both") != 0) {
		vt_error(opt_access, "unknown --access", "use mmap, pread or both");
		return false;
	}
	p->use_mmap = !opt_access || strcmp(opt_access, "pread") != 0;
	p->use_pread = !opt_access || strcmp(opt_access, "mmap") != 0;
	return true;
}

static bool check_region(const struct vfio_dev *d, struct mmio_plan *p, struct vfio_region_desc *r)
{
	char why[256], name[32];

	vfio_pci_region_name((uint32_t)p->index, name, sizeof(name));
	if (vfio_region_info_get(d->device, (uint32_t)p->index, r, why, sizeof(why)) < 0 || r->err || !r->size) {
		vt_error(opt_region ? opt_region : "BAR0", "region not available",
			 "%s", r->err ? strerror(r->err) : r->size ? why : "its size is 0");
		return false;
	}
	if (p->offset + p->width > r->size) {
		vt_error(opt_offset, "access past the region's end", "the region is 0x%llx bytes", (unsigned long long)r->size);
		return false;
	}
	if (p->use_mmap && !(r->flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		if (opt_access) {
			vt_error(opt_region ? opt_region : "BAR0", "mmap refused", "VFIO does not allow mmap of this region");
			return false;
		}
		p->use_mmap = false;	/* "both" quietly becomes pread */
	}
	return true;
}

static uint64_t le_bytes(const uint8_t *b, unsigned width)
{
	uint64_t v = 0;

	while (width--)
		v = v << 8 | b[width];
	return v;
}

static void mmio_access(volatile uint8_t *at, const struct mmio_plan *p, uint64_t *sink)
{
	switch (p->width) {
	case 1:
		if (p->write) *at = (uint8_t)p->value; else *sink = *at;
		break;
	case 2:
		if (p->write) *(volatile uint16_t *)at = htole16((uint16_t)p->value); else *sink = *(volatile uint16_t *)at;
		break;
	case 4:
		if (p->write) *(volatile uint32_t *)at = htole32((uint32_t)p->value); else *sink = *(volatile uint32_t *)at;
		break;
	default:
		if (p->write) *(volatile uint64_t *)at = htole64(p->value); else *sink = *(volatile uint64_t *)at;
	}
}

static bool measure(const struct vfio_dev *d, const struct mmio_plan *p, const struct vfio_region_desc *r,
		    struct bench_report *rep, bool via_mmap)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), start = p->offset & ~(page - 1), sink = 0, t0, i;
	off_t fd_off = (off_t)(r->offset + p->offset);
	struct bench_result *res;
	volatile uint8_t *at = NULL;
	struct bench_loop loop;
	void *map = NULL;
	char name[64], rn[32];
	uint8_t b[8];
	bool ok = true;

	if (via_mmap) {
		map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, d->device, (off_t)(r->offset + start));
		if (map == MAP_FAILED) {
			vt_error(d->address, "mmap failed", "%s", strerror(errno));
			return false;
		}
		at = (volatile uint8_t *)map + (p->offset - start);
	}
	for (i = 0; i < p->width; i++)
		b[i] = (uint8_t)(p->value >> (8 * i));
	snprintf(name, sizeof(name), "%s+0x%llx %s%u %s", vfio_pci_region_name(r->index, rn, sizeof(rn)),
		 (unsigned long long)p->offset, p->write ? "write" : "read", p->width * 8,
		 via_mmap ? "mmap" : p->write ? "pwrite" : "pread");
	res = bench_report_add(rep, name, p->write ? "write" : "read", p->width, NULL);
	for (i = 0; i <= bench_options.warmup && ok; i++)
		ok = via_mmap || (p->write ? pwrite(d->device, b, p->width, fd_off) : pread(d->device, b, p->width, fd_off)) ==
				 (ssize_t)p->width;
	bench_loop_start(&loop, name);
	while (ok && bench_loop_next(&loop)) {
		t0 = bench_ticks();
		if (via_mmap)
			mmio_access(at, p, &sink);
		else if ((p->write ? pwrite(d->device, b, p->width, fd_off) : pread(d->device, b, p->width, fd_off)) !=
			 (ssize_t)p->width)
			ok = false;
		bench_result_add(res, bench_ticks_ns(bench_ticks() - t0));
	}
	bench_loop_end(&loop);
	res->wall_ns = loop.end_ns - loop.start_ns;
	if (!ok)
		vt_error(d->address, p->write ? "pwrite failed" : "pread failed", "%s", strerror(errno));
	if (map)
		munmap(map, page);
	if (!p->write)
		bench_report_note(rep, "%s: last value 0x%llx", name,
				  (unsigned long long)(via_mmap ? sink : le_bytes(b, p->width)));
	return ok;
}

int cmd_mmio(int argc, const char **argv)
{
	static struct bench_report rep;
	struct vfio_region_desc region = { 0 };
	struct mmio_plan plan;
	struct tool_args args;
	struct vfio_dev d;
	int rc = 2;
	bool ok;

	if (!tool_parse(argc, argv, options, "[OPTIONS] DEVICE", 1, 1, NULL, &args))
		return 2;
	if (!bench_options_finish(10000) || !parse_plan(&plan) || !vfio_open_device(args.arg[0], tool_common.backend, &d)) {
		tool_args_free(&args);
		return 2;
	}
	rep.command = "mmio";
	rep.dev = &d;
	bench_catch_signals();
	ok = check_region(&d, &plan, &region);
	if (ok) {
		bench_env_facts(&rep, &d);
		if (plan.use_mmap)
			ok = measure(&d, &plan, &region, &rep, true);
		if (ok && plan.use_pread)
			ok = measure(&d, &plan, &region, &rep, false);
	}
	vfio_region_desc_free(&region);
	vfio_dev_close(&d);
	if (ok) {
		bench_report_print(&rep);
		rc = bench_interrupted ? bench_exit_interrupted("the region was unmapped") : 0;
	}
	bench_report_free(&rep);
	tool_args_free(&args);
	return rc;
}
