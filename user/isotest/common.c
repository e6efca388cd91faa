/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO-1xx: commands between the supervisor and its workers, and pool helpers. */
#include "isotest.h"

void serve(l4_word_t (*handle)(l4_word_t cmd))
{
    l4_word_t tag, w, badge;
    l4_err_t err = l4_ipc_recv(CMD, 0, &tag, &w, &w, &w, &w, &badge);

    while (!err) {
        l4_word_t cmd = L4_TAG_LABEL(tag);
        if (cmd == CMD_EXIT) {
            l4_ipc_reply(L4_TAG(0, 1, 0), 0, 0, 0, 0);
            return;
        }
        l4_word_t r = handle ? handle(cmd) : 0;
        err = l4_ipc_reply_recv(CMD, L4_TAG(0, 1, 0), r, 0, 0, 0, &tag, &w, &w, &w, &w, &badge);
    }
    printf("isotest: command endpoint failed: %s\n", l4_strerror(err));
}

l4_word_t command(l4_cap_t ep, l4_word_t cmd)
{
    l4_word_t tag, r = ~0ul, w, badge;

    if (l4_ipc_call(ep, L4_TAG(cmd, 0, 0), 0, 0, 0, 0, &tag, &r, &w, &w, &w, &badge))
        return ~0ul;
    return r;
}

void pool_read(l4_cap_t slot, l4_word_t *units, l4_word_t *used)
{
    l4_word_t type, rights, kind;

    *units = *used = ~0ul;
    l4_cap_read(slot, &type, &rights, &kind, units, used, &rights);
}

unsigned make_threads(l4_cap_t pool, l4_cap_t first, unsigned max, l4_err_t *last)
{
    unsigned n = 0;

    while (n < max && !(*last = l4_thread_create(pool, L4_SLOT_SPACE, 10, first + n, NULL)))
        n++;
    return n;
}

void destroy_slots(l4_cap_t first, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (l4_thread_destroy(first + i) == L4_ECAP) // a thread lives on without capabilities
            l4_cap_destroy(first + i);
    }
}

l4_err_t fill_tables(l4_cap_t ptpool, l4_cap_t mem, l4_cap_t dest)
{
    l4_err_t err = l4_space_create(POOL_SPC, ptpool, dest, NULL);

    for (l4_word_t va = 0x40000000; !err; va += 2ul << 20)
        err = l4_mem_map(mem, 0, dest, va, L4_MAP_READ);
    return err;
}

int main(const char *arg)
{
    static const struct {
        const char *role;
        int (*run)(void);
    } roles[] = {{"giver", giver},      {"taker", taker}, {"third", third},
                 {"super", supervisor}, {"hog", hog},     {"other", other}};

    for (unsigned i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        if (strcmp(arg, roles[i].role) == 0)
            return roles[i].run();
    }
    printf("isotest: unknown role '%s'\n", arg);
    return 1;
}
