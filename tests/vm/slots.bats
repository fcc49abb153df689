#!/usr/bin/env bats
# vfio-admin slots on the slots topology, then the truth: an edu hot-plugged
# through QEMU's monitor into each empty port lands in the group the slot map
# predicted for it (alone, with its port, with its port's sibling function).
load common
bats_require_minimum_version 1.5.0

setup_file() {
	"$ADMIN" slots --json >"$BATS_FILE_TMPDIR/slots.json"
}

setup() {
	# The switch's downstream ports take the bus numbers the firmware gives them.
	read -r DN1 DN2 < <(jq -r '[.slots[] | select(.port_type == "downstream port") | .port] | join(" ")' \
		"$BATS_FILE_TMPDIR/slots.json")
}

slot() { # PORT JQ-FILTER: one port's entry of the map taken before any hot-plug
	jq -r --arg p "$1" ".slots[] | select(.port == \$p) | $2" "$BATS_FILE_TMPDIR/slots.json"
}

members() { # ADDR: the members of its IOMMU group, sorted, space-separated
	local g
	g=$(readlink "/sys/bus/pci/devices/$1/iommu_group") || return 1
	ls "/sys/kernel/iommu_groups/${g##*/}/devices" | sort | xargs
}

hotplug() { # QEMU-BUS ID PORT: plugs an edu, waits for it and its group; prints its address
	local addr
	addr=$(slot "$3" .secondary_bus):00.0
	qemu_monitor device_add "edu,bus=$1,id=$2" >/dev/null
	wait_for 120 "$addr in an IOMMU group" test -e "/sys/bus/pci/devices/$addr/iommu_group"
	echo "$addr"
}

# The kernel's group of the hot-plugged card is the prediction plus the card.
assert_landed() { # PORT CARD
	local want
	want=$(printf '%s\n' $(slot "$1" '.with[]') "$2" | sort | xargs)
	assert_equal "$(members "$2")" "$want"
}

@test "the map: every root and downstream port, occupied or not, with the slot the firmware names" {
	assert_equal "$(jq -r '[.slots[].port] | join(" ")' "$BATS_FILE_TMPDIR/slots.json")" \
		"0000:00:04.0 0000:00:05.0 0000:00:06.0 0000:00:07.0 0000:00:08.0 0000:00:08.1 $DN1 $DN2"
	assert_equal "$(slot "$DN1" '"\(.devices_below) \(.card_group) \(.with | join(" "))"')" "1 with-port $DN1"
	assert_equal "$(slot 0000:00:05.0 '"\(.slot_implemented) \(.devices_below) \(.card_group)"')" "true 0 alone"
	# the slot pciehp registered for the port (its name is the kernel's: "0-2" here)
	name=$(slot 0000:00:05.0 .slot)
	address=$(cat "/sys/bus/pci/slots/$name/address") # DDDD:BB:DD since Linux 4.x on most ports
	assert_equal "${address:0:7}" "$(slot 0000:00:05.0 .secondary_bus)"
	assert_equal "$(slot 0000:00:04.0 '"\(.devices_below) \(.card_group)"')" "1 alone"
	assert_equal "$(slot 0000:00:06.0 '"\(.card_group) \(.with | join(" "))"')" "with-port 0000:00:06.0"
	assert_equal "$(slot "$DN2" '"\(.card_group) \(.with | join(" "))"')" "with-port $DN2"
	assert_equal "$(slot 0000:00:08.1 '"\(.card_group) \(.with | join(" "))"')" "shared 0000:00:08.0 0000:00:08.1"
	assert_equal "$(slot 0000:00:06.0 .why)" "0000:00:06.0 root port: no ACS capability"
	run "$ADMIN" slots --physical 0000:00:05.0
	assert_success
	assert_line --index 1 --regexp "^0000:00:05\\.0 +$name +empty +alone +ACS isolates every port up to the root bus"
}

@test "an edu hot-plugged into the ACS root port is alone, as predicted" {
	card=$(hotplug rp2 hot1 0000:00:05.0)
	assert_landed 0000:00:05.0 "$card"
	assert_equal "$(members "$card")" "$card"
}

@test "an edu hot-plugged into the root port without ACS joins the port, as predicted" {
	card=$(hotplug rp3 hot2 0000:00:06.0)
	assert_landed 0000:00:06.0 "$card"
}

@test "an edu hot-plugged into the switch's empty downstream port joins that port, as predicted" {
	card=$(hotplug dn2 hot3 "$DN2")
	assert_landed "$DN2" "$card"
}

@test "an edu hot-plugged below the second function of a multifunction root port without ACS joins both ports, as predicted" {
	card=$(hotplug rp6 hot4 0000:00:08.1)
	assert_landed 0000:00:08.1 "$card"
}
