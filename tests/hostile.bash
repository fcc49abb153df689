# The hostile command lines of issue 9, shared by tests/host/hostile.bats (fake
# sysfs, /dev and /etc) and tests/vm/hostile.bats (a real kernel in the lab).
# Each must print exactly one line on stderr starting with the program's name,
# nothing on stdout, and exit 2; the callers compare the system before and after.
#
# One invocation per line: [nobody] TOOL ARGS... (split on blanks).  DEV stands for
# a device that exists and is not bound to vfio-pci; "nobody" runs the line as
# uid/gid 65534 (the commands that need root must say so up front).
bats_require_minimum_version 1.5.0

HOSTILE_CASES='vfio-admin
vfio-admin frobnicate
vfio-admin --frobnicate
vfio-admin list --slot zz:zz.z
vfio-admin list -s 0000:00:20.0
vfio-admin list -s 0000:00:1f.8
vfio-admin list -s 1:2:3:4
vfio-admin list -s 0000:0[1:00.0
vfio-admin list -d 12345:1
vfio-admin list -d xyz:
vfio-admin list --class gpu
vfio-admin list --class 1234567
vfio-admin list --group -1
vfio-admin list --group 99999999999999999999
vfio-admin list --driver
vfio-admin groups --tree
vfio-admin check --guest-mem 12Q
vfio-admin check --guest-mem -1G
vfio-admin check --guest-mem 99999999999999999999T
vfio-admin check --user no-such-user-here
vfio-admin check --format xml
vfio-admin groups --json --format prometheus
vfio-admin groups --format
vfio-admin groups --format prometheus -o /nonexistent/dir/vfio_groups.prom
vfio-admin check 0000:42:00.0
vfio-admin bind
vfio-admin bind 0000:42:00.0
vfio-admin bind --driver a/b DEV --dry-run
vfio-admin bind --driver ../../vfio-pci DEV
vfio-admin bind --timeout 0 DEV --dry-run
vfio-admin bind --timeout 99999999 DEV --dry-run
vfio-admin bind --owner no-such-user DEV
vfio-admin unbind 0000:42:00.0
vfio-admin restore zz
vfio-admin persist
vfio-admin persist frob
vfio-admin persist add
vfio-admin persist add 1:2:3
vfio-admin persist add --driver "x DEV
vfio-admin persist add --owner nobody:no-such-group DEV
vfio-admin persist remove
vfio-admin persist remove 0000:42:00.0
vfio-admin persist list extra
vfio-dump
vfio-dump frob
vfio-dump info
vfio-dump info DEV extra
vfio-dump info zz
vfio-dump info 0000:42:00.0
vfio-dump info DEV
vfio-dump info --backend carrier-pigeon DEV
vfio-dump config -y DEV
vfio-dump read DEV 4294967296 0 4
vfio-dump read DEV BAR9 0 4
vfio-dump read DEV BAR0 0x 4
vfio-dump read DEV BAR0 0 0
vfio-dump read DEV BAR0 0 0x100000000
vfio-dump read DEV BAR0 0xffffffffffffffff 4
vfio-dump read --width 16 DEV BAR0 0 16
vfio-dump write DEV BAR0 0 1
vfio-dump write --force DEV BAR0 0 1
vfio-dump write --force --width 2 DEV BAR0 0 0x10000
vfio-dump rom DEV
vfio-dump rom --file /dev/zero
vfio-dump rom --file /dev/null DEV
vfio-dump rom -o /nonexistent/rom DEV
vfio-bench
vfio-bench frob
vfio-bench dma-map
vfio-bench dma-map --sizes 1 DEV
vfio-bench dma-map --sizes 4K,,2M DEV
vfio-bench dma-map --sizes 99999999999T DEV
vfio-bench dma-map --memory shm DEV
vfio-bench dma-map --align 12345 DEV
vfio-bench dma-map -n 0 DEV
vfio-bench dma-map -n -5 DEV
vfio-bench dma-map --duration nan DEV
vfio-bench dma-map --cpu 100000 DEV
vfio-bench dma-map --window 16bit DEV
vfio-bench dma-map --raw DEV
vfio-bench irq --type nmi DEV
vfio-bench irq --trigger pigeon DEV
vfio-bench irq --wait forever DEV
vfio-bench irq --timeout 99999999 DEV
vfio-bench irq --json --csv DEV
vfio-bench mmio --width 3 DEV
vfio-bench mmio --write 5 DEV
vfio-bench mmio --access dma DEV
vfio-bench mmio 0000:42:00.0
nobody vfio-admin bind DEV
nobody vfio-admin unbind DEV
nobody vfio-admin restore
nobody vfio-admin persist add DEV
nobody vfio-admin persist remove DEV
nobody vfio-admin persist apply
nobody vfio-dump info DEV
nobody vfio-bench irq DEV'

# hostile_run BINDIR DEV: runs every case; sets hostile_n (cases run) and
# hostile_failures (one line per case that broke the rules).  The nobody cases
# need root and setpriv, and BINDIR readable by uid 65534; without them they are
# left out (hostile_skipped counts them).
hostile_run() {
    local bin=$1 dev=$2 who tool args as=()
    hostile_n=0 hostile_skipped=0
    hostile_failures=()
    while read -r who tool args; do
        as=()
        if [[ $who == nobody ]]; then
            if [[ $EUID -ne 0 ]] || ! command -v setpriv >/dev/null; then
                hostile_skipped=$((hostile_skipped + 1))
                continue
            fi
            as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        else
            args="$tool${args:+ $args}"
            tool=$who
        fi
        args=${args//DEV/$dev}
        hostile_n=$((hostile_n + 1))
        # shellcheck disable=SC2086 # split on purpose
        run --separate-stderr "${as[@]}" "$bin/$tool" $args
        # shellcheck disable=SC2154 # status, output and stderr_lines: set by run
        if [[ $status -ne 2 || -n $output || ${#stderr_lines[@]} -ne 1 || ${stderr_lines[0]} != "$tool: "* ]]; then
            hostile_failures+=("${as:+nobody }$tool $args: exit $status, stdout '${output:0:80}', stderr '${stderr:0:200}'")
        fi
    done <<<"$HOSTILE_CASES"
}

# A copy of the three tools in a directory every user can read (the tests' own
# directories may be private): prints its path.
hostile_public_bin() {
    local dir
    dir=$(mktemp -d /tmp/vfio-tools-hostile.XXXXXX) || return 1
    cp "$1/vfio-admin" "$1/vfio-dump" "$1/vfio-bench" "$dir/" && chmod 755 "$dir" "$dir"/* && echo "$dir"
}
