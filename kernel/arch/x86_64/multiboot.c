/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot-1: translate the loader's memory map and module list into boot_info. */
#include "arch.h"
#include "boot.h"
#include "printk.h"
#include "string.h"
#include "x86.h"

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002
#define MBI_FLAG_CMDLINE       (1u << 2)
#define MBI_FLAG_MODS          (1u << 3)
#define MBI_FLAG_MMAP          (1u << 6)
#define MMAP_AVAILABLE         1

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
    uint32_t start, end, string, reserved;
};

struct mb_mmap_entry {
    uint32_t size; /* of the rest of the entry: the next starts size + 4 bytes on */
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));

_Static_assert(__builtin_offsetof(struct mb_info, mmap_length) == 44, "multiboot info layout");

struct boot_info boot_info;

static void keep(paddr_t end)
{
    if (end > boot_info.reserved_end)
        boot_info.reserved_end = end;
}

/* Copy a loader string (physical address) into dst. */
static void copy_string(char *dst, size_t size, uint32_t pa)
{
    const char *s = phys_to_virt(pa);
    size_t i = 0;

    for (; pa && s[i] && i + 1 < size; i++)
        dst[i] = s[i];
    dst[i] = '\0';
    keep(pa + strlen(s) + 1);
}

/*
 * "build/user/a.elf x y" names module "a" with arguments "x y": the file name
 * without directory or extension, then everything after the first space.
 */
static void module_name(struct boot_module *m, uint32_t pa)
{
    const char *s = phys_to_virt(pa), *start = s, *p = s;
    size_t i = 0;

    for (; pa && *p && *p != ' '; p++) {
        if (*p == '/')
            start = p + 1;
    }
    for (; start[i] && start[i] != ' ' && start[i] != '.' && i + 1 < sizeof(m->name); i++)
        m->name[i] = start[i];
    m->name[i] = '\0';
    if (pa && *p == ' ')
        copy_string(m->args, sizeof(m->args), pa + (uint32_t)(p + 1 - s));
    keep(pa + strlen(s) + 1);
}

static void parse_mmap(const struct mb_info *mbi)
{
    uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

    keep(end);
    while (p < end && boot_info.nram < BOOT_MAX_RANGES) {
        const struct mb_mmap_entry *e = phys_to_virt(p);
        if (e->type == MMAP_AVAILABLE)
            boot_info.ram[boot_info.nram++] = (struct boot_range){e->base, e->len};
        p += e->size + 4;
    }
}

static void parse_modules(const struct mb_info *mbi)
{
    const struct mb_module *m = phys_to_virt(mbi->mods_addr);

    keep(mbi->mods_addr + mbi->mods_count * sizeof(*m));
    for (uint32_t i = 0; i < mbi->mods_count; i++) {
        if (boot_info.nmodules == CONFIG_MAX_BOOT_MODULES) {
            kprintf("boot: more than %d modules, ignoring the rest\n", CONFIG_MAX_BOOT_MODULES);
            break;
        }
        struct boot_module *bm = &boot_info.modules[boot_info.nmodules++];
        bm->start = m[i].start;
        bm->end = m[i].end;
        module_name(bm, m[i].string);
    }
}

void multiboot_parse(uint32_t magic, paddr_t info)
{
    if (magic != MULTIBOOT_LOADER_MAGIC)
        panic("not started by a multiboot loader (magic %x)", magic);
    const struct mb_info *mbi = phys_to_virt(info);
    keep(info + sizeof(*mbi));
    if (!(mbi->flags & MBI_FLAG_MMAP))
        panic("the boot loader gave no memory map");
    parse_mmap(mbi);
    if (mbi->flags & MBI_FLAG_MODS)
        parse_modules(mbi);
    if (mbi->flags & MBI_FLAG_CMDLINE && mbi->cmdline) {
        copy_string(boot_info.cmdline, sizeof(boot_info.cmdline), mbi->cmdline);
        boot_info.cmdline_len = strlen(phys_to_virt(mbi->cmdline));
    }
}
