#include "util/dl_api.h"
#include "util/kmod_api.h"

bool kmod_api_open(struct kmod_api *api, const char *soname, char *why, size_t whylen)
{
	const struct dl_symbol syms[] = {
		DL_SYMBOL(api, "kmod_", new),
		DL_SYMBOL(api, "kmod_", unref),
		DL_SYMBOL(api, "kmod_", load_resources),
		DL_SYMBOL(api, "kmod_", module_new_from_lookup),
		DL_SYMBOL(api, "kmod_", module_new_from_name),
		DL_SYMBOL(api, "kmod_", module_get_module),
		DL_SYMBOL(api, "kmod_", module_get_initstate),
		DL_SYMBOL(api, "kmod_", module_get_path),
		DL_SYMBOL(api, "kmod_", module_get_options),
		DL_SYMBOL(api, "kmod_", module_get_install_commands),
		DL_SYMBOL(api, "kmod_", module_apply_filter),
		DL_SYMBOL(api, "kmod_", module_probe_insert_module),
		DL_SYMBOL(api, "kmod_", module_unref),
		DL_SYMBOL(api, "kmod_", module_unref_list),
	};

	return dl_api_open(soname, syms, sizeof(syms) / sizeof(syms[0]), why, whylen);
}

const struct kmod_api *kmod_api(char *why, size_t whylen)
{
	static struct kmod_api api;
	static bool loaded;

	if (!loaded)
		loaded = kmod_api_open(&api, KMOD_SONAME, why, whylen);
	return loaded ? &api : NULL;
}
