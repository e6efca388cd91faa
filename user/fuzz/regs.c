/* SPDX-License-Identifier: BSD-2-Clause */
/* Generators for the register calls: thread_regs (a whole register set) and thread_tls. */
#include "ops.h"
#include "stats.h"

#include <coffer/regs.h>
#include <coffer/thread.h>
#include <coffer/tls.h>

/* A TLS base: mostly a user address (harmless: our code uses none of them), or a bad one. */
static l4_word_t gen_base(struct fz *f)
{
    return chance(f, 30) ? 0 : chance(f, 60) ? below(f, USER_TOP) : gen_word(f);
}

/*
 * A register set for a thread to go on from: an ip and stack as thread_exregs gets them (a
 * stub that needs no stack, or an address that faults), random words elsewhere. Returns
 * whether the kernel must refuse it: an ip, stack or TLS base that is no user address, or a
 * flags word with bits a thread may not set (the architecture's, arch_gen_flags).
 */
static bool gen_regs(struct fz *f, struct l4_regs *r)
{
    l4_word_t *w = (l4_word_t *)r;
    bool bad_ip, bad;

    for (unsigned i = 0; i < L4_REGS_WORDS; i++)
        w[i] = chance(f, 50) ? gen_word(f) : rnd(f);
    L4_REGS_IP(r) = gen_ip(f, &bad_ip);
    L4_REGS_SP(r) = gen_sp(f);
    L4_REGS_ARG(r) = gen_arg(f, L4_REGS_IP(r));
    bad = arch_gen_flags(f, r) || bad_ip || L4_REGS_SP(r) >= USER_TOP;
    for (unsigned i = 0; i < L4_TLS_COUNT; i++) {
        L4_REGS_TLS(r)[i] = gen_base(f);
        bad = bad || L4_REGS_TLS(r)[i] >= USER_TOP;
    }
    return bad;
}

/*
 * What is written comes from our own stack or from a pointer the kernel must refuse, never
 * from scratch: scratch may hold a register set read earlier, and a thread set going from a
 * live thread's stack could scribble over the fuzzer's harness.
 */
void op_thread_regs(struct fz *f)
{
    struct l4_regs set, got;
    enum ptr_class in_c = P_GOOD, out_c;
    l4_word_t n, flags = chance(f, 90) ? below(f, 4) : gen_word(f);
    l4_word_t out = gen_buf(f, true, &n, &out_c), in = (l4_word_t)&set;

    /* the kernel writes a whole struct l4_regs: a good buffer from scratch may be shorter and
     * would let it write past scratch, over the harness (the call is right to do so) */
    if (out_c == P_GOOD)
        out = (l4_word_t)&got;
    bool bad = gen_regs(f, &set);

    if (chance(f, 15)) {
        in = gen_buf(f, false, &n, &in_c);
        if (in_c < P_NULL)
            in = 0, in_c = P_NULL;
    }
    l4_err_t err =
        fz_call(f, L4_SYS_THREAD_REGS, gen_typed(f, USE_READ, L4_CAP_THREAD), flags, in, out, 0, 0);
    if (err)
        return;
    if (!flags || (flags & ~(l4_word_t)L4_REGS_ALL))
        stat_wrong(L4_SYS_THREAD_REGS, "succeeded with flags", flags);
    else if ((flags & L4_REGS_SET) && (bad || in_c >= P_NULL))
        stat_wrong(L4_SYS_THREAD_REGS, "succeeded in setting ip (or a bad sp, flags, TLS base)",
                   L4_REGS_IP(&set));
    else if ((flags & L4_REGS_GET) && out_c >= P_NULL)
        stat_wrong(L4_SYS_THREAD_REGS, "succeeded with the buffer", out);
}

void op_thread_tls(struct fz *f)
{
    l4_word_t which = chance(f, 90) ? below(f, 2) | (chance(f, 50) ? L4_TLS_SET : 0) : gen_word(f);
    l4_word_t value = gen_base(f), old;
    l4_err_t err = stat_record(f, L4_SYS_THREAD_TLS, l4_thread_tls(which, value, &old));

    if (!err && (which & ~(l4_word_t)L4_TLS_SET) >= L4_TLS_COUNT)
        stat_wrong(L4_SYS_THREAD_TLS, "succeeded with which", which);
    else if (!err && (which & L4_TLS_SET) && value >= USER_TOP)
        stat_wrong(L4_SYS_THREAD_TLS, "succeeded with the base", value);
}
