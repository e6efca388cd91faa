/* SPDX-License-Identifier: BSD-2-Clause */
/* Faults on purpose, in the way its argument names: the kernel must report it and carry on;
 * "msgs": the fault messages a handler gets (messages.c). */
#include "arch.h"
#include "l4.h"

#include <coffer/thread.h>

/* Zero, but the compiler cannot know it, so it emits a real load rather than a trap. */
static volatile int *volatile nowhere;
static volatile unsigned depth_limit; // 0: recurse until the stack runs out

static void null_read(void)
{
    (void)*nowhere;
}

/* 512-byte frames: the 64 KiB stack runs out after some 120 calls, in its guard below. */
static unsigned recurse(unsigned depth)
{
    volatile char frame[512];

    frame[0] = (char)depth;
    if (depth_limit && depth >= depth_limit)
        return depth;
    return recurse(depth + 1) + frame[0];
}

static void stack_overflow(void)
{
    recurse(0);
}

static void page_fault_write(void)
{
    *(volatile int *)0xdead000 = 42;
}

static void page_fault_exec(void)
{
    void (*fn)(void) = (void (*)(void))0x7000000;
    fn();
}

/* A write to our own code page: mapped, but read-only. */
static void write_to_text(void)
{
    *(volatile char *)(void *)page_fault_write = 0;
}

static void kernel_read(void)
{
    (void)*(volatile long *)arch_kernel_addr; // supervisor-only
}

/*
 * A thread in a new, empty space of this container jumps to an address in the range that
 * is the stack guard in a space the loader filled: nothing is a stack there, so the fault
 * is an instruction fetch from an unmapped address and must not be called a stack overflow.
 */
static void guard_range_in_new_space(void)
{
    const l4_cap_t space = L4_SLOT_FIRST_FREE, thread = L4_SLOT_FIRST_FREE + 1;
    const l4_word_t ip = 0x7fffffee8000; // USER_STACK_BASE - USER_STACK_GUARD + 0x8000
    l4_word_t id;

    if (l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), space,
                        &id) ||
        l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), space, 100, thread, &id) ||
        l4_thread_exregs(thread, L4_EXREGS_ALL, ip, ip + 0x1000, 0, NULL, NULL) ||
        l4_thread_start(thread)) {
        printf("fault: could not start the thread in a new space\n");
        return;
    }
    l4_exit(0); // the other thread faults; this one is done
}

static const struct fault_kind faults[] = {
    {"pf", page_fault_write},
    {"nx", page_fault_exec},
    {"ro", write_to_text},
    {"null", null_read},
    {"kr", kernel_read},
    {"stack", stack_overflow},
    {"space", guard_range_in_new_space},
};

static int fault(const struct fault_kind *f)
{
    printf("fault: about to fault (%s)\n", f->name);
    f->fn();
    printf("fault: still running after the fault - this must not happen\n");
    return 1;
}

int main(const char *arg)
{
    if (strcmp(arg, "msgs") == 0) {
        message_tests();
        return 0;
    }
    for (unsigned i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
        if (strcmp(arg, faults[i].name) == 0)
            return fault(&faults[i]);
    }
    for (unsigned i = 0; i < arch_faults_count; i++) {
        if (strcmp(arg, arch_faults[i].name) == 0)
            return fault(&arch_faults[i]);
    }
    printf("fault: unknown fault '%s'\n", arg);
    return 2;
}
