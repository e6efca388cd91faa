/* SPDX-License-Identifier: BSD-2-Clause */
/* Fakes for the hooks kernel/core/cap.c calls, shared by the capability host tests. */
#ifndef TESTS_CAP_FAKES_H
#define TESTS_CAP_FAKES_H

#include "cap.h"
#include "check.h"
#include "printk.h"

#include <stdarg.h>
#include <string.h>

#define PAGE    4096u
#define NSLOTS  32
#define NTABLES 3
#define TOTAL   (NTABLES * NSLOTS)
#define NOBJS   8
#define NPAID   128       /* objects pool capabilities can pay for */
#define M       0x100000u /* base of the memory ranges of the directed tests */
#define P(n)    ((uint64_t)(n)*PAGE)

/* cap.c asserts; a broken assertion is a failed test run, not a hang (one definition per
 * test program: each includes this header once) */
_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("FAIL host/cap/panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(1);
}

/* An object capabilities name (thread, space, ...): counts the references it gets. */
struct fake_obj {
    int refs;
    int added, removed;
};

/* An object a pool capability pays for (thread, endpoint, ...). */
struct fake_paid {
    struct cap *payer;
    bool live, pinned;
};

static struct cap slots[NTABLES][NSLOTS];
static struct captable tabs[NTABLES];
static struct fake_obj objs[NOBJS];
static struct fake_paid paid[NPAID];
static const struct fake_obj *last_gone_obj; /* object whose last capability went away */
static unsigned last_gone_type;
static unsigned reclaim_calls, moved_calls;
static const struct cap *last_reclaimed;

static void fake_object_ref(struct cap *c, bool added)
{
    struct fake_obj *o = c->obj;

    if (added) {
        o->refs++;
        o->added++;
        return;
    }
    o->refs--;
    o->removed++;
    if (o->refs == 0) {
        last_gone_obj = o;
        last_gone_type = c->type;
    }
}

/* As the kernel does: destroy every object c pays for, except pinned ones. */
static void fake_pool_reclaim(struct cap *c)
{
    reclaim_calls++;
    last_reclaimed = c;
    for (unsigned i = 0; i < NPAID; i++) {
        if (paid[i].live && paid[i].payer == c && !paid[i].pinned) {
            paid[i] = (struct fake_paid){0};
            cap_pool_refund(c, 1);
        }
    }
}

static void fake_pool_moved(struct cap *from, struct cap *to)
{
    moved_calls++;
    for (unsigned i = 0; i < NPAID; i++) {
        if (paid[i].live && paid[i].payer == from)
            paid[i].payer = to;
    }
}

static const struct cap_hooks fake_hooks = {
    .object_ref = fake_object_ref,
    .pool_reclaim = fake_pool_reclaim,
    .pool_moved = fake_pool_moved,
};

static inline struct captable *T(int n)
{
    return &tabs[n];
}

static inline struct cap *sl(int t, unsigned s)
{
    return &slots[t][s];
}

static inline void setup(void)
{
    memset(objs, 0, sizeof(objs));
    memset(paid, 0, sizeof(paid));
    for (int i = 0; i < NTABLES; i++)
        captable_init(&tabs[i], slots[i], NSLOTS, NULL);
    cap_hooks = &fake_hooks;
    last_gone_obj = NULL;
    last_gone_type = 0;
    reclaim_calls = moved_calls = 0;
    last_reclaimed = NULL;
}

/* Make an object paid by the pool capability in t:s; its index, or -1 (ENOMEM). */
static inline int charge(int t, unsigned s, bool pinned)
{
    for (int i = 0; i < NPAID; i++) {
        if (paid[i].live)
            continue;
        if (cap_pool_charge(sl(t, s), 1))
            return -1;
        paid[i] = (struct fake_paid){.payer = sl(t, s), .live = true, .pinned = pinned};
        return i;
    }
    return -1;
}

/* The same, for a pool capability in any table. */
static inline int charge_cap(struct cap *c)
{
    for (int i = 0; i < NPAID; i++) {
        if (paid[i].live)
            continue;
        if (cap_pool_charge(c, 1))
            return -1;
        paid[i] = (struct fake_paid){.payer = c, .live = true};
        return i;
    }
    return -1;
}

static inline void uncharge(int i)
{
    cap_pool_refund(paid[i].payer, 1);
    paid[i] = (struct fake_paid){0};
}

/* Live objects paid by c. */
static inline unsigned paid_by(const struct cap *c)
{
    unsigned n = 0;

    for (unsigned i = 0; i < NPAID; i++)
        n += paid[i].live && paid[i].payer == c;
    return n;
}

/* The units of kind the pool capabilities in t hold. */
static inline uint64_t units(const struct captable *t, uint64_t kind)
{
    uint64_t sum = 0;

    for (uint32_t i = 0; i < t->nslots; i++) {
        if (t->slots[i].type == L4_CAP_POOL && t->slots[i].a == kind)
            sum += t->slots[i].b;
    }
    return sum;
}

static inline bool empty(int t, unsigned s)
{
    const struct cap *c = sl(t, s);

    return c->type == L4_CAP_NULL && !c->obj && !c->parent && !c->children && !c->next &&
           !c->prev && !c->used;
}

/* Is c among parent's children? */
static inline bool is_child(const struct cap *parent, const struct cap *c)
{
    unsigned n = 0;

    for (const struct cap *ch = parent->children; ch && n < TOTAL; ch = ch->next, n++) {
        if (ch == c)
            return true;
    }
    return false;
}

static inline unsigned nchildren(const struct cap *c)
{
    unsigned n = 0;

    for (const struct cap *ch = c->children; ch && n <= TOTAL; ch = ch->next)
        n++;
    return n;
}

static inline l4_err_t ins_thread(int t, l4_word_t s, uint32_t rights, int obj)
{
    return cap_insert(T(t), s, L4_CAP_THREAD, rights, &objs[obj], 0, 0);
}

static inline l4_err_t ins_pool(int t, l4_word_t s, uint32_t rights, uint64_t kind, uint64_t n)
{
    return cap_insert(T(t), s, L4_CAP_POOL, rights, NULL, kind, n);
}

static inline l4_err_t ins_mem(int t, l4_word_t s, uint32_t rights, uint64_t base, uint64_t size)
{
    return cap_insert(T(t), s, L4_CAP_MEMORY, rights, NULL, base, size);
}

/* Every table passes cap.c's own self-check. */
static inline bool tables_check(void)
{
    for (int t = 0; t < NTABLES; t++) {
        uint32_t bad;
        const char *why = captable_check(T(t), &bad);
        if (why) {
            printf("    table %d slot %u: %s\n", t, bad, why);
            return false;
        }
    }
    return true;
}

#endif
