#!/usr/bin/env bats
# vfio-admin against a real kernel. Runs inside the VM lab, once per topology:
#   tests/vm/run-tests [TOPOLOGY...]
# LAB_TOPOLOGY is the topology file (tests/vm/lab documents the format).
#
# Helpers (scan_sysfs, topology_lines, bind_vfio...) are in common.bash.
load common

# Each "group:" line must be exactly the group of its first device.
assert_topology_groups() {
	local line first want=() got=() actual expected
	while read -r line; do
		want+=("$line")
		first=${line%% *}
		if [[ -n ${GROUP_OF[$first]:-} ]]; then
			got+=("${MEMBERS[${GROUP_OF[$first]}]}")
		else
			got+=("$first has no group")
		fi
	done < <(topology_lines group)
	((${#want[@]})) || fail "no group: lines in $LAB_TOPOLOGY"
	join_lines actual "${got[@]}"
	join_lines expected "${want[@]}"
	assert_equal "$actual" "$expected"
}

# Per group: "N TYPE: ADDR=DRIVER ..."
kernel_groups() {
	local n a type lines=() members
	for ((n = 0; n <= MAX_GROUP; n++)); do
		[[ -n ${MEMBERS[$n]:-} ]] || continue
		read -r type <"/sys/kernel/iommu_groups/$n/type"
		members=''
		for a in ${MEMBERS[$n]}; do
			members+=" $a=${DRIVER[$a]:-null}"
		done
		lines+=("$n $type:$members")
	done
	join_lines KERNEL_GROUPS "${lines[@]}"
}

# The blockers of the groups that hold edus, in group order.
edu_group_blockers() {
	local a n seen=() out=''
	for a in "${EDUS[@]}"; do
		n=${GROUP_OF[$a]:?$a has no group}
		[[ -z ${seen[n]:-} && -n ${BLOCKERS[$n]} ]] && out+=${out:+ }${BLOCKERS[$n]}
		seen[n]=1
	done
	echo "$out"
}

@test "groups --json: the kernel's groups, and the topology's groups formed" {
	local json actual
	json=$("$ADMIN" groups --json)
	kernel_groups
	actual=$(jq -r '.groups[] | "\(.group) \(.type):" +
		([.members[] | " \(.address)=\(.driver)"] | add // "")' <<<"$json")
	assert_equal "$actual" "$KERNEL_GROUPS"

	# virtio-iommu forms an edu's group only when a driver binds it (test 3).
	[[ $LAB_IOMMU == virtio ]] || assert_topology_groups
}

@test "list --json and --tree --json: every device as in sysfs, edus unbound" {
	local json actual expected a lines=()
	json=$("$ADMIN" list --json)
	for a in "${DEVICES[@]}"; do
		lines+=("$a ${DRIVER[$a]:-null} ${GROUP_OF[$a]:-null} ${PARENT[$a]}")
	done
	join_lines expected "${lines[@]}"
	actual=$(jq -r '.devices[] | "\(.address) \(.driver) \(.iommu_group) \(.parent)"' <<<"$json")
	assert_equal "$actual" "$expected"

	lines=()
	for a in "${EDUS[@]}"; do
		lines+=("$a 00ff 00 1234:11e8 null false ${GROUP_OF[$a]:-null}")
	done
	join_lines expected "${lines[@]}"
	actual=$(jq -r '.devices[] | select(.vendor_id == "1234" and .device_id == "11e8") |
		"\(.address) \(.class_id) \(.prog_if) \(.vendor_id):\(.device_id) \(.driver) \(.vfio) \(.iommu_group)"' \
		<<<"$json")
	assert_equal "$actual" "$expected"

	# The tree, flattened to "ADDRESS PARENT" in address order.
	lines=()
	for a in "${DEVICES[@]}"; do
		lines+=("$a ${PARENT[$a]}")
	done
	join_lines expected "${lines[@]}"
	json=$("$ADMIN" list --tree --json)
	actual=$(jq -r 'def nodes($p): "\(.address) \($p)",
			(.address as $a | (.children // [])[] | nodes($a));
		[.devices[] | nodes(null)] | sort[]' <<<"$json")
	assert_equal "$actual" "$expected"
}

@test "edus bound to vfio-pci by hand: list shows vfio, groups show viability" {
	local json actual expected a lines=() blockers=()
	modprobe vfio-pci
	bind_vfio "${EDUS[@]}"
	scan_sysfs
	[[ $LAB_IOMMU != virtio ]] || assert_topology_groups

	for a in "${EDUS[@]}"; do
		[[ ${DRIVER[$a]:-} == vfio-pci ]] || fail "the kernel did not bind $a to vfio-pci"
		lines+=("$a vfio-pci true ${GROUP_OF[$a]:-null}")
	done
	join_lines expected "${lines[@]}"
	json=$("$ADMIN" list --json)
	actual=$(jq -r '.devices[] | select(.vendor_id == "1234" and .device_id == "11e8") |
		"\(.address) \(.driver) \(.vfio) \(.iommu_group)"' <<<"$json")
	assert_equal "$actual" "$expected"

	local groups='.groups[] | "\(.group) \(.viable) [\(.blockers | join(" "))]" +
		" [\([.members[] | select(.blocks) | .address] | join(" "))]"'
	expected_viability
	json=$("$ADMIN" groups --json)
	actual=$(jq -r "$groups" <<<"$json")
	assert_equal "$actual" "$VIABILITY"

	# The topology's blockers are exactly what keeps the edus' groups from
	# being viable; moved to vfio-pci, they make every edu group viable.
	mapfile -t blockers < <(topology_lines blocker)
	assert_equal "$(edu_group_blockers)" "${blockers[*]}"
	((${#blockers[@]})) || return 0

	bind_vfio "${blockers[@]}"
	scan_sysfs
	expected_viability
	json=$("$ADMIN" groups --json)
	actual=$(jq -r "$groups" <<<"$json")
	assert_equal "$actual" "$VIABILITY"
	assert_equal "$(edu_group_blockers)" ""
}
