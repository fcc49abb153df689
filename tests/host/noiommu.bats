#!/usr/bin/env bats
# No IOMMU groups at all (booted without intel_iommu=on): the listing still
# works, GROUP is "-" (JSON null) and exactly one stderr line says how to
# enable the IOMMU.

load helpers

setup_file() {
    fixtures_setup noiommu q35-lab
    # a kernel built without IOMMU support has no kernel/iommu_groups at all
    cp -a "$(fx noiommu)" "$(fx noiommu-nodir)"
    rm -rf "$(fx noiommu-nodir)/kernel/iommu_groups"
    # The hint follows the CPU: an Intel one unless a test says otherwise.
    export VFIO_TOOLS_PROC=$BATS_FILE_TMPDIR/proc
    mkdir -p "$VFIO_TOOLS_PROC"
    printf 'vendor_id\t: GenuineIntel\n' >"$VFIO_TOOLS_PROC/cpuinfo"
}

assert_iommu_hint() {
    [[ "${#stderr_lines[@]}" -eq 1 ]] || \
        fail "expected one stderr line, got ${#stderr_lines[@]}: $stderr"
    [[ "${stderr_lines[0]}" == "vfio-admin: "* ]] || fail "stderr: $stderr"
    [[ "${stderr_lines[0]}" == *intel_iommu=on* ]] || fail "no intel_iommu=on hint: $stderr"
}

@test "list: exit 0, every device listed" {
    run --separate-stderr admin noiommu list
    assert_success
    [[ "$(table_addresses)" == "$(fixture_devices noiommu)" ]] || fail "$output"
}

@test "list: GROUP column is - for every device" {
    run --separate-stderr admin noiommu list
    assert_success
    local col
    col="$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "GROUP") g = i - NF }
                NR > 1 { print $(NF + g) }' <<<"$output" | sort -u)"
    [[ "$col" == "-" ]] || fail "GROUP column: [$col] in: $output"
}

@test "list: exactly one stderr line, mentioning intel_iommu=on" {
    run --separate-stderr admin noiommu list
    assert_success
    assert_iommu_hint
}

@test "list --json: valid JSON on stdout, iommu_group null everywhere, hint on stderr" {
    run --separate-stderr admin noiommu list --json
    assert_success
    assert_jq 'all(.devices[]; .iommu_group == null)'
    assert_jq '(.devices | length) > 0'
    assert_iommu_hint
}

@test "list --json: vfio false, other fields still filled" {
    run --separate-stderr admin noiommu list --json
    assert_success
    assert_jq '(.devices[] | select(.address == "0000:00:1f.2")) | .driver == "ahci"
               and .class_id == "0106" and .vfio == false'
    assert_jq '(.devices[] | select(.address == "0000:01:00.0") | .parent) == "0000:00:04.0"'
}

@test "list --tree: works, one hint line" {
    run --separate-stderr admin noiommu list --tree
    assert_success
    assert_iommu_hint
}

@test "list with filters: works, one hint line" {
    run --separate-stderr admin noiommu list -d 8086: --class bridge
    assert_success
    [[ "$(table_addresses)" == "0000:00:00.0"$'\n'"0000:00:1f.0" ]] || fail "$output"
    assert_iommu_hint
}

@test "list --group N without groups: one-line error, exit 2" {
    run --separate-stderr admin noiommu list --group 0
    assert_usage_error
}

@test "no kernel/iommu_groups directory at all: list works, GROUP -, one hint" {
    run --separate-stderr admin noiommu-nodir list --json
    assert_success
    assert_jq 'all(.devices[]; .iommu_group == null) and (.devices | length) == 7'
    assert_iommu_hint
}

@test "the hint is the CPU's: VT-d and intel_iommu=on; AMD-Vi in the firmware (amd_iommu=on does nothing); Arm's firmware; POWER" {
    local proc=$BATS_TEST_TMPDIR/proc cpu want
    mkdir -p "$proc"
    while IFS='|' read -r cpu want; do
        printf '%b\n' "$cpu" >"$proc/cpuinfo"
        VFIO_TOOLS_PROC=$proc run --separate-stderr admin noiommu list
        assert_success
        assert_equal "${#stderr_lines[@]}" 1
        assert_regex "${stderr_lines[0]}" "^vfio-admin: note: no IOMMU groups: the IOMMU is off or absent; $want"
    done <<'EOF2'
vendor_id\t: GenuineIntel|enable VT-d in the firmware setup, then add intel_iommu=on
vendor_id\t: AuthenticAMD|enable the IOMMU \(AMD-Vi\) in the firmware setup: Linux turns it on by itself \(amd_iommu=on is not an option: it does nothing\)$
CPU implementer\t: 0x41|the firmware must describe an SMMU \(ACPI IORT or the device tree\): .*no kernel option turns it on$
cpu\t\t: POWER9 \(architected\)|VFIO on POWER needs the pseries or PowerNV sPAPR TCE IOMMU
EOF2
}

@test "a tree with groups prints no hint (even with one group-less device)" {
    run --separate-stderr admin q35-lab list
    assert_success
    [[ -z "$stderr" ]] || fail "unexpected stderr: $stderr"
}
