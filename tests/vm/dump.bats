#!/usr/bin/env bats
# vfio-dump against the kernel's VFIO, on the dump topology (an edu, an
# e1000e and an nvme, each alone below a root port) under intel-iommu,
# virtio-iommu and AMD-Vi (no test needs the devices' DMA, which QEMU 7.2's
# amd-iommu loses behind a root port: tests/vm/README.md). What VFIO reports is compared with what lspci reads from
# sysfs and with what the kernel publishes in sysfs:
#   1. refusals before binding (not bound, bad address, no such device), then
#      bind all three;
#   2. edu: info, regions, read (pread and mmap), irqs, write refusals;
#   3. config -xxx equals lspci -xxx outside the bytes --diff-sysfs lists, and
#      the decoded capability lists equal lspci -vvv's, for all three;
#   4. e1000e and nvme: MSI-X in config, irqs and regions;
#   5. iommu: the IOVA ranges are the complement of the group's reserved
#      regions; page sizes as the IOMMU gives them;
#   6. errors through VFIO: busy group (holder named), bad region and windows;
#      then restore.
# The tests run in order: 1 binds, 6 restores.
load common

DUMP=${VFIO_TOOLS_BIN:-$BATS_TEST_DIRNAME/../../build}/vfio-dump
EDU=0000:01:00.0
NIC=0000:02:00.0 # e1000e 8086:10d3
NVME=0000:03:00.0 # nvme 1b36:0010

# One line on stderr starting "vfio-dump: ", nothing on stdout, exit 2.
assert_dump_error() { # REGEX
	assert_equal "$status" 2
	assert_equal "${#lines[@]}" 1
	assert_line --index 0 --regexp "^vfio-dump: $1"
}

@test "before binding: not bound, bad address, no such device: one line, exit 2; then bind" {
	run "$DUMP" info "$EDU"
	assert_dump_error "$EDU: not bound to vfio-pci: it has no driver; run 'vfio-admin bind $EDU' first\$"
	run "$DUMP" config 0000:00:04.0
	assert_dump_error "0000:00:04.0: not bound to vfio-pci: its driver is pcieport; run 'vfio-admin bind 0000:00:04.0' first\$"
	run "$DUMP" regions 01:00.9
	assert_dump_error "01:00.9: invalid PCI address: "
	run "$DUMP" irqs 0000:42:00.0
	assert_dump_error "0000:42:00.0: no such PCI device"
	run "$ADMIN" bind "$EDU" "$NIC" "$NVME"
	assert_success
}

@test "edu: info, regions, read through pread and mmap, irqs; write needs --force" {
	run "$DUMP" info --json "$EDU"
	assert_success
	group=$(basename "$(readlink "/sys/bus/pci/devices/$EDU/iommu_group")")
	assert_equal "$(jq -c '[.device, .backend, .group, .flags, .flag_names, .num_regions, .num_irqs]' <<<"$output")" \
		"[\"$EDU\",\"group\",$group,3,\"PCI RESET\",9,5]"

	run "$DUMP" regions --json "$EDU"
	assert_success
	assert_equal "$(jq -c '.regions[] | select(.available and .size > 0) | [.name, .size, .flag_names]' <<<"$output")" \
		'["BAR0",1048576,"R W MMAP"]
["CONFIG",256,"R W"]'
	assert_equal "$(jq -c '[.regions[8].name, .regions[8].available]' <<<"$output")" '["VGA",false]'
	run "$DUMP" bars "$EDU"
	assert_success
	assert_line --regexp '^ +0 BAR0 +0x100000 +0x0 R W MMAP'

	run "$DUMP" read "$EDU" BAR0 0 4 --width 4
	assert_success
	assert_output '00000000: 010000ed'
	run "$DUMP" read "$EDU" bar0 0 8 --mmap
	assert_success
	assert_output '00000000: ed 00 00 01 00 00 00 00'
	run "$DUMP" read --json "$EDU" 0 0 4 --width 4 --mmap
	assert_equal "$(jq -c '[.region, .access, .values]' <<<"$output")" '["BAR0","mmap",["0x10000ed"]]'

	run "$DUMP" irqs --json "$EDU"
	assert_success
	assert_equal "$(jq -c '.irqs[] | [.name, .available, .count, .flag_names]' <<<"$output")" \
		'["INTX",true,1,"EVENTFD MASKABLE AUTOMASKED"]
["MSI",true,1,"EVENTFD NORESIZE"]
["MSIX",true,0,"EVENTFD NORESIZE"]
["ERR",false,null,null]
["REQ",true,1,"EVENTFD NORESIZE"]'

	run "$DUMP" write "$EDU" BAR0 4 0x12345678 --width 4
	assert_dump_error 'vfio-dump write: refusing to write without --force'
	run "$DUMP" write --force "$EDU" BAR0 4 0x12345678
	assert_dump_error 'vfio-dump write: --width is required'
	run "$DUMP" write --force --width 4 "$EDU" BAR0 4 0x12345678
	assert_success
	assert_output "$EDU BAR0 0x4: wrote 0x12345678 (4 bytes, pwrite)"
}

# The hex bytes of `lspci -xxx` for ADDR, one string.
lspci_hex() { # ADDR
	local line hex=''
	while read -r line; do
		[[ $line =~ ^[0-9a-f]+:\ (.*)$ ]] && hex+=${BASH_REMATCH[1]// /}
	done < <(lspci -xxx -s "$1")
	echo "$hex"
}

# "OFFSET NAME" per capability of `lspci -vvv` for ADDR (the name up to the
# first ':' or ' (' or a digit-led detail, as vfio-dump words it).
lspci_caps() { # ADDR
	local line off rest
	while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]+Capabilities:\ \[([0-9a-f]+)(\ v[0-9]+)?\]\ (.*)$ ]] || continue
		off=$((16#${BASH_REMATCH[1]}))
		rest=${BASH_REMATCH[3]}
		echo "$off $rest"
	done < <(lspci -vvv -s "$1")
}

# config -xxx through VFIO equals lspci -xxx outside the listed bytes, and
# each capability's offset and name start lspci's line.
check_config() { # ADDR
	local addr=$1 ours theirs i diffs=() caps_ours caps_lspci n
	run "$DUMP" config -xxx --diff-sysfs --json "$addr"
	assert_success
	ours=$(jq -r .bytes <<<"$output")
	# Besides those: vfio-pci puts an idle device in D3hot (its disable_idle_d3
	# parameter), so lspci, which runs while nobody holds it, reads the power
	# state at PM+4 as 3 where vfio-dump, holding it, reads 0 (D0).
	mapfile -t diffs < <(jq -r '.differences[].offset, (.capabilities[] | select(.name == "Power Management") | .offset + 4)' <<<"$output")
	caps_ours=$(jq -r '.capabilities[] | "\(.offset) \(.name)"' <<<"$output")
	theirs=$(lspci_hex "$addr")
	assert_equal "${#ours}" 512
	for i in "${diffs[@]}"; do # blank out the bytes VFIO virtualizes
		ours=${ours:0:i*2}xx${ours:i*2+2}
		theirs=${theirs:0:i*2}xx${theirs:i*2+2}
	done
	assert_equal "$ours" "$theirs"
	caps_lspci=$(lspci_caps "$addr")
	assert_equal "$(wc -l <<<"$caps_ours")" "$(wc -l <<<"$caps_lspci")"
	n=0
	while read -r off name; do
		n=$((n + 1))
		assert_regex "$(sed -n "${n}p" <<<"$caps_lspci")" "^$off ${name//[()]/.}"
	done <<<"$caps_ours"
}

@test "config -xxx equals lspci -xxx but for --diff-sysfs' bytes; capability lists equal lspci -vvv's (edu, e1000e, nvme)" {
	check_config "$EDU"
	check_config "$NIC"
	check_config "$NVME"
	run "$DUMP" config "$NIC"
	assert_success
	assert_line --regexp '^  \[a0\] MSI-X: enable- count=5 '
	assert_line --regexp '^  \[100 v2\] Advanced Error Reporting: '
	assert_line --regexp '^  \[140 v1\] Device Serial Number: serial=52-54-00-'
	run "$DUMP" config -x "$EDU"
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 --regexp '^00: 34 12 e8 11 '
}

# MSI-X: the count in config equals the MSIX irq count and lspci's; the
# table's BAR is mmappable (MSIX_MAPPABLE) and regions shows table and PBA.
check_msix() { # ADDR
	local addr=$1 count bar
	count=$(lspci -vvv -s "$addr" | sed -n 's/.*MSI-X: Enable[-+] Count=\([0-9]*\).*/\1/p')
	run "$DUMP" config --json "$addr"
	assert_equal "$(jq '.capabilities[] | select(.name == "MSI-X") | .fields.count' <<<"$output")" "$count"
	bar=$(jq '.capabilities[] | select(.name == "MSI-X") | .fields.table_bar' <<<"$output")
	run "$DUMP" irqs --json "$addr"
	assert_equal "$(jq '.irqs[2] | [.name, .count] | @text' <<<"$output")" "\"[\\\"MSIX\\\",$count]\""
	run "$DUMP" regions --json "$addr"
	assert_equal "$(jq -c ".regions[$bar] | [.msix_mappable, .msix.entries, .msix.table_size, (.flag_names | test(\"MMAP\"))]" <<<"$output")" \
		"[true,$count,$((count * 16)),true]"
	run "$DUMP" regions "$addr"
	assert_line --regexp "^ +$bar BAR$bar .*MSI-X mappable; MSI-X table 0x[0-9a-f]+\+0x$(printf %x $((count * 16)))"
}

@test "e1000e and nvme: MSI-X agrees in config, irqs, regions and lspci; vfio-bench irq delivers MSI-X" {
	check_msix "$NIC"
	check_msix "$NVME"
	run "$DUMP" info --json "$NVME"
	assert_equal "$(jq -c '[.flag_names, .num_regions]' <<<"$output")" '["PCI RESET",9]'
	# MSI-X through VFIO's loopback trigger (the edu has no MSI-X): every
	# interrupt arrives.
	run "${ADMIN%/*}/vfio-bench" irq "$NVME" --type msix -n 50 --json
	assert_success
	assert_equal "$(jq -c '[.run.interrupt, .run.triggers_sent, .run.interrupts_received, .results[0].count]' <<<"$output")" \
		'["msix","50","50",50]'
}

@test "iommu: the IOVA ranges are the complement of the group's reserved regions" {
	local group start end type want=() got prev=0 sizes
	group=$(basename "$(readlink "/sys/bus/pci/devices/$EDU/iommu_group")")
	run "$DUMP" iommu --json "$EDU"
	assert_success
	assert_equal "$(jq -r .iommu_type <<<"$output")" type1v2
	case $LAB_IOMMU in
	intel) assert_equal "$(jq -r '[.page_sizes, .page_size_names, .dma_available] | @text' <<<"$output")" '["0x40201000","4K 2M 1G",65535]' ;;
	virtio) assert_equal "$(jq -r .page_sizes <<<"$output")" 0xfffffffffffff000 ;;
	# AMD-Vi v1 page tables: every power of two from 4K but 512G (0x8000000000),
	# up to 2P on 6.12 and up to 64T on 7.2.
	amd) case $LAB_KERNEL in
		6.*) sizes='["0xfff7ffffff000","4K..256G 1T..2P",65535]' ;;
		*) sizes='["0x7f7ffffff000","4K..256G 1T..64T",65535]' ;;
		esac
		assert_equal "$(jq -r '[.page_sizes, .page_size_names, .dma_available] | @text' <<<"$output")" "$sizes" ;;
	esac
	got=$(jq -r '.iova_ranges[] | "\(.start) \(.end)"' <<<"$output")
	while read -r start end type; do
		[[ $type == direct-relaxable ]] && continue
		want+=("$(printf '0x%x 0x%x' "$prev" $((start - 1)))")
		prev=$((end + 1))
	done <"/sys/kernel/iommu_groups/$group/reserved_regions"
	assert_equal "$(printf '%s\n' "${want[@]}")" "$(head -n ${#want[@]} <<<"$got")"
	assert_regex "$(tail -1 <<<"$got")" "^$(printf '0x%x' "$prev") 0x[0-9a-f]+\$"
	run "$DUMP" iommu "$NVME"
	assert_success
	assert_line --regexp '^iommu +type1v2 \(group [0-9]+\)$'
}

@test "errors through VFIO: a held group names its holder; bad regions and windows; restore" {
	local group
	group=$(basename "$(readlink "/sys/bus/pci/devices/$EDU/iommu_group")")
	exec 7<>"/dev/vfio/$group"
	run "$DUMP" info "$EDU"
	exec 7<&-
	assert_dump_error "$EDU: device busy: pid $BASHPID \(bash\) has /dev/vfio/$group open"
	run "$DUMP" info "$EDU"
	assert_success
	run "$DUMP" read "$EDU" 9 0 4
	assert_dump_error "9: region index out of range: $EDU has 9 regions \(0\.\.8\)"
	run "$DUMP" read "$EDU" BAR2 0 4
	assert_dump_error 'BAR2: region not available: its size is 0'
	run "$DUMP" read "$EDU" BAR0 0xffffc 8
	assert_dump_error "BAR0: access past the region's end: 0xffffc\+0x8, the region is 0x100000 bytes"
	run "$DUMP" read "$EDU" config 0 2 --mmap
	assert_dump_error 'CONFIG: --mmap refused: VFIO does not allow mmap of this region'
	run "$DUMP" read "$EDU" BAR0 2 4 --width 4
	assert_dump_error 'BAR0: misaligned access'
	run "$ADMIN" restore
	assert_success
}
