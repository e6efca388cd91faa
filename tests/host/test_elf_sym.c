/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of symbol lookup in an ELF image: names found, and every malformed table refused. */
// uses: kernel/core/elf_sym.c
#include "check.h"
#include "elf.h"

#include <string.h>

/* Our own copies of the on-disk layouts, so a mistake in elf_sym.c's is not repeated here. */
struct test_shdr {
    uint32_t name, type;
    uint64_t flags, addr, offset, size;
    uint32_t link, info;
    uint64_t addralign, entsize;
};

struct test_sym {
    uint32_t name;
    uint8_t info, other;
    uint16_t shndx;
    uint64_t value, size;
};

#define SHOFF   0x100 /* three section headers */
#define SYMOFF  0x200 /* six symbols */
#define STROFF  0x300
#define IMG_LEN 0x340

static const char strtab[] = "\0main\0_start\0table\0undef\0$x\0";

static const struct test_sym syms[] = {
    {0, 0, 0, 0, 0, 0},
    {25, 0x00, 0, 1, 0x400000, 0},    /* $x: AArch64 mapping symbol at _start, listed first */
    {1, 0x12, 0, 1, 0x401000, 0x20},  /* main: global function */
    {6, 0x10, 0, 1, 0x400000, 0},     /* _start: unsized label */
    {13, 0x11, 0, 2, 0x402000, 0x10}, /* table: an object, never a function name */
    {19, 0x12, 0, 0, 0x403000, 0x10}, /* undef: undefined */
};

static unsigned char img[IMG_LEN];
static struct test_shdr *sh;

/* A valid image: header, null section, .symtab (linked to section 2), .strtab. */
static void build(void)
{
    uint64_t shoff = SHOFF;
    uint16_t shentsize = 64, shnum = 3;

    memset(img, 0, sizeof(img));
    memcpy(img, "\177ELF\2\1", 6);
    memcpy(img + 40, &shoff, 8);
    memcpy(img + 58, &shentsize, 2);
    memcpy(img + 60, &shnum, 2);
    sh = (struct test_shdr *)(img + SHOFF);
    sh[1] = (struct test_shdr){.type = 2,
                               .offset = SYMOFF,
                               .size = sizeof(syms),
                               .link = 2,
                               .entsize = sizeof(struct test_sym)};
    sh[2] = (struct test_shdr){.type = 3, .offset = STROFF, .size = sizeof(strtab)};
    memcpy(img + SYMOFF, syms, sizeof(syms));
    memcpy(img + STROFF, strtab, sizeof(strtab));
}

static const char *look(vaddr_t addr, uint64_t *off)
{
    *off = 0xdead;
    return elf_symbol(img, sizeof(img), addr, off);
}

static void names_function_and_offset(void)
{
    uint64_t off;

    build();
    const char *n = look(0x401008, &off);
    CHECK(n && strcmp(n, "main") == 0);
    CHECK_EQ(off, 8);
    n = look(0x401000, &off);
    CHECK(n && strcmp(n, "main") == 0);
    CHECK_EQ(off, 0);
}

static void names_nearby_label(void)
{
    uint64_t off;

    build();
    const char *n = look(0x40000a, &off);
    CHECK(n && strcmp(n, "_start") == 0); // not "$x", the mapping symbol before it
    CHECK_EQ(off, 10);
    CHECK(look(0x400000 + 64, &off) == NULL); // too far past an unsized label
    CHECK_EQ(off, 0xdead);
}

static void names_nothing_outside_functions(void)
{
    uint64_t off;

    build();
    CHECK(look(0x401020, &off) == NULL); // one past main's end
    CHECK(look(0x402004, &off) == NULL); // an object
    CHECK(look(0x403004, &off) == NULL); // an undefined symbol
    CHECK(look(0x3fffff, &off) == NULL);
}

static void refuses_bad_images(void)
{
    uint64_t off;

    build();
    CHECK(elf_symbol(img, 63, 0x401008, &off) == NULL); // shorter than a header
    img[0] = 0;
    CHECK(look(0x401008, &off) == NULL); // not ELF
    build();
    CHECK(elf_symbol(img, SHOFF + 64, 0x401008, &off) == NULL); // headers past the end
    img[58] = 40;
    CHECK(look(0x401008, &off) == NULL); // wrong section header size
}

static void refuses_bad_tables(void)
{
    uint64_t off;

    build();
    sh[1].type = 1;
    CHECK(look(0x401008, &off) == NULL); // no symbol table
    build();
    sh[1].entsize = 16;
    CHECK(look(0x401008, &off) == NULL);
    build();
    sh[1].size = IMG_LEN; // symbols run past the file
    CHECK(look(0x401008, &off) == NULL);
    build();
    sh[1].link = 7; // no such string table
    CHECK(look(0x401008, &off) == NULL);
    build();
    sh[2].offset = IMG_LEN - 4; // string table runs past the file
    CHECK(look(0x401008, &off) == NULL);
    build();
    sh[2].size = 3; // "main" runs past the end of its table
    CHECK(look(0x401008, &off) == NULL);
    CHECK_EQ(off, 0xdead);
}

int main(void)
{
    RUN("elf_sym", names_function_and_offset);
    RUN("elf_sym", names_nearby_label);
    RUN("elf_sym", names_nothing_outside_functions);
    RUN("elf_sym", refuses_bad_images);
    RUN("elf_sym", refuses_bad_tables);
    return CHECK_DONE();
}
