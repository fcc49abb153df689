# Checking --json outputs against doc/schema, shared by tests/host/schema.bats and
# tests/vm/schema.bats (`load ../json-schema`): a test keeps outputs with valid, then
# validated checks them all, one scripts/check-json-schema run per schema.

CHECK_SCHEMA=$BATS_TEST_DIRNAME/../../scripts/check-json-schema

# valid SCHEMA CMD...: keeps CMD's standard output (CMD must exit 0, or 1: check's findings).
valid() {
	local schema=$1 rc=0 dir=$BATS_TEST_TMPDIR/json/$1 n=0
	shift
	mkdir -p "$dir"
	while [[ -e $dir/$n.json ]]; do n=$((n + 1)); done
	"$@" >"$dir/$n.json" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
	((rc <= 1)) || fail "$* exited $rc: $(<"$BATS_TEST_TMPDIR/err")"
	echo "VFIO_TOOLS_SYSFS=${VFIO_TOOLS_SYSFS:-} $*" >"$dir/$n.cmd"
}

# Every output kept against its schema; fails with the commands whose outputs do not match.
validated() {
	local dir f bad=
	for dir in "$BATS_TEST_TMPDIR"/json/*/; do
		[[ -d $dir ]] || continue
		run --separate-stderr "$CHECK_SCHEMA" "$(basename "$dir")" "$dir"*.json
		((status == 0)) && continue
		for f in $(sed -n 's/^check-json-schema: \(.*\.json\): .*/\1/p' <<<"$stderr"); do
			bad+="$(<"${f%.json}.cmd")"$'\n'
		done
		fail "outputs that do not match: $stderr"$'\n'"from: $bad"
	done
	rm -rf "$BATS_TEST_TMPDIR/json"
}
