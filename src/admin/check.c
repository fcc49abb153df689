/* vfio-admin check: is this machine, and are these devices, safely assignable; and why not. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tool/cli.h"
#include "commands.h"
#include "checks/device_checks.h"
#include "pci/device_filter.h"
#include "filter_options.h"
#include "metrics.h"
#include "output_options.h"
#include "checks/finding.h"
#include "checks/host_checks.h"
#include "iommu/iommu_group.h"
#include "util/json.h"
#include "util/report.h"
#include "util/units.h"

struct check_run {
	struct findings findings;
	struct iommu_group_list groups;		/* the reports point into it */
	struct device_report *reports;
	size_t n_reports;
};

static void run_machine_checks(struct check_run *run, const struct host_check_options *opt,
			       struct machine_state *state)
{
	enum iommu_platform platform = iommu_platform_detect();

	iommu_checks_run(&run->findings, platform);
	iommu_option_checks_run(&run->findings);
	reserved_region_checks_run(&run->findings, platform);
	irq_checks_run(&run->findings, platform, opt);
	vfio_checks_run(&run->findings, platform);
	limit_checks_run(&run->findings, opt);
	machine_state_from_findings(state, platform, &run->findings);
}

static void run_device_checks(struct check_run *run, const struct pci_device_list *devices,
			      const struct device_filter *filter, const struct machine_state *state,
			      const struct host_check_options *opt)
{
	struct device_check_context ctx = { .devices = devices, .groups = &run->groups, .machine = state, .opt = opt };
	size_t i;

	iommu_group_list_load(&run->groups, devices);
	run->reports = vt_xcalloc(devices->n, sizeof(*run->reports));
	for (i = 0; i < devices->n; i++)
		if (device_filter_match(filter, &devices->dev[i]))
			device_checks_run(&run->findings, &ctx, &devices->dev[i], &run->reports[run->n_reports++]);
	device_check_context_free(&ctx);
}

static void json_report(struct json *j, const struct device_report *r)
{
	size_t i;

	json_object_begin(j, NULL);
	json_string(j, "address", r->dev->address);
	json_int_or_null(j, "group", r->dev->iommu_group, r->dev->iommu_group >= 0);
	json_string(j, "verdict", device_verdict_name(r->verdict));
	json_array_begin(j, "bind");
	for (i = 0; i < r->n_bind; i++)
		json_string(j, NULL, r->bind[i]);
	json_array_end(j);
	json_array_begin(j, "reasons");
	for (i = 0; i < r->n_reasons; i++)
		json_string(j, NULL, r->reasons[i]);
	json_array_end(j);
	if (r->live_only)
		json_bool(j, "live_only", true);
	json_object_end(j);
}

static void print_json(const struct check_run *run, FILE *out)
{
	struct json j;
	size_t i;

	json_document_begin(&j, out);
	findings_json(&run->findings, &j);
	json_array_begin(&j, "devices");
	for (i = 0; i < run->n_reports; i++)
		json_report(&j, &run->reports[i]);
	json_array_end(&j);
	json_object_begin(&j, "summary");
	json_int(&j, "pass", (long long)findings_count(&run->findings, LEVEL_PASS));
	json_int(&j, "note", (long long)findings_count(&run->findings, LEVEL_NOTE));
	json_int(&j, "warn", (long long)findings_count(&run->findings, LEVEL_WARN));
	json_int(&j, "fail", (long long)findings_count(&run->findings, LEVEL_FAIL));
	json_object_end(&j);
	json_document_end(&j);
}

int cmd_check(int argc, const char **argv)
{
	struct device_filter filter;
	struct pci_device_list devices;
	struct machine_state state;
	struct check_run run = { .reports = NULL };
	struct host_check_options opt = { NULL, 0, VFIO_BACKEND_AUTO };
	char *user = NULL, *guest_mem = NULL, *backend = NULL;
	struct output_options oo = { 0 };
	struct output out;
	enum output_format format;
	int rc = 2;
	size_t i;
	const struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, filter_options, 0,
		  "Devices to check (positional addresses and globs too):", NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, sysroot_options, 0, "Elsewhere:", NULL },
		OUTPUT_OPTIONS(&oo),
		{ "user", 'u', POPT_ARG_STRING, &user, 0, "Also check this user's memlock limit", "NAME" },
		{ "guest-mem", 'm', POPT_ARG_STRING, &guest_mem, 0,
		  "Memory VFIO must pin (memlock, POWER 32-bit window)", "SIZE" },
		{ "backend", 'b', POPT_ARG_STRING, &backend, 0,
		  "Open devices bound to vfio-pci through this backend to read VFIO's reset flag (default auto)",
		  "auto|group|iommufd" },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};

	device_filter_init(&filter);
	if (!filter_load_devices(argc, argv, table, &filter, &devices))
		goto out_filter;
	if (!output_format_parse(&oo, &format))
		goto out_devices;
	if (guest_mem && !parse_size(guest_mem, &opt.guest_mem)) {
		vt_error(guest_mem, "invalid size", "expected a number with an optional K, M, G or T suffix");
		goto out_devices;
	}
	if (backend && !vfio_backend_parse(backend, &opt.backend)) {
		vt_error(backend, "unknown backend", "use auto, group or iommufd");
		goto out_devices;
	}
	opt.user = user;
	run_machine_checks(&run, &opt, &state);
	if (!limit_checks_user(&run.findings, &opt))
		goto out_run;
	if (device_filter_selects_devices(&filter) || filter.group >= 0)
		run_device_checks(&run, &devices, &filter, &state, &opt);
	if (!output_open(&out, &oo))
		goto out_run;
	if (format == OUTPUT_JSON)
		print_json(&run, out.f);
	else if (format == OUTPUT_PROMETHEUS)
		check_metrics_write(out.f, &run.findings, run.reports, run.n_reports, time(NULL));
	else
		findings_print(&run.findings, 0, out.f, !out.to_file && isatty(STDOUT_FILENO));
	if (!output_close(&out))
		goto out_run;
	rc = findings_count(&run.findings, LEVEL_FAIL) ? 1 : 0;
out_run:
	for (i = 0; i < run.n_reports; i++)
		device_report_free(&run.reports[i]);
	free(run.reports);
	iommu_group_list_free(&run.groups);
	findings_free(&run.findings);
out_devices:
	pci_device_list_free(&devices);
out_filter:
	free(user);
	free(guest_mem);
	free(backend);
	output_options_free(&oo);
	device_filter_free(&filter);
	return rc;
}
