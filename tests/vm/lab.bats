#!/usr/bin/env bats
# vfio-admin against a real kernel. Runs inside the VM lab, once per topology:
#   tests/vm/run-tests [TOPOLOGY...]
# LAB_TOPOLOGY is the topology file (tests/vm/lab documents the format).
#
# Under TCG a bats test costs about 1 s and a fork+exec about 34 ms, so the
# tests are few and each checks a lot; sysfs is read with globs and builtins,
# and the only forks are vfio-admin, jq and modprobe.

# The two libraries run $(dirname ...) 15 times, in every test: with a
# builtin stand-in that costs 15 subshells instead of 15 fork+execs.
# shellcheck disable=SC2317 # called by the libraries
dirname() { echo "${1%/*}"; }
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
unset -f dirname

ADMIN=${VFIO_TOOLS_BIN:-$BATS_TEST_DIRNAME/../../build}/vfio-admin

setup() {
	[[ -f ${LAB_TOPOLOGY:-} ]] || fail "LAB_TOPOLOGY is unset: run this file with tests/vm/run-tests"
	[[ -x $ADMIN ]] || fail "no $ADMIN: build the tools first (make)"
	scan_sysfs
}

# Fills DEVICES, EDUS, GROUP_OF, MEMBERS, MAX_GROUP, DRIVER and PARENT
# from sysfs.
scan_sysfs() {
	local link n addr d v id here=$PWD
	declare -gA GROUP_OF=() MEMBERS=() DRIVER=() PARENT=()
	declare -ga DEVICES=() EDUS=()
	MAX_GROUP=-1
	for link in /sys/kernel/iommu_groups/*/devices/*; do
		[[ -e $link ]] || continue
		n=${link#/sys/kernel/iommu_groups/}
		n=${n%%/*}
		addr=${link##*/}
		GROUP_OF[$addr]=$n
		MEMBERS[$n]+=${MEMBERS[$n]:+ }$addr
		((n > MAX_GROUP)) && MAX_GROUP=$n
	done
	for link in /sys/bus/pci/drivers/*/*:*:*.*; do
		[[ -e $link ]] || continue
		d=${link#/sys/bus/pci/drivers/}
		DRIVER[${link##*/}]=${d%%/*}
	done
	for d in /sys/bus/pci/devices/*; do
		addr=${d##*/}
		DEVICES+=("$addr")
		read -r v <"$d/vendor"
		read -r id <"$d/device"
		[[ $v:$id == 0x1234:0x11e8 ]] && EDUS+=("$addr")
		cd -P "$d/.." || return
		PARENT[$addr]=${PWD##*/}
		[[ ${PARENT[$addr]} == pci* ]] && PARENT[$addr]=null
	done
	cd "$here" || return
	((${#EDUS[@]} > 0)) || fail "no edu (1234:11e8) in this topology"
}

# Prints the addresses of the topology's "KEY:" lines, one line each.
topology_lines() { # KEY
	local key rest words
	while IFS=: read -r key rest; do
		[[ $key == "$1" ]] || continue
		read -ra words <<<"$rest"
		echo "${words[*]}"
	done <"$LAB_TOPOLOGY"
}

join_lines() { # VAR LINE...
	local IFS=$'\n'
	printf -v "$1" '%s' "${*:2}"
}

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

# The kernel's rule: a member blocks its group unless it is driverless, on
# vfio-pci or pci-stub, or a bridge on pcieport. Fills BLOCKERS[N] and
# VIABILITY, per group "N VIABLE [BLOCKERS] [BLOCKERS]" (the second list is
# for the members' "blocks" flags).
expected_viability() {
	local n a lines=() b
	declare -gA BLOCKERS=()
	for ((n = 0; n <= MAX_GROUP; n++)); do
		[[ -n ${MEMBERS[$n]:-} ]] || continue
		b=''
		for a in ${MEMBERS[$n]}; do
			case ${DRIVER[$a]:-} in
			'' | vfio-pci | pci-stub | pcieport) ;;
			*) b+=${b:+ }$a ;;
			esac
		done
		BLOCKERS[$n]=$b
		if [[ -n $b ]]; then
			lines+=("$n false [$b] [$b]")
		else
			lines+=("$n true [] []")
		fi
	done
	join_lines VIABILITY "${lines[@]}"
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

# Hand binding, the way a user without vfio-admin would do it.
bind_vfio() { # ADDR...
	local a d
	for a; do
		d=/sys/bus/pci/devices/$a
		[[ -e $d/driver ]] && echo "$a" >"$d/driver/unbind"
		echo vfio-pci >"$d/driver_override"
		echo "$a" >/sys/bus/pci/drivers_probe
	done
}

@test "groups --json: the kernel's groups, and the topology's groups formed" {
	local json actual
	json=$("$ADMIN" groups --json)
	kernel_groups
	actual=$(jq -r '.groups[] | "\(.group) \(.type):" +
		([.members[] | " \(.address)=\(.driver)"] | add // "")' <<<"$json")
	assert_equal "$actual" "$KERNEL_GROUPS"

	# virtio-iommu forms an edu's group only when a driver binds it (test 3).
	[[ $LAB_IOMMU != intel ]] || assert_topology_groups
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
