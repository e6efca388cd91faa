# SPDX-License-Identifier: BSD-2-Clause
# x86_64: the host's own compiler; the kernel sits in the top 2 GiB (-mcmodel=kernel) and is
# rewrapped as ELF32 for QEMU's multiboot loader.
CROSS      :=
QEMU_ARCH  := qemu-system-x86_64
KARCHFLAGS := -mcmodel=kernel -mno-red-zone
UARCHFLAGS := -mno-red-zone
ULDEMU     := elf_x86_64
KELF_FLAGS := -O elf32-i386
# user programs that do not build for this architecture, each with its reason
UARCH_SKIP :=
UARCH_SKIP += a64doc   # AArch64's system registers, PMU and generic timer (tests A64DOC)
UARCH_SKIP += cntptest # AArch64's physical timer lent to its line's binder (CNTP-xxx)
# the Linux personality's programs (docs/linux.md): musl's static x86_64 programs, and the
# host's busybox-static in the image
LXCC         := musl-gcc
BUSYBOX      := /bin/busybox
BUSYBOX_LIST := /bin/busybox
# what QEMU boots
KIMAGE      = $(BUILD)/kernel.elf
# what make run boots without SYSTEM=
DEFAULT_SYSTEM := default
