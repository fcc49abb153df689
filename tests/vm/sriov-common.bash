# shellcheck shell=bash
# What sriov.bats and sriov-cdev.bats share: the PF of the sriov topologies
# (QEMU's nvme with 2 VFs below a root port) and helpers around it.

PF=0000:01:00.0

sriov_json() { "$ADMIN" sriov --json "$PF"; }

# VFS: the PF's VFs now (virtfn links).
read_vfs() {
	local l
	VFS=()
	for l in "/sys/bus/pci/devices/$PF"/virtfn*; do
		[[ -e $l ]] && VFS+=("$(cd -P "$l" && echo "${PWD##*/}")")
	done
	return 0
}

# Nothing in vfio-admin's state directory but its lock.
no_records() {
	local f
	for f in "$STATE_DIR"/*; do
		[[ ! -e $f ]] || fail "record left: ${f##*/}"
	done
}

# nvme drives the PF: Debian's kernels build it as a module (the guest runs no
# udev: it is loaded here), the kernels tests/vm/kernel-build makes build it in.
need_nvme() {
	[[ -d /sys/bus/pci/drivers/nvme ]] || modprobe -q nvme 2>/dev/null || skip "no nvme in $(uname -r)"
}

# vfio-pci's enable_sriov, to Y: a modular vfio-pci is reloaded with it, as an
# administrator would; a built-in one takes it through its parameter file.
vfio_pci_enable_sriov() {
	if [[ -e /sys/module/vfio_pci/initstate ]]; then
		run modprobe -r vfio-pci
		assert_success
		run modprobe vfio-pci enable_sriov=1
		assert_success
	else
		echo 1 >/sys/module/vfio_pci/parameters/enable_sriov
	fi
	assert_equal "$(cat /sys/module/vfio_pci/parameters/enable_sriov)" Y
}

# The PF bound to vfio-pci (enable_sriov=1) with 2 VFs, both on vfio-pci; VFS set.
pf_on_vfio_with_vfs() {
	run "$ADMIN" bind "$PF"
	assert_success
	run "$ADMIN" sriov "$PF" --numvfs 2
	assert_success
	read_vfs
	assert_equal "${#VFS[@]}" 2
	wait_for 30 "VFs on vfio-pci" driver_is "${VFS[1]}" vfio-pci
	driver_is "${VFS[0]}" vfio-pci
}

driver_is() { # ADDR DRIVER|''
	local d=''
	[[ -e /sys/bus/pci/devices/$1/driver ]] && d=$(cd -P "/sys/bus/pci/devices/$1/driver" && echo "${PWD##*/}")
	[[ $d == "$2" ]]
}
