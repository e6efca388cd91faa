/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which Linux system calls the server serves: one list per part of the server, each kept by
 * its part; the calls of only some architectures' tables are in lists of their own, which each
 * architecture's lx_arch.h picks (LX_ARCH_CALLS). syscall_table.c makes the table from them;
 * linux.h declares every handler.
 */
#ifndef LINUX_SYSCALL_LIST_H
#define LINUX_SYSCALL_LIST_H

/* the lists are laid out by hand: clang-format reflows them differently on each run */
// clang-format off
/* processes, memory, time, futex and the rest (proc.c, mem.c, exec.c, misc.c) */
#define CORE_CALLS(X)                                                                              \
    X(getpid) X(getppid) X(gettid) X(exit) X(exit_group) X(set_tid_address) X(brk) X(mmap)         \
    X(munmap) X(mprotect) X(madvise) X(clone) X(execve) X(wait4) X(waitid) X(getpgid) X(setpgid)   \
    X(setsid) X(getsid)

/* files, pipes, directories, poll (fs_*.c) */
#define FS_CALLS(X)                                                                                \
    X(read) X(write) X(close) X(fstat) X(lseek) X(ioctl) X(pread64) X(pwrite64) X(readv)           \
    X(writev) X(dup) X(sendfile) X(fcntl) X(fsync) X(fdatasync) X(truncate) X(ftruncate)           \
    X(getcwd) X(chdir) X(fchdir) X(fchmod) X(fchown) X(umask) X(getdents64) X(openat) X(mkdirat)   \
    X(fchownat) X(newfstatat) X(unlinkat) X(renameat) X(linkat) X(symlinkat) X(readlinkat)         \
    X(fchmodat) X(faccessat) X(pselect6) X(ppoll) X(dup3) X(pipe2) X(renameat2) X(statx)           \
    X(faccessat2) X(utimensat) X(statfs) X(fstatfs)

/* the terminal's own calls, if any (tty.c) */
#define TTY_CALLS(X)

/* signals, time, futex, identity (signal.c, time.c, futex.c, misc.c) */
#define SIG_CALLS(X)                                                                               \
    X(rt_sigaction) X(rt_sigprocmask) X(rt_sigpending) X(rt_sigsuspend) X(rt_sigreturn)            \
    X(rt_sigtimedwait) X(sigaltstack) X(kill) X(tkill) X(tgkill) X(clock_gettime)                  \
    X(clock_getres) X(gettimeofday) X(times) X(nanosleep) X(clock_nanosleep) X(getitimer)          \
    X(setitimer) X(futex) X(uname) X(getuid) X(geteuid) X(getgid) X(getegid) X(setuid) X(setgid)   \
    X(setreuid) X(setregid) X(setresuid) X(setresgid) X(getresuid) X(getresgid) X(getgroups)       \
    X(setgroups) X(prlimit64) X(getrlimit) X(setrlimit) X(getrandom) X(sysinfo) X(getrusage)       \
    X(sched_yield) X(getcpu) X(sched_getaffinity) X(sched_setaffinity) X(set_robust_list)          \
    X(get_robust_list) X(prctl)

/* x86_64's older calls, which the asm-generic table (AArch64's) dropped for their *at and
 * other successors (lx_arch.h's LX_ARCH_CALLS says which an architecture has) */
#define LX_LEGACY_CALLS(X)                                                                         \
    X(fork) X(vfork) X(getpgrp) X(open) X(stat) X(lstat) X(poll) X(access) X(pipe) X(select)       \
    X(dup2) X(creat) X(rename) X(mkdir) X(rmdir) X(link) X(unlink) X(symlink) X(readlink)          \
    X(chmod) X(chown) X(lchown) X(pause) X(time) X(alarm)

/* x86_64's own (arch/x86_64/prctl.c) */
#define LX_X86_64_CALLS(X) X(arch_prctl)

/* every handler the server has (each declared in linux.h), whatever the architecture */
#define LX_ALL_CALLS(X)                                                                            \
    CORE_CALLS(X) FS_CALLS(X) TTY_CALLS(X) SIG_CALLS(X) LX_LEGACY_CALLS(X) LX_X86_64_CALLS(X)
/* the handlers of this architecture's table */
#define LX_TABLE_CALLS(X) CORE_CALLS(X) FS_CALLS(X) TTY_CALLS(X) SIG_CALLS(X) LX_ARCH_CALLS(X)

// clang-format on

#endif
