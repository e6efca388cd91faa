/* SPDX-License-Identifier: BSD-2-Clause */
/* user/fault's x86_64 exceptions: opcodes, privilege, gates and divide (built for x86_64 only). */
#ifdef __x86_64__
#include "arch.h"
#include "test.h"

const l4_word_t arch_kernel_addr = 0xffffffff80100000ull; // the kernel image

static void invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

static void privileged(void)
{
    __asm__ volatile("hlt");
}

static void kernel_int(void)
{
    __asm__ volatile("int $0x80"); // gate is DPL 0: #GP
}

static void breakpoint(void)
{
    __asm__ volatile("int3");
}

static void divide(void)
{
    /* in asm: the compiler may turn a C division by a variable into a comparison */
    __asm__ volatile("xor %%edx, %%edx; mov $1, %%eax; xor %%ecx, %%ecx; div %%ecx"
                     :
                     :
                     : "rax", "rcx", "rdx");
}

const struct fault_kind arch_faults[] = {
    {"ud", invalid_opcode}, {"gp", privileged}, {"int", kernel_int},
    {"bp", breakpoint},     {"de", divide},
};
const unsigned arch_faults_count = sizeof(arch_faults) / sizeof(arch_faults[0]);

/* Thread bodies whose faulting instruction has a label (messages.c checks the ip). */
__asm__(".text\n"
        ".globl arch_invalid_insn, arch_invalid_insn_at\n"
        "arch_invalid_insn:\n"
        "arch_invalid_insn_at:\n"
        "    ud2\n"
        ".globl arch_breakpoint, arch_breakpoint_at, arch_breakpoint_after\n"
        "arch_breakpoint:\n"
        "    mov %rdi, %rax\n"
        "arch_breakpoint_at:\n"
        "    int3\n"
        "arch_breakpoint_after:\n"
        "    inc %rax\n"
        "    ret\n"
        ".globl arch_privileged, arch_privileged_at\n"
        "arch_privileged:\n"
        "arch_privileged_at:\n"
        "    hlt\n"
        ".globl arch_kernel_int, arch_kernel_int_at\n"
        "arch_kernel_int:\n"
        "arch_kernel_int_at:\n"
        "    int $0x80\n"
        ".globl arch_divide, arch_divide_at\n"
        "arch_divide:\n"
        "    xor %edx, %edx\n"
        "    mov $1, %eax\n"
        "    xor %ecx, %ecx\n"
        "arch_divide_at:\n"
        "    div %ecx\n"
        "    ret\n");

long arch_privileged(l4_word_t arg), arch_kernel_int(l4_word_t arg), arch_divide(l4_word_t arg);
extern const char arch_privileged_at[], arch_kernel_int_at[], arch_divide_at[];

/* Its message: the vector and error wanted, the ip at the instruction. */
static void exception(const char *id, long (*fn)(l4_word_t), const char *at, l4_word_t vector,
                      l4_word_t error)
{
    struct fault_msg m = take_fault(fn, 0);

    test_report(id,
                m.label == L4_LABEL_FAULT && m.vector == vector && m.error == error &&
                    m.ip == (l4_word_t)at,
                "label %lx vector %lu error %lx ip %lx, wanted vector %lu error %lx at %lx",
                m.label, m.vector, m.error, m.ip, vector, error, (l4_word_t)at);
    stop_fault();
}

void arch_message_tests(void)
{
    exception("FAULT-012", arch_privileged, arch_privileged_at, 13, 0); // hlt: #GP(0)
    /* int $0x80 through a DPL-0 gate: #GP with the gate's IDT index in the error code */
    exception("FAULT-013", arch_kernel_int, arch_kernel_int_at, 13, 0x80 * 16 + 2);
    exception("FAULT-014", arch_divide, arch_divide_at, 0, 0); // #DE
}
#endif
