#!/usr/bin/env bats
# vfio-admin slots on fake trees: a real machine (Dell T330: CPU root ports without ACS in
# one slot, Sunrise Point PCH ports isolated by the kernel's quirk, a switch without ACS)
# and a made-up one with named slots, a VMD domain and a bridge to conventional PCI.

load helpers

setup_file() {
    local mk
    mk=$(mkfakesys_bin)
    "$mk" "$FIXTURES/real/intel-xeon-e3v6-c236-dell-poweredge-t330.desc" "$BATS_FILE_TMPDIR/t330" >/dev/null
    cat >"$BATS_FILE_TMPDIR/shapes.desc" <<'DESC'
dev 00:00.0 vendor=8086 device=3e30 class=060000 group=0
# an empty root port with ACS and a physical slot, one without ACS (slot 7)
dev 00:01.0 vendor=8086 device=1901 class=060400 pcie=rp acs=1f/1d slot=1 group=1 driver=pcieport
dev 00:06.0 vendor=8086 device=1911 class=060400 pcie=rp slot=7 group=2 driver=pcieport
# a PCIe-to-PCI bridge below an ACS root port: its bus shares the bridge's requester ID
dev 00:1c.0 vendor=8086 device=a330 class=060400 pcie=rp acs=1f/1d group=3 driver=pcieport
dev 02:00.0 parent=00:1c.0 vendor=1b21 device=1080 class=060400 pcie=pcie2pci group=4
dev 03:00.0 parent=02:00.0 vendor=1106 device=3044 class=0c0010 group=4
# an Intel VMD endpoint and a root port in its domain
dev 00:0e.0 vendor=8086 device=467f class=010400 group=5 driver=vmd
dev 10000:e0:06.0 parent=00:0e.0 vendor=8086 device=464d class=060400 pcie=rp acs=1f/1d group=5 driver=pcieport
dev 10000:e1:00.0 parent=10000:e0:06.0 vendor=144d device=a808 class=010802 pcie=ep group=5 driver=nvme
DESC
    "$mk" "$BATS_FILE_TMPDIR/shapes.desc" "$BATS_FILE_TMPDIR/shapes" >/dev/null
}

slots() { # FIXTURE ARGS...
    local f=$1
    shift
    mkdir -p "$BATS_TEST_TMPDIR/proc"
    VFIO_TOOLS_SYSFS="$BATS_FILE_TMPDIR/$f" VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" "$ADMIN" slots "$@"
}

port() { # PORT JQ: one port's entry of the last JSON output
    jq -r --arg p "$1" ".slots[] | select(.port == \$p) | $2" <<<"$output"
}

@test "T330: CPU ports share with each other and the RAID card, PCH ports isolated by the quirk, the switch port alone with its card" {
    run --separate-stderr slots t330 --json
    assert_success
    assert_equal "$(jq -r '[.slots[].port] | join(" ")' <<<"$output")" \
        "0000:00:01.0 0000:00:01.2 0000:00:1d.0 0000:00:1d.2 0000:05:00.0"
    assert_equal "$(port 0000:00:01.2 '"\(.card_group) \(.joins_group) \(.with | join(" ")) \(.devices_below)"')" \
        "shared 1 0000:00:01.0 0000:00:01.2 0000:01:00.0 0"
    assert_equal "$(port 0000:00:01.2 .why)" "0000:00:01.2 root port: no ACS capability"
    assert_equal "$(port 0000:00:1d.0 '"\(.card_group) \(.joins_group) \(.devices_below)"')" "alone null 2"
    assert_equal "$(port 0000:00:1d.0 .why)" \
        "ACS isolates every port up to the root bus (the kernel's quirk for Intel Sunrise Point PCH root ports at 0000:00:1d.0)"
    assert_equal "$(port 0000:05:00.0 '"\(.card_group) \(.with | join(" ")) \(.port_type)"')" \
        "with-port 0000:05:00.0 downstream port"
}

@test "named slots, Slot Implemented, a bridge to conventional PCI, a VMD domain" {
    run --separate-stderr slots shapes --json
    assert_success
    assert_equal "$(port 0000:00:01.0 '"\(.slot) \(.slot_implemented) \(.card_group)"')" "1 true alone"
    assert_equal "$(port 0000:00:06.0 '"\(.slot) \(.card_group) \(.with | join(" ")) \(.joins_group)"')" \
        "7 with-port 0000:00:06.0 2"
    assert_equal "$(port 0000:00:1c.0 '"\(.slot) \(.slot_implemented) \(.card_group)"')" "null false alone"
    assert_equal "$(port 10000:e0:06.0 '"\(.card_group) \(.with | join(" "))"')" \
        "shared 0000:00:0e.0 10000:e0:06.0"
    assert_equal "$(port 10000:e0:06.0 .why)" \
        "in the VMD domain of 0000:00:0e.0: the kernel sends its DMA through that endpoint (disable VMD in the firmware to assign devices separately)"
}

@test "--physical keeps the ports that lead to a slot; a table by default; filters select ports" {
    run --separate-stderr slots shapes --physical
    assert_success
    assert_equal "${#lines[@]}" 3
    assert_line --index 0 --regexp '^PORT +SLOT +NOW +A CARD THERE IS +WHY'
    assert_line --index 1 --regexp '^0000:00:01\.0 +1 +empty +alone +ACS isolates every port up to the root bus$'
    assert_line --index 2 --regexp '^0000:00:06\.0 +7 +empty +with 0000:00:06\.0 +0000:00:06\.0 root port: no ACS capability$'
    run --separate-stderr slots shapes --json 0000:00:1c.0
    assert_equal "$(jq -r '[.slots[].port] | join(" ")' <<<"$output")" "0000:00:1c.0"
}

@test "POWER: a card joins its partitionable endpoint's group, which ACS does not decide: unknown, and why" {
    cat >"$BATS_TEST_TMPDIR/power.desc" <<'DESC'
dev 0000:00:01.0 vendor=1014 device=03dc class=060400 pcie=rp acs=1f/1d group=0 driver=pcieport
dev 0000:01:00.0 parent=0000:00:01.0 vendor=15b3 device=1019 class=020000 pcie=ep group=0
DESC
    "$(mkfakesys_bin)" "$BATS_TEST_TMPDIR/power.desc" "$BATS_FILE_TMPDIR/power" >/dev/null
    mkdir -p "$BATS_FILE_TMPDIR/power/class/iommu/iommu-phb0000"
    run --separate-stderr slots power --json
    assert_success
    assert_equal "$(port 0000:00:01.0 '"\(.card_group) \(.joins_group) \(.with | length)"')" "unknown null 0"
    assert_equal "$(port 0000:00:01.0 .why)" \
        "POWER groups devices by partitionable endpoint, not by ACS: a card joins the group of its PE (vfio-admin groups shows the host bridge's)"
}
