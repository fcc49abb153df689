#ifndef VFIO_ADMIN_COMMANDS_H
#define VFIO_ADMIN_COMMANDS_H

int cmd_list(int argc, const char **argv);
int cmd_groups(int argc, const char **argv);
int cmd_check(int argc, const char **argv);

#endif
