/* SPDX-License-Identifier: BSD-2-Clause */
/* The flattened device tree reader: the blob is checked as it is read, nothing in it trusted. */
#include "fdt.h"

#include "printk.h"
#include "string.h"

/*
 * The blob (all fields big-endian):
 *
 *   0  header: magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
 *      last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct (v17 only)
 *      memory reservation block: <u64 address, u64 size> pairs up to a <0, 0>, 8-aligned
 *      structure block: 4-aligned tokens, each token's data padded to 4 bytes:
 *        BEGIN_NODE "name\0"   PROP <u32 len, u32 name offset> value[len]   END_NODE
 *        NOP   END (once, after the root node)
 *      strings block: the property names, NUL-terminated
 *
 * Properties come before a node's subnodes, so a node is acted on when its properties end
 * (its first subnode or its END_NODE): its parent's cells are known by then, its children
 * need only what it declares. The walk only ever moves forward, at least 4 bytes a token,
 * inside a block whose size was checked against totalsize: it ends, whatever the blob says.
 */
#define TOK_BEGIN_NODE 1u
#define TOK_END_NODE   2u
#define TOK_PROP       3u
#define TOK_NOP        4u
#define TOK_END        9u

/* the header up to size_dt_struct; v16's stops before it, but its 8-aligned memory reservation
   block still starts at 40 at the earliest, so 40 bytes are there to read whatever the version */
#define HDR_SIZE     40u
#define GIC_SPI_MAX  988u
#define GIC_PPI_MAX  16u
#define IRQ_SPEC_LEN 12u /* <type number flags> */

struct prop {
    const uint8_t *v; /* NULL: the node has no such property */
    uint32_t len;
};

/* The properties of the node being read that mean something here, until they end. */
struct props {
    struct prop addr_cells, size_cells, irq_parent, irq_cells, phandle, linux_phandle, ranges, reg,
        compatible, status, device_type, interrupts, method, bootargs, stdout_path, initrd_start,
        initrd_end;
};

static const struct {
    const char *name;
    size_t off;
} prop_names[] = {
    {"#address-cells", offsetof(struct props, addr_cells)},
    {"#size-cells", offsetof(struct props, size_cells)},
    {"interrupt-parent", offsetof(struct props, irq_parent)},
    {"#interrupt-cells", offsetof(struct props, irq_cells)},
    {"phandle", offsetof(struct props, phandle)},
    {"linux,phandle", offsetof(struct props, linux_phandle)},
    {"ranges", offsetof(struct props, ranges)},
    {"reg", offsetof(struct props, reg)},
    {"compatible", offsetof(struct props, compatible)},
    {"status", offsetof(struct props, status)},
    {"device_type", offsetof(struct props, device_type)},
    {"interrupts", offsetof(struct props, interrupts)},
    {"method", offsetof(struct props, method)},
    {"bootargs", offsetof(struct props, bootargs)},
    {"stdout-path", offsetof(struct props, stdout_path)},
    {"linux,initrd-start", offsetof(struct props, initrd_start)},
    {"linux,initrd-end", offsetof(struct props, initrd_end)},
};

/* What an open node hands down to its subnodes. */
struct level {
    const char *name;
    uint32_t addr_cells, size_cells; /* of its subnodes' reg: 2 and 1 when not said */
    uint32_t irq_parent;             /* phandle, inherited; 0: none */
    bool phys;                       /* its subnodes' reg are CPU physical addresses */
    bool rsvd_mem;                   /* it is /reserved-memory */
};

struct walk {
    const uint8_t *blob;
    uint32_t total;
    uint32_t st_off, st_size, pos; /* structure block; pos from st_off */
    uint32_t str_off, str_size;    /* strings block */
    unsigned depth;                /* open nodes: lv[1] is the root, lv[0] the root's parent */
    struct level lv[FDT_MAX_DEPTH + 1];
    struct props props; /* of lv[depth] */
    bool props_done;    /* lv[depth] was acted on: a property now is out of place */
    bool seen_root, seen_chosen;
    uint32_t gic_phandle, gic_irq_cells, uart_irq_parent, timer_irq_parent;
    struct fdt_machine *m;
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* --- header and memory reservation block ------------------------------------ */

static const char *check_block(uint32_t off, uint32_t size, uint32_t align, uint32_t total,
                               const char *misaligned, const char *outside)
{
    if (off % align)
        return misaligned;
    if (off < HDR_SIZE || off > total || size > total - off)
        return outside;
    return NULL;
}

static const char *check_header(struct walk *w, size_t max, uint32_t *rsv_off)
{
    const uint8_t *b = w->blob;

    if (max < HDR_SIZE)
        return "blob smaller than a device tree header";
    if (be32(b) != FDT_MAGIC)
        return "bad magic: not a device tree";
    w->total = be32(b + 4);
    if (be32(b + 20) < 16 || be32(b + 24) > 17)
        return "device tree version not readable as 16 or 17";
    if (w->total > max)
        return "totalsize past the end of the blob";
    if (w->total < HDR_SIZE)
        return "totalsize smaller than the header";
    w->st_off = be32(b + 8);
    w->str_off = be32(b + 12);
    w->str_size = be32(b + 32);
    *rsv_off = be32(b + 16);
    /* version 16 has no size_dt_struct: its structure block may run to totalsize */
    if (be32(b + 20) >= 17)
        w->st_size = be32(b + 36);
    else
        w->st_size = w->st_off <= w->total ? w->total - w->st_off : 0;
    const char *why = check_block(*rsv_off, 16, 8, w->total, "memory reservation block misaligned",
                                  "memory reservation block outside totalsize");
    if (!why)
        why = check_block(w->st_off, w->st_size, 4, w->total, "structure block misaligned",
                          "structure block outside totalsize");
    if (!why)
        why = check_block(w->str_off, w->str_size, 1, w->total, NULL,
                          "strings block outside totalsize");
    w->st_size = ALIGN_DOWN(w->st_size, 4); /* bytes past the last whole token are no token */
    return why;
}

static const char *add_rsvd(struct fdt_machine *m, struct fdt_range r)
{
    if (r.size == 0)
        return NULL;
    if (m->rsvd.n == FDT_MAX_RANGES)
        return "more reserved ranges than FDT_MAX_RANGES";
    m->rsvd.r[m->rsvd.n++] = r;
    return NULL;
}

static const char *read_rsvmap(struct walk *w, uint32_t off)
{
    for (;; off += 16) {
        if (w->total - off < 16)
            return "memory reservation block runs past totalsize";
        struct fdt_range r = {be64(w->blob + off), be64(w->blob + off + 8)};
        if (r.base == 0 && r.size == 0)
            return NULL;
        if (r.base + r.size < r.base)
            return "memory reservation wraps around the address space";
        const char *why = add_rsvd(w->m, r);
        if (why)
            return why;
    }
}

/* Is there a NUL in s[0..room)? */
static bool ends_within(const char *s, uint32_t room)
{
    for (uint32_t i = 0; i < room; i++)
        if (s[i] == '\0')
            return true;
    return false;
}

/* --- property values ------------------------------------------------------- */

static bool is_string(const struct prop *p)
{
    return p->len > 0 && p->v[p->len - 1] == '\0';
}

/* Is s one of the NUL-terminated strings of list (checked with is_string)? */
static bool has_string(const struct prop *list, const char *s)
{
    for (uint32_t i = 0; i < list->len; i += strlen((const char *)list->v + i) + 1)
        if (strcmp((const char *)list->v + i, s) == 0)
            return true;
    return false;
}

/* Does a node named name (a unit address after '@' aside) have the name want? */
static bool node_is(const char *name, const char *want)
{
    size_t n = strlen(want);
    return strncmp(name, want, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

static const char *one_cell(const struct prop *p, uint32_t dflt, uint32_t *out, const char *why)
{
    if (!p->v) {
        *out = dflt;
        return NULL;
    }
    if (p->len != 4)
        return why;
    *out = be32(p->v);
    return NULL;
}

/* The number a property of 1 or 2 cells holds (linux,initrd-start and -end are either). */
static const char *cells_value(const struct prop *p, uint64_t *out, const char *why)
{
    if (p->len == 4)
        *out = be32(p->v);
    else if (p->len == 8)
        *out = be64(p->v);
    else
        return why;
    return NULL;
}

/* How many entries the current node's reg has, in its parent's cells. */
static const char *reg_count(const struct walk *w, unsigned *n)
{
    const struct level *parent = &w->lv[w->depth - 1];
    uint32_t ac = parent->addr_cells, sc = parent->size_cells;

    if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
        return "reg in cells other than 1 or 2 (#address-cells, #size-cells)";
    if (!parent->phys)
        return "reg behind a bus that translates addresses";
    if (w->props.reg.len % (4 * (ac + sc)))
        return "reg is not a whole number of entries";
    *n = w->props.reg.len / (4 * (ac + sc));
    return NULL;
}

/* Entry i of the current node's reg, whose count reg_count gave. */
static const char *reg_entry(const struct walk *w, unsigned i, struct fdt_range *r)
{
    const struct level *parent = &w->lv[w->depth - 1];
    uint32_t ac = parent->addr_cells, sc = parent->size_cells;
    const uint8_t *e = w->props.reg.v + i * 4 * (ac + sc);

    DEBUG_ASSERT((i + 1) * 4 * (ac + sc) <= w->props.reg.len);
    r->base = ac == 2 ? be64(e) : be32(e);
    r->size = sc == 2 ? be64(e + 4 * ac) : be32(e + 4 * ac);
    if (r->base + r->size < r->base)
        return "reg range wraps around the address space";
    return NULL;
}

/* The first `need` entries of the current node's reg, for a device. */
static const char *device_reg(const struct walk *w, struct fdt_range *r, unsigned need,
                              const char *too_few)
{
    unsigned n;
    const char *why = reg_count(w, &n);

    if (!why && n < need)
        why = too_few;
    for (unsigned i = 0; !why && i < need; i++)
        why = reg_entry(w, i, &r[i]);
    return why;
}

/* Interrupt specifier i of the current node, in the GIC binding's three cells. */
static const char *irq_entry(const struct walk *w, unsigned i, struct fdt_irq *irq)
{
    const struct prop *p = &w->props.interrupts;

    if (p->len % IRQ_SPEC_LEN)
        return "interrupts is not a list of <type number flags>";
    if (p->len < (i + 1) * IRQ_SPEC_LEN)
        return "fewer interrupts than the binding has";
    const uint8_t *e = p->v + i * IRQ_SPEC_LEN;
    uint32_t type = be32(e), number = be32(e + 4);
    if (type != FDT_IRQ_SPI && type != FDT_IRQ_PPI)
        return "interrupt type neither SPI nor PPI";
    if (number >= (type == FDT_IRQ_SPI ? GIC_SPI_MAX : GIC_PPI_MAX))
        return "interrupt number out of range";
    irq->present = true;
    irq->type = type;
    irq->number = number;
    irq->intid = number + (type == FDT_IRQ_SPI ? 32 : 16);
    irq->flags = be32(e + 8);
    return NULL;
}

/* --- nodes ----------------------------------------------------------------- */

static const char *read_chosen(struct walk *w)
{
    const struct props *p = &w->props;
    struct fdt_machine *m = w->m;

    if (w->seen_chosen)
        return "two /chosen nodes";
    w->seen_chosen = true;
    if (p->bootargs.v && !is_string(&p->bootargs))
        return "bootargs is not a string";
    if (p->stdout_path.v && !is_string(&p->stdout_path))
        return "stdout-path is not a string";
    m->bootargs = p->bootargs.v ? (const char *)p->bootargs.v : NULL;
    m->stdout_path = p->stdout_path.v ? (const char *)p->stdout_path.v : NULL;
    if (!p->initrd_start.v && !p->initrd_end.v)
        return NULL;
    if (!p->initrd_start.v || !p->initrd_end.v)
        return "linux,initrd-start without linux,initrd-end or the other way round";
    const char *why = "linux,initrd-start or -end is not 1 or 2 cells";
    if (cells_value(&p->initrd_start, &m->initrd_start, why) ||
        cells_value(&p->initrd_end, &m->initrd_end, why))
        return why;
    if (m->initrd_end < m->initrd_start)
        return "initrd ends before it starts";
    m->has_initrd = true;
    return NULL;
}

/* RAM (ram true) or /reserved-memory ranges: every reg entry of the current node. */
static const char *read_ranges(struct walk *w, bool ram)
{
    unsigned n;
    const char *why = reg_count(w, &n);

    for (unsigned i = 0; !why && i < n; i++) {
        struct fdt_range r;
        why = reg_entry(w, i, &r);
        if (why || r.size == 0 || !ram)
            why = why ? why : add_rsvd(w->m, r);
        else if (w->m->ram.n == FDT_MAX_RANGES)
            w->m->ram_dropped++;
        else
            w->m->ram.r[w->m->ram.n++] = r;
    }
    return why;
}

static const char *read_uart(struct walk *w)
{
    struct fdt_machine *m = w->m;
    const char *why = device_reg(w, &m->uart.reg, 1, "pl011 without reg");

    if (why)
        return why;
    if (w->props.interrupts.v && (why = irq_entry(w, 0, &m->uart.irq)))
        return why;
    w->uart_irq_parent = w->lv[w->depth].irq_parent;
    m->uart.present = true;
    return NULL;
}

static const char *read_gic(struct walk *w, unsigned version)
{
    struct fdt_machine *m = w->m;
    const struct props *p = &w->props;
    struct fdt_range r[2];
    const char *why = device_reg(w, r, 2, "GIC reg has fewer than 2 entries");

    if (why ||
        (why = one_cell(p->phandle.v ? &p->phandle : &p->linux_phandle, 0, &w->gic_phandle,
                        "phandle is not one cell")) ||
        (why = one_cell(&p->irq_cells, 0, &w->gic_irq_cells, "#interrupt-cells is not one cell")))
        return why;
    unsigned n;
    reg_count(w, &n); // (device_reg read it already: it is whole)
    for (unsigned i = 2; i < n && !why; i++) {
        if (m->gic.nframes == FDT_MAX_GIC_FRAMES)
            return "the GIC has more frames than the kernel keeps";
        why = reg_entry(w, i, &m->gic.frames[m->gic.nframes++]);
    }
    if (why)
        return why;
    m->gic.version = version;
    m->gic.dist = r[0];
    if (version == 2)
        m->gic.cpu = r[1];
    else
        m->gic.redist = r[1];
    return NULL;
}

static const char *read_timer(struct walk *w)
{
    struct fdt_machine *m = w->m;

    if (!w->props.interrupts.v)
        return "arm,armv8-timer without interrupts";
    for (unsigned i = 0; i < FDT_TIMER_NIRQ; i++) {
        const char *why = irq_entry(w, i, &m->timer.irq[i]);
        if (why)
            return why;
        if (m->timer.irq[i].type != FDT_IRQ_PPI)
            return "timer interrupt is not a PPI";
    }
    w->timer_irq_parent = w->lv[w->depth].irq_parent;
    m->timer.present = true;
    return NULL;
}

static const char *read_psci(struct walk *w)
{
    const struct prop *method = &w->props.method;
    const struct prop *c = &w->props.compatible;

    if (!method->v || !is_string(method))
        return "PSCI method missing or not a string";
    if (strcmp((const char *)method->v, "hvc") == 0)
        w->m->psci.method = FDT_PSCI_HVC;
    else if (strcmp((const char *)method->v, "smc") == 0)
        w->m->psci.method = FDT_PSCI_SMC;
    else
        return "PSCI method is neither hvc nor smc";
    w->m->psci.v0_2 = has_string(c, "arm,psci-0.2") || has_string(c, "arm,psci-1.0");
    return NULL;
}

/* The devices wanted, by compatible: the first enabled one of each kind. */
static const char *read_device(struct walk *w)
{
    const struct prop *c = &w->props.compatible;
    struct fdt_machine *m = w->m;

    if (!c->v)
        return NULL;
    if (!is_string(c))
        return "compatible is not a string list";
    if (!m->uart.present && has_string(c, "arm,pl011"))
        return read_uart(w);
    if (!m->gic.version && (has_string(c, "arm,cortex-a15-gic") || has_string(c, "arm,gic-400") ||
                            has_string(c, "arm,cortex-a9-gic")))
        return read_gic(w, 2);
    if (!m->gic.version && has_string(c, "arm,gic-v3"))
        return read_gic(w, 3);
    if (has_string(c, "arm,gic-v2m-frame")) { // every one: each can raise SPIs
        if (m->gic.nframes == FDT_MAX_GIC_FRAMES)
            return "the GIC has more frames than the kernel keeps";
        return device_reg(w, &m->gic.frames[m->gic.nframes++], 1, "gic-v2m-frame without reg");
    }
    if (!m->timer.present && has_string(c, "arm,armv8-timer"))
        return read_timer(w);
    if (!m->psci.method && (has_string(c, "arm,psci-0.2") || has_string(c, "arm,psci-1.0") ||
                            has_string(c, "arm,psci")))
        return read_psci(w);
    return NULL;
}

/* status absent, "okay" or "ok" (ePAPR's spelling): the node is in use. */
static const char *read_status(const struct walk *w, bool *enabled)
{
    const struct prop *s = &w->props.status;

    *enabled = !s->v;
    if (s->v && !is_string(s))
        return "status is not a string";
    if (s->v)
        *enabled = !strcmp((const char *)s->v, "okay") || !strcmp((const char *)s->v, "ok");
    return NULL;
}

/* The current node's properties have ended: record what it hands down, then act on it. */
static const char *node_props_end(struct walk *w)
{
    struct level *lv = &w->lv[w->depth], *parent = &w->lv[w->depth - 1];
    const struct props *p = &w->props;
    const char *why;
    bool enabled;

    w->props_done = true;
    if ((why = one_cell(&p->addr_cells, 2, &lv->addr_cells, "#address-cells is not one cell")) ||
        (why = one_cell(&p->size_cells, 1, &lv->size_cells, "#size-cells is not one cell")) ||
        (why = one_cell(&p->irq_parent, lv->irq_parent, &lv->irq_parent,
                        "interrupt-parent is not one cell")) ||
        (why = read_status(w, &enabled)))
        return why;
    /* an empty ranges maps the node's bus 1:1 onto its parent's */
    lv->phys = w->depth == 1 || (parent->phys && p->ranges.v && p->ranges.len == 0);
    lv->rsvd_mem = w->depth == 2 && node_is(lv->name, "reserved-memory");
    if (w->depth == 2 && node_is(lv->name, "chosen"))
        return read_chosen(w);
    if (!enabled)
        return NULL;
    if (parent->rsvd_mem && p->reg.v)
        return read_ranges(w, false);
    if (p->device_type.v && is_string(&p->device_type) &&
        strcmp((const char *)p->device_type.v, "memory") == 0)
        return p->reg.v ? read_ranges(w, true) : NULL;
    return read_device(w);
}

/* --- the structure block --------------------------------------------------- */

static bool take32(struct walk *w, uint32_t *v)
{
    if (w->st_size - w->pos < 4)
        return false;
    *v = be32(w->blob + w->st_off + w->pos);
    w->pos += 4;
    return true;
}

static const char *begin_node(struct walk *w)
{
    const char *why;

    if (w->depth == 0 && w->seen_root)
        return "a second root node";
    if (w->depth > 0 && !w->props_done && (why = node_props_end(w)))
        return why;
    if (w->depth == FDT_MAX_DEPTH)
        return "nodes nested deeper than FDT_MAX_DEPTH";
    const char *name = (const char *)w->blob + w->st_off + w->pos;
    if (!ends_within(name, w->st_size - w->pos))
        return "node name runs past the structure block";
    /* the padded name ends inside the block: st_size is a multiple of 4 */
    w->pos += ALIGN_UP(strlen(name) + 1, 4);
    struct level *lv = &w->lv[++w->depth];
    *lv = (struct level){.name = name, .irq_parent = w->lv[w->depth - 1].irq_parent};
    memset(&w->props, 0, sizeof(w->props));
    w->props_done = false;
    w->seen_root = true;
    return NULL;
}

static const char *end_node(struct walk *w)
{
    const char *why;

    if (w->depth == 0)
        return "END_NODE outside any node";
    if (!w->props_done && (why = node_props_end(w)))
        return why;
    w->depth--;
    return NULL;
}

static const char *property(struct walk *w)
{
    uint32_t len, nameoff;

    if (w->depth == 0)
        return "property outside any node";
    if (w->props_done)
        return "property after a subnode";
    if (!take32(w, &len) || !take32(w, &nameoff))
        return "property header runs past the structure block";
    if (len > w->st_size - w->pos)
        return "property value runs past the structure block";
    if (nameoff >= w->str_size)
        return "property name outside the strings block";
    const char *name = (const char *)w->blob + w->str_off + nameoff;
    if (!ends_within(name, w->str_size - nameoff))
        return "property name runs past the strings block";
    for (size_t i = 0; i < ARRAY_SIZE(prop_names); i++)
        if (strcmp(name, prop_names[i].name) == 0)
            *(struct prop *)(void *)((char *)&w->props + prop_names[i].off) =
                (struct prop){w->blob + w->st_off + w->pos, len};
    w->pos += ALIGN_UP(len, 4);
    return NULL;
}

static const char *walk_struct(struct walk *w)
{
    for (;;) {
        uint32_t tok, was = w->pos;
        const char *why;
        if (!take32(w, &tok))
            return "structure block ends without END";
        if (tok == TOK_END)
            return w->depth ? "END inside a node" : w->seen_root ? NULL : "no root node";
        if (tok == TOK_BEGIN_NODE)
            why = begin_node(w);
        else if (tok == TOK_END_NODE)
            why = end_node(w);
        else if (tok == TOK_PROP)
            why = property(w);
        else if (tok == TOK_NOP)
            why = NULL;
        else
            return "unknown token in the structure block";
        if (why)
            return why;
        DEBUG_ASSERT(w->pos > was && w->pos <= w->st_size); /* so the walk ends */
    }
}

/* What the walk found that only makes sense whole: the interrupts' parent is the GIC. */
static const char *check_machine(const struct walk *w)
{
    const struct fdt_machine *m = w->m;

    if (!w->seen_chosen)
        return "no /chosen node";
    if (m->ram.n == 0)
        return "no RAM: no enabled memory node with reg";
    bool uart_irq = m->uart.irq.present, timer_irq = m->timer.present;
    if (uart_irq && (!w->gic_phandle || w->uart_irq_parent != w->gic_phandle))
        return "the pl011's interrupt parent is not the GIC";
    if (timer_irq && (!w->gic_phandle || w->timer_irq_parent != w->gic_phandle))
        return "the timer's interrupt parent is not the GIC";
    if ((uart_irq || timer_irq) && w->gic_irq_cells != 3)
        return "the GIC's #interrupt-cells is not 3";
    return NULL;
}

bool fdt_read(const void *blob, size_t max, struct fdt_machine *m, const char **why)
{
    struct walk w = {.blob = blob, .m = m};
    uint32_t rsv_off;

    memset(m, 0, sizeof(*m));
    /* the root's own parent: the root's reg, never used, would be in its default cells */
    w.lv[0] = (struct level){.addr_cells = 2, .size_cells = 1};
    *why = check_header(&w, max, &rsv_off);
    if (!*why)
        *why = read_rsvmap(&w, rsv_off);
    if (!*why)
        *why = walk_struct(&w);
    if (!*why)
        *why = check_machine(&w);
    return !*why;
}
