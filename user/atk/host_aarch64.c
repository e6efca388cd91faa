/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A64ATK-001, A64ATK-002 (AArch64 only): a container's way out of the machine. The kernel
 * halts QEMU through semihosting (HLT #0xF000, kernel/arch/aarch64/cpu.c), and QEMU runs
 * with -semihosting; were the call taken from EL0 too, any container could stop the machine
 * (SYS_EXIT_EXTENDED) or reach the host's console and files (SYS_WRITE0, SYS_OPEN). QEMU takes
 * it from EL1 only unless given -semihosting-config userspace=on, which the scripts never
 * give (docs/aarch64.md, "Halting"): from EL0 it is an undefined instruction, fault 6, which
 * stops the thread and nothing else. Each call runs in a thread of ours whose faults come to
 * an endpoint we read, so that we see the fault's vector and ip.
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

/* hlt #0xf000 with x0 = op, x1 = arg; hostcall_at labels the HLT (the fault's ip) */
__asm__(".text\n"
        ".globl hostcall, hostcall_at\n"
        "hostcall:\n"
        "        mov x1, x0\n"
        "        ldr x0, [x1], #8\n"
        "        ldr x1, [x1]\n"
        "hostcall_at:\n"
        "        hlt #0xf000\n"
        "        udf #0\n");
long hostcall(l4_word_t req);
extern char hostcall_at[];

/* Run the call {op, arg} in a thread of ours; the fault it took: its vector, or ~0 for none. */
static l4_word_t try_call(const l4_word_t req[2], l4_word_t *ip)
{
    l4_word_t tag = 0, vector = ~0ull, addr = 0, at = 0, error = 0;
    l4_err_t err = spawn(POOL_THR, SPACE, hostcall, (l4_word_t)req, 100, THR, false);

    if (!err)
        err = l4_thread_configure(THR, L4_THREAD_FAULT_EP, EP);
    if (!err)
        err = l4_thread_start(THR);
    for (unsigned i = 0; !err && i < 100; i++) {
        l4_thread_yield(); // it runs, and faults (or the machine ends)
        err = l4_ipc_recv(EP, L4_IPC_NONBLOCK, &tag, &vector, &addr, &at, &error, NULL);
        if (err != L4_ETIMEOUT)
            break;
        err = L4_OK;
    }
    if (err || L4_TAG_LABEL(tag) != L4_LABEL_FAULT) {
        printf("hostcall: no fault message: %s\n", l4_strerror(err));
        vector = ~0ull;
    } else {
        l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); // not resumed: it stops
    }
    l4_thread_destroy(THR);
    *ip = at;
    return vector;
}

int role_hostcall(void)
{
    static l4_word_t write_req[2], exit_req[2];
    l4_word_t ip = 0;

    l4_endpoint_create(POOL_EP, EP, NULL);
    write_req[0] = SYS_WRITE0, write_req[1] = (l4_word_t)marker;
    l4_word_t v = try_call(write_req, &ip);
    test_report("A64ATK-001", v == FAULT_INVALID && ip == (l4_word_t)hostcall_at,
                "semihosting's SYS_WRITE0 from EL0: fault %ld at %lx (the HLT is at %p)", (long)v,
                ip, hostcall_at);
    exit_req[0] = SYS_EXIT_EXTENDED, exit_req[1] = (l4_word_t)exit_block;
    v = try_call(exit_req, &ip); // were it taken, the machine would end here with code 9
    test_report("A64ATK-002", v == FAULT_INVALID && ip == (l4_word_t)hostcall_at,
                "semihosting's SYS_EXIT_EXTENDED from EL0: fault %ld at %lx (the HLT is at %p)",
                (long)v, ip, hostcall_at);
    l4_cap_destroy(EP);
    printf("hostcall: done\n");
    return 0;
}
#endif
