# Shared by the in-guest bats files (lab.bats, check-*.bats): `load common`.
#
# Under TCG a bats test costs about 1 s and a fork+exec about 34 ms, so the
# tests are few and each checks a lot; sysfs is read with globs and builtins,
# and the only forks are vfio-admin, jq, modprobe and vfio-probe.

# The two libraries run $(dirname ...) 15 times, in every test: with a
# builtin stand-in that costs 15 subshells instead of 15 fork+execs.
# shellcheck disable=SC2317 # called by the libraries
dirname() { echo "${1%/*}"; }
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
unset -f dirname

ADMIN=${VFIO_TOOLS_BIN:-$BATS_TEST_DIRNAME/../../build}/vfio-admin
PROBE=$BATS_TEST_DIRNAME/vfio-probe

setup() {
	[[ -f ${LAB_TOPOLOGY:-} ]] || fail "LAB_TOPOLOGY is unset: run this file with tests/vm/run-tests"
	[[ -x $ADMIN ]] || fail "no $ADMIN: build the tools first (make)"
	scan_sysfs
}

# Fills DEVICES, EDUS, GROUP_OF, MEMBERS, MAX_GROUP, DRIVER, PARENT and
# CLASS from sysfs.
scan_sysfs() {
	local link n addr d v id here=$PWD
	declare -gA GROUP_OF=() MEMBERS=() DRIVER=() PARENT=() CLASS=()
	declare -ga DEVICES=() EDUS=()
	MAX_GROUP=-1
	for link in /sys/kernel/iommu_groups/*/devices/*; do
		[[ -e $link ]] || continue
		n=${link#/sys/kernel/iommu_groups/}
		n=${n%%/*}
		addr=${link##*/}
		GROUP_OF[$addr]=$n
		MEMBERS[$n]+=${MEMBERS[$n]:+ }$addr
		((n > MAX_GROUP)) && MAX_GROUP=$n
	done
	for link in /sys/bus/pci/drivers/*/*:*:*.*; do
		[[ -e $link ]] || continue
		d=${link#/sys/bus/pci/drivers/}
		DRIVER[${link##*/}]=${d%%/*}
	done
	for d in /sys/bus/pci/devices/*; do
		addr=${d##*/}
		DEVICES+=("$addr")
		read -r v <"$d/vendor"
		read -r id <"$d/device"
		read -r "CLASS[$addr]" <"$d/class"
		[[ $v:$id == 0x1234:0x11e8 ]] && EDUS+=("$addr")
		cd -P "$d/.." || return
		PARENT[$addr]=${PWD##*/}
		[[ ${PARENT[$addr]} == pci* ]] && PARENT[$addr]=null
	done
	cd "$here" || return
	((${#EDUS[@]} > 0)) || fail "no edu (1234:11e8) in this topology"
}

# Prints the words of the topology's "KEY:" lines, one line each.
topology_lines() { # KEY
	local key rest words
	while IFS=: read -r key rest; do
		[[ $key == "$1" ]] || continue
		rest=${rest%%#*}
		read -ra words <<<"$rest"
		echo "${words[*]}"
	done <"$LAB_TOPOLOGY"
}

join_lines() { # VAR LINE...
	local IFS=$'\n'
	printf -v "$1" '%s' "${*:2}"
}

# The kernel's rule: a member blocks its group unless it is driverless, on
# vfio-pci or pci-stub, or a bridge on pcieport. Fills BLOCKERS[N] and
# VIABILITY, per group "N VIABLE [BLOCKERS] [BLOCKERS]" (the second list is
# for the members' "blocks" flags).
expected_viability() {
	local n a lines=() b
	declare -gA BLOCKERS=()
	for ((n = 0; n <= MAX_GROUP; n++)); do
		[[ -n ${MEMBERS[$n]:-} ]] || continue
		b=''
		for a in ${MEMBERS[$n]}; do
			case ${DRIVER[$a]:-} in
			'' | vfio-pci | pci-stub | pcieport) ;;
			*) b+=${b:+ }$a ;;
			esac
		done
		BLOCKERS[$n]=$b
		if [[ -n $b ]]; then
			lines+=("$n false [$b] [$b]")
		else
			lines+=("$n true [] []")
		fi
	done
	join_lines VIABILITY "${lines[@]}"
}

# Hand binding, the way a user without vfio-admin would do it.
bind_vfio() { # ADDR...
	local a d
	for a; do
		d=/sys/bus/pci/devices/$a
		[[ -e $d/driver ]] && echo "$a" >"$d/driver/unbind"
		echo vfio-pci >"$d/driver_override"
		echo "$a" >/sys/bus/pci/drivers_probe
	done
}

# Back to the driver the kernel picks without an override (vm-lab.md 10).
unbind_vfio() { # ADDR...
	local a d
	for a; do
		d=/sys/bus/pci/devices/$a
		[[ -e $d/driver ]] && echo "$a" >"$d/driver/unbind"
		echo >"$d/driver_override"
		echo "$a" >/sys/bus/pci/drivers_probe
	done
}
