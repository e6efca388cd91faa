/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Linux x86_64 ABI's registers, as the generic server names them by role (a system call's
 * number, arguments and result, a restart, clone's argument order) and the facts exec gives a
 * program about its machine. Generic code includes "lx_arch.h" and gets its architecture's
 * (the Makefile puts user/linux/arch/$(ARCH) on the include path).
 */
#ifndef LINUX_LX_ARCH_H
#define LINUX_LX_ARCH_H

#include <coffer/regs.h>
#include <stdbool.h>
#include <stdint.h>

/* The calls of this ABI beyond those every architecture has (syscall_list.h): the older calls
 * the asm-generic table dropped, and x86's own */
#define LX_ARCH_CALLS(X) LX_LEGACY_CALLS(X) LX_X86_64_CALLS(X)

/* exec: the ELF machine this ABI runs, AT_PLATFORM, AT_HWCAP */
#define LX_ELF_MACHINE 62 /* EM_X86_64 */
#define LX_PLATFORM    "x86_64"
#define LX_HWCAP       0x178bfbff /* fpu ... sse2: what QEMU's default CPU says in cpuid */

/* open's flags where x86_64's differ from the asm-generic ones */
#define LX_O_DIRECT    040000
#define LX_O_LARGEFILE 0100000
#define LX_O_DIRECTORY 0200000
#define LX_O_NOFOLLOW  0400000

/* struct stat (asm/stat.h): 144 bytes */
struct lx_stat {
    uint64_t dev, ino, nlink;
    uint32_t mode, uid, gid, pad0;
    uint64_t rdev;
    int64_t size, blksize, blocks;
    uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
    int64_t unused[3];
};
_Static_assert(sizeof(struct lx_stat) == 144, "struct stat is Linux's");

/* clone(flags, stack, parent_tid, child_tid, tls): the argument each comes in */
#define LX_CLONE_ARG_CTID 3
#define LX_CLONE_ARG_TLS  4

/* A call: the number in rax, the arguments in rdi, rsi, rdx, r10, r8, r9, the result in rax */
static inline uint64_t lx_call_nr(const struct l4_regs *r)
{
    return r->rax;
}

static inline void lx_call_args(const struct l4_regs *r, uint64_t a[6])
{
    a[0] = r->rdi, a[1] = r->rsi, a[2] = r->rdx, a[3] = r->r10, a[4] = r->r8, a[5] = r->r9;
}

static inline uint64_t lx_call_result(const struct l4_regs *r)
{
    return r->rax;
}

static inline void lx_call_set_result(struct l4_regs *r, uint64_t v)
{
    r->rax = v;
}

/* Make the call (number nr, first argument arg0) happen again when r resumes: SYSCALL is 2
 * bytes, and rax, which held the number, holds the result now (the arguments are intact) */
static inline void lx_call_restart(struct l4_regs *r, long nr, uint64_t arg0)
{
    (void)arg0;
    r->rax = (uint64_t)nr;
    r->rip -= 2;
}

/* A thread stopped on its way into a call: SYSCALL left rcx = rip, and the two bytes before
 * rip (insn, read by the caller) are the instruction */
#define LX_CALL_INSN_LEN 2
static inline bool lx_call_entering(const struct l4_regs *r, const unsigned char *insn)
{
    return r->rcx == r->rip && insn[0] == 0x0f && insn[1] == 0x05;
}

#endif
