/*
 * What some machine checks learn from the running system rather than from files under the
 * movable roots: a module's state and modprobe.d options (libkmod reads /lib/modules and
 * modprobe.d of the running kernel), and this process's memlock limit. `vfio-admin
 * snapshot` records them in vfio-tools/live-facts; under --sysroot they are read back from
 * there, and the findings that rest on them are marked live-only.
 */
#ifndef VT_LIVE_FACTS_H
#define VT_LIVE_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum module_state { MOD_MISSING, MOD_AVAILABLE, MOD_LOADED, MOD_BUILTIN };

struct module_facts {
	enum module_state state;
	bool blacklisted;
	bool install_disabled;		/* "install NAME /bin/false" in modprobe.d */
	bool unsafe_interrupts_conf;	/* allow_unsafe_interrupts=1 among its modprobe.d options */
};

struct memlock_facts {
	bool root;		/* CAP_IPC_LOCK exempts pinning from the limit */
	bool known;		/* limit is valid */
	uint64_t limit;		/* bytes, MEMLOCK_UNLIMITED (limits_conf.h) for unlimited */
};

/* The modules live_facts_write() records: those the checks ask about. */
extern const char *const live_fact_modules[];

/* Whether the facts come from a snapshot (--sysroot), not from this machine. */
bool live_facts_recorded(void);

/* A module's facts; false with why ("libkmod.so.2: cannot load: ...", "not in the snapshot"). */
bool module_facts_get(const char *name, struct module_facts *m, char *why, size_t whylen);
void memlock_facts_get(struct memlock_facts *m);

/* This machine's facts, in the format module_facts_get() reads under --sysroot. */
void live_facts_write(FILE *out);

/* Where the snapshot keeps them, relative to its root. */
#define LIVE_FACTS_FILE "vfio-tools/live-facts"

#endif
