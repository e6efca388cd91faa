/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A supervisor: watches the containers its system file gives it and restarts any that faults.
 * It sleeps on one notification that every watched container signals when a thread of it
 * faults unhandled or its last thread ends (container_notify), so it never polls.
 */
#include "l4.h"

#include <coffer/ipc.h>

#define FIRST        L4_SLOT_FIRST_FREE /* container capabilities start here */
#define MAX_WATCHED  8
#define MAX_RESTARTS 3
#define NEWS         (FIRST + MAX_WATCHED + 1) /* its notification, made at run time */

int main(const char *arg)
{
    l4_word_t seen[MAX_WATCHED] = {0}, x, threads, faults, restarts;
    unsigned n = 0;

    (void)arg;
    l4_word_t type = 0;
    /* the container capabilities come first; read the types, so nothing is refused */
    while (n < MAX_WATCHED &&
           l4_cap_read(FIRST + n, &type, NULL, NULL, NULL, NULL, NULL) == L4_OK &&
           type == L4_CAP_CONTAINER)
        n++;
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NEWS, NULL);
    for (unsigned i = 0; i < n; i++)
        l4_container_notify(FIRST + i, NEWS);
    printf("supervisor: watching %u container(s)\n", n);
    unsigned wakeups = 0;
    for (unsigned active = n;;) {
        active = 0;
        for (unsigned i = 0; i < n; i++) {
            l4_container_inspect(FIRST + i, &x, &threads, &x, &faults, &restarts, &x);
            if (faults > seen[i] && restarts < MAX_RESTARTS) {
                char name[L4_NAME_LEN + 1];
                l4_container_name_str(FIRST + i, name);
                printf("supervisor: container %s (slot %u) faulted (%lu so far); restarting it\n",
                       name, FIRST + i, faults);
                seen[i] = faults;
                l4_container_restart(FIRST + i);
                threads = 1;
            }
            active += threads > 0 && (faults == seen[i] || restarts < MAX_RESTARTS);
        }
        if (!active)
            break;
        /* news signalled since the look above is kept in the word: nothing is missed */
        l4_notify_wait(NEWS, &x);
        wakeups++;
    }
    printf("supervisor: every watched container has finished (woken %u time(s))\n", wakeups);
    /* the first endpoint after the containers, if any, is a console to stop */
    if (l4_cap_read(FIRST + n, &type, NULL, NULL, NULL, NULL, NULL) == L4_OK &&
        type == L4_CAP_ENDPOINT) {
        console_printf(FIRST + n, "supervisor: stopping the console\n");
        l4_ipc_call(FIRST + n, L4_TAG(2, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    }
    return 0;
}
