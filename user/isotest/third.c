/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO-1xx, the third container: whatever the others did, every unit of its pools works. */
#include "isotest.h"

#define SPACE 60

static l4_word_t fill(void)
{
    l4_word_t units, used, pt_units, after;
    l4_err_t last;

    pool_read(POOL_THR, &units, &used);
    unsigned made = make_threads(POOL_THR, 40, 64, &last);
    test_report("ISO-113", made == units - used && last == L4_ENOMEM,
                "%u threads inside a quota of %lu (%lu in use), then %s", made, units, used,
                l4_strerror(last));
    destroy_slots(40, made);
    l4_err_t err = fill_tables(POOL_PT, L4_SLOT_MEMORY, SPACE);
    pool_read(POOL_PT, &pt_units, &after);
    test_report("ISO-116", err == L4_ENOMEM && after == pt_units,
                "page tables: %lu of %lu units in use when the pool said %s", after, pt_units,
                l4_strerror(err));
    l4_cap_destroy(SPACE);
    return 1;
}

static l4_word_t handle(l4_word_t cmd)
{
    return cmd == X_FILL ? fill() : 0;
}

int third(void)
{
    serve(handle);
    return 0;
}
