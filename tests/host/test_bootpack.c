/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the boot pack reader: a pack the script wrote, every refusal, random damage. */
// uses: kernel/core/bootpack.c
#include "bootpack.h"
#include "check.h"
#include "printk.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define PHYS       0x48000000ull /* where QEMU's virt board puts the -initrd of a 512M machine */
#define PACK_BYTES (64 * 4096)

static unsigned char *buf; /* page aligned, as the loader leaves the pack */

/* bootpack.c asserts its caller's promise: a broken one is a failed run, not a hang */
_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("FAIL host/bootpack/panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(1);
}

static struct bootpack_header *hdr(void)
{
    return (struct bootpack_header *)buf;
}

static struct bootpack_entry *entry(unsigned i)
{
    return (struct bootpack_entry *)(buf + sizeof(struct bootpack_header)) + i;
}

/* The whole file into buf; its length, or 0 if it cannot be read or does not fit. */
static size_t load(const char *path, unsigned char *to, size_t room)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(to, 1, room, f);
    fclose(f);
    return n;
}

/*
 * A valid pack of n modules, as the script lays one out: module i of i * 100 bytes of
 * byte i at the next page after the one before. Returns the pack's size.
 */
static uint64_t make(unsigned n)
{
    uint64_t off = ALIGN_UP(sizeof(struct bootpack_header) + n * sizeof(struct bootpack_entry),
                            BOOTPACK_ALIGN),
             end = 0;

    memset(buf, 0, PACK_BYTES);
    for (unsigned i = 0; i < n; i++) {
        struct bootpack_entry *e = entry(i);
        snprintf(e->name, sizeof(e->name), "mod%u", i);
        snprintf(e->args, sizeof(e->args), "arg=%u", i);
        e->offset = off;
        e->size = i * 100;
        memset(buf + off, (int)i, e->size);
        end = off + e->size;
        off = ALIGN_UP(end, BOOTPACK_ALIGN);
    }
    *hdr() = (struct bootpack_header){BOOTPACK_MAGIC, BOOTPACK_VERSION, n, 0, end};
    return end;
}

/* bootpack_read must refuse with reason and leave bi exactly as it was. */
static void refused(uint64_t start, uint64_t end, const char *reason)
{
    static struct boot_info bi, before;
    const char *why = NULL;

    memset(&bi, 0x5a, sizeof(bi));
    before = bi;
    /* the pack as the kernel maps it: as (mis)aligned as its physical start */
    CHECK(!bootpack_read(buf + start % BOOTPACK_ALIGN, start, end, &bi, &why));
    CHECK(why && strcmp(why, reason) == 0);
    if (why && strcmp(why, reason) != 0)
        printf("    refused with '%s', expected '%s'\n", why, reason);
    CHECK(memcmp(&bi, &before, sizeof(bi)) == 0);
}

static void refuse(const char *reason)
{
    refused(PHYS, PHYS + PACK_BYTES, reason);
}

/* scripts/mkbootpack.py wrote the fixture from the Makefile's three files; read it back. */
static void script_pack_read_back(void)
{
    static const struct {
        const char *path, *name, *args;
    } want[] = {
        {"tests/host/check.h", "check", "x=1 y=two"},
        {"kernel/include/boot.h", "boot", ""},
        {"/dev/null", "null", ""},
    };
    static unsigned char file[PACK_BYTES];
    static struct boot_info bi;
    const char *why = "unset";
    size_t len = load(BOOTPACK_FIXTURE, buf, PACK_BYTES);

    bi.reserved_end = 0x1000;
    CHECK(len > 0 && len < PACK_BYTES);
    CHECK(bootpack_read(buf, PHYS, PHYS + len, &bi, &why));
    CHECK(why == NULL);
    CHECK_EQ(bi.nmodules, 3);
    CHECK_EQ(bi.reserved_end, PHYS + len);
    for (unsigned i = 0; i < 3 && i < bi.nmodules; i++) {
        const struct boot_module *m = &bi.modules[i];
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", want[i].path[0] == '/' ? "" : SRC_ROOT, want[i].path);
        size_t n = load(path, file, sizeof(file));
        CHECK(strcmp(m->name, want[i].name) == 0);
        CHECK(strcmp(m->args, want[i].args) == 0);
        CHECK_EQ(m->start % BOOTPACK_ALIGN, 0);
        CHECK_EQ(m->end - m->start, n);
        CHECK(m->start >= PHYS + BOOTPACK_ALIGN && m->end <= PHYS + len);
        CHECK(memcmp(buf + (m->start - PHYS), file, n) == 0);
        if (i > 0)
            CHECK(m->start >= bi.modules[i - 1].end);
    }
}

static void made_pack_read_field_by_field(void)
{
    static struct boot_info bi;
    const char *why = "unset";
    uint64_t size = make(4);

    CHECK(bootpack_read(buf, PHYS, PHYS + size, &bi, &why));
    CHECK(why == NULL);
    CHECK_EQ(bi.nmodules, 4);
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(bi.modules[i].start, PHYS + entry(i)->offset);
        CHECK_EQ(bi.modules[i].end - bi.modules[i].start, i * 100);
        CHECK(strcmp(bi.modules[i].name, entry(i)->name) == 0);
        CHECK(strcmp(bi.modules[i].args, entry(i)->args) == 0);
    }
    CHECK_EQ(bi.modules[0].start, PHYS + BOOTPACK_ALIGN); /* the list's page, then module 0 */
    CHECK_EQ(bi.reserved_end, PHYS + size);
}

/* What fits exactly passes: the most modules, 31-byte names, 63-byte args, a pack that ends
 * where the loader's range does, modules of no bytes, a higher reserved_end kept. */
static void limits_accepted(void)
{
    static struct boot_info bi;
    const char *why = NULL;
    uint64_t size = make(CONFIG_MAX_BOOT_MODULES);

    memset(entry(1)->name, 'n', BOOTPACK_NAME_BYTES - 1);
    memset(entry(1)->args, 'a', BOOTPACK_ARGS_BYTES - 1);
    bi.reserved_end = PHYS + PACK_BYTES * 2;
    CHECK(bootpack_read(buf, PHYS, PHYS + size, &bi, &why));
    CHECK_EQ(bi.nmodules, CONFIG_MAX_BOOT_MODULES);
    CHECK_EQ(strlen(bi.modules[1].name), BOOTPACK_NAME_BYTES - 1);
    CHECK_EQ(strlen(bi.modules[1].args), BOOTPACK_ARGS_BYTES - 1);
    CHECK_EQ(bi.modules[0].end, bi.modules[0].start);
    CHECK_EQ(bi.reserved_end, PHYS + PACK_BYTES * 2);
}

static void range_refused(void)
{
    make(2);
    refused(PHYS, PHYS + sizeof(struct bootpack_header) - 1, "boot pack smaller than its header");
    refused(PHYS, PHYS - 1, "boot pack smaller than its header");
    refused(PHYS + 8, PHYS + PACK_BYTES, "boot pack not page aligned in memory");
}

static void header_refused(void)
{
    make(2);
    hdr()->magic ^= 1;
    refuse("not a boot pack (its magic is wrong)");
    make(2);
    hdr()->version = 2;
    refuse("boot pack version unknown (this kernel reads version 1)");
    make(2);
    hdr()->reserved = 1;
    refuse("boot pack header's reserved field is not zero");
    make(2);
    hdr()->count = 0;
    refuse("boot pack holds no module");
    make(2);
    hdr()->count = CONFIG_MAX_BOOT_MODULES + 1;
    refuse("boot pack holds more modules than CONFIG_MAX_BOOT_MODULES");
    hdr()->count = UINT32_MAX; /* the list's bytes would overflow a 32-bit count times 112 */
    refuse("boot pack holds more modules than CONFIG_MAX_BOOT_MODULES");
    uint64_t size = make(2);
    refused(PHYS, PHYS + size - 1, "boot pack is larger than what the loader passed (cut short?)");
    hdr()->size = UINT64_MAX;
    refuse("boot pack is larger than what the loader passed (cut short?)");
    make(2);
    hdr()->size = sizeof(struct bootpack_header) + sizeof(struct bootpack_entry) * 2 - 1;
    refuse("boot pack's module list runs past its end");
}

static void names_and_args_refused(void)
{
    make(2);
    entry(1)->name[0] = '\0';
    refuse("boot pack module name empty or not NUL-terminated within 32 bytes");
    make(2);
    memset(entry(0)->name, 'n', BOOTPACK_NAME_BYTES);
    refuse("boot pack module name empty or not NUL-terminated within 32 bytes");
    make(2);
    memset(entry(1)->args, 'a', BOOTPACK_ARGS_BYTES);
    refuse("boot pack module args not NUL-terminated within 64 bytes");
}

static void module_ranges_refused(void)
{
    const char *past = "boot pack module runs past the pack's end";
    const char *overlap = "boot pack module overlaps the module list or the module before it";

    make(2);
    entry(1)->offset += 8;
    refuse("boot pack module not page aligned");
    make(2);
    entry(0)->offset = 0; /* over the header */
    refuse(overlap);
    make(3);
    entry(2)->offset = entry(1)->offset; /* over module 1 (of 100 bytes) */
    refuse(overlap);
    make(3);
    entry(1)->offset = entry(2)->offset; /* out of order: module 2 then overlaps it */
    refuse(overlap);
    uint64_t size = make(2);
    entry(1)->size++;
    refuse(past);
    make(2);
    entry(1)->offset = ALIGN_UP(size + 1, BOOTPACK_ALIGN);
    entry(1)->size = 0;
    refuse(past);
    make(2);
    entry(1)->offset = ALIGN_DOWN(UINT64_MAX, BOOTPACK_ALIGN); /* offset + size wraps to 0 */
    entry(1)->size = BOOTPACK_ALIGN;
    refuse(past);
}

static bool ends_within(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!s[i])
            return true;
    }
    return false;
}

/* xorshift64: the same damage every run, so a failure can be replayed */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/*
 * Random bytes of the header and list changed, random loader ranges: never a crash (ASan,
 * UBSan), and whatever is accepted keeps its promises: modules in order inside the pack,
 * names and args terminated, nothing past what the loader passed.
 */
static void random_damage_never_crashes(void)
{
    static unsigned char good[PACK_BYTES];
    static struct boot_info bi;
    uint64_t seed = 0x9e3779b97f4a7c15ull, size = make(5);
    unsigned accepted = 0, refused_with_reason = 0, broken = 0;

    memcpy(good, buf, PACK_BYTES);
    for (int round = 0; round < 200000; round++) {
        memcpy(buf, good, BOOTPACK_ALIGN);
        for (int k = 1 + (int)(next(&seed) % 4); k > 0; k--)
            buf[next(&seed) % (24 + 5 * 112)] ^= (unsigned char)(1u << (next(&seed) % 8));
        uint64_t end = PHYS + (round % 3 ? size : next(&seed) % PACK_BYTES);
        const char *why = NULL;
        if (!bootpack_read(buf, PHYS, end, &bi, &why)) {
            refused_with_reason += why != NULL;
            continue;
        }
        accepted++;
        bool ok = bi.nmodules >= 1 && bi.nmodules <= CONFIG_MAX_BOOT_MODULES;
        for (unsigned i = 0; ok && i < bi.nmodules; i++) {
            const struct boot_module *m = &bi.modules[i];
            ok = m->start >= PHYS + BOOTPACK_ALIGN && m->start <= m->end && m->end <= end &&
                 ends_within(m->name, sizeof(m->name)) && ends_within(m->args, sizeof(m->args)) &&
                 (i == 0 || m->start >= bi.modules[i - 1].end);
        }
        broken += !ok;
    }
    CHECK_EQ(broken, 0);
    CHECK(accepted > 0); /* the damage reached both outcomes */
    CHECK_EQ(accepted + refused_with_reason, 200000);
}

int main(void)
{
    buf = aligned_alloc(BOOTPACK_ALIGN, PACK_BYTES);
    if (!buf)
        return 2;
    RUN("bootpack", script_pack_read_back);
    RUN("bootpack", made_pack_read_field_by_field);
    RUN("bootpack", limits_accepted);
    RUN("bootpack", range_refused);
    RUN("bootpack", header_refused);
    RUN("bootpack", names_and_args_refused);
    RUN("bootpack", module_ranges_refused);
    RUN("bootpack", random_damage_never_crashes);
    free(buf);
    return CHECK_DONE();
}
