#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian packages the build and tests need, if any is missing.
set -e
pkgs="make gcc binutils qemu-system-x86 python3 python3-kconfiglib clang-format git graphviz gdb"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
