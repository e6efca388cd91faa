/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root file system image (scripts/mklinuxfs.py, docs/linux-files.md), linked into the
 * server's read-only data: fs_img.c reads it in place. Page-aligned, as the image aligns each
 * file's contents to a page. The Makefile names the file (LX_ROOTFS_IMG).
 */
    .section .rodata
    .balign 4096
    .global lx_rootfs
lx_rootfs:
    .incbin LX_ROOTFS_IMG
    .global lx_rootfs_end
lx_rootfs_end:
    .section .note.GNU-stack, "", @progbits
