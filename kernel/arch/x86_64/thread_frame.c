/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-thread register frames and the initial kernel context of a new thread. */
#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"
#include "string.h"
#include "x86.h"

#include <coffer/ipc.h>
#include <coffer/regs.h>
#include <coffer/tls.h>

#define SYSCALL_INSN_LEN 2 /* 0f 05: the only way into the kernel's system calls */

void arch_return_to_user(void);        // entry.S: IRETQ with the frame
void arch_return_to_user_sysret(void); // entry.S: SYSRET with the frame

struct trap_frame *arch_frame_of(void *kstack_base)
{
    return (struct trap_frame *)((char *)kstack_base + KSTACK_SIZE) - 1;
}

void arch_frame_init_user(struct trap_frame *f, vaddr_t entry, vaddr_t sp, l4_word_t arg)
{
    memset(f, 0, sizeof(*f));
    f->rip = entry;
    f->rsp = sp;
    f->rdi = arg;
    f->cs = SEL_UCODE;
    f->ss = SEL_UDATA;
    f->rflags = RFLAGS_IF | 0x2; // bit 1 is always set
}

/*
 * Lay out what arch_context_switch pops: six callee-saved registers and a
 * return address, directly below the user frame, so the first switch to the
 * thread "returns" into the exit path and IRETQs to its entry point.
 */
static void context_init(uint64_t *saved_sp, void *kstack_base, void (*resume)(void))
{
    uint64_t *sp = (uint64_t *)arch_frame_of(kstack_base);

    *--sp = (uint64_t)resume;
    for (int i = 0; i < 6; i++)
        *--sp = 0;
    *saved_sp = (uint64_t)sp;
}

void arch_frame_read(const struct trap_frame *f, struct user_regs *r)
{
    r->ip = f->rip;
    r->sp = f->rsp;
    r->arg = f->rdi;
}

/*
 * Only ip, sp and rdi change; cs, ss and rflags stay the kernel's, so no
 * value written here can raise privilege or turn off interrupts.
 */
void arch_frame_write(struct trap_frame *f, const struct user_regs *r)
{
    f->rip = r->ip;
    f->rsp = r->sp;
    f->rdi = r->arg;
}

/* word i of struct l4_regs: head[i] below L4_MSG_REGS, tail[i - L4_MSG_REGS] from there on */
#define REGS_WORD(field) (__builtin_offsetof(struct l4_regs, field) / sizeof(l4_word_t))
_Static_assert(REGS_WORD(rax) == 0 && REGS_WORD(rdx) == 3 && L4_MSG_REGS == 4,
               "rax, rbx, rcx and rdx are the words a message carries in registers");
_Static_assert(REGS_WORD(fs_base) == L4_REGS_WORDS - L4_TLS_COUNT,
               "the TLS bases are the last words (arch.h)");

/* Field by field rather than a compound literal, which the compiler builds on the stack and
 * then copies: a foreign system call reads a frame this way each time (twice on the general
 * path). */
__attribute__((always_inline)) inline void
arch_frame_get_regs_split(const struct trap_frame *f, l4_word_t *head, l4_word_t *tail)
{
    l4_word_t *t = tail - L4_MSG_REGS; // t[i]: word i, from rsi on

    head[0] = f->rax, head[1] = f->rbx, head[2] = f->rcx, head[3] = f->rdx;
    t[REGS_WORD(rsi)] = f->rsi, t[REGS_WORD(rdi)] = f->rdi;
    t[REGS_WORD(rbp)] = f->rbp, t[REGS_WORD(rsp)] = f->rsp;
    t[REGS_WORD(r8)] = f->r8, t[REGS_WORD(r9)] = f->r9;
    t[REGS_WORD(r10)] = f->r10, t[REGS_WORD(r11)] = f->r11;
    t[REGS_WORD(r12)] = f->r12, t[REGS_WORD(r13)] = f->r13;
    t[REGS_WORD(r14)] = f->r14, t[REGS_WORD(r15)] = f->r15;
    t[REGS_WORD(rip)] = f->rip, t[REGS_WORD(rflags)] = f->rflags;
}

void arch_frame_get_regs(const struct trap_frame *f, struct l4_regs *r)
{
    arch_frame_get_regs_split(f, (l4_word_t *)r, (l4_word_t *)r + L4_MSG_REGS);
    r->fs_base = 0, r->gs_base = 0;
}

/* arch_regs_check's test of the three words it looks at */
static inline l4_err_t regs_check(l4_word_t ip, l4_word_t sp, l4_word_t flags)
{
    if (ip >= USER_TOP || sp >= USER_TOP)
        return L4_ERANGE; // a kernel or non-canonical address would fault in the kernel's return
    if (flags & ~(uint64_t)L4_RFLAGS_USER & ~(uint64_t)(RFLAGS_IF | 0x2))
        return L4_EINVAL; // IOPL, VM, NT, ... are not user code's to set
    return L4_OK;
}

l4_err_t arch_regs_check(const struct l4_regs *r)
{
    return regs_check(r->rip, r->rsp, r->rflags);
}

/*
 * Only values arch_regs_check accepts: rflags keeps the kernel's bits (interrupts on,
 * bit 1) and takes only L4_RFLAGS_USER from r; cs and ss stay the user selectors. A frame
 * that goes back through SYSRET (a thread returning from a system call) loses rcx and r11
 * to rip and rflags, as the SYSCALL ABI says; one that goes back through IRETQ keeps them.
 */
__attribute__((always_inline)) inline l4_err_t
arch_frame_set_regs_split(struct trap_frame *f, const l4_word_t *head, const l4_word_t *tail)
{
    const l4_word_t *t = tail - L4_MSG_REGS; // t[i]: word i, from rsi on
    l4_word_t ip = LOAD_ONCE(&t[REGS_WORD(rip)]), sp = LOAD_ONCE(&t[REGS_WORD(rsp)]);
    l4_word_t flags = LOAD_ONCE(&t[REGS_WORD(rflags)]);
    l4_err_t err = regs_check(ip, sp, flags);

    if (err)
        return err;
    f->rax = head[0], f->rbx = head[1], f->rcx = head[2], f->rdx = head[3];
    f->rsi = t[REGS_WORD(rsi)], f->rdi = t[REGS_WORD(rdi)], f->rbp = t[REGS_WORD(rbp)];
    f->r8 = t[REGS_WORD(r8)], f->r9 = t[REGS_WORD(r9)];
    f->r10 = t[REGS_WORD(r10)], f->r11 = t[REGS_WORD(r11)];
    f->r12 = t[REGS_WORD(r12)], f->r13 = t[REGS_WORD(r13)];
    f->r14 = t[REGS_WORD(r14)], f->r15 = t[REGS_WORD(r15)];
    f->rsp = sp, f->rip = ip;
    f->rflags = (flags & L4_RFLAGS_USER) | RFLAGS_IF | 0x2;
    return L4_OK;
}

void arch_frame_set_regs(struct trap_frame *f, const struct l4_regs *r)
{
    l4_err_t err =
        arch_frame_set_regs_split(f, (const l4_word_t *)r, (const l4_word_t *)r + L4_MSG_REGS);

    ASSERT(err == L4_OK); // checked by the caller: nothing was written
}

void arch_context_init(uint64_t *saved_sp, void *kstack_base)
{
    context_init(saved_sp, kstack_base, arch_return_to_user);
}

void fast_resume_entry(void); // entry.S

void arch_context_init_resume(uint64_t *saved_sp, void *kstack_base)
{
    context_init(saved_sp, kstack_base, fast_resume_entry);
}

/* The frame was saved by SYSCALL (checked by the caller): SYSRET may take it back. */
void arch_context_init_sysret(uint64_t *saved_sp, void *kstack_base)
{
    context_init(saved_sp, kstack_base, arch_return_to_user_sysret);
}

bool arch_frame_sysret_ok(const struct trap_frame *f)
{
    /* the entry writes the user CS into every SYSCALL frame, and nothing changes a frame's
     * CS (arch_frame_set_regs keeps it): the vector says it all */
    DEBUG_ASSERT(f->vector != VEC_SYSCALL || f->cs == SEL_UCODE);
    return f->vector == VEC_SYSCALL && f->rip < USER_TOP;
}

bool arch_frame_fault_ok(const struct trap_frame *f, unsigned *vector, uint64_t *error)
{
    *vector = (unsigned)f->vector;
    *error = f->error;
    return f->vector < VEC_IRQ_BASE && f->cs == SEL_UCODE && f->ss == SEL_UDATA &&
           f->rip < USER_TOP;
}

void arch_syscall_again(struct trap_frame *f)
{
    DEBUG_ASSERT(f->vector == VEC_SYSCALL);
    f->rip -= SYSCALL_INSN_LEN; // its SYSCALL again, with the registers it had
}

void arch_syscall_results(struct trap_frame *f, l4_err_t err, const l4_word_t r[6])
{
    f->rax = (uint64_t)err;
    f->rdi = r[0];
    f->rsi = r[1];
    f->rdx = r[2];
    f->r10 = r[3];
    f->r8 = r[4];
    f->r9 = r[5];
}
