#!/usr/bin/env bats
# Binding before the default driver loads: an initramfs built with Debian's
# mkinitramfs for the lab kernel, with vfio-tools' hook, booted (initramfs-boot;
# it runs on the host, as root, and boots its own guests one at a time).
# QEMU's nvme at 0000:00:03.0; the initramfs loads nvme (MODULES=list):
#   1. the hook and an entry (by address on Debian 6.12, by ids on the newest): vfio-admin, its libraries, the rules,
#      persist.conf, the VFIO modules and (for owner=nobody) the user database are
#      in the initramfs; the nvme comes up on vfio-pci there, nvme loaded beside
#      it, with the override, apply's record and /dev/vfio/N given to nobody (660);
#   2. the hook and a persist.conf without entries: the hook adds nothing, the
#      nvme comes up on nvme;
#   3. an entry by VENDOR:DEVICE but no hook (Debian 6.12 only): on nvme, as
#      before this hook existed: the root file system's rule comes too late.
# Kernel: $LAB_KERNEL_KIND (debian, the default, or newest; run-tests sets it
# from the topology's :KERNEL). Each case builds (about 30 s) and boots (about
# 20 s) once.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

DEV=0000:00:03.0
KIND=${LAB_KERNEL_KIND:-debian}

boot() { # ARGS... of initramfs-boot
	OUT=$BATS_TEST_TMPDIR/boot
	run --separate-stderr "$BATS_TEST_DIRNAME/initramfs-boot" --kernel "$KIND" "$@" "$OUT"
	echo "# $(tr '\n' ' ' <"$OUT/times" 2>/dev/null)" >&3
	[[ $status == 0 ]] || fail "initramfs-boot: exit $status: $stderr"
	CONTENTS=$(lsinitramfs "$OUT/initrd.img")
}

has() { # PATTERN (grep -E, of lsinitramfs' lines)
	grep -Eq "$1" <<<"$CONTENTS" || fail "not in the initramfs: $1"
}

lacks() { # PATTERN
	! grep -E "$1" <<<"$CONTENTS" || fail "in the initramfs: $1"
}

@test "$KIND: with the hook and an entry, the nvme comes up on vfio-pci in the initramfs" {
	local entry=$DEV
	[[ $KIND == debian ]] || entry=1b36:0010 # by ids on the other kernel
	boot --persist "$entry driver=vfio-pci owner=nobody"
	has '^usr/sbin/vfio-admin$'
	for lib in libpci.so.3 libudev.so.1 libkmod.so.2 libpopt.so.0 libsmartcols.so.1; do
		has "^usr/lib/.*/$lib"
	done
	has '^usr/lib/udev/rules.d/70-vfio-tools.rules$'
	has '^etc/vfio-tools/persist.conf$'
	has '^etc/passwd$'
	has '^etc/group$'
	for m in vfio vfio_iommu_type1 vfio-pci vfio-pci-core nvme; do
		has "^usr/lib/modules/.*/$m\.ko$"
	done
	assert_line "VFIO-LAB-DRIVER $DEV vfio-pci"
	assert_line "VFIO-LAB-OVERRIDE $DEV vfio-pci"
	assert_line "VFIO-LAB-NODE $DEV $(id -u nobody):$(id -g nobody) 660"
	assert_line "VFIO-LAB-LOADED nvme vfio_pci"
	assert_line "VFIO-LAB-RECORD $DEV"
}

@test "$KIND: with the hook and no entries, nothing of vfio-tools in the initramfs, the nvme on nvme" {
	boot
	lacks 'vfio-admin|vfio-tools|/vfio(-pci|_iommu_type1)?\.ko|^etc/passwd$'
	has "^usr/lib/modules/.*/nvme\.ko$"
	assert_line "VFIO-LAB-DRIVER $DEV nvme"
	assert_line "VFIO-LAB-OVERRIDE $DEV (null)"
	assert_line "VFIO-LAB-LOADED nvme"
	assert_line "VFIO-LAB-RECORD none"
}

@test "$KIND: an entry by ids without the hook: the nvme on nvme, as before" {
	[[ $KIND == debian ]] || skip "Debian 6.12 only: the case the hook fixes, not a kernel's"
	boot --no-hook --persist "1b36:0010 driver=vfio-pci"
	lacks 'vfio-admin|vfio-tools'
	assert_line "VFIO-LAB-DRIVER $DEV nvme"
	assert_line "VFIO-LAB-LOADED nvme"
}
