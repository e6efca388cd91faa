/* SPDX-License-Identifier: BSD-2-Clause */
/* Debug-build reasons for rejected system calls, naming who made the call and where. */
#include "arch.h"
#include "cap.h"
#include "container.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"

bool kernel_quiet; // "quiet" on the kernel command line (main.c)

/* "[reject] container client, thread client (10002), pc 0000000000400123: " */
static void print_caller(void)
{
    const struct tcb *t = sched_current();
    struct user_regs r;

    if (!t || !t->container || !t->kstack) {
        kprintf("[reject] ");
        return;
    }
    arch_frame_read(arch_frame_of(t->kstack), &r);
    kprintf("[reject] container %s, thread %s (%lx), pc %016lx: ", t->container->name, t->name,
            t->id, r.ip);
}

void user_reject(const char *fmt, ...)
{
    va_list ap;

    if (kernel_quiet)
        return;
    print_caller();
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void cap_reject(const char *call, struct captable *t, l4_word_t slot, unsigned type,
                uint32_t rights)
{
    const struct cap *c = cap_slot(t, slot);

    if (!c)
        user_reject("%s: slot %lu is outside the table (%u slots), where %s capability was "
                    "wanted\n",
                    call, slot, t->nslots, cap_type_phrase(type));
    else if (c->type == L4_CAP_NULL)
        user_reject("%s: slot %lu is empty, where %s capability was wanted\n", call, slot,
                    cap_type_phrase(type));
    else if (c->type != type)
        user_reject("%s: slot %lu holds %s capability, not %s one\n", call, slot,
                    cap_type_phrase(c->type), cap_type_phrase(type));
    else {
        char lacks[64], has[96];
        cap_rights_names(type, rights & ~c->rights, lacks, sizeof(lacks));
        cap_rights_names(type, c->rights, has, sizeof(has));
        user_reject("%s: the %s capability in slot %lu lacks %s (it has %s)\n", call,
                    cap_type_name(type), slot, lacks, has);
    }
}
