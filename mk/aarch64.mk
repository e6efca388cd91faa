# SPDX-License-Identifier: BSD-2-Clause
# AArch64 (QEMU virt): Debian's cross compiler; the kernel runs in the upper half of the
# address space (docs/aarch64.md), reached PC-relative (-mcmodel=small).
CROSS      := aarch64-linux-gnu-
QEMU_ARCH  := qemu-system-aarch64
KARCHFLAGS := -mcmodel=small -mstrict-align
UARCHFLAGS :=
ULDEMU     := aarch64linux
