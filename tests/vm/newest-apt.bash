# shellcheck shell=bash
# A private apt configuration for Debian's unstable suite (the newest kernel
# and its source, issue 19), sourced by kernel-fetch and kernel-build: the
# system's mirror, lists in $CACHE/newest-apt refreshed when older than
# VFIO_LAB_NEWEST_LISTS_AGE seconds (default 7 days); the host's sources,
# lists and dpkg state are neither used nor changed. Needs CACHE and log.

NEWEST_APT=$CACHE/newest-apt
NEWEST_APT_OPTS=()

# The Debian mirror this machine's apt uses (also tests/package's debootstrap roots).
debian_mirror() {
	local mirror
	mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
	echo "${mirror:-http://deb.debian.org/debian}"
}

newest_apt() {
	local mirror age=${VFIO_LAB_NEWEST_LISTS_AGE:-604800} lists
	mirror=$(debian_mirror)
	mkdir -p "$NEWEST_APT/lists/partial"
	echo "deb $mirror unstable main" >"$NEWEST_APT/sources.list"
	NEWEST_APT_OPTS=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64
		-oDir::State::Lists="$NEWEST_APT/lists" -oDir::Etc::SourceList="$NEWEST_APT/sources.list"
		-oDir::Etc::SourceParts=/nonexistent -oDir::Cache::pkgcache= -oDir::Cache::srcpkgcache=
		-oDir::State::status=/dev/null -oDebug::NoLocking=1 -oAPT::Sandbox::User=root)
	lists=$(find "$NEWEST_APT/lists" -maxdepth 1 -name '*_Packages*' -newermt "-$age seconds" 2>/dev/null | head -n 1)
	if [[ -z $lists ]]; then
		log "apt-get update (unstable, private lists in $NEWEST_APT)"
		apt-get "${NEWEST_APT_OPTS[@]}" -q update >"$NEWEST_APT/update.log" 2>&1 ||
			log "apt-get update failed (see $NEWEST_APT/update.log)"
	fi
}

# The newest package whose name matches REGEX, per the private lists.
newest_apt_package() { # REGEX
	apt-cache "${NEWEST_APT_OPTS[@]}" search --names-only "$1" | awk '{ print $1 }' | sort -V | tail -n 1
}

newest_apt_version() { # PACKAGE
	apt-cache "${NEWEST_APT_OPTS[@]}" show --no-all-versions "$1" 2>/dev/null | awk '/^Version:/ { print $2; exit }'
}
