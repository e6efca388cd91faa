/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF64 executable checking (hardware free): everything the loader relies on is verified here. */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "types.h"

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
    vaddr_t vaddr;   /* page aligned down */
    uint64_t memsz;  /* from vaddr, page aligned up */
    uint64_t offset; /* file offset of the first byte at the original p_vaddr */
    uint64_t skip;   /* original p_vaddr - vaddr */
    uint64_t filesz;
    unsigned perms; /* ELF_R | ELF_W | ELF_X */
};

#define ELF_R 1u
#define ELF_W 2u
#define ELF_X 4u

struct elf_image {
    vaddr_t entry;
    unsigned nsegments;
    struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Check that img[0..len) is a static ELF64 executable for machine whose
 * loadable segments lie in [page_size, user_top), fit in the file, do not
 * share pages, and contain the entry point in an executable segment.
 * On success fills *out and returns NULL; otherwise returns why not.
 */
const char *elf_check(const void *img, size_t len, unsigned machine, vaddr_t user_top,
                      struct elf_image *out);

/*
 * The name of the function (or assembly label) at addr in the ELF image
 * img[0..len), from its symbol table, with addr's offset into it in *offset;
 * NULL when the image has no symbol table or no symbol covers addr. The name
 * points into img. Nothing in img is trusted: every offset is checked.
 */
const char *elf_symbol(const void *img, size_t len, vaddr_t addr, uint64_t *offset);

#endif
