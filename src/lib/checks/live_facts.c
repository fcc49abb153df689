#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "checks/limits_conf.h"
#include "checks/live_facts.h"
#include "util/kmod_api.h"
#include "util/report.h"
#include "util/sysfs.h"

const char *const live_fact_modules[] = {
	"vfio", "vfio_pci", "vfio_iommu_type1", "vfio_iommu_spapr_tce", "iommufd", NULL,
};

static const char *const state_names[] = {
	[MOD_MISSING] = "missing", [MOD_AVAILABLE] = "available", [MOD_LOADED] = "loaded", [MOD_BUILTIN] = "builtin",
};

bool live_facts_recorded(void)
{
	return sysroot_dir() != NULL;
}

/* --- live: libkmod and getrlimit ----------------------------------------------------------- */

/* one context for the run: every lookup reads the same indexes */
static struct kmod_ctx *kmod_context(const struct kmod_api **k, char *why, size_t whylen)
{
	static const struct kmod_api *api;
	static struct kmod_ctx *ctx;
	static char failed[256];

	if (!api && !failed[0]) {
		api = kmod_api(failed, sizeof(failed));
		if (api && !(ctx = api->new(NULL, NULL)))
			snprintf(failed, sizeof(failed), "libkmod failed");
		else if (api)
			api->load_resources(ctx);
	}
	if (!ctx)
		snprintf(why, whylen, "%s", failed[0] ? failed : "libkmod failed");
	*k = api;
	return ctx;
}

static bool truthy(const char *v)
{
	return v[0] == 'Y' || v[0] == 'y' || v[0] == '1';
}

static bool live_module_facts(const char *name, struct module_facts *m, char *why, size_t whylen)
{
	const struct kmod_api *k;
	struct kmod_ctx *ctx = kmod_context(&k, why, whylen);
	struct kmod_list *list = NULL, *filtered = NULL;
	struct kmod_module *mod;
	const char *install, *opts, *p;
	int state;

	memset(m, 0, sizeof(*m));
	if (!ctx)
		return false;
	if (k->module_new_from_lookup(ctx, name, &list) < 0 || !list)
		return true;
	mod = k->module_get_module(list);
	state = k->module_get_initstate(mod);
	if (state == KMOD_MODULE_BUILTIN)
		m->state = MOD_BUILTIN;
	else if (state >= 0)
		m->state = MOD_LOADED;
	else if (k->module_get_path(mod))
		m->state = MOD_AVAILABLE;
	if (k->module_apply_filter(ctx, KMOD_FILTER_BLACKLIST, list, &filtered) == 0) {
		m->blacklisted = filtered == NULL;
		k->module_unref_list(filtered);
	}
	install = k->module_get_install_commands(mod);
	m->install_disabled = install && (strstr(install, "/bin/false") || strstr(install, "/bin/true"));
	opts = k->module_get_options(mod);
	if (opts && (p = strstr(opts, "allow_unsafe_interrupts=")))
		m->unsafe_interrupts_conf = truthy(p + strlen("allow_unsafe_interrupts="));
	k->module_unref(mod);
	k->module_unref_list(list);
	return true;
}

static void live_memlock_facts(struct memlock_facts *m)
{
	struct rlimit rl;

	memset(m, 0, sizeof(*m));
	m->root = geteuid() == 0;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
		m->known = true;
		m->limit = rl.rlim_cur == RLIM_INFINITY ? MEMLOCK_UNLIMITED : rl.rlim_cur;
	}
}

void live_facts_write(FILE *out)
{
	struct module_facts m;
	struct memlock_facts ml;
	char why[256];
	size_t i;

	for (i = 0; live_fact_modules[i]; i++)
		if (live_module_facts(live_fact_modules[i], &m, why, sizeof(why)))
			fprintf(out, "module %s %s blacklisted=%d install_disabled=%d unsafe_interrupts_conf=%d\n",
				live_fact_modules[i], state_names[m.state], m.blacklisted, m.install_disabled,
				m.unsafe_interrupts_conf);
	live_memlock_facts(&ml);
	if (ml.known && ml.limit != MEMLOCK_UNLIMITED)
		fprintf(out, "memlock root=%d %llu\n", ml.root, (unsigned long long)ml.limit);
	else
		fprintf(out, "memlock root=%d %s\n", ml.root, ml.known ? "unlimited" : "unknown");
}

/* --- recorded: the snapshot's vfio-tools/live-facts ------------------------------------------ */

/* The line of the facts file that starts with key (e.g. "module vfio_pci "); NULL when none. */
static char *recorded_line(const char *key, char *line, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	char *found = NULL;

	if (snprintf(path, sizeof(path), "%s/%s", sysroot_dir(), LIVE_FACTS_FILE) >= (int)sizeof(path) ||
	    !(f = fopen(path, "re")))
		return NULL;
	while (!found && fgets(line, (int)len, f))
		if (strncmp(line, key, strlen(key)) == 0)
			found = line + strlen(key);
	fclose(f);
	return found;
}

static bool recorded_module_facts(const char *name, struct module_facts *m, char *why, size_t whylen)
{
	char key[96], line[256], state[16];
	int bl, inst, unsafe;
	const char *rest;
	size_t i;

	memset(m, 0, sizeof(*m));
	snprintf(key, sizeof(key), "module %s ", name);
	if (!(rest = recorded_line(key, line, sizeof(line))) ||
	    sscanf(rest, "%15s blacklisted=%d install_disabled=%d unsafe_interrupts_conf=%d", state, &bl, &inst,
		   &unsafe) != 4) {
		snprintf(why, whylen, "not recorded in the snapshot (%s)", LIVE_FACTS_FILE);
		return false;
	}
	for (i = 0; i < N_ELEMS(state_names); i++)
		if (strcmp(state, state_names[i]) == 0)
			m->state = (enum module_state)i;
	m->blacklisted = bl;
	m->install_disabled = inst;
	m->unsafe_interrupts_conf = unsafe;
	return true;
}

static void recorded_memlock_facts(struct memlock_facts *m)
{
	char line[128], value[32];
	unsigned long long bytes;
	const char *rest;
	int root;

	memset(m, 0, sizeof(*m));
	if (!(rest = recorded_line("memlock ", line, sizeof(line))) || sscanf(rest, "root=%d %31s", &root, value) != 2)
		return;
	m->root = root;
	if (strcmp(value, "unlimited") == 0) {
		m->known = true;
		m->limit = MEMLOCK_UNLIMITED;
	} else if (sscanf(value, "%llu", &bytes) == 1) {
		m->known = true;
		m->limit = bytes;
	}
}

bool module_facts_get(const char *name, struct module_facts *m, char *why, size_t whylen)
{
	return live_facts_recorded() ? recorded_module_facts(name, m, why, whylen)
				     : live_module_facts(name, m, why, whylen);
}

void memlock_facts_get(struct memlock_facts *m)
{
	if (live_facts_recorded())
		recorded_memlock_facts(m);
	else
		live_memlock_facts(m);
}
