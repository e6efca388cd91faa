#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian packages the build and tests need, if any is missing. Every make target
# that needs one of them runs this first. Only what is named here is installed
# (--no-install-recommends), so each package the tree uses must be in the list.
set -e
pkgs="make gcc binutils qemu-system-x86 python3 python3-kconfiglib clang-format git graphviz gdb"
# gcc only recommends the C library headers; the host unit tests need them
pkgs="$pkgs libc6-dev"
# make iso (scripts/mkiso.py): grub-mkrescue, its BIOS modules, and the ISO writer
pkgs="$pkgs grub-common grub-pc-bin xorriso"
# the Linux personality (docs/linux.md): musl-gcc for the conformance suite, busybox for the image
pkgs="$pkgs musl-tools busybox-static"
# the AArch64 port: its cross compiler, and QEMU's virt machine (whose
# device trees the host tests read too)
pkgs="$pkgs gcc-aarch64-linux-gnu qemu-system-arm"
# the Linux personality's AArch64 programs: glibc's static libraries for the cross compiler
# (gcc-aarch64-linux-gnu only recommends them)
pkgs="$pkgs libc6-dev-arm64-cross"
# make debug ARCH=aarch64: Debian's gdb knows the host's architecture only
pkgs="$pkgs gdb-multiarch"
# The Linux personality's AArch64 image holds Debian's arm64 busybox-static, which make
# ARCH=aarch64 fetches with apt-get download (not installed: it is the host's /bin/busybox's
# arm64 twin): apt needs arm64's package lists for that. Only an AArch64 build asks for them
# (the Makefile exports ARCH), and an arm64 machine has them as its own.
need_arm64=""
if [ "${ARCH:-x86_64}" = aarch64 ] && [ "$(dpkg --print-architecture)" != arm64 ] &&
    ! dpkg --print-foreign-architectures | grep -qx arm64; then
    need_arm64=yes
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && [ -z "$need_arm64" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
fi
if [ -n "$need_arm64" ]; then
    echo "deps: adding the arm64 architecture's package lists (busybox-static:arm64)"
    $SUDO dpkg --add-architecture arm64
fi
$SUDO apt-get update -qq
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
