/* SPDX-License-Identifier: BSD-2-Clause */
/* REG-060..: what the kernel entry promises at the edges of user space and of the ABI. */
#include "regtest.h"

#include <coffer/mem.h>
#include <coffer/syscall_nr.h>

#define TOP_PAGE 0x7ffffffff000ull /* the last page below USER_TOP: never mapped */
#define EXARG    0x1234

static volatile l4_word_t sent_rax, sent_rdi, sent_done;

/* ipc_send by hand, so that what comes back in rdi is seen: the call writes no result there. */
static long sender(l4_word_t arg)
{
    l4_word_t rax = L4_SYS_IPC_SEND, rdi = EP;
    register l4_word_t r10 __asm__("r10") = 0;
    register l4_word_t r8 __asm__("r8") = 0;
    register l4_word_t r9 __asm__("r9") = 0;

    (void)arg;
    __asm__ volatile("syscall"
                     : "+a"(rax), "+D"(rdi), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "S"(L4_TAG(1, 0, 0)), "d"(0)
                     : "rcx", "r11", "memory");
    sent_rax = rax;
    sent_rdi = rdi;
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
    test_report("REG-061", sent_done && sent_rax == L4_OK && sent_rdi == EXARG,
                "ipc_send returned rax %lx rdi %lx, wanted 0 and %x", sent_rax, sent_rdi, EXARG);
    l4_thread_wait(W2, 0, &tag);
    l4_thread_destroy(W2);
}

/* The top page of user space cannot be mapped: a SYSCALL in its last two bytes would save a
 * return address of 0x800000000000, not canonical. */
static void top_page_refused(void)
{
    EXPECT_ERR("REG-062",
               l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, TOP_PAGE, L4_MAP_READ | L4_MAP_EXEC),
               L4_ERANGE);
    EXPECT_ERR("REG-063",
               l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, TOP_PAGE - 4096, L4_MAP_READ), L4_OK);
    l4_mem_unmap(L4_SLOT_SPACE, TOP_PAGE - 4096);
}

static volatile int compat_reached;

/* A far jump to selector 0x23, the slot SYSRET's STAR names for 32-bit code: the slot is not
 * present, so the jump faults in user mode (#NP) and compatibility mode is out of reach. */
static long far_jump(l4_word_t arg)
{
    static const struct __attribute__((packed)) {
        uint32_t offset;
        uint16_t selector;
    } target = {0, 0x23};

    (void)arg;
    __asm__ volatile("ljmpl *%0" : : "m"(target));
    compat_reached = 1; // not reached
    return 0;
}

static void no_compat_mode(void)
{
    l4_word_t tag = 0, vector = 0, x;

    l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, far_jump, 0, 100, W1);
    l4_thread_configure(W1, L4_THREAD_FAULT_EP, EP);
    l4_thread_start(W1);
    l4_ipc_recv(EP, 0, &tag, &vector, &x, &x, &x, NULL);
    test_report("REG-064",
                L4_TAG_LABEL(tag) == L4_LABEL_FAULT && (vector == 11 || vector == 13) &&
                    !compat_reached,
                "label %lx vector %lu: a far jump to 0x23 must fault in user mode",
                L4_TAG_LABEL(tag), vector);
    l4_thread_destroy(W1);
}

l4_word_t regs_kept_across(l4_word_t nr, l4_word_t rdi); /* seen.S */

/* regs_kept_across's bits for the result registers: rsi, rdx, r10, r8, rdi */
#define KEPT_RSI 0x40u
#define KEPT_RDX 0x80u
#define KEPT_R10 0x100u
#define KEPT_R8  0x200u
#define KEPT_RDI 0x800u

/*
 * A light call (thread_id, time: dispatched before the frame is built, with only its
 * arguments stored) and a full one (thread_yield) give back every register but rax, rcx,
 * r11 and those the call returns results in as they were (the bits of those that changed).
 */
static void light_calls_keep_registers(void)
{
    l4_word_t id =
        regs_kept_across(L4_SYS_THREAD_ID, 0) & ~(l4_word_t)(KEPT_RDI | KEPT_RSI | KEPT_RDX);
    l4_word_t t = regs_kept_across(L4_SYS_TIME, 0) &
                  ~(l4_word_t)(KEPT_RDI | KEPT_RSI | KEPT_RDX | KEPT_R10 | KEPT_R8);

    test_report("REG-069", id == 0 && t == 0,
                "registers changed by thread_id %lx, by time %lx (bit 0 rbx .. bit 10 r9)", id, t);
    l4_word_t full = regs_kept_across(L4_SYS_THREAD_YIELD, 0);
    test_report("REG-070", full == 0, "registers changed by thread_yield %lx", full);
}

/*
 * REG-071..074: notify_signal, notify_wait that takes pending bits (neither builds a frame on
 * the notification fastpath) and notify_wait that blocks (the fastpath of the thread that
 * wakes us and then waits hands us the CPU: our registers come back from our frame, our FPU
 * state is switched back in) give back every register but rax, rcx, r11 and the bits (rdi),
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

l4_word_t xmm_kept_across(l4_word_t nr, l4_word_t rdi, l4_word_t pattern); /* seen.S */

/* The same with other FPU registers: its wait hands us the CPU with its own still loaded. */
static long xmm_signal_then_wait(l4_word_t arg)
{
    (void)arg;
    xmm_kept_across(L4_SYS_NOTIFY_SIGNAL, NTF_KEPT, 0x5000);
    xmm_kept_across(L4_SYS_NOTIFY_WAIT, NTF_PEER, 0x6000); // for good
    return 0;
}

static void notify_calls_keep_registers(void)
{
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_KEPT, NULL);
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_PEER, NULL);
    l4_word_t signal = regs_kept_across(L4_SYS_NOTIFY_SIGNAL, NTF_KEPT);
    l4_word_t taken = regs_kept_across(L4_SYS_NOTIFY_WAIT, NTF_KEPT) & ~(l4_word_t)KEPT_RDI;
    l4_thread_spawn(signal_then_wait, 0, 100, W1); // beside us: it runs once our wait blocks
    l4_word_t blocked = regs_kept_across(L4_SYS_NOTIFY_WAIT, NTF_KEPT) & ~(l4_word_t)KEPT_RDI;
    test_report("REG-071", signal == 0, "registers changed by notify_signal %lx", signal);
    test_report("REG-072", taken == 0, "registers changed by notify_wait, bits pending: %lx",
                taken);
    test_report("REG-073", blocked == 0, "registers changed by notify_wait that blocked: %lx",
                blocked);
    l4_thread_spawn(xmm_signal_then_wait, 0, 100, W2);
    l4_word_t xmm = xmm_kept_across(L4_SYS_NOTIFY_WAIT, NTF_KEPT, 0x1000);
    test_report("REG-074", xmm == 0, "FPU registers changed by notify_wait that blocked: %lx", xmm);
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
 * register but rax, rcx, r11 and the bits (rdi), as the general path does.
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
    l4_word_t general = regs_kept_across(L4_SYS_NOTIFY_WAIT, NTF_KEPT) & ~(l4_word_t)KEPT_RDI;
    l4_thread_yield(); // it ends
    test_report("REG-076", helper_ran && general == 0,
                "notify_wait that blocked, resumed by a general switch (the waker ran: %d), "
                "changed %lx",
                helper_ran, general);
    l4_thread_destroy(W2);
    l4_cap_destroy(NTF_KEPT);
}

/*
 * REG-077: a thread blocked in ipc_recv whose ip exregs moved gets the message at the new ip
 * through the system call return, which says rcx = rip there (the SYSCALL ABI), however the
 * call that wakes it is taken: the fastpath in assembly and the general path leave through
 * SYSRET from the frame's rip; the C fastpath (the trace kernel's, REG-TRACE) through IRETQ,
 * from the frame's rcx slot, which still holds the rip of its SYSCALL.
 */
static volatile l4_word_t landed_rcx, landed;

void landed_c(void);
void landed_c(void)
{
    l4_word_t x;

    landed = 1;
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    for (;;)
        l4_ipc_recv(EP, 0, &x, &x, &x, &x, &x, &x); // until it is destroyed
}

void landing_pad(void);
__asm__(".text\n"
        "landing_pad:\n"
        "    mov %rcx, landed_rcx(%rip)\n"
        "    and $-16, %rsp\n"
        "    call landed_c\n"
        "    ud2\n");

static long recv_forever(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    l4_ipc_recv(EP, 0, &x, &x, &x, &x, &x, &x); // its ip moves while it waits
    return 0;
}

static void exregs_ip_rcx(void)
{
    l4_word_t tag, x, ip, sp;

    landed = landed_rcx = 0;
    l4_thread_spawn(recv_forever, 0, 100, W1);
    l4_thread_yield(); // it blocks in ipc_recv
    EXPECT_ERR("REG-077",
               l4_thread_exregs(W1, L4_EXREGS_SET_IP, (l4_word_t)landing_pad, 0, 0, &ip, &sp),
               L4_OK);
    l4_err_t err = l4_ipc_call(EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    test_report("REG-078", err == L4_OK && landed && landed_rcx == (l4_word_t)landing_pad,
                "call %s; landed %lu with rcx %lx, wanted its rip %lx (was %lx)", l4_strerror(err),
                landed, landed_rcx, (l4_word_t)landing_pad, ip);
    l4_thread_destroy(W1);
}

void entry_tests(void)
{
    exregs_arg_kept();
    top_page_refused();
    no_compat_mode();
    light_calls_keep_registers();
    notify_calls_keep_registers();
    notify_ways_keep_registers();
    exregs_ip_rcx();
}
