# shellcheck shell=bash
# Cached Debian roots for tests/package: `debootstrap --variant=minbase` of a
# suite from this machine's mirror (tests/vm/newest-apt.bash: debian_mirror),
# with extra packages, made once into
#   ${VFIO_LAB_CACHE:-/var/cache/vfio-tools-lab}/roots/SUITE-HASH/root
# where HASH covers the suite, the mirror and the package list, so a new
# dependency makes a new root. Tests work on a copy (debroot_copy): the cached
# root is never changed. Needs root (debootstrap, chroot).

CACHE=${VFIO_LAB_CACHE:-/var/cache/vfio-tools-lab}
DEBROOT_CACHE=$CACHE/roots
. "$(dirname "${BASH_SOURCE[0]}")/../vm/newest-apt.bash"

# debroot_dir SUITE [PACKAGE...]: the cached root's directory for these packages
# (whether made or not: it is ready when DIR/ready exists).
debroot_dir() {
	local suite=$1 key
	shift
	key=$(printf '%s\n' minbase "$suite" "$(debian_mirror)" "$@" | LC_ALL=C sort | sha256sum | cut -c1-12)
	echo "$DEBROOT_CACHE/$suite-$key"
}

# debroot SUITE [PACKAGE...]: prints the cached root's directory, made first if
# missing (under its own lock, so parallel callers make it once); on failure prints
# the end of debootstrap's log on stderr and returns 1.
debroot() {
	local suite=$1 mirror work lock include=() rc=0 dir
	shift
	(($#)) && include=(--include="$(IFS=,; echo "$*")")
	mirror=$(debian_mirror)
	dir=$(debroot_dir "$suite" "$@")
	if [[ ! -f $dir/ready ]]; then
		mkdir -p "$DEBROOT_CACHE"
		exec {lock}>"$dir.lock"
		flock "$lock"
		if [[ ! -f $dir/ready ]]; then
			work=$dir.partial
			rm -rf "$work"
			mkdir -p "$work"
			debootstrap --variant=minbase "${include[@]}" "$suite" "$work/root" "$mirror" \
				>"$work/debootstrap.log" 2>&1 || rc=$?
			# debootstrap leaves the downloaded .debs in apt's cache
			((rc != 0)) || chroot "$work/root" apt-get clean || rc=$?
			if ((rc == 0)); then
				printf '%s\n' "$suite" "$mirror" "$@" >"$work/packages"
				touch "$work/ready"
				mv "$work" "$dir"
			else
				tail -n 20 "$work/debootstrap.log" >&2
				echo "debroot: debootstrap $suite: exit $rc (log: $work/debootstrap.log)" >&2
			fi
		fi
		exec {lock}>&-
	fi
	((rc == 0)) && echo "$dir/root"
}

# debroot_copy ROOT DEST: a private copy of a cached root: an overlay mount
# (DEST.upper holds the changes) where the kernel allows, else cp -a.
debroot_copy() {
	mkdir -p "$2" "$2.upper" "$2.ovl"
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$2.upper,workdir=$2.ovl" "$2" 2>/dev/null ||
		{ rmdir "$2" && cp -a "$1" "$2"; }
}

# debroot_release DEST: unmounts what debroot_copy mounted (DEST stays, for rm -rf).
debroot_release() {
	! mountpoint -q "$1" || umount "$1"
}

# debroot_tree_copy TOP DEST: a clean copy of the source tree TOP: what a fresh
# clone holds, plus untracked files that git does not ignore (so that
# uncommitted work is tested too); without git, all but build*/ and .git.
debroot_tree_copy() {
	local top=$1
	mkdir -p "$2"
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$top" ls-files -z -co --exclude-standard |
			while IFS= read -r -d '' f; do
				[[ -e $top/$f || -L $top/$f ]] && printf '%s\0' "$f"
			done | tar -C "$top" --null -T - -cf - | tar -C "$2" -xf -
	else
		tar -C "$top" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$2" -xf -
	fi
}
