// SPDX-License-Identifier: BSD-2-Clause
/*
 * Attack on the personality's memory quota: children try to hold frames that were never
 * charged (read faults on a huge read-only anonymous mapping, touched pages made PROT_NONE
 * then mapped again, a shared anonymous mapping) while the parent holds memory it was
 * promised at mmap time. The parent must be able to touch all of it afterwards: no process
 * may take the frames another one was charged for. Test LINUX-MEMHOG runs it as the first process.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1ul << 20)

static volatile int *flags; /* a shared page: each child sets its slot once it holds */

/* 100 MiB of read-only anonymous memory, read: Linux maps its zero page; we must charge */
static long hog_readonly(void)
{
    size_t len = 100 * MIB;
    char *p = mmap(0, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    for (size_t off = 0; off < len; off += 4096)
        (void)*(volatile char *)(p + off);
    return (long)len;
}

/* 72 MiB of shared anonymous memory, written */
static long hog_shared(void)
{
    size_t len = 72 * MIB;
    char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    for (size_t off = 0; off < len; off += 4096)
        p[off] = 1;
    return (long)len;
}

/* Touched pages made PROT_NONE keep their frames: their charge must stay too */
static void protnone(void)
{
    char *a = mmap(0, 40 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(a, 1, 40 * MIB);
    mprotect(a, 40 * MIB, PROT_NONE);
    char *b = mmap(0, 40 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("memhog: protnone: a second 40 MiB %s\n",
           b == MAP_FAILED ? "is refused (ENOMEM)" : "was given: the quota leaks");
}

int main(void)
{
    static long (*const hogs[])(void) = {hog_readonly, hog_shared};
    static const char *const names[] = {"readonly", "shared"};
    pid_t pids[2];

    flags = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (flags == MAP_FAILED) {
        printf("memhog: setup failed\n");
        return 1;
    }
    for (int i = 0; i < 2; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            long got = hogs[i]();
            printf("memhog: %s child: %ld\n", names[i], got);
            flags[i] = 1;
            for (;;)
                pause();
        }
        while (!flags[i])
            usleep(1000);
    }
    /* the parent's memory, promised at mmap: it must be there at the first touch */
    char *mine = mmap(0, 32 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mine == MAP_FAILED) {
        printf("memhog: parent's mmap refused (ENOMEM): fine\n");
    } else {
        memset(mine, 2, 32 * MIB);
        munmap(mine, 32 * MIB);
        printf("memhog: parent touched its 32 MiB\n");
    }
    for (int i = 0; i < 2; i++) {
        int st = 0;
        kill(pids[i], SIGKILL);
        waitpid(pids[i], &st, 0);
    }
    protnone();
    printf("memhog: done\n");
    return 0;
}
