# shellcheck shell=bash disable=SC2154 # output: set by bats' run
# Shared by the foreign-architecture labs' bats files (tests/vm/power/tests and
# tests/vm/arm/tests: their common.bash sets CROSS_BUILD, e.g. build-arm64, and
# runs `load ../../cross/bats-common`): bats-support and bats-assert; BIN
# (VFIO_TOOLS_BIN, which the lab sets, else the repository's CROSS_BUILD),
# ADMIN, DUMP and BENCH; and the checks every lab makes of the edu the same way.

# bats-support and -assert run $(dirname ...) in every test: a builtin
# stand-in saves a fork+exec each time (tests/vm/common.bash does the same).
# shellcheck disable=SC2317 # called by the libraries
dirname() { echo "${1%/*}"; }
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
unset -f dirname
bats_require_minimum_version 1.5.0

declare -g BIN=${VFIO_TOOLS_BIN:-$BATS_TEST_DIRNAME/../../../../${CROSS_BUILD:?}}
# shellcheck disable=SC2034 # used by the bats files
ADMIN=$BIN/vfio-admin DUMP=$BIN/vfio-dump BENCH=$BIN/vfio-bench

# The edu's BAR0 and config space, and the interrupts it has, through VFIO.
assert_edu_regions_irqs() { # DEVICE
	run --separate-stderr "$DUMP" regions "$1" --json
	assert_success
	assert_equal "$(jq -c '[.regions[] | select(.name == "BAR0" or .name == "CONFIG") | [.name, .size, .flag_names]]' <<<"$output")" \
		'[["BAR0",1048576,"R W MMAP"],["CONFIG",256,"R W"]]'
	run --separate-stderr "$DUMP" irqs "$1" --json
	assert_success
	assert_equal "$(jq -c '[.irqs[] | select(.available and .count > 0) | .name]' <<<"$output")" '["INTX","MSI","REQ"]'
}

# vfio-bench irq -n 50 with each set of options: every interrupt sent is received.
assert_irqs_received() { # DEVICE "OPTIONS"...
	local dev=$1 args
	shift
	for args; do
		# shellcheck disable=SC2086 # the words of args
		run --separate-stderr "$BENCH" irq "$dev" -n 50 $args --json
		assert_success
		assert_equal "$(jq -c '[.run.triggers_sent, .run.interrupts_received, .run.timeouts]' <<<"$output")" '["50","50","0"]'
	done
}
