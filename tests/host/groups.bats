#!/usr/bin/env bats
# "vfio-admin groups": membership, viability and blockers on every fixture shape.

load helpers

setup_file() {
    fixtures_setup q35-lab
    synthetic_setup synth 600
    fake_viability_json q35-lab >"$BATS_FILE_TMPDIR/q35-viability.json"
    fake_viability_json synth >"$BATS_FILE_TMPDIR/synth-viability.json"
}

GROUP_KEYS='["blockers","group","members","type","viable"]'
MEMBER_KEYS='["address","blocks","class","class_id","device_id","driver","vendor_id"]'

# viability GROUP: "viable blocker,blocker" from the tool's JSON in $output
group_summary() {
    jq -r --argjson g "$1" '.groups[] | select(.group == $g)
                            | "\(.viable) \(.blockers | join(","))"' <<<"$output"
}

@test "groups: exit 0, table mentions every group" {
    run --separate-stderr admin q35-lab groups
    assert_success
    [[ -z "$stderr" ]] || fail "stderr: $stderr"
    local g
    for g in $(ls "$(fx q35-lab)/kernel/iommu_groups"); do
        grep -qE "^ *$g " <<<"$output" || fail "group $g missing from: $output"
    done
}

@test "groups --json: valid, keys and types per the contract" {
    run --separate-stderr admin q35-lab groups --json
    assert_success
    [[ -z "$stderr" ]] || fail "stderr: $stderr"
    assert_jq 'keys == ["groups","schema_version"] and (.groups | type == "array")'
    assert_jq "all(.groups[]; keys == $GROUP_KEYS)"
    assert_jq 'all(.groups[];
        (.group | type == "number") and (.type | type == "string" or type == "null")
        and (.viable | type == "boolean") and (.blockers | type == "array")
        and all(.blockers[]; type == "string") and (.members | type == "array"))'
    assert_jq "all(.groups[].members[]; keys == $MEMBER_KEYS)"
    assert_jq 'all(.groups[].members[];
        (.address | type == "string") and (.driver | type == "string" or type == "null")
        and (.class | type == "string") and (.class_id | test("^[0-9a-f]{4}$"))
        and (.vendor_id | test("^[0-9a-f]{4}$")) and (.device_id | test("^[0-9a-f]{4}$"))
        and (.blocks | type == "boolean"))'
}

@test "groups --json: membership equals kernel/iommu_groups of the fake tree" {
    run --separate-stderr admin q35-lab groups -J
    assert_success
    local want
    want="$(fake_groups_json q35-lab)"
    assert_jq "(.groups | map({key: (.group | tostring), value: [.members[].address]})
                | from_entries) == $want"
}

@test "groups --json: groups in numeric order, members in address order" {
    run --separate-stderr admin q35-lab groups -J
    assert_success
    assert_jq '[.groups[].group] as $g | $g == ($g | sort)'
    assert_jq 'all(.groups[]; [.members[].address] as $m | $m == ($m | sort))'
    # numeric, not string order: 2 comes before 10
    assert_jq '[.groups[].group] | index(2) < index(10)'
}

@test "groups --json: type from iommu_groups/N/type, null when absent" {
    run --separate-stderr admin q35-lab groups -J
    assert_success
    assert_jq '(.groups[] | select(.group == 0) | .type) == "DMA-FQ"'
    assert_jq '(.groups[] | select(.group == 1) | .type) == "DMA"'
    assert_jq '(.groups[] | select(.group == 20) | .type) == "identity"'
    assert_jq '(.groups[] | select(.group == 18) | .type) == null'
}

@test "groups --json: member ids, driver and class agree with the tree" {
    run --separate-stderr admin q35-lab groups -J
    assert_success
    local list
    list="$(VFIO_TOOLS_SYSFS="$(fx q35-lab)" "$ADMIN" list -J)"
    run jq -n --argjson g "$output" --argjson l "$list" '
        ($l.devices | map({key: .address, value: {driver, class, class_id, vendor_id, device_id}})
         | from_entries) as $by
        | [$g.groups[].members[] | select({driver, class, class_id, vendor_id, device_id}
                                          != $by[.address]) | .address]'
    assert_success
    [[ "$output" == "[]" ]] || fail "members disagreeing with list --json: $output"
}

@test "viability: blocks/blockers/viable are consistent with each other" {
    run --separate-stderr admin q35-lab groups -J
    assert_success
    assert_jq 'all(.groups[]; .blockers == [.members[] | select(.blocks) | .address])'
    assert_jq 'all(.groups[]; .viable == (.blockers | length == 0))'
}

@test "viability: every group matches the kernel rule applied to the tree" {
    run --separate-stderr admin q35-lab groups -J
    assert_success
    local want
    want="$(cat "$BATS_FILE_TMPDIR/q35-viability.json")"
    run jq -n --argjson got "$output" --argjson want "$want" '
        [$got.groups[] | {group, type, viable, blockers,
                          members: [.members[] | {address, driver, blocks}]}] as $g
        | [range(0; [$g, $want] | map(length) | max) | select($g[.] != $want[.])
           | {got: $g[.], want: $want[.]}]'
    assert_success
    [[ "$output" == "[]" ]] || fail "differences: $output"
}

# Every fixture shape, by name
@test "host bridge alone, driverless: viable" {
    run admin q35-lab groups -J
    [[ "$(group_summary 0)" == "true " ]] || fail "$(group_summary 0)"
}

@test "ICH9 LPC/SATA/SMBus in one group: not viable, all three block" {
    run admin q35-lab groups -J
    [[ "$(group_summary 1)" == "false 0000:00:1f.0,0000:00:1f.2,0000:00:1f.3" ]] || \
        fail "$(group_summary 1)"
}

@test "root port on pcieport alone: viable" {
    run admin q35-lab groups -J
    [[ "$(group_summary 2)" == "true " ]] || fail "$(group_summary 2)"
}

@test "edu on vfio-pci behind a root port: viable" {
    run admin q35-lab groups -J
    [[ "$(group_summary 3)" == "true " ]] || fail "$(group_summary 3)"
}

@test "switch: downstream port (pcieport) + edu on vfio-pci: viable" {
    run admin q35-lab groups -J
    [[ "$(group_summary 6)" == "true " ]] || fail "$(group_summary 6)"
    assert_jq '[.groups[] | select(.group == 6) | .members[].address]
               == ["0000:03:00.0", "0000:04:00.0"]'
}

@test "switch: downstream port + edu on pci-stub: viable" {
    run admin q35-lab groups -J
    [[ "$(group_summary 7)" == "true " ]] || fail "$(group_summary 7)"
}

@test "pcie-pci-bridge group with virtio-rng on virtio-pci: not viable, blocker 07:02.0" {
    run admin q35-lab groups -J
    [[ "$(group_summary 9)" == "false 0000:07:02.0" ]] || fail "$(group_summary 9)"
    # the driverless bridge and the vfio-pci edu do not block
    assert_jq '[.groups[] | select(.group == 9) | .members[] | select(.blocks | not) | .address]
               == ["0000:06:00.0", "0000:07:01.0"]'
}

@test "GPU on vfio-pci + audio on snd_hda_intel: not viable, audio is the blocker" {
    run admin q35-lab groups -J
    [[ "$(group_summary 14)" == "false 0000:08:00.1" ]] || fail "$(group_summary 14)"
    assert_jq '(.groups[] | select(.group == 14) | .members[] | select(.address == "0000:08:00.1")
                | .driver) == "snd_hda_intel"'
}

@test "NVMe on nvme: blocks" {
    run admin q35-lab groups -J
    [[ "$(group_summary 16)" == "false 0000:09:00.0" ]] || fail "$(group_summary 16)"
}

@test "pci-stub: viable" {
    run admin q35-lab groups -J
    [[ "$(group_summary 18)" == "true " ]] || fail "$(group_summary 18)"
}

@test "vfio-pci variant (mlx5_vfio_pci): viable" {
    run admin q35-lab groups -J
    [[ "$(group_summary 20)" == "true " ]] || fail "$(group_summary 20)"
}

@test "VMD: controller on vmd blocks; domain 10000 groups listed" {
    run admin q35-lab groups -J
    [[ "$(group_summary 10)" == "false 0000:00:0e.0" ]] || fail "$(group_summary 10)"
    [[ "$(group_summary 11)" == "true " ]] || fail "$(group_summary 11)"
    [[ "$(group_summary 12)" == "false 10000:01:00.0" ]] || fail "$(group_summary 12)"
}

@test "device without a group (virtio-iommu) is in no group" {
    run admin q35-lab groups -J
    assert_jq '[.groups[].members[].address] | index("0000:00:09.0") == null'
}

@test "groups -g N: only that group" {
    run --separate-stderr admin q35-lab groups -g 14 --json
    assert_success
    assert_jq '[.groups[].group] == [14]'
    run --separate-stderr admin q35-lab groups --group 9
    assert_success
    grep -q '0000:07:02.0' <<<"$output" || fail "$output"
    ! grep -q '0000:08:00.1' <<<"$output" || fail "other group shown: $output"
}

@test "groups table names the blocker and its driver" {
    run --separate-stderr admin q35-lab groups -g 14
    assert_success
    grep -E '0000:08:00\.1.*snd_hda_intel' <<<"$output" || fail "$output"
    run --separate-stderr admin q35-lab groups -g 9
    assert_success
    grep -E '0000:07:02\.0.*virtio-pci' <<<"$output" || fail "$output"
}

@test "groups -g N with no such group: exit 2, one stderr line" {
    run --separate-stderr admin q35-lab groups -g 99
    assert_usage_error
}

@test "synthetic tree (600 devices): membership and viability match the tree" {
    local got="$BATS_TEST_TMPDIR/got.json"
    VFIO_TOOLS_SYSFS="$(fx synth)" "$ADMIN" groups --json >"$got"
    run jq -n --slurpfile got "$got" --slurpfile want "$BATS_FILE_TMPDIR/synth-viability.json" '
        [$got[0].groups[] | {group, type, viable, blockers,
                             members: [.members[] | {address, driver, blocks}]}] as $g
        | $want[0] as $w
        | [range(0; [$g, $w] | map(length) | max) | select($g[.] != $w[.])
           | {got: $g[.], want: $w[.]}] | .[0:3]'
    assert_success
    [[ "$output" == "[]" ]] || fail "differences (first 3): $output"
}

@test "synthetic tree (600 devices): list --json agrees with the tree" {
    local got="$BATS_TEST_TMPDIR/got.json" want="$BATS_TEST_TMPDIR/want.json"
    VFIO_TOOLS_SYSFS="$(fx synth)" "$ADMIN" list --json >"$got"
    fake_tree_json synth >"$want"
    run jq -n --slurpfile got "$got" --slurpfile want "$want" '
        [$got[0].devices[] | {address, vendor_id, device_id, class_id, prog_if, driver,
                              iommu_group, vfio, numa_node, parent}] as $g
        | $want[0] as $w
        | [range(0; [$g, $w] | map(length) | max) | select($g[.] != $w[.])
           | {got: $g[.], want: $w[.]}] | .[0:3]'
    assert_success
    [[ "$output" == "[]" ]] || fail "differences (first 3): $output"
}
