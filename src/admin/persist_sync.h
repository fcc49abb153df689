/*
 * After persist.conf changes: its generated udev rules (binding/persist_rules.h) brought
 * in line, and udev told to reload them.
 */
#ifndef VFIO_ADMIN_PERSIST_SYNC_H
#define VFIO_ADMIN_PERSIST_SYNC_H

#include <stdbool.h>

#include "binding/persist_conf.h"

/*
 * Rewrites the generated rules from c when they differ (removes them when persist.conf
 * does not exist) and prints what changed; an unchanged file is left alone, and said so
 * only when verbose. False after reporting a write error.
 */
bool persist_sync_rules(const struct persist_conf *c, bool verbose);

#endif
