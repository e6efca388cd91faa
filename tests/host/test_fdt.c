/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the device tree reader: QEMU's own blobs, built blobs for each refusal, damage. */
// uses: kernel/core/fdt.c
#include "check.h"
#include "fdt.h"
#include "printk.h"

#include <stdarg.h>
#include <string.h>

/* fdt.c asserts: a broken assertion is a failed run, not a hang */
_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("FAIL host/fdt/panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(1);
}

/* ---- a small device tree writer, our own, so a mistake in fdt.c's reading is not repeated -- */

#define TOK_BEGIN_NODE 1u
#define TOK_END_NODE   2u
#define TOK_PROP       3u
#define TOK_NOP        4u
#define TOK_END        9u

/* header field offsets */
#define H_TOTALSIZE   4
#define H_OFF_STRUCT  8
#define H_OFF_STRINGS 12
#define H_OFF_RSVMAP  16
#define H_VERSION     20
#define H_LAST_COMP   24
#define H_SIZE_STRS   32
#define H_SIZE_STRUCT 36
#define HDR           40

static struct {
    uint8_t st[16384];
    uint32_t st_len;
    char str[2048];
    uint32_t str_len;
    uint64_t rsv[2 * 64];
    unsigned nrsv;
} W;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void w_reset(void)
{
    memset(&W, 0, sizeof(W));
}

static void w_u32(uint32_t v)
{
    put32(W.st + W.st_len, v);
    W.st_len += 4;
}

/* bytes into the structure block, zero-padded to 4 */
static void w_bytes(const void *p, uint32_t len)
{
    memcpy(W.st + W.st_len, p, len);
    W.st_len += (len + 3) & ~3u;
}

/* a name into the strings block (len bytes: without its NUL if len says so) */
static uint32_t w_string(const char *s, uint32_t len)
{
    uint32_t off = W.str_len;

    memcpy(W.str + off, s, len);
    W.str_len += len;
    return off;
}

static void w_begin(const char *name)
{
    w_u32(TOK_BEGIN_NODE);
    w_bytes(name, strlen(name) + 1);
}

static void w_end(void)
{
    w_u32(TOK_END_NODE);
}

static void w_prop_at(uint32_t nameoff, const void *v, uint32_t len)
{
    w_u32(TOK_PROP);
    w_u32(len);
    w_u32(nameoff);
    w_bytes(v, len);
}

static void w_prop(const char *name, const void *v, uint32_t len)
{
    w_prop_at(w_string(name, strlen(name) + 1), v, len);
}

static void w_str(const char *name, const char *s)
{
    w_prop(name, s, strlen(s) + 1);
}

/* a string list: "a\0b" with its final NUL counted by sizeof */
#define W_LIST(name, lit) w_prop(name, lit, sizeof(lit))

/* a property of n cells */
static void w_cells(const char *name, unsigned n, ...)
{
    uint8_t v[64];
    va_list ap;

    va_start(ap, n);
    for (unsigned i = 0; i < n; i++)
        put32(v + 4 * i, va_arg(ap, uint32_t));
    va_end(ap);
    w_prop(name, v, 4 * n);
}

/* a node whose children's reg are its parent's addresses (empty ranges), in the cells given */
static void w_bus(const char *name, uint32_t address_cells, uint32_t size_cells)
{
    w_begin(name);
    w_cells("#address-cells", 1, address_cells);
    w_cells("#size-cells", 1, size_cells);
    w_prop("ranges", "", 0);
}

static void w_rsv(uint64_t base, uint64_t size)
{
    W.rsv[2 * W.nrsv] = base;
    W.rsv[2 * W.nrsv + 1] = size;
    W.nrsv++;
}

/*
 * The blob, in a heap buffer of exactly its size (so ASan sees any read past it): header,
 * memory reservation block (with its <0, 0> end), structure block, strings block.
 */
static uint8_t *w_make(size_t *len)
{
    uint32_t rsv_len = 16 * (W.nrsv + 1), st_off = HDR + rsv_len, str_off = st_off + W.st_len;
    uint32_t total = str_off + W.str_len;
    uint8_t *b = calloc(1, total);

    put32(b, FDT_MAGIC);
    put32(b + H_TOTALSIZE, total);
    put32(b + H_OFF_STRUCT, st_off);
    put32(b + H_OFF_STRINGS, str_off);
    put32(b + H_OFF_RSVMAP, HDR);
    put32(b + H_VERSION, 17);
    put32(b + H_LAST_COMP, 16);
    put32(b + H_SIZE_STRS, W.str_len);
    put32(b + H_SIZE_STRUCT, W.st_len);
    for (unsigned i = 0; i < 2 * W.nrsv; i++) {
        put32(b + HDR + 8 * i, W.rsv[i] >> 32);
        put32(b + HDR + 8 * i + 4, (uint32_t)W.rsv[i]);
    }
    memcpy(b + st_off, W.st, W.st_len);
    memcpy(b + str_off, W.str, W.str_len);
    *len = total;
    return b;
}

/* ---- the machine most tests start from: QEMU virt's shape, at addresses of our own ---------- */

#define GIC_PHANDLE 0x8002
#define RAM_BASE    0x80000000u
#define RAM_SIZE    0x10000000u
#define GICD_BASE   0x2f000000u
#define GICC_BASE   0x2c000000u
#define UART_BASE   0x1c090000u
#define UART_SPI    5

static void std_root(void)
{
    w_begin("");
    w_cells("#address-cells", 1, 2);
    w_cells("#size-cells", 1, 2);
    w_cells("interrupt-parent", 1, GIC_PHANDLE);
    W_LIST("compatible", "test,machine");
}

static void std_memory(void)
{
    w_begin("memory@80000000");
    w_str("device_type", "memory");
    w_cells("reg", 4, 0, RAM_BASE, 0, RAM_SIZE);
    w_end();
}

static void std_chosen(void)
{
    w_begin("chosen");
    w_str("bootargs", "quiet view=halt");
    w_str("stdout-path", "serial0:115200n8");
    w_end();
}

static void std_gic(void)
{
    w_begin("interrupt-controller@2f000000");
    W_LIST("compatible", "arm,gic-400");
    w_str("status", "okay");
    w_cells("#interrupt-cells", 1, 3);
    w_prop("interrupt-controller", "", 0);
    w_cells("phandle", 1, GIC_PHANDLE);
    w_cells("reg", 8, 0, GICD_BASE, 0, 0x1000, 0, GICC_BASE, 0, 0x2000);
    w_end();
}

static void std_uart(void)
{
    w_begin("serial@1c090000");
    W_LIST("compatible", "arm,pl011\0arm,primecell");
    w_cells("reg", 4, 0, UART_BASE, 0, 0x1000);
    w_cells("interrupts", 3, 0, UART_SPI, 4);
    w_end();
}

static void std_timer(void)
{
    w_begin("timer");
    W_LIST("compatible", "arm,armv8-timer");
    w_cells("interrupts", 12, 1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08, 1, 10, 0xf08);
    w_end();
}

static void std_psci(void)
{
    w_begin("psci");
    W_LIST("compatible", "arm,psci-0.2");
    w_str("method", "smc");
    w_end();
}

static void std_devices(void)
{
    std_gic();
    std_uart();
    std_timer();
    std_psci();
}

/* the root's end and the tree's */
static void std_close(void)
{
    w_end();
    w_u32(TOK_END);
}

static uint8_t *std_blob(size_t *len)
{
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    std_devices();
    std_close();
    return w_make(len);
}

/* ---- checking --------------------------------------------------------------------------- */

static struct fdt_machine M;

static uint8_t *M_blob; /* what M's strings point into, until the next read */

/* Read b (freed at the next read: M's strings point into it) and expect success. */
static bool reads(uint8_t *b, size_t len)
{
    const char *why = "(not set)";
    bool ok = fdt_read(b, len, &M, &why);

    if (!ok)
        printf("    refused: %s\n", why);
    free(M_blob);
    M_blob = b;
    return ok;
}

/* Read b (freed after) and expect exactly the refusal want. */
static bool refused(uint8_t *b, size_t len, const char *want)
{
    const char *why = NULL;
    bool ok = fdt_read(b, len, &M, &why);

    free(b);
    if (ok || !why || strcmp(why, want) != 0) {
        printf("    wanted \"%s\", got %s \"%s\"\n", want, ok ? "success" : "refusal",
               why ? why : "(null)");
        return false;
    }
    return true;
}

/* the blob built, read */
static bool built_reads(void)
{
    size_t len;
    uint8_t *b = w_make(&len);

    return reads(b, len);
}

static bool built_refused(const char *want)
{
    size_t len;
    uint8_t *b = w_make(&len);

    return refused(b, len, want);
}

/* a built blob of everything but the last node and the root's end, then the given refusal */
#define REFUSED_WITH(body, want)                                                                   \
    do {                                                                                           \
        w_reset();                                                                                 \
        std_root();                                                                                \
        body;                                                                                      \
        std_close();                                                                               \
        CHECK(built_refused(want));                                                                \
    } while (0)

static bool range_is(const struct fdt_range *r, uint64_t base, uint64_t size)
{
    if (r->base == base && r->size == size)
        return true;
    printf("    range %#llx+%#llx, expected %#llx+%#llx\n", (unsigned long long)r->base,
           (unsigned long long)r->size, (unsigned long long)base, (unsigned long long)size);
    return false;
}

static bool irq_is(const struct fdt_irq *irq, enum fdt_irq_type type, uint32_t number,
                   uint32_t flags)
{
    uint32_t intid = number + (type == FDT_IRQ_SPI ? 32 : 16);

    return irq->present && irq->type == type && irq->number == number && irq->intid == intid &&
           irq->flags == flags;
}

/* ---- built blobs that must be read ------------------------------------------------------- */

static void reads_built_machine(void)
{
    size_t len;
    uint8_t *b = std_blob(&len);

    CHECK(reads(b, len));
    CHECK_EQ(M.ram.n, 1);
    CHECK(range_is(&M.ram.r[0], RAM_BASE, RAM_SIZE));
    CHECK_EQ(M.ram_dropped, 0);
    CHECK_EQ(M.rsvd.n, 0);
    CHECK(M.bootargs && strcmp(M.bootargs, "quiet view=halt") == 0);
    CHECK(M.stdout_path && strcmp(M.stdout_path, "serial0:115200n8") == 0);
    CHECK(!M.has_initrd);
    CHECK(M.uart.present);
    CHECK(range_is(&M.uart.reg, UART_BASE, 0x1000));
    CHECK(irq_is(&M.uart.irq, FDT_IRQ_SPI, UART_SPI, 4));
    CHECK_EQ(M.gic.version, 2);
    CHECK(range_is(&M.gic.dist, GICD_BASE, 0x1000));
    CHECK(range_is(&M.gic.cpu, GICC_BASE, 0x2000));
    CHECK(M.timer.present);
    CHECK(irq_is(&M.timer.irq[FDT_TIMER_SEC_PHYS], FDT_IRQ_PPI, 13, 0xf08));
    CHECK(irq_is(&M.timer.irq[FDT_TIMER_NONSEC_PHYS], FDT_IRQ_PPI, 14, 0xf08));
    CHECK(irq_is(&M.timer.irq[FDT_TIMER_VIRT], FDT_IRQ_PPI, 11, 0xf08));
    CHECK(irq_is(&M.timer.irq[FDT_TIMER_HYP], FDT_IRQ_PPI, 10, 0xf08));
    CHECK_EQ(M.psci.method, FDT_PSCI_SMC);
    CHECK(M.psci.v0_2);
}

/* #address-cells and #size-cells of 1, on the root and on a bus mapped 1:1 (empty ranges) */
static void reads_one_cell_reg(void)
{
    w_reset();
    w_begin("");
    w_cells("#address-cells", 1, 1);
    w_cells("#size-cells", 1, 1);
    w_cells("interrupt-parent", 1, GIC_PHANDLE);
    w_begin("memory@0");
    w_str("device_type", "memory");
    w_cells("reg", 4, 0x1000, 0x2000, 0x10000, 0x3000);
    w_end();
    std_chosen();
    w_bus("soc", 1, 1);
    w_begin("serial@9000000");
    W_LIST("compatible", "arm,pl011");
    w_cells("reg", 2, 0x9000000, 0x1000);
    w_end();
    w_end();
    std_close();
    CHECK(built_reads());
    CHECK_EQ(M.ram.n, 2);
    CHECK(range_is(&M.ram.r[0], 0x1000, 0x2000));
    CHECK(range_is(&M.ram.r[1], 0x10000, 0x3000));
    CHECK(M.uart.present);
    CHECK(range_is(&M.uart.reg, 0x9000000, 0x1000));
    CHECK(!M.uart.irq.present);
}

static void reads_64bit_initrd_cells(void)
{
    w_reset();
    std_root();
    std_memory();
    w_begin("chosen@0"); /* a unit address on /chosen is allowed */
    w_cells("linux,initrd-start", 2, 0x1, 0x20000000);
    w_cells("linux,initrd-end", 2, 0x1, 0x20400000);
    w_end();
    std_close();
    CHECK(built_reads());
    CHECK(M.has_initrd);
    CHECK_EQ(M.initrd_start, 0x120000000ull);
    CHECK_EQ(M.initrd_end, 0x120400000ull);
    CHECK(M.bootargs == NULL && M.stdout_path == NULL);
    CHECK(!M.uart.present && !M.gic.version && !M.timer.present && !M.psci.method);
}

/* several memory nodes with several ranges each, one disabled, one without reg */
static void reads_every_memory_node(void)
{
    w_reset();
    std_root();
    w_begin("memory@0");
    w_str("device_type", "memory");
    w_cells("reg", 8, 0, 0x1000, 0, 0x1000, 0x8, 0, 0x1, 0);
    w_end();
    w_begin("memory@1");
    w_str("device_type", "memory");
    w_str("status", "disabled");
    w_cells("reg", 4, 0, 0x5000, 0, 0x1000);
    w_end();
    w_begin("memory@2");
    w_str("device_type", "memory");
    w_end();
    w_begin("memory@3");
    w_str("device_type", "memory");
    w_str("status", "ok");
    w_cells("reg", 8, 0, 0x9000, 0, 0, 0, 0xa000, 0, 0x1000); /* a size 0 range is no RAM */
    w_end();
    std_chosen();
    std_close();
    CHECK(built_reads());
    CHECK_EQ(M.ram.n, 3);
    CHECK(range_is(&M.ram.r[0], 0x1000, 0x1000));
    CHECK(range_is(&M.ram.r[1], 0x800000000ull, 0x100000000ull));
    CHECK(range_is(&M.ram.r[2], 0xa000, 0x1000));
}

/* past FDT_MAX_RANGES, RAM is left out and counted: it is never unsafe to use less */
static void counts_ram_past_the_maximum(void)
{
    w_reset();
    std_root();
    for (unsigned i = 0; i < FDT_MAX_RANGES + 3; i++) {
        w_begin("memory");
        w_str("device_type", "memory");
        w_cells("reg", 4, 0, 0x100000 * (i + 1), 0, 0x1000);
        w_end();
    }
    std_chosen();
    std_close();
    CHECK(built_reads());
    CHECK_EQ(M.ram.n, FDT_MAX_RANGES);
    CHECK_EQ(M.ram_dropped, 3);
    CHECK(range_is(&M.ram.r[FDT_MAX_RANGES - 1], 0x100000 * FDT_MAX_RANGES, 0x1000));
}

/* the memory reservation block first, then /reserved-memory's enabled children with reg */
static void reads_reserved_ranges(void)
{
    w_reset();
    w_rsv(0x80000000, 0x10000);
    w_rsv(0x90000000, 0); /* nothing reserved */
    w_rsv(0xffffffff00000000ull, 0x1000);
    std_root();
    std_memory();
    std_chosen();
    w_bus("reserved-memory", 2, 2);
    w_begin("secmon@80010000");
    w_prop("no-map", "", 0);
    w_cells("reg", 8, 0, 0x80010000, 0, 0x2000, 0, 0x80020000, 0, 0x1000);
    w_end();
    w_begin("off@80030000");
    w_str("status", "disabled");
    w_cells("reg", 4, 0, 0x80030000, 0, 0x1000);
    w_end();
    w_begin("pool"); /* placed by the OS: nothing to keep out */
    w_cells("size", 2, 0, 0x100000);
    w_end();
    w_end();
    std_close();
    CHECK(built_reads());
    CHECK_EQ(M.rsvd.n, 4);
    CHECK(range_is(&M.rsvd.r[0], 0x80000000, 0x10000));
    CHECK(range_is(&M.rsvd.r[1], 0xffffffff00000000ull, 0x1000));
    CHECK(range_is(&M.rsvd.r[2], 0x80010000, 0x2000));
    CHECK(range_is(&M.rsvd.r[3], 0x80020000, 0x1000));
    CHECK_EQ(M.ram.n, 1); /* reserved-memory children are no RAM of their own */
}

/* a disabled pl011 is passed over; "ok" is enabled; any entry of compatible matches */
static void skips_disabled_devices(void)
{
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    std_gic();
    w_begin("serial@1000");
    W_LIST("compatible", "arm,pl011\0arm,primecell");
    w_str("status", "disabled");
    w_cells("reg", 4, 0, 0x1000, 0, 0x1000);
    w_end();
    w_begin("serial@2000");
    W_LIST("compatible", "vendor,uart\0arm,pl011");
    w_str("status", "ok");
    w_cells("reg", 4, 0, 0x2000, 0, 0x1000);
    w_cells("interrupts", 3, 0, 7, 1);
    w_end();
    w_begin("serial@3000"); /* a second enabled pl011 is left to others */
    W_LIST("compatible", "arm,pl011");
    w_cells("reg", 4, 0, 0x3000, 0, 0x1000);
    w_end();
    w_begin("timer");
    W_LIST("compatible", "arm,armv8-timer");
    w_str("status", "fail");
    w_end();
    std_close();
    CHECK(built_reads());
    CHECK(M.uart.present);
    CHECK(range_is(&M.uart.reg, 0x2000, 0x1000));
    CHECK(irq_is(&M.uart.irq, FDT_IRQ_SPI, 7, 1));
    CHECK(!M.timer.present);
}

static void reads_gic_v3_and_psci_variants(void)
{
    static const struct {
        const char *compat;
        size_t len;
        unsigned version;
    } gics[] = {
        {"arm,cortex-a15-gic", sizeof("arm,cortex-a15-gic"), 2},
        {"arm,cortex-a9-gic", sizeof("arm,cortex-a9-gic"), 2},
        {"arm,gic-400", sizeof("arm,gic-400"), 2},
        {"arm,gic-v3", sizeof("arm,gic-v3"), 3},
        {"arm,gic-v2m-frame", sizeof("arm,gic-v2m-frame"), 0},
    };
    for (size_t i = 0; i < ARRAY_SIZE(gics); i++) {
        w_reset();
        std_root();
        std_memory();
        std_chosen();
        w_begin("intc");
        w_prop("compatible", gics[i].compat, gics[i].len);
        w_cells("reg", 8, 0, 0x100000, 0, 0x10000, 0, 0x200000, 0, 0x20000);
        w_end();
        w_begin("psci");
        W_LIST("compatible", "arm,psci");
        w_str("method", "hvc");
        w_end();
        std_close();
        CHECK(built_reads());
        CHECK_EQ(M.gic.version, gics[i].version);
        if (gics[i].version) {
            CHECK(range_is(&M.gic.dist, 0x100000, 0x10000));
            CHECK(range_is(gics[i].version == 2 ? &M.gic.cpu : &M.gic.redist, 0x200000, 0x20000));
        }
        CHECK_EQ(M.psci.method, FDT_PSCI_HVC);
        CHECK(!M.psci.v0_2); /* plain "arm,psci" is 0.1: function IDs of its own */
    }
}

/* NOPs anywhere, and a version 16 header (no size_dt_struct) */
static void reads_nops_and_version_16(void)
{
    size_t len;

    w_reset();
    w_u32(TOK_NOP);
    std_root();
    w_u32(TOK_NOP);
    std_memory();
    std_chosen();
    w_u32(TOK_NOP);
    w_end();
    w_u32(TOK_NOP);
    w_u32(TOK_END);
    uint8_t *b = w_make(&len);
    put32(b + H_VERSION, 16);
    put32(b + H_SIZE_STRUCT, 0xdeadbeef); /* not a v16 field: must not be read */
    CHECK(reads(b, len));
    CHECK_EQ(M.ram.n, 1);
}

/* ---- refusals: the header ---------------------------------------------------------------- */

/* the standard blob with one header field replaced */
static bool header_refused(unsigned field, uint32_t value, const char *want)
{
    size_t len;
    uint8_t *b = std_blob(&len);

    put32(b + field, value);
    return refused(b, len, want);
}

static void refuses_bad_magic(void)
{
    CHECK(header_refused(0, 0xfeedd00d, "bad magic: not a device tree"));
}

static void refuses_blob_shorter_than_header(void)
{
    size_t len;
    uint8_t *b = std_blob(&len);
    uint8_t *short_b = malloc(HDR - 1);

    memcpy(short_b, b, HDR - 1);
    free(b);
    CHECK(refused(short_b, HDR - 1, "blob smaller than a device tree header"));
}

static void refuses_unreadable_versions(void)
{
    CHECK(header_refused(H_VERSION, 15, "device tree version not readable as 16 or 17"));
    CHECK(header_refused(H_LAST_COMP, 18, "device tree version not readable as 16 or 17"));
}

static void refuses_totalsize_past_the_blob(void)
{
    size_t len;
    uint8_t *b = std_blob(&len);

    CHECK(header_refused(H_TOTALSIZE, len + 1, "totalsize past the end of the blob"));
    /* or the caller allowing less than totalsize: a truncated blob */
    CHECK(refused(b, len - 1, "totalsize past the end of the blob"));
    CHECK(header_refused(H_TOTALSIZE, HDR - 1, "totalsize smaller than the header"));
}

static void refuses_blocks_outside_or_misaligned(void)
{
    size_t len;
    free(std_blob(&len));

    CHECK(header_refused(H_OFF_RSVMAP, HDR + 4, "memory reservation block misaligned"));
    CHECK(header_refused(H_OFF_RSVMAP, 0, "memory reservation block outside totalsize"));
    CHECK(header_refused(H_OFF_RSVMAP, (len & ~7u) + 8,
                         "memory reservation block outside totalsize"));
    CHECK(header_refused(H_OFF_STRUCT, HDR + 18, "structure block misaligned"));
    CHECK(header_refused(H_OFF_STRUCT, 0xfffffff0, "structure block outside totalsize"));
    CHECK(header_refused(H_SIZE_STRUCT, len, "structure block outside totalsize"));
    CHECK(header_refused(H_OFF_STRINGS, 8, "strings block outside totalsize"));
    CHECK(header_refused(H_SIZE_STRS, 0xffffffff, "strings block outside totalsize"));
}

static void refuses_reservation_block_without_end(void)
{
    size_t len;
    uint8_t *b = std_blob(&len);

    /* the block put in the last 16 bytes, whose end marker is not <0, 0>: nothing ends it */
    put32(b + H_OFF_RSVMAP, (len - 16) & ~7u);
    memset(b + ((len - 16) & ~7u), 0x11, 16);
    CHECK(refused(b, len, "memory reservation block runs past totalsize"));
}

static void refuses_reservation_that_wraps(void)
{
    w_reset();
    w_rsv(0xfffffffffffff000ull, 0x2000);
    std_root();
    std_memory();
    std_chosen();
    std_close();
    CHECK(built_refused("memory reservation wraps around the address space"));
}

static void refuses_too_many_reserved_ranges(void)
{
    w_reset();
    for (unsigned i = 0; i <= FDT_MAX_RANGES; i++)
        w_rsv(0x100000 * (i + 1), 0x1000);
    std_root();
    std_memory();
    std_chosen();
    std_close();
    CHECK(built_refused("more reserved ranges than FDT_MAX_RANGES"));
    /* the block's and /reserved-memory's count together */
    REFUSED_WITH(
        {
            for (unsigned i = 0; i < FDT_MAX_RANGES; i++)
                w_rsv(0x100000 * (i + 1), 0x1000);
            std_memory();
            std_chosen();
            w_bus("reserved-memory", 1, 1);
            w_begin("r");
            w_cells("reg", 2, 0x1000, 0x1000);
            w_end();
            w_end();
        },
        "more reserved ranges than FDT_MAX_RANGES");
}

/* ---- refusals: the structure block ------------------------------------------------------- */

static void refuses_unterminated_node_name(void)
{
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    w_u32(TOK_BEGIN_NODE);
    w_bytes("abcdefgh", 8); /* no NUL before the block ends */
    CHECK(built_refused("node name runs past the structure block"));
}

static void refuses_property_past_the_block(void)
{
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    w_begin("node");
    w_u32(TOK_PROP);
    w_u32(9); /* 9 bytes said, 8 there */
    w_u32(w_string("x", 2));
    w_u32(0);
    w_u32(0);
    CHECK(built_refused("property value runs past the structure block"));
    w_reset();
    std_root();
    w_u32(TOK_PROP);
    w_u32(4); /* and no name offset */
    CHECK(built_refused("property header runs past the structure block"));
}

static void refuses_property_name_outside_strings(void)
{
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            w_begin("node");
            w_prop_at(W.str_len + 100, "", 0);
            w_end();
        },
        "property name outside the strings block");
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            /* the last name of the strings block lacks its NUL */
            w_begin("node");
            w_prop_at(w_string("unterminated", 12), "", 0);
            w_end();
        },
        "property name runs past the strings block");
}

static void refuses_bad_token_sequences(void)
{
    REFUSED_WITH(w_u32(7), "unknown token in the structure block");
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            w_begin("open");
            w_u32(TOK_END);
        },
        "END inside a node");
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    w_end(); /* no END */
    CHECK(built_refused("structure block ends without END"));
    w_reset();
    w_end();
    CHECK(built_refused("END_NODE outside any node"));
    w_reset();
    w_str("stray", "x");
    CHECK(built_refused("property outside any node"));
    w_reset();
    w_u32(TOK_END);
    CHECK(built_refused("no root node"));
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    w_end();
    std_root();
    std_close();
    CHECK(built_refused("a second root node"));
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            w_str("late", "property after a subnode");
        },
        "property after a subnode");
}

static void refuses_nesting_too_deep(void)
{
    /* FDT_MAX_DEPTH levels, the root one of them, are read */
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    for (unsigned i = 1; i < FDT_MAX_DEPTH; i++)
        w_begin("n");
    for (unsigned i = 1; i < FDT_MAX_DEPTH; i++)
        w_end();
    std_close();
    CHECK(built_reads());
    /* one more is refused */
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            for (unsigned i = 0; i < FDT_MAX_DEPTH; i++)
                w_begin("n");
            for (unsigned i = 0; i < FDT_MAX_DEPTH; i++)
                w_end();
        },
        "nodes nested deeper than FDT_MAX_DEPTH");
}

/* ---- refusals: cells and reg ------------------------------------------------------------- */

/* a memory node under a bus with the given cells */
static void memory_under(uint32_t ac, uint32_t sc)
{
    std_chosen();
    w_bus("bus", ac, sc);
    w_begin("memory");
    w_str("device_type", "memory");
    w_cells("reg", 4, 0, 0x1000, 0, 0x1000);
    w_end();
    w_end();
}

static void refuses_bad_cells(void)
{
    const char *bad = "reg in cells other than 1 or 2 (#address-cells, #size-cells)";

    REFUSED_WITH(memory_under(3, 1), bad);
    REFUSED_WITH(memory_under(0, 2), bad);
    REFUSED_WITH(memory_under(2, 0), bad);
    REFUSED_WITH(memory_under(1, 3), bad);
    REFUSED_WITH(
        {
            std_chosen();
            w_begin("bus");
            w_cells("#address-cells", 2, 0, 1);
            w_end();
        },
        "#address-cells is not one cell");
    REFUSED_WITH(
        {
            std_chosen();
            w_begin("bus");
            w_prop("#size-cells", "", 0);
            w_end();
        },
        "#size-cells is not one cell");
    /* cells nobody's reg is read in are no matter: QEMU's /cpus has #size-cells 0 */
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    w_begin("cpus");
    w_cells("#address-cells", 1, 1);
    w_cells("#size-cells", 1, 0);
    w_begin("cpu@0");
    w_cells("reg", 1, 0);
    w_end();
    w_end();
    std_close();
    CHECK(built_reads());
}

static void refuses_bad_reg(void)
{
    REFUSED_WITH(
        {
            std_chosen();
            w_begin("memory");
            w_str("device_type", "memory");
            w_cells("reg", 3, 0, 0x1000, 0);
            w_end();
        },
        "reg is not a whole number of entries");
    REFUSED_WITH(
        {
            std_chosen();
            w_begin("memory");
            w_str("device_type", "memory");
            w_cells("reg", 4, 0xffffffff, 0xfffff000, 0, 0x2000);
            w_end();
        },
        "reg range wraps around the address space");
    /* a bus whose ranges translate (or that has none) leaves its children's reg bus addresses */
    REFUSED_WITH(
        {
            std_chosen();
            w_begin("bus");
            w_cells("ranges", 6, 0, 0, 0, 0x10000000, 0, 0x1000000);
            std_uart();
            w_end();
        },
        "reg behind a bus that translates addresses");
    REFUSED_WITH(
        {
            std_chosen();
            w_begin("bus");
            w_begin("memory");
            w_str("device_type", "memory");
            w_cells("reg", 3, 0, 0x1000, 0x1000);
            w_end();
            w_end();
        },
        "reg behind a bus that translates addresses");
}

/* ---- refusals: /chosen and RAM ----------------------------------------------------------- */

static void refuses_missing_chosen_or_ram(void)
{
    REFUSED_WITH(std_memory(), "no /chosen node");
    /* /chosen must be the root's child */
    REFUSED_WITH(
        {
            std_memory();
            w_begin("soc");
            std_chosen();
            w_end();
        },
        "no /chosen node");
    REFUSED_WITH(std_chosen(), "no RAM: no enabled memory node with reg");
    REFUSED_WITH(
        {
            std_chosen();
            w_begin("memory");
            w_str("device_type", "memory");
            w_str("status", "disabled");
            w_cells("reg", 4, 0, 0x1000, 0, 0x1000);
            w_end();
        },
        "no RAM: no enabled memory node with reg");
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            std_chosen();
        },
        "two /chosen nodes");
}

/* /chosen with one property of the given bytes */
#define CHOSEN_WITH(name, lit)                                                                     \
    {                                                                                              \
        std_memory();                                                                              \
        w_begin("chosen");                                                                         \
        w_prop(name, lit, sizeof(lit) - 1);                                                        \
        w_end();                                                                                   \
    }

static void refuses_bad_chosen(void)
{
    REFUSED_WITH(CHOSEN_WITH("bootargs", "no nul"), "bootargs is not a string");
    REFUSED_WITH(CHOSEN_WITH("bootargs", ""), "bootargs is not a string");
    REFUSED_WITH(CHOSEN_WITH("stdout-path", "/uart"), "stdout-path is not a string");
    REFUSED_WITH(CHOSEN_WITH("linux,initrd-start", "\0\0\0\1"),
                 "linux,initrd-start without linux,initrd-end or the other way round");
    REFUSED_WITH(CHOSEN_WITH("linux,initrd-end", "\0\0\0\1"),
                 "linux,initrd-start without linux,initrd-end or the other way round");
    REFUSED_WITH(
        {
            std_memory();
            w_begin("chosen");
            w_cells("linux,initrd-start", 3, 0, 0, 0x1000);
            w_cells("linux,initrd-end", 1, 0x2000);
            w_end();
        },
        "linux,initrd-start or -end is not 1 or 2 cells");
    REFUSED_WITH(
        {
            std_memory();
            w_begin("chosen");
            w_cells("linux,initrd-start", 1, 0x2000);
            w_cells("linux,initrd-end", 1, 0x1000);
            w_end();
        },
        "initrd ends before it starts");
}

/* ---- refusals: devices ------------------------------------------------------------------- */

/* the machine with its devices, the last of them replaced by body */
#define DEVICES_WITH(body)                                                                         \
    {                                                                                              \
        std_memory();                                                                              \
        std_chosen();                                                                              \
        std_gic();                                                                                 \
        body;                                                                                      \
    }

static void refuses_bad_uart(void)
{
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("serial");
                     W_LIST("compatible", "arm,pl011");
                     w_end();
                 }),
                 "pl011 without reg");
    /* its interrupt parent another controller */
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("serial");
                     W_LIST("compatible", "arm,pl011");
                     w_cells("interrupt-parent", 1, 0x77);
                     w_cells("reg", 4, 0, UART_BASE, 0, 0x1000);
                     w_cells("interrupts", 3, 0, 1, 4);
                     w_end();
                 }),
                 "the pl011's interrupt parent is not the GIC");
    /* no GIC at all */
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            std_uart();
        },
        "the pl011's interrupt parent is not the GIC");
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("serial");
                     W_LIST("compatible", "arm,pl011");
                     w_cells("interrupt-parent", 2, 0, GIC_PHANDLE);
                     w_end();
                 }),
                 "interrupt-parent is not one cell");
}

static void refuses_bad_interrupts(void)
{
    static const struct {
        uint32_t cells[4];
        unsigned n;
        const char *why;
    } bad[] = {
        {{0, 1}, 2, "interrupts is not a list of <type number flags>"},
        {{2, 1, 4}, 3, "interrupt type neither SPI nor PPI"},
        {{0, 988, 4}, 3, "interrupt number out of range"},
        {{1, 16, 4}, 3, "interrupt number out of range"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        REFUSED_WITH(DEVICES_WITH({
                         w_begin("serial");
                         W_LIST("compatible", "arm,pl011");
                         w_cells("reg", 4, 0, UART_BASE, 0, 0x1000);
                         w_cells("interrupts", bad[i].n, bad[i].cells[0], bad[i].cells[1],
                                 bad[i].cells[2]);
                         w_end();
                     }),
                     bad[i].why);
    /* the highest numbers the binding has are read */
    w_reset();
    std_root();
    DEVICES_WITH({
        w_begin("serial");
        W_LIST("compatible", "arm,pl011");
        w_cells("reg", 4, 0, UART_BASE, 0, 0x1000);
        w_cells("interrupts", 3, 0, 987, 4);
        w_end();
    });
    std_close();
    CHECK(built_reads());
    CHECK(irq_is(&M.uart.irq, FDT_IRQ_SPI, 987, 4));
    CHECK_EQ(M.uart.irq.intid, 1019);
}

/* a GIC-400 whose phandle is in the property named, of 1 or 2 cells */
static void gic400(const char *phandle_name, unsigned phandle_cells, uint32_t irq_cells)
{
    w_begin("intc");
    W_LIST("compatible", "arm,gic-400");
    w_cells("#interrupt-cells", 1, irq_cells);
    if (phandle_cells == 1)
        w_cells(phandle_name, 1, GIC_PHANDLE);
    else
        w_cells(phandle_name, 2, 0, GIC_PHANDLE);
    w_cells("reg", 8, 0, GICD_BASE, 0, 0x1000, 0, GICC_BASE, 0, 0x2000);
    w_end();
}

static void refuses_bad_gic(void)
{
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            w_begin("intc");
            W_LIST("compatible", "arm,gic-v3");
            w_cells("reg", 4, 0, GICD_BASE, 0, 0x10000);
            w_end();
        },
        "GIC reg has fewer than 2 entries");
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            gic400("phandle", 1, 2);
            std_uart();
        },
        "the GIC's #interrupt-cells is not 3");
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            gic400("phandle", 2, 3);
        },
        "phandle is not one cell");
    /* linux,phandle stands for phandle */
    w_reset();
    std_root();
    std_memory();
    std_chosen();
    gic400("linux,phandle", 1, 3);
    std_uart();
    std_close();
    CHECK(built_reads());
    CHECK(M.uart.irq.present);
}

static void refuses_bad_timer(void)
{
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("timer");
                     W_LIST("compatible", "arm,armv8-timer");
                     w_end();
                 }),
                 "arm,armv8-timer without interrupts");
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("timer");
                     W_LIST("compatible", "arm,armv8-timer");
                     w_cells("interrupts", 9, 1, 13, 4, 1, 14, 4, 1, 11, 4);
                     w_end();
                 }),
                 "fewer interrupts than the binding has");
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("timer");
                     W_LIST("compatible", "arm,armv8-timer");
                     w_cells("interrupts", 12, 1, 13, 4, 0, 14, 4, 1, 11, 4, 1, 10, 4);
                     w_end();
                 }),
                 "timer interrupt is not a PPI");
    REFUSED_WITH(
        {
            std_memory();
            std_chosen();
            std_timer();
        },
        "the timer's interrupt parent is not the GIC");
}

static void refuses_bad_psci(void)
{
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("psci");
                     W_LIST("compatible", "arm,psci-1.0");
                     w_str("method", "svc");
                     w_end();
                 }),
                 "PSCI method is neither hvc nor smc");
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("psci");
                     W_LIST("compatible", "arm,psci-0.2");
                     w_end();
                 }),
                 "PSCI method missing or not a string");
}

static void refuses_bad_strings(void)
{
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("serial");
                     w_prop("compatible", "arm,pl011", 9);
                     w_end();
                 }),
                 "compatible is not a string list");
    REFUSED_WITH(DEVICES_WITH({
                     w_begin("serial");
                     W_LIST("compatible", "arm,pl011");
                     w_prop("status", "okay", 4);
                     w_end();
                 }),
                 "status is not a string");
}

/* ---- QEMU's own device trees (made by the Makefile with qemu-system-aarch64 -M virt) ---- */

/*
 * What QEMU 7.2's virt machine has (hw/arm/virt.c's memory map and interrupt map,
 * hw/arm/boot.c for the initrd): each test below checks the reader's answer against these.
 */
#define VIRT_RAM        0x40000000u
#define VIRT_RAM_SIZE   (512u << 20) /* -m 512M */
#define VIRT_UART       0x09000000u
#define VIRT_UART_SPI   1
#define VIRT_GICD       0x08000000u
#define VIRT_GICC       0x08010000u
#define VIRT_GICR       0x080a0000u
#define VIRT_GICR_SIZE  0x00f60000u
#define IRQ_LEVEL_HIGH  4
#define GICV2_PPI_CPU0  0x100        /* GICv2 PPI flags name the CPUs: one here */
#define VIRT_INITRD_GAP (128u << 20) /* an initrd goes min(RAM / 2, 128 MiB) into RAM */

static char dtb_dir[512];

/* A file made by the Makefile, whole, in a heap buffer of its size. */
static uint8_t *load(const char *name, size_t *len)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dtb_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("    cannot open %s (the Makefile makes it)\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? n : 1);
    *len = fread(b, 1, n, f);
    fclose(f);
    return b;
}

static bool read_qemu(const char *name)
{
    size_t len;
    uint8_t *b = load(name, &len);

    return b && reads(b, len);
}

/* what every virt machine here has, whatever its GIC */
static void check_virt_common(void)
{
    CHECK_EQ(M.ram.n, 1);
    CHECK(range_is(&M.ram.r[0], VIRT_RAM, VIRT_RAM_SIZE));
    CHECK_EQ(M.rsvd.n, 0);
    CHECK(M.uart.present);
    CHECK(range_is(&M.uart.reg, VIRT_UART, 0x1000));
    CHECK(irq_is(&M.uart.irq, FDT_IRQ_SPI, VIRT_UART_SPI, IRQ_LEVEL_HIGH));
    CHECK_EQ(M.uart.irq.intid, 33);
    /* the console QEMU names is that pl011: "/pl011@9000000" */
    char unit[32];
    snprintf(unit, sizeof(unit), "@%llx", (unsigned long long)M.uart.reg.base);
    CHECK(M.stdout_path && strlen(M.stdout_path) > strlen(unit) &&
          strcmp(M.stdout_path + strlen(M.stdout_path) - strlen(unit), unit) == 0);
    CHECK(M.timer.present);
    CHECK(M.psci.v0_2);
}

static void check_virt_timer(uint32_t flags)
{
    CHECK(irq_is(&M.timer.irq[FDT_TIMER_SEC_PHYS], FDT_IRQ_PPI, 13, flags));
    CHECK(irq_is(&M.timer.irq[FDT_TIMER_NONSEC_PHYS], FDT_IRQ_PPI, 14, flags));
    CHECK(irq_is(&M.timer.irq[FDT_TIMER_VIRT], FDT_IRQ_PPI, 11, flags));
    CHECK(irq_is(&M.timer.irq[FDT_TIMER_HYP], FDT_IRQ_PPI, 10, flags));
    CHECK_EQ(M.timer.irq[FDT_TIMER_NONSEC_PHYS].intid, 30);
}

static void qemu_virt_gicv2(void)
{
    CHECK(read_qemu("virt-gicv2.dtb"));
    check_virt_common();
    CHECK_EQ(M.gic.version, 2);
    CHECK(range_is(&M.gic.dist, VIRT_GICD, 0x10000));
    CHECK(range_is(&M.gic.cpu, VIRT_GICC, 0x10000));
    /* its MSI frame (a child node, "arm,gic-v2m-frame"): the kernel's, never a container's */
    CHECK_EQ(M.gic.nframes, 1);
    CHECK(range_is(&M.gic.frames[0], 0x08020000u, 0x1000));
    check_virt_timer(GICV2_PPI_CPU0 | IRQ_LEVEL_HIGH);
    CHECK_EQ(M.psci.method, FDT_PSCI_HVC); /* the guest has no EL2: the hypervisor is QEMU */
    CHECK(M.bootargs == NULL);
    CHECK(!M.has_initrd);
}

static void qemu_virt_gicv3(void)
{
    CHECK(read_qemu("virt-gicv3.dtb"));
    check_virt_common();
    CHECK_EQ(M.gic.version, 3);
    CHECK(range_is(&M.gic.dist, VIRT_GICD, 0x10000));
    CHECK(range_is(&M.gic.redist, VIRT_GICR, VIRT_GICR_SIZE));
    check_virt_timer(IRQ_LEVEL_HIGH); /* GICv3 flags name no CPUs */
    CHECK_EQ(M.psci.method, FDT_PSCI_HVC);
}

/* virtualization=on: the guest starts at EL2, so PSCI is the firmware's, by SMC */
static void qemu_virt_el2(void)
{
    CHECK(read_qemu("virt-el2.dtb"));
    check_virt_common();
    CHECK_EQ(M.gic.version, 2);
    /* the hypervisor and virtual CPU interfaces (GICH, GICV) are reg entries 3 and 4 of the
     * GIC's node; with the MSI frame, three frames nobody else may map */
    CHECK_EQ(M.gic.nframes, 3);
    check_virt_timer(GICV2_PPI_CPU0 | IRQ_LEVEL_HIGH);
    CHECK_EQ(M.psci.method, FDT_PSCI_SMC);
}

/* -kernel, -initrd and -append "a b": /chosen has them */
static void qemu_virt_chosen(void)
{
    size_t initrd_len = 0;
    uint8_t *initrd = load("initrd", &initrd_len);

    free(initrd);
    CHECK(initrd_len > 0);
    CHECK(read_qemu("virt-chosen.dtb"));
    check_virt_common();
    CHECK(M.bootargs && strcmp(M.bootargs, "a b") == 0);
    CHECK(M.has_initrd);
    uint64_t gap = VIRT_RAM_SIZE / 2 < VIRT_INITRD_GAP ? VIRT_RAM_SIZE / 2 : VIRT_INITRD_GAP;
    CHECK_EQ(M.initrd_start, VIRT_RAM + gap);
    CHECK_EQ(M.initrd_end - M.initrd_start, initrd_len);
}

/* two NUMA nodes of 128 and 384 MiB: two memory nodes, together the same RAM */
static void qemu_virt_numa(void)
{
    CHECK(read_qemu("virt-numa.dtb"));
    CHECK_EQ(M.ram.n, 2);
    unsigned low = M.ram.r[0].base != VIRT_RAM; /* in the blob the higher comes first */
    CHECK(range_is(&M.ram.r[low], VIRT_RAM, 128u << 20));
    CHECK(range_is(&M.ram.r[!low], VIRT_RAM + (128u << 20), 384u << 20));
}

/* the blob at an odd address reads the same: no field is loaded as a word */
static void qemu_blob_unaligned(void)
{
    size_t len;
    uint8_t *b = load("virt-gicv2.dtb", &len);

    if (!b) {
        CHECK(b);
        return;
    }
    uint8_t *odd = malloc(len + 1);
    memcpy(odd + 1, b, len);
    free(b);
    const char *why = NULL;
    CHECK(fdt_read(odd + 1, len, &M, &why));
    CHECK(range_is(&M.uart.reg, VIRT_UART, 0x1000));
    free(odd);
}

/* ---- damage: random flips and cuts of a real blob never crash the reader ------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* QEMU's blob without its free space: totalsize the end of its last block */
static uint8_t *packed_qemu_blob(size_t *len)
{
    uint8_t *b = load("virt-chosen.dtb", len);

    if (!b || *len < HDR)
        return NULL;
    uint32_t end = get32(b + H_OFF_STRUCT) + get32(b + H_SIZE_STRUCT);
    uint32_t str_end = get32(b + H_OFF_STRINGS) + get32(b + H_SIZE_STRS);
    end = end > str_end ? end : str_end;
    put32(b + H_TOTALSIZE, end);
    *len = end;
    return b;
}

static bool inside(const void *p, const uint8_t *b, size_t len)
{
    if (!p)
        return true;
    const uint8_t *s = p;
    if (s < b || s >= b + len)
        return false;
    for (; s < b + len; s++)
        if (!*s)
            return true;
    return false;
}

/* Read len bytes of src from a buffer of exactly that size; either answer is fine, but it
   must be one, and what a success returns must lie in the blob. Returns the success. */
static bool survives(const uint8_t *src, size_t len)
{
    uint8_t *b = malloc(len ? len : 1);
    const char *why = NULL;

    memcpy(b, src, len);
    bool ok = fdt_read(b, len, &M, &why);
    if (ok) {
        CHECK(why == NULL);
        CHECK(M.ram.n >= 1 && M.ram.n <= FDT_MAX_RANGES && M.rsvd.n <= FDT_MAX_RANGES);
        CHECK(inside(M.bootargs, b, len) && inside(M.stdout_path, b, len));
        CHECK(!M.has_initrd || M.initrd_start <= M.initrd_end);
    } else {
        CHECK(why && *why);
    }
    free(b);
    return ok;
}

static void damaged_blobs_never_crash(void)
{
    size_t len;
    uint8_t *orig = packed_qemu_blob(&len);

    if (!orig) {
        CHECK(orig);
        return;
    }
    CHECK(survives(orig, len));
    uint8_t *b = malloc(len);
    unsigned ok = 0, refused_n = 0;
    for (unsigned round = 0; round < 20000; round++) {
        memcpy(b, orig, len);
        unsigned flips = 1 + next_random() % 4;
        for (unsigned i = 0; i < flips; i++) {
            /* a quarter of the flips in the header and reservation block, where a bit means most */
            size_t at = next_random() % (round % 4 ? len : 64);
            b[at] ^= (uint8_t)(1 + next_random() % 255);
        }
        if (survives(b, len))
            ok++;
        else
            refused_n++;
    }
    /* cut anywhere: the blob as the caller allows less, and its structure block cut short */
    for (size_t cut = 0; cut < len; cut++) {
        survives(orig, cut);
        memcpy(b, orig, len);
        uint32_t st_size = get32(b + H_SIZE_STRUCT);
        put32(b + H_SIZE_STRUCT, cut % (st_size + 1));
        if (survives(b, len))
            ok++;
        else
            refused_n++;
    }
    /* both answers came up: the damage reached past the header checks */
    CHECK(ok > 100 && refused_n > 100);
    printf("    %u damaged blobs read, %u refused\n", ok, refused_n);
    free(b);
    free(orig);
}

int main(int argc, char **argv)
{
    /* QEMU's blobs are in dtb/ beside this binary */
    int dir_len = -1;
    for (int i = 0; argc > 0 && argv[0][i]; i++)
        if (argv[0][i] == '/')
            dir_len = i;
    snprintf(dtb_dir, sizeof(dtb_dir), "%.*s/dtb", dir_len < 0 ? 1 : dir_len,
             dir_len < 0 ? "." : argv[0]);

    RUN("fdt", reads_built_machine);
    RUN("fdt", reads_one_cell_reg);
    RUN("fdt", reads_64bit_initrd_cells);
    RUN("fdt", reads_every_memory_node);
    RUN("fdt", counts_ram_past_the_maximum);
    RUN("fdt", reads_reserved_ranges);
    RUN("fdt", skips_disabled_devices);
    RUN("fdt", reads_gic_v3_and_psci_variants);
    RUN("fdt", reads_nops_and_version_16);
    RUN("fdt", refuses_bad_magic);
    RUN("fdt", refuses_blob_shorter_than_header);
    RUN("fdt", refuses_unreadable_versions);
    RUN("fdt", refuses_totalsize_past_the_blob);
    RUN("fdt", refuses_blocks_outside_or_misaligned);
    RUN("fdt", refuses_reservation_block_without_end);
    RUN("fdt", refuses_reservation_that_wraps);
    RUN("fdt", refuses_too_many_reserved_ranges);
    RUN("fdt", refuses_unterminated_node_name);
    RUN("fdt", refuses_property_past_the_block);
    RUN("fdt", refuses_property_name_outside_strings);
    RUN("fdt", refuses_bad_token_sequences);
    RUN("fdt", refuses_nesting_too_deep);
    RUN("fdt", refuses_bad_cells);
    RUN("fdt", refuses_bad_reg);
    RUN("fdt", refuses_missing_chosen_or_ram);
    RUN("fdt", refuses_bad_chosen);
    RUN("fdt", refuses_bad_uart);
    RUN("fdt", refuses_bad_interrupts);
    RUN("fdt", refuses_bad_gic);
    RUN("fdt", refuses_bad_timer);
    RUN("fdt", refuses_bad_psci);
    RUN("fdt", refuses_bad_strings);
    RUN("fdt", qemu_virt_gicv2);
    RUN("fdt", qemu_virt_gicv3);
    RUN("fdt", qemu_virt_el2);
    RUN("fdt", qemu_virt_chosen);
    RUN("fdt", qemu_virt_numa);
    RUN("fdt", qemu_blob_unaligned);
    RUN("fdt", damaged_blobs_never_crash);
    free(M_blob);
    return CHECK_DONE();
}
