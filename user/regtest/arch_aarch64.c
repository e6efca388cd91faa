/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * regtest's AArch64 part (built for AArch64 only): pstate, TPIDR_EL0, the SVC's registers,
 * and what only AArch64 has: A64REG-001..004 (pstate bits no user thread may have),
 * A64REG-005..007 (TPIDR_EL0 written by the thread itself is the thread's), A64REG-008 (what
 * x86_64's REG-078 is for rcx: a receive moved by exregs returns at the new pc with the call's
 * results and error).
 */
#ifdef __aarch64__
#include "regtest.h"

#include <coffer/syscall_nr.h>

const l4_word_t user_top = 0x0001000000000000ull;
const l4_word_t kernel_addr = 0xffff000040000000ull; /* RAM in the kernel's direct map */

/* regs_kept_across's bits of x0..x5: bit i is x i */
const l4_word_t kept_result[6] = {1u << 0, 1u << 1, 1u << 2, 1u << 3, 1u << 4, 1u << 5};

l4_word_t tls_word(unsigned i)
{
    (void)i; // one base
    l4_word_t v;

    __asm__ volatile("mrs %0, tpidr_el0\n\tldr %0, [%0]" : "=r"(v));
    return v;
}

l4_word_t regs_nr(const struct l4_regs *r)
{
    return r->x[8];
}

void pattern_flags(struct l4_regs *r)
{
    r->pstate = 0xa0000000; // N and C
}

void flags_as_read(struct l4_regs *r)
{
    (void)r; // pstate reads back as NZCV alone, as written
}

void flag_refusals(void (*f)(const char *id, struct l4_regs r, l4_err_t err), struct l4_regs r)
{
    struct l4_regs t = r;

    f("A64REG-001", (t.pstate |= 0x5, t), L4_EINVAL); // EL1h: the kernel's exception level
    t = r;
    f("A64REG-002", (t.pstate |= 0x3c0, t), L4_EINVAL); // DAIF: interrupts masked
    t = r;
    f("A64REG-003", (t.pstate |= 0x10, t), L4_EINVAL); // nRW: AArch32
    t = r;
    f("A64REG-004", (t.pstate |= 1u << 21, t), L4_EINVAL); // SS: a debugger's single step
}

void svc_all(l4_word_t nr, const l4_word_t in[32], l4_word_t out[32]); /* seen_aarch64.S */

/* bit i: x i (x8 aside: the error), bit 31: NZCV */
l4_word_t regs_kept_across(l4_word_t nr, l4_word_t arg)
{
    l4_word_t in[32], out[32], changed = 0;

    for (unsigned i = 0; i < 31; i++)
        in[i] = 0x0101010101010101ull * (i + 1) ^ (l4_word_t)i << 56;
    in[0] = arg;
    in[31] = 0x60000000; // Z and C
    svc_all(nr, in, out);
    for (unsigned i = 0; i < 32; i++) {
        if (i != 8 && out[i] != in[i])
            changed |= 1ul << i;
    }
    return changed;
}

l4_word_t raw_send(l4_word_t ep, l4_word_t tag, l4_word_t *arg_after)
{
    register l4_word_t x0 __asm__("x0") = ep;
    register l4_word_t x1 __asm__("x1") = tag;
    register l4_word_t x2 __asm__("x2") = 0;
    register l4_word_t x3 __asm__("x3") = 0;
    register l4_word_t x4 __asm__("x4") = 0;
    register l4_word_t x5 __asm__("x5") = 0;
    register l4_word_t x8 __asm__("x8") = L4_SYS_IPC_SEND;

    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x8)
                     :
                     : "memory");
    *arg_after = x0;
    return x8;
}

/*
 * A64REG-005..007: EL0 may write TPIDR_EL0 itself (msr): the value is then the thread's, kept
 * across its switches with a thread whose base is another, and what thread_tls and thread_regs
 * read for it, though the kernel never set it.
 */
static volatile int tp_stop, tp_ready;
static volatile l4_word_t tp_wrong;
static l4_word_t tp_via_tls;

static long own_tpidr(l4_word_t value)
{
    l4_word_t now;

    __asm__ volatile("msr tpidr_el0, %0" : : "r"(value));
    l4_thread_tls(L4_TLS_TPIDR, 0, &tp_via_tls);
    tp_ready = 1;
    while (!tp_stop) {
        l4_thread_yield(); // to main, whose TPIDR_EL0 is another
        __asm__ volatile("mrs %0, tpidr_el0" : "=r"(now));
        tp_wrong += now != value;
    }
    return 0;
}

/*
 * A64REG-009: the same through the IPC fastpath, whose switch moves TPIDR_EL0 in its assembly
 * (BECOME_NEXT): a thread that wrote its own calls us ten times, our answers and its calls
 * switching straight between the two, and keeps its value; we keep ours.
 */
#define TP_CALLS 10

static long own_tpidr_calls(l4_word_t value)
{
    l4_word_t now, tag, x;

    __asm__ volatile("msr tpidr_el0, %0" : : "r"(value));
    for (int i = 0; i < TP_CALLS; i++) {
        l4_ipc_call(EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
        __asm__ volatile("mrs %0, tpidr_el0" : "=r"(now));
        tp_wrong += now != value;
    }
    l4_ipc_call(EP, L4_TAG(2, 0, 0), 0, 0, 0, 0, &tag, &x, &x, &x, &x, &x); // done
    return 0;
}

static void tpidr_through_fastpath(void)
{
    const l4_word_t value = 0x0000fedcba987650ull;
    l4_word_t before, now, tag, x, code;
    unsigned calls = 0, ours_wrong = 0;

    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(before));
    tp_wrong = 0;
    l4_err_t err = l4_thread_spawn(own_tpidr_calls, value, 100, W1);
    if (!err)
        err = l4_ipc_recv(EP, 0, &tag, &x, &x, &x, &x, &x);
    while (!err && L4_TAG_LABEL(tag) == 1) {
        calls++;
        __asm__ volatile("mrs %0, tpidr_el0" : "=r"(now));
        ours_wrong += now != before;
        err = l4_ipc_reply_recv(EP, L4_TAG(0, 0, 0), 0, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    }
    if (!err)
        l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    l4_thread_wait(W1, 0, &code);
    l4_thread_destroy(W1);
    test_report("A64REG-009", !err && calls == TP_CALLS && tp_wrong == 0 && ours_wrong == 0,
                "%s after %u calls; its own value wrong %lu times after a call, ours %u times",
                l4_strerror(err), calls, tp_wrong, ours_wrong);
}

/*
 * A64REG-008: a thread blocked in ipc_recv whose pc exregs moved gets the message at the new
 * pc through the system call's return: the error in x8, the tag and words in x0.., as at the
 * pc it left.
 */
static volatile l4_word_t landed[3]; /* x8, x1, and 1 once there */

void a64_landed(void);
void a64_landed(void)
{
    l4_word_t x;

    landed[2] = 1;
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    for (;;)
        l4_ipc_recv(EP, 0, &x, &x, &x, &x, &x, &x); // until it is destroyed
}

void a64_landing(void);
__asm__(".text\n"
        "a64_landing:\n"
        "    adrp x9, landed\n"
        "    add x9, x9, :lo12:landed\n"
        "    stp x8, x1, [x9]\n"
        "    bl a64_landed\n"
        "    udf #0\n");

static long recv_moved(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    l4_ipc_recv(EP, 0, &x, &x, &x, &x, &x, &x); // its pc moves while it waits
    return 0;
}

static void moved_receive(void)
{
    l4_word_t tag, x, ip, sp;

    landed[0] = landed[1] = ~0ul;
    landed[2] = 0;
    l4_thread_spawn(recv_moved, 0, 100, W1);
    l4_thread_yield(); // it blocks in ipc_recv
    l4_err_t moved = l4_thread_exregs(W1, L4_EXREGS_SET_IP, (l4_word_t)a64_landing, 0, 0, &ip, &sp);
    l4_err_t err = l4_ipc_call(EP, L4_TAG(1, 1, 0), 0x5a5a, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    test_report("A64REG-008",
                moved == L4_OK && err == L4_OK && landed[2] && landed[0] == L4_OK &&
                    landed[1] == 0x5a5a,
                "exregs %s, call %s; landed %lu with x8 %lx x1 %lx, wanted 0 and 5a5a",
                l4_strerror(moved), l4_strerror(err), landed[2], landed[0], landed[1]);
    l4_thread_destroy(W1);
}

void arch_tests(void)
{
    moved_receive();
    tpidr_through_fastpath();
    const l4_word_t value = 0x0000123456789ab0ull;
    l4_word_t mine, before;
    struct l4_regs r = {0};

    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(before));
    tp_stop = tp_ready = 0;
    tp_wrong = 0;
    l4_thread_spawn(own_tpidr, value, 100, W1);
    for (unsigned n = 0; n < 20 || (!tp_ready && n < 1000); n++)
        l4_thread_yield();
    l4_thread_regs(W1, L4_REGS_GET, NULL, &r);
    tp_stop = 1;
    l4_thread_wait(W1, 0, &mine);
    l4_thread_destroy(W1);
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(mine));
    test_report("A64REG-005", tp_ready && tp_wrong == 0 && mine == before,
                "its own value changed %lu times; ours %lx, was %lx", tp_wrong, mine, before);
    test_report("A64REG-006", tp_via_tls == value, "thread_tls read %lx, wanted %lx", tp_via_tls,
                value);
    test_report("A64REG-007", r.tpidr_el0 == value, "thread_regs read %lx, wanted %lx", r.tpidr_el0,
                value);
}
#endif
