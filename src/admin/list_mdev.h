#ifndef VFIO_ADMIN_LIST_MDEV_H
#define VFIO_ADMIN_LIST_MDEV_H

#include <stdbool.h>

/* Prints every mediated device (table or JSON); the exit status. */
int list_mdevs(bool json);

#endif
