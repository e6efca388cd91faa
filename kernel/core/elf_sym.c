/* SPDX-License-Identifier: BSD-2-Clause */
/* Function names for addresses, from a boot module's ELF symbol table (fault reports). */
#include "elf.h"
#include "string.h"

#define SHT_SYMTAB 2
#define STT_NOTYPE 0
#define STT_FUNC   2
#define NEAR_LABEL 64 /* an unsized label (crt0's _start) names at most this many bytes after it */

struct shdr {
    uint32_t name, type;
    uint64_t flags, addr, offset, size;
    uint32_t link, info;
    uint64_t addralign, entsize;
};

struct sym {
    uint32_t name;
    uint8_t info, other;
    uint16_t shndx;
    uint64_t value, size;
};

_Static_assert(sizeof(struct shdr) == 64, "ELF64 section header size");
_Static_assert(sizeof(struct sym) == 24, "ELF64 symbol size");

/* Is [off, off + size) inside a file of len bytes? */
static bool in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

/* Section i of img, copied out (a module need not be aligned); false if it lies outside. */
static bool section(const char *img, size_t len, unsigned i, struct shdr *out)
{
    uint64_t shoff;
    uint16_t shentsize, shnum;

    memcpy(&shoff, img + 40, sizeof(shoff));
    memcpy(&shentsize, img + 58, sizeof(shentsize));
    memcpy(&shnum, img + 60, sizeof(shnum));
    if (shentsize != sizeof(*out) || i >= shnum || !in_file(shoff, (uint64_t)shnum * 64, len))
        return false;
    memcpy(out, img + shoff + (uint64_t)i * sizeof(*out), sizeof(*out));
    return in_file(out->offset, out->size, len);
}

/* The NUL-terminated name at off in string table str, or NULL if it runs past the table. */
static const char *string_at(const char *img, const struct shdr *str, uint32_t off)
{
    for (uint64_t i = off; i < str->size; i++) {
        if (img[str->offset + i] == '\0')
            return i == off ? NULL : img + str->offset + off;
    }
    return NULL;
}

/*
 * An AArch64 mapping symbol ("$x", "$d", "$x.<any>": AAELF64) marks where code or data starts,
 * at the same address as the function it is in: never a name for a frame.
 */
static bool mapping_symbol(const char *name)
{
    return name && name[0] == '$' && (name[1] == 'x' || name[1] == 'd') &&
           (name[2] == '\0' || name[2] == '.');
}

/*
 * Which symbol names addr: a sized function containing it, else the nearest
 * unsized label at most NEAR_LABEL bytes below it (hand-written assembly).
 */
static bool better(const struct sym *s, vaddr_t addr, const struct sym *best)
{
    unsigned type = s->info & 0xf;

    if ((type != STT_FUNC && type != STT_NOTYPE) || s->shndx == 0 || s->value > addr)
        return false;
    if (s->size)
        return addr - s->value < s->size;
    if (addr - s->value >= NEAR_LABEL || (best && best->size))
        return false;
    return !best || s->value > best->value;
}

const char *elf_symbol(const void *image, size_t len, vaddr_t addr, uint64_t *offset)
{
    const char *img = image;
    struct shdr tab, str;
    struct sym best = {0}, s;
    bool found = false;
    uint16_t shnum;

    if (len < 64 || memcmp(img, "\177ELF", 4) != 0)
        return NULL;
    memcpy(&shnum, img + 60, sizeof(shnum));
    for (unsigned i = 0; i < shnum; i++) {
        if (!section(img, len, i, &tab) || tab.type != SHT_SYMTAB)
            continue;
        if (tab.entsize != sizeof(s) || !section(img, len, tab.link, &str))
            return NULL;
        for (uint64_t off = 0; off + sizeof(s) <= tab.size; off += sizeof(s)) {
            memcpy(&s, img + tab.offset + off, sizeof(s));
            if (better(&s, addr, found ? &best : NULL) &&
                !mapping_symbol(string_at(img, &str, s.name))) {
                best = s;
                found = true;
            }
        }
        break; // a static executable has one symbol table
    }
    const char *name = found ? string_at(img, &str, best.name) : NULL;
    if (name)
        *offset = addr - best.value;
    return name;
}
