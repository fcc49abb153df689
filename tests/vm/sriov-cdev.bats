#!/usr/bin/env bats
# shellcheck disable=SC2154 # stderr: set by run --separate-stderr
# The VF token through a VF's cdev (VFIO_DEVICE_BIND_IOMMUFD), on the sriov
# topologies: the kernel checks it from 6.19 (and 6.18.3); before 6.17 the bind
# takes none and checks none, and check says so. Apart from sriov.bats because
# the built 6.12 kernel cannot bring QEMU's nvme VFs back from a reset: every
# open of a VF waits out the kernel's 65 s FLR timeout there ("not ready 65535ms
# after FLR; giving up"), so this file opens a VF as few times as it can.
load common
bats_require_minimum_version 1.5.0
load sriov-common

@test "the cdev path: the token through VFIO_DEVICE_BIND_IOMMUFD where the kernel checks it (6.19, 6.18.3+), refused with why before" {
	local token=5c2f3f7e-9d1a-4c55-8e3b-0a6f2d9b7c41 wrong=0b7e4d1c-2a3f-4e5d-9c8b-7a6f5e4d3c2b rel major minor
	modprobe -q iommufd 2>/dev/null || true
	[[ -e /dev/iommu ]] || skip "no /dev/iommu: $(uname -r) has no iommufd"
	modprobe -q vfio-pci 2>/dev/null || true
	echo 1 >/sys/module/vfio_pci/parameters/enable_sriov
	pf_on_vfio_with_vfs
	wait_for 30 "the VF's cdev" test -d "/sys/bus/pci/devices/${VFS[0]}/vfio-dev"
	run "$ADMIN" sriov "$PF" --vf-token "$token"
	assert_success
	rel=$(uname -r) major=${rel%%.*} minor=${rel#*.} minor=${minor%%.*}
	if ((major > 6 || (major == 6 && minor >= 19))); then
		run "$DUMP" info --backend iommufd "${VFS[0]}"
		assert_equal "$status" 2
		assert_output "vfio-dump: ${VFS[0]}: VF token missing: the PF $PF is on vfio-pci with a token; pass --vf-token UUID, the one its user set ('vfio-admin sriov $PF --vf-token UUID')"
		run "$DUMP" info --backend iommufd --vf-token "$wrong" "${VFS[0]}"
		assert_equal "$status" 2
		assert_output --partial "VF token wrong: the PF $PF is on vfio-pci with a token"
		run "$DUMP" info --json --backend iommufd --vf-token "$token" "${VFS[0]}"
		assert_success
		assert_equal "$(jq -r .backend <<<"$output")" iommufd
	else
		# before 6.17 the cdev bind takes no token, and checks none
		run "$DUMP" info --backend iommufd --vf-token "$token" "${VFS[0]}"
		assert_equal "$status" 2
		assert_output "vfio-dump: ${VFS[0]}: VF token refused: Linux $rel's VFIO_DEVICE_BIND_IOMMUFD takes no VF token (it came in 6.17) and checks none: a VF under a vfio-pci PF opens through its cdev without one; use --backend group"
		run "$DUMP" info --json --vf-token "$token" "${VFS[0]}"
		assert_success
		assert_equal "$(jq -r .backend <<<"$output")" group
		run "$DUMP" info --json --backend iommufd "${VFS[0]}"
		assert_success
		run "$ADMIN" check --json "${VFS[0]}"
		assert_regex "$(jq -r '.findings[] | select(.id == "sriov.token_cdev") | "\(.level) \(.message)"' <<<"$output")" \
			"^WARN its cdev vfio[0-9]+ opens without the VF token: Linux $rel's VFIO_DEVICE_BIND_IOMMUFD checks none \\(it does from 6.17\\)\$"
	fi
	run "$ADMIN" restore
	assert_success
	read_vfs
	assert_equal "${#VFS[@]}" 0
	no_records
}
