#!/usr/bin/env bats
# The layers of src/lib (src/lib/README.md) as scripts/check-layers checks them:
# this tree passes, and each kind of violation is caught in a copy of it.

load helpers

CHECK="$REPO_ROOT/scripts/check-layers"

# A copy of src/ to break.
copy_src() {
    T="$BATS_TEST_TMPDIR/tree"
    mkdir -p "$T"
    cp -r "$REPO_ROOT/src" "$T/"
}

@test "src/lib: folders with a README each; includes name the folder, only go down, and form no cycle" {
    run "$CHECK"
    assert_success
    assert_output "layers: 0 violations"
    run find "$REPO_ROOT/src/lib" -mindepth 1 -maxdepth 1 -type f
    assert_output "$REPO_ROOT/src/lib/README.md"
}

@test "check-layers: a stray file, a missing README, an include without a folder, an upward include, a file cycle" {
    copy_src
    touch "$T/src/lib/stray.c"
    rm "$T/src/lib/bench/README.md"
    echo '#include "pci_id.h"' >>"$T/src/lib/pci/pci_addr.c"
    echo '#include "checks/finding.h"' >>"$T/src/lib/pci/pci_id.c"
    echo '#include "util/units.h"' >>"$T/src/lib/util/report.h"
    echo '#include "util/report.h"' >>"$T/src/lib/util/units.c"
    echo '#include "report.h"' >>"$T/src/admin/main.c"
    run "$CHECK" "$T"
    assert_failure 1
    assert_line "layers: src/lib/stray.c: a file outside the layer folders"
    assert_line "layers: src/lib/bench: no README.md"
    assert_line 'layers: src/lib/pci/pci_addr.c: #include "pci_id.h" names no folder ("pci/pci_id.h"?)'
    assert_line "layers: src/lib/pci/pci_id.c: includes checks/finding.h: pci/ may include only util (its README.md)"
    assert_line --regexp '^layers: include cycle between files: .*util/(report|units) .*util/(report|units)'
    assert_line 'layers: src/admin/main.c: #include "report.h" names no folder ("util/report.h")'
    assert_line "layers: 6 violations"
}

@test "check-layers: folders whose Includes lines form a cycle, or name no folder" {
    copy_src
    sed -i 's/^Includes: nothing$/Includes: checks/' "$T/src/lib/util/README.md"
    sed -i 's/^Includes: util$/Includes: util, nowhere/' "$T/src/lib/pci/README.md"
    run "$CHECK" "$T"
    assert_failure 1
    assert_line --regexp "^layers: the folders' Includes lines form a cycle: "
    assert_line 'layers: src/lib/pci/README.md: Includes names "nowhere", which is not another folder of src/lib'
    assert_line "layers: 2 violations"
}

@test "check-layers: a tree without src/lib is a usage error" {
    run "$CHECK" "$BATS_TEST_TMPDIR"
    assert_failure 2
    assert_output --partial "src/lib must be a directory"
}
