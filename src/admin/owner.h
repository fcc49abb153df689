/* --owner USER[:GROUP] (bind, persist): the group defaults to the user's. */
#ifndef VFIO_ADMIN_OWNER_H
#define VFIO_ADMIN_OWNER_H

#include <stdbool.h>
#include <sys/types.h>

/* Resolves USER[:GROUP]; false after reporting an unknown user or group. */
bool owner_parse(const char *text, uid_t *uid, gid_t *gid);

#endif
