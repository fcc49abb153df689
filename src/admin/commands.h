#ifndef VFIO_ADMIN_COMMANDS_H
#define VFIO_ADMIN_COMMANDS_H

int cmd_list(int argc, const char **argv);
int cmd_groups(int argc, const char **argv);
int cmd_check(int argc, const char **argv);
int cmd_bind(int argc, const char **argv);
int cmd_unbind(int argc, const char **argv);
int cmd_restore(int argc, const char **argv);
int cmd_persist(int argc, const char **argv);
int cmd_slots(int argc, const char **argv);
int cmd_sriov(int argc, const char **argv);
int cmd_snapshot(int argc, const char **argv);

#endif
