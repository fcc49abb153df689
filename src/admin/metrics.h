/* check and groups as Prometheus metrics (--format prometheus); names in vfio-admin(8). */
#ifndef VFIO_ADMIN_METRICS_H
#define VFIO_ADMIN_METRICS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "checks/device_checks.h"
#include "checks/finding.h"
#include "iommu/iommu_group.h"

/* vfio_check_*: the findings by level and by id, the machine, each device's verdict. */
void check_metrics_write(FILE *out, const struct findings *fs, const struct device_report *reports,
			 size_t n_reports, time_t now);
/* vfio_group*: the groups whose entry in selected is true. */
void group_metrics_write(FILE *out, const struct iommu_group_list *groups, const bool *selected, time_t now);

#endif
