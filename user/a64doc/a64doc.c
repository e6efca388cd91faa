/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A64DOC-xxx: what docs/aarch64.md and docs/syscalls.md promise a program on AArch64, tested
 * from the documents alone (tests/qemu/systems/a64doc.toml):
 *   001..009  EL0 reads the PMU's cycle counter, and no more: programming a counter, and the
 *             generic timer and its counters, are undefined-instruction faults (vector 6)
 *   010..016  cache_control: code written through one space's mapping, synced in another
 *             space and run there; only that space's pages count; the top of AArch64's user
 *             space; device memory skipped
 *   017..019  user space past x86_64's top, its last page never mapped
 *   020..025  thread_tls and thread_regs with AArch64's user space and TPIDR_EL0, which EL0
 *             writes at will
 *   026..031  no cache maintenance, cache geometry, DC ZVA or SVE at EL0 (vector 6)
 *   032..035  no semihosting nor SMC from EL0; svc's immediate not read; the registers of a
 *             thread in a system call
 *   036..037  pstate: every bit but NZCV refused, NZCV taken and read back
 *   040       (argument "icount", under -icount shift=0) the cycle counter counts instructions
 * AArch64 instructions throughout: mk/x86_64.mk does not build it.
 */
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/mem.h>
#include <coffer/regs.h>
#include <coffer/syscall_nr.h>
#include <coffer/thread.h>
#include <coffer/tls.h>

#define FAULT_EP 16 /* system file: the faulting threads' messages come here */
#define DEVICE   17 /* system file: virt's PL031 real-time clock, device memory */
#define WORKER   20
#define SPACE2   21
#define RUNNER   22
#define FRESH    23
#define NTF      24

#define MEM    L4_SLOT_MEMORY
#define SPACE  L4_SLOT_SPACE
#define VA     0x20000000ull /* our mapping of the code page, writable */
#define VA2    0x21000000ull /* the other space's, executable */
#define DEV_VA 0x22000000ull

#define FAULT_INVALID 6 /* docs/aarch64.md: undefined instructions, trapped system registers */

/* Each body's faulting instruction has a label, the ip its message must carry. */
#define BODY(name, insn) #name ":\n" #name "_at:\n    " insn "\n    ret\n"
__asm__(
    ".text\n" BODY(rd_pmccntr, "mrs x0, pmccntr_el0") BODY(wr_pmcr, "msr pmcr_el0, x0")
        BODY(wr_pmcntenclr, "msr pmcntenclr_el0, x0") BODY(wr_pmccntr, "msr pmccntr_el0, x0")
            BODY(rd_pmevcntr0, "mrs x0, pmevcntr0_el0") BODY(rd_cntvct, "mrs x0, cntvct_el0")
                BODY(rd_cntpct, "mrs x0, cntpct_el0") BODY(rd_cntfrq, "mrs x0, cntfrq_el0")
                    BODY(wr_cntv_ctl, "msr cntv_ctl_el0, x0") BODY(rd_dczid, "mrs x0, dczid_el0")
    /* semihosting's SYS_EXIT (0x18) with x0's block: QEMU takes it from EL1 only */
    "semi_exit:\n    mov x1, x0\n    mov x0, #0x18\nsemi_exit_at:\n    hlt #0xf000\n    ret\n" BODY(
        smc0, "smc #0") BODY(rdvl, ".inst 0x04bf5020") BODY(ic_ivau, "ic ivau, x0")
        BODY(dc_cvau, "dc cvau, x0") BODY(dc_zva, "dc zva, x0") BODY(rd_ctr, "mrs x0, ctr_el0")
    /* set TPIDR_EL0 to x0 itself, then stop in a fault (udf) for the tests to look at */
    "set_tp_and_stop:\n    msr tpidr_el0, x0\nset_tp_and_stop_at:\n    udf #0\n");

#define DECLARE(name)                                                                              \
    long name(l4_word_t);                                                                          \
    extern const char name##_at[]
DECLARE(rd_pmccntr);
DECLARE(wr_pmcr);
DECLARE(wr_pmcntenclr);
DECLARE(wr_pmccntr);
DECLARE(rd_pmevcntr0);
DECLARE(rd_cntvct);
DECLARE(rd_cntpct);
DECLARE(rd_cntfrq);
DECLARE(wr_cntv_ctl);
DECLARE(set_tp_and_stop);
DECLARE(rd_dczid);
DECLARE(semi_exit);
DECLARE(smc0);
DECLARE(rdvl);
DECLARE(ic_ivau);
DECLARE(dc_cvau);
DECLARE(dc_zva);
DECLARE(rd_ctr);

struct fault_msg {
    l4_word_t label, vector, addr, ip, error;
};

/* The next fault message on FAULT_EP, waiting a while (label 0 if none came). */
static struct fault_msg next_fault(void)
{
    struct fault_msg m = {0};
    l4_word_t badge;
    l4_err_t err = L4_ETIMEOUT;

    for (unsigned i = 0; i < 100 && err == L4_ETIMEOUT; i++) {
        l4_thread_yield();
        err = l4_ipc_recv(FAULT_EP, L4_IPC_NONBLOCK, &m.label, &m.vector, &m.addr, &m.ip, &m.error,
                          &badge);
    }
    m.label = err == L4_OK ? L4_TAG_LABEL(m.label) : 0;
    return m;
}

/* Run fn(arg) in WORKER, whose faults come to us: its first fault's message. */
static struct fault_msg take_fault(long (*fn)(l4_word_t), l4_word_t arg)
{
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), SPACE, fn, arg, 100, WORKER);
    l4_thread_configure(WORKER, L4_THREAD_FAULT_EP, FAULT_EP);
    l4_thread_start(WORKER);
    return next_fault();
}

static void stop_fault(void)
{
    l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); // not a resume: the thread stays stopped
    l4_thread_destroy(WORKER);
}

static void undefined(const char *id, long (*fn)(l4_word_t), const char *at, const char *what)
{
    struct fault_msg m = take_fault(fn, 0);

    test_report(id, m.label == L4_LABEL_FAULT && m.vector == FAULT_INVALID && m.ip == (l4_word_t)at,
                "%s at EL0: label %lx vector %lu ip %lx, wanted vector %d ip %lx", what, m.label,
                m.vector, m.ip, FAULT_INVALID, (l4_word_t)at);
    stop_fault();
}

/* docs/aarch64.md "Interrupts": EL0 may read PMCCNTR_EL0 only; no timer, no counters. */
static void counters(void)
{
    l4_word_t a = (l4_word_t)rd_pmccntr(0);
    for (volatile int i = 0; i < 1000; i++) {
    }
    l4_word_t b = (l4_word_t)rd_pmccntr(0);
    test_report("A64DOC-001", b > a + 1000, "PMCCNTR_EL0 read %lx then %lx around 1000 loops", a,
                b);
    undefined("A64DOC-002", wr_pmcr, wr_pmcr_at, "a write of PMCR_EL0");
    undefined("A64DOC-003", wr_pmcntenclr, wr_pmcntenclr_at, "a write of PMCNTENCLR_EL0 (stop)");
    undefined("A64DOC-004", wr_pmccntr, wr_pmccntr_at, "a write of PMCCNTR_EL0 (reset)");
    undefined("A64DOC-005", rd_pmevcntr0, rd_pmevcntr0_at, "a read of PMEVCNTR0_EL0");
    undefined("A64DOC-006", rd_cntvct, rd_cntvct_at, "a read of CNTVCT_EL0");
    undefined("A64DOC-007", rd_cntpct, rd_cntpct_at, "a read of CNTPCT_EL0");
    undefined("A64DOC-008", rd_cntfrq, rd_cntfrq_at, "a read of CNTFRQ_EL0");
    undefined("A64DOC-009", wr_cntv_ctl, wr_cntv_ctl_at, "a write of CNTV_CTL_EL0");
}

/*
 * What EL0 may not do for itself (docs/aarch64.md "Cache maintenance"): maintain the caches
 * (IC IVAU, DC CVAU: cache_control does), read the cache geometry (CTR_EL0), zero by cache
 * line (DC ZVA, which DCZID_EL0.DZP says a C library must not use); nor run SVE (CPACR_EL1
 * written whole), which QEMU's cortex-a57 has not anyway.
 */
static void el0_limits(void)
{
    static char line[256] __attribute__((aligned(256)));

    undefined("A64DOC-026", ic_ivau, ic_ivau_at, "IC IVAU");
    undefined("A64DOC-027", dc_cvau, dc_cvau_at, "DC CVAU");
    undefined("A64DOC-028", rd_ctr, rd_ctr_at, "a read of CTR_EL0");
    l4_word_t dczid = (l4_word_t)rd_dczid(0);
    test_report("A64DOC-029", dczid & 0x10, "DCZID_EL0 %lx: DZP clear, DC ZVA looks allowed",
                dczid);
    struct fault_msg m = take_fault(dc_zva, (l4_word_t)line);
    test_report("A64DOC-030", m.vector == FAULT_INVALID && m.ip == (l4_word_t)dc_zva_at,
                "DC ZVA: vector %lu at %lx", m.vector, m.ip);
    stop_fault();
    undefined("A64DOC-031", rdvl, rdvl_at, "SVE's RDVL");
}

/* mov w0, #value; mov x8, #1 (thread_exit); svc #0: a thread that ends with value */
static void write_code(unsigned value)
{
    volatile uint32_t *code = (volatile uint32_t *)VA;

    code[0] = 0x52800000u | value << 5;
    code[1] = 0xd2800028u;
    code[2] = 0xd4000001u;
}

/* A thread of the other space at VA2 (which needs no stack): its exit code. */
static l4_word_t run_there(void)
{
    l4_word_t tid, code = ~0ul;

    l4_thread_forget_ended(RUNNER);
    if (l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), SPACE2, 100, RUNNER, &tid) ||
        l4_thread_exregs(RUNNER, L4_EXREGS_ALL, VA2, VA2 + 4096, 0, &tid, &tid) ||
        l4_thread_start(RUNNER) || l4_thread_wait(RUNNER, 0, &code))
        return ~0ul;
    return code;
}

/* docs/syscalls.md cache_control: code a loader wrote is fit to run after SYNC_INSN. */
static void code_in_another_space(void)
{
    l4_word_t id, done = ~0ul;

    l4_err_t err = l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES),
                                   SPACE2, &id);
    if (!err)
        err = l4_mem_map(MEM, 0, SPACE, VA, L4_MAP_READ | L4_MAP_WRITE);
    if (!err)
        err = l4_mem_map(MEM, 0, SPACE2, VA2, L4_MAP_READ | L4_MAP_EXEC);
    write_code(42);
    if (!err)
        err = l4_cache_control(SPACE2, VA2, 1, L4_CACHE_SYNC_INSN, &done);
    test_report("A64DOC-010", !err && done == 1, "sync of the other space's page: %s, %lu done",
                l4_strerror(err), done);
    l4_word_t code = run_there();
    test_report("A64DOC-011", code == 42, "the code written here and synced there ended %lx", code);
    write_code(7);
    err = l4_cache_control(SPACE2, VA2, 1, L4_CACHE_SYNC_INSN, &done);
    code = run_there();
    test_report("A64DOC-012", !err && code == 7, "rewritten and synced again: %s, ended %lx",
                l4_strerror(err), code);
    /* the range is the space's: our page at VA is not the other space's, nor its at VA2 ours */
    l4_word_t here = ~0ul, there = ~0ul;
    l4_err_t e1 = l4_cache_control(SPACE2, VA, 1, L4_CACHE_CLEAN, &there);
    l4_err_t e2 = l4_cache_control(SPACE, VA2, 1, L4_CACHE_CLEAN, &here);
    test_report("A64DOC-013", !e1 && !e2 && here == 0 && there == 0,
                "pages of the other space counted: %s %lu, %s %lu", l4_strerror(e1), there,
                l4_strerror(e2), here);
    l4_mem_unmap(SPACE, VA);
}

/* The top of AArch64's user space, L4_USER_TOP (<coffer/layout.h>): its last page is refused. */
static void top_of_user_space(void)
{
    l4_word_t d = ~0ul, e = ~0ul;
    const l4_word_t last = L4_USER_TOP - 4096;

    EXPECT_ERR("A64DOC-014", l4_cache_control(SPACE, last, 1, L4_CACHE_CLEAN, &d), L4_ERANGE);
    l4_err_t err = l4_cache_control(SPACE, last - 4096, 2, L4_CACHE_CLEAN, &d);
    l4_err_t ok = l4_cache_control(SPACE, last - 4096, 1, L4_CACHE_FLUSH, &e);
    /* x86_64's top (0x800000000000) is an ordinary user address here */
    l4_word_t f = ~0ul;
    l4_err_t mid = l4_cache_control(SPACE, 0x800000000000ull, 1, L4_CACHE_FLUSH, &f);
    test_report("A64DOC-015", err == L4_ERANGE && ok == L4_OK && e == 0 && mid == L4_OK && f == 0,
                "a range reaching the last page %s; the page below it %s (%lu done); x86_64's "
                "top %s (%lu done)",
                l4_strerror(err), l4_strerror(ok), e, l4_strerror(mid), f);
}

/*
 * docs/user-library.md "The address map": user space goes on past x86_64's 0x7fffffffffff to
 * L4_USER_TOP, whose top page is never mapped (docs/aarch64.md "Layout").
 */
static void high_pages(void)
{
    const l4_word_t high = 0x800000000000ull, last = L4_USER_TOP - 4096;

    l4_err_t err = l4_mem_map(MEM, 0, SPACE, high, L4_MAP_READ | L4_MAP_WRITE);
    if (!err)
        *(volatile l4_word_t *)high = 0x5a5a;
    l4_word_t seen = err ? 0 : *(volatile l4_word_t *)high;
    l4_err_t top = l4_mem_map(MEM, 4096, SPACE, last - 4096, L4_MAP_READ | L4_MAP_WRITE);
    test_report("A64DOC-017", !err && seen == 0x5a5a && !top,
                "a page at %lx: %s, read %lx; the page below the last: %s", high, l4_strerror(err),
                seen, l4_strerror(top));
    EXPECT_ERR("A64DOC-018", l4_mem_map(MEM, 8192, SPACE, last, L4_MAP_READ), L4_ERANGE);
    EXPECT_ERR("A64DOC-019", l4_mem_map(MEM, 8192, SPACE, L4_USER_TOP, L4_MAP_READ), L4_ERANGE);
    l4_mem_unmap(SPACE, high);
    l4_mem_unmap(SPACE, last - 4096);
}

/* "Pages not mapped, and device memory (never cached), are skipped." */
static void device_skipped(void)
{
    l4_word_t s = ~0ul, c = ~0ul, f = ~0ul;

    l4_err_t err = l4_mem_map(DEVICE, 0, SPACE, DEV_VA, L4_MAP_READ | L4_MAP_WRITE);
    if (!err)
        err = l4_mem_map(MEM, 0, SPACE, DEV_VA + 4096, L4_MAP_READ | L4_MAP_WRITE);
    l4_err_t e1 = l4_cache_control(SPACE, DEV_VA, 2, L4_CACHE_SYNC_INSN, &s);
    l4_err_t e2 = l4_cache_control(SPACE, DEV_VA, 2, L4_CACHE_CLEAN, &c);
    l4_err_t e3 = l4_cache_control(SPACE, DEV_VA, 2, L4_CACHE_FLUSH, &f);
    test_report("A64DOC-016", !err && !e1 && !e2 && !e3 && s == 1 && c == 1 && f == 1,
                "a device page and a RAM page: map %s; sync %s %lu, clean %s %lu, flush %s %lu",
                l4_strerror(err), l4_strerror(e1), s, l4_strerror(e2), c, l4_strerror(e3), f);
    l4_mem_unmap(SPACE, DEV_VA);
    l4_mem_unmap(SPACE, DEV_VA + 4096);
}

/* thread_tls's bound is the top of user space: AArch64's, not x86_64's 0x800000000000. */
static void tls_bounds(void)
{
    l4_word_t old = 0, back = 0, x = 0;

    l4_err_t e1 = l4_thread_tls(L4_TLS_TPIDR | L4_TLS_SET, 0x800000000000ull, &old);
    l4_thread_tls(L4_TLS_TPIDR, 0, &back);
    l4_thread_tls(L4_TLS_TPIDR | L4_TLS_SET, old, &x); // the C runtime's own again
    test_report("A64DOC-020", e1 == L4_OK && back == 0x800000000000ull,
                "thread_tls set 0x800000000000: %s, read back %lx", l4_strerror(e1), back);
    EXPECT_ERR("A64DOC-021", l4_thread_tls(L4_TLS_TPIDR | L4_TLS_SET, L4_USER_TOP, &x), L4_ERANGE);
}

/*
 * EL0 writes TPIDR_EL0 at will (docs/aarch64.md "State per thread"), any value, and
 * thread_regs reads it as it is; pc, sp and tpidr_el0 written must be user addresses
 * (<coffer/regs.h>, docs/syscalls.md thread_regs).
 */
static void regs_round_trip(void)
{
    const l4_word_t kernel = 0xffff000040000000ull; // the direct map's RAM: EL1's
    struct l4_regs r = {0}, w, again = {0};

    struct fault_msg m = take_fault(set_tp_and_stop, kernel);
    l4_err_t get = l4_thread_regs(WORKER, L4_REGS_GET, NULL, &r);
    test_report("A64DOC-022",
                m.vector == FAULT_INVALID && get == L4_OK && r.tpidr_el0 == kernel &&
                    r.pc == (l4_word_t)set_tp_and_stop_at,
                "stopped at %lx (vector %lu): get %s, tpidr_el0 %lx pc %lx", m.ip, m.vector,
                l4_strerror(get), r.tpidr_el0, r.pc);
    w = r;
    w.pc = L4_USER_TOP;
    l4_err_t pc = l4_thread_regs(WORKER, L4_REGS_SET, &w, NULL);
    w = r;
    w.sp = L4_USER_TOP;
    l4_err_t sp = l4_thread_regs(WORKER, L4_REGS_SET, &w, NULL);
    test_report("A64DOC-023", pc == L4_ERANGE && sp == L4_ERANGE,
                "pc at L4_USER_TOP: %s; sp there: %s", l4_strerror(pc), l4_strerror(sp));
    /* the registers as read go back only with a user address in tpidr_el0 (<coffer/regs.h>) */
    l4_err_t back = l4_thread_regs(WORKER, L4_REGS_SET, &r, NULL);
    w = r;
    w.tpidr_el0 = 0x800000000000ull; // above x86_64's top of user space, below AArch64's
    l4_err_t set = l4_thread_regs(WORKER, L4_REGS_SET, &w, NULL);
    if (set == L4_OK)
        m = next_fault(); // it goes on at its udf again
    l4_thread_regs(WORKER, L4_REGS_GET, NULL, &again);
    test_report("A64DOC-024",
                back == L4_ERANGE && set == L4_OK && m.ip == (l4_word_t)set_tp_and_stop_at &&
                    again.tpidr_el0 == w.tpidr_el0,
                "written back as read: %s; with tpidr_el0 %lx: %s, faulted again at %lx, "
                "tpidr_el0 %lx",
                l4_strerror(back), w.tpidr_el0, l4_strerror(set), m.ip, again.tpidr_el0);
    stop_fault();
}

/*
 * docs/aarch64.md "Halting": QEMU takes semihosting calls from EL1 only, so a program's HLT
 * #0xF000 asking SYS_EXIT is an undefined instruction and the machine goes on; SMC too.
 */
static void no_semihosting(void)
{
    static const l4_word_t block[2] = {0x20026, 0x20}; // ADP_Stopped_ApplicationExit, code 0
    struct fault_msg m = take_fault(semi_exit, (l4_word_t)block);

    test_report("A64DOC-032", m.vector == FAULT_INVALID && m.ip == (l4_word_t)semi_exit_at,
                "semihosting's exit from EL0: vector %lu at %lx", m.vector, m.ip);
    stop_fault();
    undefined("A64DOC-033", smc0, smc0_at, "SMC");
}

/* The SVC's immediate is not read: svc #1 is the call x8 names, as svc #0 (docs/aarch64.md). */
static void svc_immediate(void)
{
    register l4_word_t x0 __asm__("x0") = 0, x1 __asm__("x1") = 0, x2 __asm__("x2") = 0;
    register l4_word_t x8 __asm__("x8") = L4_SYS_THREAD_ID;
    l4_word_t tid = 0;

    __asm__ volatile("svc #1" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x8)::"x3", "x4", "x5", "memory");
    const l4_word_t err = x8, id = x0; // before a call reuses the registers
    l4_thread_id(&tid, NULL, NULL);
    test_report("A64DOC-034", err == L4_OK && id == tid,
                "svc #1 as thread_id: error %lx, id %lx; thread_id says %lx", err, id, tid);
}

/* Wait on the notification in slot ntf; wait_svc_after is the instruction after the SVC. */
__attribute__((noinline, noclone)) static long wait_ntf(l4_word_t ntf)
{
    register l4_word_t x0 __asm__("x0") = ntf;
    register l4_word_t x8 __asm__("x8") = L4_SYS_NOTIFY_WAIT;

    __asm__ volatile("svc #0\n.globl wait_svc_after\nwait_svc_after:"
                     : "+r"(x0), "+r"(x8)::"x1", "x2", "x3", "x4", "x5", "memory");
    return 0;
}
extern const char wait_svc_after[];

/* thread_regs of a thread blocked in a system call: as it entered, x8 the call's number and pc
 * past its SVC (AArch64's counterpart of x86_64's rax, rcx and r11; docs/syscalls.md). */
static void regs_in_a_call(void)
{
    l4_word_t id;
    struct l4_regs r = {0};

    l4_err_t err = l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF, &id);
    if (!err)
        err = l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), SPACE, wait_ntf, NTF, 100, WORKER);
    if (!err)
        err = l4_thread_start(WORKER);
    for (int i = 0; i < 5; i++)
        l4_thread_yield(); // it runs, and blocks in notify_wait
    if (!err)
        err = l4_thread_regs(WORKER, L4_REGS_GET, NULL, &r);
    test_report("A64DOC-035",
                !err && r.x[8] == L4_SYS_NOTIFY_WAIT && r.x[0] == NTF &&
                    r.pc == (l4_word_t)wait_svc_after,
                "%s: x8 %lx x0 %lx pc %lx, wanted x8 %x x0 %x pc %lx", l4_strerror(err), r.x[8],
                r.x[0], r.pc, L4_SYS_NOTIFY_WAIT, NTF, (l4_word_t)wait_svc_after);
    l4_thread_destroy(WORKER);
    l4_cap_destroy(NTF);
}

/*
 * <coffer/regs.h>: a pstate bit outside L4_PSTATE_USER is refused (EINVAL), every one of them,
 * not only those A64REG tries (BTYPE, SSBS, IL, PAN, UAO, DIT, TCO, and the bits above 32);
 * NZCV, each and together, is taken and read back.
 */
static void pstate_bits(void)
{
    static const uint64_t other[] = {1ull << 10, 1ull << 12, 1ull << 20, 1ull << 22, 1ull << 23,
                                     1ull << 24, 1ull << 25, 1ull << 32, 1ull << 63};
    l4_word_t tid, bad = 0;
    struct l4_regs r = {0}, w, back = {0};

    l4_err_t err = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), SPACE, 100, FRESH, &tid);
    if (!err)
        err = l4_thread_regs(FRESH, L4_REGS_GET, NULL, &r);
    for (unsigned i = 0; i < sizeof other / sizeof other[0]; i++) {
        w = r;
        w.pstate |= other[i];
        if (l4_thread_regs(FRESH, L4_REGS_SET, &w, NULL) != L4_EINVAL)
            bad |= other[i];
    }
    test_report("A64DOC-036", !err && !bad, "%s; pstate bits %lx taken", l4_strerror(err), bad);
    for (l4_word_t nzcv = 0; nzcv < 16 && !err; nzcv++) {
        w = r;
        w.pstate = nzcv << 28;
        err = l4_thread_regs(FRESH, L4_REGS_SET, &w, NULL);
        if (!err)
            err = l4_thread_regs(FRESH, L4_REGS_GET, NULL, &back);
        if (!err && back.pstate != w.pstate)
            err = L4_EINVAL;
    }
    test_report("A64DOC-037", !err, "NZCV written and read back: %s (pstate %lx)", l4_strerror(err),
                back.pstate);
    l4_thread_destroy(FRESH);
}

/* A pc above x86_64's top of user space is a user address on AArch64. */
static void high_pc(void)
{
    l4_word_t tid;
    struct l4_regs r = {0};

    l4_err_t err = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), SPACE, 100, FRESH, &tid);
    if (!err)
        err = l4_thread_regs(FRESH, L4_REGS_GET, NULL, &r);
    r.pc = 0x800000000000ull;
    r.sp = 0xfffffffff000ull;
    if (!err)
        err = l4_thread_regs(FRESH, L4_REGS_SET, &r, NULL);
    test_report("A64DOC-025", err == L4_OK, "pc %lx, sp %lx: %s", r.pc, r.sp, l4_strerror(err));
    l4_thread_destroy(FRESH);
}

/*
 * docs/performance.md "AArch64", under -icount shift=0 (test A64DOC-ICOUNT): one tick of
 * PMCCNTR_EL0 a guest instruction at EL0, so a straight run of 1,000 ADDs between two of the
 * bench's reads (isb; mrs; isb: tsc.h) reads 1,003, the read costing 3. The least of a few
 * runs: a timer tick inside one would add the kernel's instructions (PMCCFILTR_EL0 0).
 */
static void icount(void)
{
    l4_word_t least = ~0ul;

    for (int i = 0; i < 8; i++) {
        l4_word_t a, b;
        __asm__ volatile("isb\n    mrs %0, pmccntr_el0\n    isb\n"
                         "    .rept 1000\n    add x9, x9, #1\n    .endr\n"
                         "    isb\n    mrs %1, pmccntr_el0\n    isb"
                         : "=&r"(a), "=r"(b)::"x9");
        least = b - a < least ? b - a : least;
    }
    test_report("A64DOC-040", least == 1003, "1,000 ADDs between two reads read %lu, not 1003",
                least);
}

int main(const char *arg)
{
    if (strcmp(arg, "icount") == 0) {
        icount();
        printf("a64doc: done\n");
        return 0;
    }
    counters();
    el0_limits();
    code_in_another_space();
    top_of_user_space();
    device_skipped();
    high_pages();
    tls_bounds();
    regs_round_trip();
    high_pc();
    pstate_bits();
    no_semihosting();
    svc_immediate();
    regs_in_a_call();
    printf("a64doc: done\n");
    return 0;
}
