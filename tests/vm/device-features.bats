#!/usr/bin/env bats
# vfio-dump info's device features: what VFIO_DEVICE_FEATURE_PROBE says the
# edu on vfio-pci offers, through the group backend and, where /dev/iommu
# exists (the lab's iommufd kernels), the cdev. Runs on every lab kernel
# (topology iommufd); what the kernel's version decides:
#   - LOW_POWER_ENTRY, _WITH_WAKEUP and _EXIT (6.0): SET only, everywhere;
#   - MIGRATION and the rest of migration and dirty tracking: never (the edu
#     has no variant driver);
#   - DMA_BUF (6.19): GET where vfio-pci has CONFIG_VFIO_PCI_DMABUF, read from
#     the kernel's config; "needs Linux 6.19" before;
#   - MIG_PRECOPY_INFOv2 (7.1): EINVAL both ways (the edu does not migrate),
#     "needs Linux 7.1" before.
# An mtty instance (iommufd kernels: the sample built in) migrates: MIGRATION
# (STOP_COPY P2P PRE_COPY, state RUNNING), dirty tracking, and from 7.1
# MIG_PRECOPY_INFOv2; no low power.
load common
bats_require_minimum_version 1.5.0

EDU=0000:01:00.0
NAMES='["PCI_VF_TOKEN","MIGRATION","MIG_DEVICE_STATE","LOW_POWER_ENTRY","LOW_POWER_ENTRY_WITH_WAKEUP","LOW_POWER_EXIT","DMA_LOGGING_START","DMA_LOGGING_STOP","DMA_LOGGING_REPORT","MIG_DATA_SIZE","BUS_MASTER","DMA_BUF","MIG_PRECOPY_INFOv2"]'
VARIANT="the device's driver does not offer it (a variant driver provides it; vfio-pci does not)"
read -r RELEASE </proc/sys/kernel/osrelease

# True when the running kernel is at least MAJOR.MINOR.
kernel_at_least() { # MAJOR.MINOR
	local major minor
	IFS=. read -r major minor _ <<<"$RELEASE"
	minor=${minor%%[!0-9]*}
	((major > ${1%.*} || (major == ${1%.*} && minor >= ${1#*.})))
}

# Whether the running kernel's vfio-pci has CONFIG_VFIO_PCI_DMABUF: its
# vfio_pci_core_feature_dma_buf among the symbols of a vfio-pci-core that is
# there (loaded or built in), else the kernel's config (the lab's kernels
# built by kernel-build have neither kallsyms nor IKCONFIG: their config lies
# in the kernel's cache directory, above the modules the lab binds in); fails
# the test when neither can tell.
dmabuf_built() {
	local f kdir=/nonexistent
	if [[ -r /proc/kallsyms ]] && grep -qw vfio_pci_core_ioctl_feature /proc/kallsyms; then
		grep -qw vfio_pci_core_feature_dma_buf /proc/kallsyms
		return
	fi
	# shellcheck disable=SC1091 # written by tests/vm/lab
	[[ -r ${LAB_RUN:-}/env ]] && kdir=$(. "$LAB_RUN/env" && echo "${LAB_MODULES%/kroot/lib/modules/*}")
	for f in "/lib/modules/$RELEASE/config" "/usr/lib/modules/$RELEASE/config" "/boot/config-$RELEASE" "$kdir/config"; do
		[[ -r $f ]] || continue
		grep -qx 'CONFIG_VFIO_PCI_DMABUF=y' "$f"
		return
	done
	if [[ -r /proc/config.gz ]]; then
		zcat /proc/config.gz | grep -qx 'CONFIG_VFIO_PCI_DMABUF=y'
		return
	fi
	fail "no kernel config for $RELEASE: cannot tell whether vfio-pci has CONFIG_VFIO_PCI_DMABUF"
}

# The text line vfio-dump info prints for a feature.
feature_line() { # NAME DIRECTIONS TEXT
	printf '  %-28s %-8s %s' "$1" "$2" "$3"
}

# "NAME get set supported reason" for one feature of info --json's output.
feature_json() { # NAME
	jq -r --arg n "$1" '.features[] | select(.name == $n) | "\(.name) \(.get) \(.set) \(.supported) \(.reason)"' <<<"$output"
}

@test "bind the edu: vfio-dump info lists its features, the same through the group and (where /dev/iommu is) the cdev" {
	local backends=(group) b features=''
	[[ -c /dev/iommu ]] && backends+=(iommufd)
	run "$ADMIN" bind "$EDU"
	assert_success
	for b in "${backends[@]}"; do
		run "$DUMP" info --json --backend "$b" "$EDU"
		assert_success
		assert_equal "$(jq -c '[.features[].name]' <<<"$output")" "$NAMES"
		assert_equal "$(jq -c '[.features[].number]' <<<"$output")" '[0,1,2,3,4,5,6,7,8,9,10,11,12]'
		assert_equal "$(jq -c '[.features[] | select(.supported) | .reason] | unique' <<<"$output")" '[null]'
		assert_equal "$(jq -r .kernel_release <<<"$output")" "$RELEASE"
		if [[ -n $features ]]; then
			assert_equal "$(jq -c .features <<<"$output")" "$features"
		fi
		features=$(jq -c .features <<<"$output")
	done
}

@test "vfio-pci offers low power, SET only; no migration, dirty tracking, VF token or bus master" {
	local name
	run "$DUMP" info --json "$EDU"
	assert_success
	for name in LOW_POWER_ENTRY LOW_POWER_ENTRY_WITH_WAKEUP LOW_POWER_EXIT; do
		assert_equal "$(feature_json "$name")" "$name false true true null"
	done
	for name in MIGRATION MIG_DEVICE_STATE MIG_DATA_SIZE; do
		assert_equal "$(feature_json "$name")" "$name false false false $VARIANT"
	done
	for name in DMA_LOGGING_START DMA_LOGGING_STOP DMA_LOGGING_REPORT; do
		assert_equal "$(feature_json "$name")" "$name false false false the device's driver does not offer it (variant drivers that log DMA in the device offer it, such as mlx5 and pds; vfio-pci does not)"
	done
	assert_equal "$(feature_json PCI_VF_TOKEN)" "PCI_VF_TOKEN false false false the device's driver does not offer it (vfio-pci offers it on an SR-IOV PF)"
	assert_equal "$(feature_json BUS_MASTER)" "BUS_MASTER false false false the device's driver does not offer it (only vfio-cdx offers it: PCI devices use their config space)"
	assert_equal "$(jq -c .migration <<<"$output")" null
	run "$DUMP" info "$EDU"
	assert_success
	assert_line "features      VFIO_DEVICE_FEATURE probes (Linux $RELEASE)"
	assert_line "$(feature_line LOW_POWER_ENTRY SET 'let the device go to a low-power state while idle (runtime PM)')"
	assert_line "$(feature_line MIGRATION - "not offered: $VARIANT")"
}

@test "DMA_BUF: GET from 6.19 where vfio-pci has CONFIG_VFIO_PCI_DMABUF, else why not; MIG_PRECOPY_INFOv2 from 7.1" {
	local meaning='export slices of a BAR as dma-bufs (peer-to-peer DMA)'
	run "$DUMP" info --json "$EDU"
	assert_success
	if ! kernel_at_least 6.19; then
		assert_equal "$(feature_json DMA_BUF)" "DMA_BUF false false false needs Linux 6.19 (this kernel is $RELEASE)"
	elif dmabuf_built; then
		assert_equal "$(feature_json DMA_BUF)" "DMA_BUF true false true null"
	else
		assert_equal "$(feature_json DMA_BUF)" "DMA_BUF false false false the device's driver does not offer it (vfio-pci offers it when the kernel has CONFIG_VFIO_PCI_DMABUF, which needs PCI_P2PDMA)"
	fi
	if kernel_at_least 7.1; then
		assert_equal "$(feature_json MIG_PRECOPY_INFOv2)" "MIG_PRECOPY_INFOv2 false false false EINVAL for GET and SET: the kernel has it, not for this device (offered to devices that migrate with PRE_COPY)"
	else
		assert_equal "$(feature_json MIG_PRECOPY_INFOv2)" "MIG_PRECOPY_INFOv2 false false false needs Linux 7.1 (this kernel is $RELEASE)"
	fi
	run "$DUMP" info "$EDU"
	if ! kernel_at_least 6.19; then
		assert_line "$(feature_line DMA_BUF - "not offered: needs Linux 6.19 (this kernel is $RELEASE)")"
	elif dmabuf_built; then
		assert_line "$(feature_line DMA_BUF GET "$meaning")"
	fi
}

@test "mtty (a sample driver that migrates): MIGRATION with its flags and state, dirty tracking; no low power" {
	local uuid=83b8f4f2-509f-382f-3c1e-e6bfe0fa1002 types=/sys/class/mdev_bus/mtty/mdev_supported_types
	[[ -d $types ]] || skip "no mtty in this kernel (LAB_KERNEL=$LAB_KERNEL)"
	echo "$uuid" >"$types/mtty-2/create"
	run "$DUMP" info --json "$uuid"
	echo 1 >"/sys/bus/mdev/devices/$uuid/remove"
	assert_success
	assert_equal "$(jq -c '[.features[] | select(.supported) | "\(.name) \(.get) \(.set)"]' <<<"$output")" \
		'["MIGRATION true false","MIG_DEVICE_STATE true true","DMA_LOGGING_START false true","DMA_LOGGING_STOP false true","DMA_LOGGING_REPORT true false","MIG_DATA_SIZE true false"'"$(kernel_at_least 7.1 && echo ',"MIG_PRECOPY_INFOv2 false true"')"']'
	assert_equal "$(jq -c .migration <<<"$output")" '{"flags":"0x7","flag_names":"STOP_COPY P2P PRE_COPY","device_state":"RUNNING"}'
	assert_equal "$(feature_json LOW_POWER_ENTRY)" "LOW_POWER_ENTRY false false false the device's driver does not offer it (vfio-pci and its variants offer it)"
	if kernel_at_least 6.19; then
		assert_equal "$(feature_json DMA_BUF)" "DMA_BUF false false false the device's driver does not offer it (vfio-pci offers it when the kernel has CONFIG_VFIO_PCI_DMABUF, which needs PCI_P2PDMA)"
	fi
	echo "$uuid" >"$types/mtty-2/create"
	run "$DUMP" info --backend group "$uuid"
	echo 1 >"/sys/bus/mdev/devices/$uuid/remove"
	assert_success
	assert_line "$(feature_line MIGRATION GET 'live migration (protocol v2) and its optional states: STOP_COPY P2P PRE_COPY')"
	assert_line "$(feature_line MIG_DEVICE_STATE 'GET SET' "read or change the device's migration state: now RUNNING")"
}

@test "restore: the edu back where it was" {
	run "$ADMIN" restore "$EDU"
	assert_success
	[[ ! -e /sys/bus/pci/devices/$EDU/driver || $(readlink /sys/bus/pci/devices/$EDU/driver) != */vfio-pci ]] ||
		fail "$EDU is still on vfio-pci"
}
