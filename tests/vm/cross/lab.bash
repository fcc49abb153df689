# Shared by the foreign-architecture labs (tests/vm/power/lab, tests/vm/arm/lab):
# the initramfs, the run directory, QEMU under a timeout, ^C, the result.
# shellcheck shell=bash
#
# The sourcing script sets LAB_DIR (its folder), LAB_NAME (power, arm),
# LAB_QEMU (the qemu-system binary and its Debian package: "BIN PACKAGE") and
# defines:
#   lab_option ARGS...      consume an option of its own and set taken to the
#                           number of words it took (return 1: unknown)
#   lab_usage               the usage line's options
#   topology                fill qemu_args from its options
#   lab_exports             extra lines for the command file (export ...)
#   lab_qemu INITRAMFS      the QEMU command line: qemu_start BIN ARGS...
# and calls lab_main "$@". The guest's /init is tests/vm/cross/guest-init; the
# command file's environment and the exit statuses: tests/vm/power/lab.

CROSS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$CROSS_DIR/../../.." && pwd)

# shellcheck disable=SC2034 # mem, qemu_args: the sourcing script's lab_qemu and topology use them
timeout_s=300 mem=1024 qemu_args=()
RUN='' QEMU_PID='' taken=0

usage() {
	echo "usage: ${0##*/} $(lab_usage) [--timeout S] [--mem M] -- COMMAND [ARGS...]" >&2
	exit 255
}

die() {
	echo "lab: $*" >&2
	exit 255
}

# Cached next to the kernel, keyed by what goes into it.
initramfs() { # KDIR BUSYBOX
	local kdir=$1 busybox=$2 key out root
	key=$(cat "$CROSS_DIR/guest-init" "$busybox" "$kdir/initmods/load-order" |
		sha256sum | cut -c1-16)
	out=$kdir/initramfs-$key.cpio.gz
	if [[ ! -f $out ]]; then
		exec 8>"$kdir/.initramfs.lock"
		flock 8
		if [[ ! -f $out ]]; then
			root=$(mktemp -d)
			mkdir -p "$root"/{bin,dev,proc,sys,lib/lab}
			cp "$busybox" "$root/bin/busybox"
			install -m 755 "$CROSS_DIR/guest-init" "$root/init"
			cp "$kdir"/initmods/* "$root/lib/lab/"
			(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
			rm -rf "$root" "$kdir"/initramfs-*.cpio.gz
			mv "$out.tmp" "$out"
		fi
		exec 8>&-
	fi
	echo "$out"
}

write_run_files() { # COMMAND...
	local cwd=$PWD
	[[ $cwd == "$REPO" || $cwd == "$REPO"/* ]] || cwd=$REPO
	{
		printf 'LAB_RUN=%q\n' "$RUN"
		printf 'LAB_KV=%q\n' "$KV"
		printf 'LAB_ROOTFS=%q\n' "${ROOTFS#"$CACHE"/}"
		printf 'LAB_MODULES=%q\n' "${MODULES#"$CACHE"/}"
		printf 'LAB_REPO=%q\n' "$REPO"
	} >"$RUN/env"
	{
		printf 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n'
		printf 'export HOME=/root TERM=dumb LANG=C.UTF-8\n'
		printf 'export LAB_KERNEL=%q LAB_RUN=%q\n' "$KV" "$RUN"
		lab_exports
		printf 'cd %q || exit 255\n' "$cwd"
		printf 'exec'
		printf ' %q' "$@"
		printf '\n'
	} >"$RUN/cmd"
}

# The lab's three virtio-9p shares (cache, repo, run) on BUS, in three slots from FIRST.
share_args() { # BUS FIRST
	local tag path ro slot=$2
	for tag in cache repo run; do
		case $tag in
		cache) path=$CACHE ro=,readonly=on,multidevs=remap ;;
		repo) path=$REPO ro=,readonly=on,multidevs=remap ;;
		run) path=$RUN ro='' ;;
		esac
		printf '%s\n' -fsdev "local,id=$tag,path=$path,security_model=none$ro" \
			-device "virtio-9p-pci,fsdev=$tag,mount_tag=$tag,bus=$1,addr=$slot.0"
		slot=$((slot + 1))
	done
}

# In the background, so that INT and TERM reach interrupted() at once.
qemu_start() { # QEMU ARGS...
	timeout -k 5 "$timeout_s" "$@" </dev/null >"$RUN/console.log" 2>&1 &
	QEMU_PID=$!
	wait "$QEMU_PID"
}

# timeout(1) puts itself in a process group of its own, so a ^C does not
# reach it: pass the signal on, or QEMU runs until its timeout.
# shellcheck disable=SC2317 # a trap handler
interrupted() {
	[[ -z $QEMU_PID ]] || kill -TERM "$QEMU_PID" 2>/dev/null || true
	[[ -z $QEMU_PID ]] || wait "$QEMU_PID" || true
	[[ -z $RUN ]] || rm -rf "$RUN"
	exit 130
}

check_host() {
	local bin pkg
	read -r bin pkg <<<"$LAB_QEMU"
	command -v "$bin" >/dev/null || die "no $bin (apt-get install $pkg)"
	command -v cpio >/dev/null || die "no cpio (apt-get install cpio)"
}

guest_failed() { # WHY
	echo "lab: $1; console tail ($RUN/console.log):" >&2
	tail -n 25 "$RUN/console.log" | sed 's/\x1b\(\[[0-9;?]*[A-Za-z]\|c\)//g' >&2 || true
}

mtime() { stat -c %.3Y "$1" 2>/dev/null || echo ''; }

timing() { # T0 T1
	local t0=$1 t1=$2 s e us ue
	s=$(mtime "$RUN/started") e=$(mtime "$RUN/ended")
	[[ -f $RUN/started ]] && read -r us _ <"$RUN/started" || us=-
	[[ -f $RUN/ended ]] && read -r ue _ <"$RUN/ended" || ue=-
	awk -v t0="$t0" -v t1="$t1" -v s="$s" -v e="$e" -v us="$us" -v ue="$ue" 'BEGIN {
		printf "lab-timing: command start %s s (guest uptime %s), command end %s s (uptime %s), total %.2f s\n",
			s == "" ? "-" : sprintf("%.2f", s - t0), us,
			e == "" ? "-" : sprintf("%.2f", e - t0), ue, t1 - t0 }' >&2
}

lab_main() {
	# shellcheck disable=SC2034 # mem: lab_qemu's
	while (($#)); do
		case $1 in
		--timeout) timeout_s=${2:?} ;;
		--mem) mem=${2:?} ;;
		--) shift && break ;;
		*)
			taken=0
			lab_option "$@" || usage
			shift "$taken"
			continue
			;;
		esac
		(($# > 1)) || usage
		shift 2
	done
	(($#)) || usage
	topology
	check_host

	local vars initrd rc=0 t0 t1
	vars=$("$LAB_DIR/fetch") || die "fetch failed"
	# shellcheck disable=SC2034 # KERNEL: lab_qemu's
	local KV KERNEL MODULES INITMODS ROOTFS BUSYBOX CACHE
	eval "$vars"
	initrd=$(initramfs "${INITMODS%/initmods}" "$BUSYBOX")
	trap interrupted INT TERM
	RUN=$(mktemp -d "${TMPDIR:-/tmp}/vfio-$LAB_NAME-lab.XXXXXX")
	write_run_files "$@"

	t0=$(date +%s.%N)
	lab_qemu "$initrd" || rc=$?
	t1=$(date +%s.%N)
	[[ ! -f $RUN/out ]] || cat "$RUN/out"
	[[ -z ${LAB_TIMING:-} ]] || timing "$t0" "$t1"
	if ((rc == 124 || rc == 137)); then
		guest_failed "timed out after ${timeout_s}s"
		rc=124
	elif [[ -s $RUN/rc ]]; then
		rc=$(<"$RUN/rc")
	else
		guest_failed "the guest did not run the command (QEMU exit $rc)"
		rc=255
	fi
	if ((rc == 124 || rc == 255)) || [[ -n ${LAB_KEEP:-} ]]; then
		echo "lab: run directory kept: $RUN" >&2
	else
		rm -rf "$RUN"
	fi
	exit "$rc"
}
