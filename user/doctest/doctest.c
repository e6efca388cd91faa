/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What docs/user-library.md and docs/syscalls.md promise a program, written from those pages
 * alone (test DOCS-001..003, tests/qemu/systems/doctest*.toml):
 *   "lib"     printf, malloc/free, l4_thread_spawn, console_printf, mem_map of the region, and
 *             where a global, a local, a malloc'd block and the args string lie;
 *   "monitor" container_usage and container_name, and each of their documented errors;
 *   "idle"    yield a while (what "monitor" inspects);
 *   "null", "deep", "div": fault on purpose (a NULL read, a stack overflow, a division by 0).
 */
#include "l4.h"
#include "test.h"

#include <coffer/cap.h>
#include <coffer/error.h>
#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/mem.h>
#include <string.h>

#define CONSOLE  16 /* endpoint capability to the console server (doctest.toml) */
#define SPAWNED  20 /* empty slot for the spawned thread's capability */
#define MAP_AT   0x40000000ul
#define STACK_LO 0x7fffffef0000ul
#define STACK_HI 0x7ffffff00000ul

static int global_var = 42;
static volatile int spawned_ran;

static void check(const char *id, int ok, const char *what)
{
    test_report(id, ok, "%s", what);
}

static long spawned(l4_word_t arg)
{
    spawned_ran = (int)arg;
    printf("doctest: spawned thread got %lu\n", (unsigned long)arg);
    return 7;
}

static int lib(void)
{
    int local = 1;
    char *block = malloc(100);
    char *second = malloc(1);

    printf("doctest: global %p local %p malloc %p\n", (void *)&global_var, (void *)&local,
           (void *)block);
    check("DOCLIB-001", 1, "printf prints");
    /* the program and its .bss (the malloc arena) from 0x400000, below the stack's guard */
    check("DOCLIB-002",
          (l4_word_t)&global_var >= 0x400000 && (l4_word_t)&global_var < STACK_LO - 0x10000,
          "a global lies in the program, from 0x400000");
    check("DOCLIB-003", (l4_word_t)&local >= STACK_LO && (l4_word_t)&local < STACK_HI,
          "a local lies in the 64 KiB stack below 0x7ffffff00000");
    check("DOCLIB-004",
          block && second && (l4_word_t)block >= 0x400000 &&
              (l4_word_t)block < STACK_LO - 0x10000 && ((l4_word_t)block & 15) == 0 &&
              ((l4_word_t)second & 15) == 0,
          "malloc gives 16-byte-aligned blocks from the arena in .bss");
    check("DOCLIB-005", malloc(0) == NULL && malloc(257 * 1024) == NULL,
          "malloc(0) and sizes above the arena are NULL");
    free(block);
    char *again = malloc(100);
    check("DOCLIB-006", again == block, "a freed block is handed out again (first fit)");
    free(again);
    free(second);

    l4_err_t e = l4_thread_spawn(spawned, 5, 100, SPAWNED);
    for (int i = 0; i < 100 && !spawned_ran; i++)
        l4_thread_yield();
    check("DOCLIB-007", e == L4_OK && spawned_ran == 5, "l4_thread_spawn runs fn(arg)");

    int n = console_printf(CONSOLE, "doctest: through the console, %d + %d = %d\n", 2, 3, 5);
    check("DOCLIB-008", n > 0, "console_printf prints through the console server");

    volatile l4_word_t *page = (volatile l4_word_t *)MAP_AT;
    e = l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, MAP_AT, L4_MAP_READ | L4_MAP_WRITE);
    if (e == L4_OK) {
        page[0] = 0x1234;
        page[511] = page[0] + 1;
    }
    check("DOCLIB-009", e == L4_OK && page[511] == 0x1235,
          "page 0 of the region maps at 0x40000000, read-write");
    e = l4_mem_map(L4_SLOT_MEMORY, 0x1000, L4_SLOT_SPACE, STACK_HI, L4_MAP_READ | L4_MAP_WRITE);
    check("DOCLIB-010", e == L4_OK, "0x7ffffff00000 above the stack is free");
    e = l4_mem_map(L4_SLOT_MEMORY, 0x2000, L4_SLOT_SPACE, L4_USER_TOP, L4_MAP_READ);
    check("DOCLIB-011", e == L4_ERANGE, "mem_map refuses L4_USER_TOP with ERANGE");

    /* stop the console server (label 2), so that the system ends */
    l4_word_t tag, m0, m1, m2, m3, badge;
    e = l4_ipc_call(CONSOLE, L4_TAG(2, 0, 0), 0, 0, 0, 0, &tag, &m0, &m1, &m2, &m3, &badge);
    check("DOCLIB-012", e == L4_OK, "label 2 stops the console server");
    return 0;
}

#define TARGET       16 /* container capability with inspect (monitor's system file) */
#define CONTROL_ONLY 17 /* container capability without inspect */
#define ENDPOINT     18 /* an endpoint capability: not a container */
#define EMPTY        19

static int monitor(void)
{
    l4_word_t used, total, n0, n1;
    char name[17];
    int ok = 1;

    for (l4_word_t what = 0; what < L4_USAGE_COUNT; what++) {
        l4_err_t e = l4_container_usage(TARGET, what, &used, &total);
        printf("doctest: usage %lu: %s %lu/%lu\n", (unsigned long)what, l4_strerror(e),
               (unsigned long)used, (unsigned long)total);
        if (e != L4_OK || used > total)
            ok = 0;
        if (what == L4_POOL_THREADS && total != 3)
            ok = 0;
        if (what == L4_USAGE_MEMORY && total != 1024 * 1024)
            ok = 0;
    }
    check("DOCUSE-001", ok, "container_usage reads every kind, used <= total as given");
    check("DOCUSE-002",
          l4_container_usage(L4_SLOT_CONTAINER, L4_USAGE_WAITING, &used, &total) == L4_OK &&
              total == 1 && used == 0,
          "slot 0 is the caller's own container: one thread, running");
    check("DOCUSE-003",
          l4_container_usage(TARGET, L4_USAGE_COUNT, &used, &total) == L4_EINVAL &&
              l4_container_usage(TARGET, ~0ul, &used, &total) == L4_EINVAL,
          "what out of range is EINVAL");
    check("DOCUSE-004",
          l4_container_usage(CONTROL_ONLY, L4_POOL_THREADS, &used, &total) == L4_ERIGHTS,
          "no inspect right is ERIGHTS");
    check("DOCUSE-005",
          l4_container_usage(ENDPOINT, L4_POOL_THREADS, &used, &total) == L4_ECAP &&
              l4_container_usage(EMPTY, L4_POOL_THREADS, &used, &total) == L4_ECAP &&
              l4_container_usage(100000, L4_POOL_THREADS, &used, &total) == L4_ECAP,
          "an endpoint, an empty slot and a slot past the table are ECAP");

    l4_err_t e = l4_container_name(TARGET, &n0, &n1);
    memcpy(name, &n0, 8);
    memcpy(name + 8, &n1, 8);
    name[16] = 0;
    printf("doctest: name '%s'\n", name);
    check("DOCNAME-001", e == L4_OK && strcmp(name, "fifteen-bytes-x") == 0 && name[15] == 0,
          "container_name gives the system file's name, NUL-padded");
    e = l4_container_name(L4_SLOT_CONTAINER, &n0, &n1);
    memcpy(name, &n0, 8);
    memcpy(name + 8, &n1, 8);
    check("DOCNAME-002", e == L4_OK && strcmp(name, "mon") == 0 && n1 == 0,
          "slot 0 names the caller");
    check("DOCNAME-003", l4_container_name(CONTROL_ONLY, &n0, &n1) == L4_ERIGHTS,
          "no inspect right is ERIGHTS");
    check("DOCNAME-004",
          l4_container_name(ENDPOINT, &n0, &n1) == L4_ECAP &&
              l4_container_name(EMPTY, &n0, &n1) == L4_ECAP,
          "an endpoint and an empty slot are ECAP");
    return 0;
}

static int __attribute__((noinline)) null_read(volatile int *p)
{
    return *p;
}

static volatile int depth_limit = 1 << 30; /* never reached: the stack ends first */

static int __attribute__((noinline)) recurse(int depth)
{
    volatile char buf[512];
    buf[0] = (char)depth;
    if (depth >= depth_limit)
        return 0;
    return recurse(depth + 1) + buf[0];
}

static int __attribute__((noinline)) divide(volatile int a, volatile int b)
{
    return a / b;
}

int main(const char *arg)
{
    if (strcmp(arg, "lib") == 0)
        return lib();
    if (strcmp(arg, "monitor") == 0)
        return monitor();
    if (strcmp(arg, "null") == 0)
        return null_read(NULL);
    if (strcmp(arg, "deep") == 0)
        return recurse(0);
    if (strcmp(arg, "div") == 0)
        return divide(1, 0);
    if (strcmp(arg, "idle") == 0) {
        for (int i = 0; i < 50; i++)
            l4_thread_yield();
        return 0;
    }
    printf("doctest: unknown argument '%s'\n", arg);
    return 1;
}
