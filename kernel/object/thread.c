/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control blocks: creation, lookup by id, death and reaping. */
#include "thread.h"

#include "arch.h"
#include "pmm.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"

#define KSTACK_FRAMES (KSTACK_SIZE / PAGE_SIZE)
#define ID_SLOT(id)   ((id)&0xffff)
#define ID_GEN(id)    ((id) >> 16)

static struct tcb threads[MAX_THREADS];
static uint32_t generation[MAX_THREADS];
static unsigned live; /* threads neither FREE nor DEAD */

struct tcb *thread_create(struct space *s, uint8_t prio, const char *name)
{
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        struct tcb *t = &threads[i];
        if (t->state != THREAD_FREE)
            continue;
        paddr_t stack = pmm_alloc_contig(&kernel_pmm, KSTACK_FRAMES);
        if (!stack)
            return NULL;
        memset(t, 0, sizeof(*t));
        t->kstack = phys_to_virt(stack);
        t->state = THREAD_INACTIVE;
        t->prio = prio;
        t->timeslice = t->slice_left = CONFIG_TIMESLICE_TICKS;
        t->space = s;
        t->id = (l4_tid_t)(i + 1) | (l4_tid_t)++generation[i] << 16;
        for (unsigned n = 0; name[n] && n < sizeof(t->name) - 1; n++)
            t->name[n] = name[n];
        if (s)
            space_bind(s);
        arch_frame_init_user(arch_frame_of(t->kstack), 0, 0, 0); // no ip yet: not startable
        arch_context_init(&t->saved_sp, t->kstack);
        live++;
        return t;
    }
    return NULL;
}

struct tcb *thread_lookup(l4_tid_t id)
{
    uint64_t slot = ID_SLOT(id);

    if (slot == 0 || slot > MAX_THREADS)
        return NULL;
    struct tcb *t = &threads[slot - 1];
    if (t->state == THREAD_FREE || t->state == THREAD_DEAD || t->id != id)
        return NULL;
    return t;
}

bool thread_runnable(const struct tcb *t)
{
    return t->state == THREAD_READY && !t->suspended;
}

void thread_kill(struct tcb *t, l4_word_t code)
{
    if (DEBUG_BUILD)
        kprintf("thread %s (%lx) ended, code %ld\n", t->name, t->id, (long)code);
    sched_remove(t);
    t->state = THREAD_DEAD;
    live--;
    /* only the running thread's stack is still in use; anyone else goes at once */
    if (t == sched_current())
        sched_reap_later(t);
    else
        thread_reap(t);
}

void thread_reap(struct tcb *t)
{
    ASSERT(t->state == THREAD_DEAD && t != sched_current());
    pmm_free_contig(&kernel_pmm, virt_to_phys(t->kstack), KSTACK_FRAMES);
    if (t->space)
        space_unbind(t->space);
    t->state = THREAD_FREE;
}

unsigned thread_live_count(void)
{
    return live;
}
