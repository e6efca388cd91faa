// SPDX-License-Identifier: BSD-2-Clause
/*
 * Attack on the server's heap through pipes: every pipe's ring comes from the server's heap,
 * which shares its frames with every process's promised memory. Children each make as many
 * pipes as their descriptors allow and fill them; then the parent, which was promised its
 * memory at mmap time, touches all of it and uses /tmp. Nobody may lose memory it was
 * promised to pipe rings, and their rings go back when they end (test LINUX-ATK-PIPEHOG runs it as the first process).
 */
#define _GNU_SOURCE /* F_GETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB      (1ul << 20)
#define CHILDREN 20

static volatile long *shared; /* [i]: child i's filled pipes, -1 while it works */

static void hog(int i)
{
    static char buf[65536];
    long pipes = 0, bytes = 0;
    int fds[2];

    memset(buf, 'p', sizeof buf);
    /* give back the stack's untouched lower part, so that its quota goes to the parent */
    unsigned long sp = (unsigned long)&pipes & ~4095ul;
    munmap((void *)(sp - 7 * MIB), 7 * MIB - 64 * 1024);
    while (!shared[3 * CHILDREN])
        usleep(10000); /* until the parent holds its promise */
    while (pipe2(fds, O_NONBLOCK) == 0) {
        long n = write(fds[1], buf, sizeof buf);
        if (n > 0)
            bytes += n;
        pipes++;
    }
    int err = errno;
    shared[i] = pipes;
    shared[CHILDREN + i] = bytes;
    shared[2 * CHILDREN + i] = err;
    pause(); /* hold them until the parent is done */
    _exit(0);
}

int main(void)
{
    shared = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        printf("pipehog: mmap failed: %s\n", strerror(errno));
        return 1;
    }
    pid_t kids[CHILDREN];
    int nkids = 0;
    for (int i = 0; i < CHILDREN; i++) {
        shared[i] = -1;
        pid_t pid = fork();
        if (pid == 0)
            hog(i);
        if (pid < 0) {
            printf("pipehog: fork %d: %s\n", i, strerror(errno));
            break;
        }
        kids[nkids++] = pid;
    }
    /* promised before the children make their pipes: as much as the quota gives */
    size_t len = 128 * MIB;
    char *mine = MAP_FAILED;
    while (len && (mine = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                               0)) == MAP_FAILED)
        len -= 4 * MIB;
    if (mine == MAP_FAILED)
        len = 0;
    printf("pipehog: the parent was promised %zu MiB\n", len / MIB);
    shared[3 * CHILDREN] = 1; /* go */
    long pipes = 0, bytes = 0;
    for (int i = 0; i < nkids; i++) {
        while (shared[i] < 0)
            usleep(10000);
        pipes += shared[i];
        bytes += shared[CHILDREN + i];
        if (i < 3 || i == nkids - 1)
            printf("pipehog: child %d made %ld pipes holding %ld KiB, then: %s\n", i, shared[i],
                   shared[CHILDREN + i] >> 10, strerror((int)shared[2 * CHILDREN + i]));
    }
    printf("pipehog: %d children hold %ld pipes with %ld KiB\n", nkids, pipes, bytes >> 10);
    memset(mine, 1, len);
    printf("pipehog: parent touched all it was promised\n");
    int fd = open("/tmp/pipehog", O_CREAT | O_RDWR | O_TRUNC, 0600);
    long w = fd < 0 ? -1 : write(fd, mine, MIB);
    printf("pipehog: /tmp write of 1 MiB: %ld%s%s\n", w, w < 0 ? " " : "",
           w < 0 ? strerror(errno) : "");
    int p[2];
    long n = pipe(p) == 0 ? write(p[1], "x", 1) : -1;
    printf("pipehog: the parent's pipe while they hold theirs: %s\n",
           n == 1 ? "works" : strerror(errno)); /* ENOMEM: the quota is one user's, as Linux's */
    for (int i = 0; i < nkids; i++) {
        int st;
        kill(kids[i], SIGKILL);
        waitpid(kids[i], &st, 0);
    }
    /* their rings are given back: a new pipe has its full size again */
    static char big[65536];
    if (pipe(p) == 0 && write(p[1], big, sizeof big) == sizeof big &&
        fcntl(p[1], F_GETPIPE_SZ) == sizeof big)
        printf("pipehog: the parent has a full pipe again\n");
    else
        printf("pipehog: the parent's pipe afterwards: %s\n", strerror(errno));
    unlink("/tmp/pipehog");
    printf("pipehog: done\n");
    return 0;
}
