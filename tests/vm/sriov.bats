#!/usr/bin/env bats
# shellcheck disable=SC2154 # stderr: set by run --separate-stderr
# vfio-admin sriov, vfio-pci as the PF driver and the VF token, on the sriov
# topology (QEMU's nvme with 2 VFs below a root port, intel-iommu), in order:
#   1. the PF on nvme: what sriov shows; --numvfs 2 --autoprobe off creates
#      VFs with no driver, each in its own group; bind them, open one (no
#      token: the PF is on a host driver); restore puts back 0 VFs, autoprobe
#      on, and leaves no record;
#   2. the PF on vfio-pci without enable_sriov: --numvfs refused with why,
#      nothing changed and no record; vfio-pci reloaded with enable_sriov=1;
#   3. the PF on vfio-pci: --numvfs 2 brings the VFs up on vfio-pci; a VF
#      refused without a token and with a wrong one (one line each), opened
#      with the token set on the PF, through each backend the kernel offers;
#      check's sriov.token findings; restore: no VFs, the PF back on nvme.
# sriov-cdev.bats: the VF token through the cdev (sriov-iommufd, built kernels).
load common
bats_require_minimum_version 1.5.0

load sriov-common

@test "PF on nvme: --numvfs 2 --autoprobe off creates VFs without a driver, each in its own group; bind, open, restore" {
	[[ -e /sys/bus/pci/devices/$PF/sriov_totalvfs ]] || fail "$PF has no SR-IOV (QEMU without nvme SR-IOV?)"
	need_nvme
	wait_for 30 "$PF on nvme" driver_is "$PF" nvme
	run sriov_json
	assert_success
	assert_equal "$(jq -r '"\(.driver) \(.total_vfs) \(.num_vfs) \(.autoprobe) \(.vfs | length) \(.vf_token_required)"' <<<"$output")" \
		"nvme 2 0 true 0 false"
	run "$ADMIN" sriov "$PF" --numvfs 2 --autoprobe off
	assert_success
	assert_line --index 0 "$PF: sriov_drivers_autoprobe on -> off"
	assert_line --index 1 "$PF: sriov_numvfs 0 -> 2"
	read_vfs
	assert_equal "${#VFS[@]}" 2
	run sriov_json
	assert_equal "$(jq -r '"\(.num_vfs) \(.autoprobe) \(.can_create_vfs)"' <<<"$output")" "2 false yes"
	assert_equal "$(jq -r '[.vfs[].driver] | map(. // "-") | join(" ")' <<<"$output")" "- -"
	local g0 g1 gp
	g0=$(jq -r '.vfs[0].group' <<<"$output") g1=$(jq -r '.vfs[1].group' <<<"$output")
	gp=$(basename "$(readlink /sys/bus/pci/devices/$PF/iommu_group)")
	[[ $g0 =~ ^[0-9]+$ && $g1 =~ ^[0-9]+$ && $g0 != "$g1" && $g0 != "$gp" && $g1 != "$gp" ]] ||
		fail "VFs' groups $g0 $g1, PF's $gp: each VF should have its own"
	assert_equal "$(cat "$STATE_DIR/$PF.sriov")" "numvfs=0
autoprobe=1"
	run "$ADMIN" bind "${VFS[@]}"
	assert_success
	driver_is "${VFS[0]}" vfio-pci && driver_is "${VFS[1]}" vfio-pci
	run "$DUMP" info --json "${VFS[0]}"
	assert_success
	run "$ADMIN" check --json "${VFS[0]}"
	assert_equal "$(jq -r '.findings[] | select(.id == "sriov.token") | .message' <<<"$output")" \
		"no VF token: the PF $PF is on the host driver nvme, which the VF's user must trust (it can reset or reconfigure the VF)"
	run "$ADMIN" restore
	assert_success
	assert_line "$PF: sriov_numvfs 2 -> 0 (recorded: 0)"
	assert_line "$PF: sriov_drivers_autoprobe off -> on (recorded)"
	run sriov_json
	assert_equal "$(jq -r '"\(.driver) \(.num_vfs) \(.autoprobe) \(.vfs | length)"' <<<"$output")" "nvme 0 true 0"
	no_records
}

@test "PF on vfio-pci without enable_sriov: --numvfs refused with why, nothing changed; reload with enable_sriov=1" {
	need_nvme
	run "$ADMIN" bind "$PF"
	assert_success
	run cat /sys/module/vfio_pci/parameters/enable_sriov
	assert_output N
	run "$ADMIN" sriov "$PF"
	assert_line --index 1 "  can create VFs: no (vfio-pci has enable_sriov=0: load it with 'modprobe vfio-pci enable_sriov=1' or write 1 to /sys/module/vfio_pci/parameters/enable_sriov)"
	run --separate-stderr "$ADMIN" sriov "$PF" --numvfs 2
	assert_failure 1
	assert_equal "$stderr" "vfio-admin: $PF: SR-IOV change failed: writing 2 to sriov_numvfs: vfio-pci creates VFs only with enable_sriov=1 ('modprobe vfio-pci enable_sriov=1', or write 1 to /sys/module/vfio_pci/parameters/enable_sriov); restored: nothing to restore"
	[[ ! -e $STATE_DIR/$PF.sriov ]] || fail "a record left after a refusal"
	run sriov_json
	assert_equal "$(jq -r '"\(.num_vfs) \(.autoprobe)"' <<<"$output")" "0 true"
	run "$ADMIN" restore
	assert_success
	wait_for 30 "$PF back on nvme" driver_is "$PF" nvme
	vfio_pci_enable_sriov
}

@test "PF on vfio-pci with enable_sriov=1: VFs on vfio-pci; a VF opens only with the token set on the PF" {
	need_nvme
	local token=5c2f3f7e-9d1a-4c55-8e3b-0a6f2d9b7c41 wrong=0b7e4d1c-2a3f-4e5d-9c8b-7a6f5e4d3c2b b
	pf_on_vfio_with_vfs
	run sriov_json
	assert_equal "$(jq -r '"\(.driver) \(.num_vfs) \(.vf_token_required) \([.vfs[].driver_override] | join(" "))"' <<<"$output")" \
		"vfio-pci 2 true vfio-pci vfio-pci"
	# through the group (the cdev, before 6.17, checks no token: the last test)
	run "$DUMP" info --backend group "${VFS[0]}"
	assert_equal "$status" 2
	assert_equal "${#lines[@]}" 1
	assert_line --index 0 "vfio-dump: ${VFS[0]}: VF token missing: the PF $PF is on vfio-pci with a token; pass --vf-token UUID, the one its user set ('vfio-admin sriov $PF --vf-token UUID')"
	run "$ADMIN" sriov "$PF" --vf-token "$token"
	assert_success
	assert_line --index 0 "$PF: VF token set to $token (vfio-pci keeps it until the PF leaves vfio-pci)"
	run "$DUMP" info --backend group --vf-token "$wrong" "${VFS[0]}"
	assert_equal "$status" 2
	assert_output "vfio-dump: ${VFS[0]}: VF token wrong: the PF $PF is on vfio-pci with a token; pass --vf-token UUID, the one its user set ('vfio-admin sriov $PF --vf-token UUID')"
	for b in auto group; do
		run "$DUMP" info --json --backend "$b" --vf-token "${token^^}" "${VFS[0]}"
		assert_success
		assert_equal "$(jq -r .device <<<"$output")" "${VFS[0]}"
	done
	run "$DUMP" config --vf-token "$token" "${VFS[1]}"
	assert_success
	# a token where none belongs: the edu is no PF or VF
	run "$ADMIN" bind 0000:02:00.0
	assert_success
	run "$DUMP" info --vf-token "$token" 0000:02:00.0
	assert_equal "$status" 2
	assert_output "vfio-dump: 0000:02:00.0: VF token not wanted: it is no SR-IOV PF or VF; drop --vf-token"
	run "$ADMIN" check --json "$PF" "${VFS[0]}"
	assert_equal "$(jq -r '[.findings[] | select(.id == "sriov.token") | "\(.subject) \(.message)"] | join("\n")' <<<"$output")" \
		"$PF PF on vfio-pci: its VFs open only with the VF token set on it (vfio-pci draws a random one when it binds the PF)
${VFS[0]} VF token required: the PF $PF is on vfio-pci, so VFIO opens this VF only with the token set on the PF"
	run "$ADMIN" restore
	assert_success
	assert_line "$PF: sriov_numvfs 2 -> 0 (recorded: 0)"
	wait_for 30 "$PF back on nvme" driver_is "$PF" nvme
	read_vfs
	assert_equal "${#VFS[@]}" 0
	no_records
}
