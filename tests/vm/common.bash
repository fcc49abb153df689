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
DUMP=${ADMIN%/*}/vfio-dump
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

# vfio-admin's state directory (bind, unbind, restore).
STATE_DIR=${VFIO_TOOLS_STATE:-/run/vfio-tools}

# The kernel's and vfio-admin's state, into the associative array VAR:
#   [dev ADDR]="DRIVER OVERRIDE"  every PCI device ('-': none)
#   [record NAME]=CONTENT         every file in the state directory but .lock,
#                                 newlines shown as ';'
#   [node N]=present              every /dev/vfio/N
# Builtins only. Compare two with assert_same_state.
read_state() { # VAR
	local -n _st=$1
	local link d a drv o f r
	_st=()
	for d in /sys/bus/pci/devices/*; do
		_st["dev ${d##*/}"]=-
	done
	for link in /sys/bus/pci/drivers/*/*:*:*.*; do
		[[ -e $link ]] || continue
		drv=${link#/sys/bus/pci/drivers/}
		_st["dev ${link##*/}"]=${drv%%/*}
	done
	for d in /sys/bus/pci/devices/*; do
		o=''
		read -r o <"$d/driver_override" || true
		[[ -z $o || $o == '(null)' ]] && o=-
		_st["dev ${d##*/}"]+=" $o"
	done
	for f in "$STATE_DIR"/*; do
		[[ -e $f ]] || continue
		r=''
		IFS= read -r -d '' r <"$f" || true
		_st["record ${f##*/}"]=${r//$'\n'/;}
	done
	for f in /dev/vfio/[0-9]*; do
		[[ -e $f ]] && _st["node ${f##*/}"]=present
	done
	return 0
}

copy_state() { # FROM TO
	local -n _from=$1 _to=$2
	local k
	_to=()
	for k in "${!_from[@]}"; do
		# shellcheck disable=SC2004 # associative, through a nameref
		_to[$k]=${_from[$k]}
	done
}

# Sorted "KEY: VALUE" lines.
format_state() { # VAR
	local -n _fst=$1
	local k
	for k in "${!_fst[@]}"; do
		printf '%s: %s\n' "$k" "${_fst[$k]}"
	done | sort
}

# The system is now exactly as the associative array VAR describes.
assert_same_state() { # VAR
	local -A now=()
	read_state now
	assert_equal "$(format_state now)" "$(format_state "$1")"
}

# The record `bind` or `unbind` writes for ADDR when it has none: what state
# FROM says the device had.
expect_record() { # VAR FROM ADDR
	local -n _er=$1 _erf=$2
	local orig
	[[ -z ${_er["record $3"]:-} ]] || return 0
	read -ra orig <<<"${_erf["dev $3"]}"
	[[ ${orig[0]} == - ]] && orig[0]=''
	[[ ${orig[1]} == - ]] && orig[1]=''
	_er["record $3"]="driver=${orig[0]};override=${orig[1]};"
}

# A device after `vfio-admin bind` (on DRIVER, override DRIVER) or `unbind`
# (no driver, no override) from state FROM, recorded as it was there.
expect_bound() { # VAR FROM ADDR [DRIVER]
	local -n _eb=$1
	local drv=${4:-vfio-pci}
	expect_record "$1" "$2" "$3"
	_eb["dev $3"]="$drv $drv"
}

expect_unbound() { # VAR FROM ADDR
	local -n _eu=$1
	expect_record "$1" "$2" "$3"
	_eu["dev $3"]="- -"
}

# Back to the kernel's own choice (after scan_sysfs): every device on vfio-pci
# or with an override (lab.bats and check.bats bind by hand); no records.
reset_bindings() {
	local d a o
	for d in /sys/bus/pci/devices/*; do
		a=${d##*/}
		o=''
		read -r o <"$d/driver_override" || true
		if [[ ${DRIVER[$a]:-} == vfio-pci || ( -n $o && $o != '(null)' ) ]]; then
			unbind_vfio "$a"
		fi
	done
	rm -rf "$STATE_DIR"
	scan_sysfs
}

# Polls COMMAND every 0.05 s until it succeeds; fails the test, saying WHAT,
# once SECONDS have passed: a deadline for a condition, never a pace.
wait_for() { # SECONDS WHAT COMMAND...
	local limit=$1 what=$2 deadline=$((SECONDS + $1))
	shift 2
	until "$@"; do
		((SECONDS < deadline)) || fail "$what: not so after ${limit} s"
		sleep 0.05
	done
}

# Sends a command to QEMU's monitor (the topology needs "monitor: on") and
# prints the reply.
qemu_monitor() { # COMMAND...
	local d=$LAB_RUN/monitor id=req$RANDOM
	[[ -d $d ]] || fail "no QEMU monitor: the topology needs a 'monitor: on' line"
	echo "$*" >"$d/$id.tmp" && mv "$d/$id.tmp" "$d/$id.cmd"
	wait_for 60 "QEMU's monitor answers '$*'" test -e "$d/$id.out"
	cat "$d/$id.out"
}
