/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which Linux system calls the server serves: one list per part of the server, each kept by
 * its part. syscall_table.c makes the table from them; linux.h declares every handler.
 */
#ifndef LINUX_SYSCALL_LIST_H
#define LINUX_SYSCALL_LIST_H

/* processes, memory, time, futex and the rest (proc.c, mem.c, exec.c, misc.c) */
#define CORE_CALLS(X)                                                                              \
    X(getpid)                                                                                      \
    X(getppid)                                                                                     \
    X(gettid)                                                                                      \
    X(exit) X(exit_group) X(set_tid_address) X(arch_prctl) X(brk) X(mmap) X(munmap) X(mprotect)    \
        X(madvise) X(clone) X(fork) X(vfork) X(execve) X(wait4) X(waitid) X(getpgid) X(setpgid)    \
            X(getpgrp) X(setsid) X(getsid)

/* files, pipes, directories, poll (fs_*.c) */
#define FS_CALLS(X)

/* TEMPORARY: core_stub.c's stand-ins until the fs part lands */
#define STUB_CALLS(X) X(write) X(writev)

/* the terminal's own calls, if any (tty.c) */
#define TTY_CALLS(X)

/* signals, time, futex, identity (signal.c, time.c, futex.c, misc.c) */
#define SIG_CALLS(X)                                                                               \
    X(rt_sigaction)                                                                                \
    X(rt_sigprocmask)                                                                              \
    X(rt_sigpending)                                                                               \
    X(rt_sigsuspend) X(rt_sigreturn) X(rt_sigtimedwait) X(sigaltstack) X(pause) X(kill) X(tkill)   \
        X(tgkill) X(clock_gettime) X(clock_getres) X(gettimeofday) X(time) X(times) X(nanosleep)   \
            X(clock_nanosleep) X(alarm) X(getitimer) X(setitimer) X(futex) X(uname) X(getuid)      \
                X(geteuid) X(getgid) X(getegid) X(setuid) X(setgid) X(setreuid) X(setregid)        \
                    X(setresuid) X(setresgid) X(getresuid) X(getresgid) X(getgroups) X(setgroups)  \
                        X(prlimit64) X(getrlimit) X(setrlimit) X(getrandom) X(sysinfo)             \
                            X(getrusage) X(sched_yield) X(getcpu) X(sched_getaffinity)             \
                                X(sched_setaffinity) X(set_robust_list) X(get_robust_list)         \
                                    X(prctl)

#define LX_ALL_CALLS(X) CORE_CALLS(X) STUB_CALLS(X) FS_CALLS(X) TTY_CALLS(X) SIG_CALLS(X)

#endif
