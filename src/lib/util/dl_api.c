#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/dl_api.h"
#include "util/report.h"

/* soname and every symbol resolved, or false with dlerror()'s reason in err. */
static bool open_all(const char *soname, const struct dl_symbol *syms, size_t n, char *err, size_t errlen)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	const char *e;
	size_t i;

	for (i = 0; lib && i < n; i++)
		if (!(*syms[i].slot = dlsym(lib, syms[i].name)))
			break;
	if (lib && i == n)
		return true;
	e = dlerror();
	snprintf(err, errlen, "%s", e ? e : "unknown error");	/* before dlclose frees it */
	if (lib)
		dlclose(lib);
	return false;
}

bool dl_api_open(const char *soname, const struct dl_symbol *syms, size_t n, char *why, size_t whylen)
{
	char err[384];

	if (open_all(soname, syms, n, err, sizeof(err)))
		return true;
	vt_why(ENOENT, why, whylen, "%s: cannot load: %s", soname, err);
	return false;
}

void dl_api_require(const char *soname, const struct dl_symbol *syms, size_t n)
{
	char err[384];

	if (!open_all(soname, syms, n, err, sizeof(err))) {
		vt_error(soname, "cannot load", "%s", err);
		exit(VT_EXIT_USAGE);
	}
}
