#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "util/prometheus.h"
#include "util/report.h"

static const char *const level_labels[] = {
	[LEVEL_PASS] = "pass", [LEVEL_NOTE] = "note", [LEVEL_WARN] = "warn", [LEVEL_FAIL] = "fail",
};

static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c == 0)
		c = strcmp(x->subject, y->subject);
	return c ? c : (int)x->level - (int)y->level;
}

/*
 * One sample per id, subject and level, valued by how many findings share them: a
 * textfile with the same labels twice fails node_exporter's whole scrape, and some ids
 * come more than once for one subject (iommu.options, iommu.reserved, display.function).
 */
static void write_findings(FILE *out, const struct findings *fs)
{
	/* shallow copies: their strings stay fs's */
	struct finding *sorted = vt_xcalloc(fs->n ? fs->n : 1, sizeof(*sorted));
	size_t i, n;

	if (fs->n)
		memcpy(sorted, fs->f, fs->n * sizeof(*sorted));
	qsort(sorted, fs->n, sizeof(*sorted), finding_cmp);
	prom_family(out, "vfio_check_finding", "gauge",
		    "Findings of vfio-admin check with this id, subject (machine or a PCI address) and level: "
		    "how many (a port on the path of several devices checked is reported for each).");
	for (i = 0; i < fs->n; i += n) {
		struct prom_label l[] = {
			{ "id", sorted[i].id }, { "subject", sorted[i].subject },
			{ "level", level_labels[sorted[i].level] },
		};

		for (n = 1; i + n < fs->n && finding_cmp(&sorted[i], &sorted[i + n]) == 0; n++)
			;
		prom_sample(out, "vfio_check_finding", l, 3, (double)n);
	}
	free(sorted);
}

static bool machine_failed(const struct findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (fs->f[i].level == LEVEL_FAIL && strcmp(fs->f[i].subject, "machine") == 0)
			return true;
	return false;
}

/* A state set: every verdict, 1 for the device's own, so an alert can test for 0 too. */
static void write_verdicts(FILE *out, const struct device_report *reports, size_t n)
{
	static const enum device_verdict verdicts[] = { VERDICT_ASSIGNABLE, VERDICT_WITH_GROUP, VERDICT_NOT_ASSIGNABLE };
	char group[16];
	size_t i, v;

	prom_family(out, "vfio_check_device_verdict", "gauge",
		    "Verdict of vfio-admin check for each device checked: 1 for its verdict, 0 for the others.");
	for (i = 0; i < n; i++) {
		const struct pci_device *d = reports[i].dev;

		snprintf(group, sizeof(group), "%d", d->iommu_group);
		for (v = 0; v < sizeof(verdicts) / sizeof(verdicts[0]); v++) {
			struct prom_label l[] = {
				{ "device", d->address }, { "driver", d->driver },
				{ "group", d->iommu_group >= 0 ? group : NULL },
				{ "verdict", device_verdict_name(verdicts[v]) },
			};

			prom_sample(out, "vfio_check_device_verdict", l, 4, reports[i].verdict == verdicts[v]);
		}
	}
}

void check_metrics_write(FILE *out, const struct findings *fs, const struct device_report *reports,
			 size_t n_reports, time_t now)
{
	enum finding_level level;

	prom_family(out, "vfio_check_findings", "gauge", "Findings of vfio-admin check at each level.");
	for (level = LEVEL_PASS; level <= LEVEL_FAIL; level++) {
		struct prom_label l = { "level", level_labels[level] };

		prom_sample(out, "vfio_check_findings", &l, 1, (double)findings_count(fs, level));
	}
	write_findings(out, fs);
	prom_family(out, "vfio_check_machine_ready", "gauge",
		    "1 when no machine finding of vfio-admin check is a FAIL (the IOMMU, interrupt isolation, "
		    "the VFIO modules, ...), else 0.");
	prom_sample(out, "vfio_check_machine_ready", NULL, 0, !machine_failed(fs));
	if (n_reports)
		write_verdicts(out, reports, n_reports);
	prom_family(out, "vfio_check_timestamp_seconds", "gauge",
		    "When vfio-admin check ran, in seconds since the Unix epoch.");
	prom_sample(out, "vfio_check_timestamp_seconds", NULL, 0, (double)now);
}

static double group_viable(const struct iommu_group *g)
{
	return iommu_group_viable(g);
}

static double group_members(const struct iommu_group *g)
{
	return (double)g->n_members;
}

static double group_info(const struct iommu_group *g)
{
	(void)g;
	return 1;
}

/* The families with one sample per group; vfio_group_info adds the type label. */
static const struct {
	const char *name, *help;
	double (*value)(const struct iommu_group *g);
} group_families[] = {
	{ "vfio_group_viable",
	  "1 when VFIO can use the IOMMU group now (every member driverless, on vfio-pci or a variant, "
	  "pci-stub, or a bridge on pcieport), else 0.", group_viable },
	{ "vfio_group_members", "Devices in the IOMMU group.", group_members },
	{ "vfio_group_info",
	  "The IOMMU group's default domain type (DMA, DMA-FQ, identity, ...; \"\" when unreadable); always 1.",
	  group_info },
};

static void write_members(FILE *out, const struct iommu_group_list *groups, const bool *selected)
{
	char id[16];
	size_t i, m;

	prom_family(out, "vfio_group_member_blocking", "gauge",
		    "Each member of the IOMMU group: 1 when its driver keeps the group from being viable, else 0.");
	for (i = 0; i < groups->n; i++)
		for (m = 0; selected[i] && m < groups->group[i].n_members; m++) {
			const struct iommu_group_member *mem = &groups->group[i].member[m];
			struct prom_label l[] = { { "group", id }, { "device", mem->name }, { "driver", mem->driver } };

			snprintf(id, sizeof(id), "%d", groups->group[i].id);
			prom_sample(out, "vfio_group_member_blocking", l, 3, mem->blocks);
		}
}

void group_metrics_write(FILE *out, const struct iommu_group_list *groups, const bool *selected, time_t now)
{
	char id[16];
	size_t i, f, n = 0;

	for (i = 0; i < groups->n; i++)
		n += selected[i];
	prom_family(out, "vfio_groups", "gauge", "IOMMU groups shown by vfio-admin groups (0: the IOMMU is off).");
	prom_sample(out, "vfio_groups", NULL, 0, (double)n);
	for (f = 0; n && f < sizeof(group_families) / sizeof(group_families[0]); f++) {
		prom_family(out, group_families[f].name, "gauge", group_families[f].help);
		for (i = 0; i < groups->n; i++)
			if (selected[i]) {
				const struct iommu_group *g = &groups->group[i];
				struct prom_label l[] = { { "group", id }, { "type", g->type } };

				snprintf(id, sizeof(id), "%d", g->id);
				prom_sample(out, group_families[f].name, l, group_families[f].value == group_info ? 2 : 1,
					    group_families[f].value(g));
			}
	}
	if (n)
		write_members(out, groups, selected);
	prom_family(out, "vfio_groups_timestamp_seconds", "gauge",
		    "When vfio-admin groups ran, in seconds since the Unix epoch.");
	prom_sample(out, "vfio_groups_timestamp_seconds", NULL, 0, (double)now);
}
