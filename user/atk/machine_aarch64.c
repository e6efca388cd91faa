/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A64ATK-001..006 (AArch64 only): the machine's shared state, from EL0. Each attack runs in
 * a thread of ours whose faults come to an endpoint we read, and must be an undefined
 * instruction (fault 6) at the attacking instruction, which stops that thread and changes
 * nothing; after it, each body does what would hurt most had it worked (hang, or a second,
 * different fault), so the ip tells the two apart.
 *
 *  A64ATK-001, 002  semihosting (HLT #0xF000): the kernel halts QEMU through it, and QEMU runs
 *                   with -semihosting; taken from EL0 too, any container could print on the
 *                   host's console (SYS_WRITE0) or end the machine (SYS_EXIT_EXTENDED). QEMU
 *                   takes it from EL1 only unless given -semihosting-config userspace=on,
 *                   which the scripts never give (docs/aarch64.md, "Halting").
 *  A64ATK-003       masking interrupts (MSR DAIFSet): with SCTLR_EL1.UMA a thread could mask
 *                   the scheduler's tick and spin for ever; the body spins if it is not refused.
 *  A64ATK-004, 005  the PMU: stopping every counter (PMCR_EL0) or resetting the cycle counter
 *                   others time with (PMCCNTR_EL0); PMUSERENR_EL0 lets EL0 read it, no more.
 *  A64ATK-006       the scheduler's tick, CNTV: disabling it (CNTV_CTL_EL0) would stop
 *                   preemption for everyone; CNTKCTL_EL1 keeps EL0 from every timer.
 *  A64ATK-007       the debug communications channel (DBGDTRTX_EL0), a way to an external
 *                   debugger: MDSCR_EL1.TDCC traps it.
 */
#ifdef __aarch64__
#include "atk.h"

#define SYS_WRITE0         0x04 /* print the string at x1 on the host's console */
#define SYS_EXIT_EXTENDED  0x20 /* end the machine: x1 points at {reason, code} */
#define ADP_APPLICATION_EX 0x20026
#define FAULT_INVALID      6
#define EP                 20
#define THR                21

static const char marker[] = "A64ATK: the host printed this for a container\n";
static const l4_word_t exit_block[2] = {ADP_APPLICATION_EX, 0x20 + 9};

/* Thread bodies; each *_at labels the attacking instruction (the fault's ip). */
__asm__(".text\n"
        ".globl a64_hostcall, a64_hostcall_at\n"
        "a64_hostcall:\n" // x0 points at {op, arg}: hlt #0xf000 with x0 = op, x1 = arg
        "        mov x1, x0\n"
        "        ldr x0, [x1], #8\n"
        "        ldr x1, [x1]\n"
        "a64_hostcall_at:\n"
        "        hlt #0xf000\n"
        "        udf #1\n"
        ".globl a64_daif, a64_daif_at\n"
        "a64_daif:\n"
        "a64_daif_at:\n"
        "        msr daifset, #0xf\n"
        "        b .\n" // with every interrupt masked: the machine would hang here
        ".globl a64_pmcr, a64_pmcr_at\n"
        "a64_pmcr:\n"
        "a64_pmcr_at:\n"
        "        msr pmcr_el0, xzr\n"
        "        udf #1\n"
        ".globl a64_pmccntr, a64_pmccntr_at\n"
        "a64_pmccntr:\n"
        "a64_pmccntr_at:\n"
        "        msr pmccntr_el0, xzr\n"
        "        udf #1\n"
        ".globl a64_cntv, a64_cntv_at\n"
        "a64_cntv:\n"
        "a64_cntv_at:\n"
        "        msr cntv_ctl_el0, xzr\n"
        "        b .\n" // no tick: nothing would preempt this loop
        ".globl a64_dcc, a64_dcc_at\n"
        "a64_dcc:\n"
        "a64_dcc_at:\n"
        "        msr dbgdtrtx_el0, x0\n"
        "        udf #1\n");
long a64_hostcall(l4_word_t), a64_daif(l4_word_t), a64_pmcr(l4_word_t), a64_pmccntr(l4_word_t),
    a64_cntv(l4_word_t), a64_dcc(l4_word_t);
extern char a64_hostcall_at[], a64_daif_at[], a64_pmcr_at[], a64_pmccntr_at[], a64_cntv_at[],
    a64_dcc_at[];

/* Run fn(arg) in a thread of ours; the fault it took: its vector (~0 for none) and ip. */
static l4_word_t fault_of(long (*fn)(l4_word_t), l4_word_t arg, l4_word_t *ip)
{
    l4_word_t tag = 0, vector = ~0ull, addr = 0, at = 0, error = 0;
    l4_err_t err = spawn(POOL_THR, SPACE, fn, arg, 100, THR, false);

    if (!err)
        err = l4_thread_configure(THR, L4_THREAD_FAULT_EP, EP);
    if (!err)
        err = l4_thread_start(THR);
    for (unsigned i = 0; !err && i < 100; i++) {
        l4_thread_yield(); // it runs, and faults (or does what it tried)
        err = l4_ipc_recv(EP, L4_IPC_NONBLOCK, &tag, &vector, &addr, &at, &error, NULL);
        if (err != L4_ETIMEOUT)
            break;
        err = L4_OK;
    }
    if (err || L4_TAG_LABEL(tag) != L4_LABEL_FAULT) {
        printf("machine: no fault message: %s\n", l4_strerror(err));
        vector = ~0ull;
    } else {
        l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); // not resumed: it stops
    }
    l4_thread_destroy(THR);
    *ip = at;
    return vector;
}

static void attack(const char *id, const char *what, long (*fn)(l4_word_t), l4_word_t arg,
                   const char *insn)
{
    l4_word_t ip = 0, v = fault_of(fn, arg, &ip);

    test_report(id, v == FAULT_INVALID && ip == (l4_word_t)insn,
                "%s from EL0: fault %ld at %lx (the instruction is at %p)", what, (long)v, ip,
                insn);
}

int role_machine(void)
{
    static l4_word_t write_req[2], exit_req[2];

    l4_endpoint_create(POOL_EP, EP, NULL);
    write_req[0] = SYS_WRITE0, write_req[1] = (l4_word_t)marker;
    attack("A64ATK-001", "semihosting's SYS_WRITE0", a64_hostcall, (l4_word_t)write_req,
           a64_hostcall_at);
    exit_req[0] = SYS_EXIT_EXTENDED, exit_req[1] = (l4_word_t)exit_block;
    attack("A64ATK-002", "semihosting's SYS_EXIT_EXTENDED", a64_hostcall, (l4_word_t)exit_req,
           a64_hostcall_at);
    attack("A64ATK-003", "msr daifset", a64_daif, 0, a64_daif_at);
    attack("A64ATK-004", "msr pmcr_el0", a64_pmcr, 0, a64_pmcr_at);
    attack("A64ATK-005", "msr pmccntr_el0", a64_pmccntr, 0, a64_pmccntr_at);
    attack("A64ATK-006", "msr cntv_ctl_el0", a64_cntv, 0, a64_cntv_at);
    attack("A64ATK-007", "msr dbgdtrtx_el0", a64_dcc, 0, a64_dcc_at);
    l4_cap_destroy(EP);
    printf("machine: done\n");
    return 0;
}
#endif
