/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Linux AArch64 ABI's registers, as the generic server names them by role (a system call's
 * number, arguments and result, a restart, clone's argument order) and the facts exec gives a
 * program about its machine. Generic code includes "lx_arch.h" and gets its architecture's
 * (the Makefile puts user/linux/arch/$(ARCH) on the include path).
 */
#ifndef LINUX_LX_ARCH_H
#define LINUX_LX_ARCH_H

#include <coffer/regs.h>
#include <stdbool.h>
#include <stdint.h>

/* The asm-generic table has none of the older calls (syscall_list.h's LX_LEGACY_CALLS) */
#define LX_ARCH_CALLS(X)

/* exec: the ELF machine this ABI runs, AT_PLATFORM, AT_HWCAP */
#define LX_ELF_MACHINE 183 /* EM_AARCH64 */
#define LX_PLATFORM    "aarch64"
/* FP, ASIMD, AES, PMULL, SHA1, SHA2, CRC32: what QEMU's cortex-a57 has. Not CPUID (bit 11):
 * that promises EL0 reads of the ID registers, which Linux emulates and Coffer traps */
#define LX_HWCAP       0xfb

/* open's flags: the asm-generic ones (x86_64 has these four in another order) */
#define LX_O_DIRECTORY 040000
#define LX_O_NOFOLLOW  0100000
#define LX_O_DIRECT    0200000
#define LX_O_LARGEFILE 0400000

/* struct stat (asm-generic/stat.h): 128 bytes */
struct lx_stat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
    int32_t blksize, pad2;
    int64_t blocks;
    uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
    uint32_t unused[2];
};
_Static_assert(sizeof(struct lx_stat) == 128, "struct stat is Linux's");

/* clone(flags, stack, parent_tid, tls, child_tid): AArch64 is CONFIG_CLONE_BACKWARDS */
#define LX_CLONE_ARG_CTID 4
#define LX_CLONE_ARG_TLS  3

/* A call: the number in x8, the arguments in x0..x5, the result in x0 */
static inline uint64_t lx_call_nr(const struct l4_regs *r)
{
    return r->x[8];
}

static inline void lx_call_args(const struct l4_regs *r, uint64_t a[6])
{
    for (int i = 0; i < 6; i++)
        a[i] = r->x[i];
}

static inline uint64_t lx_call_result(const struct l4_regs *r)
{
    return r->x[0];
}

static inline void lx_call_set_result(struct l4_regs *r, uint64_t v)
{
    r->x[0] = v;
}

/* Make the call (number nr, first argument arg0) happen again when r resumes: SVC is 4
 * bytes, x8 still holds the number, and x0, which held the first argument, holds the result
 * now (Linux keeps orig_x0 for this) */
static inline void lx_call_restart(struct l4_regs *r, long nr, uint64_t arg0)
{
    (void)nr;
    r->x[0] = arg0;
    r->pc -= 4;
}

/* A thread stopped on its way into a call: the four bytes before pc (insn, read by the
 * caller) are SVC #0. (A thread just resumed from a call looks the same; its next call
 * delivers, as on x86_64, where rcx = rip holds after a call too.) */
#define LX_CALL_INSN_LEN 4
static inline bool lx_call_entering(const struct l4_regs *r, const unsigned char *insn)
{
    (void)r;
    return insn[0] == 0x01 && insn[1] == 0x00 && insn[2] == 0x00 && insn[3] == 0xd4;
}

/*
 * The signal return trampoline. Linux's arm64 handlers return through the vDSO's
 * __kernel_rt_sigreturn unless sa_restorer is given (musl gives one, glibc does not); there
 * is no vDSO here, so exec maps this page, read and execute only, above the stack, and a
 * handler without SA_RESTORER returns to it (x30): mov x8, #139 (rt_sigreturn); svc #0.
 */
#define LX_SIGPAGE 0x7ffffffde000ull
#define LX_SIGPAGE_CODE                                                                            \
    {                                                                                              \
        0xd2801168u, 0xd4000001u                                                                   \
    }

#endif
