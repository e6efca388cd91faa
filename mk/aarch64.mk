# SPDX-License-Identifier: BSD-2-Clause
# AArch64 (QEMU virt): Debian's cross compiler; the kernel runs in the upper half of the
# address space (docs/aarch64.md), reached PC-relative (-mcmodel=small).
CROSS      := aarch64-linux-gnu-
QEMU_ARCH  := qemu-system-aarch64
KARCHFLAGS := -mcmodel=small -mno-outline-atomics
# atomics inline (LDAXR/STLXR): Debian's compiler otherwise calls libgcc's __aarch64_* helpers,
# and user programs link no libgcc
UARCHFLAGS := -mno-outline-atomics
ULDEMU     := aarch64linux

# User programs that are x86_64's alone (docs/user-library.md, "Architectures"), each line with
# its reason: the rest build for both. make refuses a name here that is no program in user/.
UARCH_SKIP :=
# PC hardware, reached through I/O ports or at its PC address: no such device on virt
UARCH_SKIP += kbd          # the i8042 PS/2 keyboard controller, ports 0x60 and 0x64
UARCH_SKIP += kbdtest keys # the keyboard service's test and demo: no service without kbd
UARCH_SKIP += hpet         # a user driver for the HPET at 0xfed00000
# The Linux personality's programs (docs/linux.md): glibc's static AArch64 programs, from the
# cross compiler's libc6-dev-arm64-cross (musl for arm64 would need the multiarch package), and
# Debian's busybox-static:arm64, fetched (the Makefile: BUSYBOX_ARCH); its applets are those the
# host's busybox-static of the same version lists, as an arm64 busybox cannot run here
LXCC         := aarch64-linux-gnu-gcc
BUSYBOX_ARCH := arm64
BUSYBOX_LIST := /bin/busybox
# Linux programs not built for AArch64, each with its reason (make bench prints it: bench_arch.py)
LINUX_PROGS_SKIP := lxbench # its clock is x86's rdtsc, and its system (lxbench.toml) the PC's
KELF_FLAGS :=
# what QEMU boots: the raw image (its arm64 Image header first)
KIMAGE      = $(BUILD)/kernel.bin
# what make run boots without SYSTEM=: default.toml's containers without PC hardware
DEFAULT_SYSTEM := virt
