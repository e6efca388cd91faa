# SPDX-License-Identifier: BSD-2-Clause
# AArch64 (QEMU virt): Debian's cross compiler; the kernel runs in the upper half of the
# address space (docs/aarch64.md), reached PC-relative (-mcmodel=small).
CROSS      := aarch64-linux-gnu-
QEMU_ARCH  := qemu-system-aarch64
KARCHFLAGS := -mcmodel=small
UARCHFLAGS :=
ULDEMU     := aarch64linux
# Generic kernel files that serve x86_64's assembly fastpaths only (entry.S, notify_fast.S,
# fault_fast.S): AArch64 takes the general path for every call until they are ported
KSRC_SKIP  := kernel/core/fastpath.c kernel/core/fault_fast.c kernel/core/notify_fast.c
KELF_FLAGS :=
