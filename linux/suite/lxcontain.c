// SPDX-License-Identifier: BSD-2-Clause
/*
 * lxcontain: LINUX-900..949, containment of Linux processes in Coffer (docs/linux-suite.md).
 * A fork bomb meets EAGAIN, a thread bomb too, a memory hog meets ENOMEM, and the system goes
 * on serving afterwards; no process can read another's memory or the server's. The bombs
 * would take a real Linux host down, and some answers differ there by design (root may
 * process_vm_readv its child; /proc exists), so those run only when uname's release has
 * "coffer" and print SKIP lines elsewhere.
 *   lxcontain [ID | FROM-TO]...
 */
#include "t.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define MB (1UL << 20)

extern char **environ;

int t_child_main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    return 100;
}

static void need_coffer(void)
{
    if (!t_is_coffer())
        t_skip("only in Coffer: on a host it would exhaust or differ by design");
}

/* the system still serves: a process can be made, run a program, and end */
static void still_serving(void)
{
    pid_t c = t_fork();
    CHECKF(c >= 0, "fork after the bomb: %s", t_errname(errno));
    if (c == 0) {
        char *av[] = {(char *)t_self, "--child", "exit", "5", NULL};
        SC(SYS_execve, t_self, av, environ);
        _exit(6);
    }
    t_wait_exit(c, 5);
    char *p = (char *)SC(SYS_mmap, NULL, 4 * MB, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECKF(p != MAP_FAILED, "mmap of 4 MiB after the bomb: %s", t_errname(errno));
    for (unsigned long i = 0; i < 4 * MB; i += 4096)
        p[i] = 1;
    EQ(SC(SYS_munmap, p, 4 * MB), 0);
}

static void fork_bomb(void)
{
    need_coffer();
    pid_t c = t_fork();
    if (c == 0) {
        int p[2];
        OK(pipe2(p, 0));
        int n = 0, err = 0;
        for (; n < 100000; n++) {
            pid_t g = fork();
            if (g == 0) {
                char b;
                close(p[1]);
                read(p[0], &b, 1); /* until the bomb's maker closes its end */
                _exit(0);
            }
            if (g < 0) {
                err = errno;
                break;
            }
        }
        close(p[1]);
        while (wait(NULL) > 0)
            ;
        CHECKF(err == EAGAIN, "after %d forks: %s, want EAGAIN", n,
               err ? t_errname(err) : "no failure");
        CHECK(n > 1);
        pid_t again = fork(); /* the limit is free again */
        if (again == 0)
            _exit(0);
        CHECKF(again > 0, "fork after the bomb was reaped: %s", t_errname(errno));
        EQ(waitpid(again, NULL, 0), again);
        _exit(0);
    }
    t_wait_exit(c, 0);
    still_serving();
}

static void memory_hog(void)
{
    need_coffer();
    pid_t c = t_fork();
    if (c == 0) {
        unsigned long total = 0;
        const unsigned long chunk = 4 * MB;
        for (; total < (64UL << 30); total += chunk) {
            char *p = (char *)SC(SYS_mmap, NULL, chunk, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) {
                CHECKF(errno == ENOMEM, "mmap after %lu MiB: %s, want ENOMEM", total / MB,
                       t_errname(errno));
                /* brk cannot grow either */
                unsigned long cur = (unsigned long)SC(SYS_brk, 0);
                EQ(SC(SYS_brk, cur + 64 * MB), cur);
                _exit(0);
            }
            for (unsigned long i = 0; i < chunk; i += 4096)
                p[i] = 1; /* the memory is really taken */
        }
        t_fail("64 GiB mapped and touched without ENOMEM");
    }
    int st = t_wait(c);
    if (WIFSIGNALED(st))
        t_fail("the hog was killed by signal %d instead of meeting ENOMEM", WTERMSIG(st));
    if (WIFEXITED(st) && WEXITSTATUS(st) == T_CHILD_FAILED)
        t_fail("the hog: see its check (exit %d)", WEXITSTATUS(st));
    EQ(st, 0);
    still_serving();
}

static void *park(void *arg)
{
    int *p = arg;
    char b;
    read(p[0], &b, 1);
    return NULL;
}

static void thread_bomb(void)
{
    need_coffer();
    pid_t c = t_fork();
    if (c == 0) {
        int p[2];
        OK(pipe2(p, 0));
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 16384);
        int n = 0, err = 0;
        for (; n < 100000; n++) {
            pthread_t th;
            err = pthread_create(&th, &attr, park, p);
            if (err)
                break;
            pthread_detach(th);
        }
        CHECKF(err == EAGAIN, "after %d threads: %s, want EAGAIN", n,
               err ? t_errname(err) : "no failure");
        _exit(0); /* exit_group ends the parked threads */
    }
    t_wait_exit(c, 0);
    still_serving();
}

static void no_vm_access(void)
{
    need_coffer();
    static char secret[64] = "secret";
    pid_t c = t_fork();
    if (c == 0) {
        for (;;) /* until killed */
            t_msleep(1000);
    }
    char buf[64];
    struct iovec local = {buf, sizeof(buf)}, remote = {secret, sizeof(secret)};
    long r = SC(SYS_process_vm_readv, c, &local, 1, &remote, 1, 0);
    CHECKF(r == -1 && (errno == ENOSYS || errno == EPERM),
           "process_vm_readv of a child: %ld %s, want ENOSYS or EPERM", r, t_errname(errno));
    r = SC(SYS_process_vm_writev, c, &local, 1, &remote, 1, 0);
    CHECKF(r == -1 && (errno == ENOSYS || errno == EPERM),
           "process_vm_writev of a child: %ld %s, want ENOSYS or EPERM", r, t_errname(errno));
    r = SC(SYS_ptrace, 16 /* PTRACE_ATTACH */, c, 0, 0);
    CHECKF(r == -1 && (errno == ENOSYS || errno == EPERM),
           "ptrace(PTRACE_ATTACH) of a child: %ld %s, want ENOSYS or EPERM", r, t_errname(errno));
    /* no /proc/<pid>/mem, of a child, the parent, oneself or process 1 */
    char path[64];
    pid_t pids[] = {c, getppid(), getpid(), 1};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/proc/%d/mem", (int)pids[i]);
        long fd = SC(SYS_openat, AT_FDCWD, path, O_RDONLY);
        CHECKF(fd == -1 && errno == ENOENT, "open %s: %ld %s, want ENOENT", path, fd,
               t_errname(errno));
    }
    ERR(ENOENT, SC(SYS_openat, AT_FDCWD, "/proc/self/mem", O_RDONLY));
    kill(c, SIGKILL);
    t_wait_signal(c, SIGKILL);
}

static void own_copy(void)
{
    /* a child given an address in its parent's stack reads its own copy there */
    volatile int on_stack = 1;
    volatile int *addr = &on_stack;
    int go[2], done[2];
    OK(pipe2(go, 0));
    OK(pipe2(done, 0));
    pid_t c = t_fork();
    if (c == 0) {
        char b;
        close(go[1]);
        EQ(read(go[0], &b, 1), 0); /* the parent has written 2 by now */
        EQ(*addr, 1);
        *addr = 3;
        EQ(write(done[1], "d", 1), 1);
        _exit(0);
    }
    close(go[0]);
    on_stack = 2;
    close(go[1]);
    char b;
    EQ(read(done[0], &b, 1), 1);
    EQ(on_stack, 2); /* the child's write stayed in the child */
    t_wait_exit(c, 0);
    close(done[0]);
    close(done[1]);
}

static int touch_kills(unsigned long addr, int write)
{
    pid_t c = t_fork();
    if (c == 0) {
        if (write)
            *(volatile char *)addr = 1;
        else
            (void)*(volatile char *)addr;
        _exit(0);
    }
    int st = t_wait(c);
    return WIFSIGNALED(st) ? WTERMSIG(st) : -1;
}

static void server_memory(void)
{
    /* the kernel's half, non-canonical addresses, page zero: a fault, never data */
    unsigned long bad[] = {0xffffffff80000000UL, 0xffff800000000000UL, 0x0000800000000000UL,
                           0x8000000000000000UL, 0};
    for (int i = 0; i < 5; i++) {
        EQ(touch_kills(bad[i], 0), SIGSEGV);
        EQ(touch_kills(bad[i], 1), SIGSEGV);
    }
    int null = (int)OK(SC(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR));
    int p[2];
    OK(pipe2(p, O_NONBLOCK)); /* a read that lost the data answers EAGAIN, not a hang */
    for (int i = 0; i < 4; i++) {
        ERR(EFAULT, write(p[1], (void *)bad[i], 16));
        EQ(write(p[1], "abcdefgh", 8), 8);
        ERR(EFAULT, read(p[0], (void *)bad[i], 8));
        char b[8];
        EQ(read(p[0], b, 8), 8); /* the failed read took nothing */
        ERR(EFAULT, SC(SYS_openat, AT_FDCWD, (void *)bad[i], O_RDONLY));
    }
    close(null);
    close(p[0]);
    close(p[1]);
    still_serving();
}

T_AREA(contain, {900, "fork bomb meets EAGAIN", fork_bomb},
       {901, "memory hog meets ENOMEM", memory_hog}, {902, "thread bomb meets EAGAIN", thread_bomb},
       {903, "no access to another process's memory", no_vm_access},
       {904, "a child's copy of its parent's stack", own_copy},
       {905, "the server's memory is out of reach", server_memory});

int main(int argc, char **argv)
{
    static const struct t_area *const areas[] = {&contain_area, NULL};
    return t_main("lxcontain", areas, argc, argv);
}
