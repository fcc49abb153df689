#!/usr/bin/env bats
# vfio-admin check on a fake pseries machine: host bridges with different DMA
# windows in the device tree (tests/fixtures/power), the --guest-mem warning.

load helpers

setup_file() {
    fixtures_build power/pseries
    local sys
    sys=$(fx power/pseries)
    "$FIXTURES/power/mkfakedt" pseries "$sys" >/dev/null
    mkdir -p "$sys/class/iommu/iommu-phb0000" "$sys/class/iommu/iommu-phb0001"
}

finding() { # ID SUBJECT
    jq -r --arg id "$1" --arg s "$2" \
        'first(.findings[] | select(.id == $id and .subject == $s) | "\(.level) \(.message)")' <<<"$output"
}

@test "pseries: windows per PHB from the device tree; --guest-mem above the 32-bit window warns" {
    run --separate-stderr admin power/pseries check --json --guest-mem 2G 0000:00:01.0 0001:00:00.0 0003:00:00.0
    assert_equal "$(finding iommu.firmware machine)" \
        "PASS IOMMU hardware: POWER sPAPR TCE (device tree, one per host bridge): iommu-phb0000 iommu-phb0001"
    # Interrupts are the platform's: no x86 remapping, no unsafe-interrupts knob.
    assert_equal "$(finding irq.msi_isolation machine)" \
        "PASS MSIs are isolated by the platform (XICS/XIVE under the hypervisor) (sPAPR VFIO (vfio_iommu_spapr_tce) checks no MSI isolation and has no unsafe-interrupts knob)"
    assert_equal "$(finding irq.remapping machine)" ""
    [[ $(jq -r '[.findings[].id] | map(select(startswith("vfio.module."))) | join(" ")' <<<"$output") == *vfio_iommu_spapr_tce* ]]
    assert_equal "$(finding spapr.window 0000:00:01.0)" \
        "WARN 32-bit DMA window 0x0-0x3fffffff (1024 MiB, from the device tree), smaller than --guest-mem; DDW supported"
    assert_equal "$(finding spapr.window 0001:00:00.0)" \
        "PASS 32-bit DMA window 0x40000000-0xbfffffff (2048 MiB, from the device tree); DDW not supported"
    # A malformed ibm,dma-window is reported, not trusted.
    assert_regex "$(finding spapr.window 0003:00:00.0)" '^NOTE DMA windows unknown: .*ibm,dma-window'
    # A group is a host bridge (PE) there: all four devices of PHB 0 in group 0.
    assert_equal "$(finding acs.reconcile 0000:00:01.0 | cut -c1-4)" NOTE
    assert_equal "$(jq -c '.devices[0].bind' <<<"$output")" '["0000:00:00.0","0000:00:01.0","0000:01:00.0"]'
}
