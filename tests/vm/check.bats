#!/usr/bin/env bats
# vfio-admin check against a real kernel. Runs in the VM lab after lab.bats,
# in the same boot, whatever lab.bats left bound:
#   tests/vm/run-tests [TOPOLOGY[@IOMMU]...]
# 1. machine findings as the guest's IOMMU and interrupt remapping are, per
#    LAB_IOMMU:
#      intel             IOMMU on, interrupt remapping on: PASS, exit 0
#      intel-nointremap  intel-iommu,intremap=off: irq.remapping FAIL, exit 1
#      virtio            no remapping, allow_unsafe_interrupts=1: WARN, exit 0
#    (none: noiommu.bats); then the platform's evidence: iommu.firmware
#    (table and units), iommu.options, iommu.reserved (every group's regions
#    and their cost), irq.remapping with its evidence, irq.allow_unsafe; and
#    vfio-dump iommu's reserved_regions for an edu;
# 2. acs.port and acs.reconcile against the topology's "acs:" lines and the
#    kernel's groups (tests/vm/lab documents the format);
# 3. group.viable, irq.remapping and the verdict against what the kernel's
#    VFIO allows (vfio-probe: VFIO_GROUP_GET_STATUS, VFIO_GROUP_SET_CONTAINER,
#    VFIO_SET_IOMMU on each edu's group).
# One file: under TCG each bats file costs about 1 s on top of its tests.

load common
bats_require_minimum_version 1.5.0

@test "check: machine findings as this guest's IOMMU and interrupts are; the text is the JSON" {
	local json text rc=0 text_rc=0 ir=no line actual expected
	# The kernel's own word: remapped interrupt domains are "IR-PCI-MSI"...
	while IFS= read -r line; do
		[[ $line == *' IR-'* ]] && ir=yes && break
	done </proc/interrupts
	case $LAB_IOMMU in
	intel | amd) expected="remapped=yes
iommu.enabled PASS
irq.remapping PASS
vfio.module.vfio_pci PASS
exit 0" ;;
	intel-nointremap) expected="remapped=no
iommu.enabled PASS
irq.remapping FAIL +hint
vfio.module.vfio_pci PASS
exit 1" ;;
	virtio) expected="remapped=no
iommu.enabled PASS
irq.remapping WARN
irq.allow_unsafe WARN +hint
vfio.module.vfio_pci PASS
exit 0" ;;
	*) fail "unknown LAB_IOMMU '$LAB_IOMMU'" ;;
	esac

	json=$("$ADMIN" check --json) || rc=$?
	text=$("$ADMIN" check) || text_rc=$?
	actual="remapped=$ir
$(jq -r '.findings[] | select(.id | test("^(iommu\\.enabled|irq\\..*|vfio\\.module\\.vfio_pci)$")) |
	"\(.id) \(.level)" + if .hint then " +hint" else "" end' <<<"$json")
exit $rc"
	assert_equal "$actual" "$expected"

	# The summary counts the findings, the exit status follows the FAILs, and
	# the text output is the JSON's findings, "LEVEL  SUBJECT: MESSAGE  (HINT)".
	actual=$(jq -r '[.findings[].level] as $l |
		([$l[] | select(. == "PASS")] | length) == .summary.pass and
		([$l[] | select(. == "NOTE")] | length) == .summary.note and
		([$l[] | select(. == "WARN")] | length) == .summary.warn and
		([$l[] | select(. == "FAIL")] | length) == .summary.fail and
		(.devices == []),
		if .summary.fail > 0 then 1 else 0 end,
		(.findings[] | "\(.level)  \(.subject): \(.message)" +
			if .hint then "  (\(.hint))" else "" end)' <<<"$json")
	assert_equal "$actual" "true
$rc
$text"
	assert_equal "text exit $text_rc" "text exit $rc"
}

# What iommu.reserved says a region is (the spec, per platform).
region_meaning() { # TYPE START END
	case $1:$(printf '0x%x-0x%x' "$2" "$3"):$LAB_IOMMU in
	msi:0xfee00000-0xfeefffff:*)
		echo "the x86 interrupt window: DMA there is an interrupt, not memory; it lies in the 32-bit PCI hole, where no guest RAM goes: it costs nothing" ;;
	direct-relaxable:*)
		echo "an identity mapping the host keeps for firmware or legacy DMA (Intel RMRRs of USB and graphics devices, the ISA bridge's low 16 MiB); dropped when the device is assigned, and not excluded from VFIO's IOVA ranges" ;;
	reserved:0xfd00000000-0xffffffffff:amd)
		echo "the AMD HyperTransport hole: the IOMMU cannot translate these addresses; a guest with more than 1012 GiB of RAM needs QEMU 7.1 or later, which moves RAM above 1 TiB" ;;
	*) echo "(no meaning known to this test for $1 $2-$3 under $LAB_IOMMU)" ;;
	esac
}

# What check says of the remapping: the first IR-PCI-MSI domain in
# /proc/interrupts (IR-PCI-MSI or IR-PCI-MSIX), else the first IR- one.
ir_evidence() {
	local line tok first=''
	while read -r line; do
		for tok in $line; do
			if [[ $tok == IR-PCI-MSI* ]]; then
				echo "${tok%%-0000:*} interrupt domains in /proc/interrupts"
				return
			fi
			[[ -n $first || $tok != IR-* ]] || first=${tok%%-0000:*}
		done
	done </proc/interrupts
	echo "$first interrupt domains in /proc/interrupts"
}

size_text() { # BYTES
	local b=$1 u=(bytes KiB MiB GiB TiB) i=0
	while ((i < 4 && b >= 1024 && b % 1024 == 0)); do b=$((b / 1024)) i=$((i + 1)); done
	echo "$b ${u[i]}"
}

@test "check: the platform's evidence: firmware table and units, options, reserved regions and their cost, MSI isolation; vfio-dump iommu shows the same regions" {
	local f n=0 start end type key where units=() u expect=() want got edu bound=''
	local -A count=()
	local -a keys=()
	for u in /sys/class/iommu/*; do [[ -e $u ]] && units+=("${u##*/}"); done
	case $LAB_IOMMU in
	intel | intel-nointremap) expect+=("PASS iommu.firmware IOMMU hardware: Intel VT-d (ACPI DMAR): ${units[*]}"
		"PASS iommu.options intel_iommu=on: VT-d is turned on by the command line") ;;
	amd) expect+=("PASS iommu.firmware IOMMU hardware: AMD-Vi (ACPI IVRS): ${units[*]}") ;;
	virtio) expect+=("PASS iommu.firmware IOMMU hardware: virtio-iommu (ACPI VIOT): ${units[*]}") ;;
	*) fail "unknown LAB_IOMMU '$LAB_IOMMU'" ;;
	esac
	# The lab's own options: pci=config_acs= in the topologies that set ACS by hand.
	for f in $(</proc/cmdline); do
		[[ $f != pci=config_acs=* ]] ||
			expect+=("NOTE iommu.options $f: ACS control set by hand: the groups of these devices follow these settings, not the firmware's")
	done
	for f in /sys/kernel/iommu_groups/*/reserved_regions; do
		n=$((n + 1))
		while read -r start end type; do
			key="$type $((start)) $((end))"
			[[ -v count[$key] ]] || keys+=("$key")
			count[$key]=$((${count[$key]:-0} + 1))
		done <"$f"
	done
	for key in "${keys[@]}"; do
		read -r type start end <<<"$key"
		if ((count[$key] == n)); then where='in every group'; else where="in ${count[$key]} of $n groups"; fi
		expect+=("NOTE iommu.reserved $type $(printf '0x%x-0x%x' "$start" "$end") ($(size_text $((end - start + 1)))) $where: $(region_meaning "$type" "$start" "$end")")
	done
	case $LAB_IOMMU in
	intel) expect+=("PASS irq.remapping interrupt remapping is enabled by VT-d ($(ir_evidence))") ;;
	amd) expect+=("PASS irq.remapping interrupt remapping is enabled by AMD-Vi ($(ir_evidence))") ;;
	intel-nointremap) expect+=("FAIL irq.remapping interrupt remapping is off (no IR- interrupt domain in /proc/interrupts; the IOMMU does not support it (ecap IR clear)); both VFIO backends (vfio_iommu_type1 and iommufd) refuse such a group") ;;
	virtio) expect+=("WARN irq.remapping interrupt remapping is off: virtio-iommu does not remap interrupts; vfio_iommu_type1 allows it (allow_unsafe_interrupts), iommufd refuses the device"
		"WARN irq.allow_unsafe allow_unsafe_interrupts=1 is in effect for vfio_iommu_type1") ;;
	esac
	run --separate-stderr "$ADMIN" check --json
	# The groups' order is the kernel's: compare sorted, without the group numbers of partial regions.
	got=$(jq -r '.findings[] | select(.subject == "machine" and (.id | test("^(iommu\\.(firmware|options|reserved)|irq\\..*)$"))) |
		"\(.level) \(.id) \(.message)" | sub(" groups \\([0-9 .]+\\):"; " groups:")' <<<"$output" | sort)
	want=$(printf '%s\n' "${expect[@]}" | sort)
	assert_equal "$got" "$want"

	# vfio-dump iommu: the edu's group's regions, each with the same meaning.
	[[ $LAB_IOMMU != intel-nointremap ]] || return 0	# VFIO_SET_IOMMU refuses: nothing to dump
	edu=${EDUS[0]}
	if [[ ${DRIVER[$edu]:-} != vfio-pci ]]; then
		bind_vfio "$edu"
		bound=$edu
	fi
	wait_for 20 "$edu has an IOMMU group" test -e "/sys/bus/pci/devices/$edu/iommu_group"
	f=/sys/bus/pci/devices/$edu/iommu_group/reserved_regions
	want=$(while read -r start end type; do
		echo "$type $(printf '0x%x 0x%x' "$start" "$end") $(region_meaning "$type" "$start" "$end")"
	done <"$f")
	run --separate-stderr "$DUMP" iommu --json "$edu"
	[[ -z $bound ]] || unbind_vfio "$bound"
	assert_success
	assert_equal "$(jq -r '.reserved_regions[] | "\(.type) \(.start) \(.end) \(.meaning)"' <<<"$output")" "$want"
}

# Appends to EXPECTED "EDU acs.port PORT LEVEL MESSAGE" for every hop the
# kernel walks from EDU to its root bus (the edu itself when multifunction,
# then each bridge), as the topology's acs: lines say, then
# "EDU acs.reconcile EDU PASS group N". Sets USED[PORT] for the lines used.
expected_acs() { # EDU
	local a=$1 hop siblings
	siblings=("/sys/bus/pci/devices/${a%.*}".*)
	if ((${#siblings[@]} > 1)) || [[ $a != *.0 ]]; then
		hop=$a
	else
		hop=${PARENT[$a]}
	fi
	while [[ $hop != null ]]; do
		USED[$hop]=1
		EXPECTED+="$a acs.port $hop ${ACS_OF[$hop]:-(no acs: line for $hop in the topology)}"$'\n'
		hop=${PARENT[$hop]}
	done
	EXPECTED+="$a acs.reconcile $a PASS group ${GROUP_OF[$a]:-null}"$'\n'
}

@test "check EDU --json: an acs.port finding per hop, as the topology says; acs.reconcile PASS" {
	local a json='' out rc line id port level msg actual='' unused=() EXPECTED=''
	declare -A ACS_OF=() USED=()
	while read -r port line; do
		ACS_OF[$port]=$line
	done < <(topology_lines acs)

	for a in "${EDUS[@]}"; do
		rc=0
		out=$("$ADMIN" check --json "$a") || rc=$?
		((rc < 2)) || fail "check $a: exit $rc"
		json+=$out
		expected_acs "$a"
	done
	# An acs.port message is its acs: line's text, perhaps with a bracketed
	# detail after it ("... [ACSCap ...]"); acs.reconcile PASS names the
	# kernel's group (the device's .group).
	while IFS=$'\t' read -r a id port level msg; do
		line=${ACS_OF[$port]:-}
		if [[ $id == acs.port && -n $line ]]; then
			case ${msg#"${line#* }"} in
			'' | ' ['* | ' ('*) msg=${line#* } ;;
			esac
		fi
		actual+="$a $id $port $level $msg"$'\n'
	done < <(jq -rs '.[] | .devices[0] as $d | .findings[] |
		select(.subject != "machine" and (.id | startswith("acs."))) |
		[$d.address, .id, .subject, .level,
		 if .id == "acs.reconcile" then
			"group \($d.group)" + (if .level == "PASS" and (.message | test("group \($d.group)\\b"))
				then "" else " (\(.message))" end)
		 else .message end] | @tsv' <<<"$json")
	assert_equal "${actual%$'\n'}" "${EXPECTED%$'\n'}"

	for port in "${!ACS_OF[@]}"; do
		[[ -n ${USED[$port]:-} ]] || unused+=("$port")
	done
	assert_equal "acs: lines on no edu's path: ${unused[*]}" "acs: lines on no edu's path: "
}

# What VFIO_SET_IOMMU answers for a viable group under this guest's IOMMU.
set_iommu_answer() { # VAR
	case $LAB_IOMMU in
	intel | amd | virtio) printf -v "$1" ok ;; # virtio: allow_unsafe_interrupts=1
	intel-nointremap) printf -v "$1" EPERM ;;
	*) fail "unknown LAB_IOMMU '$LAB_IOMMU'" ;;
	esac
}

is_bridge() { [[ ${CLASS[$1]} == 0x0604* ]]; } # ADDR

# Runs `check EDU --json` for every edu and vfio-probe on their groups, and
# compares both with what sysfs and the IOMMU say they must be:
#   EDU exit RC viable LEVEL [blockers: ADDR on DRIVER...]
#   EDU verdict VERDICT LEVEL bind [ADDR...] reasons none|some
#   EDU dump exit 0|2 [not viable: ADDR on DRIVER...|EPERM]   (vfio-dump info)
#   group N viable=0|1 set_container=ok|EPERM set_iommu=ok|EPERM|-
assert_check_matches_vfio() {
	local a b n m json='' out rc set_iommu lines=() dumps=() actual expected
	local -a groups=()
	local -A seen=()
	set_iommu_answer set_iommu
	expected_viability
	for a in "${EDUS[@]}"; do
		n=${GROUP_OF[$a]:?$a has no group}
		rc=0
		out=$("$ADMIN" check --json "$a") || rc=$?
		json+=$out
		local level=PASS verdict reasons=none bind=() named='' rc_want
		if [[ -n ${BLOCKERS[$n]} ]]; then
			level=FAIL
			for b in ${BLOCKERS[$n]}; do
				named+=" $b on ${DRIVER[$b]}"
			done
		fi
		for m in ${MEMBERS[$n]}; do
			is_bridge "$m" || bind+=("$m")
		done
		if [[ $set_iommu != ok ]]; then
			verdict='not-assignable FAIL' reasons=some
		elif ((${#bind[@]} == 1)); then
			verdict='assignable PASS'
		else
			verdict='assignable-with-group NOTE'
		fi
		[[ $level == PASS && $set_iommu == ok ]] && rc_want=0 || rc_want=1
		lines+=("$a exit $rc_want viable $level${named:+ blockers:$named}")
		lines+=("$a verdict $verdict bind [${bind[*]}] reasons $reasons")
		if [[ -n $named ]]; then
			dumps+=("$a dump exit 2 not viable:$named")
		elif [[ $set_iommu != ok ]]; then
			dumps+=("$a dump exit 2 $set_iommu")
		else
			dumps+=("$a dump exit 0")
		fi
		actual_rc[$a]=$rc
		if [[ -z ${seen[$n]:-} ]]; then
			seen[$n]=1
			groups+=("$n")
		fi
	done
	lines+=("${dumps[@]}")
	for n in "${groups[@]}"; do
		if [[ -n ${BLOCKERS[$n]} ]]; then
			lines+=("$n viable=0 set_container=EPERM set_iommu=-")
		else
			lines+=("$n viable=1 set_container=ok set_iommu=$set_iommu")
		fi
	done
	join_lines expected "${lines[@]}"

	# group.viable: FAIL names each blocker as "ADDR on DRIVER" (checked
	# against sysfs below, one address at a time).
	lines=()
	while IFS=$'\t' read -r a level msg verdict vlevel bind reasons; do
		named=''
		if [[ $level == FAIL ]]; then
			n=${GROUP_OF[$a]}
			for b in ${BLOCKERS[$n]}; do
				[[ $msg == *"$b on ${DRIVER[$b]}"* ]] && named+=" $b on ${DRIVER[$b]}"
			done
			[[ -n $named ]] || named=" (none in: $msg)"
		fi
		lines+=("$a exit ${actual_rc[$a]} viable $level${named:+ blockers:$named}")
		lines+=("$a verdict $verdict $vlevel bind [$bind] reasons $reasons")
	done < <(jq -rs '.[] | .devices[0] as $d |
		[$d.address,
		 (.findings[] | select(.id == "group.viable") | .level, .message),
		 $d.verdict,
		 (.findings[] | select(.id == "verdict") | .level),
		 ($d.bind | join(" ")),
		 (if ($d.reasons | length) > 0 then "some" else "none" end)] | @tsv' <<<"$json")
	# vfio-dump opens each edu the way a VFIO user does: refused with the
	# blockers named, or with VFIO_SET_IOMMU's EPERM, or it reads the device.
	for a in "${EDUS[@]}"; do
		rc=0
		out=$("$DUMP" info "$a" 2>&1) || rc=$?
		if [[ $out =~ "IOMMU group not viable: group "[0-9]+" also holds "(.*)"; bind the whole group" ]]; then
			out=" not viable: ${BASH_REMATCH[1]//, / }"
		elif [[ $out == *"VFIO_SET_IOMMU"*"Operation not permitted"* ]]; then
			out=" EPERM"
		elif ((rc == 0)); then
			out=''
		fi
		lines+=("$a dump exit $rc$out")
	done
	actual=$(printf '%s\n' "${lines[@]}")
	actual+=$'\n'$("$PROBE" "${groups[@]}")
	assert_equal "$actual" "$expected"
}

@test "check EDU: group.viable and the verdict as VFIO has it; blockers named, then bound by hand" {
	local blockers=() unbound=() a
	declare -A actual_rc=()
	modprobe -a vfio-pci vfio_iommu_type1
	# lab.bats bound the blockers: back to their own drivers.
	mapfile -t blockers < <(topology_lines blocker)
	unbind_vfio "${blockers[@]}"
	for a in "${EDUS[@]}"; do
		[[ ${DRIVER[$a]:-} == vfio-pci ]] || unbound+=("$a")
	done
	bind_vfio "${unbound[@]}"
	scan_sysfs
	for a in "${blockers[@]}"; do
		[[ -n ${DRIVER[$a]:-} && ${DRIVER[$a]} != vfio-pci ]] ||
			fail "blocker $a is on '${DRIVER[$a]:-no driver}', not on a driver of its own"
	done
	assert_check_matches_vfio
	((${#blockers[@]})) || { assert_vfio_reset_flag; return 0; }

	# Every member on vfio-pci (bridges stay on pcieport or driverless).
	bind_vfio "${blockers[@]}"
	scan_sysfs
	assert_check_matches_vfio
	assert_vfio_reset_flag
}

# vfio-pci's RESET flag (VFIO_DEVICE_GET_INFO, read by check) is set only for
# an edu alone on its bus below a root or downstream port (vm-lab.md section
# 12). check reports the flag, and a WARN where the kernel's reset_method
# disagrees: behind a PCI bridge, the first device's reset methods are probed
# before its sibling is on the bus, so reset_method says "bus" while VFIO's
# reset fails.
assert_vfio_reset_flag() {
	local a d out flag want set_iommu on_bus
	set_iommu_answer set_iommu
	expected_viability
	for a in "${EDUS[@]}"; do
		[[ -z ${BLOCKERS[${GROUP_OF[$a]}]} && $set_iommu == ok ]] || continue
		out=$("$ADMIN" check --json "$a") || true
		flag=$(jq -r 'first(.findings[] | select(.id == "reset" and (.message | startswith("VFIO"))) | .message)' <<<"$out")
		on_bus=0
		for d in "${DEVICES[@]}"; do
			[[ ${d%:*} == "${a%:*}" ]] && on_bus=$((on_bus + 1))
		done
		want=clear
		[[ ${PARENT[$a]} != null && $on_bus == 1 ]] && want=set
		assert_regex "$a $flag" "^$a VFIO's reset flag(: | is )$want"
	done
}
