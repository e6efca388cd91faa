/* SPDX-License-Identifier: BSD-2-Clause */
/* The floor probe's hardware half: two spaces, ring-3 loops and system call entries of its own. */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_layout.h"
#include "arch_percpu.h"
#include "floor_layout.h"
#include "floor_probe.h"
#include "pmm.h"
#include "string.h"
#include "x86.h"

/*
 * Why this cannot be reached by a container: its entries (floor_null_entry,
 * floor_switch_entry, the IDT whose every gate is floor_exit) are in LSTAR and IDTR only
 * inside arch_floor_sample, which runs only with bench=floor on the kernel command line,
 * before any container exists, and puts the kernel's own back before it returns; in that
 * mode the kernel halts after the probe and never starts a container. The ring-3 code is
 * the kernel's own (floor.S), in spaces of its own.
 */

struct floor_thread {
    uint64_t rip, rflags, rsp, cr3;
    struct floor_thread *other;
};
_Static_assert(__builtin_offsetof(struct floor_thread, rip) == FT_RIP, "floor.S's layout");
_Static_assert(__builtin_offsetof(struct floor_thread, rflags) == FT_RFLAGS, "floor.S's layout");
_Static_assert(__builtin_offsetof(struct floor_thread, rsp) == FT_RSP, "floor.S's layout");
_Static_assert(__builtin_offsetof(struct floor_thread, cr3) == FT_CR3, "floor.S's layout");
_Static_assert(__builtin_offsetof(struct floor_thread, other) == FT_OTHER, "floor.S's layout");

extern struct floor_thread *floor_current; // floor.S
extern const char floor_user_start[], floor_user_end[], floor_user_timer[], floor_user_syscall[],
    floor_user_partner[];
void floor_null_entry(void);
void floor_switch_entry(void);
void floor_exit(void);
void floor_enter(uint64_t rip, uint64_t rdi, uint64_t rsi, uint64_t rsp);

#define CODE_VA 0x10000000ull /* the ring-3 code, in both spaces */
#define DATA_VA 0x10001000ull /* the samples (space A), the stack (both) */

struct idt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static struct floor_space space[2];
static uint64_t gates[256][2] __attribute__((aligned(16))); /* the probe's IDT */
static char trap_stack[1024] __attribute__((aligned(16)));  /* floor_exit drops what lands here */

/* The spaces and the IDT, made once (the kernel halts after the probe: nothing is freed). */
static bool prepare(void)
{
    static int ready; // 0: not yet, 1: done, -1: failed
    uint64_t exit = (uint64_t)floor_exit;

    if (ready)
        return ready > 0;
    ready = -1;
    if (!floor_spaces_make(floor_user_start, floor_user_end, CODE_VA, DATA_VA, space))
        return false;
    for (unsigned v = 0; v < 256; v++) { // interrupt gates, DPL 3: int $n from ring 3 too
        gates[v][0] = (exit & 0xffff) | (uint64_t)SEL_KCODE << 16 | 0xeeull << 40 |
                      (exit >> 16 & 0xffff) << 48;
        gates[v][1] = exit >> 32;
    }
    ready = 1;
    return true;
}

static uint64_t user_va(const char *label)
{
    return CODE_VA + (uint64_t)(label - floor_user_start);
}

bool arch_floor_sample(enum floor_what what, uint64_t *ticks, unsigned n)
{
    struct idt_ptr kernel_idt, probe_idt = {sizeof(gates) - 1, (uint64_t)gates};
    struct floor_thread a = {.cr3 = space[0].root, .other = NULL};
    struct floor_thread b = {.rip = user_va(floor_user_partner),
                             .rflags = FLOOR_RFLAGS,
                             .rsp = DATA_VA + PAGE_SIZE,
                             .cr3 = space[1].root,
                             .other = &a};

    if (n == 0 || n >= PAGE_SIZE / sizeof(uint64_t) || !prepare())
        return false;
    uint64_t *samples = phys_to_virt(space[0].data);
    a.other = &b;
    floor_current = &a;
    samples[n] = 0;
    uint64_t lstar = rdmsr(MSR_LSTAR);
    wrmsr(MSR_LSTAR, (uint64_t)(what == FLOOR_SWITCH ? floor_switch_entry : floor_null_entry));
    __asm__ volatile("sidt %0" : "=m"(kernel_idt));
    __asm__ volatile("lidt %0" : : "m"(probe_idt));
    arch_set_kernel_stack(trap_stack + sizeof(trap_stack));
    percpu_write_cr3(space[0].root);
    floor_enter(user_va(what == FLOOR_EMPTY ? floor_user_timer : floor_user_syscall), DATA_VA, n,
                DATA_VA + PAGE_SIZE);
    /* the probe's own switches write CR3 behind the per-CPU cache (which the IPC fastpath
     * trusts): make it true again before going back to the kernel's tables */
    percpu_write_cr3(read_cr3());
    arch_pt_activate(0);
    __asm__ volatile("lidt %0" : : "m"(kernel_idt));
    wrmsr(MSR_LSTAR, lstar);
    if (samples[n] != FLOOR_DONE)
        return false; // it faulted on the way: whatever it wrote is no sample
    memcpy(ticks, samples, n * sizeof(uint64_t));
    return true;
}
