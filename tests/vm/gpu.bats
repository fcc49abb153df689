#!/usr/bin/env bats
# The gpu topology (two of QEMU's VGA devices; the second below a root port with an HDA
# function beside it), any kernel:
#   1. the shapes: 1234:1111 class 030000, the boot VGA device, the groups;
#   2. check's display findings before binding: boot VGA, no firmware framebuffer (the
#      guest boots in VGA text mode), the HDA function in the group plan, reset, D3cold;
#   3. bind --group the second VGA: vfio-dump rom reads its ROM BAR through VFIO, which
#      equals over its length the file QEMU loaded (SeaBIOS's vgabios-stdvga.bin, seen
#      through the 9p root), text, JSON and -o; check names the HDA function on vfio-pci;
#   4. the boot VGA: bind needs --force; VFIO's ROM region is the firmware's shadow copy
#      (128 KiB at 0xc0000);
#   5. restore, without --force: on vfio-pci the host no longer displays on the boot VGA.
# The tests run in order: 3 binds, 5 restores.
load common

BOOT=0000:00:02.0
VGA=0000:01:00.0
HDA=0000:01:00.1
ROMFILE=/usr/share/seabios/vgabios-stdvga.bin

# No edu here: common's setup wants one.
setup() {
	[[ -f ${LAB_TOPOLOGY:-} ]] || fail "LAB_TOPOLOGY is unset: run this file with tests/vm/run-tests"
	[[ -x $ADMIN ]] || fail "no $ADMIN: build the tools first (make)"
}

attr() { # ADDR NAME: the sysfs attribute's first line, or "-" when absent
	local v=-
	[[ -e /sys/bus/pci/devices/$1/$2 ]] && read -r v <"/sys/bus/pci/devices/$1/$2"
	echo "$v"
}

driver_of() { # ADDR
	local d=/sys/bus/pci/devices/$1/driver
	if [[ -e $d ]]; then
		d=$(readlink "$d")
		echo "${d##*/}"
	else
		echo none
	fi
}

# "LEVEL id message" of ADDR's display.* findings in $output, one a line.
display() { # ADDR
	jq -r --arg s "$1" '.findings[] | select(.subject == $s and (.id | startswith("display."))) |
		"\(.level) \(.id) \(.message)"' <<<"$output"
}

@test "the shapes: two VGA functions 1234:1111 (class 030000), the first the boot VGA device; the groups of the topology" {
	local a g want got
	for a in "$BOOT" "$VGA"; do
		assert_equal "$(attr "$a" vendor):$(attr "$a" device) $(attr "$a" class)" "0x1234:0x1111 0x030000"
	done
	assert_equal "$(attr "$HDA" class)" 0x040300
	assert_equal "$(attr "$BOOT" boot_vga) $(attr "$VGA" boot_vga)" "1 0"
	while read -r want; do
		g=$(readlink "/sys/bus/pci/devices/${want%% *}/iommu_group")
		got=$(cd "/sys/kernel/iommu_groups/${g##*/}/devices" && echo *)
		assert_equal "$got" "$want"
	done < <(topology_lines group)
	[[ -f $ROMFILE ]] || fail "no $ROMFILE: QEMU's VGA ROM (the seabios package) must be on the host"
}

@test "check before binding: boot VGA, no framebuffer in the BARs, the HDA function in the group plan, reset, D3cold" {
	local group methods
	# Linux lists "bus" when it probed function 0 before function 1 appeared
	methods=$(attr "$VGA" reset_method)
	[[ $methods != - ]] || methods=none
	group=$(readlink "/sys/bus/pci/devices/$VGA/iommu_group")
	group=${group##*/}
	run "$ADMIN" check --json "$BOOT" "$VGA"
	[[ $status == 0 || $status == 1 ]] || fail "check: exit $status: $output"
	echo "# $BOOT: $(display "$BOOT" | tr '\n' '|')" >&3
	echo "# $VGA: $(display "$VGA" | tr '\n' '|')" >&3
	assert_equal "$(display "$BOOT" | sed -n 1,2p)" "WARN display.boot_vga the boot VGA device: the firmware ran its ROM and the host's console uses it; on x86, VFIO's ROM region is the firmware's shadow copy at 0xc0000, not the ROM BAR
PASS display.framebuffer no firmware framebuffer in its BARs"
	# On the root bus, no FLR or PM capability: no reset at all.
	assert_equal "$(display "$BOOT" | grep display.reset)" \
		"WARN display.reset no reset method: VFIO cannot reset it, so a guest's state stays in the GPU for the next guest (or the same one rebooted), whose driver may fail to start it"
	assert_equal "$(display "$VGA" | grep -v display.d3cold)" "PASS display.boot_vga not the boot VGA device
PASS display.framebuffer no firmware framebuffer in its BARs
NOTE display.function slot function $HDA (HDMI/DP audio, on no driver) is in its IOMMU group $group: the group plan binds it too (vfio-admin bind --group)
NOTE display.reset no function reset ($methods): the kernel resets a bus for one function only while it is alone there, so VFIO can reset it only with a hot reset of the whole bus (VFIO_DEVICE_PCI_HOT_RESET), which needs one user to hold every function on it"
	if [[ $(attr "$VGA" d3cold_allowed) == 0 ]]; then
		assert_regex "$(display "$VGA" | grep display.d3cold)" '^NOTE display.d3cold D3cold not allowed \(d3cold_allowed 0\): the GPU stays powered while idle'
	else
		assert_regex "$(display "$VGA" | grep display.d3cold)" '^NOTE display.d3cold D3cold allowed: idle on vfio-pci, runtime PM may cut its power'
	fi
	assert_equal "$(jq -c --arg a "$VGA" '.devices[] | select(.address == $a) | .bind' <<<"$output")" "[\"$VGA\",\"$HDA\"]"
}

@test "bind --group; vfio-dump rom: the ROM BAR through VFIO equals vgabios-stdvga.bin over its length; -o; JSON; check" {
	local size
	size=$(stat -c %s "$ROMFILE")
	run "$ADMIN" bind --group "$VGA"
	assert_success
	assert_equal "$(driver_of "$VGA") $(driver_of "$HDA")" "vfio-pci vfio-pci"

	run "$DUMP" rom -o "$BATS_TEST_TMPDIR/vga.rom" "$VGA"
	assert_success
	assert_output "$VGA: expansion ROM through VFIO: region 64 KiB (0x10000), 1 image, 0x$(printf %x "$size") bytes
image 0 at 0x0: x86 BIOS, 0x$(printf %x "$size") bytes ($((size / 512)) x 512), last image
  ids       1234:1111, class 030000, code revision 0x0001
  PCIR      at 0x99dc, revision 0, length 24
  checksum  valid (the bytes sum to 0x00)
wrote 0x$(printf %x "$size") bytes to $BATS_TEST_TMPDIR/vga.rom"
	cmp "$BATS_TEST_TMPDIR/vga.rom" "$ROMFILE"

	# Through the group backend by name, JSON: read no further than the image.
	run "$DUMP" rom --json --backend group "$VGA"
	assert_success
	assert_equal "$(jq -c '[.backend, .region_size, .read_length, .total_length, .complete, .problem, (.images | length), .images[0].checksum.valid]' <<<"$output")" \
		"[\"group\",65536,$size,$size,true,null,1,true]"

	# The whole ROM BAR through vfio-dump read: past the image, VFIO reads 0xff.
	run "$DUMP" read "$VGA" ROM "$size" 16
	assert_success
	assert_output "$(printf '%08x: ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff' "$size")"

	run "$ADMIN" check --json "$VGA"
	assert_equal "$(display "$VGA" | grep display.function)" "PASS display.function slot function $HDA (HDMI/DP audio) is on vfio-pci too"
}

@test "the boot VGA: bind wants --force; through VFIO its ROM region is the firmware's 128 KiB shadow copy of SeaBIOS's image" {
	run "$ADMIN" bind "$BOOT"
	assert_failure 1
	assert_output "vfio-admin: $BOOT: in use by the host: boot VGA device: the firmware and the host console display on it; --force overrides"
	assert_equal "$(driver_of "$BOOT")" none
	run "$ADMIN" bind --force "$BOOT"
	assert_success
	run "$DUMP" rom --json "$BOOT"
	assert_success
	echo "# $BOOT shadow ROM: $(jq -c '{region_size, total_length, complete, problem, images: [.images[] | {length, checksum}]}' <<<"$output")" >&3
	assert_equal "$(jq -c '[.region_size, .images[0].vendor_id, .images[0].device_id, .images[0].code_type_name]' <<<"$output")" \
		'[131072,"1234","1111","x86 BIOS"]'
	run "$ADMIN" check --json "$BOOT"
	assert_equal "$(display "$BOOT" | sed -n 1p | cut -d' ' -f1-2)" "WARN display.boot_vga"
}

@test "restore: every function back to no driver, no record (the boot VGA without --force: on vfio-pci the host does not display on it)" {
	run "$ADMIN" restore
	assert_success
	assert_equal "$(driver_of "$BOOT") $(driver_of "$VGA") $(driver_of "$HDA")" "none none none"
	[[ ! -e /run/vfio-tools/$VGA ]]
}
