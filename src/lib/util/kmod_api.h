/*
 * libkmod, opened at run time (dlopen) by the commands that load or inspect modules:
 * linking it would map it, and the libcrypto, liblzma and libzstd it pulls in, into
 * every run of every tool (2.5 ms of an 8.5 ms `vfio-admin --version`).
 */
#ifndef VT_KMOD_API_H
#define VT_KMOD_API_H

#include <stdbool.h>
#include <stddef.h>

#include <libkmod.h>

#define KMOD_SONAME "libkmod.so.2"

/* The functions used, typed by libkmod.h; each member is the function kmod_MEMBER. */
struct kmod_api {
	typeof(kmod_new) *new;
	typeof(kmod_unref) *unref;
	typeof(kmod_load_resources) *load_resources;
	typeof(kmod_module_new_from_lookup) *module_new_from_lookup;
	typeof(kmod_module_new_from_name) *module_new_from_name;
	typeof(kmod_module_get_module) *module_get_module;
	typeof(kmod_module_get_initstate) *module_get_initstate;
	typeof(kmod_module_get_path) *module_get_path;
	typeof(kmod_module_get_options) *module_get_options;
	typeof(kmod_module_get_install_commands) *module_get_install_commands;
	typeof(kmod_module_apply_filter) *module_apply_filter;
	typeof(kmod_module_probe_insert_module) *module_probe_insert_module;
	typeof(kmod_module_unref) *module_unref;
	typeof(kmod_module_unref_list) *module_unref_list;
};

/*
 * libkmod.so.2's functions, opened on the first call and kept; NULL when it cannot be
 * loaded, with why "libkmod.so.2: cannot load: DLERROR" (why may be NULL).
 */
const struct kmod_api *kmod_api(char *why, size_t whylen);

/* Fills api from the library soname (tests name others); false with why as above. */
bool kmod_api_open(struct kmod_api *api, const char *soname, char *why, size_t whylen);

#endif
