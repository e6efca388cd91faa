/* SPDX-License-Identifier: BSD-2-Clause */
/* REG-060..: what the kernel entry promises at the edges of user space and of the ABI. */
#include "regtest.h"

#include <coffer/syscall_nr.h>

#define EXARG 0x1234

static volatile l4_word_t sent_err, sent_arg, sent_done;

/* ipc_send by hand, so that what comes back in its first register is seen: the call writes
 * no result there. */
static long sender(l4_word_t arg)
{
    l4_word_t after;

    (void)arg;
    sent_err = raw_send(EP, L4_TAG(1, 0, 0), &after);
    sent_arg = after;
    sent_done = 1;
    return 0;
}

/*
 * thread_exregs(L4_EXREGS_SET_ARG) on a thread blocked in a system call: the call goes on,
 * and the argument register keeps the value written unless the call returns a result in it
 * (ipc_send returns none). The same with the IPC fastpath on and off (REG-SLOW).
 */
static void exregs_arg_kept(void)
{
    l4_word_t tag, ip, sp;

    sent_done = 0;
    l4_thread_spawn(sender, 0, 100, W2);
    l4_thread_yield(); // it blocks in ipc_send: nobody receives yet
    EXPECT_ERR("REG-060", l4_thread_exregs(W2, L4_EXREGS_SET_ARG, 0, 0, EXARG, &ip, &sp), L4_OK);
    l4_ipc_recv(EP, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    for (unsigned n = 0; !sent_done && n < 1000; n++)
        l4_thread_yield();
    test_report("REG-061", sent_done && sent_err == L4_OK && sent_arg == EXARG,
                "ipc_send returned %lx, its first register %lx, wanted 0 and %x", sent_err,
                sent_arg, EXARG);
    l4_thread_wait(W2, 0, &tag);
    l4_thread_destroy(W2);
}

/* regs_kept_across's bits of the call's first n result registers */
static l4_word_t results(unsigned n)
{
    l4_word_t bits = 0;

    for (unsigned i = 0; i < n; i++)
        bits |= kept_result[i];
    return bits;
}

/*
 * A light call (thread_id, time, notify_poll, mem_map: dispatched before the frame is built,
 * with only its arguments and what its handler may change stored) and a full one
 * (thread_yield) give back every register but those the system call ABI gives the kernel
 * (x86_64: rax, rcx, r11; AArch64: x8) and those the call returns results in as they were
 * (the bits of those that changed). notify_poll and mem_map are refused here (slot 0 is no
 * notification and no memory): the debug kernel's report of a refusal runs deep into C,
 * through registers a short handler leaves alone.
 */
static void light_calls_keep_registers(void)
{
    l4_word_t id = regs_kept_across(L4_SYS_THREAD_ID, 0) & ~results(3);
    l4_word_t t = regs_kept_across(L4_SYS_TIME, 0) & ~results(5);
    l4_word_t poll = regs_kept_across(L4_SYS_NOTIFY_POLL, 0) & ~results(1);
    l4_word_t map = regs_kept_across(L4_SYS_MEM_MAP, 0);

    test_report("REG-069", id == 0 && t == 0 && poll == 0 && map == 0,
                "registers changed by thread_id %lx, by time %lx, by a refused notify_poll %lx, "
                "by a refused mem_map %lx (regs_kept_across's bits)",
                id, t, poll, map);
    l4_word_t full = regs_kept_across(L4_SYS_THREAD_YIELD, 0);
    test_report("REG-070", full == 0, "registers changed by thread_yield %lx", full);
}

/*
 * REG-071..074: notify_signal, notify_wait that takes pending bits (neither builds a frame on
 * the notification fastpath) and notify_wait that blocks (the fastpath of the thread that
 * wakes us and then waits hands us the CPU: our registers come back from our frame, our FPU
 * state is switched back in) give back every register but the ABI's and the bits (the first result),
 * as the general path does.
 */
#define NTF_KEPT 28
#define NTF_PEER 29

static long signal_then_wait(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_signal(NTF_KEPT);
    l4_notify_wait(NTF_PEER, &bits); // for good: its wait hands us the CPU
    return 0;
}

/* The same with other FPU registers: its wait hands us the CPU with its own still loaded. */
static long fp_signal_then_wait(l4_word_t arg)
{
    (void)arg;
    fp_kept_across(L4_SYS_NOTIFY_SIGNAL, NTF_KEPT, 0x5000);
    fp_kept_across(L4_SYS_NOTIFY_WAIT, NTF_PEER, 0x6000); // for good
    return 0;
}

static void notify_calls_keep_registers(void)
{
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_KEPT, NULL);
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_PEER, NULL);
    l4_word_t signal = regs_kept_across(L4_SYS_NOTIFY_SIGNAL, NTF_KEPT);
    l4_word_t taken = regs_kept_across(L4_SYS_NOTIFY_WAIT, NTF_KEPT) & ~results(1);
    l4_thread_spawn(signal_then_wait, 0, 100, W1); // beside us: it runs once our wait blocks
    l4_word_t blocked = regs_kept_across(L4_SYS_NOTIFY_WAIT, NTF_KEPT) & ~results(1);
    test_report("REG-071", signal == 0, "registers changed by notify_signal %lx", signal);
    test_report("REG-072", taken == 0, "registers changed by notify_wait, bits pending: %lx",
                taken);
    test_report("REG-073", blocked == 0, "registers changed by notify_wait that blocked: %lx",
                blocked);
    l4_thread_spawn(fp_signal_then_wait, 0, 100, W2);
    l4_word_t fp = fp_kept_across(L4_SYS_NOTIFY_WAIT, NTF_KEPT, 0x1000);
    test_report("REG-074", fp == 0, "FP registers changed by notify_wait that blocked: %lx", fp);
    l4_thread_destroy(W1);
    l4_thread_destroy(W2);
    l4_cap_destroy(NTF_KEPT);
    l4_cap_destroy(NTF_PEER);
}

/*
 * REG-075, REG-076: the ways out of the notification fastpath REG-071..074 do not take: a
 * notify_signal that wakes a waiter beside us (no frame: it queues the waiter and returns as
 * light), and a notify_wait that blocked, resumed not by the fastpath's switch but by a
 * general one (the thread that woke us yields: ipc_fast_resume). Each gives back every
 * register but the ABI's and the bits (the first result), as the general path does.
 */
static volatile int helper_ran;

/* Beside us: it waits on NTF_KEPT, so that our signal has a waiter to wake. */
static long wait_kept(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_wait(NTF_KEPT, &bits);
    return 0;
}

/* Beside us: it wakes us, then yields, so that a general switch gives us the CPU back. */
static long signal_then_yield(l4_word_t arg)
{
    (void)arg;
    helper_ran = 1;
    l4_notify_signal(NTF_KEPT);
    l4_thread_yield();
    return 0;
}

static void notify_ways_keep_registers(void)
{
    l4_word_t bits = 0;

    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_KEPT, NULL);
    l4_thread_spawn(wait_kept, 0, 100, W1);
    l4_thread_yield(); // it blocks on NTF_KEPT
    l4_word_t woke = regs_kept_across(L4_SYS_NOTIFY_SIGNAL, NTF_KEPT);
    l4_err_t polled = l4_notify_poll(NTF_KEPT, &bits);
    l4_thread_yield(); // it ends
    test_report("REG-075", woke == 0 && polled == L4_ETIMEOUT,
                "notify_signal waking a waiter changed %lx; then poll %s (the waiter took the bit)",
                woke, l4_strerror(polled));
    l4_thread_destroy(W1);
    helper_ran = 0;
    l4_thread_spawn(signal_then_yield, 0, 100, W2); // ready: it runs when we block
    l4_word_t general = regs_kept_across(L4_SYS_NOTIFY_WAIT, NTF_KEPT) & ~results(1);
    l4_thread_yield(); // it ends
    test_report("REG-076", helper_ran && general == 0,
                "notify_wait that blocked, resumed by a general switch (the waker ran: %d), "
                "changed %lx",
                helper_ran, general);
    l4_thread_destroy(W2);
    l4_cap_destroy(NTF_KEPT);
}

void entry_tests(void)
{
    exregs_arg_kept();
    light_calls_keep_registers();
    notify_calls_keep_registers();
    notify_ways_keep_registers();
    arch_tests();
}
