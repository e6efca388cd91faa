/* SPDX-License-Identifier: BSD-2-Clause */
/* Futex system calls: wait while a 32-bit word of the caller's space holds a value, and wake. */
#include "caller.h"
#include "futex.h"
#include "space.h"
#include "sys_handlers.h"

/*
 * The word is 32 bits, 4-byte aligned (so it never straddles a page), at a
 * user address of the caller's own space. A kernel or non-canonical address
 * is out of range before any page table is looked at.
 */
static l4_err_t check_word(const char *call, l4_word_t addr)
{
    if (addr % sizeof(uint32_t)) {
        user_error("%s: address %lx is not 4-byte aligned\n", call, addr);
        return L4_EINVAL;
    }
    if (addr >= USER_TOP) {
        user_error("%s: address %lx is outside user space\n", call, addr);
        return L4_ERANGE;
    }
    return L4_OK;
}

/*
 * Reading the word and queueing the caller is one step: the kernel runs with
 * interrupts off on one CPU and is never preempted, so no user thread can
 * change the word, nor call futex_wake, between the comparison and the
 * enqueue. A waker that stored a new value first makes the comparison fail
 * (ESTATE); one that stores after finds the caller queued. No wake-up is lost.
 */
l4_err_t sys_futex_wait(l4_word_t addr, l4_word_t expected)
{
    struct tcb *self = caller();
    l4_err_t err = check_word("futex_wait", addr);

    if (err)
        return err;
    if (expected > UINT32_MAX) {
        user_error("futex_wait: expected value %lx does not fit the 32-bit word\n", expected);
        return L4_EINVAL;
    }
    /* looked up, never dereferenced through the user mapping: no kernel fault possible */
    const volatile uint32_t *word = space_kaddr(self->space, addr, MAP_READ);
    if (!word) {
        user_error("futex_wait: address %lx is not mapped readable\n", addr);
        return L4_EFAULT;
    }
    if (*word != expected)
        return L4_ESTATE; // an answer, not a mistake: the lock changed hands meanwhile
    futex_block(self, addr);
    return self->ipc_result;
}

l4_err_t sys_futex_wake(l4_word_t addr, l4_word_t n, l4_word_t *woken)
{
    l4_err_t err = check_word("futex_wake", addr);

    if (err)
        return err;
    *woken = futex_wake(caller()->space, addr, n);
    return L4_OK;
}
