/* SPDX-License-Identifier: BSD-2-Clause */
/* RAM above 1 GiB (HIMEM-001, tests/qemu/systems/himem.toml): "region" maps and checks pages of
 * a memory capability beyond 1 GiB of physical address and sends from them ("region4": beyond
 * 4 GiB, HIMEM-002, himem4g.toml); "threads" runs many threads whose kernel objects, stacks and
 * program lie above 1 GiB. */
#include "sync.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/thread.h>

#define MEM      L4_SLOT_MEMORY
#define SPACE    L4_SLOT_SPACE
#define EP       16 /* region: high.ep, send; threads: its own endpoint, receive */
#define GIB      (1ull << 30)
#define STRIDE   (32ull << 20) /* a sample page every 32 MiB of the region */
#define MAX_PAGE 64
#define VA_A     0x100000000ull /* the samples, read-write */
#define VA_B     0x200000000ull /* the same frames again, read-only */
#define UTCB     ((struct l4_utcb *)L4_UTCB_MAIN)
#define EXT_LEN  3000
#define NTHREADS 24
#define ROUNDS   40

static l4_word_t base, size, offsets[MAX_PAGE];
static unsigned npages;
/* the test ids of "region" (RAM above 1 GiB) or "region4" (above 4 GiB), and that address */
static const char *const ids1[] = {"HIMEM-001", "HIMEM-002", "HIMEM-003", "HIMEM-004", "HIMEM-005"};
static const char *const ids4[] = {"HIMEM-011", "HIMEM-012", "HIMEM-013", "HIMEM-014", "HIMEM-015"};
static const char *const *id = ids1;
static l4_word_t above = GIB;

/* What page i holds: its physical address, mixed, in every word (a page that aliased another
 * would show the other's). */
static l4_word_t pattern(unsigned i, unsigned w)
{
    return (base + offsets[i]) * 0x9e3779b97f4a7c15ull + w;
}

static bool page_holds(l4_word_t va, unsigned i)
{
    const volatile l4_word_t *p = (const volatile l4_word_t *)va;

    for (unsigned w = 0; w < 512; w += 37)
        if (p[w] != pattern(i, w))
            return false;
    return p[511] == pattern(i, 511);
}

static void samples(void)
{
    struct cap_info m = cap_info(MEM);
    unsigned high = 0;

    base = m.a;
    size = m.b;
    for (l4_word_t off = 0; off < size && npages < MAX_PAGE - 1; off += STRIDE)
        offsets[npages++] = off;
    offsets[npages++] = size - 4096; // the last page
    for (unsigned i = 0; i < npages; i++)
        high += base + offsets[i] >= above;
    test_report(id[0], base + size > above && high >= 8,
                "region %lx..%lx: %u of %u sample pages at or above %lx", base, base + size, high,
                npages, above);
}

static void write_and_read(void)
{
    l4_err_t err = L4_OK;
    bool ok = true;

    for (unsigned i = 0; i < npages && !err; i++)
        err = l4_mem_map(MEM, offsets[i], SPACE, VA_A + i * 4096, L4_MAP_READ | L4_MAP_WRITE);
    for (unsigned i = 0; i < npages && !err; i++) {
        volatile l4_word_t *p = (volatile l4_word_t *)(VA_A + i * 4096);
        ok = ok && p[0] == 0 && p[511] == 0; // carved RAM is zeroed, above 1 GiB too
        for (unsigned w = 0; w < 512; w++)
            p[w] = pattern(i, w);
    }
    for (unsigned i = 0; i < npages && !err; i++)
        ok = ok && page_holds(VA_A + i * 4096, i);
    test_report(id[1], !err && ok, "%u pages mapped (%s), written and read back: %s", npages,
                l4_strerror(err), ok ? "right" : "wrong");
    /* the frames, not the mappings, hold the data: again through other mappings */
    for (unsigned i = 0; i < npages && !err; i++)
        err = l4_mem_unmap(SPACE, VA_A + i * 4096);
    for (unsigned i = 0; i < npages && !err; i++)
        err = l4_mem_map(MEM, offsets[i], SPACE, VA_B + i * 4096, L4_MAP_READ);
    ok = !err;
    for (unsigned i = 0; i < npages && ok; i++)
        ok = page_holds(VA_B + i * 4096, i);
    test_report(id[2], ok, "remapped read-only: %s, data %s", l4_strerror(err),
                ok ? "kept" : "lost");
}

/* The kernel reads and writes user memory above 1 GiB through its direct map: a futex word, an
 * extended IPC buffer sent from there and one received there. */
static void kernel_copies(void)
{
    unsigned top = npages - 1;
    l4_word_t src = VA_B + top * 4096;
    uint32_t *word = (uint32_t *)(VA_B + (top - 1) * 4096);
    l4_word_t tag, m[4] = {0}, badge, sum = 0;

    EXPECT_ERR(id[3], l4_futex_wait((l4_word_t)word, *word + 1), L4_ESTATE);
    l4_err_t err = l4_mem_map(MEM, offsets[top - 2], SPACE, VA_A, L4_MAP_READ | L4_MAP_WRITE);
    for (unsigned i = 0; i < EXT_LEN; i++)
        sum += ((const unsigned char *)src)[i];
    UTCB->ext_send = src;
    UTCB->ext_send_len = EXT_LEN;
    UTCB->ext_recv = VA_A;
    UTCB->ext_recv_len = 4096;
    if (!err)
        err = l4_ipc_call(EP, L4_TAG(1, 0, L4_IPC_EXT), 0, 0, 0, 0, &tag, &m[0], &m[1], &m[2],
                          &m[3], &badge);
    bool back = UTCB->ext_received == EXT_LEN;
    for (unsigned i = 0; back && i < EXT_LEN; i++)
        back = ((unsigned char *)VA_A)[i] == (unsigned char)(i * 7 + 1);
    test_report(id[4], !err && m[0] == sum && m[1] == EXT_LEN && back,
                "%s: the other side summed %lu of %lu bytes (expected %lu); its %lu bytes back "
                "%s",
                l4_strerror(err), m[0], m[1], sum, UTCB->ext_received, back ? "right" : "wrong");
}

static struct l4_mutex lock = L4_MUTEX_INIT;
static volatile l4_word_t counter;

static long worker(l4_word_t n)
{
    for (unsigned r = 0; r < ROUNDS; r++) {
        l4_mutex_lock(&lock);
        l4_word_t c = counter;
        if (r % 8 == n % 8)
            l4_thread_yield(); // contention: the mutex's futex words and waiters
        counter = c + 1;
        l4_mutex_unlock(&lock);
    }
    return (long)n + 1000;
}

static void threads(void)
{
    struct cap_info m = cap_info(MEM);
    l4_err_t err = L4_OK;
    bool codes = true;
    unsigned n = 0;

    test_report("HIMEM-006", m.a >= GIB, "region at %lx: its RAM and pools were carved after it",
                m.a);
    for (; n < NTHREADS && !err; n++)
        err = l4_thread_spawn(worker, n, 100, (l4_cap_t)(20 + n));
    for (unsigned i = 0; i < n; i++) {
        l4_word_t code = 0;
        l4_err_t e = l4_thread_wait((l4_cap_t)(20 + i), 0, &code);
        codes = codes && !e && code == i + 1000;
    }
    test_report("HIMEM-007", !err && codes && counter == (l4_word_t)NTHREADS * ROUNDS,
                "%u threads (%s), exit codes %s, counter %lu of %u", n, l4_strerror(err),
                codes ? "right" : "wrong", counter, NTHREADS * ROUNDS);
}

/* Answer the region side's extended call: sum what came, send bytes back. */
static void serve(void)
{
    static unsigned char in[4096], out[EXT_LEN];
    l4_word_t tag, m[4], badge, sum = 0;

    for (unsigned i = 0; i < EXT_LEN; i++)
        out[i] = (unsigned char)(i * 7 + 1);
    UTCB->ext_recv = (l4_word_t)in;
    UTCB->ext_recv_len = sizeof(in);
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    for (l4_word_t i = 0; i < UTCB->ext_received; i++)
        sum += in[i];
    UTCB->ext_send = (l4_word_t)out;
    UTCB->ext_send_len = EXT_LEN;
    if (!err)
        err = l4_ipc_reply(L4_TAG(0, 0, L4_IPC_EXT), sum, UTCB->ext_received, 0, 0);
    if (err)
        printf("himem: serving the extended call: %s\n", l4_strerror(err));
}

int main(const char *arg)
{
    if (strcmp(arg, "threads") == 0) {
        threads();
        serve();
        return 0;
    }
    if (strcmp(arg, "region4") == 0) {
        id = ids4;
        above = 4 * GIB;
    }
    samples();
    write_and_read();
    kernel_copies();
    return 0;
}
