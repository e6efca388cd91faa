/* SPDX-License-Identifier: BSD-2-Clause */
/* ELF64 executable checking: the loader trusts nothing in a boot module it has not checked here. */
#include "elf.h"

#include "string.h"

#define PAGE    4096u
#define PT_LOAD 1
#define ET_EXEC 2

struct ehdr {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct ehdr) == 64, "ELF64 header size");
_Static_assert(sizeof(struct phdr) == 56, "ELF64 program header size");

static const char *check_header(const struct ehdr *h, size_t len, unsigned machine)
{
    if (len < sizeof(*h) || memcmp(h->ident, "\177ELF", 4) != 0)
        return "not an ELF file";
    if (h->ident[4] != 2 || h->ident[5] != 1)
        return "not ELF64 little-endian";
    if (h->type != ET_EXEC)
        return "not a static executable";
    if (h->machine != machine)
        return "built for another machine";
    if (h->phentsize != sizeof(struct phdr) || h->phnum == 0)
        return "bad program header size or count";
    if (h->phoff > len || (uint64_t)h->phnum * sizeof(struct phdr) > len - h->phoff)
        return "program headers lie outside the file";
    return NULL;
}

static const char *check_segment(const struct phdr *p, size_t len, vaddr_t user_top,
                                 struct elf_segment *s)
{
    if (p->memsz == 0)
        return "empty loadable segment";
    if (p->filesz > p->memsz)
        return "segment file size exceeds memory size";
    if (p->offset > len || p->filesz > len - p->offset)
        return "segment data lies outside the file";
    if (p->vaddr < PAGE || p->vaddr >= user_top || p->memsz > user_top - p->vaddr)
        return "segment outside user space";
    s->vaddr = p->vaddr & ~(uint64_t)(PAGE - 1);
    s->skip = p->vaddr - s->vaddr;
    s->memsz = ((p->vaddr + p->memsz + PAGE - 1) & ~(uint64_t)(PAGE - 1)) - s->vaddr;
    s->offset = p->offset;
    s->filesz = p->filesz;
    s->perms = (p->flags & 4 ? ELF_R : 0) | (p->flags & 2 ? ELF_W : 0) | (p->flags & 1 ? ELF_X : 0);
    return NULL;
}

static bool overlaps(const struct elf_segment *a, const struct elf_segment *b)
{
    return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

const char *elf_check(const void *img, size_t len, unsigned machine, vaddr_t user_top,
                      struct elf_image *out)
{
    struct ehdr hdr;
    const struct ehdr *h = &hdr;

    /* copy headers out: a module need not be aligned for the structs */
    if (len < sizeof(hdr))
        return "not an ELF file";
    memcpy(&hdr, img, sizeof(hdr));
    const char *why = check_header(h, len, machine);
    if (why)
        return why;
    out->nsegments = 0;
    out->entry = h->entry;
    bool entry_ok = false;
    for (unsigned i = 0; i < h->phnum; i++) {
        struct phdr ph;
        const struct phdr *p = &ph;
        memcpy(&ph, (const char *)img + h->phoff + i * sizeof(ph), sizeof(ph));
        if (p->type != PT_LOAD)
            continue;
        if (out->nsegments == ELF_MAX_SEGMENTS)
            return "too many loadable segments";
        struct elf_segment *s = &out->seg[out->nsegments];
        if ((why = check_segment(p, len, user_top, s)))
            return why;
        for (unsigned j = 0; j < out->nsegments; j++) {
            if (overlaps(s, &out->seg[j]))
                return "segments share a page";
        }
        if ((s->perms & ELF_X) && h->entry >= p->vaddr && h->entry < p->vaddr + p->memsz)
            entry_ok = true;
        out->nsegments++;
    }
    if (out->nsegments == 0)
        return "no loadable segment";
    if (!entry_ok)
        return "entry point not in an executable segment";
    return NULL;
}
