/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FAULT-001..: a thread's exceptions reach its fault endpoint as messages in the kernel's one
 * numbering (<coffer/ipc.h>: vector, address, ip, error), the same on every architecture, and
 * a handler's resume takes the thread on. arch_*.c adds what only its architecture has.
 */
#include "arch.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/thread.h>

#define FAULT_EP 16 /* where the faulting threads' messages go */
#define WORKER   17 /* the faulting thread of the moment */
#define UNMAPPED 0xdead000ul
#define NOWHERE  0x7000000ul /* no code: a jump there is a fetch from an unmapped address */

static long read_unmapped(l4_word_t addr)
{
    return *(volatile long *)addr;
}

static long write_unmapped(l4_word_t addr)
{
    *(volatile long *)addr = 42;
    return 0;
}

static long jump_to(l4_word_t addr)
{
    return ((long (*)(l4_word_t))addr)(0);
}

/* Code that was never meant to be code: a data page, mapped but not executable. */
static l4_word_t not_code[512] __attribute__((aligned(4096))) = {1};

struct fault_msg take_fault(long (*fn)(l4_word_t), l4_word_t arg)
{
    struct fault_msg m = {0};
    l4_word_t badge;
    l4_err_t err = L4_ETIMEOUT;

    /* its fault endpoint before it runs, so that it never faults with nobody to tell */
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, fn, arg, 100, WORKER);
    l4_thread_configure(WORKER, L4_THREAD_FAULT_EP, FAULT_EP);
    l4_thread_start(WORKER);
    for (unsigned i = 0; i < 100 && err == L4_ETIMEOUT; i++) {
        l4_thread_yield(); // beside us: a worker that never faults ends instead of hanging us
        err = l4_ipc_recv(FAULT_EP, L4_IPC_NONBLOCK, &m.label, &m.vector, &m.addr, &m.ip, &m.error,
                          &badge);
    }
    m.label = err == L4_OK ? L4_TAG_LABEL(m.label) : 0;
    return m;
}

l4_word_t resume_fault(void)
{
    l4_word_t code = ~0ul;

    l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0);
    if (l4_thread_wait(WORKER, 0, &code) != L4_OK) // it goes on, and ends (or faults again)
        code = ~0ul;
    l4_thread_destroy(WORKER);
    return code;
}

void stop_fault(void)
{
    l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); // not a resume: the thread stops
    l4_thread_destroy(WORKER);
}

/* A page fault's message: vector 14, the address, the error bits, ip in fn (or at want_ip). */
static void page_fault(const char *id, long (*fn)(l4_word_t), l4_word_t addr, l4_word_t error,
                       l4_word_t want_ip)
{
    struct fault_msg m = take_fault(fn, addr);
    bool ip_ok = want_ip ? m.ip == want_ip : m.ip >= (l4_word_t)fn && m.ip < (l4_word_t)fn + 256;

    test_report(id,
                m.label == L4_LABEL_FAULT && m.vector == L4_FAULT_PAGE && m.addr == addr &&
                    m.error == error && ip_ok,
                "label %lx vector %lu address %lx error %lx ip %lx (fn %lx), wanted address "
                "%lx error %lx",
                m.label, m.vector, m.addr, m.error, m.ip, (l4_word_t)fn, addr, error);
    stop_fault();
}

/* FAULT-009/010: a pager's answer: the page mapped, the fault resumed, the access done. */
static void resumed_page_fault(void)
{
    const l4_word_t page = UNMAPPED + 0x10000;
    struct fault_msg m = take_fault(read_unmapped, page);
    l4_err_t err = l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, page, L4_MAP_READ);

    test_report("FAULT-009", m.label == L4_LABEL_FAULT && m.addr == page && err == L4_OK,
                "label %lx address %lx; mapping it: %s", m.label, m.addr, l4_strerror(err));
    l4_word_t code = resume_fault();
    l4_word_t want = *(volatile l4_word_t *)page;
    test_report("FAULT-010", code == want, "the resumed read ended with %lx, the page holds %lx",
                code, want);
    l4_mem_unmap(L4_SLOT_SPACE, page);
}

void message_tests(void)
{
    const l4_word_t user = L4_PF_USER;

    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), FAULT_EP, NULL);
    page_fault("FAULT-001", read_unmapped, UNMAPPED, user, 0);
    page_fault("FAULT-002", write_unmapped, UNMAPPED, user | L4_PF_WRITE, 0);
    page_fault("FAULT-003", jump_to, NOWHERE, user | L4_PF_FETCH, NOWHERE);
    page_fault("FAULT-004", write_unmapped, (l4_word_t)read_unmapped,
               user | L4_PF_WRITE | L4_PF_PRESENT, 0);
    page_fault("FAULT-005", jump_to, (l4_word_t)not_code, user | L4_PF_FETCH | L4_PF_PRESENT,
               (l4_word_t)not_code);
    page_fault("FAULT-006", read_unmapped, arch_kernel_addr, user | L4_PF_PRESENT, 0);

    struct fault_msg m = take_fault(arch_invalid_insn, 0);
    test_report("FAULT-007",
                m.label == L4_LABEL_FAULT && m.vector == 6 &&
                    m.ip == (l4_word_t)arch_invalid_insn_at,
                "label %lx vector %lu ip %lx, wanted vector 6 at %lx", m.label, m.vector, m.ip,
                (l4_word_t)arch_invalid_insn_at);
    stop_fault();

    /* a breakpoint is reported past itself, so that a resume goes on after it */
    m = take_fault(arch_breakpoint, 41);
    test_report(
        "FAULT-008",
        m.label == L4_LABEL_FAULT && m.vector == 3 && m.ip == (l4_word_t)arch_breakpoint_after,
        "label %lx vector %lu ip %lx, wanted vector 3 at %lx (the breakpoint: %lx)", m.label,
        m.vector, m.ip, (l4_word_t)arch_breakpoint_after, (l4_word_t)arch_breakpoint_at);
    l4_word_t code = resume_fault();
    test_report("FAULT-011", code == 42, "resumed past the breakpoint, it ended with %lx", code);

    resumed_page_fault();
    arch_message_tests();
    printf("fault: messages done\n");
}
