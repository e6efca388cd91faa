/* SPDX-License-Identifier: BSD-2-Clause */
/* The closed set of error codes every Coffer system call returns in its error register
 * (rax on x86_64, x8 on AArch64: <coffer/syscall_raw.h>). */
#ifndef COFFER_ERROR_H
#define COFFER_ERROR_H

/*
 * Keep this list short and closed: a new failure mode maps onto one of these,
 * and the syscall table documents which ones each call can return.
 */
enum l4_error {
    L4_OK = 0,
    L4_EINVAL = 1,   /* an argument is malformed or out of its documented range */
    L4_ECAP = 2,     /* capability slot empty, out of range or of the wrong type */
    L4_ERIGHTS = 3,  /* capability lacks a right the call needs */
    L4_ENOMEM = 4,   /* the caller's pool (or kernel memory) is exhausted */
    L4_ESTATE = 5,   /* object is in a state where the call makes no sense */
    L4_EFAULT = 6,   /* a user buffer is not mapped or not accessible */
    L4_ERANGE = 7,   /* a value exceeds a limit (priority ceiling, length, ...) */
    L4_ENOSYS = 8,   /* no such system call */
    L4_EBUSY = 9,    /* resource already in use */
    L4_ETIMEOUT = 10 /* a non-blocking operation found no partner */
};

#define L4_ERROR_COUNT 11

#endif
