#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

#include "util/dl_api.h"
#include "util/report.h"

/* NULL when soname and every symbol are there, else dlerror()'s reason. */
static const char *open_all(const char *soname, const struct dl_symbol *syms, size_t n)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	const char *err;
	size_t i;

	for (i = 0; lib && i < n; i++)
		if (!(*syms[i].slot = dlsym(lib, syms[i].name)))
			break;
	if (lib && i == n)
		return NULL;
	err = dlerror();
	if (lib)
		dlclose(lib);
	return err ? err : "unknown error";
}

bool dl_api_open(const char *soname, const struct dl_symbol *syms, size_t n, char *why, size_t whylen)
{
	const char *err = open_all(soname, syms, n);

	if (err)
		vt_why(ENOENT, why, whylen, "%s: cannot load: %s", soname, err);
	return !err;
}

void dl_api_require(const char *soname, const struct dl_symbol *syms, size_t n)
{
	const char *err = open_all(soname, syms, n);

	if (err) {
		vt_error(soname, "cannot load", "%s", err);
		exit(VT_EXIT_USAGE);
	}
}
