#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench.h"
#include "util/report.h"
#include "util/sysfs.h"

/* "intel-iommu (dmar0)": the IOMMU instance translating for the device, by its name. */
static void iommu_instance(const char *address, char *buf, size_t len)
{
	static const struct { const char *prefix, *driver; } kinds[] = {
		{ "dmar", "intel-iommu" }, { "ivhd", "amd-iommu" }, { "virtio", "virtio-iommu" },
		{ "smmu", "arm-smmu" },
	};
	char path[PATH_MAX], name[128];
	size_t i;

	snprintf(buf, len, "unknown");
	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/iommu", address) ||
	    !sysfs_link_basename(path, name, sizeof(name)))
		return;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(name, kinds[i].prefix, strlen(kinds[i].prefix)) == 0) {
			snprintf(buf, len, "%s (%s)", kinds[i].driver, name);
			return;
		}
	snprintf(buf, len, "%s", name);
}

static void cpu_model(char *buf, size_t len)
{
	char path[PATH_MAX], line[512];
	FILE *f;

	snprintf(buf, len, "unknown");
	if (!procfs_path(path, sizeof(path), "cpuinfo") || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "model name", 10) == 0 || strncmp(line, "cpu\t", 4) == 0) {
			char *colon = strchr(line, ':');

			if (colon) {
				snprintf(buf, len, "%s", colon + 2);
				buf[strcspn(buf, "\n")] = '\0';
			}
			break;
		}
	fclose(f);
}

static void read_attr(const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];

	if (!sysfs_path(path, sizeof(path), "%s", rel) || !sysfs_read_line(path, buf, len))
		snprintf(buf, len, "unknown");
}

void bench_env_facts(struct bench_report *rep, const struct vfio_dev *d)
{
	char buf[256], rel[128];
	struct utsname u;

	uname(&u);
	bench_report_fact(rep, "kernel", "%s", u.release);
	iommu_instance(d->address, buf, sizeof(buf));
	bench_report_fact(rep, "iommu", "%s", buf);
	snprintf(rel, sizeof(rel), "kernel/iommu_groups/%d/type", d->group);
	read_attr(rel, buf, sizeof(buf));
	bench_report_fact(rep, "domain_type", "%s", buf);
	if (rep->compare[0] && !rep->compare_methods)
		bench_report_fact(rep, "backend", "%s, then %s (--compare)", rep->compare[0], rep->compare[1]);
	else
		bench_report_fact(rep, "backend", "%s", d->ops->name);
	cpu_model(buf, sizeof(buf));
	bench_report_fact(rep, "cpu_model", "%s", buf);
	read_attr("devices/system/clocksource/clocksource0/current_clocksource", buf, sizeof(buf));
	bench_report_fact(rep, "clocksource", "%s", buf);
	if (bench_options.cpu >= 0)
		bench_report_fact(rep, "pinned_cpu", "%d", bench_options.cpu);
	else
		bench_report_fact(rep, "pinned_cpu", "none");
	bench_clock_init(rep);
}

int bench_exit_interrupted(const char *undone)
{
	vt_error("interrupted", "stopped early", "by signal %d; %s", (int)bench_interrupted, undone);
	return 2;
}
