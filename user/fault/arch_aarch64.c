/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * user/fault's AArch64 exceptions (built for AArch64 only): undefined instructions, system
 * registers EL0 may not reach, BRK, and the alignment checks of an exclusive load and of the
 * pc, each in the kernel's numbering (kernel/arch/aarch64/trap.c). The stack pointer's check
 * (SCTLR_EL1.SA0) is not tested: QEMU's TCG does not make it, so such a test could not fail.
 */
#ifdef __aarch64__
#include "arch.h"
#include "test.h"

#define FAULT_INVALID 6
#define FAULT_ALIGN   17

/* RAM's start in the kernel's direct map (docs/aarch64.md): mapped, EL1's alone */
const l4_word_t arch_kernel_addr = 0xffff000040000000ull;

/* Thread bodies whose faulting instruction has a label (messages.c checks the ip). */
__asm__(".text\n"
        ".globl arch_invalid_insn, arch_invalid_insn_at\n"
        "arch_invalid_insn:\n"
        "arch_invalid_insn_at:\n"
        "    udf #0\n"
        ".globl arch_breakpoint, arch_breakpoint_at, arch_breakpoint_after\n"
        "arch_breakpoint:\n"
        "arch_breakpoint_at:\n"
        "    brk #0\n"
        "arch_breakpoint_after:\n"
        "    add x0, x0, #1\n"
        "    ret\n"
        "a64_sysreg:\n"
        "a64_sysreg_at:\n"
        "    mrs x0, sctlr_el1\n" // EL1's: an EL0 access traps (EC 0x18)
        "    ret\n"
        "a64_hvc:\n"
        "a64_hvc_at:\n"
        "    hvc #0\n" // undefined at EL0 (EC 0)
        "    ret\n"
        "a64_exclusive:\n"
        "a64_exclusive_at:\n"
        "    ldxr x0, [x0]\n" // x0 misaligned: exclusives are always alignment-checked
        "    ret\n"
        "a64_branch:\n"
        "a64_branch_at:\n"
        "    br x0\n"); // to x0, not a multiple of 4: the fetch there is a PC alignment fault

long a64_sysreg(l4_word_t), a64_hvc(l4_word_t), a64_exclusive(l4_word_t), a64_branch(l4_word_t);
extern const char a64_sysreg_at[], a64_hvc_at[], a64_exclusive_at[], a64_branch_at[];

static l4_word_t words[2];

static void undefined(void)
{
    arch_invalid_insn(0);
}

static void sysreg(void)
{
    a64_sysreg(0);
}

static void breakpoint(void)
{
    arch_breakpoint(0);
}

static void misaligned_exclusive(void)
{
    a64_exclusive((l4_word_t)words + 1);
}

static void misaligned_pc(void)
{
    a64_branch((l4_word_t)undefined + 2);
}

const struct fault_kind arch_faults[] = {
    {"ud", undefined},     {"sys", sysreg}, {"bp", breakpoint}, {"al", misaligned_exclusive},
    {"pc", misaligned_pc},
};
const unsigned arch_faults_count = sizeof(arch_faults) / sizeof(arch_faults[0]);

/* Its message: vector, address and ip as wanted, the error 0. */
static void exception(const char *id, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t vector,
                      l4_word_t addr, l4_word_t ip)
{
    struct fault_msg m = take_fault(fn, arg);

    test_report(id,
                m.label == L4_LABEL_FAULT && m.vector == vector && m.addr == addr && m.ip == ip &&
                    m.error == 0,
                "label %lx vector %lu address %lx ip %lx error %lx, wanted vector %lu address "
                "%lx ip %lx",
                m.label, m.vector, m.addr, m.ip, m.error, vector, addr, ip);
    stop_fault();
}

void arch_message_tests(void)
{
    const l4_word_t odd_word = (l4_word_t)words + 1, odd_pc = (l4_word_t)undefined + 2;

    exception("A64FAULT-001", a64_sysreg, 0, FAULT_INVALID, (l4_word_t)a64_sysreg_at,
              (l4_word_t)a64_sysreg_at);
    exception("A64FAULT-002", a64_hvc, 0, FAULT_INVALID, (l4_word_t)a64_hvc_at,
              (l4_word_t)a64_hvc_at);
    exception("A64FAULT-003", a64_exclusive, odd_word, FAULT_ALIGN, odd_word,
              (l4_word_t)a64_exclusive_at);
    exception("A64FAULT-004", a64_branch, odd_pc, FAULT_ALIGN, odd_pc, odd_pc);
}
#endif
