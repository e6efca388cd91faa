/* SPDX-License-Identifier: BSD-2-Clause */
/* Trap dispatch: CPU exceptions, device interrupts, and the register dump. */
#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"
#include "x86.h"

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
    return "unknown exception";
}

void arch_dump_frame(const struct trap_frame *f)
{
    kprintf("  rip %016lx  cs %02lx  rflags %08lx  rsp %016lx  ss %02lx\n", f->rip, f->cs,
            f->rflags, f->rsp, f->ss);
    kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
    kprintf("  r13 %016lx  r14 %016lx  r15 %016lx  cr2 %016lx\n", f->r13, f->r14, f->r15,
            read_cr2());
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
