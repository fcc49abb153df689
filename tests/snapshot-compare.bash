# Comparing a --sysroot analysis with the machine's own, shared by tests/host/snapshot.bats
# and tests/vm/snapshot.bats (`load ../snapshot-compare`).
#
# The commands compared, "NAME ARGS..." a line; '*' is vfio-admin's glob (read them under set -f).
# tests/vm/snapshot-guest writes live-NAME.json for each.
SNAPSHOT_COMMANDS='list list
list-tree list --tree
groups groups
check check
check-all check *
slots slots'

# snapshot_same LIVE.json SNAP.json: the two --json outputs are the same but for what a
# snapshot is allowed to change: its "snapshot" key, the findings it marks live_only (left
# out on both sides, by id and subject), check's devices marked live_only (their verdicts rest
# on such findings, by address) and check's summary (their counts). Fails with a diff.
snapshot_same() {
	local live=$1 snap=$2 keys devs d
	keys=$(jq -c '[.findings[]? | select(.live_only) | [.id, .subject]]' "$snap") || fail "$snap: not JSON"
	devs=$(jq -c '[.devices[]? | select(.live_only) | .address]' "$snap")
	local norm='del(.snapshot, .summary)
		| if has("findings") then .findings |= map(select([.id, .subject] as $x | any($k[]; . == $x) | not)) else . end
		| if has("devices") and (.devices | type) == "array" and ($d | length) > 0
		  then .devices |= map(select((.address? // "") as $a | any($d[]; . == $a) | not)) else . end'
	d=$(diff <(jq -S --argjson k "$keys" --argjson d "$devs" "$norm" "$live") \
		<(jq -S --argjson k "$keys" --argjson d "$devs" "$norm" "$snap")) ||
		fail "$snap differs from $live:"$'\n'"${d:0:3000}"
}
