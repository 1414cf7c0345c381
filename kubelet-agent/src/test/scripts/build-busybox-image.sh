#!/bin/sh
# Builds a tiny image from Debian's busybox-static (no registry needed): a root file system with
# busybox and a link for each of its applets, imported into Docker under the tag given (default
# kubeactor-test/busybox:stream). Does nothing when the image exists already.
set -eu
TAG="${1:-kubeactor-test/busybox:stream}"
if docker image inspect "$TAG" >/dev/null 2>&1; then
  exit 0
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
# apt drops to the _apt user for downloads: give it a directory it may write
chmod 777 "$WORK"
apt-get download busybox-static >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download busybox-static >/dev/null; }
dpkg -x busybox-static_*.deb pkg
mkdir -p rootfs/bin rootfs/tmp rootfs/etc
cp pkg/bin/busybox rootfs/bin/busybox
for applet in $(rootfs/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -sf busybox "rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/:/bin/sh' > rootfs/etc/passwd
tar -C rootfs -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$TAG" >/dev/null
