# Shared by the foreign-architecture labs' run-tests (tests/vm/power/run-tests,
# tests/vm/arm/run-tests): the bats files of LAB_DIR/tests in one guest per
# variant, all at once; each guest's TAP prefixed [KEY=VARIANT] as it finishes,
# then "NAME: N passed, N failed" and the wall time. A guest that dies counts
# its missing tests (or one, without a plan line) as failed; exits 1 if any
# test failed. Environment: LAB_TIMEOUT (seconds per guest, default 600).
# shellcheck shell=bash
#
# The sourcing script sets LAB_DIR, RUN_NAME (the summary's name), RUN_KEY (the
# prefix's key), RUN_BIN (its tools' folder) and RUN_BUILD (the make target that
# builds them), defines guest_args VARIANT (the lab's options for one guest,
# one a line) and calls run_tests DEFAULT-VARIANTS -- "$@".

GUEST_TIMEOUT=${LAB_TIMEOUT:-600}
passed=0 failed=0 out=''
declare -A variant_of=()

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
seconds() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }

count() { # NAME TAP RC
	local plan=-1 ok=0 not_ok=0 line missing
	while IFS= read -r line; do
		case $line in
		1..*) plan=${line#1..} ;;
		'ok '*) ok=$((ok + 1)) ;;
		'not ok '*) not_ok=$((not_ok + 1)) ;;
		esac
	done <"$2"
	if ((plan < 0)); then
		missing=1
	else
		missing=$((plan - ok - not_ok))
		((missing > 0)) || missing=0
	fi
	((missing == 0 && not_ok == 0 && $3 != 0)) && missing=1
	passed=$((passed + ok)) failed=$((failed + not_ok + missing))
	((missing == 0)) || echo "[$1] guest exit $3: $missing test(s) missing, counted as failed"
}

run_tests() { # DEFAULT-VARIANTS... -- VARIANTS...
	local defaults=() all=() v pid rc t0 args
	while (($#)) && [[ $1 != -- ]]; do defaults+=("$1"); shift; done
	shift
	all=("$@")
	((${#all[@]})) || all=("${defaults[@]}")
	for v in "${all[@]}"; do guest_args "$v" >/dev/null || exit 2; done
	[[ -x $RUN_BIN/vfio-admin ]] ||
		{ echo "$RUN_NAME: no tools in $RUN_BIN: make $RUN_BUILD" >&2; exit 2; }
	t0=$(now_ms)
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	trap 'kill -TERM "${!variant_of[@]}" 2>/dev/null; exit 130' INT TERM
	echo "$RUN_NAME: kernel $("$LAB_DIR/fetch" --get KV), guests: ${all[*]}"
	for v in "${all[@]}"; do
		mapfile -t args < <(guest_args "$v")
		LAB_TIMING=1 "$LAB_DIR/lab" "${args[@]}" --timeout "$GUEST_TIMEOUT" -- \
			bats -F tap "$LAB_DIR/tests" >"$out/$v.tap" 2>"$out/$v.err" &
		variant_of[$!]=$v
	done
	for _ in "${all[@]}"; do
		rc=0
		wait -n -p pid || rc=$?
		v=${variant_of[$pid]}
		echo "== $RUN_KEY=$v (exit $rc, $(seconds $(($(now_ms) - t0))) since the start)"
		sed "s/^/[$RUN_KEY=$v] /" "$out/$v.tap" "$out/$v.err"
		count "$RUN_KEY=$v" "$out/$v.tap" "$rc"
	done
	echo "$RUN_NAME: $passed passed, $failed failed"
	echo "$RUN_NAME: wall time $(seconds $(($(now_ms) - t0)))"
	((failed == 0))
}
