/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability types, rights and pool kinds by name, for messages: rejections name what a slot
 * holds and what it lacks, not numbers. */
#include "cap.h"
#include "fmt.h"
#include "string.h"

/* With the article: "an endpoint"; cap_type_name skips it. */
static const char *const with_article[L4_CAP_TYPE_COUNT] = {
    [L4_CAP_NULL] = "an empty",
    [L4_CAP_CONTAINER] = "a container",
    [L4_CAP_THREAD] = "a thread",
    [L4_CAP_SPACE] = "a space",
    [L4_CAP_POOL] = "a pool",
    [L4_CAP_MEMORY] = "a memory",
    [L4_CAP_DEBUG] = "a debug console",
    [L4_CAP_ENDPOINT] = "an endpoint",
    [L4_CAP_NOTIFICATION] = "a notification",
    [L4_CAP_IOPORT] = "an I/O port",
    [L4_CAP_IRQ] = "an interrupt",
    [L4_CAP_CAPTABLE] = "a capability table",
    [L4_CAP_CLOCK] = "a clock",
};

const char *cap_type_phrase(unsigned type)
{
    return type < L4_CAP_TYPE_COUNT && with_article[type] ? with_article[type] : "an unknown";
}

const char *cap_type_name(unsigned type)
{
    const char *p = cap_type_phrase(type);

    return p + (p[1] == ' ' ? 2 : 3); // past "a " or "an "
}

/* Every right a capability of type may have (0 for an unknown type). */
uint32_t cap_rights_all(unsigned type)
{
    static const uint32_t all[L4_CAP_TYPE_COUNT] = {
        [L4_CAP_CONTAINER] = L4_CONT_RIGHTS_ALL, [L4_CAP_THREAD] = L4_THR_RIGHTS_ALL,
        [L4_CAP_SPACE] = L4_SPACE_RIGHTS_ALL,    [L4_CAP_POOL] = L4_POOL_RIGHTS_ALL,
        [L4_CAP_MEMORY] = L4_MEM_RIGHTS_ALL,     [L4_CAP_DEBUG] = L4_DEBUG_RIGHTS_ALL,
        [L4_CAP_IOPORT] = L4_IO_RIGHTS_ALL,      [L4_CAP_IRQ] = L4_IRQ_RIGHTS_ALL,
        [L4_CAP_ENDPOINT] = L4_EP_RIGHTS_ALL,    [L4_CAP_NOTIFICATION] = L4_NTF_RIGHTS_ALL,
        [L4_CAP_CAPTABLE] = L4_CT_RIGHTS_ALL,    [L4_CAP_CLOCK] = L4_CLOCK_RIGHTS_ALL,
    };
    return type < L4_CAP_TYPE_COUNT ? all[type] : 0;
}

/* Right bits by name, per type, as system files spell them; bits 0 and 1 are every type's. */
static const char *const right_names[L4_CAP_TYPE_COUNT][8] = {
    [L4_CAP_CONTAINER] = {[2] = "control", [3] = "inspect", [4] = "receive"},
    [L4_CAP_THREAD] = {[2] = "read", [3] = "write", [4] = "run", [5] = "destroy"},
    [L4_CAP_SPACE] = {[2] = "bind", [3] = "map"},
    [L4_CAP_POOL] = {[2] = "alloc"},
    [L4_CAP_MEMORY] = {[2] = "read", [3] = "write", [4] = "exec"},
    [L4_CAP_DEBUG] = {[2] = "write"},
    [L4_CAP_ENDPOINT] = {[2] = "send", [3] = "receive", [4] = "transfer"},
    [L4_CAP_NOTIFICATION] = {[2] = "signal", [3] = "wait"},
    [L4_CAP_IOPORT] = {[2] = "read", [3] = "write"},
    [L4_CAP_IRQ] = {[2] = "control"},
    [L4_CAP_CAPTABLE] = {[2] = "write", [3] = "read", [4] = "bind"},
    [L4_CAP_CLOCK] = {[2] = "set"},
};

size_t cap_rights_names(unsigned type, uint32_t rights, char *buf, size_t size)
{
    size_t n = 0;

    if (!size)
        return 0;
    buf[0] = 0;
    for (unsigned bit = 0; bit < 32; bit++) {
        if (!(rights & (1u << bit)))
            continue;
        const char *name = bit == 0 ? "copy" : bit == 1 ? "grant" : NULL;
        if (!name && type < L4_CAP_TYPE_COUNT && bit < 8)
            name = right_names[type][bit];
        int w = name ? fmt_snprintf(buf + n, size - n, "%s%s", n ? ", " : "", name)
                     : fmt_snprintf(buf + n, size - n, "%sbit %u", n ? ", " : "", bit);
        if (w < 0 || (size_t)w >= size - n)
            return size - 1; // cut short: a message, not data
        n += (size_t)w;
    }
    if (!n) {
        fmt_snprintf(buf, size, "none");
        n = strlen(buf); // what was written: cut short as above, not what would have fit
    }
    return n;
}

static const char *const pool_kinds[L4_POOL_KIND_COUNT] = {
    [L4_POOL_THREADS] = "threads",     [L4_POOL_SPACES] = "spaces",
    [L4_POOL_ENDPOINTS] = "endpoints", [L4_POOL_NOTIFICATIONS] = "notifications",
    [L4_POOL_CAPSLOTS] = "capslots",   [L4_POOL_PAGETABLES] = "pagetables",
};

const char *cap_pool_kind_name(l4_word_t kind)
{
    return kind < L4_POOL_KIND_COUNT ? pool_kinds[kind] : "unknown";
}
