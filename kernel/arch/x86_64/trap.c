/* SPDX-License-Identifier: BSD-2-Clause */
/* Trap dispatch: CPU exceptions, device interrupts, and the register dump. */
#include "arch.h"
#include "arch_cpu.h"
#include "fpu.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"
#include "x86.h"

#include <coffer/ipc.h>

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 FP error",
    "alignment check",
    "machine check",
    "SIMD FP error",
    "virtualization",
    "control protection",
};

const char *arch_fault_name(unsigned vector)
{
    if (vector < 32 && exception_names[vector])
        return exception_names[vector];
    if (vector == VEC_SYSCALL) // a foreign system call its handler did not resume
        return "foreign system call not resumed";
    return "unknown exception";
}

/*
 * The page-fault error code (Intel SDM vol. 3, 4.7):
 *
 *   bit 0 P     0: no page there; 1: the page is there, its rights forbid the access
 *   bit 1 W/R   the access was a write
 *   bit 2 U/S   it came from user mode
 *   bit 3 RSVD  a page-table entry had a reserved bit set (a kernel bug, never the user's)
 *   bit 4 I/D   it was an instruction fetch
 *   bit 5 PK    protection keys (not used)
 */
#define PF_PRESENT 0x1
#define PF_WRITE   0x2
#define PF_USER    0x4
#define PF_RSVD    0x8
#define PF_FETCH   0x10
_Static_assert(PF_PRESENT == L4_PF_PRESENT && PF_WRITE == L4_PF_WRITE && PF_USER == L4_PF_USER &&
                   PF_FETCH == L4_PF_FETCH && L4_FAULT_PAGE == 14,
               "a fault message carries the CPU's page-fault error code as it is");

static void explain_page_fault(uint64_t error)
{
    const char *access = error & PF_FETCH   ? "instruction fetch from"
                         : error & PF_WRITE ? "write to"
                                            : "read of";
    const char *page = !(error & PF_PRESENT) ? "an unmapped address"
                       : error & PF_FETCH    ? "a no-execute page"
                       : error & PF_WRITE    ? "a read-only page"
                                             : "a page it may not read";

    kprintf("  %s %s, in %s mode%s (error %lx)\n", access, page,
            error & PF_USER ? "user" : "kernel",
            error & PF_RSVD ? ", reserved bit set in a page-table entry" : "", error);
}

void arch_fault_explain(unsigned vector, uint64_t error)
{
    if (vector == 14)
        explain_page_fault(error);
    else if (vector == 13 && (error & 2)) // bit 1: the index names an IDT entry
        kprintf("  software interrupt through a gate closed to user mode (error %lx)\n", error);
    else if (vector == 13 && error)
        kprintf("  segment selector %lx (error %lx)\n", error & ~7ul, error);
    else if (vector == 13)
        kprintf("  privileged instruction, or a non-canonical address (error 0)\n");
    else if (vector == VEC_MF || vector == VEC_XM)
        fpu_explain(vector);
    else if (vector == VEC_SYSCALL)
        kprintf("  system call %lu: its handler stopped it, or is gone\n", error);
}

bool arch_fault_unmapped(unsigned vector, uint64_t error)
{
    return vector == 14 && !(error & PF_PRESENT);
}

uint64_t arch_frame_fp(const struct trap_frame *f)
{
    return f->rbp;
}

bool arch_is_frame_prologue(const uint8_t code[ARCH_FRAME_PROLOGUE_LEN])
{
    static const uint8_t prologue[ARCH_FRAME_PROLOGUE_LEN] = {0x55, 0x48, 0x89, 0xe5};

    for (unsigned i = 0; i < ARCH_FRAME_PROLOGUE_LEN; i++) {
        if (code[i] != prologue[i])
            return false;
    }
    return true;
}

int arch_return_slot(bool prologue, uint64_t off)
{
    // call pushed it; after the one-byte push %rbp, the return address is above that
    return prologue && off ? 8 : 0;
}

uint64_t arch_frame_link(const struct trap_frame *f)
{
    (void)f;
    return 0; // no link register: arch_return_slot never says ARCH_RETURN_IN_LINK
}

void arch_dump_frame(const struct trap_frame *f)
{
    kprintf("  rip %016lx  cs %02lx  rflags %08lx  rsp %016lx  ss %02lx\n", f->rip, f->cs,
            f->rflags, f->rsp, f->ss);
    kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
    /* cr2 means something only for a page fault: otherwise it still holds the address of
     * the last page fault, which may have been another container's */
    kprintf("  r13 %016lx  r14 %016lx  r15 %016lx", f->r13, f->r14, f->r15);
    if (f->vector == 14)
        kprintf("  cr2 %016lx", read_cr2());
    kprintf("\n");
    kprintf("  vector %lu  error %lx  cr3 %016lx\n", f->vector, f->error, read_cr3());
}

static bool from_user(const struct trap_frame *f)
{
    return (f->cs & 3) == 3;
}

static void exception(struct trap_frame *f)
{
    uint64_t addr = f->vector == 14 ? read_cr2() : f->rip;

    if (!from_user(f)) {
        /* a push into a guard page faults, and delivering that fault on the same stack
         * double-faults (on a stack of its own): either way cr2 is in the guard */
        if (f->vector == 14 || f->vector == VEC_DOUBLE_FAULT)
            thread_check_stack_overflow(read_cr2());
        kprintf("\nkernel exception: %s (vector %lu) at %016lx\n", arch_fault_name(f->vector),
                f->vector, f->rip);
        arch_dump_frame(f);
        panic("exception in kernel mode");
    }
    if (f->vector == VEC_NM && fpu_first_use())
        return; // the thread's first FPU instruction: it now has a clean state, and retries
    thread_fault(f, (unsigned)f->vector, f->error, addr);
}

/* Called by trap_common in entry.S with interrupts off. */
void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
    if (f->vector == VEC_NMI) {
        kprintf("NMI received (ignored)\n"); // not the interrupted thread's fault
        return;
    }
    if (f->vector < VEC_IRQ_BASE) {
        exception(f);
        sched_preempt_point(); // a fault handler's reply may have woken somebody better
        return;
    }
    if (f->vector == VEC_TIMER) {
        apic_timer_eoi();
        sched_tick();
        return;
    }
    if (f->vector == VEC_SPURIOUS)
        return; // spurious APIC interrupts need no EOI
    if (f->vector >= VEC_IRQ_LINE0 && f->vector < VEC_IRQ_LINE0 + ARCH_IRQ_LINES) {
        /* masked until its driver acknowledges it, so the EOI can go at once */
        arch_irq_mask((unsigned)f->vector - VEC_IRQ_LINE0, true);
        apic_timer_eoi();
        irq_raised((unsigned)f->vector - VEC_IRQ_LINE0);
        sched_preempt_point();
        return;
    }
    kprintf("unexpected interrupt vector %lu\n", f->vector);
}
