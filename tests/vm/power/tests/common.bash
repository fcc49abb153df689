# Shared by the POWER lab's bats files (tests/vm/power/run-tests runs them in a
# pseries guest: `load common`). The guest's machine is tests/vm/power/lab's
# --phbs 1 or 3 (LAB_PHBS); what QEMU was told about each host bridge is in
# the tables below, and the tests compare the tools' output with them.

# shellcheck disable=SC2034 # read by ../../cross/bats-common
CROSS_BUILD=build-ppc64el
load ../../cross/bats-common
# For the ASan build (make check-asan): libpci's leak without a udev hwdb, tests/lsan.supp.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$BATS_TEST_DIRNAME/../../../lsan.supp:print_suppressions=0}

# shellcheck disable=SC2034 # used by the bats files
# Per PCI domain (= PHB index): the edus, the 32-bit window (start size), the
# DDW page sizes, and where QEMU puts a 64-bit window (dma64_win_addr).
declare -gA EDUS=([0000]="0000:00:00.0") WIN32=([0000]="0x0 0x40000000") \
	PGSIZES=([0000]="4K 64K 2M 16M") DDW64=([0000]=0x800000000000000)
if [[ ${LAB_PHBS:-1} == 3 ]]; then
	EDUS[0000]="0000:00:00.0 0000:00:01.0"
	# dma_win_size=0x10000000,ddw=off: VFIO reports nonsense DDW fields and
	# every map fails (shared/notes/power-tce.md section 8 item 2)
	EDUS[0001]=0001:00:00.0 WIN32[0001]="0x0 0x10000000"
	# dma_win_addr=0x40000000,dma_win_size=0x80000000,dma64_win_addr=0x100000000000,pgsz=0x11000
	# shellcheck disable=SC2034
	EDUS[0002]=0002:00:00.0 WIN32[0002]="0x40000000 0x80000000" PGSIZES[0002]="4K 64K" DDW64[0002]=0x100000000000
fi
# The lab's virtio-9p shares (the guest's root file system) on PHB 30.
# shellcheck disable=SC2034
declare -g LAB_SHARES="001e:00:01.0 001e:00:02.0 001e:00:03.0"

setup() {
	[[ $(uname -m) == ppc64le && -n ${LAB_PHBS:-} ]] ||
		fail "run this file in the POWER lab: tests/vm/power/run-tests"
	[[ -x $ADMIN ]] || fail "no $ADMIN: make build-ppc64el"
}

# Every edu of the machine, in domain order.
all_edus() {
	local d
	for d in $(printf '%s\n' "${!EDUS[@]}" | sort); do
		# shellcheck disable=SC2086 # one address a word
		printf '%s\n' ${EDUS[$d]}
	done
}

bind_edus() { # ADDRESS...
	run "$ADMIN" bind "$@"
	assert_success
}
