#!/usr/bin/env bats
# vfio-admin on a pseries guest (POWER lab, 1 or 3 host bridges):
#   1. list and groups: a group is a host bridge (PE), not a device: the two
#      edus of PHB 0 share one; every group's type reads "unknown"; the lab's
#      virtio-9p shares form a group that is not viable, with its blockers;
#   2. check: the machine is sPAPR TCE; each edu's 32-bit window is what QEMU
#      was given (from the device tree while unbound, from VFIO once bound,
#      and the two agree); --guest-mem above the window warns; the ddw=off
#      bridge FAILs with the reason;
#   3. bind and restore: a whole-group plan on PHB 0, the shares' group refused
#      (it holds the root file system), every edu back to no driver and no
#      override after restore.
load common

@test "list and groups: one IOMMU group per host bridge, type unknown; the lab's shares are a non-viable group" {
	run --separate-stderr "$ADMIN" groups --json
	assert_success
	local groups
	groups=$(jq -c '[.groups[] | {t: .type, v: .viable, m: [.members[].address]}]' <<<"$output")
	# One group per PHB (domain) in use, no group spans two.
	assert_equal "$(jq '[.[].m | map(.[0:4]) | unique | length] | max' <<<"$groups")" 1
	assert_equal "$(jq 'length' <<<"$groups")" $((${#EDUS[@]} + 1))
	assert_equal "$(jq -c '[.[].t] | unique' <<<"$groups")" '["unknown"]'
	local d
	# shellcheck disable=SC2086 # the words of EDUS[d] and LAB_SHARES
	for d in "${!EDUS[@]}"; do
		assert_equal "$(jq -c --arg d "$d" '[.[] | select(.m[0][0:4] == $d) | .m]' <<<"$groups")" \
			"[$(printf '"%s",' ${EDUS[$d]} | sed 's/,$//; s/^/[/; s/$/]/')]"
	done
	# shellcheck disable=SC2086
	assert_equal "$(jq -c '[.groups[] | select(.members[0].address[0:4] == "001e") | .viable, .blockers]' <<<"$output")" \
		"[false,[$(printf '"%s",' $LAB_SHARES | sed 's/,$//')]]"
	# list agrees with sysfs about every device's group.
	run --separate-stderr "$ADMIN" list --json
	assert_success
	local a g
	while read -r a g; do
		assert_equal "$g" "$(basename "$(readlink "/sys/bus/pci/devices/$a/iommu_group")")"
	done < <(jq -r '.devices[] | "\(.address) \(.iommu_group)"' <<<"$output")
	run "$ADMIN" groups
	assert_success
	assert_line --regexp '^ +[0-9]+ unknown no +001e:00:01.0 virtio-pci .*bound to virtio-pci$'
}

# The check findings about one subject, as "LEVEL id message" lines.
findings() { # JSON SUBJECT
	jq -r --arg s "$2" '.findings[] | select(.subject == $s) | "\(.level) \(.id) \(.message)"' <<<"$1"
}

window_text() { # DOMAIN: "0x0-0x3fffffff (1024 MiB"
	local start size
	read -r start size <<<"${WIN32[$1]}"
	printf '0x%x-0x%x (%d MiB' "$start" $((start + size - 1)) $((size >> 20))
}

@test "check: sPAPR TCE machine; each 32-bit window as QEMU set it, from the device tree and from VFIO, which agree; --guest-mem warns; ddw=off FAILs" {
	run --separate-stderr "$ADMIN" check --json
	assert_success
	assert_equal "$(findings "$output" machine | grep -cE '^PASS iommu.firmware IOMMU hardware: POWER sPAPR TCE \(device tree, one per host bridge\): iommu-phb0000( iommu-phb000[12]){'"$((LAB_PHBS - 1))"'} iommu-phb001e$')" 1
	# The platform's evidence: interrupts isolated by XIVE/XICS (no remapping,
	# no unsafe knob), no reserved IOVA regions but the windows.
	assert_equal "$(findings "$output" machine | grep -E '^[A-Z]+ (irq\.|iommu\.reserved)')" \
"NOTE iommu.reserved no reserved IOVA regions: on POWER a user maps inside each host bridge's DMA windows (the spapr.window findings of each device)
PASS irq.msi_isolation MSIs are isolated by the platform (XICS/XIVE under the hypervisor) (sPAPR VFIO (vfio_iommu_spapr_tce) checks no MSI isolation and has no unsafe-interrupts knob)"
	local e d all
	mapfile -t all < <(all_edus)
	# Unbound: the windows come from the device tree.
	run --separate-stderr "$ADMIN" check "${all[@]}" --json
	for e in "${all[@]}"; do
		d=${e:0:4}
		assert_equal "$(findings "$output" "$e" | grep -c "^PASS spapr.window 32-bit DMA window $(window_text "$d"), from the device tree)")" 1
	done
	bind_edus "${all[@]}"
	# Bound: VFIO's GET_INFO, cross-checked with the device tree; 2G of guest
	# memory does not fit PHB 0's 1 GiB window (a warning), fits PHB 2's 2 GiB.
	run --separate-stderr "$ADMIN" check "${all[@]}" --guest-mem 2G --json
	local json=$output
	for e in ${EDUS[0000]} ${EDUS[0002]:-}; do
		d=${e:0:4}
		assert_equal "$(findings "$json" "$e" | grep -cE "^(PASS|WARN) spapr.window 32-bit DMA window $(window_text "$d" | sed 's/[()]/\\&/g'), from VFIO\\)")" 1
		run findings "$json" "$e"
		assert_line "PASS spapr.window the device tree and VFIO agree on the 32-bit window and on DDW support"
		refute_line --regexp '^FAIL '
	done
	run findings "$json" 0000:00:00.0
	assert_line --regexp '^WARN spapr.window .*smaller than --guest-mem; DDW supported, page sizes 4K 64K 2M 16M, 2 windows, 1 levels$'
	if [[ -n ${EDUS[0002]:-} ]]; then
		run findings "$json" 0002:00:00.0
		assert_line --regexp '^PASS spapr.window 32-bit DMA window 0x40000000-0xbfffffff \(2048 MiB, from VFIO\); DDW supported, page sizes 4K 64K, 2 windows'
		run findings "$json" 0001:00:00.0
		assert_line --regexp '^FAIL spapr.window VFIO reports dynamic windows with 4294967295 windows and 0 levels'
		assert_line --regexp '^WARN spapr.window the device tree and VFIO disagree: VFIO reports dynamic DMA windows, the device tree has no ibm,ddw-applicable'
		assert_line --regexp '^FAIL .*not assignable: the host bridge.s DMA windows are unusable'
		assert_equal "$(jq '[.findings[] | select(.level == "FAIL")] | length' <<<"$json")" 2
	fi
	# The exit status: 1 when a device fails, 0 otherwise.
	run "$ADMIN" check 0000:00:00.0
	assert_success
	if [[ -n ${EDUS[0001]:-} ]]; then
		run "$ADMIN" check 0001:00:00.0
		assert_failure 1
	fi
}

@test "bind and restore: whole-group plan on PHB 0, the shares' group refused, every edu restored to no driver" {
	run "$ADMIN" restore
	local e
	for e in $(all_edus); do
		[[ ! -e /sys/bus/pci/devices/$e/driver ]] || fail "$e still has a driver after restore"
	done
	# A group is a host bridge: --group takes every edu of PHB 0.
	run "$ADMIN" bind --group 0000:00:00.0 --dry-run
	assert_success
	for e in ${EDUS[0000]}; do
		assert_output --partial "$e"
	done
	run "$ADMIN" bind --group 0000:00:00.0
	assert_success
	for e in ${EDUS[0000]}; do
		assert_equal "$(basename "$(readlink "/sys/bus/pci/devices/$e/driver")")" vfio-pci
		assert_equal "$(<"/sys/bus/pci/devices/$e/driver_override")" vfio-pci
	done
	local g
	g=$(basename "$(readlink /sys/bus/pci/devices/0000:00:00.0/iommu_group)")
	[[ -c /dev/vfio/$g ]] || fail "no /dev/vfio/$g"
	# The shares' group: one member is not viable alone, and the whole group
	# is the root file system, in use.
	run "$ADMIN" bind 001e:00:01.0
	assert_failure 1
	assert_output --regexp '^vfio-admin: 001e:00:01.0: IOMMU group not viable: group [0-9]+ also holds 001e:00:02.0 \(virtio-pci\), 001e:00:03.0 \(virtio-pci\)'
	run "$ADMIN" bind --group 001e:00:01.0 --dry-run
	assert_failure
	assert_output --regexp '^vfio-admin: 001e:00:0[123].0: in use by the host: virtio-9p share "[a-z]+" is mounted on /.*; --force overrides$'
	for e in $LAB_SHARES; do
		assert_equal "$(basename "$(readlink "/sys/bus/pci/devices/$e/driver")")" virtio-pci
	done
	run "$ADMIN" restore
	assert_success
	for e in ${EDUS[0000]}; do
		assert_line "$e: vfio-pci -> (none)"
		[[ ! -e /sys/bus/pci/devices/$e/driver ]] || fail "$e: still bound"
		assert_equal "$(<"/sys/bus/pci/devices/$e/driver_override")" '(null)'
	done
}
