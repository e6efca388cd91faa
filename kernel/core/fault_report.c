/* SPDX-License-Identifier: BSD-2-Clause */
/* User fault reports: names, decoded error, stack overflow, symbolised backtrace. */
#include "fault_report.h"

#include "arch.h"
#include "container.h"
#include "elf.h"
#include "loader.h"
#include "printk.h"
#include "space.h"
#include "thread.h"

/*
 * The program whose code runs in t's space: the one the loader put there, or for a space
 * made at run time the program of the container that made it (whose pages it is most
 * likely to map). A thread bound into another container's space runs that one's code.
 */
static const struct boot_module *program_of(const struct tcb *t)
{
    return t->space ? t->space->container->image : t->container->image;
}

/*
 * One frame: the address, and the function it is in. For a return address
 * (caller frames) the call is the byte before it: a call that ends a
 * function (to a noreturn callee) would otherwise be named after the next one.
 * Returns the function's entry, 0 if no symbol names it.
 */
static uint64_t print_frame(const struct boot_module *m, unsigned n, uint64_t pc, bool ret)
{
    uint64_t off = 0;
    const char *name = NULL;

    if (m)
        name = elf_symbol(phys_to_virt(m->start), m->end - m->start, pc - ret, &off);
    if (!name) {
        kprintf("  #%u %016lx\n", n, pc);
        return 0;
    }
    kprintf("  #%u %016lx %s+0x%lx\n", n, pc, name, off + ret);
    return pc - ret - off;
}

/*
 * The return address of the faulting function, if it has no frame of its own
 * yet: a function that set none up (GCC keeps none in a leaf that uses no
 * stack, even with -fno-omit-frame-pointer), or the fault came before its
 * prologue finished. Then the frame pointer is still its caller's, and the
 * return address is where the architecture says (on the stack, or in a link
 * register). Returns 0 when the function has its frame, or none was found.
 */
static uint64_t frameless_return(const struct tcb *t, const struct trap_frame *f, uint64_t entry,
                                 uint64_t pc, uint64_t sp)
{
    uint8_t code[ARCH_FRAME_PROLOGUE_LEN];
    uint64_t ret;

    if (copy_from_user(t->space, code, entry, sizeof(code)))
        return 0;
    bool prologue = arch_is_frame_prologue(code);
    if (prologue && pc - entry >= sizeof(code))
        return 0; // its frame is set up: the frame-pointer walk finds its caller
    int slot = arch_return_slot(prologue, pc - entry);
    if (slot == ARCH_RETURN_IN_LINK)
        return arch_frame_link(f);
    return copy_from_user(t->space, &ret, sp + (uint64_t)slot, sizeof(ret)) ? 0 : ret;
}

/*
 * Follow the frame-pointer chain (user programs keep frame pointers) through
 * the thread's own page tables: every word is read with copy_from_user, which
 * looks the page up first, so a garbage frame pointer ends the walk and
 * never faults in the kernel. Frames must climb the stack, so a loop ends too.
 */
static void backtrace(const struct tcb *t, const struct trap_frame *f, const struct user_regs *r)
{
    const struct boot_module *m = program_of(t);
    uint64_t fp = arch_frame_fp(f), frame[2]; // the caller's fp, then the return address
    unsigned n = 1;

    if (!t->space)
        return;
    uint64_t entry = print_frame(m, 0, r->ip, false);
    uint64_t ret = entry ? frameless_return(t, f, entry, r->ip, r->sp) : 0;
    if (ret)
        print_frame(m, n++, ret, true);
    for (; n < FAULT_FRAMES && fp && !(fp & 7); n++) {
        if (copy_from_user(t->space, frame, fp, sizeof(frame)) || !frame[1])
            return;
        print_frame(m, n, frame[1], true);
        if (frame[0] <= fp)
            return;
        fp = frame[0];
    }
}

/*
 * The loader maps nothing in the USER_STACK_GUARD bytes below the initial
 * stack (program images must end below them), so a missing page there is the
 * stack running over its end; a space made at run time has no such stack.
 * Stacks l4_thread_spawn takes from the heap have no guard: they overflow into
 * the heap (docs/architecture.md).
 */
static bool stack_overflow(const struct tcb *t, unsigned vector, uint64_t error, uint64_t addr)
{
    return t->space && t->space->loaded && arch_fault_unmapped(vector, error) &&
           addr >= USER_STACK_BASE - USER_STACK_GUARD && addr < USER_STACK_BASE;
}

void fault_report(struct tcb *t, const struct trap_frame *f, unsigned vector, uint64_t error,
                  uint64_t addr)
{
    const struct boot_module *m = program_of(t);
    struct user_regs r;

    arch_frame_read(f, &r);
    kprintf("USER FAULT: container %s, thread %s (%lx), program %s: %s, vector %u, error %lx, "
            "address %016lx\n",
            t->container->name, t->name, t->id, m ? m->name : "?", arch_fault_name(vector), vector,
            error, addr);
    if (stack_overflow(t, vector, error, addr))
        kprintf("  stack overflow: %016lx is in the guard below the stack %016lx..%016lx "
                "(%u KiB)\n",
                addr, (uint64_t)USER_STACK_BASE, (uint64_t)USER_STACK_TOP, USER_STACK_SIZE / 1024);
    arch_fault_explain(vector, error);
    backtrace(t, f, &r);
    arch_dump_frame(f);
}
