/*
 * Libraries opened at run time (dlopen) by the code that calls them, so that a run that
 * does not need one never maps it (make bench: scripts/bench-startup). Each library's
 * functions live in a struct of pointers typed by its own header (util/kmod_api.h).
 */
#ifndef VT_DL_API_H
#define VT_DL_API_H

#include <stdbool.h>
#include <stddef.h>

/* One function to resolve: its name and the struct member that receives it. */
struct dl_symbol {
	const char *name;
	void **slot;
};

/* The dl_symbol of member PREFIX##MEMBER of struct pointer API. */
#define DL_SYMBOL(api, prefix, member) { prefix #member, (void **)&(api)->member }

/*
 * Opens soname (kept open) and resolves every symbol into its slot; false with why
 * "SONAME: cannot load: DLERROR" (why may be NULL) when the library or a symbol is missing.
 */
bool dl_api_open(const char *soname, const struct dl_symbol *syms, size_t n, char *why, size_t whylen);

/* dl_api_open() for code that cannot go on without the library: prints the reason and exits 2. */
void dl_api_require(const char *soname, const struct dl_symbol *syms, size_t n);

#endif
