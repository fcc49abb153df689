#!/usr/bin/env bats
# vfio-bench without VFIO: help, usage errors and the refusals that come before
# any ioctl, against fake sysfs trees. The measurements themselves are tested in
# the lab (tests/vm/bench.bats); the statistics in the unit tests.

load helpers

setup_file() { fixtures_setup q35-lab; }

BENCH="$VFIO_TOOLS_BIN/vfio-bench"

bench() {
    mkdir -p "$BATS_FILE_TMPDIR/dev"
    VFIO_TOOLS_SYSFS="$(fx q35-lab)" VFIO_TOOLS_DEV="$BATS_FILE_TMPDIR/dev" "$BENCH" "$@"
}

# refused REGEX ARGS...: exit 2, one stderr line "vfio-bench: " + REGEX, no stdout.
refused() {
    local regex="$1"
    shift
    run --separate-stderr bench "$@"
    assert_usage_error vfio-bench
    [[ "${stderr_lines[0]}" =~ ^vfio-bench:\ $regex ]] || fail "'${stderr_lines[0]}' does not match '$regex'"
}

@test "help: the program and each command list their options" {
    run "$BENCH" --help
    assert_success
    for c in dma-map irq mmio; do
        assert_line --regexp "^  $c +"
    done
    run "$BENCH" dma-map --help
    assert_success
    for o in --sizes --memory --align --fresh --window --iommu-page --iova --no-register --verify --map-file --dma-mask --iterations --duration --warmup --cpu --json --csv --raw --histogram --backend; do
        assert_line --regexp "^ +(-[a-zA-Z], )?$o"
    done
    run "$BENCH" irq --help
    for o in --type --trigger --wait --timeout; do
        assert_line --regexp "^ +(-[a-zA-Z], )?$o"
    done
    run "$BENCH" mmio --help
    for o in --region --offset --width --access --write --force; do
        assert_line --regexp "^ +(-[a-zA-Z], )?$o"
    done
}

@test "usage errors: bad sizes, memories, counts, durations, CPUs, types, formats" {
    refused "vfio-bench dma-map: missing argument: " dma-map
    refused "3K: invalid size: give a multiple of 4K" dma-map --sizes 3K 0000:01:00.0
    refused "0: invalid size: " dma-map --sizes 4K,0 0000:01:00.0
    refused "shm: unknown memory: use anon, thp, hugetlb2m, hugetlb1g or all$" dma-map --memory anon,shm 0000:01:00.0
    refused "3000: invalid --align: give a power of two of at least 4K$" dma-map --align 3000 0000:01:00.0
    refused "0: invalid --iterations: must be at least 1$" dma-map -n 0 0000:01:00.0
    refused "48bit: unknown --window: use 32bit or 64bit$" dma-map --window 48bit 0000:01:00.0
    refused "--iommu-page: needs --window 64bit: " dma-map --iommu-page 64K 0000:01:00.0
    refused "48K: invalid --iommu-page: give a power of two of at least 4K" dma-map --window 64bit --iommu-page 48K 0000:01:00.0
    refused "0x1g: --iova: not a number" dma-map --iova 0x1g 0000:01:00.0
    refused "0xffffffff: invalid --dma-mask: it is for --verify only$" dma-map --dma-mask 0xffffffff 0000:01:00.0
    refused "0xf0f0: invalid --dma-mask: give a mask of low bits" dma-map --verify --dma-mask 0xf0f0 0000:01:00.0
    refused "ten: invalid --iterations: not a number" dma-map -n ten 0000:01:00.0
    refused "-1: invalid --duration: give seconds, more than 0 and at most 86400$" dma-map --duration -1 0000:01:00.0
    refused "0: invalid --duration: " dma-map --duration 0 0000:01:00.0
    refused "99999: invalid --cpu: out of range" dma-map --cpu 99999 0000:01:00.0
    refused "--raw: needs --csv: " dma-map --raw 0000:01:00.0
    refused "--csv: conflicts with --json: " irq --csv --json 0000:01:00.0
    refused "nmi: unknown interrupt type: use msi, msix or intx$" irq --type nmi 0000:01:00.0
    refused "doorbell: unknown trigger: use loopback or device$" irq --trigger doorbell 0000:01:00.0
    refused "spin: unknown wait mode: use read, epoll or busy$" irq --wait spin 0000:01:00.0
    refused "BAR7: unknown region: " mmio --region BAR7 0000:01:00.0
    refused "3: invalid --width: use 1, 2, 4 or 8$" mmio --width 3 0000:01:00.0
    refused "2: misaligned --offset: must be a multiple of --width 4$" mmio --offset 2 0000:01:00.0
    refused "--write: refused without --force: " mmio --write 1 0000:01:00.0
    refused "fast: unknown --access: use mmap, pread or both$" mmio --access fast 0000:01:00.0
}

@test "--map-file: refused with --compare, --memory or --backend group, and without /dev/iommu before the device opens" {
    refused "--map-file: cannot be combined with --compare: " dma-map --map-file --compare 0000:01:00.0
    refused "--map-file: cannot be combined with --memory: it maps memfds: 4K pages, and 2 MiB hugetlbfs pages where reserved$" \
        dma-map --map-file --memory hugetlb2m 0000:01:00.0
    refused "--map-file: needs the iommufd backend: --backend group maps through the VFIO container, which cannot map a file$" \
        dma-map --map-file --backend group 0000:01:00.0
    # The fake /dev has no iommu: said for the canonical address, not "cannot open" (which mmio says).
    refused "0000:01:00.0: --map-file: needs the iommufd backend: this kernel has no /dev/iommu \(built without IOMMUFD, as Debian's kernels are, or its module is not loaded\)$" \
        dma-map --map-file 1:0.0
    refused "0000:01:00.0: --map-file: needs the iommufd backend: this kernel has no /dev/iommu " \
        dma-map --map-file --backend iommufd --verify --sizes 4K 0000:01:00.0
}

@test "memlock: a user whose limit is below the largest mapping is told how to raise it, before anything opens" {
    # A copy nobody can reach (a fresh clone may sit below a 0700 directory).
    local dir
    dir=$(mktemp -d /tmp/vfio-bench.XXXXXX)
    chmod 755 "$dir"
    cp "$BENCH" "$dir/"
    run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups bash -c \
        "ulimit -l 64; '$dir/vfio-bench' dma-map --sizes 4K,2M 0000:01:00.0"
    rm -rf "$dir"
    assert_usage_error vfio-bench
    assert_equal "${stderr_lines[0]}" "vfio-bench: memlock: limit too low: 64K locked memory allowed, 2M to map: raise it (ulimit -l, memlock in /etc/security/limits.conf, LimitMEMLOCK= for a service) or run as root"
}

@test "refusals before VFIO: not bound, not viable, no /dev/vfio" {
    refused "0000:00:03.0: not bound to vfio-pci: it has no driver; run 'vfio-admin bind 0000:00:03.0' first$" dma-map 00:03.0
    refused "0000:07:01.0: IOMMU group not viable: group 9 also holds 0000:07:02.0 on virtio-pci; " irq 0000:07:01.0
    refused "0000:01:00.0: cannot open through VFIO: .*/dev/vfio/vfio: No such file or directory" mmio 0000:01:00.0
}
