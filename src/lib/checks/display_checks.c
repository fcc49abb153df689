#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/display_checks.h"
#include "iommu/kernel_quirks.h"
#include "util/report.h"
#include "util/sysfs.h"

#define IORESOURCE_MEM_FLAG 0x200
#define BAR_COUNT 6

struct bar {
	uint64_t start, end;	/* end inclusive, as the kernel prints it */
	bool mem;
};

static bool read_attr(const char *address, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	return sysfs_path(path, sizeof(path), "bus/pci/devices/%s/%s", address, attr) &&
	       sysfs_read_line(path, buf, len);
}

static bool is_vga(const struct pci_device *dev)
{
	return dev->class24 >> 8 == 0x0300;
}

static void check_boot_vga(struct findings *fs, const struct pci_device *dev)
{
	char value[16];

	if (!read_attr(dev->address, "boot_vga", value, sizeof(value)))
		findings_add(fs, LEVEL_NOTE, "display.boot_vga", dev->address, NULL,
			     "not a VGA device (class %06x): no legacy VGA, no boot_vga", dev->class24);
	else if (strcmp(value, "1") == 0)
		findings_add(fs, LEVEL_WARN, "display.boot_vga", dev->address,
			     "give the host another display or none; a guest that needs the card's own ROM gets it "
			     "from a file (the VMM's romfile=: 'vfio-dump rom -o' of a card that is not the boot one, "
			     "or the vendor's image)",
			     "the boot VGA device: the firmware ran its ROM and the host's console uses it; on x86, "
			     "VFIO's ROM region is the firmware's shadow copy at 0xc0000, not the ROM BAR");
	else
		findings_add(fs, LEVEL_PASS, "display.boot_vga", dev->address, NULL, "not the boot VGA device");
}

/* --- a firmware framebuffer inside a BAR --- */

/* The /proc/iomem names of firmware framebuffers, and how each is freed. */
struct fb_owner {
	const char *name;
	const char *fix;
};

#define SYSFB_FIX "initcall_blacklist=sysfb_init on the kernel command line keeps sysfb from creating it " \
		  "(video=efifb:off does not free it: simpledrm or simplefb, not efifb, drives it, and " \
		  "unbinding that driver leaves the BOOTFB region)"

static const struct fb_owner fb_owners[] = {
	{ "BOOTFB", SYSFB_FIX },
	{ "simpledrm", SYSFB_FIX },
	{ "simplefb", SYSFB_FIX },
	{ "efifb", "video=efifb:off on the kernel command line, or now: "
		   "echo efi-framebuffer.0 > /sys/bus/platform/drivers/efi-framebuffer/unbind" },
	{ "vesafb", "video=vesafb:off on the kernel command line, or now: "
		    "echo vesa-framebuffer.0 > /sys/bus/platform/drivers/vesa-framebuffer/unbind" },
	{ "efidrm", "initcall_blacklist=sysfb_init on the kernel command line, or now: "
		    "echo efi-framebuffer.0 > /sys/bus/platform/drivers/efidrm/unbind" },
	{ "vesadrm", "initcall_blacklist=sysfb_init on the kernel command line, or now: "
		     "echo vesa-framebuffer.0 > /sys/bus/platform/drivers/vesadrm/unbind" },
	{ "corebootdrm", "unbind it: echo DEVICE > /sys/bus/platform/drivers/corebootdrm/unbind" },
	{ "ofdrm", "unbind it: echo DEVICE > /sys/bus/platform/drivers/ofdrm/unbind" },
	{ "simple-framebuffer", "drop the device tree's simple-framebuffer node (or mark it disabled)" },
};

static const struct fb_owner *fb_owner_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(fb_owners) / sizeof(fb_owners[0]); i++)
		if (strcmp(fb_owners[i].name, name) == 0)
			return &fb_owners[i];
	return NULL;
}

static size_t read_bars(const char *address, struct bar bars[BAR_COUNT])
{
	char path[PATH_MAX], line[256];
	unsigned long long s, e, fl;
	size_t n = 0;
	FILE *f;

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/resource", address) || !(f = fopen(path, "re")))
		return 0;
	while (n < BAR_COUNT && fgets(line, sizeof(line), f)) {
		bars[n].mem = sscanf(line, "%llx %llx %llx", &s, &e, &fl) == 3 && (fl & IORESOURCE_MEM_FLAG) && e > s;
		bars[n].start = s;
		bars[n].end = e;
		n++;
	}
	fclose(f);
	return n;
}

/* What /proc/iomem says about framebuffers in the BARs. */
struct fb_scan {
	bool readable;
	bool hidden;		/* framebuffer entries with zeroed addresses: not root */
	bool found;
	int bar;
	uint64_t start, end;	/* the outermost framebuffer entry found */
	char names[128];	/* "BOOTFB, simpledrm" */
	const struct fb_owner *owner;	/* the outermost one's */
};

static void note_framebuffer(struct fb_scan *s, int bar, uint64_t start, uint64_t end, const char *name)
{
	size_t used = strlen(s->names);

	if (!s->found) {
		s->found = true;
		s->bar = bar;
		s->start = start;
		s->end = end;
		s->owner = fb_owner_of(name);
	}
	if (!strstr(s->names, name) && used + strlen(name) + 3 < sizeof(s->names))
		snprintf(s->names + used, sizeof(s->names) - used, "%s%.32s", used ? ", " : "", name);
}

static void scan_iomem(const struct bar *bars, size_t n_bars, struct fb_scan *s)
{
	char path[PATH_MAX], line[512], name[256];
	unsigned long long start, end;
	size_t b;
	FILE *f;

	memset(s, 0, sizeof(*s));
	if (!procfs_path(path, sizeof(path), "iomem") || !(f = fopen(path, "re")))
		return;
	s->readable = true;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %llx-%llx : %255[^\n]", &start, &end, name) != 3 || !fb_owner_of(name))
			continue;
		if (start == 0 && end == 0) {
			s->hidden = true;
			continue;
		}
		for (b = 0; b < n_bars; b++)
			if (bars[b].mem && start <= bars[b].end && end >= bars[b].start)
				note_framebuffer(s, (int)b, start, end, name);
	}
	fclose(f);
}

static void check_framebuffer(struct findings *fs, const struct pci_device *dev)
{
	struct bar bars[BAR_COUNT];
	size_t n_bars = read_bars(dev->address, bars);
	const char *fix;
	struct fb_scan s;
	char release[64], where[320];
	bool removes;

	scan_iomem(bars, n_bars, &s);
	if (!s.readable) {
		findings_add(fs, LEVEL_NOTE, "display.framebuffer", dev->address, NULL,
			     "firmware framebuffer unknown: /proc/iomem is unreadable");
		return;
	}
	if (!s.found) {
		if (s.hidden)
			findings_add(fs, LEVEL_NOTE, "display.framebuffer", dev->address, "run as root",
				     "firmware framebuffer unknown: /proc/iomem shows addresses to root only");
		else
			findings_add(fs, LEVEL_PASS, "display.framebuffer", dev->address, NULL,
				     "no firmware framebuffer in its BARs");
		return;
	}
	snprintf(where, sizeof(where), "firmware framebuffer %s [mem 0x%" PRIx64 "-0x%" PRIx64 "] in BAR%d "
		 "[mem 0x%" PRIx64 "-0x%" PRIx64 "]", s.names, s.start, s.end, s.bar, bars[s.bar].start, bars[s.bar].end);
	fix = s.owner ? s.owner->fix : SYSFB_FIX;
	procfs_kernel_release(release, sizeof(release));
	/* vfio-pci_core's VGA setup removes the firmware framebuffers on the device's BARs (Linux 6.0+). */
	removes = is_vga(dev) && release[0] && kernel_release_compare(release, "6.0") >= 0;
	if (pci_driver_is_vfio(dev->driver))
		findings_add(fs, LEVEL_WARN, "display.framebuffer", dev->address, fix,
			     "%s, still there with the device on %s: a guest's driver cannot have that memory",
			     where, dev->driver);
	else if (removes)
		findings_add(fs, LEVEL_NOTE, "display.framebuffer", dev->address, fix,
			     "%s: vfio-pci removes it when it binds this VGA device (Linux 6.0+), and the host "
			     "loses that console", where);
	else
		findings_add(fs, LEVEL_WARN, "display.framebuffer", dev->address, fix,
			     "%s: vfio-pci cannot reserve BAR%d while it is there (the kernel logs \"BAR %d: can't "
			     "reserve\"); %s", where, s.bar, s.bar,
			     is_vga(dev) ? "this kernel's vfio-pci does not remove it (Linux before 6.0)" :
			     "vfio-pci removes firmware framebuffers of VGA devices (class 0300) only");
}

/* --- the other functions of its slot --- */

static const char *function_kind(const struct pci_device *f)
{
	switch (f->class24 >> 8) {
	case 0x0403:
		return "HDMI/DP audio";
	case 0x0c03:
		return "USB controller";
	case 0x0c80:
		return "USB-C controller (UCSI)";
	case 0x0300:
	case 0x0302:
	case 0x0380:
		return "display";
	default:
		return f->class_name ? f->class_name : "function";
	}
}

/* The group plan: the members `bind --group` moves to vfio-pci. */
struct group_plan {
	const char *const *bind;
	size_t n;
};

static bool in_plan(const struct group_plan *plan, const char *address)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (strcmp(plan->bind[i], address) == 0)
			return true;
	return false;
}

static bool same_slot(const struct pci_device *a, const struct pci_device *b)
{
	return a != b && a->addr.domain == b->addr.domain && a->addr.bus == b->addr.bus && a->addr.dev == b->addr.dev;
}

/* Adds a finding per other function of the slot. */
static void check_functions(struct findings *fs, const struct pci_device_list *devices,
			    const struct pci_device *dev, const struct group_plan *plan)
{
	const char *hint = "a guest gets the card's audio and USB only with those functions";
	size_t i;

	for (i = 0; i < devices->n; i++) {
		const struct pci_device *f = &devices->dev[i];
		const char *drv = f->driver ? f->driver : "no driver";

		if (!same_slot(&devices->dev[i], dev))
			continue;
		if (pci_driver_is_vfio(f->driver))
			findings_add(fs, LEVEL_PASS, "display.function", dev->address, NULL,
				     "slot function %s (%s) is on %s too", f->address, function_kind(f), f->driver);
		else if (in_plan(plan, f->address))
			findings_add(fs, LEVEL_NOTE, "display.function", dev->address, NULL,
				     "slot function %s (%s, on %s) is in its IOMMU group %d: the group plan binds it too "
				     "(vfio-admin bind --group)", f->address, function_kind(f), drv, f->iommu_group);
		else if (f->iommu_group >= 0 && f->iommu_group != dev->iommu_group)
			findings_add(fs, LEVEL_NOTE, "display.function", dev->address, hint,
				     "slot function %s (%s, on %s) is in IOMMU group %d, apart from it: the group plan "
				     "leaves it; bind it too (vfio-admin bind %s)", f->address, function_kind(f), drv,
				     f->iommu_group, f->address);
		else
			findings_add(fs, LEVEL_NOTE, "display.function", dev->address, hint,
				     "slot function %s (%s, on %s) has no IOMMU group: the group plan cannot bind it",
				     f->address, function_kind(f), drv);
	}
}

/* --- reset and power --- */

/* Another device on its bus: the slot's other functions, or other slots below a conventional bridge. */
static bool shares_bus(const struct pci_device_list *devices, const struct pci_device *dev)
{
	const struct pci_device *end = devices->dev + devices->n, *p;

	for (p = devices->dev; p < end; p++)
		if (p != dev && p->addr.bus == dev->addr.bus && p->addr.domain == dev->addr.domain)
			break;
	return p < end;
}

static void check_display_reset(struct findings *fs, const struct pci_device_list *devices,
				const struct pci_device *dev)
{
	char methods[128] = "", release[64];

	if (!read_attr(dev->address, "reset_method", methods, sizeof(methods))) {
		/* Linux 5.15+ hides reset_method when there is no method; before, the reset finding covers it */
		procfs_kernel_release(release, sizeof(release));
		if (!release[0] || kernel_release_compare(release, "5.15") < 0)
			return;
	}
	if (strstr(methods, "flr"))
		findings_add(fs, LEVEL_PASS, "display.reset", dev->address, NULL,
			     "function level reset (%s): VFIO resets the GPU between guests", methods);
	else if (strstr(methods, "device_specific"))
		findings_add(fs, LEVEL_PASS, "display.reset", dev->address, NULL,
			     "a device-specific reset, a kernel quirk (%s): VFIO resets the GPU between guests", methods);
	else if (strstr(methods, "pm"))
		findings_add(fs, LEVEL_WARN, "display.reset", dev->address, "a host reboot resets it",
			     "only %s: a PM reset (D3hot to D0) leaves many GPUs' state as it was (No_Soft_Reset), "
			     "so the next guest may find the last one's", methods);
	else if (dev->parent >= 0 && shares_bus(devices, dev))
		/* "bus" shows when the kernel probed function 0 before the others appeared */
		findings_add(fs, LEVEL_NOTE, "display.reset", dev->address,
			     "give every function on the bus to the same guest: its VMM resets them together",
			     "no function reset (%s): the kernel resets a bus for one function only while it is alone "
			     "there, so VFIO can reset it only with a hot reset of the whole bus "
			     "(VFIO_DEVICE_PCI_HOT_RESET), which needs one user to hold every function on it",
			     methods[0] ? methods : "none");
	else if (strstr(methods, "bus"))
		findings_add(fs, LEVEL_PASS, "display.reset", dev->address, NULL,
			     "no FLR (%s): VFIO resets the GPU with a bus reset between guests (it is alone on its bus)",
			     methods);
	else
		findings_add(fs, LEVEL_WARN, "display.reset", dev->address,
			     "a host reboot resets it; out-of-tree modules (vendor-reset) add resets for some AMD GPUs",
			     "no reset method: VFIO cannot reset it, so a guest's state stays in the GPU for the next "
			     "guest (or the same one rebooted), whose driver may fail to start it");
}

static void check_d3cold(struct findings *fs, const struct pci_device *dev)
{
	char allowed[8], state[16] = "", idle[8] = "", path[PATH_MAX], now[40] = "", hint[160];

	if (!read_attr(dev->address, "d3cold_allowed", allowed, sizeof(allowed)))
		return;
	if (read_attr(dev->address, "power_state", state, sizeof(state)) && state[0] && strcmp(state, "unknown") != 0)
		snprintf(now, sizeof(now), " (now %s)", state);
	if (sysfs_path(path, sizeof(path), "module/vfio_pci/parameters/disable_idle_d3") &&
	    sysfs_read_line(path, idle, sizeof(idle)) && idle[0] == 'Y')
		findings_add(fs, LEVEL_NOTE, "display.d3cold", dev->address, NULL,
			     "vfio-pci keeps idle devices in D0 (disable_idle_d3=Y)%s", now);
	else if (strcmp(allowed, "0") == 0)
		findings_add(fs, LEVEL_NOTE, "display.d3cold", dev->address, NULL,
			     "D3cold not allowed (d3cold_allowed 0): the GPU stays powered while idle%s", now);
	else {
		snprintf(hint, sizeof(hint), "if it does not come back: echo 0 > /sys/bus/pci/devices/%s/d3cold_allowed, "
			 "or vfio-pci's disable_idle_d3=1", dev->address);
		findings_add(fs, LEVEL_NOTE, "display.d3cold", dev->address, hint,
			     "D3cold allowed: idle on vfio-pci, runtime PM may cut its power where the platform can%s", now);
	}
}

void check_display(struct findings *fs, const struct pci_device_list *devices, const struct pci_device *dev,
		   const char *const *bind, size_t n_bind)
{
	const struct group_plan plan = { bind, n_bind };

	if (dev->class24 >> 16 != 0x03)
		return;
	check_boot_vga(fs, dev);
	check_framebuffer(fs, dev);
	check_functions(fs, devices, dev, &plan);
	check_display_reset(fs, devices, dev);
	check_d3cold(fs, dev);
}
