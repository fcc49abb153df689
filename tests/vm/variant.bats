#!/usr/bin/env bats
# vfio-pci variant drivers against a real kernel (topology variant: a modern
# virtio-net, an edu, a pcie-pci-bridge; tests/host/variant.bats has the
# matching rules on fake trees):
#   1. list and bind --dry-run pick the VFIO driver the running kernel's
#      aliases name: virtio_vfio_pci for the virtio-net where the kernel lists
#      it, vfio-pci elsewhere (any kernel);
#   2. bind gives the virtio-net to virtio_vfio_pci by default, saying why;
#      restore gives it back to virtio-pci with its old driver_override;
#   3. --driver vfio-pci opts out; restore again;
#   4. a plan that fails (vfio-pci refuses the bridge) rolls the virtio-net
#      back to virtio-pci and its driver_override to exactly what it was (any
#      kernel).
# 2 and 3 skip on kernels without virtio_vfio_pci (Debian's build none), or
# whose aliases do not list it (a built-in driver on 6.12).
load common
bats_require_minimum_version 1.5.0

NET=0000:02:00.0
BRIDGE=0000:03:00.0
ALIAS='vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i*'

setup() {
	[[ -f ${LAB_TOPOLOGY:-} ]] || fail "LAB_TOPOLOGY is unset: run this file with tests/vm/run-tests"
	[[ -x $ADMIN ]] || fail "no $ADMIN: build the tools first (make)"
	scan_sysfs
	[[ $(<"/sys/bus/pci/devices/$NET/device") == 0x1041 ]] || fail "$NET is not a modern virtio-net"
	MODDIR=/lib/modules/$(uname -r)
	VARIANT=''
	if grep -qsF "alias $ALIAS virtio_vfio_pci" "$MODDIR/modules.alias" ||
		tr '\0' '\n' <"$MODDIR/modules.builtin.modinfo" 2>/dev/null | grep -qxF "virtio_vfio_pci.alias=$ALIAS"; then
		VARIANT=virtio_vfio_pci
	fi
}

# Skips unless the running kernel lists virtio_vfio_pci's alias.
need_variant() {
	[[ -z $VARIANT ]] || return 0
	if [[ -e /sys/bus/pci/drivers/virtio_vfio_pci ]]; then
		skip "virtio_vfio_pci is built into $(uname -r), but its aliases are not listed (modules.builtin.modinfo lists built-in drivers' aliases from kernels after 6.12): vfio-admin cannot know which devices it takes"
	fi
	skip "$(uname -r) has no virtio_vfio_pci (CONFIG_VIRTIO_VFIO_PCI; Debian's kernels build no variant driver)"
}

driver_of() { # ADDR
	local link
	link=$(readlink "/sys/bus/pci/devices/$1/driver") || { echo -; return; }
	echo "${link##*/}"
}

override_of() { # ADDR
	local o
	read -r o <"/sys/bus/pci/devices/$1/driver_override"
	echo "$o"
}

@test "list and bind --dry-run: the VFIO driver this kernel's aliases give each device" {
	local want=${VARIANT:-vfio-pci} plan
	run --separate-stderr "$ADMIN" list --json
	assert_success
	assert_equal "$(jq -r ".devices[] | select(.address == \"$NET\" or .address == \"${EDUS[0]}\" or .address == \"$BRIDGE\") | \"\(.address) \(.vfio_driver)\"" <<<"$output")" \
		"${EDUS[0]} vfio-pci
$NET $want
$BRIDGE null"
	run --separate-stderr "$ADMIN" bind --dry-run "$NET" "${EDUS[0]}"
	assert_success
	plan="$NET: virtio-pci -> $want"
	if [[ -n $VARIANT ]]; then
		plan+=" (the kernel's VFIO variant for this device: alias $ALIAS"
		[[ -e /sys/bus/pci/drivers/virtio_vfio_pci ]] || plan+="; module virtio_vfio_pci, not loaded yet"
		plan+=")"
	fi
	assert_equal "$output" "${EDUS[0]}: (none) -> vfio-pci
$plan"
	run --separate-stderr "$ADMIN" check "$NET"
	if [[ -n $VARIANT ]]; then
		assert_line --partial "$NET: vfio-admin bind gives it virtio_vfio_pci, the kernel's VFIO variant driver for it (alias $ALIAS"
	else
		refute_output --partial "vfio.variant"
		refute_output --partial "variant driver for it"
	fi
}

@test "bind: virtio_vfio_pci by default, a VFIO driver (node, viable group); restore: virtio-pci and its old override" {
	need_variant
	local group=${GROUP_OF[$NET]}
	echo virtio-pci >"/sys/bus/pci/devices/$NET/driver_override"
	run --separate-stderr "$ADMIN" bind "$NET"
	assert_success
	assert_line "$NET: virtio-pci -> virtio_vfio_pci (the kernel's VFIO variant for this device: alias $ALIAS)"
	assert_line "$NET: /dev/vfio/$group"
	assert_equal "$(driver_of "$NET") $(override_of "$NET")" "virtio_vfio_pci virtio_vfio_pci"
	# the module's driver link, where the kernel has modules (the built kernels have none)
	[[ ! -d /sys/module/virtio_vfio_pci ]] || [[ -e /sys/module/virtio_vfio_pci/drivers/pci:virtio_vfio_pci ]]
	assert_equal "$(<"$STATE_DIR/$NET")" "driver=virtio-pci
override=virtio-pci"
	run "$ADMIN" list --json "$NET"
	assert_equal "$(jq -r '.devices[0] | "\(.driver) \(.vfio) \(.vfio_driver)"' <<<"$output")" "virtio_vfio_pci true virtio_vfio_pci"
	run "$ADMIN" groups --json -g "$group"
	assert_equal "$(jq -r '.groups[0].viable' <<<"$output")" true
	run "$ADMIN" check "$NET"
	assert_line --partial "PASS  $NET: on virtio_vfio_pci, the kernel's VFIO variant driver for it"
	run --separate-stderr "$ADMIN" bind "$NET"
	assert_success
	assert_line "$NET: already bound to virtio_vfio_pci (nothing to do)"
	run --separate-stderr "$ADMIN" restore
	assert_success
	assert_line "$NET: virtio_vfio_pci -> virtio-pci"
	assert_equal "$(driver_of "$NET") $(override_of "$NET")" "virtio-pci virtio-pci"
	[[ ! -e $STATE_DIR/$NET ]]
	echo >"/sys/bus/pci/devices/$NET/driver_override"
}

@test "bind --driver vfio-pci: no variant; restore: virtio-pci" {
	need_variant
	run --separate-stderr "$ADMIN" bind --driver vfio-pci "$NET"
	assert_success
	assert_line "$NET: virtio-pci -> vfio-pci"
	assert_equal "$(driver_of "$NET") $(override_of "$NET")" "vfio-pci vfio-pci"
	run "$ADMIN" check "$NET"
	assert_line --partial "NOTE  $NET: on plain vfio-pci, which loses what virtio_vfio_pci adds"
	run --separate-stderr "$ADMIN" restore
	assert_success
	assert_equal "$(driver_of "$NET") $(override_of "$NET")" "virtio-pci (null)"
}

@test "a failed plan (vfio-pci refuses the bridge) rolls the virtio-net back, driver_override exactly as it was" {
	local want=${VARIANT:-vfio-pci} before
	echo virtio-pci >"/sys/bus/pci/devices/$NET/driver_override"
	before=$(driver_of "$BRIDGE")
	run --separate-stderr "$ADMIN" bind "$NET" "$BRIDGE"
	assert_equal "$status" 1
	assert_line --partial "$NET: virtio-pci -> $want"
	assert_line "$BRIDGE: (none) -> vfio-pci"
	[[ $stderr == *"vfio-admin: $BRIDGE: switching driver failed: "* ]] || fail "stderr: $stderr"
	[[ $stderr == *"vfio-admin: $NET: restored to virtio-pci"* ]] || fail "stderr: $stderr"
	assert_equal "$(driver_of "$NET") $(override_of "$NET")" "virtio-pci virtio-pci"
	assert_equal "$(driver_of "$BRIDGE") $(override_of "$BRIDGE")" "$before (null)"
	[[ ! -e $STATE_DIR/$NET && ! -e $STATE_DIR/$BRIDGE ]]
	echo >"/sys/bus/pci/devices/$NET/driver_override"
}
