/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread system calls. */
#include "printk.h"
#include "sched.h"
#include "sys_handlers.h"
#include "thread.h"

l4_err_t sys_thread_exit(l4_word_t code)
{
    thread_kill(sched_current(), code);
    schedule();
    panic("an exited thread was scheduled again");
}
