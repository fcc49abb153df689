#!/usr/bin/env bats
# shellcheck disable=SC2154 # stderr: set by run --separate-stderr
# vfio-bench dma-map --map-file on the iommufd topology (an edu alone below a
# root port, intel-iommu), by kernel:
#   - Linux 6.13+ with iommufd (--kernel iommufd-newest): each size of a memfd
#     mapped by address (IOMMU_IOAS_MAP) and by file (IOMMU_IOAS_MAP_FILE) side
#     by side with ratios, in text and JSON, every mapping proven by the edu's
#     DMA; the hugetlbfs memfd once 2 MiB hugepages are reserved, before that a
#     note saying how to reserve them;
#   - iommufd before 6.13 (--kernel iommufd, 6.12): the kernel answers ENOTTY:
#     the note naming 6.13 and IOMMU_IOAS_MAP's figures alone, exit 0;
#   - no /dev/iommu (Debian's kernels): one line saying so, exit 2.
# Sizes and iterations stay small: TCG, and a 256 MiB guest.
load common
bats_require_minimum_version 1.5.0

BENCH=${ADMIN%/*}/vfio-bench
EDU=0000:01:00.0
HUGE=/sys/kernel/mm/hugepages/hugepages-2048kB

teardown_file() {
	"$ADMIN" restore "$EDU" >/dev/null 2>&1 || true
}

# 0 when the running kernel is at least MAJOR.MINOR (uname -r).
kernel_at_least() { # MAJOR MINOR
	local major minor rest
	IFS=.- read -r major minor rest <<<"$(uname -r)"
	((major > $1 || (major == $1 && minor >= $2)))
}

free_hugepages_at_least() { # N
	local n
	read -r n <"$HUGE/free_hugepages"
	((n >= $1))
}

# The method, case and count of every result, one JSON array.
results() { jq -c '[.results[] | "\(.method) \(.case) \(.count)"]' <<<"$output"; }

# The expected results(): for each memory, each size, map then map-file, each op.
expected_results() { # COUNT METHODS MEMORIES SIZES
	local m s k op out=()
	for m in $3; do
		for s in $4; do
			for k in $2; do
				for op in map unmap map+unmap; do
					out+=("\"$k $k $s $m $op $1\"")
				done
			done
		done
	done
	local IFS=,
	echo "[${out[*]}]"
}

@test "dma-map --map-file: MAP against MAP_FILE of the same memfd (and hugetlbfs memfd), DMA-verified, with ratios; or why not" {
	local release note out
	release=$(uname -r)
	run "$ADMIN" bind "$EDU"
	assert_success

	if [[ $LAB_KERNEL_KIND != iommufd* ]]; then
		[[ ! -e /dev/iommu ]] || fail "Debian's kernel $release has /dev/iommu"
		run --separate-stderr "$BENCH" dma-map --map-file --verify --sizes 4K -n 5 "$EDU"
		assert_failure 2
		assert_equal "$output" ""
		assert_equal "$stderr" "vfio-bench: $EDU: --map-file: needs the iommufd backend: this kernel has no /dev/iommu (built without IOMMUFD, as Debian's kernels are, or its module is not loaded)"
	elif ! kernel_at_least 6 13; then
		[[ -c /dev/iommu ]] || fail "no /dev/iommu on the lab's iommufd kernel $release"
		note="IOMMU_IOAS_MAP_FILE needs Linux 6.13 (this kernel is $release, which answers ENOTTY): IOMMU_IOAS_MAP's figures alone"
		run --separate-stderr "$BENCH" dma-map --map-file --verify --sizes 4K,64K -n 20 --json "$EDU"
		assert_success
		assert_equal "$(jq -c '[.backend, .run.backend, .run.map_file, has("comparison")]' <<<"$output")" \
			"[\"iommufd\",\"iommufd\",\"IOMMU_IOAS_MAP of the memfd's mapping only: no IOMMU_IOAS_MAP_FILE before Linux 6.13\",false]"
		assert_equal "$(results)" "$(expected_results 20 map memfd "4K 64K")"
		assert_equal "$(jq -r '.notes[]' <<<"$output" | grep -c "^verify map .*: the device's DMA reached the mapping")" 2
		assert_equal "$(jq -r --arg n "$note" '[.notes[] | select(. == $n)] | length' <<<"$output")" 1
		run "$BENCH" dma-map --map-file --sizes 4K -n 10 "$EDU"
		assert_success
		assert_line "note: $note"
		assert_line --regexp '^map 4K memfd map\+unmap +10 '
		refute_line --partial "map-file over map"
	else
		[[ -c /dev/iommu ]] || fail "no /dev/iommu on the lab's iommufd kernel $release"
		# No hugepages: the memfd alone, and how to reserve them.
		echo 0 >/proc/sys/vm/nr_hugepages
		run --separate-stderr "$BENCH" dma-map --map-file --sizes 4K -n 10 --json "$EDU"
		assert_success
		assert_equal "$(results)" "$(expected_results 10 "map map-file" memfd 4K)"
		assert_equal "$(jq -r '.notes[]' <<<"$output")" \
			"4K memfd-hugetlb2m: skipped: 0 free 2 MiB hugepages, 1 needed: reserve them (echo N > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)"

		# 2 MiB hugepages reserved (the kernel may take a moment): both memfds.
		echo 4 >/proc/sys/vm/nr_hugepages
		wait_for 30 "4 free 2 MiB hugepages" free_hugepages_at_least 4
		run --separate-stderr "$BENCH" dma-map --map-file --verify --sizes 4K,64K,2M -n 20 --json "$EDU"
		assert_success
		out=$output
		assert_equal "$(jq -c '[.backend, .run.backend, .run.map_file]' <<<"$out")" \
			"[\"iommufd\",\"iommufd\",\"IOMMU_IOAS_MAP of the memfd's mapping, then IOMMU_IOAS_MAP_FILE of the memfd\"]"
		assert_equal "$(results)" "$(expected_results 20 "map map-file" "memfd memfd-hugetlb2m" "4K 64K 2M")"
		# Every mapping, by address and by file, reached by the edu's DMA.
		assert_equal "$(jq -r '.notes[]' <<<"$out" | grep -c "^verify map\(-file\)\? .*: the device's DMA reached the mapping")" 12
		assert_equal "$(jq -r '.notes | length' <<<"$out")" 12
		# Each ratio is map-file's figure over map's, for every case of both memories.
		assert_equal "$(jq -c '[.comparison.by, .comparison.base, .comparison.other, (.comparison.cases | length),
			([.comparison.cases[] | select(.p50_ratio <= 0 or .mean_ratio <= 0 or
				((.map_file_p50_ns / .map_p50_ns) - .p50_ratio | fabs) > 0.001 or
				((.map_file_mean_ns / .map_mean_ns) - .mean_ratio | fabs) > 0.001)] | length),
			[.comparison.cases[] | select(.op == "map+unmap") | "\(.case) \(.memory) \(.size)"]]' <<<"$out")" \
			'["method","map","map-file",18,0,["4K memfd map+unmap memfd 4096","64K memfd map+unmap memfd 65536","2M memfd map+unmap memfd 2097152","4K memfd-hugetlb2m map+unmap memfd-hugetlb2m 4096","64K memfd-hugetlb2m map+unmap memfd-hugetlb2m 65536","2M memfd-hugetlb2m map+unmap memfd-hugetlb2m 2097152"]]'
		# The figures, for the lead's report.
		jq -r '.comparison.cases[] | select(.op == "map") | "# \(.case): map p50 \(.map_p50_ns) ns, map-file p50 \(.map_file_p50_ns) ns, ratio \(.p50_ratio); mean ratio \(.mean_ratio)"' <<<"$out" >&3

		run "$BENCH" dma-map --map-file --sizes 4K,2M -n 10 "$EDU"
		assert_success
		assert_line "  map_file=IOMMU_IOAS_MAP of the memfd's mapping, then IOMMU_IOAS_MAP_FILE of the memfd"
		assert_line "map-file over map (microseconds; RATIO = map-file / map):"
		assert_line --regexp '^map-file 2M memfd-hugetlb2m map +10 '
		assert_line --regexp '^2M memfd-hugetlb2m map\+unmap +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$'
		echo 0 >/proc/sys/vm/nr_hugepages
	fi

	run "$ADMIN" restore "$EDU"
	assert_success
	[[ ! -e /sys/bus/pci/devices/$EDU/vfio-dev && ! -e /sys/bus/pci/devices/$EDU/driver ]]
}
