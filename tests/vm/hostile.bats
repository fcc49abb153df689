#!/usr/bin/env bats
# Issue 9 in the lab (the root-port topology, after bind.bats): the hostile
# command lines of tests/hostile.bash against a real kernel, and list, groups
# and check as an unprivileged user.
#   tests/vm/run-tests root-port

load common
load ../hostile

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# The state read_state compares (every device's driver and override, the bind
# records, /dev/vfio/N), plus the persist file and the loaded vfio modules.
snapshot_all() { # VAR
	local -n _sa=$1
	local m
	read_state "$1"
	_sa["persist"]=$(cat /etc/vfio-tools/persist.conf 2>/dev/null || echo none)
	for m in vfio vfio_pci vfio_iommu_type1; do
		[[ -e /sys/module/$m ]] && _sa["module $m"]=loaded
	done
	return 0
}

@test "every hostile command line: one line 'TOOL: ...', exit 2; every device's driver and override, records, nodes and the persist file unchanged" {
	local -A before=()
	local bin dev=${EDUS[0]}
	[[ -z ${DRIVER[$dev]:-} ]] || fail "$dev is bound to ${DRIVER[$dev]}: the cases want it unbound"
	bin=$(hostile_public_bin "${ADMIN%/*}")
	snapshot_all before
	hostile_run "$bin" "$dev"
	rm -rf "$bin"
	echo "# $hostile_n cases, $hostile_skipped left out" >&3
	((hostile_n >= 50 && hostile_skipped == 0)) || fail "$hostile_n cases, $hostile_skipped left out"
	((${#hostile_failures[@]} == 0)) || fail "$(printf '%s\n' "${hostile_failures[@]}")"
	local -A after=()
	snapshot_all after
	assert_equal "$(format_state after)" "$(format_state before)"
}

# Root's and nobody's findings, one line each: "ID SUBJECT LEVEL MESSAGE".
findings() { # JSON
	jq -r '.findings[] | "\(.id) \(.subject) \(.level) \(.message)"' <<<"$1"
}

# nobody sees the same list and groups; check has the same findings, exit
# status and verdict, and where a finding differs it says what it could not
# read (or is nobody's own memlock limit), never a PASS or FAIL root does not give.
compare_as_nobody() { # DEVICE
	local bin cmd root_out nobody_out root_rc nobody_rc line id rest
	local -A root_of=()
	bin=$(hostile_public_bin "${ADMIN%/*}")
	for cmd in list "list --json" groups "groups --json"; do
		# shellcheck disable=SC2086 # command and options
		root_out=$("$bin/vfio-admin" $cmd)
		# shellcheck disable=SC2086
		nobody_out=$("${NOBODY[@]}" "$bin/vfio-admin" $cmd)
		assert_equal "$nobody_out" "$root_out"
	done
	root_rc=0 nobody_rc=0
	root_out=$("$bin/vfio-admin" check --json "$1") || root_rc=$?
	nobody_out=$("${NOBODY[@]}" "$bin/vfio-admin" check --json "$1") || nobody_rc=$?
	rm -rf "$bin"
	assert_equal "$nobody_rc" "$root_rc"
	(($(jq ".devices | length" <<<"$root_out") == 1))
	assert_equal "$(jq -c "[.devices[] | [.address, .verdict]]" <<<"$nobody_out")" "$(jq -c "[.devices[] | [.address, .verdict]]" <<<"$root_out")"
	while read -r id rest; do
		root_of["$id ${rest%% *}"]+="${rest#* }"$'\n'
	done < <(findings "$root_out")
	assert_equal "$(findings "$nobody_out" | cut -d' ' -f1,2 | sort -u)" "$(findings "$root_out" | cut -d' ' -f1,2 | sort -u)"
	while IFS= read -r line; do
		read -r id rest <<<"$line"
		[[ ${root_of["$id ${rest%% *}"]} == *"${rest#* }"$'\n'* ]] && continue
		case $line in
		"memlock machine "[A-Z]*" this user: memlock limit "*) ;;
		*" NOTE "*unreadable* | *" NOTE "*"unknown: "*"Permission denied"*) ;;
		*) fail "as nobody only: $line" ;;
		esac
	done < <(findings "$nobody_out")
}

@test "as nobody: list and groups as root sees them; check's findings the same but for what it says it could not read; unbound and bound to vfio-pci" {
	local dev=${EDUS[0]}
	compare_as_nobody "$dev"
	"$ADMIN" bind "$dev" >/dev/null
	compare_as_nobody "$dev"
	"$ADMIN" restore "$dev" >/dev/null
}
