/* SPDX-License-Identifier: BSD-2-Clause */
/* A first Linux program for the personality: stdio, malloc, fork and wait, a thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void *thr(void *a)
{
    printf("thread %ld\n", (long)a);
    return a;
}
int main(int argc, char **argv)
{
    printf("hello from %s pid %d argc %d\n", argv[0], getpid(), argc);
    char *p = malloc(100000);
    p[99999] = 1;
    printf("malloc ok %f\n", 3.5);
    pid_t c = fork();
    if (c == 0) {
        printf("child %d ppid %d\n", getpid(), getppid());
        _exit(7);
    }
    int st;
    pid_t w = waitpid(c, &st, 0);
    printf("waited %d status %d\n", w, WEXITSTATUS(st));
    pthread_t th;
    void *r;
    pthread_create(&th, 0, thr, (void *)42);
    pthread_join(th, &r);
    printf("joined %ld\n", (long)r);
    return 3;
}
