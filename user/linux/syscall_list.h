/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which Linux system calls the server serves: one list per part of the server, each kept by
 * its part. syscall_table.c makes the table from them; linux.h declares every handler.
 */
#ifndef LINUX_SYSCALL_LIST_H
#define LINUX_SYSCALL_LIST_H

/* the lists are laid out by hand: clang-format reflows them differently on each run */
// clang-format off
/* processes, memory, time, futex and the rest (proc.c, mem.c, exec.c, misc.c) */
#define CORE_CALLS(X)                                                                              \
    X(getpid) X(getppid) X(gettid) X(exit) X(exit_group) X(set_tid_address) X(arch_prctl)          \
    X(brk) X(mmap) X(munmap) X(mprotect) X(madvise) X(clone) X(fork) X(vfork) X(execve)            \
    X(wait4) X(waitid) X(getpgid) X(setpgid) X(getpgrp) X(setsid) X(getsid)

/* files, pipes, directories, poll (fs_*.c) */
#define FS_CALLS(X)                                                                                \
    X(read) X(write) X(open) X(close) X(stat) X(fstat) X(lstat) X(poll) X(lseek) X(ioctl)          \
    X(pread64) X(pwrite64) X(readv) X(writev) X(access) X(pipe) X(select) X(dup) X(dup2)           \
    X(sendfile) X(fcntl) X(fsync) X(fdatasync) X(truncate) X(ftruncate) X(getcwd) X(chdir)         \
    X(fchdir) X(rename) X(mkdir) X(rmdir) X(creat) X(link) X(unlink) X(symlink) X(readlink)        \
    X(chmod) X(fchmod) X(chown) X(fchown) X(lchown) X(umask) X(getdents64) X(openat) X(mkdirat)    \
    X(fchownat) X(newfstatat) X(unlinkat) X(renameat) X(linkat) X(symlinkat) X(readlinkat)         \
    X(fchmodat) X(faccessat) X(pselect6) X(ppoll) X(dup3) X(pipe2) X(renameat2) X(statx)           \
    X(faccessat2) X(utimensat) X(statfs) X(fstatfs)

/* the terminal's own calls, if any (tty.c) */
#define TTY_CALLS(X)

/* signals, time, futex, identity (signal.c, time.c, futex.c, misc.c) */
#define SIG_CALLS(X)                                                                               \
    X(rt_sigaction)                                                                                \
    X(rt_sigprocmask)                                                                              \
    X(rt_sigpending)                                                                               \
    X(rt_sigsuspend)                                                                               \
    X(rt_sigreturn)                                                                                \
    X(rt_sigtimedwait)                                                                             \
    X(sigaltstack) X(pause) X(kill) X(tkill) X(tgkill) X(clock_gettime) X(clock_getres)            \
        X(gettimeofday) X(time) X(times) X(nanosleep) X(clock_nanosleep) X(alarm) X(getitimer)     \
            X(setitimer) X(futex) X(uname) X(getuid) X(geteuid) X(getgid) X(getegid) X(setuid)     \
                X(setgid) X(setreuid) X(setregid) X(setresuid) X(setresgid) X(getresuid)           \
                    X(getresgid) X(getgroups) X(setgroups) X(prlimit64) X(getrlimit) X(setrlimit)  \
                        X(getrandom) X(sysinfo) X(getrusage) X(sched_yield) X(getcpu)              \
                            X(sched_getaffinity) X(sched_setaffinity) X(set_robust_list)           \
                                X(get_robust_list) X(prctl)

#define LX_ALL_CALLS(X) CORE_CALLS(X) FS_CALLS(X) TTY_CALLS(X) SIG_CALLS(X)

// clang-format on

#endif
