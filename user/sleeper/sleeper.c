/* SPDX-License-Identifier: BSD-2-Clause */
/* Does nothing but exist: a container other tests grant capabilities into. */
#include "l4.h"

int main(const char *arg)
{
    (void)arg;
    l4_thread_suspend(L4_SLOT_THREAD); // nobody resumes it: the container just holds its table
    return 0;
}
