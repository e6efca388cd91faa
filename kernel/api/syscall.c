/* SPDX-License-Identifier: BSD-2-Clause */
/* System call dispatch through the generated table. */
#include "syscall.h"

#include "printk.h"
#include "sched.h"
#include "sys_handlers.h"
#include "thread.h"

l4_err_t syscall_refused(l4_word_t nr)
{
    user_error("no system call %lu\n", nr);
    return L4_ENOSYS;
}

l4_err_t syscall_again(l4_word_t nr)
{
    arch_syscall_again(arch_frame_of(sched_current()->kstack));
    return (l4_err_t)nr;
}
