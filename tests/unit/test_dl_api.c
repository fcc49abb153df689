#include <string.h>

#include "tap.h"
#include "util/kmod_api.h"

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* libkmod through dlopen: every function resolves and works; a missing library or symbol is one reason. */
void test_dl_api(void)
{
	struct kmod_api api;
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	char why[256] = "";
	bool ok = kmod_api_open(&api, KMOD_SONAME, why, sizeof(why));

	tap_ok(ok, "dl_api: %s opens with every function (%s)", KMOD_SONAME, ok ? "ok" : why);
	if (ok) {
		ctx = api.new(NULL, NULL);
		tap_ok(ctx && api.module_new_from_name(ctx, "vfio_pci", &mod) == 0 && mod,
		       "dl_api: kmod_new and kmod_module_new_from_name work through the pointers");
		if (mod)
			api.module_unref(mod);
		if (ctx)
			api.unref(ctx);
	}
	tap_ok(kmod_api(NULL, 0) && kmod_api(NULL, 0) == kmod_api(why, sizeof(why)), "dl_api: kmod_api() opens once");

	ok = kmod_api_open(&api, "libvfio-tools-nonesuch.so.0", why, sizeof(why));
	tap_ok(!ok && starts(why, "libvfio-tools-nonesuch.so.0: cannot load: libvfio-tools-nonesuch.so.0: "),
	       "dl_api: a missing library: %s", why);
	ok = kmod_api_open(&api, "libc.so.6", why, sizeof(why));
	tap_ok(!ok && starts(why, "libc.so.6: cannot load: ") && strstr(why, "kmod_new"),
	       "dl_api: a library without the functions: %s", why);
}
