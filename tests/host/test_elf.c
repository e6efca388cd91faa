/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the ELF64 executable checker: one valid image and one test per rejection. */
// uses: kernel/core/elf.c
#include "check.h"
#include "elf.h"

#include <string.h>

#define MACHINE  62 /* EM_X86_64 */
#define USER_TOP (0x00007ffffff00000ull - 0x10000)
#define IMG_MAX  0x3000 /* bytes in a built image */
#define PH_MAX   12     /* program headers a builder can hold */

#define PT_NULL 0
#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X    1
#define PF_W    2
#define PF_R    4

/* Our own copies of the on-disk layouts, so a mistake in elf.c's is not repeated here. */
struct test_ehdr {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct test_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct test_ehdr) == 64, "ELF64 header size");
_Static_assert(sizeof(struct test_phdr) == 56, "ELF64 program header size");

/* Fields are edited by the tests, then serialised into a byte image by run(). */
struct builder {
    struct test_ehdr eh;
    struct test_phdr ph[PH_MAX];
    unsigned nph;
    size_t len; /* file length handed to elf_check */
};

static struct builder b;
static struct elf_image img;

/* A bare header with no program headers yet. */
static void start(void)
{
    memset(&b, 0, sizeof(b));
    b.eh.ident[0] = 0x7f;
    b.eh.ident[1] = 'E';
    b.eh.ident[2] = 'L';
    b.eh.ident[3] = 'F';
    b.eh.ident[4] = 2; /* ELFCLASS64 */
    b.eh.ident[5] = 1; /* ELFDATA2LSB */
    b.eh.ident[6] = 1; /* EV_CURRENT */
    b.eh.type = 2;     /* ET_EXEC */
    b.eh.machine = MACHINE;
    b.eh.version = 1;
    b.eh.entry = 0x400010;
    b.eh.phoff = sizeof(struct test_ehdr);
    b.eh.ehsize = sizeof(struct test_ehdr);
    b.eh.phentsize = sizeof(struct test_phdr);
    b.len = IMG_MAX;
}

static struct test_phdr *add(uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                             uint64_t filesz, uint64_t memsz)
{
    struct test_phdr *p = &b.ph[b.nph++];

    *p = (struct test_phdr){.type = type,
                            .flags = flags,
                            .offset = offset,
                            .vaddr = vaddr,
                            .paddr = vaddr,
                            .filesz = filesz,
                            .memsz = memsz,
                            .align = 0x1000};
    b.eh.phnum = (uint16_t)b.nph;
    return p;
}

/* The valid image: text R+X at 0x400000, data RW at 0x401100 with a .bss tail. */
static void valid(void)
{
    start();
    add(PT_LOAD, PF_R | PF_X, 0x1000, 0x400000, 0x800, 0x800);
    add(PT_LOAD, PF_R | PF_W, 0x2100, 0x401100, 0x100, 0x1800);
}

/* Serialise b into buf (IMG_MAX bytes); headers that fall outside the buffer are dropped. */
static void serialise(unsigned char *buf)
{
    for (size_t i = 0; i < IMG_MAX; i++)
        buf[i] = (unsigned char)(i * 7 + 1); /* segment "contents" */
    memcpy(buf, &b.eh, sizeof(b.eh));
    for (unsigned i = 0; i < b.nph; i++) {
        uint64_t at = b.eh.phoff + (uint64_t)i * sizeof(struct test_phdr);
        if (b.eh.phoff <= IMG_MAX && at + sizeof(struct test_phdr) <= IMG_MAX)
            memcpy(buf + at, &b.ph[i], sizeof(struct test_phdr));
    }
}

/*
 * Check b as a file of exactly b.len bytes at buffer offset shift. The file is copied into a
 * heap block of exactly shift + b.len bytes, so any read past the end trips AddressSanitizer.
 */
static const char *run_at(size_t shift)
{
    static unsigned char whole[IMG_MAX];
    unsigned char *heap = malloc(shift + b.len + 1); /* +1: malloc(0) may return NULL */

    serialise(whole);
    if (!heap)
        abort();
    memcpy(heap + shift, whole, b.len <= IMG_MAX ? b.len : IMG_MAX);
    memset(&img, 0xa5, sizeof(img));
    const char *why = elf_check(heap + shift, b.len, MACHINE, USER_TOP, &img);
    free(heap);
    return why;
}

static const char *run(void)
{
    return run_at(0);
}

#define CHECK_WHY(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (g_ != w_ && (!g_ || !w_ || strcmp(g_, w_) != 0)) {                                     \
            printf("    %s:%d: %s returned \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got,   \
                   g_ ? g_ : "(accepted)", w_ ? w_ : "(accepted)");                                \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

/* --- accepted images ------------------------------------------------------------------------- */

static void accepts_two_segment_image(void)
{
    valid();
    CHECK_WHY(run(), NULL);
    CHECK_EQ(img.entry, 0x400010);
    CHECK_EQ(img.nsegments, 2);

    CHECK_EQ(img.seg[0].vaddr, 0x400000);
    CHECK_EQ(img.seg[0].skip, 0);
    CHECK_EQ(img.seg[0].memsz, 0x1000); /* 0x800 rounded up to a page */
    CHECK_EQ(img.seg[0].offset, 0x1000);
    CHECK_EQ(img.seg[0].filesz, 0x800);
    CHECK_EQ(img.seg[0].perms, ELF_R | ELF_X);

    CHECK_EQ(img.seg[1].vaddr, 0x401000); /* 0x401100 aligned down */
    CHECK_EQ(img.seg[1].skip, 0x100);
    CHECK_EQ(img.seg[1].memsz, 0x2000); /* 0x401000..0x402900 rounded up to 0x403000 */
    CHECK_EQ(img.seg[1].offset, 0x2100);
    CHECK_EQ(img.seg[1].filesz, 0x100);
    CHECK_EQ(img.seg[1].perms, ELF_R | ELF_W);
}

static void ignores_non_load_headers(void)
{
    start();
    /* nonsense values that would each be rejected in a PT_LOAD header */
    add(PT_NOTE, PF_R, ~0ull, 0, 0x5000, 0);
    add(PT_LOAD, PF_R | PF_X, 0x1000, 0x400000, 0x800, 0x800);
    add(PT_NULL, 0, 0, USER_TOP, 0, 0);
    add(0x6474e551 /* PT_GNU_STACK */, PF_R | PF_W | PF_X, 0, 0, 0, 0);
    add(PT_LOAD, PF_R | PF_W, 0x2100, 0x401100, 0x100, 0x1800);
    CHECK_WHY(run(), NULL);
    CHECK_EQ(img.nsegments, 2);
    CHECK_EQ(img.seg[0].vaddr, 0x400000);
    CHECK_EQ(img.seg[0].perms, ELF_R | ELF_X);
    CHECK_EQ(img.seg[1].vaddr, 0x401000);
    CHECK_EQ(img.seg[1].perms, ELF_R | ELF_W);
}

static void accepts_unaligned_buffer(void)
{
    valid();
    CHECK_WHY(run_at(1), NULL); /* header and program headers at an odd address */
    CHECK_EQ(img.entry, 0x400010);
    CHECK_EQ(img.nsegments, 2);
    CHECK_EQ(img.seg[0].vaddr, 0x400000);
    CHECK_EQ(img.seg[1].vaddr, 0x401000);
    CHECK_EQ(img.seg[1].skip, 0x100);
    CHECK_EQ(img.seg[1].memsz, 0x2000);
}

static void accepts_segment_ending_at_user_top(void)
{
    valid();
    b.ph[1].vaddr = USER_TOP - 0x1000;
    b.ph[1].memsz = 0x1000;
    CHECK_WHY(run(), NULL);
    CHECK_EQ(img.seg[1].vaddr, USER_TOP - 0x1000);
    CHECK_EQ(img.seg[1].memsz, 0x1000);
}

static void accepts_eight_segments(void)
{
    start();
    for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++)
        add(PT_LOAD, i ? PF_R : PF_R | PF_X, 0x1000, 0x400000 + i * 0x1000, 0x10, 0x100);
    CHECK_WHY(run(), NULL);
    CHECK_EQ(img.nsegments, ELF_MAX_SEGMENTS);
    CHECK_EQ(img.seg[ELF_MAX_SEGMENTS - 1].vaddr, 0x400000 + (ELF_MAX_SEGMENTS - 1) * 0x1000);
    CHECK_EQ(img.seg[ELF_MAX_SEGMENTS - 1].perms, ELF_R);
}

/* --- check_header ---------------------------------------------------------------------------- */

static void rejects_too_short(void)
{
    valid();
    b.len = 0;
    CHECK_WHY(run(), "not an ELF file");
    b.len = 4;
    CHECK_WHY(run(), "not an ELF file");
    b.len = sizeof(struct test_ehdr) - 1;
    CHECK_WHY(run(), "not an ELF file");
}

static void rejects_bad_magic(void)
{
    valid();
    b.eh.ident[0] = 0x7e;
    CHECK_WHY(run(), "not an ELF file");
    valid();
    b.eh.ident[3] = 'f';
    CHECK_WHY(run(), "not an ELF file");
}

static void rejects_not_elf64_little_endian(void)
{
    valid();
    b.eh.ident[4] = 1; /* ELFCLASS32 */
    CHECK_WHY(run(), "not ELF64 little-endian");
    valid();
    b.eh.ident[5] = 2; /* ELFDATA2MSB */
    CHECK_WHY(run(), "not ELF64 little-endian");
}

static void rejects_not_static_executable(void)
{
    valid();
    b.eh.type = 3; /* ET_DYN */
    CHECK_WHY(run(), "not a static executable");
    b.eh.type = 1; /* ET_REL */
    CHECK_WHY(run(), "not a static executable");
}

static void rejects_other_machine(void)
{
    valid();
    b.eh.machine = 183; /* EM_AARCH64 */
    CHECK_WHY(run(), "built for another machine");
}

static void rejects_bad_program_header_size_or_count(void)
{
    valid();
    b.eh.phentsize = sizeof(struct test_phdr) - 1;
    CHECK_WHY(run(), "bad program header size or count");
    b.eh.phentsize = 64;
    CHECK_WHY(run(), "bad program header size or count");
    valid();
    b.eh.phnum = 0;
    CHECK_WHY(run(), "bad program header size or count");
}

static void rejects_program_headers_outside_file(void)
{
    valid();
    b.eh.phoff = b.len + 1;
    CHECK_WHY(run(), "program headers lie outside the file");
    valid();
    b.eh.phoff = b.len - sizeof(struct test_phdr); /* room for one of the two */
    CHECK_WHY(run(), "program headers lie outside the file");
    valid();
    b.eh.phoff = ~0ull - 8; /* phoff + size would wrap */
    CHECK_WHY(run(), "program headers lie outside the file");
    valid();
    b.eh.phnum = 0xffff;
    CHECK_WHY(run(), "program headers lie outside the file");
}

/* --- check_segment --------------------------------------------------------------------------- */

static void rejects_file_size_over_memory_size(void)
{
    valid();
    b.ph[1].filesz = b.ph[1].memsz + 1;
    CHECK_WHY(run(), "segment file size exceeds memory size");
    valid();
    b.ph[1].filesz = 0;
    b.ph[1].memsz = 0;
    CHECK_WHY(run(), "empty loadable segment");
}

static void rejects_segment_data_outside_file(void)
{
    valid();
    b.ph[1].offset = b.len + 1;
    b.ph[1].filesz = 0;
    CHECK_WHY(run(), "segment data lies outside the file");
    valid();
    b.ph[1].offset = b.len - 0x80; /* filesz 0x100 runs 0x80 past the end */
    CHECK_WHY(run(), "segment data lies outside the file");
    valid();
    b.ph[1].offset = 0x10;
    b.ph[1].filesz = ~0ull - 8; /* offset + filesz would wrap */
    b.ph[1].memsz = ~0ull;
    CHECK_WHY(run(), "segment data lies outside the file");
}

static void accepts_segment_data_ending_at_file_end(void)
{
    valid();
    b.ph[1].offset = b.len - b.ph[1].filesz;
    CHECK_WHY(run(), NULL);
    CHECK_EQ(img.seg[1].offset, b.len - 0x100);
}

static void rejects_segment_below_first_page(void)
{
    valid();
    b.ph[1].vaddr = 0;
    CHECK_WHY(run(), "segment outside user space");
    valid();
    b.ph[1].vaddr = 4095;
    CHECK_WHY(run(), "segment outside user space");
}

static void rejects_segment_at_or_above_user_top(void)
{
    valid();
    b.ph[1].vaddr = USER_TOP;
    CHECK_WHY(run(), "segment outside user space");
    valid();
    b.ph[1].vaddr = USER_TOP + 0x1000;
    CHECK_WHY(run(), "segment outside user space");
    valid();
    b.ph[1].vaddr = 0xffff800000000000ull; /* kernel half */
    CHECK_WHY(run(), "segment outside user space");
}

static void rejects_segment_running_past_user_top(void)
{
    valid();
    b.ph[1].vaddr = USER_TOP - 0x1000;
    b.ph[1].memsz = 0x1001;
    CHECK_WHY(run(), "segment outside user space");
    valid();
    b.ph[1].memsz = ~0ull - 0x400000; /* vaddr + memsz wraps to a small address */
    CHECK_WHY(run(), "segment outside user space");
    valid();
    b.ph[1].memsz = ~0ull;
    CHECK_WHY(run(), "segment outside user space");
}

/* --- elf_check ------------------------------------------------------------------------------- */

static void rejects_segments_sharing_page(void)
{
    valid();
    b.ph[1].vaddr = 0x400900; /* text ends at 0x400800, inside the same page */
    CHECK_WHY(run(), "segments share a page");
    valid();
    b.ph[1].vaddr = 0x3ff000; /* below text, its .bss tail runs into text's page */
    CHECK_WHY(run(), "segments share a page");
    valid();
    add(PT_LOAD, PF_R, 0x1000, 0x402fff, 1, 1); /* last byte of data's rounded last page */
    CHECK_WHY(run(), "segments share a page");
}

static void rejects_too_many_segments(void)
{
    start();
    for (unsigned i = 0; i <= ELF_MAX_SEGMENTS; i++)
        add(PT_LOAD, i ? PF_R : PF_R | PF_X, 0x1000, 0x400000 + i * 0x1000, 0x10, 0x100);
    CHECK_WHY(run(), "too many loadable segments");
}

static void rejects_no_loadable_segment(void)
{
    start();
    add(PT_NOTE, PF_R, 0x1000, 0x400000, 0x10, 0x10);
    add(PT_NULL, 0, 0, 0, 0, 0);
    CHECK_WHY(run(), "no loadable segment");
}

static void rejects_entry_outside_executable_segment(void)
{
    valid();
    b.eh.entry = 0x401100; /* in the data segment, which is not executable */
    CHECK_WHY(run(), "entry point not in an executable segment");
    valid();
    b.eh.entry = 0x400800; /* one past text's end, though still in its page */
    CHECK_WHY(run(), "entry point not in an executable segment");
    valid();
    b.eh.entry = 0x3fffff;
    CHECK_WHY(run(), "entry point not in an executable segment");
    valid();
    b.eh.entry = 0;
    CHECK_WHY(run(), "entry point not in an executable segment");
    valid();
    b.ph[0].flags = PF_R; /* no executable segment at all */
    CHECK_WHY(run(), "entry point not in an executable segment");
}

static void accepts_entry_at_either_end_of_text(void)
{
    valid();
    b.eh.entry = 0x400000;
    CHECK_WHY(run(), NULL);
    b.eh.entry = 0x4007ff;
    CHECK_WHY(run(), NULL);
    CHECK_EQ(img.entry, 0x4007ff);
}

int main(void)
{
    RUN("elf", accepts_two_segment_image);
    RUN("elf", ignores_non_load_headers);
    RUN("elf", accepts_unaligned_buffer);
    RUN("elf", accepts_segment_ending_at_user_top);
    RUN("elf", accepts_eight_segments);
    RUN("elf", rejects_too_short);
    RUN("elf", rejects_bad_magic);
    RUN("elf", rejects_not_elf64_little_endian);
    RUN("elf", rejects_not_static_executable);
    RUN("elf", rejects_other_machine);
    RUN("elf", rejects_bad_program_header_size_or_count);
    RUN("elf", rejects_program_headers_outside_file);
    RUN("elf", rejects_file_size_over_memory_size);
    RUN("elf", rejects_segment_data_outside_file);
    RUN("elf", accepts_segment_data_ending_at_file_end);
    RUN("elf", rejects_segment_below_first_page);
    RUN("elf", rejects_segment_at_or_above_user_top);
    RUN("elf", rejects_segment_running_past_user_top);
    RUN("elf", rejects_segments_sharing_page);
    RUN("elf", rejects_too_many_segments);
    RUN("elf", rejects_no_loadable_segment);
    RUN("elf", rejects_entry_outside_executable_segment);
    RUN("elf", accepts_entry_at_either_end_of_text);
    return CHECK_DONE();
}
