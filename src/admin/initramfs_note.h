/* vfio-admin persist add/remove: the note that the initramfs needs rebuilding. */
#ifndef VFIO_ADMIN_INITRAMFS_NOTE_H
#define VFIO_ADMIN_INITRAMFS_NOTE_H

/*
 * When vfio-tools' initramfs-tools hook or dracut module is installed beside its tool,
 * the initramfs holds its own copy of persist.conf (initramfs/): says, in one note per
 * tool, which command rebuilds it.  The paths are looked up under $VFIO_TOOLS_ROOT (tests).
 */
void initramfs_rebuild_note(void);

#endif
