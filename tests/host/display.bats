#!/usr/bin/env bats
# vfio-admin check on display devices (class 03), against fake trees: boot_vga, a firmware
# framebuffer in /proc/iomem inside a BAR (and what frees it on the running kernel), the
# slot's other functions (HDMI audio, USB, UCSI) against the group plan, reset methods
# between guests, D3cold.

load helpers

# A GPU slot below a root port: VGA 01:00.0 and its audio 01:00.1 in group 3, USB-C
# (xHCI and UCSI) in groups of their own; a 3D controller on vfio-pci below another port;
# an edu, which is no display.
setup_file() {
    cat >"$BATS_FILE_TMPDIR/gpu.desc" <<'DESC'
group 1 type=DMA
dev 0000:00:01.0 vendor=1b36 device=000c class=060400 driver=pcieport group=1 pcie=rp acs=005f/001d
dev 0000:01:00.0 parent=0000:00:01.0 vendor=10de device=2204 class=030000 rev=a1 driver=nouveau group=3 multifunction pcie=ep
dev 0000:01:00.1 parent=0000:00:01.0 vendor=10de device=1aef class=040300 rev=a1 driver=snd_hda_intel group=3 multifunction pcie=ep
dev 0000:01:00.2 parent=0000:00:01.0 vendor=10de device=1ad8 class=0c0330 rev=a1 driver=xhci_hcd group=4 multifunction pcie=ep
dev 0000:01:00.3 parent=0000:00:01.0 vendor=10de device=1ad9 class=0c8000 rev=a1 driver=nvidia-gpu group=5 multifunction pcie=ep
dev 0000:00:02.0 vendor=1b36 device=000c class=060400 driver=pcieport group=6 pcie=rp acs=005f/001d
dev 0000:02:00.0 parent=0000:00:02.0 vendor=10de device=20b0 class=030200 rev=a1 driver=vfio-pci group=7 pcie=ep
dev 0000:00:03.0 vendor=1234 device=11e8 class=00ff00 rev=10 driver=vfio-pci group=8
DESC
    "$(mkfakesys_bin)" "$BATS_FILE_TMPDIR/gpu.desc" "$BATS_FILE_TMPDIR/gpu" >/dev/null
}

setup() {
    SYS=$BATS_TEST_TMPDIR/sys PROC=$BATS_TEST_TMPDIR/proc
    cp -a "$BATS_FILE_TMPDIR/gpu" "$SYS"
    mkdir -p "$PROC/sys/kernel" "$BATS_TEST_TMPDIR/dev/vfio"
    echo "intel_iommu=on" >"$PROC/cmdline"
    echo " 24: 0 IR-PCI-MSI" >"$PROC/interrupts"
    printf 'vendor_id\t: GenuineIntel\n' >"$PROC/cpuinfo"
    echo 6.12.118+deb12-amd64 >"$PROC/sys/kernel/osrelease"
    GPU=$(readlink -f "$SYS/bus/pci/devices/0000:01:00.0")
    echo 1 >"$GPU/boot_vga"
    echo 1 >"$GPU/d3cold_allowed"
    echo D0 >"$GPU/power_state"
    echo 0 >"$(readlink -f "$SYS/bus/pci/devices/0000:02:00.0")/boot_vga"
    : >"$PROC/iomem"
}

check() {
    VFIO_TOOLS_SYSFS=$SYS VFIO_TOOLS_PROC=$PROC VFIO_TOOLS_DEV=$BATS_TEST_TMPDIR/dev \
        VFIO_TOOLS_ETC=$BATS_TEST_TMPDIR/etc run --separate-stderr "$ADMIN" check --json "$@"
}

# "LEVEL id message" of the display.* findings of ADDRESS, one a line.
display() { # ADDRESS
    jq -r --arg s "$1" '.findings[] | select(.subject == $s and (.id | startswith("display."))) |
        "\(.level) \(.id) \(.message)"' <<<"$output"
}

hint() { # ID ADDRESS
    jq -r --arg id "$1" --arg s "$2" 'first(.findings[] | select(.id == $id and .subject == $s)) | .hint' <<<"$output"
}

# BAR0 of ADDRESS as "START END" (hex without 0x) from the fake resource file.
bar0() {
    local s e
    read -r s e _ <"$(readlink -f "$SYS/bus/pci/devices/$1")/resource"
    printf '%x %x\n' "$s" "$e"
}

# iomem ADDRESS NAME...: /proc/iomem with the BAR and, nested in it, a framebuffer entry per
# NAME covering its first 3 MiB (or as much of the BAR as there is).
iomem() {
    local addr=$1 s e fe indent='    ' name
    shift
    read -r s e < <(bar0 "$addr")
    fe=$(printf '%x' $((0x$s + 0x2fffff < 0x$e ? 0x$s + 0x2fffff : 0x$e)))
    {
        echo "00000000-00000fff : Reserved"
        echo "  $s-$e : $addr"
        for name in "$@"; do
            echo "$indent$s-$fe : $name"
            indent+='  '
        done
    } >"$PROC/iomem"
}

@test "GPU: boot VGA, BOOTFB+simpledrm in BAR0 (Linux 6.12: vfio-pci removes it), the slot's functions, no function reset, D3cold" {
    iomem 0000:01:00.0 BOOTFB simpledrm
    check 0000:01:00.0
    read -r s e < <(bar0 0000:01:00.0)
    fe=$(printf '%x' $((0x$s + 0x2fffff < 0x$e ? 0x$s + 0x2fffff : 0x$e)))
    assert_equal "$(display 0000:01:00.0)" "WARN display.boot_vga the boot VGA device: the firmware ran its ROM and the host's console uses it; on x86, VFIO's ROM region is the firmware's shadow copy at 0xc0000, not the ROM BAR
NOTE display.framebuffer firmware framebuffer BOOTFB, simpledrm [mem 0x$s-0x$fe] in BAR0 [mem 0x$s-0x$e]: vfio-pci removes it when it binds this VGA device (Linux 6.0+), and the host loses that console
NOTE display.function slot function 0000:01:00.1 (HDMI/DP audio, on snd_hda_intel) is in its IOMMU group 3: the group plan binds it too (vfio-admin bind --group)
NOTE display.function slot function 0000:01:00.2 (USB controller, on xhci_hcd) is in IOMMU group 4, apart from it: the group plan leaves it; bind it too (vfio-admin bind 0000:01:00.2)
NOTE display.function slot function 0000:01:00.3 (USB-C controller (UCSI), on nvidia-gpu) is in IOMMU group 5, apart from it: the group plan leaves it; bind it too (vfio-admin bind 0000:01:00.3)
NOTE display.reset no function reset (none): the kernel resets a bus for one function only while it is alone there, so VFIO can reset it only with a hot reset of the whole bus (VFIO_DEVICE_PCI_HOT_RESET), which needs one user to hold every function on it
NOTE display.d3cold D3cold allowed: idle on vfio-pci, runtime PM may cut its power where the platform can (now D0)"
    [[ $(hint display.framebuffer 0000:01:00.0) == "initcall_blacklist=sysfb_init on the kernel command line keeps sysfb from creating it (video=efifb:off does not free it: simpledrm or simplefb, not efifb, drives it, and unbinding that driver leaves the BOOTFB region)" ]]
    [[ $(hint display.d3cold 0000:01:00.0) == "if it does not come back: echo 0 > /sys/bus/pci/devices/0000:01:00.0/d3cold_allowed, or vfio-pci's disable_idle_d3=1" ]]
    assert_jq '.devices[0].bind == ["0000:01:00.0", "0000:01:00.1"]'
}

@test "framebuffer, by kernel and owner: before 6.0 a WARN with the fix; efifb's own fix; a non-VGA display; still there on vfio-pci" {
    iomem 0000:01:00.0 BOOTFB simpledrm
    echo 5.15.0-91-generic >"$PROC/sys/kernel/osrelease"
    check 0000:01:00.0
    assert_equal "$(display 0000:01:00.0 | grep framebuffer | cut -d' ' -f1-2)" "WARN display.framebuffer"
    assert_regex "$(display 0000:01:00.0 | grep framebuffer)" \
        ': vfio-pci cannot reserve BAR0 while it is there \(the kernel logs "BAR 0: can.t reserve"\); this kernel.s vfio-pci does not remove it \(Linux before 6.0\)$'
    [[ $(hint display.framebuffer 0000:01:00.0) == initcall_blacklist=sysfb_init* ]]

    iomem 0000:01:00.0 efifb
    check 0000:01:00.0
    [[ $(hint display.framebuffer 0000:01:00.0) == "video=efifb:off on the kernel command line, or now: echo efi-framebuffer.0 > /sys/bus/platform/drivers/efi-framebuffer/unbind" ]]

    # A 3D controller (0302) on vfio-pci with efidrm in its BAR: no boot_vga dance, still there.
    rm "$(readlink -f "$SYS/bus/pci/devices/0000:02:00.0")/boot_vga"
    iomem 0000:02:00.0 efidrm
    echo 7.2.13+deb14-amd64 >"$PROC/sys/kernel/osrelease"
    check 0000:02:00.0
    assert_regex "$(display 0000:02:00.0 | sed -n 1,2p)" "^NOTE display.boot_vga not a VGA device \(class 030200\): no legacy VGA, no boot_vga
WARN display.framebuffer firmware framebuffer efidrm \[mem 0x[0-9a-f]+-0x[0-9a-f]+\] in BAR0 \[mem 0x[0-9a-f]+-0x[0-9a-f]+\], still there with the device on vfio-pci: a guest's driver cannot have that memory$"
    [[ $(hint display.framebuffer 0000:02:00.0) == *"echo efi-framebuffer.0 > /sys/bus/platform/drivers/efidrm/unbind" ]]

    # The same, driverless: vfio-pci would not remove it (not a VGA device).
    rm "$(readlink -f "$SYS/bus/pci/devices/0000:02:00.0")/driver"
    check 0000:02:00.0
    assert_regex "$(display 0000:02:00.0 | grep framebuffer)" "vfio-pci removes firmware framebuffers of VGA devices \(class 0300\) only$"
}

@test "framebuffer elsewhere, addresses hidden from non-root, /proc/iomem unreadable" {
    printf '80000000-802fffff : BOOTFB\n' >"$PROC/iomem"
    check 0000:01:00.0
    assert_equal "$(display 0000:01:00.0 | grep framebuffer)" "PASS display.framebuffer no firmware framebuffer in its BARs"
    printf '00000000-00000000 : PCI Bus 0000:00\n  00000000-00000000 : BOOTFB\n' >"$PROC/iomem"
    check 0000:01:00.0
    assert_equal "$(display 0000:01:00.0 | grep framebuffer)" \
        "NOTE display.framebuffer firmware framebuffer unknown: /proc/iomem shows addresses to root only"
    rm "$PROC/iomem"
    check 0000:01:00.0
    assert_equal "$(display 0000:01:00.0 | grep framebuffer)" \
        "NOTE display.framebuffer firmware framebuffer unknown: /proc/iomem is unreadable"
}

@test "reset methods between guests, D3cold and vfio-pci's disable_idle_d3; the slot's functions on vfio-pci" {
    local gpu
    gpu=$(readlink -f "$SYS/bus/pci/devices/0000:01:00.0")
    while IFS='|' read -r methods want; do
        printf '%s\n' "$methods" >"$gpu/reset_method"
        check 0000:01:00.0
        assert_equal "$(display 0000:01:00.0 | grep display.reset)" "$want"
    done <<'EOF'
flr bus|PASS display.reset function level reset (flr bus): VFIO resets the GPU between guests
device_specific|PASS display.reset a device-specific reset, a kernel quirk (device_specific): VFIO resets the GPU between guests
bus|NOTE display.reset no function reset (bus): the kernel resets a bus for one function only while it is alone there, so VFIO can reset it only with a hot reset of the whole bus (VFIO_DEVICE_PCI_HOT_RESET), which needs one user to hold every function on it
pm|WARN display.reset only pm: a PM reset (D3hot to D0) leaves many GPUs' state as it was (No_Soft_Reset), so the next guest may find the last one's
EOF
    # No reset_method file: 5.15+ hides it when there is no method; alone on the root bus, none at all.
    rm "$gpu/reset_method"
    echo 5.10.0-28-amd64 >"$PROC/sys/kernel/osrelease"
    check 0000:01:00.0
    assert_equal "$(display 0000:01:00.0 | grep display.reset)" ""
    echo 6.12.118+deb12-amd64 >"$PROC/sys/kernel/osrelease"
    check 0000:00:03.0 0000:02:00.0
    assert_equal "$(display 0000:02:00.0 | grep display.reset)" \
        "WARN display.reset no reset method: VFIO cannot reset it, so a guest's state stays in the GPU for the next guest (or the same one rebooted), whose driver may fail to start it"
    echo 0 >"$gpu/d3cold_allowed"
    check 0000:01:00.0
    assert_equal "$(display 0000:01:00.0 | grep d3cold)" \
        "NOTE display.d3cold D3cold not allowed (d3cold_allowed 0): the GPU stays powered while idle (now D0)"
    mkdir -p "$SYS/module/vfio_pci/parameters"
    echo Y >"$SYS/module/vfio_pci/parameters/disable_idle_d3"
    check 0000:01:00.0
    assert_equal "$(display 0000:01:00.0 | grep d3cold)" \
        "NOTE display.d3cold vfio-pci keeps idle devices in D0 (disable_idle_d3=Y) (now D0)"

    # Every function on vfio-pci: each a PASS; a bus reset alone below its port is enough.
    for f in 0 1 2 3; do
        ln -sfn "$(readlink -f "$SYS/bus/pci/drivers/vfio-pci")" "$(readlink -f "$SYS/bus/pci/devices/0000:01:00.$f")/driver"
    done
    check 0000:01:00.0
    assert_equal "$(display 0000:01:00.0 | grep display.function)" \
        "PASS display.function slot function 0000:01:00.1 (HDMI/DP audio) is on vfio-pci too
PASS display.function slot function 0000:01:00.2 (USB controller) is on vfio-pci too
PASS display.function slot function 0000:01:00.3 (USB-C controller (UCSI)) is on vfio-pci too"
}

@test "not a display device: no display finding; text output names them" {
    check 0000:00:03.0
    assert_equal "$(display 0000:00:03.0)" ""
    VFIO_TOOLS_SYSFS=$SYS VFIO_TOOLS_PROC=$PROC VFIO_TOOLS_DEV=$BATS_TEST_TMPDIR/dev \
        run --separate-stderr "$ADMIN" check 0000:01:00.0
    assert_line --regexp '^WARN +0000:01:00.0: the boot VGA device: '
    assert_line --regexp '^NOTE +0000:01:00.0: slot function 0000:01:00.1 \(HDMI/DP audio, on snd_hda_intel\)'
}
