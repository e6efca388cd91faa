/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO-12x, breach 3: one container with hundreds of objects leaves the others' pools whole. */
#include "isotest.h"

#define HOG   17 /* the other container's endpoint to the hog */
#define FIRST L4_SLOT_FIRST_FREE + 1

/* Make objects with create(pool, slot) into slots from *next until it fails; how many. */
static unsigned make_all(l4_err_t (*create)(l4_cap_t, l4_cap_t), l4_cap_t pool, l4_cap_t *next,
                         l4_err_t *last)
{
    unsigned n = 0;

    while (!(*last = create(pool, *next)))
        n++, (*next)++;
    return n;
}

static l4_err_t endpoint(l4_cap_t pool, l4_cap_t dest)
{
    return l4_endpoint_create(pool, dest, NULL);
}

static l4_err_t notification(l4_cap_t pool, l4_cap_t dest)
{
    return l4_notification_create(pool, dest, NULL);
}

static l4_err_t thread(l4_cap_t pool, l4_cap_t dest)
{
    return l4_thread_create(pool, L4_SLOT_SPACE, 10, dest, NULL);
}

static l4_err_t space(l4_cap_t pool, l4_cap_t dest)
{
    return l4_space_create(pool, POOL_PT, dest, NULL);
}

/* Runs first (higher priority): takes every unit its pools hold, then holds them. */
int hog(void)
{
    l4_cap_t next = FIRST;
    l4_err_t e1, e2, e3, e4;
    unsigned eps = make_all(endpoint, POOL_EP, &next, &e1);
    unsigned ntfs = make_all(notification, POOL_NTF, &next, &e2);
    unsigned thrs = make_all(thread, POOL_THR, &next, &e3);
    unsigned spcs = make_all(space, POOL_SPC, &next, &e4);

    test_report("ISO-122", eps == 299 && ntfs == 300 && e1 == L4_ENOMEM && e2 == L4_ENOMEM,
                "%u endpoints (%s) and %u notifications (%s) on pools of 300 (one endpoint made "
                "at boot)",
                eps, l4_strerror(e1), ntfs, l4_strerror(e2));
    test_report("ISO-123", thrs == 299 && spcs == 99 && e3 == L4_ENOMEM && e4 == L4_ENOMEM,
                "%u threads (%s) and %u spaces (%s) beside its first ones", thrs, l4_strerror(e3),
                spcs, l4_strerror(e4));
    serve(NULL); // holds everything until the other container is done
    destroy_slots(FIRST, next - FIRST);
    return 0;
}

/* Every unit of its own pools works while the hog holds hundreds of objects. */
int other(void)
{
    l4_cap_t next = 20;
    l4_err_t e1, e2, e3, e4;
    unsigned eps = make_all(endpoint, POOL_EP, &next, &e1);
    unsigned ntfs = make_all(notification, POOL_NTF, &next, &e2);
    unsigned thrs = make_all(thread, POOL_THR, &next, &e3);
    unsigned spcs = make_all(space, POOL_SPC, &next, &e4);

    test_report("ISO-124", eps == 4 && ntfs == 4 && thrs == 15 && spcs == 3,
                "%u endpoints, %u notifications, %u threads, %u spaces of 4, 4, 15, 3", eps, ntfs,
                thrs, spcs);
    destroy_slots(20, next - 20);
    command(HOG, CMD_EXIT);
    printf("isotest: done\n");
    return 0;
}
