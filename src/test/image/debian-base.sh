#!/usr/bin/env bash
# Makes a Debian bookworm base image with debootstrap and docker import, for building podhogs's
# image where no image can be pulled (BASE_IMAGE=podhogs-test/debian:bookworm). It stands in for
# debian:bookworm-slim: a minimal Debian with apt, set up to reach the same mirror as this host.
# Does nothing if the image is there. Needs root, debootstrap and a running Docker engine.
set -euo pipefail
image=${1:-podhogs-test/debian:bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debian-base.sh: apt-get install -y debootstrap" >&2; exit 2; }

root=$(mktemp -d /var/tmp/podhogs-debian.XXXXXX)
trap 'rm -rf "$root" "$root.log"' EXIT
if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1; then
  echo "debian-base.sh: debootstrap failed:" >&2
  tail -30 "$root.log" >&2
  exit 1
fi
# This host's apt settings for reaching its mirror (proxies, a snapshot's validity), if any.
for f in /etc/apt/apt.conf.d/*; do
  if [ -f "$f" ] && grep -q '^Acquire::' "$f"; then
    cp "$f" "$root/etc/apt/apt.conf.d/"
  fi
done
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "debian-base.sh: made $image" >&2
