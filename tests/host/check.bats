#!/usr/bin/env bats
# vfio-admin check against fake trees: device findings on the lab shapes, and the
# machine checks on fake /proc, /dev and /etc for platforms this host is not.

load helpers

setup_file() { fixtures_setup q35-lab noiommu; }

# check FIXTURE ARGS...: vfio-admin check --json with fake /proc, /dev, /etc roots
# made per test (see machine_root).
check() {
    local fixture=$1
    shift
    VFIO_TOOLS_SYSFS="$(fx "$fixture")" VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" \
        VFIO_TOOLS_DEV="$BATS_TEST_TMPDIR/dev" VFIO_TOOLS_ETC="$BATS_TEST_TMPDIR/etc" \
        "$ADMIN" check "$@"
}

# A machine: CMDLINE and INTERRUPTS text, ACPI tables and class/iommu entries in the tree.
machine_root() { # FIXTURE CMDLINE INTERRUPTS [ACPI-TABLE...]
    local sys proc=$BATS_TEST_TMPDIR/proc t
    sys=$(fx "$1")
    mkdir -p "$proc" "$BATS_TEST_TMPDIR/dev/vfio" "$BATS_TEST_TMPDIR/etc/security/limits.d"
    printf '%s\n' "$2" >"$proc/cmdline"
    printf '%s\n' "$3" >"$proc/interrupts"
    printf 'vendor_id\t: GenuineIntel\n' >"$proc/cpuinfo"
    rm -rf "$sys/firmware/acpi/tables"
    mkdir -p "$sys/firmware/acpi/tables"
    for t in "${@:4}"; do : >"$sys/firmware/acpi/tables/$t"; done
}

finding() { # ID SUBJECT: "LEVEL message" of the first such finding
    jq -r --arg id "$1" --arg s "$2" \
        'first(.findings[] | select(.id == $id and .subject == $s) | "\(.level) \(.message)")' <<<"$output"
}

# check_desc NAME ARGS...: builds $BATS_TEST_TMPDIR/NAME.desc (written by the test) into a
# fake tree and runs check --json on it with the /proc that machine_root made.
check_desc() {
    local name=$1
    shift
    "$(mkfakesys_bin)" "$BATS_TEST_TMPDIR/$name.desc" "$BATS_TEST_TMPDIR/$name" >/dev/null
    VFIO_TOOLS_SYSFS="$BATS_TEST_TMPDIR/$name" VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" \
        run --separate-stderr "$ADMIN" check --json "$@"
}

@test "machine: Intel with remapping, AMD without, Arm, no IOMMU, acs override" {
    machine_root q35-lab "BOOT_IMAGE=/vmlinuz intel_iommu=on" " 24: 0 IR-PCI-MSI 1-edge" DMAR
    run --separate-stderr check q35-lab --json
    assert_equal "$(finding iommu.firmware machine)" "PASS IOMMU hardware: Intel VT-d (ACPI DMAR)"
    assert_equal "$(finding irq.remapping machine | cut -c1-4)" PASS
    assert_equal "$(finding iommu.enabled machine | cut -c1-4)" PASS

    machine_root q35-lab "pcie_acs_override=downstream,multifunction" " 24: 0 PCI-MSI 1-edge" IVRS
    run --separate-stderr check q35-lab --json
    assert_equal "$status" 1
    assert_equal "$(finding iommu.firmware machine)" "PASS IOMMU hardware: AMD-Vi (ACPI IVRS)"
    assert_equal "$(finding irq.remapping machine)" "FAIL interrupt remapping is off"
    assert_equal "$(finding iommu.acs_override machine | cut -c1-4)" WARN

    machine_root q35-lab "quiet" "" IORT
    run --separate-stderr check q35-lab --json
    assert_equal "$(finding iommu.firmware machine)" "PASS IOMMU hardware: Arm SMMU (ACPI IORT)"
    assert_equal "$(finding irq.remapping machine | cut -c1-4)" NOTE

    machine_root noiommu "quiet" ""
    run --separate-stderr check noiommu --json
    assert_equal "$status" 1
    assert_equal "$(finding iommu.enabled machine | cut -c1-4)" FAIL
    [[ $(jq -r '.findings[] | select(.id == "iommu.enabled") | .hint' <<<"$output") == *intel_iommu=on* ]]
}

@test "machine: allow_unsafe_interrupts turns missing remapping into a warning" {
    machine_root q35-lab "vfio_iommu_type1.allow_unsafe_interrupts=1" "" IVRS
    run --separate-stderr check q35-lab --json
    assert_equal "$(finding irq.remapping machine | cut -c1-4)" WARN
    assert_equal "$(finding irq.allow_unsafe machine | cut -c1-4)" WARN
}

@test "device: viable alone, non-viable group names blocker and driver, ACS path and reconcile" {
    machine_root q35-lab "intel_iommu=on" " 24: 0 IR-PCI-MSI" DMAR
    run --separate-stderr check q35-lab --json 0000:01:00.0 0000:07:01.0 0000:04:00.0 0000:08:00.0
    assert_equal "$(finding group.viable 0000:01:00.0)" "PASS IOMMU group 3 is viable"
    assert_equal "$(finding group.viable 0000:07:01.0)" \
        "FAIL IOMMU group 9 is not viable: 0000:07:02.0 on virtio-pci"
    assert_equal "$(finding group.viable 0000:08:00.0)" \
        "FAIL IOMMU group 14 is not viable: 0000:08:00.1 on snd_hda_intel"
    # The switch: the downstream port lacks ACS though the kernel gave it its own group.
    assert_equal "$(finding acs.port 0000:03:00.0)" "WARN downstream port: no ACS capability"
    assert_equal "$(finding acs.port 0000:02:00.0)" "NOTE upstream port: not checked by the kernel (single function)"
    assert_equal "$(finding acs.port 0000:00:05.0)" "PASS root port: ACS enabled (SV RR CR UF) [ACSCap SV TB RR CR UF DT; ACSCtl SV RR CR UF]"
    assert_equal "$(finding acs.port 0000:06:00.0)" "WARN PCIe-to-PCI bridge: devices below share its requester ID"
    assert_equal "$(finding acs.reconcile 0000:04:00.0)" "PASS ACS analysis predicts the kernel's group 6"
    assert_equal "$(finding acs.port 0000:08:00.0)" "WARN endpoint: no ACS capability"
    # Members to bind: bridges stay on pcieport; the blockers must move too.
    assert_equal "$(jq -c '[.devices[] | [.address, .bind]]' <<<"$output")" \
        '[["0000:01:00.0",["0000:01:00.0"]],["0000:04:00.0",["0000:04:00.0"]],["0000:07:01.0",["0000:07:01.0","0000:07:02.0"]],["0000:08:00.0",["0000:08:00.0","0000:08:00.1"]]]'
}

@test "device: no group without an IOMMU: not assignable; exit 1; JSON summary counts" {
    machine_root noiommu "quiet" ""
    run --separate-stderr check noiommu --json -d 1234:11e8
    assert_equal "$status" 1
    assert_equal "$(jq -r '[.devices[].verdict] | unique | join(",")' <<<"$output")" not-assignable
    assert_equal "$(jq '.summary.fail == ([.findings[] | select(.level == "FAIL")] | length)' <<<"$output")" true
}

@test "human output: LEVEL  subject: message  (hint); no colour when not a TTY" {
    machine_root q35-lab "intel_iommu=on" " 24: 0 IR-PCI-MSI" DMAR
    run --separate-stderr check q35-lab 0000:07:01.0
    assert_line "FAIL  0000:07:01.0: IOMMU group 9 is not viable: 0000:07:02.0 on virtio-pci  (bind every member of the group to vfio-pci (vfio-admin bind --group))"
    refute_output --partial $'\033['
}

@test "memlock: --user NAME from limits.conf and limits.d; --guest-mem; bad values" {
    machine_root q35-lab "intel_iommu=on" "" DMAR
    printf '* soft memlock 65536\n@daemon - memlock 1024\n' >"$BATS_TEST_TMPDIR/etc/security/limits.conf"
    printf 'daemon soft memlock unlimited # per user wins\n' >"$BATS_TEST_TMPDIR/etc/security/limits.d/90-vfio.conf"
    run --separate-stderr check q35-lab --json --user daemon
    assert_equal "$(jq -r '.findings[] | select(.id == "memlock" and (.message | startswith("user daemon"))) | .message' <<<"$output")" \
        "user daemon: memlock limit unlimited"
    rm "$BATS_TEST_TMPDIR/etc/security/limits.d/90-vfio.conf"
    run --separate-stderr check q35-lab --json --user daemon --guest-mem 4G
    assert_equal "$(jq -r '.findings[] | select(.id == "memlock" and (.message | startswith("user daemon"))) | .level' <<<"$output")" FAIL

    run --separate-stderr check q35-lab --user no-such-user-x
    assert_usage_error
    run --separate-stderr check q35-lab --guest-mem 12Q
    assert_usage_error
}

@test "reconcile: a root port isolated by the kernel's Sunrise Point quirk, and a merge nothing explains" {
    cat >"$BATS_TEST_TMPDIR/quirk.desc" <<'DESC'
group 0 type=DMA
dev 0000:00:00.0 vendor=8086 device=29c0 class=060000 group=0
group 1 type=DMA
dev 0000:00:1c.0 vendor=8086 device=a110 class=060400 driver=pcieport group=1 pcie=rp acs=f/0 acs-spt-ctl=d
group 2 type=DMA
dev 0000:01:00.0 parent=0000:00:1c.0 vendor=8086 device=1533 class=020000 driver=igb group=2 pcie=ep
group 3 type=DMA
dev 0000:00:1d.0 vendor=1b36 device=000c class=060400 driver=pcieport group=3 pcie=rp acs=005f/001d
dev 0000:02:00.0 parent=0000:00:1d.0 vendor=1234 device=11e8 class=00ff00 group=3
DESC
    "$(mkfakesys_bin)" "$BATS_TEST_TMPDIR/quirk.desc" "$BATS_TEST_TMPDIR/quirk" >/dev/null
    machine_root q35-lab "intel_iommu=on" " 24: 0 IR-PCI-MSI" DMAR
    mkdir -p "$BATS_TEST_TMPDIR/proc/sys/kernel"
    echo 6.1.0-17-amd64 >"$BATS_TEST_TMPDIR/proc/sys/kernel/osrelease"
    VFIO_TOOLS_SYSFS="$BATS_TEST_TMPDIR/quirk" VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" \
        run --separate-stderr "$ADMIN" check --json 0000:01:00.0 0000:02:00.0
    assert_equal "$(finding acs.port 0000:00:1c.0)" \
        "PASS root port: ACS provided by the kernel's quirk for Intel Sunrise Point PCH root ports (control at the dword offsets: SV RR CR)"
    assert_equal "$(finding acs.reconcile 0000:01:00.0)" \
        "PASS ACS analysis predicts the kernel's group 2, with the kernel's quirk for Intel Sunrise Point PCH root ports at 0000:00:1c.0 (control at the dword offsets: SV RR CR)"
    assert_equal "$(finding acs.reconcile 0000:02:00.0)" \
        "WARN not explained: the kernel's group also holds 0000:00:1d.0; neither the ACS rules nor the kernel's quirks (Linux 6.12.118 (Debian linux-source-6.12); this kernel: 6.1.0-17-amd64) explain it"
    # Without the control register at the dword offsets the quirk answers "not enabled".
    sed -i 's/ acs-spt-ctl=d//' "$BATS_TEST_TMPDIR/quirk.desc"
    rm -rf "$BATS_TEST_TMPDIR/quirk"
    "$(mkfakesys_bin)" "$BATS_TEST_TMPDIR/quirk.desc" "$BATS_TEST_TMPDIR/quirk" >/dev/null
    VFIO_TOOLS_SYSFS="$BATS_TEST_TMPDIR/quirk" VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" \
        run --separate-stderr "$ADMIN" check --json 0000:01:00.0
    assert_equal "$(finding acs.port 0000:00:1c.0 | cut -d: -f1)" "WARN root port"
    assert_equal "$(finding acs.reconcile 0000:01:00.0 | cut -d: -f1)" "WARN not explained"
}

@test "reconcile: functions that ACS separates share a group through the kernel's DMA alias quirk (Marvell function 1)" {
    cat >"$BATS_TEST_TMPDIR/alias.desc" <<'DESC'
dev 0000:00:00.0 vendor=8086 device=29c0 class=060000 group=0
dev 0000:00:1c.0 vendor=1b36 device=000c class=060400 driver=pcieport group=1 pcie=rp acs=005f/001d
dev 0000:05:00.0 parent=0000:00:1c.0 vendor=1b4b device=9230 class=010601 driver=ahci group=2 pcie=legacy acs=005f/001d multifunction
dev 0000:05:00.1 parent=0000:00:1c.0 vendor=1b4b device=9230 class=010185 group=2 pcie=legacy acs=005f/001d multifunction
DESC
    machine_root q35-lab "intel_iommu=on" " 24: 0 IR-PCI-MSI" DMAR
    check_desc alias 0000:05:00.0 0000:05:00.1
    assert_equal "$(finding acs.reconcile 0000:05:00.0)" "PASS ACS analysis predicts the kernel's group 2"
    assert_equal "$(finding acs.reconcile 0000:05:00.1)" \
        "PASS ACS analysis predicts the kernel's group 2, through the kernel's DMA alias quirk for Marvell 88SE9230 SATA (function 1 alias) (shares requester IDs with 0000:05:00.0)"
}

@test "reconcile: a device the kernel left without a group takes no part (ASPEED VGA behind its bridge, as on an Ampere Altra)" {
    cat >"$BATS_TEST_TMPDIR/nogroup.desc" <<'DESC'
dev 0000:00:01.0 vendor=1def device=e101 class=060400 driver=pcieport group=1 pcie=rp acs=005f/001d
dev 0000:01:00.0 parent=0000:00:01.0 vendor=1a03 device=1150 class=060400 group=2 pcie=pcie2pci
dev 0000:02:00.0 parent=0000:01:00.0 vendor=1a03 device=2000 class=030000
DESC
    machine_root q35-lab "" "" IORT
    check_desc nogroup 0000:01:00.0 0000:02:00.0
    assert_equal "$(finding acs.reconcile 0000:01:00.0)" "PASS ACS analysis predicts the kernel's group 2"
    assert_equal "$(finding acs.reconcile 0000:02:00.0)" ""
}

@test "SR-IOV: PF with VFs sharing its group, VF of a PF; config unreadable (non-root): unknown, not guessed" {
    cat >"$BATS_TEST_TMPDIR/sriov.desc" <<'DESC'
group 1 type=DMA
dev 0000:00:1c.0 vendor=8086 device=a110 class=060400 driver=pcieport group=1 pcie=rp acs=005f/001d
group 2 type=DMA
dev 0000:01:00.0 parent=0000:00:1c.0 vendor=8086 device=1572 class=020000 driver=i40e group=2 pcie=ep
dev 0000:01:02.0 parent=0000:00:1c.0 vendor=8086 device=154c class=020000 driver=iavf group=2 pcie=ep
group 3 type=DMA
dev 0000:00:1d.0 vendor=8086 device=a111 class=060400 driver=pcieport group=3 pcie=rp cfgsize=64
dev 0000:02:00.0 parent=0000:00:1d.0 vendor=8086 device=1533 class=020000 driver=igb group=3 pcie=ep cfgsize=64
DESC
    local sys=$BATS_TEST_TMPDIR/sriov pf vf
    "$(mkfakesys_bin)" "$BATS_TEST_TMPDIR/sriov.desc" "$sys" >/dev/null
    pf=$(readlink -f "$sys/bus/pci/devices/0000:01:00.0")
    vf=$(readlink -f "$sys/bus/pci/devices/0000:01:02.0")
    echo 64 >"$pf/sriov_totalvfs"
    echo 1 >"$pf/sriov_numvfs"
    ln -s "$vf" "$pf/virtfn0"
    ln -s "$pf" "$vf/physfn"
    echo "flr bus" >"$pf/reset_method"
    machine_root q35-lab "intel_iommu=on" " 24: 0 IR-PCI-MSI" DMAR
    VFIO_TOOLS_SYSFS=$sys VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" \
        run --separate-stderr "$ADMIN" check --json 0000:01:00.0 0000:01:02.0 0000:02:00.0
    assert_equal "$(jq -r '[.findings[] | select(.id == "sriov") | "\(.subject) \(.level) \(.message)"] | join("\n")' <<<"$output")" \
"0000:01:00.0 WARN SR-IOV physical function: 1 of 64 VFs enabled
0000:01:00.0 WARN VFs in the PF's IOMMU group 2: 0000:01:02.0
0000:01:02.0 NOTE SR-IOV virtual function of 0000:01:00.0"
    assert_equal "$(finding reset 0000:01:00.0)" "PASS reset methods (kernel): flr bus"
    assert_equal "$(finding reset 0000:02:00.0)" \
        "PASS reset methods (config space): bus; FLR and PM reset unknown: config space beyond 64 bytes is unreadable"
    assert_equal "$(finding acs.port 0000:00:1d.0)" "NOTE bridge: ACS unknown: config space beyond 64 bytes is unreadable"
    assert_equal "$(finding acs.reconcile 0000:02:00.0)" "NOTE ACS analysis incomplete: config space unreadable"
}
