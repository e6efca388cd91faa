/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A copy-on-write pager in the manner of Codezero's mm0: it keeps, per process, which of
 * its frames backs each page (the kernel's page tables say what is mapped, this says what
 * should be), and per frame how many processes share it. A fork protects the parent's
 * writable pages read-only and shares them with the child in a few range calls; the first
 * write to a shared page copies it, and the last sharer's write just makes it writable.
 */
#include "cow.h"

#define WIN        0x200000000ull /* frame f of MEM is at WIN + f pages in our own space */
#define MAX_FRAMES 4096           /* a 16 MiB region */
#define MAX_PAGES  1536           /* pages of a process, all regions */
#define PROC_PRIO  50             /* below ours: a process never waits for a busy pager */
#define E_FRAME    0xffffu        /* shadow entry: frame + 1 (0: no frame yet) */
#define E_MAPPED   (1u << 16)     /* mapped in the process's space */
#define E_WRITABLE (1u << 17)     /* mapped writable */

extern char _etext[], _end[];

struct region {
    l4_word_t base, pages, perms, first; // first: its first index in a shadow table
    bool image, eager; // image: filled from our own image, else zeroed; eager: shared at fork
};
enum { R_TEXT, R_IMAGE_DATA, R_STACK, R_DATA, NREGIONS };
static struct region regions[NREGIONS];

static uint32_t shadow[MAX_PROCS][MAX_PAGES];
static uint16_t refs[MAX_FRAMES];
static l4_word_t frames, next_frame;

/* What happened, by region: the tests read these. */
static struct {
    l4_word_t fills, copies, upgrades, shared_maps, fetches;
} st[NREGIONS];
static l4_word_t bad_access, fork_calls, fork_mismatch, copies_at_fork;
static unsigned nprocs, ndone, nwrote, nfailed;
static bool wrote[MAX_PROCS];
static l4_word_t result[MAX_PROCS];

l4_word_t cow_frame(void)
{
    if (next_frame >= frames || l4_mem_map(MEM, next_frame * PAGE, L4_SLOT_SPACE,
                                           WIN + next_frame * PAGE, L4_MAP_READ | L4_MAP_WRITE))
        return ~0ull;
    return next_frame++;
}

void *cow_window(l4_word_t frame)
{
    return (void *)(WIN + frame * PAGE);
}

static void regions_init(void)
{
    l4_word_t text_end = ((l4_word_t)_etext + PAGE - 1) & ~(l4_word_t)(PAGE - 1);
    l4_word_t end = ((l4_word_t)_end + PAGE - 1) & ~(l4_word_t)(PAGE - 1), first = 0;
    struct cap_info m = cap_info(MEM);

    regions[R_TEXT] = (struct region){
        0x400000, (text_end - 0x400000) / PAGE, L4_MAP_READ | L4_MAP_EXEC, 0, true, false};
    regions[R_IMAGE_DATA] = (struct region){
        text_end, (end - text_end) / PAGE, L4_MAP_READ | L4_MAP_WRITE, 0, true, false};
    regions[R_STACK] = (struct region){
        STACK_TOP - STACK_PAGES * PAGE, STACK_PAGES, L4_MAP_READ | L4_MAP_WRITE, 0, false, false};
    regions[R_DATA] =
        (struct region){DATA, DATA_PAGES + FRESH_PAGES, L4_MAP_READ | L4_MAP_WRITE, 0, false, true};
    for (int r = 0; r < NREGIONS; r++) {
        regions[r].first = first;
        first += regions[r].pages;
    }
    if (first > MAX_PAGES)
        printf("cowtest: a process has %lu pages, more than %u\n", first, MAX_PAGES);
    /* the last 16 frames are for the error tests */
    frames = m.b / PAGE - 16 < MAX_FRAMES ? m.b / PAGE - 16 : MAX_FRAMES;
}

static struct region *region_of(l4_word_t va, l4_word_t *index)
{
    for (int r = 0; r < NREGIONS; r++) {
        if (va >= regions[r].base && va - regions[r].base < regions[r].pages * PAGE) {
            *index = regions[r].first + (va - regions[r].base) / PAGE;
            return &regions[r];
        }
    }
    return NULL;
}

static bool map(unsigned k, l4_word_t frame, l4_word_t va, l4_word_t perms)
{
    return l4_mem_map(MEM, frame * PAGE, SPACE_OF(k), va, perms) == L4_OK;
}

/* A first touch: a frame of its own, zeroed or from our image. */
static bool first_touch(unsigned k, struct region *r, l4_word_t va, uint32_t *e)
{
    l4_word_t f = cow_frame();

    if (f == ~0ull)
        return false;
    if (r->image)
        memcpy(cow_window(f), (const void *)va, PAGE);
    else
        memset(cow_window(f), 0, PAGE);
    refs[f] = 1;
    *e = (uint32_t)(f + 1) | E_MAPPED | (r->perms & L4_MAP_WRITE ? E_WRITABLE : 0);
    st[r - regions].fills++;
    return map(k, f, va, r->perms);
}

/* A write to a page that has a frame: copy it if others share it, else just allow writing. */
static bool write_fault(unsigned k, struct region *r, l4_word_t va, uint32_t *e)
{
    l4_word_t f = (*e & E_FRAME) - 1, changed = 0;

    if (refs[f] == 1) {
        st[r - regions].upgrades++;
        *e |= E_WRITABLE;
        if (!(*e & E_MAPPED)) {
            *e |= E_MAPPED;
            return map(k, f, va, r->perms);
        }
        return l4_mem_protect(MEM, SPACE_OF(k), va, 1, r->perms, &changed) == L4_OK && changed == 1;
    }
    l4_word_t g = cow_frame();
    if (g == ~0ull)
        return false;
    memcpy(cow_window(g), cow_window(f), PAGE);
    refs[f]--;
    refs[g] = 1;
    st[r - regions].copies++;
    if ((*e & E_MAPPED) && l4_mem_unmap(SPACE_OF(k), va))
        return false;
    *e = (uint32_t)(g + 1) | E_MAPPED | E_WRITABLE;
    return map(k, g, va, r->perms);
}

static bool handle_fault(unsigned k, l4_word_t vector, l4_word_t addr, l4_word_t error)
{
    l4_word_t va = addr & ~(l4_word_t)(PAGE - 1), index;
    struct region *r = region_of(va, &index);
    bool write = error & L4_PF_WRITE;

    if (vector != L4_FAULT_PAGE || !r || (write && !(r->perms & L4_MAP_WRITE))) {
        printf("cowtest: process %u: fault %lu at %lx (error %lx) is not ours to serve\n", k,
               vector, addr, error);
        return false;
    }
    uint32_t *e = &shadow[k][index];
    /* the access type: a protection fault exactly where we have a page mapped */
    if (!(error & L4_PF_PRESENT) != !(*e & E_MAPPED) || !(error & L4_PF_USER))
        bad_access++;
    if (error & L4_PF_FETCH)
        st[r - regions].fetches++;
    if (!(*e & E_FRAME))
        return first_touch(k, r, va, e);
    if (write)
        return write_fault(k, r, va, e);
    if (*e & E_MAPPED) // a read of a page mapped readable cannot fault
        return false;
    /* a read or fetch of a page shared but not mapped here yet: map it, copy nothing */
    l4_word_t f = (*e & E_FRAME) - 1;
    bool alone = refs[f] == 1 && (r->perms & L4_MAP_WRITE);
    st[r - regions].shared_maps++;
    *e |= E_MAPPED | (alone ? E_WRITABLE : 0);
    return map(k, f, va, alone ? r->perms : r->perms & ~(l4_word_t)L4_MAP_WRITE);
}

/* Count the entries of process k in a range of a region with all of the given bits. */
static l4_word_t count(unsigned k, const struct region *r, l4_word_t from, l4_word_t n,
                       uint32_t bits)
{
    l4_word_t c = 0;

    for (l4_word_t i = r->first + from; i < r->first + from + n; i++)
        c += (shadow[k][i] & bits) == bits;
    return c;
}

/*
 * A writable region of the parent k at a fork: its writable pages become read-only, in
 * calls of at most L4_MEM_RANGE_MAX pages; an eager region is shared with the child n the
 * same way, a lazy one as its pages are touched.
 */
static void fork_region(unsigned k, unsigned n, struct region *r)
{
    l4_word_t ro = r->perms & ~(l4_word_t)L4_MAP_WRITE;

    for (l4_word_t from = 0; from < r->pages; from += L4_MEM_RANGE_MAX) {
        l4_word_t len = r->pages - from < L4_MEM_RANGE_MAX ? r->pages - from : L4_MEM_RANGE_MAX;
        l4_word_t va = r->base + from * PAGE, done = 0;
        l4_word_t writable = count(k, r, from, len, E_MAPPED | E_WRITABLE);
        l4_word_t mapped = count(k, r, from, len, E_MAPPED);
        if ((r->perms & L4_MAP_WRITE) && writable) {
            fork_calls++;
            l4_err_t err = l4_mem_protect(MEM, SPACE_OF(k), va, len, ro, &done);
            fork_mismatch += err || done != mapped; // read-only ones too: they are ours
        }
        if (r->eager && mapped) {
            fork_calls++;
            l4_err_t err = l4_mem_share(MEM, SPACE_OF(k), SPACE_OF(n), va, len, ro, &done);
            fork_mismatch += err || done != mapped;
        }
        for (l4_word_t i = r->first + from; i < r->first + from + len; i++) {
            shadow[k][i] &= ~E_WRITABLE;
            if (r->eager && (shadow[k][i] & E_MAPPED))
                shadow[n][i] |= E_MAPPED;
        }
    }
}

static l4_word_t all_copies(void)
{
    l4_word_t n = 0;

    for (int r = 0; r < NREGIONS; r++)
        n += st[r].copies;
    return n;
}

/* Process n in a new space, running entry; forked from process k (its pages shared) if
 * k < n. Returns n, or ~0 if it could not be made. */
static l4_word_t spawn(unsigned k, l4_word_t entry)
{
    unsigned n = nprocs;
    l4_word_t id;

    if (n == MAX_PROCS || l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES),
                                          L4_SLOT_POOL(L4_POOL_PAGETABLES), SPACE_OF(n), &id))
        return ~0ull;
    l4_word_t copies = all_copies();
    if (n > 0) {
        for (l4_word_t i = 0; i < MAX_PAGES; i++) {
            shadow[n][i] = shadow[k][i] & E_FRAME;
            if (shadow[n][i])
                refs[shadow[n][i] - 1]++;
        }
        for (int r = 0; r < NREGIONS; r++)
            fork_region(k, n, &regions[r]);
    }
    copies_at_fork += all_copies() - copies; // a fork copies nothing
    if (l4_cap_replicate(EP, EP_OF(n)) || l4_cap_deduce(EP_OF(n), L4_EP_SEND, n + 1, 0) ||
        l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), SPACE_OF(n), PROC_PRIO, THREAD_OF(n),
                         &id) ||
        l4_thread_exregs(THREAD_OF(n), L4_EXREGS_ALL, entry, L4_ENTRY_SP(STACK_TOP), n, NULL,
                         NULL) ||
        l4_thread_configure(THREAD_OF(n), L4_THREAD_FAULT_EP, EP_OF(n)) ||
        l4_thread_start(THREAD_OF(n)))
        return ~0ull;
    nprocs++;
    return n;
}

/* The answer to a message from process k; *label the reply's label. */
static l4_word_t serve(unsigned k, l4_word_t tag, const l4_word_t w[4], l4_word_t *label)
{
    *label = 0;
    switch (L4_TAG_LABEL(tag)) {
    case L4_LABEL_FAULT:
        if (handle_fault(k, w[0], w[1], w[3]))
            return 0;
        *label = 1; // not resumed: the kernel stops the thread
        nfailed++;
        ndone++;
        result[k] = ~0ull;
        return 0;
    case REQ_FORK:
        return spawn(k, w[0]);
    case REQ_WROTE:
        nwrote += !wrote[k];
        wrote[k] = true;
        return nwrote >= MAX_PROCS || nfailed;
    case REQ_DONE:
        result[k] = w[0];
        ndone++;
        return 0;
    default:
        return 0;
    }
}

static void serve_all(void)
{
    l4_word_t tag, w[4], badge, label = 0, answer = 0;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &w[0], &w[1], &w[2], &w[3], &badge);

    while (!err && badge >= 1 && badge <= nprocs) {
        answer = serve((unsigned)badge - 1, tag, w, &label);
        if (ndone == nprocs)
            break;
        err = l4_ipc_reply_recv(EP, L4_TAG(label, 1, 0), answer, 0, 0, 0, &tag, &w[0], &w[1], &w[2],
                                &w[3], &badge);
    }
    if (err || ndone != nprocs)
        printf("cowtest: serving stopped: %s, badge %lu\n", l4_strerror(err), badge);
    l4_ipc_reply(L4_TAG(label, 1, 0), answer, 0, 0, 0);
}

/* What the pager sees of every data page of every process, through its window. */
static l4_word_t verify(void)
{
    for (unsigned k = 0; k < nprocs; k++) {
        for (l4_word_t i = 0; i < DATA_PAGES + FRESH_PAGES; i++) {
            enum writer w = cow_expected((enum proc)k, i);
            uint32_t e = shadow[k][regions[R_DATA].first + i];
            if (w == NOBODY ? (e & E_FRAME) != 0 : !(e & E_FRAME))
                return 1 + i;
            const l4_word_t *p = w == NOBODY ? NULL : cow_window((e & E_FRAME) - 1);
            for (l4_word_t j = 0; p && j < WORDS; j++) {
                if (p[j] != cow_value(w, i, j))
                    return 1 + i;
            }
        }
    }
    return 0;
}

/* Data pages nobody wrote after the forks must still be one frame, shared by all three. */
static l4_word_t unshared(void)
{
    const uint32_t *a = shadow[PROC_A] + regions[R_DATA].first,
                   *b = shadow[PROC_B] + regions[R_DATA].first,
                   *c = shadow[PROC_C] + regions[R_DATA].first;
    l4_word_t bad = 0;

    for (l4_word_t i = 0; i < DATA_PAGES; i++) {
        if (i % 8 >= 6)
            bad += (a[i] & E_FRAME) != (b[i] & E_FRAME) || (b[i] & E_FRAME) != (c[i] & E_FRAME) ||
                   refs[(a[i] & E_FRAME) - 1] != 3;
        if (i % 8 == 1) // B's copy, shared with C
            bad += (b[i] & E_FRAME) != (c[i] & E_FRAME) || refs[(b[i] & E_FRAME) - 1] != 2;
    }
    return bad;
}

void cow_fork_tests(void)
{
    const struct region *d = &regions[R_DATA], *t = &regions[R_TEXT];
    l4_word_t id;

    regions_init();
    if (l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), EP, &id) || spawn(0, (l4_word_t)proc_a))
        printf("cowtest: could not start the first process\n");
    serve_all();
    l4_word_t ended = 0, code = 1;
    for (unsigned k = 0; k < nprocs; k++) {
        ended += !l4_thread_wait(THREAD_OF(k), nfailed ? L4_WAIT_NONBLOCK : 0, &code) && !code;
        l4_thread_destroy(THREAD_OF(k));
    }
    l4_word_t per = DATA_PAGES / 8;
    test_report("COW-001", nprocs == 3 && ended == 3 && d->first + d->pages <= MAX_PAGES,
                "%u processes, %lu ended, %lu pages each", nprocs, ended, d->first + d->pages);
    test_report("COW-002", result[PROC_A] == 0, "A: %lx", result[PROC_A]);
    test_report("COW-003", result[PROC_B] == 0, "B: %lx", result[PROC_B]);
    test_report("COW-004", result[PROC_C] == 0, "C (a fork of a fork): %lx", result[PROC_C]);
    l4_word_t bad = verify();
    test_report("COW-005", !bad, "the pager's view: page %lu wrong", bad - 1);
    /* A filled DATA_PAGES pages, then B 16 more after the fork: first touches, no copies */
    test_report("COW-006", st[R_DATA].fills == DATA_PAGES + FRESH_PAGES && copies_at_fork == 0,
                "%lu first touches, %lu copies during forks", st[R_DATA].fills, copies_at_fork);
    /* by class (page % 8) 0, 5: one writer; 2, 3, 4: two (both copy); 1: B1 and A, one copy
     * and one last-sharer upgrade, whatever the order; 6, 7: nobody */
    test_report("COW-007", st[R_DATA].copies == 9 * per && st[R_DATA].upgrades == per,
                "%lu copies (want %lu), %lu upgrades (want %lu) of %u pages in 3 spaces",
                st[R_DATA].copies, 9 * per, st[R_DATA].upgrades, per, 3 * DATA_PAGES);
    l4_word_t split = unshared();
    test_report("COW-008", !split, "%lu untouched pages are not shared as they should be", split);
    /* B and C ran code they never wrote: fetch faults mapped the shared frames */
    test_report("COW-009",
                st[R_TEXT].shared_maps > 0 && st[R_TEXT].copies == 0 && st[R_TEXT].fetches > 0 &&
                    st[R_TEXT].fills == st[R_TEXT].fetches - st[R_TEXT].shared_maps &&
                    (shadow[PROC_B][t->first] & E_FRAME) == (shadow[PROC_A][t->first] & E_FRAME),
                "text: %lu fills, %lu shared maps, %lu copies, %lu fetch faults", st[R_TEXT].fills,
                st[R_TEXT].shared_maps, st[R_TEXT].copies, st[R_TEXT].fetches);
    test_report("COW-010", bad_access == 0,
                "%lu faults whose access type disagreed with the page's state", bad_access);
    /* 4.5 MiB in (5 + 4) / 512 ranges: two forks of a few calls each, not thousands */
    test_report("COW-011", fork_calls <= 20 && fork_mismatch == 0,
                "%lu range calls for two forks, %lu disagreed with our records", fork_calls,
                fork_mismatch);
    printf("cowtest: %lu frames for %u processes of %lu data pages: %lu copies, %lu upgrades\n",
           next_frame, nprocs, (l4_word_t)DATA_PAGES + FRESH_PAGES, st[R_DATA].copies,
           st[R_DATA].upgrades);
}
