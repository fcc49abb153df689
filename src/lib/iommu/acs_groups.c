#include <stdlib.h>
#include <string.h>

#include "iommu/acs_groups.h"
#include "util/report.h"

#define MAX_ALIAS_QUIRKS 8

struct predictor {
	const struct pci_device_list *list;
	const struct acs_info *info;
	const bool *takes_part;
	const struct acs_env *env;
	struct acs_prediction *out;
	unsigned char *state;	/* 0 to do, 1 in progress, 2 done */
	int next_group;
};

static bool taking_part(const struct predictor *p, size_t i)
{
	return !p->takes_part || p->takes_part[i];
}

static void predict(struct predictor *p, size_t i);

/* The group of a device the kernel adds before the one at hand, or -1 when it has none. */
static int group_before(struct predictor *p, long i)
{
	if (!taking_part(p, (size_t)i))
		return -1;
	predict(p, (size_t)i);
	return p->out[i].group;
}

static size_t alias_quirks_of(const struct predictor *p, size_t i, const struct dma_alias_quirk **q)
{
	struct quirk_subject s;

	acs_quirk_subject(p->list, i, &p->info[i], NULL, p->env, &s);
	return dma_alias_quirks_lookup(&s, acs_env_release(p->env), q, MAX_ALIAS_QUIRKS);
}

static bool has_alias_kind(const struct predictor *p, size_t i, enum dma_alias_kind kind)
{
	const struct dma_alias_quirk *q[MAX_ALIAS_QUIRKS];
	size_t n = alias_quirks_of(p, i, q);

	for (size_t k = 0; k < n; k++)
		if (q[k]->kind == kind)
			return true;
	return false;
}

/* A quirk of device a makes it use device b's requester ID (same bus), or NULL. */
static const struct dma_alias_quirk *alias_of(const struct predictor *p, size_t a, size_t b)
{
	const struct dma_alias_quirk *q[MAX_ALIAS_QUIRKS];
	const struct pci_addr *x = &p->list->dev[a].addr, *y = &p->list->dev[b].addr;
	size_t n = alias_quirks_of(p, a, q);

	for (size_t k = 0; k < n; k++) {
		if (q[k]->kind == DMA_ALIAS_FUNCTION && y->dev == x->dev && y->fn == q[k]->function)
			return q[k];
		if (q[k]->kind == DMA_ALIAS_DEVFN && (unsigned)(y->dev << 3 | y->fn) == q[k]->devfn)
			return q[k];
		if (q[k]->kind == DMA_ALIAS_EVERY_SLOT && y->fn < q[k]->nr_functions)
			return q[k];
	}
	return NULL;
}

static bool same_bus(const struct pci_addr *a, const struct pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus;
}

static int join(struct predictor *p, size_t i, enum acs_join how, long via, int group)
{
	p->out[i].join = how;
	p->out[i].via = via;
	return group;
}

/* x86 pci_real_dma_dev: a VMD domain's DMA carries the requester ID of the VMD endpoint. */
long acs_vmd_endpoint(const struct pci_device_list *list, size_t i)
{
	size_t hops = 0;
	long d = (long)i, p;

	while ((p = list->dev[d].parent) >= 0 && (size_t)p < list->n && hops++ < list->n) {
		if (list->dev[p].addr.domain != list->dev[d].addr.domain)
			return p;
		d = p;
	}
	return -1;
}

/*
 * pci_acs_path_enabled(start, NULL, REQ_ACS_FLAGS): 1, 0, or -1 when it depends on an unknown.
 * *quirk_at: the hop whose quirk decided the answer (the failing hop, or one that passed only
 * by its quirk), left alone when none did.
 */
static int path_enabled(const struct predictor *p, long start, long *quirk_at)
{
	int result = 1;
	size_t hops = 0;
	long passed_by_quirk = -1;

	for (long i = start; i >= 0 && hops++ < p->list->n; i = acs_upstream(p->list, (size_t)i)) {
		int e = acs_verdict_enabled(p->info[i].verdict);

		if (e == 0) {
			if (acs_quirk_decided(&p->info[i]))
				*quirk_at = i;
			return 0;
		}
		if (e < 0)
			result = -1;
		else if (acs_quirk_decided(&p->info[i]) && passed_by_quirk < 0)
			passed_by_quirk = i;
	}
	if (result > 0 && passed_by_quirk >= 0)
		*quirk_at = passed_by_quirk;
	return result;
}

/*
 * pci_for_each_dma_alias with get_pci_alias_or_group: the topmost bridge that puts its own
 * requester ID on the device's DMA (*base), unless one on the way already has a group.
 */
static int alias_walk(struct predictor *p, size_t i, long *base)
{
	for (long b = acs_upstream(p->list, i); b >= 0; b = acs_upstream(p->list, (size_t)b)) {
		int g;

		if (p->info[b].verdict == ACS_UNKNOWN)
			return -2;
		if (has_alias_kind(p, (size_t)b, DMA_ALIAS_XLATE_ROOT))
			break;
		if (!acs_requester_alias(&p->info[b]))
			continue;
		g = group_before(p, b);
		if (g >= 0)
			return join(p, i, ACS_JOIN_ALIAS_BRIDGE, b, g);
		*base = b;
	}
	return -1;
}

/* The walk up from the base's bus to the first bridge with an ACS path to the root bus. */
static int upstream_walk(struct predictor *p, size_t i, long *base)
{
	for (long b = acs_upstream(p->list, (size_t)*base); b >= 0; b = acs_upstream(p->list, (size_t)b)) {
		long quirk_at = -1;
		int e = path_enabled(p, b, &quirk_at), g;

		if (quirk_at >= 0 && p->out[i].quirk_at < 0)
			p->out[i].quirk_at = quirk_at;
		if (e < 0)
			return -2;
		if (e > 0)
			break;
		*base = b;
		g = group_before(p, b);
		if (g >= 0)
			return join(p, i, ACS_JOIN_UPSTREAM, b, g);
	}
	return -1;
}

/* get_pci_alias_group for the base: a device on its bus it aliases, or that aliases it. */
static int dma_alias_group(struct predictor *p, size_t i, long base)
{
	for (size_t j = 0; j < p->list->n; j++) {
		const struct dma_alias_quirk *q;

		if ((long)j == base || p->state[j] != 2 || p->out[j].group < 0 ||
		    !same_bus(&p->list->dev[j].addr, &p->list->dev[base].addr))
			continue;
		q = alias_of(p, (size_t)base, j);
		if (!q)
			q = alias_of(p, j, (size_t)base);
		if (q) {
			p->out[i].alias_quirk = q;
			return join(p, i, ACS_JOIN_DMA_ALIAS, (long)j, p->out[j].group);
		}
	}
	return -1;
}

/* get_pci_function_alias_group: another function of the base's slot, neither isolated. */
static int function_group(struct predictor *p, size_t i, long base)
{
	const struct pci_addr *a = &p->list->dev[base].addr;

	if (!p->info[base].multifunction || acs_verdict_enabled(p->info[base].verdict) != 0) {
		if (p->info[base].multifunction && acs_quirk_decided(&p->info[base]) && p->out[i].quirk_at < 0)
			p->out[i].quirk_at = base;
		return -1;
	}
	for (size_t j = 0; j < p->list->n; j++) {
		const struct pci_addr *b = &p->list->dev[j].addr;

		if ((long)j == base || p->state[j] != 2 || p->out[j].group < 0 || !same_bus(a, b) ||
		    b->dev != a->dev || acs_verdict_enabled(p->info[j].verdict) != 0)
			continue;
		if (acs_quirk_decided(&p->info[base]) && p->out[i].quirk_at < 0)
			p->out[i].quirk_at = base;
		return join(p, i, ACS_JOIN_FUNCTION, (long)j, p->out[j].group);
	}
	return -1;
}

/* pci_device_group for device i: the kernel adds bridges before the devices below them. */
static int device_group(struct predictor *p, size_t i)
{
	long base = (long)i, vmd;
	int g;

	if (p->info[i].verdict == ACS_UNKNOWN)
		return -1;
	vmd = acs_vmd_endpoint(p->list, i);
	if (vmd >= 0) {
		g = group_before(p, vmd);
		if (g >= 0)
			return join(p, i, ACS_JOIN_VMD, vmd, g);
	}
	g = alias_walk(p, i, &base);
	if (g == -1)
		g = upstream_walk(p, i, &base);
	if (g == -2)
		return join(p, i, ACS_JOIN_NONE, -1, -1);
	if (g >= 0)
		return g;
	g = dma_alias_group(p, i, base);
	if (g < 0)
		g = function_group(p, i, base);
	return g >= 0 ? g : join(p, i, ACS_JOIN_NEW, -1, p->next_group++);
}

static void predict(struct predictor *p, size_t i)
{
	if (p->state[i] == 2)
		return;
	p->out[i] = (struct acs_prediction){ .group = -1, .join = ACS_JOIN_NONE, .via = -1, .quirk_at = -1 };
	if (p->state[i] == 1)	/* a parent loop: only a broken tree can have one */
		return;
	p->state[i] = 1;
	if (taking_part(p, i))
		p->out[i].group = device_group(p, i);
	if (p->out[i].group < 0)
		p->out[i].join = ACS_JOIN_NONE;
	p->state[i] = 2;
}

void acs_predict(const struct pci_device_list *list, const struct acs_info *infos,
		 const bool *takes_part, const struct acs_env *env, struct acs_prediction *out)
{
	struct predictor p = {
		.list = list,
		.info = infos,
		.takes_part = takes_part,
		.env = env,
		.out = out,
		.state = vt_xcalloc(list->n ? list->n : 1, 1),
	};

	/* Address order is the kernel's order: bus numbers grow down the hierarchy. */
	for (size_t i = 0; i < list->n; i++)
		predict(&p, i);
	free(p.state);
}

bool *acs_devices_taking_part(const struct pci_device_list *list)
{
	bool *part = vt_xcalloc(list->n ? list->n : 1, sizeof(bool));
	bool any = false;

	for (size_t i = 0; i < list->n; i++)
		any |= part[i] = list->dev[i].iommu_group >= 0;
	if (!any)
		for (size_t i = 0; i < list->n; i++)
			part[i] = true;
	return part;
}

void acs_predict_machine(const struct pci_device_list *list, const struct acs_info *infos,
			 const struct acs_env *env, struct acs_prediction *out)
{
	bool *part = acs_devices_taking_part(list);

	acs_predict(list, infos, part, env, out);
	free(part);
}
