#!/usr/bin/env bats
# vfio-admin bind, unbind and restore against a real kernel. Runs in the VM
# lab after lab.bats and check.bats, in the same boot (tests/vm/run-tests):
# it first hands back to the kernel's choice whatever they bound by hand, and
# ends with every device as it found it then.
#
# The state the tests compare, step by step, is each device's driver link and
# driver_override, the records in the state directory and /dev/vfio/N
# (read_state in common.bash). The devices with real drivers, in-use
# refusals, failures mid-plan and concurrency are in bind-host.bats.
load common

is_bridge() { [[ ${CLASS[$1]} == 0x0604* ]]; } # ADDR

# The devices `bind [--group] EDUS` plans, in its order: the edus, then with
# --group the other non-bridge members of their groups, group by group.
plan_of() { # VAR GROUP(0|1)
	local -n _plan=$1
	local a m
	local -A seen=()
	_plan=("${EDUS[@]}")
	for a in "${EDUS[@]}"; do
		seen[$a]=1
	done
	(($2)) || return 0
	for a in "${EDUS[@]}"; do
		for m in ${MEMBERS[${GROUP_OF[$a]}]}; do
			is_bridge "$m" || [[ -n ${seen[$m]:-} ]] && continue
			_plan+=("$m")
			seen[$m]=1
		done
	done
}

label() { # DRIVER
	[[ -n $1 ]] && echo "$1" || echo '(none)'
}

@test "bind EDUS (--group where a blocker needs it), again, unbind, restore: drivers, overrides, records and /dev/vfio/N at each step" {
	local -A before=() want=() seen=()
	local blockers=() plan=() args=() lines=() a b n one
	reset_bindings
	read_state before
	mapfile -t blockers < <(topology_lines blocker)

	# A blocker in an edu's group: refused without --group, naming each
	# blocker with its driver; nothing changes.
	if ((${#blockers[@]})); then
		run "$ADMIN" bind "${EDUS[@]}"
		assert_failure 1
		for b in "${blockers[@]}"; do
			assert_output --regexp "^vfio-admin: [^ ]+: IOMMU group not viable: group ${GROUP_OF[$b]} also holds .*$b \(${DRIVER[$b]}\).*--group"
		done
		assert_same_state before
		args=(--group)
	fi
	plan_of plan "${#args[@]}"

	# The plan, then each group's node; the kernel's links, the overrides and
	# the records of the original drivers as predicted; the groups viable.
	run "$ADMIN" bind "${args[@]}" "${EDUS[@]}"
	assert_success
	copy_state before want
	lines=()
	for a in "${plan[@]}"; do
		lines+=("$a: $(label "${DRIVER[$a]:-}") -> vfio-pci")
		expect_bound want before "$a"
	done
	for a in "${plan[@]}"; do
		n=${GROUP_OF[$a]}
		lines+=("$a: /dev/vfio/$n")
		want["node $n"]=present
	done
	join_lines expected "${lines[@]}"
	assert_output "$expected"
	assert_same_state want
	for a in "${EDUS[@]}"; do
		seen[${GROUP_OF[$a]}]=1
	done
	run "$ADMIN" groups --json
	assert_success
	assert_equal "$(jq -r --arg gs " ${!seen[*]} " '[.groups[] | .group as $g | select($gs | contains(" \($g) ")) |
		"\(.group) \(.viable)"] | join(" ")' <<<"$output")" \
		"$(for n in "${!seen[@]}"; do echo "$n true"; done | sort -n | paste -sd' ')"

	# Again: a no-op that says so, the nodes as before.
	args=()
	((${#blockers[@]})) && args=(--group)
	run "$ADMIN" bind "${args[@]}" "${EDUS[@]}"
	assert_success
	lines=()
	for a in "${plan[@]}"; do
		lines+=("$a: already bound to vfio-pci (nothing to do)")
	done
	for a in "${plan[@]}"; do
		lines+=("$a: /dev/vfio/${GROUP_OF[$a]}")
	done
	join_lines expected "${lines[@]}"
	assert_output "$expected"
	assert_same_state want

	# unbind: no driver, override cleared, the first records kept, no nodes.
	run "$ADMIN" unbind "${plan[@]}"
	assert_success
	lines=()
	for a in "${plan[@]}"; do
		lines+=("$a: vfio-pci -> (none)")
		expect_unbound want before "$a"
		unset "want[node ${GROUP_OF[$a]}]"
	done
	join_lines expected "${lines[@]}"
	assert_output "$expected"
	assert_same_state want

	# restore: each device to its recorded driver, in address order; no record
	# left.
	run "$ADMIN" restore
	assert_success
	lines=()
	# (a device whose record says "no driver" is already as recorded)
	for a in $(printf '%s\n' "${plan[@]}" | sort); do
		if [[ -z ${DRIVER[$a]:-} ]]; then
			lines+=("$a: already on no driver as recorded (nothing to do)")
		else
			lines+=("$a: (none) -> $(label "${DRIVER[$a]}")")
		fi
	done
	join_lines expected "${lines[@]}"
	assert_output "$expected"
	assert_same_state before

	# An edu whose group holds another edu (driverless, so no blocker) binds
	# alone: the group stays viable. restore ADDR undoes it.
	one=${EDUS[0]}
	n=${GROUP_OF[$one]}
	b=''
	for a in ${MEMBERS[$n]}; do
		[[ $a == "$one" ]] || is_bridge "$a" || b=$a
	done
	[[ -n $b && -z ${DRIVER[$b]:-} ]] || return 0
	run "$ADMIN" bind "$one"
	assert_success
	assert_output "$one: (none) -> vfio-pci
$one: /dev/vfio/$n"
	copy_state before want
	expect_bound want before "$one"
	want["node $n"]=present
	assert_same_state want
	run "$ADMIN" restore "$one"
	assert_success
	assert_output "$one: vfio-pci -> (none)"
	assert_same_state before
}
