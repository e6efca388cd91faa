/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exceptions from EL0 and the kernel's own, and the register dump. A user fault reaches its
 * handler in the kernel's one numbering (<coffer/ipc.h>: a page fault is L4_FAULT_PAGE with
 * L4_PF_* bits), translated here from the exception class and syndrome, so that pagers and
 * fault handlers are the same programs on every architecture.
 */
#include "arch.h"
#include "arch_cpu.h"
#include "fpu.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"

#include <coffer/ipc.h>

/* ESR_EL1.EC values (ARM ARM D17.2.37) */
#define EC_UNKNOWN    0x00
#define EC_FP         0x07 /* FP/SIMD access while CPACR_EL1.FPEN traps it */
#define EC_ILLEGAL    0x0e
#define EC_SVC64      0x15
#define EC_SYSREG     0x18
#define EC_SVE        0x19 /* SVE while CPACR_EL1.ZEN traps it (on a CPU that has SVE) */
#define EC_SME        0x1d /* SME while CPACR_EL1.SMEN traps it (on a CPU that has SME) */
#define EC_IABT_LOWER 0x20
#define EC_IABT_SAME  0x21
#define EC_PC_ALIGN   0x22
#define EC_DABT_LOWER 0x24
#define EC_DABT_SAME  0x25
#define EC_SP_ALIGN   0x26
#define EC_FP_EXC     0x2c
#define EC_BRK        0x3c
#define EC_SERROR     0x2f
#define ESR_WNR       (1u << 6)            /* a data abort's access was a write */
#define FSC(esr)      ((esr)&0x3f)         /* an abort's fault status code */
#define FSC_TYPE(esr) (((esr) >> 2) & 0xf) /* 1: translation, 2: access flag, 3: permission */
#define FSC_TRANSLATE 1
#define FSC_ALIGN     0x21
#define BRK_INSN_LEN  4

/* The kernel's fault numbers for what is not a page fault (x86_64's vectors, as on x86_64) */
#define FAULT_BREAKPOINT 3
#define FAULT_INVALID    6  /* undefined or illegal instruction, system register access */
#define FAULT_GENERAL    13 /* anything else the CPU refused */
#define FAULT_ALIGN      17
#define FAULT_SIMD       19

const char *arch_fault_name(unsigned vector)
{
    switch (vector) {
    case FAULT_BREAKPOINT:
        return "breakpoint";
    case FAULT_INVALID:
        return "undefined instruction";
    case FAULT_GENERAL:
        return "general exception";
    case L4_FAULT_PAGE:
        return "page fault";
    case FAULT_ALIGN:
        return "alignment fault";
    case FAULT_SIMD:
        return "FP/SIMD exception";
    case VEC_SYSCALL: // a foreign system call its handler did not resume (as x86_64 says)
        return "foreign system call not resumed";
    default:
        return "exception";
    }
}

void arch_fault_explain(unsigned vector, uint64_t error)
{
    if (vector != L4_FAULT_PAGE) {
        if (vector == VEC_SYSCALL)
            kprintf("  system call %lu: its handler stopped it, or is gone\n", error);
        return;
    }
    const char *access = error & L4_PF_FETCH   ? "instruction fetch from"
                         : error & L4_PF_WRITE ? "write to"
                                               : "read of";
    const char *page = !(error & L4_PF_PRESENT) ? "an unmapped address"
                       : error & L4_PF_FETCH    ? "a no-execute page"
                       : error & L4_PF_WRITE    ? "a read-only page"
                                                : "a page it may not read";
    kprintf("  %s %s, in user mode (error %lx)\n", access, page, error);
}

bool arch_fault_unmapped(unsigned vector, uint64_t error)
{
    return vector == L4_FAULT_PAGE && !(error & L4_PF_PRESENT);
}

uint64_t arch_frame_fp(const struct trap_frame *f)
{
    return f->x[29];
}

/* AAPCS64 frames: "stp x29, x30, [sp, #-n]!" then "mov x29, sp"; x29 points at the pair
 * {caller's x29, return address}, as x86_64's rbp does */
bool arch_is_frame_prologue(const uint8_t code[ARCH_FRAME_PROLOGUE_LEN])
{
    uint32_t stp = code[0] | code[1] << 8 | code[2] << 16 | (uint32_t)code[3] << 24;
    uint32_t mov = code[4] | code[5] << 8 | code[6] << 16 | (uint32_t)code[7] << 24;

    return (stp & 0xffc07fff) == 0xa9807bfd && mov == 0x910003fd;
}

int arch_return_slot(bool prologue, uint64_t off)
{
    // bl leaves it in x30, where a leaf keeps it; the pre-indexed stp stores {x29, x30} at the
    // new sp, so once it ran (off 4, before the mov) x30's copy is at sp + 8
    return prologue && off ? 8 : ARCH_RETURN_IN_LINK;
}

uint64_t arch_frame_link(const struct trap_frame *f)
{
    return f->x[30];
}

void arch_dump_frame(const struct trap_frame *f)
{
    kprintf("  pc %016lx  sp %016lx  pstate %08lx\n", f->pc, f->sp, f->pstate);
    for (int i = 0; i < 31; i += 4) {
        for (int j = i; j < i + 4 && j < 31; j++)
            kprintf("%s x%-2d %016lx", j == i ? " " : "", j, f->x[j]);
        kprintf("\n");
    }
    kprintf("  kind %lx  esr %lx  far %016lx  ttbr0 %016lx\n", f->vector, f->error, f->far,
            read_sysreg(ttbr0_el1));
}

/* The kernel's fault number, error code and address of a user exception. */
static unsigned translate(const struct trap_frame *f, uint64_t *error, uint64_t *addr)
{
    uint64_t esr = f->error;

    *error = 0;
    *addr = f->pc;
    switch (f->vector) {
    case EC_DABT_LOWER:
    case EC_IABT_LOWER:
        *addr = f->far;
        if (FSC(esr) == FSC_ALIGN)
            return FAULT_ALIGN; // an exclusive or device access off its alignment
        if (FSC(esr) < 0x04 || FSC(esr) > 0x0f) {
            *error = esr; // not a page's: an external abort, address size, TLB conflict, ...
            return FAULT_GENERAL;
        }
        *error = L4_PF_USER;
        if (FSC_TYPE(esr) != FSC_TRANSLATE)
            *error |= L4_PF_PRESENT; // access flag or permission: a page is there
        if (f->vector == EC_IABT_LOWER)
            *error |= L4_PF_FETCH;
        else if (esr & ESR_WNR)
            *error |= L4_PF_WRITE;
        return L4_FAULT_PAGE;
    case EC_BRK:
        return FAULT_BREAKPOINT;
    case EC_UNKNOWN:
    case EC_ILLEGAL:
    case EC_SYSREG:
    case EC_SVE: // trapped on a CPU that has it, undefined on one that has not: 6 on both
    case EC_SME:
        return FAULT_INVALID;
    case EC_PC_ALIGN:
    case EC_SP_ALIGN:
        return FAULT_ALIGN;
    case EC_FP_EXC:
        return FAULT_SIMD;
    default:
        *error = esr;
        return FAULT_GENERAL;
    }
}

/*
 * A user exception (the class in f->vector, the syndrome in f->error, vectors.S), also an
 * SError taken from EL0 (a driver's bad device access, reported late): the thread's fault.
 * The frame keeps the kernel's numbering from then on (arch_frame_fault_ok reads it). A
 * breakpoint is reported past its BRK, as x86_64 reports one past its INT3, so that a handler
 * that resumes it does not take it again.
 */
void aarch64_user_exception(struct trap_frame *f);
void aarch64_user_exception(struct trap_frame *f)
{
    uint64_t error, addr;

    if (f->vector == EC_FP && fpu_first_use())
        return; // the thread's first FP/SIMD instruction: it now has a clean state, and retries
    if (f->vector == EC_BRK)
        f->pc += BRK_INSN_LEN;
    unsigned fault = translate(f, &error, &addr);
    f->vector = fault;
    f->error = error;
    f->far = addr;
    thread_fault(f, fault, error, addr);
    sched_preempt_point(); // a fault handler's reply may have woken somebody better
}

void aarch64_kernel_fault(struct trap_frame *f);
void aarch64_kernel_fault(struct trap_frame *f)
{
    unsigned ec = (unsigned)(f->error >> 26) & 0x3f;

    if (ec == EC_DABT_SAME)
        thread_check_stack_overflow(f->far); // a push into a guard page names its thread
    kprintf("\nkernel exception: class %x (esr %lx) at %016lx, address %016lx\n", ec, f->error,
            f->pc, f->far);
    arch_dump_frame(f);
    panic("exception in kernel mode");
}

void aarch64_bad_entry(struct trap_frame *f, unsigned kind);
void aarch64_bad_entry(struct trap_frame *f, unsigned kind)
{
    kprintf("\nunexpected exception vector %u (esr %lx)\n", kind, read_sysreg(esr_el1));
    arch_dump_frame(f);
    panic("unexpected exception");
}
