/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading the boot pack: no module range leaves the checks unless it lies inside the pack. */
#include "bootpack.h"

#include "printk.h"
#include "string.h"

/* A string that ends within its n-byte field (and, if need_char, has a character). */
static bool terminated(const char *s, size_t n, bool need_char)
{
    for (size_t i = 0; i < n; i++) {
        if (!s[i])
            return i > 0 || !need_char;
    }
    return false;
}

static const char *check_header(const struct bootpack_header *h, paddr_t start, paddr_t end)
{
    if (h->magic != BOOTPACK_MAGIC)
        return "not a boot pack (its magic is wrong)";
    if (h->version != BOOTPACK_VERSION)
        return "boot pack version unknown (this kernel reads version 1)";
    if (h->reserved)
        return "boot pack header's reserved field is not zero";
    if (h->count == 0)
        return "boot pack holds no module";
    if (h->count > CONFIG_MAX_BOOT_MODULES)
        return "boot pack holds more modules than CONFIG_MAX_BOOT_MODULES";
    if (h->size > end - start)
        return "boot pack is larger than what the loader passed (cut short?)";
    /* count is small (above), so this cannot overflow */
    if (sizeof(*h) + (uint64_t)h->count * sizeof(struct bootpack_entry) > h->size)
        return "boot pack's module list runs past its end";
    return NULL;
}

/*
 * One entry, given where the previous module's bytes end (the list's end for the first):
 * modules follow the list and each other in order, so none overlaps the list or another.
 */
static const char *check_entry(const struct bootpack_entry *e, uint64_t size, uint64_t after)
{
    if (!terminated(e->name, sizeof(e->name), true))
        return "boot pack module name empty or not NUL-terminated within 32 bytes";
    if (!terminated(e->args, sizeof(e->args), false))
        return "boot pack module args not NUL-terminated within 64 bytes";
    if (!IS_ALIGNED(e->offset, BOOTPACK_ALIGN))
        return "boot pack module not page aligned";
    if (e->offset < after)
        return "boot pack module overlaps the module list or the module before it";
    if (e->offset > size || e->size > size - e->offset)
        return "boot pack module runs past the pack's end";
    return NULL;
}

bool bootpack_read(const void *pack, paddr_t start, paddr_t end, struct boot_info *bi,
                   const char **why)
{
    const struct bootpack_header *h = pack;
    const struct bootpack_entry *e = (const struct bootpack_entry *)(h + 1);

    /* the caller's promise: pack is start's mapping, so as aligned as start is */
    DEBUG_ASSERT(((uintptr_t)pack - start) % BOOTPACK_ALIGN == 0);
    *why = NULL;
    if (end < start || end - start < sizeof(*h))
        *why = "boot pack smaller than its header";
    else if (!IS_ALIGNED(start, BOOTPACK_ALIGN))
        *why = "boot pack not page aligned in memory";
    else
        *why = check_header(h, start, end);
    uint64_t after = *why ? 0 : sizeof(*h) + h->count * sizeof(*e);
    for (uint32_t i = 0; !*why && i < h->count; i++) {
        *why = check_entry(&e[i], h->size, after);
        after = e[i].offset + e[i].size;
    }
    if (*why)
        return false;
    for (uint32_t i = 0; i < h->count; i++) {
        struct boot_module *m = &bi->modules[i];
        m->start = start + e[i].offset;
        m->end = m->start + e[i].size;
        memcpy(m->name, e[i].name, sizeof(m->name));
        memcpy(m->args, e[i].args, sizeof(m->args));
    }
    bi->nmodules = h->count;
    if (start + h->size > bi->reserved_end)
        bi->reserved_end = start + h->size;
    return true;
}
