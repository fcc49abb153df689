# Shared by the foreign-architecture labs' fetch scripts (tests/vm/power/fetch,
# tests/vm/arm/fetch), which set these and then source this file and call main:
#   LAB_NAME      the cache directory's name and the log prefix (power, arm64)
#   DEB_ARCH      the Debian architecture (ppc64el, arm64)
#   SUITES        the suites of the private sources list (main component); a
#                 *-security suite comes from the system's security mirror
#   KERNEL_RE     the kernel package (the newest match is taken)
#   KERNEL_FILE   the image in its boot/: FILE-KV (vmlinux, vmlinuz)
#   PACKAGES      the user space; INIT_MODULES the initramfs modules (with
#                 their dependencies, in load order)
#   FORMAT        bumped when the rootfs fix-ups or the kernel tree layout change
#   ENV_PREFIX    the environment knobs: ${ENV_PREFIX}_KERNEL pins the kernel
#                 package, ${ENV_PREFIX}_LISTS_AGE the lists' maximum age (s)
# The cache is ${VFIO_LAB_CACHE:-/var/cache/vfio-tools-lab}/LAB_NAME/; what it
# holds and how the rootfs is made: tests/vm/power/README.md ("Cache").
# shellcheck shell=bash disable=SC2034 # LAB_NAME etc. come from the sourcing script

# The user space: bash, bats, jq, pciutils, kmod, util-linux, the libraries
# vfio-tools links and their -dev packages (the cross build), the utilities
# scripts and bats assume (grep, sed, find, awk, diff) and busybox for the
# initramfs. (The order is part of the cache key: keep it.)
[[ -v PACKAGES ]] || PACKAGES=(bash bats bats-assert bats-support jq pciutils kmod coreutils util-linux
	libpci3 libudev1 libkmod2 libpopt0 libsmartcols1
	libpci-dev libudev-dev libkmod-dev libpopt-dev libsmartcols-dev libc6-dev
	grep sed findutils mawk diffutils procps perl-base mount busybox-static)
[[ -v INIT_MODULES ]] || INIT_MODULES=(9p 9pnet_virtio overlay)

CACHE=${VFIO_LAB_CACHE:-/var/cache/vfio-tools-lab}/$LAB_NAME
APT=$CACHE/apt
knob() { local v=${ENV_PREFIX}_$1; echo "${!v:-}"; }

# The system's mirror for a suite (the security archive for *-security).
mirror_of() { # SUITE
	local m='' kind=main
	[[ $1 == *-security ]] && kind=security
	m=$(awk -v kind="$kind" '
		/^URIs:/ { u = $2 } /^Suites:/ { s = $0 }
		/^$/ { u = ""; s = "" }
		u != "" && s != "" { if ((kind == "security") == (s ~ /-security/)) { print u; exit } u = ""; s = "" }
	' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[[ -n $m ]] || m=$(awk -v kind="$kind" '$1 == "deb" && (kind == "security") == ($2 ~ /security/) { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null || true)
	[[ -n $m ]] || { [[ $kind == security ]] && m=http://deb.debian.org/debian-security || m=http://deb.debian.org/debian; }
	echo "$m"
}

log() { echo "$LAB_NAME-fetch: $*" >&2; }
die() { log "$*"; exit 1; }

apt_opts() {
	local want tmp suite
	mkdir -p "$APT/lists/partial"
	want=$(for suite in "${SUITES[@]}"; do echo "deb $(mirror_of "$suite") $suite main"; done)
	if [[ $(cat "$APT/sources.list" 2>/dev/null) != "$want" ]]; then
		tmp=$(mktemp "$APT/sources.list.XXXXXX")
		echo "$want" >"$tmp"
		mv "$tmp" "$APT/sources.list"
	fi
	O=(-oAPT::Architecture="$DEB_ARCH" -oAPT::Architectures="$DEB_ARCH"
		-oDir::State::Lists="$APT/lists" -oDir::Etc::SourceList="$APT/sources.list"
		-oDir::Etc::SourceParts=/nonexistent -oDir::Cache::pkgcache= -oDir::Cache::srcpkgcache=
		-oDir::State::status=/dev/null -oDebug::NoLocking=1 -oAPT::Sandbox::User=root)
}

lists_present() { compgen -G "$APT/lists/*_Packages*" >/dev/null; }

update_lists() {
	log "apt-get update ($DEB_ARCH, private lists in $APT)"
	apt-get "${O[@]}" -q update >"$APT/update.log" 2>&1 ||
		{ log "apt-get update failed (see $APT/update.log)"; return 1; }
}

# What the resolution depends on: the lists, the package set, the pin.
stamp() {
	{
		cat "$APT"/lists/*InRelease "$APT"/lists/*Release 2>/dev/null || true
		echo "$FORMAT ${PACKAGES[*]} ${INIT_MODULES[*]} $(knob KERNEL)"
	} | sha256sum | cut -c1-32
}

# Sets KPKG KVER DEBS (name=version words) ROOTKEY from apt.
resolve() {
	local uris
	KPKG=$(knob KERNEL)
	[[ -n $KPKG ]] || KPKG=$(apt-cache "${O[@]}" search --names-only "$KERNEL_RE" |
		awk '{ print $1 }' | sort -V | tail -n 1)
	[[ -n $KPKG ]] || die "no package matches $KERNEL_RE in the $DEB_ARCH lists"
	KVER=$(apt-cache "${O[@]}" show --no-all-versions "$KPKG" | awk '/^Version:/ { print $2; exit }')
	[[ -n $KVER ]] || die "no version of $KPKG"
	# An empty dpkg status and an empty archive directory: every package of
	# the closure is printed.
	local empty
	empty=$(mktemp -d)
	uris=$(apt-get "${O[@]}" -oDir::Cache::archives="$empty" -qq --print-uris \
		--no-install-recommends install "${PACKAGES[@]}") || { rmdir "$empty"; die "cannot resolve the user space"; }
	rmdir "$empty"
	# 'URI' FILE SIZE HASH; FILE is NAME_VERSION_ARCH.deb with ':' as %3a.
	DEBS=$(awk '{ f = $2; sub(/\.deb$/, "", f); split(f, p, "_"); gsub(/%3a/, ":", p[2]);
		print p[1] "=" p[2] }' <<<"$uris" | sort)
	[[ -n $DEBS ]] || die "empty package closure"
	ROOTKEY=$(printf '%s\n' "$FORMAT" "$DEBS" | sha256sum | cut -c1-16)
}

# shellcheck disable=SC2016 # the inner shell expands them
decompress_tree() { # DIR
	find "$1" \( -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz' \) -print0 |
		xargs -0 -r -P "$(nproc)" -n 64 sh -e -c '
			for f; do
				case $f in
				*.xz) xz -d "$f" ;;
				*.zst) zstd -q --rm -d "$f" ;;
				*.gz) gzip -d "$f" ;;
				esac
			done' sh
}

# modprobe --show-depends resolves only its first name, hence one call each.
init_modules() { # KROOT KV DEST
	local kroot=$1 kv=$2 dest=$3 mod word path name
	declare -A seen=()
	mkdir -p "$dest"
	: >"$dest/load-order"
	for mod in "${INIT_MODULES[@]}"; do
		while read -r word path _; do
			[[ $word == insmod ]] || continue
			name=${path##*/}
			[[ -n ${seen[$name]:-} ]] && continue
			seen[$name]=1
			cp "$path" "$dest/$name"
			echo "$name" >>"$dest/load-order"
		done < <(modprobe -d "$kroot" -S "$kv" --show-depends "$mod")
	done
}

unpack_kernel() { # DIR
	local dir=$1 work=$1.partial deb kv
	rm -rf "$work"
	mkdir -p "$work"
	log "downloading $KPKG $KVER"
	(cd "$work" && apt-get "${O[@]}" -q download "$KPKG=$KVER" >&2) || return 1
	deb=("$work"/*.deb)
	dpkg -x "${deb[0]}" "$work/kroot"
	rm -f "${deb[@]}"
	kv=$(ls "$work/kroot/lib/modules")
	[[ -f $work/kroot/boot/$KERNEL_FILE-$kv ]] || die "no $KERNEL_FILE-$kv in $KPKG"
	log "decompressing the modules of $kv"
	decompress_tree "$work/kroot/lib/modules/$kv"
	depmod -b "$work/kroot" "$kv"
	init_modules "$work/kroot" "$kv" "$work/initmods"
	echo "$kv" >"$work/version"
	touch "$work/ready"
	mv "$work" "$dir"
}

# dpkg -x without maintainer scripts; then what the scripts would have done,
# as far as the lab needs it.
fixup_rootfs() { # ROOT
	local r=$1 d
	mkdir -p "$r"/{dev,proc,sys,run,tmp,var/tmp,root,home,mnt,etc,lib/modules}
	chmod 1777 "$r/tmp" "$r/var/tmp"
	chmod 0700 "$r/root"
	cat >"$r/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/bash
		daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
		bin:x:2:2:bin:/bin:/usr/sbin/nologin
		sys:x:3:3:sys:/dev:/usr/sbin/nologin
		nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
	EOF
	cat >"$r/etc/group" <<-'EOF'
		root:x:0:
		daemon:x:1:
		bin:x:2:
		sys:x:3:
		adm:x:4:
		tty:x:5:
		disk:x:6:
		kvm:x:104:
		nogroup:x:65534:
	EOF
	printf 'root:*::0:99999:7:::\nnobody:*:19000:0:99999:7:::\n' >"$r/etc/shadow"
	chmod 0640 "$r/etc/shadow"
	printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$r/etc/nsswitch.conf"
	printf '127.0.0.1 localhost\n' >"$r/etc/hosts"
	echo "$LAB_NAME-lab" >"$r/etc/hostname"
	ln -sfn ../proc/self/mounts "$r/etc/mtab"
	# update-alternatives links the postinsts would have made.
	[[ -e $r/usr/bin/awk ]] || ln -s mawk "$r/usr/bin/awk"
	[[ -e $r/usr/bin/which || ! -e $r/usr/bin/which.debianutils ]] ||
		ln -s which.debianutils "$r/usr/bin/which"
	[[ -e $r/usr/bin/pager || ! -e $r/usr/bin/more ]] || ln -s more "$r/usr/bin/pager"
	# /bin/sh is dash's in Debian; bash serves here.
	[[ -e $r/usr/bin/sh ]] || ln -s bash "$r/usr/bin/sh"
	for d in bin sbin lib lib64; do
		[[ -L $r/$d ]] || die "$r/$d is not the merged-/usr symlink"
	done
	# Absolute links point out of the tree on the host: the cross linker
	# follows libc.so's /lib64/ld64.so.2 (a link to /lib/...) there.
	local link target
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		ln -sfn "$(realpath -ms --relative-to="${link%/*}" "$r$target")" "$link"
	done < <(find "$r" -type l -lname '/*' -print0)
}

# apt-get download names a file NAME_VERSION_ARCH.deb, ':' written as %3a.
deb_of() { # NAME=VERSION
	local name=${1%%=*} ver=${1#*=} debs
	debs=("$CACHE/debs/${name}_${ver//:/%3a}_"*.deb)
	[[ -f ${debs[0]} ]] && echo "${debs[0]}"
}

unpack_rootfs() { # DIR
	local dir=$1 work=$1.partial f missing=() d deb
	mkdir -p "$CACHE/debs"
	for f in $DEBS; do
		deb_of "$f" >/dev/null || missing+=("$f")
	done
	if ((${#missing[@]})); then
		log "downloading ${#missing[@]} $DEB_ARCH packages"
		(cd "$CACHE/debs" && apt-get "${O[@]}" -q download "${missing[@]}" >&2) || return 1
	fi
	rm -rf "$work"
	mkdir -p "$work/root/usr"/{bin,sbin,lib,lib64}
	# Merged /usr: tar follows these links instead of replacing them.
	for d in bin sbin lib lib64; do ln -s "usr/$d" "$work/root/$d"; done
	for f in $DEBS; do
		deb=$(deb_of "$f") || die "no .deb for $f in $CACHE/debs"
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$work/root" --keep-directory-symlink --no-same-owner \
				--exclude=./usr/share/doc/* --exclude=./usr/share/man/* \
				--exclude=./usr/share/info/* --exclude=./usr/share/locale/*
		echo "${deb##*/}" >>"$work/packages"
	done
	fixup_rootfs "$work/root"
	touch "$work/ready"
	mv "$work" "$dir"
}

newest_ready() { # GLOB
	local d dirs=()
	for d in $1; do [[ -f $d/ready ]] && dirs+=("${d%/}"); done
	((${#dirs[@]})) || return 1
	printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1
}

lists_stale() { # UPDATE
	local age max
	max=$(knob LISTS_AGE)
	[[ $1 == 1 ]] && return
	lists_present || return 0
	age=$(($(date +%s) - $(stat -c %Y "$APT/lists" 2>/dev/null || echo 0)))
	((age > ${max:-604800}))
}

# Sets KDIR RDIR from the last resolution when it still holds.
resolved_holds() {
	local st line
	st=$(stamp)
	[[ -f $CACHE/resolved ]] || return 1
	read -r line <"$CACHE/resolved" || true
	[[ $line == "$st "* ]] || return 1
	read -r _ KDIR RDIR <<<"$line"
	[[ -f $KDIR/ready && -f $RDIR/ready ]]
}

# Sets KDIR RDIR. The warm path takes no lock and starts no apt.
locate() { # UPDATE
	apt_opts
	! lists_stale "$1" && resolved_holds && return
	exec 9>"$CACHE/.lock"
	flock 9
	if lists_stale "$1"; then
		if update_lists; then
			touch "$APT/lists"
		elif ! lists_present; then
			# Offline: whatever is cached.
			KDIR=$(newest_ready "$CACHE/linux-image-*/") || die "no $DEB_ARCH lists and no kernel cached"
			RDIR=$(newest_ready "$CACHE/rootfs-*/") || die "no $DEB_ARCH lists and no user space cached"
			log "using the cached ${KDIR##*/} and ${RDIR##*/}"
			exec 9>&-
			return
		fi
	fi
	if ! resolved_holds; then
		resolve
		KDIR=$CACHE/${KPKG}_$KVER
		RDIR=$CACHE/rootfs-$ROOTKEY
		if { [[ ! -f $KDIR/ready ]] && ! unpack_kernel "$KDIR"; } ||
			{ [[ ! -f $RDIR/ready ]] && ! unpack_rootfs "$RDIR"; }; then
			# Stale lists (the mirror moved on): refresh once.
			update_lists || die "cannot download the packages, and apt-get update failed"
			resolve
			KDIR=$CACHE/${KPKG}_$KVER
			RDIR=$CACHE/rootfs-$ROOTKEY
			[[ -f $KDIR/ready ]] || unpack_kernel "$KDIR" || die "cannot download $KPKG"
			[[ -f $RDIR/ready ]] || unpack_rootfs "$RDIR" || die "cannot download the user space"
		fi
		echo "$(stamp) $KDIR $RDIR" >"$CACHE/resolved.tmp"
		mv "$CACHE/resolved.tmp" "$CACHE/resolved"
	fi
	exec 9>&-
}

main() {
	local update=0 get='' kv busybox
	while (($#)); do
		case $1 in
		--update) update=1 ;;
		--get) get=${2:?}; shift ;;
		*) die "usage: fetch [--update] [--get KV|KERNEL|MODULES|INITMODS|ROOTFS|BUSYBOX|CACHE]" ;;
		esac
		shift
	done
	mkdir -p "$CACHE"
	locate "$update"
	kv=$(<"$KDIR/version")
	busybox=$RDIR/root/usr/bin/busybox
	[[ -x $busybox ]] || busybox=$RDIR/root/bin/busybox
	local -A v=([KV]=$kv [KERNEL]=$KDIR/kroot/boot/$KERNEL_FILE-$kv
		[MODULES]=$KDIR/kroot/lib/modules/$kv [INITMODS]=$KDIR/initmods
		[ROOTFS]=$RDIR/root [BUSYBOX]=$busybox [CACHE]=$CACHE)
	if [[ -n $get ]]; then
		[[ -v v[$get] ]] || die "unknown name $get"
		echo "${v[$get]}"
	else
		for k in KV KERNEL MODULES INITMODS ROOTFS BUSYBOX CACHE; do
			printf '%s=%q\n' "$k" "${v[$k]}"
		done
	fi
}

