/* vfio-bench irq: interrupt delivery latency, from trigger to the eventfd being read. */
#include <stdio.h>
#include <string.h>
#include <linux/vfio.h>

#include "bench.h"
#include "bench/bench_device.h"
#include "tool/cli.h"
#include "util/report.h"
#include "vfio/vfio_irq.h"
#include "tool/vfio_open.h"

static char *opt_type, *opt_trigger, *opt_wait, *opt_timeout;

static const struct poptOption options[] = {
	{ "type", 'T', POPT_ARG_STRING, &opt_type, 0, "Interrupt type (default msi)", "msi|msix|intx" },
	{ "trigger", 'g', POPT_ARG_STRING, &opt_trigger, 0,
	  "Who raises it: VFIO itself (loopback, any device) or the device through a driver (edu); default loopback",
	  "loopback|device" },
	{ "wait", 'W', POPT_ARG_STRING, &opt_wait, 0, "How to wait: blocking read, epoll, busy poll (default read)",
	  "read|epoll|busy" },
	{ "timeout", '\0', POPT_ARG_STRING, &opt_timeout, 0, "Milliseconds to wait for each interrupt (default 1000)", "MS" },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, bench_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

struct irq_plan {
	uint32_t index;
	const char *type_name;
	bool device_trigger;
	enum vfio_irq_wait wait;
	int timeout_ms;
};

static bool parse_plan(struct irq_plan *p)
{
	static const struct { const char *name; uint32_t index; } types[] = {
		{ "msi", VFIO_PCI_MSI_IRQ_INDEX }, { "msix", VFIO_PCI_MSIX_IRQ_INDEX }, { "intx", VFIO_PCI_INTX_IRQ_INDEX },
	};
	unsigned long long ms = 1000;
	size_t i;

	p->type_name = NULL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(opt_type ? opt_type : "msi", types[i].name) == 0)
			p->index = types[i].index, p->type_name = types[i].name;
	if (!p->type_name) {
		vt_error(opt_type, "unknown interrupt type", "use msi, msix or intx");
		return false;
	}
	if (opt_trigger && strcmp(opt_trigger, "loopback") != 0 && strcmp(opt_trigger, "device") != 0) {
		vt_error(opt_trigger, "unknown trigger", "use loopback or device");
		return false;
	}
	p->device_trigger = opt_trigger && strcmp(opt_trigger, "device") == 0;
	if (vfio_irq_wait_parse(opt_wait ? opt_wait : "read", &p->wait) < 0) {
		vt_error(opt_wait, "unknown wait mode", "use read, epoll or busy");
		return false;
	}
	if (opt_timeout && !tool_parse_u64("invalid --timeout", opt_timeout, 600000, &ms))
		return false;
	p->timeout_ms = (int)ms;
	return true;
}

struct irq_run {
	struct vfio_dev dev;
	struct bench_device bd;
	bool have_bd;
	struct vfio_irq irq;
	struct bench_report rep;
	uint64_t sent, received, timeouts;
};

static bool fire(struct irq_run *run, const struct irq_plan *p, char *why, size_t whylen)
{
	if (p->device_trigger)
		return run->bd.ops->trigger(&run->bd) == 0 || (snprintf(why, whylen, "the device's trigger failed"), false);
	return vfio_irq_trigger(&run->irq, why, whylen) == 0;
}

/* After an interrupt: clear it in the device, and unmask INTx (VFIO masks it on delivery). */
static bool rearm(struct irq_run *run, const struct irq_plan *p, char *why, size_t whylen)
{
	if (p->device_trigger && run->bd.ops->ack(&run->bd) != 0) {
		snprintf(why, whylen, "the device's acknowledge failed");
		return false;
	}
	return p->index != VFIO_PCI_INTX_IRQ_INDEX || vfio_irq_unmask(&run->irq, why, whylen) == 0;
}

/* One interrupt: trigger, wait, rearm; the latency in *ns, 0 on timeout. */
static bool one(struct irq_run *run, const struct irq_plan *p, uint64_t *ns)
{
	char why[256];
	uint64_t t0, t1;
	long n;

	t0 = bench_ticks();
	if (!fire(run, p, why, sizeof(why))) {
		vt_error(run->dev.address, "trigger failed", "%s", why);
		return false;
	}
	n = vfio_irq_wait(&run->irq, p->timeout_ms, why, sizeof(why));
	t1 = bench_ticks();
	run->sent++;
	if (n < 0) {
		vt_error(run->dev.address, "waiting for the interrupt failed", "%s", why);
		return false;
	}
	*ns = n ? bench_ticks_ns(t1 - t0) : 0;
	run->received += (uint64_t)n;
	run->timeouts += n == 0;
	if (!rearm(run, p, why, sizeof(why))) {
		vt_error(run->dev.address, "rearming failed", "%s", why);
		return false;
	}
	return true;
}

static bool measure(struct irq_run *run, const struct irq_plan *p)
{
	struct bench_result *res;
	struct bench_loop loop;
	char name[64];
	uint64_t i, ns;
	bool ok = true;

	snprintf(name, sizeof(name), "%s %s %s", p->type_name, p->device_trigger ? run->bd.ops->name : "loopback",
		 vfio_irq_wait_name(p->wait));
	res = bench_report_add(&run->rep, name, "irq", 0, NULL);
	for (i = 0; ok && i < bench_options.warmup && !bench_interrupted; i++)
		ok = one(run, p, &ns);
	run->sent = run->received = run->timeouts = 0;
	bench_loop_start(&loop, name);
	while (ok && bench_loop_next(&loop))
		if ((ok = one(run, p, &ns)) && ns)
			bench_result_add(res, ns);
	bench_loop_end(&loop);
	res->wall_ns = loop.end_ns - loop.start_ns;
	return ok;
}

static bool setup(struct irq_run *run, const struct irq_plan *p)
{
	char why[512], known[128];

	if (p->device_trigger) {
		if (bench_device_open(&run->bd, run->dev.device, why, sizeof(why)) < 0) {
			vt_error(run->dev.address, "--trigger device needs a device vfio-bench can drive", "%s (known: %s)",
				 why, bench_device_known(known, sizeof(known)));
			return false;
		}
		run->have_bd = true;
	}
	if (vfio_irq_enable(&run->irq, run->dev.device, p->index, p->wait, why, sizeof(why)) < 0) {
		vt_error(run->dev.address, "cannot enable the interrupt", "%s", why);
		return false;
	}
	return true;
}

int cmd_irq(int argc, const char **argv)
{
	static struct irq_run run;
	struct irq_plan plan;
	struct tool_args args;
	int rc = 2;
	bool ok;

	if (!tool_parse(argc, argv, options, "[OPTIONS] DEVICE", 1, 1, NULL, &args))
		return 2;
	if (!bench_options_finish(1000) || !parse_plan(&plan) ||
	    !vfio_open_device(args.arg[0], tool_common.backend, &run.dev)) {
		tool_args_free(&args);
		return 2;
	}
	run.irq = (struct vfio_irq)VFIO_IRQ_INIT;
	run.rep.command = "irq";
	run.rep.dev = &run.dev;
	bench_catch_signals();
	ok = setup(&run, &plan);
	if (ok) {
		bench_env_facts(&run.rep, &run.dev);
		bench_report_fact(&run.rep, "interrupt", "%s", plan.type_name);
		bench_report_fact(&run.rep, "trigger", "%s", plan.device_trigger ? run.bd.ops->name : "loopback");
		bench_report_fact(&run.rep, "wait", "%s", vfio_irq_wait_name(plan.wait));
		ok = measure(&run, &plan);
	}
	vfio_irq_disable(&run.irq);
	if (run.have_bd)
		bench_device_close(&run.bd);
	vfio_dev_close(&run.dev);
	if (ok) {
		bench_report_fact(&run.rep, "triggers_sent", "%llu", (unsigned long long)run.sent);
		bench_report_fact(&run.rep, "interrupts_received", "%llu", (unsigned long long)run.received);
		bench_report_fact(&run.rep, "timeouts", "%llu", (unsigned long long)run.timeouts);
		bench_report_print(&run.rep);
		rc = 0;
		if (run.received != run.sent) {
			vt_error(run.dev.address, "interrupts lost or spurious", "%llu triggers sent, %llu interrupts received "
				 "(%llu timeouts)", (unsigned long long)run.sent, (unsigned long long)run.received,
				 (unsigned long long)run.timeouts);
			rc = 1;
		}
		if (bench_interrupted)
			rc = bench_exit_interrupted("the interrupt was disabled");
	}
	bench_report_free(&run.rep);
	tool_args_free(&args);
	return rc;
}
