#!/usr/bin/env bats
# vfio-pci variant drivers on a fake tree and a fake module directory ($VFIO_TOOLS_MODULES):
# the fewest-wildcards alias wins (ties by literal characters, then module name), driver
# names through /sys/module (xe_vfio_pci registers xe-vfio-pci), bind/persist defaults,
# --driver vfio-pci and --driver NAME, the migration refusal, list/check, viability, and
# bind_plan's rollback of driver_override. What the kernel does is in tests/vm/variant.bats.

load helpers

setup_file() {
    [[ -x "$ADMIN" ]] || { echo "# $ADMIN not found: build first" >&3; return 1; }
    cat >"$BATS_FILE_TMPDIR/variant.desc" <<'DESC'
driver vfio-pci
driver pci-stub
driver virtio-pci
driver xe
driver xe-vfio-pci vfio
driver mlx5_core
# virtio-net (modern): virtio_vfio_pci, whose module is not loaded
dev 0000:00:02.0 vendor=1af4 device=1041 class=020000 rev=01 sub=1af4:1100 driver=virtio-pci group=1
# virtio-blk: acme_vfio_pci's alias names its subsystem ids (3 wildcards) and beats virtio_vfio_pci's (5)
dev 0000:00:03.0 vendor=1af4 device=1042 class=010000 rev=01 sub=1af4:0002 driver=virtio-pci group=2
# Intel Xe: module xe_vfio_pci, loaded, registers the driver xe-vfio-pci
dev 0000:00:04.0 vendor=8086 device=e20b class=030000 driver=xe group=3
# Grace Hopper GPU: a built-in variant (modules.builtin.modinfo)
dev 0000:00:05.0 vendor=10de device=2342 class=030200 group=4
# edu: no variant (vfio_pci's catch-all alone)
dev 0000:00:06.0 vendor=1234 device=11e8 class=00ff00 rev=10 group=5 override=stub
# ConnectX: a PF on vfio-pci with a VF, a PF on mlx5_core with a VF
dev 0000:00:07.0 vendor=15b3 device=101d class=020000 driver=vfio-pci group=6 sriov=2/1
dev 0000:00:08.0 vendor=15b3 device=101e class=020000 group=7 physfn=0000:00:07.0
dev 0000:00:09.0 vendor=15b3 device=101d class=020000 driver=mlx5_core group=8 sriov=2/1
dev 0000:00:0a.0 vendor=15b3 device=101e class=020000 group=9 physfn=0000:00:09.0
# one group: a member on xe-vfio-pci (a VFIO driver), another driverless
dev 0000:00:0b.0 vendor=8086 device=e20b class=030000 driver=xe-vfio-pci group=10
dev 0000:00:0c.0 vendor=1234 device=11e8 class=00ff00 rev=10 group=10
DESC
    "$(mkfakesys_bin)" "$BATS_FILE_TMPDIR/variant.desc" "$BATS_FILE_TMPDIR/variant" >/dev/null
    mkdir -p "$BATS_FILE_TMPDIR/modules" "$BATS_FILE_TMPDIR/nomodules"
    cat >"$BATS_FILE_TMPDIR/modules/modules.alias" <<'ALIAS'
# Aliases extracted from modules themselves.
alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci
alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci
alias vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i* virtio_vfio_pci
alias vfio_pci:v00001AF4d00001042sv*sd*bc*sc*i* virtio_vfio_pci
alias vfio_pci:v00001AF4d00001042sv00001AF4sd00000002bc*sc*i* acme_vfio_pci
alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* xe_vfio_pci
alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci
alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i*-an-overlong-or-odd-line with extra words
ALIAS
    printf 'vfio.softdep=post: vfio_iommu_type1\0nvgrace_gpu_vfio_pci.alias=vfio_pci:v000010DEd00002342sv*sd*bc*sc*i*\0' \
        >"$BATS_FILE_TMPDIR/modules/modules.builtin.modinfo"
}

setup() {
    writable_tree_setup "$BATS_FILE_TMPDIR/variant"
    export VFIO_TOOLS_MODULES="$BATS_FILE_TMPDIR/modules" VFIO_TOOLS_ETC="$BATS_TEST_TMPDIR/etc"
}

@test "list: the VFIO driver each device would get (column and vfio_driver), and none known without module files" {
    run --separate-stderr "$ADMIN" list --json
    assert_success
    assert_equal "$(jq -r '.devices[] | "\(.address) \(.vfio_driver)"' <<<"$output")" "0000:00:02.0 virtio_vfio_pci
0000:00:03.0 acme_vfio_pci
0000:00:04.0 xe-vfio-pci
0000:00:05.0 nvgrace_gpu_vfio_pci
0000:00:06.0 vfio-pci
0000:00:07.0 vfio-pci
0000:00:08.0 mlx5_vfio_pci
0000:00:09.0 vfio-pci
0000:00:0a.0 mlx5_vfio_pci
0000:00:0b.0 xe-vfio-pci
0000:00:0c.0 vfio-pci"
    assert_jq '.devices[] | select(.address == "0000:00:0b.0") | .vfio == true and .driver == "xe-vfio-pci"'
    run --separate-stderr "$ADMIN" list 0000:00:04.0
    assert_success
    [[ -z $stderr ]]
    read -ra cols <<<"${lines[0]}"
    assert_equal "${cols[*]}" "ADDRESS CLASS DEVICE IDS DRIVER GROUP VFIO VFIO_DRIVER NUMA"
    [[ ${lines[1]} =~ \ xe\ +3\ +no\ +xe-vfio-pci\  ]] || fail "row: ${lines[1]}"
    VFIO_TOOLS_MODULES=$BATS_FILE_TMPDIR/nomodules run --separate-stderr "$ADMIN" list --json
    assert_success
    [[ -z $stderr ]]
    assert_jq '[.devices[].vfio_driver] | unique == ["vfio-pci"]'
}

@test "bind: the variant by default, with the plan line saying why; vfio-pci when none matches" {
    run --separate-stderr "$ADMIN" bind --dry-run 0000:00:02.0 0000:00:03.0 0000:00:04.0 0000:00:05.0 0000:00:06.0
    assert_success
    [[ -z $stderr ]] || fail "stderr: $stderr"
    assert_equal "$output" "0000:00:02.0: virtio-pci -> virtio_vfio_pci (the kernel's VFIO variant for this device: alias vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i*; module virtio_vfio_pci, not loaded yet)
0000:00:03.0: virtio-pci -> acme_vfio_pci (the kernel's VFIO variant for this device: alias vfio_pci:v00001AF4d00001042sv00001AF4sd00000002bc*sc*i*; module acme_vfio_pci, not loaded yet)
0000:00:04.0: xe -> xe-vfio-pci (the kernel's VFIO variant for this device: alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i*)
0000:00:05.0: (none) -> nvgrace_gpu_vfio_pci (the kernel's VFIO variant for this device: alias vfio_pci:v000010DEd00002342sv*sd*bc*sc*i*; module nvgrace_gpu_vfio_pci, not loaded yet)
0000:00:06.0: (none) -> vfio-pci"
    run --separate-stderr "$ADMIN" bind --dry-run 0000:00:0b.0
    assert_success
    assert_equal "$output" "0000:00:0b.0: already bound to xe-vfio-pci (nothing to do)"
}

@test "bind: --driver vfio-pci opts out, --driver NAME forces" {
    run --separate-stderr "$ADMIN" bind --dry-run --driver vfio-pci 0000:00:02.0 0000:00:04.0
    assert_success
    assert_equal "$output" "0000:00:02.0: virtio-pci -> vfio-pci
0000:00:04.0: xe -> vfio-pci"
    run --separate-stderr "$ADMIN" bind --dry-run --driver virtio_vfio_pci 0000:00:06.0
    assert_success
    assert_equal "$output" "0000:00:06.0: (none) -> virtio_vfio_pci"
    run --separate-stderr "$ADMIN" bind --dry-run --driver vfio-pci 0000:00:0b.0
    assert_success
    assert_equal "$output" "0000:00:0b.0: xe-vfio-pci -> vfio-pci"
    # a loaded variant's module name stands for its driver
    run --separate-stderr "$ADMIN" bind --dry-run --driver xe_vfio_pci 0000:00:0b.0 0000:00:04.0
    assert_success
    assert_equal "$output" "0000:00:0b.0: already bound to xe-vfio-pci (nothing to do)
0000:00:04.0: xe -> xe-vfio-pci"
}

@test "bind: a migration-capable variant on a VF whose PF is on vfio-pci is refused in one line; --driver vfio-pci binds it" {
    local before
    before=$(cat "$VFIO_TOOLS_SYSFS"/bus/pci/devices/*/driver_override)
    run --separate-stderr "$ADMIN" bind --dry-run 0000:00:08.0
    assert_equal "$status" 1
    [[ -z $output ]]
    assert_equal "$stderr" "vfio-admin: 0000:00:08.0: refused: mlx5_vfio_pci migrates a VF only through its PF's host driver (mlx5_core), but PF 0000:00:07.0 is on vfio-pci: give the PF back to its host driver first, or bind the VF with --driver vfio-pci (no migration)"
    run --separate-stderr "$ADMIN" bind --dry-run --driver mlx5_vfio_pci 0000:00:08.0
    assert_equal "$status" 1
    assert_equal "${#stderr_lines[@]}" 1
    run --separate-stderr "$ADMIN" bind --dry-run --driver vfio-pci 0000:00:08.0
    assert_success
    assert_equal "$output" "0000:00:08.0: (none) -> vfio-pci"
    run --separate-stderr "$ADMIN" bind --dry-run 0000:00:0a.0
    assert_success
    assert_equal "$output" "0000:00:0a.0: (none) -> mlx5_vfio_pci (the kernel's VFIO variant for this device: alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i*; module mlx5_vfio_pci, not loaded yet)"
    assert_equal "$(cat "$VFIO_TOOLS_SYSFS"/bus/pci/devices/*/driver_override)" "$before"
}

@test "groups: a member on a variant driver counts as VFIO (viable), and bind does not call it a blocker" {
    run --separate-stderr "$ADMIN" groups --json
    assert_success
    assert_jq '.groups[] | select(.group == 10) | .viable == true and .blockers == []'
    run --separate-stderr "$ADMIN" bind --dry-run 0000:00:0c.0
    assert_success
    assert_equal "$output" "0000:00:0c.0: (none) -> vfio-pci"
}

@test "check: a NOTE names the variant, or what plain vfio-pci loses; the refused VF is a WARN" {
    run --separate-stderr "$ADMIN" check --json 0000:00:02.0 0000:00:06.0 0000:00:08.0 0000:00:0b.0
    assert_equal "$(jq -r '[.findings[] | select(.id == "vfio.variant") | "\(.subject) \(.level) \(.message)"] | join("\n")' <<<"$output")" \
"0000:00:02.0 NOTE vfio-admin bind gives it virtio_vfio_pci, the kernel's VFIO variant driver for it (alias vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i*; its module is not loaded yet)
0000:00:08.0 NOTE vfio-admin bind gives it mlx5_vfio_pci, the kernel's VFIO variant driver for it (alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i*; its module is not loaded yet)
0000:00:08.0 WARN bind refuses it: mlx5_vfio_pci migrates a VF only through its PF's host driver (mlx5_core), but PF 0000:00:07.0 is on vfio-pci: give the PF back to its host driver first, or bind the VF with --driver vfio-pci (no migration)
0000:00:0b.0 PASS on xe-vfio-pci, the kernel's VFIO variant driver for it (alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i*)"
    ln -sfn ../../../bus/pci/drivers/vfio-pci "$VFIO_TOOLS_SYSFS/devices/pci0000:00/0000:00:04.0/driver"
    run --separate-stderr "$ADMIN" check 0000:00:04.0
    assert_output --partial "0000:00:04.0: on plain vfio-pci, which loses what xe-vfio-pci adds (live migration, device-specific handling): the kernel's VFIO variant driver for it (alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i*)"
}

@test "persist add: the variant by default (by address and by ids), vfio-pci with --driver vfio-pci; match names the registered driver" {
    local conf=$VFIO_TOOLS_ETC/vfio-tools/persist.conf
    run --separate-stderr "$ADMIN" persist add 0000:00:02.0 1af4:1042 0000:00:06.0
    assert_success
    assert_equal "${lines[0]}" "0000:00:02.0: persisted: virtio_vfio_pci (the kernel's VFIO variant for this device: alias vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i*; module virtio_vfio_pci, not loaded yet)"
    assert_equal "${lines[1]}" "1af4:1042: persisted: acme_vfio_pci (the kernel's VFIO variant for this device: alias vfio_pci:v00001AF4d00001042sv00001AF4sd00000002bc*sc*i*; module acme_vfio_pci, not loaded yet)"
    assert_equal "${lines[2]}" "0000:00:06.0: persisted: vfio-pci"
    assert_equal "$(grep -v '^#' "$conf")" "0000:00:02.0 driver=virtio_vfio_pci
1af4:1042 driver=acme_vfio_pci
0000:00:06.0 driver=vfio-pci"
    run --separate-stderr "$ADMIN" persist add --driver vfio-pci 0000:00:02.0
    assert_success
    assert_equal "${lines[0]}" "0000:00:02.0: persisted: vfio-pci"
    assert_equal "${lines[1]}" "in $conf; applied at the next boot or hot-plug, or now with 'vfio-admin persist apply'"
    printf '0000:00:04.0 driver=xe_vfio_pci\n' >"$conf"
    run --separate-stderr "$ADMIN" persist match 0000:00:04.0
    assert_success
    assert_equal "$output" "xe-vfio-pci"
}

@test "bind: a failed plan rolls driver_override back to exactly what it was" {
    local dev=$VFIO_TOOLS_SYSFS/bus/pci/devices/0000:00:06.0
    assert_equal "$(cat "$dev/driver_override")" "stub"
    # pci-stub never appears on the fake device: the plan fails after setting the override
    run --separate-stderr "$ADMIN" bind --driver pci-stub --timeout 1 0000:00:06.0
    assert_equal "$status" 1
    assert_equal "$output" "0000:00:06.0: (none) -> pci-stub"
    assert_equal "${stderr_lines[-1]}" "vfio-admin: 0000:00:06.0: restored to (none)"
    assert_equal "$(cat "$dev/driver_override")" "stub"
    [[ ! -e $VFIO_TOOLS_STATE/0000:00:06.0 ]]
}
