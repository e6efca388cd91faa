/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-thread register frames and the initial kernel context of a new thread. */
#include "arch.h"
#include "printk.h"
#include "string.h"

#include <coffer/ipc.h>
#include <coffer/regs.h>
#include <coffer/tls.h>

#define SVC_INSN_LEN 4
#define PSTATE_EL0t  0x0           /* EL0, interrupts unmasked */
#define PSTATE_NZCV  0xf0000000ull /* the condition flags: all of PSTATE user code may set */

void arch_return_to_user(void); // vectors.S
void fast_resume_entry(void);   // vectors.S: ipc_fast_resume, then arch_return_to_user

struct trap_frame *arch_frame_of(void *kstack_base)
{
    return (struct trap_frame *)((char *)kstack_base + KSTACK_SIZE) - 1;
}

void arch_frame_init_user(struct trap_frame *f, vaddr_t entry, vaddr_t sp, l4_word_t arg)
{
    memset(f, 0, sizeof(*f));
    f->pc = entry;
    f->sp = sp;
    f->x[0] = arg;
    f->pstate = PSTATE_EL0t;
}

/*
 * What arch_context_switch pops: x19..x30, directly below the user frame, x30 (its return
 * address) the resume point, so that the first switch to the thread "returns" into it.
 */
static void context_init(uint64_t *saved_sp, void *kstack_base, void (*resume)(void))
{
    uint64_t *sp = (uint64_t *)arch_frame_of(kstack_base) - 12;

    memset(sp, 0, 12 * sizeof(*sp));
    sp[11] = (uint64_t)resume; // x30, popped last with x29
    *saved_sp = (uint64_t)sp;
}

void arch_frame_read(const struct trap_frame *f, struct user_regs *r)
{
    r->ip = f->pc;
    r->sp = f->sp;
    r->arg = f->x[0];
}

/* Only pc, sp and x0 change; pstate stays the kernel's (EL0, interrupts on). */
void arch_frame_write(struct trap_frame *f, const struct user_regs *r)
{
    f->pc = r->ip;
    f->sp = r->sp;
    f->x[0] = r->arg;
}

_Static_assert(L4_MSG_REGS == 4, "x0..x3 are the words a message carries in registers");
_Static_assert(__builtin_offsetof(struct l4_regs, sp) == 31 * sizeof(l4_word_t) &&
                   __builtin_offsetof(struct l4_regs, pc) == 32 * sizeof(l4_word_t) &&
                   __builtin_offsetof(struct l4_regs, pstate) == 33 * sizeof(l4_word_t),
               "sp, pc and pstate follow x0..x30");
_Static_assert(__builtin_offsetof(struct l4_regs, tpidr_el0) ==
                   (L4_REGS_WORDS - L4_TLS_COUNT) * sizeof(l4_word_t),
               "the TLS base is the last word (arch.h)");

__attribute__((always_inline)) inline void
arch_frame_get_regs_split(const struct trap_frame *f, l4_word_t *head, l4_word_t *tail)
{
#pragma GCC unroll 4
    for (int i = 0; i < L4_MSG_REGS; i++)
        head[i] = f->x[i];
    l4_word_t *t = tail - L4_MSG_REGS; // t[i]: word i, from x4 on
#pragma GCC unroll 27
    for (int i = L4_MSG_REGS; i < 31; i++)
        t[i] = f->x[i];
    t[31] = f->sp;
    t[32] = f->pc;
    t[33] = f->pstate & PSTATE_NZCV;
}

void arch_frame_get_regs(const struct trap_frame *f, struct l4_regs *r)
{
    arch_frame_get_regs_split(f, (l4_word_t *)r, (l4_word_t *)r + L4_MSG_REGS);
    r->tpidr_el0 = 0; // the thread's, not the frame's
}

/* arch_regs_check's test of the three words it looks at */
static inline l4_err_t regs_check(l4_word_t pc, l4_word_t sp, l4_word_t pstate)
{
    if (pc >= USER_TOP || sp >= USER_TOP)
        return L4_ERANGE; // a kernel address: the return would fault at EL1's expense
    if (pstate & ~PSTATE_NZCV)
        return L4_EINVAL; // the exception level, the interrupt masks, ... are not user code's
    return L4_OK;
}

l4_err_t arch_regs_check(const struct l4_regs *r)
{
    return regs_check(r->pc, r->sp, r->pstate);
}

__attribute__((always_inline)) inline l4_err_t
arch_frame_set_regs_split(struct trap_frame *f, const l4_word_t *head, const l4_word_t *tail)
{
    const l4_word_t *t = tail - L4_MSG_REGS; // t[i]: word i, from x4 on
    l4_word_t sp = LOAD_ONCE(&t[31]), pc = LOAD_ONCE(&t[32]), pstate = LOAD_ONCE(&t[33]);
    l4_err_t err = regs_check(pc, sp, pstate);

    if (err)
        return err;
#pragma GCC unroll 4
    for (int i = 0; i < L4_MSG_REGS; i++)
        f->x[i] = head[i];
#pragma GCC unroll 27
    for (int i = L4_MSG_REGS; i < 31; i++)
        f->x[i] = t[i];
    f->sp = sp;
    f->pc = pc;
    f->pstate = (pstate & PSTATE_NZCV) | PSTATE_EL0t;
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

void arch_context_init_resume(uint64_t *saved_sp, void *kstack_base)
{
    context_init(saved_sp, kstack_base, fast_resume_entry);
}

/* One way back to EL0 on AArch64 (ERET): the "sysret" forms are the same. */
void arch_context_init_sysret(uint64_t *saved_sp, void *kstack_base)
{
    context_init(saved_sp, kstack_base, arch_return_to_user);
}

bool arch_frame_sysret_ok(const struct trap_frame *f)
{
    return f->vector == VEC_SYSCALL && f->pc < USER_TOP;
}

bool arch_frame_fault_ok(const struct trap_frame *f, unsigned *vector, uint64_t *error)
{
    *vector = (unsigned)f->vector;
    *error = f->error;
    return f->vector < VEC_SYSCALL && f->pc < USER_TOP && (f->pstate & 0xf) == PSTATE_EL0t;
}

void arch_syscall_again(struct trap_frame *f)
{
    DEBUG_ASSERT(f->vector == VEC_SYSCALL);
    f->pc -= SVC_INSN_LEN; // its SVC again, with the registers it had
}

void arch_syscall_results(struct trap_frame *f, l4_err_t err, const l4_word_t r[6])
{
    f->x[X_SYSCALL_NR] = (uint64_t)(int64_t)err;
#pragma GCC unroll 6
    for (int i = 0; i < 6; i++)
        f->x[i] = r[i];
}
