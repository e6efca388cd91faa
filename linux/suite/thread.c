// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-650..699, futex and threads: FUTEX_WAIT and FUTEX_WAKE with their errors, clone for a
 * thread by hand (CLONE_VM, CLONE_SETTLS, CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID), clone's
 * refusals, and musl's pthreads on top: create and join, thread ids, thread-local storage,
 * mutexes under contention, exit_group from a thread, tgkill to one thread.
 */
#include "t.h"

#include <pthread.h>
#include <sched.h> /* the CLONE_* flags */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#define FUTEX_WAIT         0
#define FUTEX_WAKE         1
#define FUTEX_PRIVATE_FLAG 128
#define MS                 1000000LL

static long futex(int *addr, int op, int val, const struct timespec *ts)
{
    return SC(SYS_futex, addr, op, val, ts, NULL, 0);
}

static void futex_alone(void)
{
    int word = 1;
    ERR(EAGAIN, futex(&word, FUTEX_WAIT, 2, NULL)); /* the value differs: at once */
    ERR(EAGAIN, futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL));
    struct timespec ts = {0, 30 * MS};
    long long t0 = t_now_ns();
    ERR(ETIMEDOUT, futex(&word, FUTEX_WAIT, 1, &ts));
    CHECK(t_now_ns() - t0 >= 30 * MS);
    EQ(futex(&word, FUTEX_WAKE, 1, NULL), 0); /* nobody waits */
    ERR(EFAULT, futex((int *)4, FUTEX_WAIT, 0, NULL));
    ERR(EINVAL, futex((int *)((char *)&word + 1), FUTEX_WAIT, 1, NULL)); /* unaligned */
    ts.tv_nsec = 1000000000L;
    ERR(EINVAL, futex(&word, FUTEX_WAIT, 1, &ts));
    ERR(ENOSYS, futex(&word, 99, 1, NULL));
    ERR(EFAULT, futex(&word, FUTEX_WAIT, 1, (void *)1));
}

/* --- a thread made by hand with clone --------------------------------------------------- */

struct hand {
    void *self; /* %fs:0 of the new thread: the TLS block points at itself */
    volatile int ran;
    volatile unsigned long fs_seen;
    volatile long tid_seen, ctid_seen; /* gettid and the ctid word, as the thread saw them */
    int ctid; /* CLONE_CHILD_SETTID writes the tid; CLONE_CHILD_CLEARTID zeroes and wakes */
};

static struct hand hand;
static char hand_stack[16384] __attribute__((aligned(16)));

/* The new thread's code: raw system calls only, since its TLS is not musl's. */
static int hand_thread(void *arg)
{
    struct hand *h = arg;
    unsigned long fs;
    long tid;
#ifdef __x86_64__
    __asm__ volatile("mov %%fs:0, %0" : "=r"(fs));
    __asm__ volatile("syscall" : "=a"(tid) : "a"(SYS_gettid) : "rcx", "r11", "memory");
#else /* AArch64: the thread pointer is TPIDR_EL0; the number in x8, the result in x0 */
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(fs));
    register long x8 __asm__("x8") = SYS_gettid;
    register long x0 __asm__("x0");
    __asm__ volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory");
    tid = x0;
#endif
    h->fs_seen = fs;
    h->tid_seen = tid;
    h->ctid_seen = h->ctid;
    h->ran = 1;
#ifdef __x86_64__
    for (;;)
        __asm__ volatile("syscall" ::"a"(SYS_exit), "D"(0) : "rcx", "r11", "memory");
#else
    for (;;) {
        register long nr __asm__("x8") = SYS_exit;
        register long code __asm__("x0") = 0;
        __asm__ volatile("svc #0" ::"r"(nr), "r"(code) : "memory");
    }
#endif
    return 0;
}

static void clone_by_hand(void)
{
    memset(&hand, 0, sizeof(hand));
    hand.self = &hand;
    hand.ctid = -1;
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                CLONE_SETTLS | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
    int tid =
        clone(hand_thread, hand_stack + sizeof(hand_stack), flags, &hand, NULL, &hand, &hand.ctid);
    CHECKF(tid > 0, "clone: %s", t_errname(errno));
    CHECK(tid != getpid());
    /* wait for CLONE_CHILD_CLEARTID: the tid word goes to 0 and a futex wake comes */
    struct timespec ts = {1, 0};
    for (int i = 0; i < 20; i++) {
        int v = __atomic_load_n(&hand.ctid, __ATOMIC_SEQ_CST);
        if (v == 0)
            break;
        CHECKF(v == tid || v == -1, "ctid %d, want the tid %d", v, tid);
        futex(&hand.ctid, FUTEX_WAIT, v, &ts);
    }
    EQ(hand.ctid, 0);
    EQ(hand.ran, 1);
    EQ(hand.fs_seen, (unsigned long)&hand); /* CLONE_SETTLS */
    EQ(hand.tid_seen, tid);
    EQ(hand.ctid_seen, tid); /* CLONE_CHILD_SETTID: written before the thread ran */
    /* Linux clears the tid word while the thread is still on its way out, so tgkill may find
     * it for a moment after: it must be gone within a second */
    for (int i = 0; i < 100 && SC(SYS_tgkill, getpid(), tid, 0) == 0; i++)
        t_msleep(10);
    ERR(ESRCH, SC(SYS_tgkill, getpid(), tid, 0));
}

static void clone_refusals(void)
{
    /* each would be a thread or a process if allowed: a child returns at once */
    long r = SC(SYS_clone, CLONE_THREAD, 0, 0, 0, 0);
    if (r == 0)
        SC(SYS_exit, 0);
    CHECKF(r == -1 && errno == EINVAL, "CLONE_THREAD without CLONE_SIGHAND: %ld %s", r,
           t_errname(errno));
    r = SC(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0);
    if (r == 0)
        SC(SYS_exit_group, 0);
    CHECKF(r == -1 && errno == EINVAL, "CLONE_SIGHAND without CLONE_VM: %ld %s", r,
           t_errname(errno));
    /* a plain fork by clone: SIGCHLD as the exit signal */
    r = SC(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (r == 0)
        SC(SYS_exit_group, 6);
    CHECK(r > 0);
    t_wait_exit((pid_t)r, 6);
}

/* --- pthreads ---------------------------------------------------------------------------- */

static __thread int tls_value = 5;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *report_ids(void *arg)
{
    long *out = arg;
    out[0] = SC(SYS_getpid);
    out[1] = SC(SYS_gettid);
    out[2] = tls_value;
    tls_value = 99;
    return (void *)0x1234;
}

static void threads_basic(void)
{
    long ids[3] = {0};
    pthread_t th;
    EQ(pthread_create(&th, NULL, report_ids, ids), 0);
    void *ret = NULL;
    EQ(pthread_join(th, &ret), 0);
    CHECK(ret == (void *)0x1234);
    EQ(ids[0], getpid());
    CHECK(ids[1] > 0 && ids[1] != getpid());
    EQ(ids[2], 5);    /* a thread starts with the initial TLS values */
    EQ(tls_value, 5); /* and its writes are its own */
    /* many at once */
    pthread_t many[8];
    long got[8][3];
    for (int i = 0; i < 8; i++)
        EQ(pthread_create(&many[i], NULL, report_ids, got[i]), 0);
    for (int i = 0; i < 8; i++)
        EQ(pthread_join(many[i], NULL), 0);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < i; j++)
            CHECK(got[i][1] != got[j][1]);
}

static void *add_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&lock);
        long v = counter;
        if (i % 50 == 0)
            t_msleep(0); /* a system call while holding it: let the others contend */
        counter = v + 1;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void threads_mutex(void)
{
    counter = 0;
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        EQ(pthread_create(&th[i], NULL, add_many, NULL), 0);
    for (int i = 0; i < 4; i++)
        EQ(pthread_join(th[i], NULL), 0);
    EQ(counter, 8000);
}

static int wake_word;
static void *wake_later(void *arg)
{
    (void)arg;
    t_msleep(30);
    __atomic_store_n(&wake_word, 1, __ATOMIC_SEQ_CST);
    return (void *)futex(&wake_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL);
}

static void futex_threads(void)
{
    wake_word = 0;
    pthread_t th;
    EQ(pthread_create(&th, NULL, wake_later, NULL), 0);
    long long t0 = t_now_ns();
    while (__atomic_load_n(&wake_word, __ATOMIC_SEQ_CST) == 0) {
        long r = futex(&wake_word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL);
        CHECKF(r == 0 || errno == EAGAIN || errno == EINTR, "FUTEX_WAIT: %s", t_errname(errno));
    }
    CHECK(t_now_ns() - t0 >= 25 * MS);
    void *woke;
    EQ(pthread_join(th, &woke), 0);
    CHECK((long)woke == 0 || (long)woke == 1);
}

static void *exit_all(void *arg)
{
    (void)arg;
    SC(SYS_exit_group, 17);
    return NULL;
}

static void *block_forever(void *arg)
{
    int *p = arg;
    char b;
    read(p[0], &b, 1);
    return NULL;
}

static void thread_exits(void)
{
    /* exit_group from a thread ends every thread; the status is the thread's */
    pid_t c = t_fork();
    if (c == 0) {
        int p[2];
        pipe2(p, 0);
        pthread_t a, b;
        pthread_create(&a, NULL, block_forever, p);
        pthread_create(&b, NULL, exit_all, NULL);
        block_forever(p);
        _exit(1);
    }
    t_wait_exit(c, 17);
    /* the main thread's SYS_exit leaves the other threads running */
    int p[2];
    OK(pipe2(p, 0));
    c = t_fork();
    if (c == 0) {
        pthread_t a;
        pthread_create(&a, NULL, exit_all, NULL);
        (void)a;
        SC(SYS_exit, 3);
    }
    t_wait_exit(c, 17);
    /* a fatal signal ends all of them */
    c = t_fork();
    if (c == 0) {
        pthread_t a;
        pthread_create(&a, NULL, block_forever, p);
        block_forever(p);
        _exit(1);
    }
    t_msleep(20);
    EQ(kill(c, SIGTERM), 0);
    t_wait_signal(c, SIGTERM);
    close(p[0]);
    close(p[1]);
}

static volatile long handled_on;
static void note_tid(int sig)
{
    (void)sig;
    handled_on = SC(SYS_gettid);
}

static volatile long target_tid;
static void *wait_for_signal(void *arg)
{
    int *p = arg;
    target_tid = SC(SYS_gettid);
    char b;
    while (read(p[0], &b, 1) == -1 && errno == EINTR)
        ;
    return NULL;
}

static void tgkill_thread(void)
{
    struct sigaction sa = {.sa_handler = note_tid, .sa_flags = SA_RESTART};
    OK(sigaction(SIGUSR1, &sa, NULL));
    int p[2];
    OK(pipe2(p, 0));
    target_tid = 0, handled_on = 0;
    pthread_t th;
    EQ(pthread_create(&th, NULL, wait_for_signal, p), 0);
    for (int i = 0; i < 1000 && !target_tid; i++)
        t_msleep(1);
    CHECK(target_tid != 0);
    EQ(SC(SYS_tgkill, getpid(), target_tid, SIGUSR1), 0);
    for (int i = 0; i < 1000 && !handled_on; i++)
        t_msleep(1);
    EQ(handled_on, target_tid); /* that thread, not the main one */
    EQ(write(p[1], "x", 1), 1);
    EQ(pthread_join(th, NULL), 0);
    close(p[0]);
    close(p[1]);
}

T_AREA(thread, {650, "futex alone", futex_alone}, {651, "clone by hand", clone_by_hand},
       {652, "clone refusals", clone_refusals}, {653, "pthread_create and join", threads_basic},
       {654, "mutex under contention", threads_mutex},
       {655, "futex between threads", futex_threads},
       {656, "thread and process exits", thread_exits}, {657, "tgkill to a thread", tgkill_thread});
