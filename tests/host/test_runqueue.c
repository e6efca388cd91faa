/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the ready queues: per-priority FIFOs, a 256-bit bitmap and the top level. */
// uses: kernel/core/runqueue.c
#include "check.h"
#include "runqueue.h"

#include <string.h>

static struct runqueue rq;

static struct list_node *peek(unsigned *prio)
{
    *prio = 999; // a value rq_peek never writes, so an untouched prio shows
    return rq_peek(&rq, prio);
}

static bool bit_set(unsigned prio)
{
    return (rq.bitmap[prio / 64] >> (prio % 64)) & 1;
}

static void empty_peek_returns_null(void)
{
    unsigned prio;

    rq_init(&rq);
    CHECK(peek(&prio) == NULL);
    CHECK(!rq_any(&rq));
    for (unsigned w = 0; w < NUM_PRIORITIES / 64; w++)
        CHECK_EQ(rq.bitmap[w], 0);

    // and empty again after a node comes and goes
    struct list_node a = {0};
    rq_push_back(&rq, &a, 17);
    CHECK(rq_any(&rq));
    rq_remove(&rq, &a, 17);
    CHECK(peek(&prio) == NULL);
    CHECK(!rq_any(&rq));
}

static void push_back_is_fifo(void)
{
    struct list_node n[4] = {0};
    unsigned prio;

    rq_init(&rq);
    for (int i = 0; i < 4; i++)
        rq_push_back(&rq, &n[i], 42);
    for (int i = 0; i < 4; i++) {
        CHECK(peek(&prio) == &n[i]);
        CHECK_EQ(prio, 42);
        rq_remove(&rq, &n[i], 42);
    }
    CHECK(peek(&prio) == NULL);
}

static void push_front_goes_ahead(void)
{
    struct list_node a = {0}, b = {0}, c = {0}, d = {0};
    unsigned prio;

    rq_init(&rq);
    rq_push_back(&rq, &a, 9);
    rq_push_back(&rq, &b, 9);
    rq_push_front(&rq, &c, 9);
    CHECK(peek(&prio) == &c);
    CHECK_EQ(prio, 9);
    rq_push_front(&rq, &d, 9);
    CHECK(peek(&prio) == &d);
    rq_remove(&rq, &d, 9);
    CHECK(peek(&prio) == &c);
    rq_remove(&rq, &c, 9);
    CHECK(peek(&prio) == &a);
    rq_remove(&rq, &a, 9);
    CHECK(peek(&prio) == &b);

    // push_front onto an empty level marks it too
    rq_init(&rq);
    rq_push_front(&rq, &a, 200);
    CHECK(peek(&prio) == &a);
    CHECK_EQ(prio, 200);
    CHECK(bit_set(200));
}

static const unsigned edges[] = {0, 63, 64, 127, 128, 191, 192, 255};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

static void highest_priority_across_words(void)
{
    struct list_node n[NEDGES];
    unsigned prio;

    // each edge alone is found, whichever bitmap word it lives in
    for (unsigned i = 0; i < NEDGES; i++) {
        memset(n, 0, sizeof(n));
        rq_init(&rq);
        rq_push_back(&rq, &n[i], edges[i]);
        CHECK(peek(&prio) == &n[i]);
        CHECK_EQ(prio, edges[i]);
    }

    // all together, pushed in a scrambled order: they come out highest first
    static const unsigned order[NEDGES] = {3, 0, 6, 1, 7, 4, 2, 5};
    memset(n, 0, sizeof(n));
    rq_init(&rq);
    for (unsigned i = 0; i < NEDGES; i++)
        rq_push_back(&rq, &n[order[i]], edges[order[i]]);
    for (int i = NEDGES - 1; i >= 0; i--) {
        CHECK(peek(&prio) == &n[i]);
        CHECK_EQ(prio, edges[i]);
        rq_remove(&rq, &n[i], edges[i]);
    }
    CHECK(peek(&prio) == NULL);

    // and lowest first removal leaves the highest on top each time
    memset(n, 0, sizeof(n));
    rq_init(&rq);
    for (unsigned i = 0; i < NEDGES; i++)
        rq_push_back(&rq, &n[i], edges[i]);
    for (unsigned i = 0; i < NEDGES - 1; i++) {
        rq_remove(&rq, &n[i], edges[i]);
        CHECK(peek(&prio) == &n[NEDGES - 1]);
        CHECK_EQ(prio, 255);
    }
}

static void removing_last_clears_bit(void)
{
    struct list_node a = {0}, b = {0}, c = {0}, low = {0};
    unsigned prio;

    rq_init(&rq);
    rq_push_back(&rq, &a, 100);
    rq_push_back(&rq, &b, 100);
    rq_push_back(&rq, &c, 100);
    rq_push_back(&rq, &low, 3);

    rq_remove(&rq, &b, 100); // from the middle: the level stays
    CHECK(bit_set(100));
    CHECK(peek(&prio) == &a);
    CHECK_EQ(prio, 100);
    rq_remove(&rq, &a, 100); // the head: c is next
    CHECK(bit_set(100));
    CHECK(peek(&prio) == &c);
    rq_remove(&rq, &c, 100); // the last: the bit goes, peek falls to level 3
    CHECK(!bit_set(100));
    CHECK(bit_set(3));
    CHECK(peek(&prio) == &low);
    CHECK_EQ(prio, 3);
    rq_remove(&rq, &low, 3);
    CHECK(!bit_set(3));
    CHECK(peek(&prio) == NULL);

    // removed nodes are unlinked and may be queued again
    CHECK(!list_linked(&a));
    rq_push_back(&rq, &a, 64);
    CHECK(peek(&prio) == &a);
    CHECK_EQ(prio, 64);
}

static void top_follows_pushes_and_removes(void)
{
    struct list_node n[6] = {0};
    unsigned prio;

    rq_init(&rq);
    CHECK(rq.top == &rq.queue[0]);
    rq_push_back(&rq, &n[0], 1);
    rq_push_back(&rq, &n[1], 130);
    CHECK(rq.top == &rq.queue[130]);
    rq_push_back(&rq, &n[2], 7); // a push below top leaves it
    CHECK(rq.top == &rq.queue[130]);
    rq_push_front(&rq, &n[3], 255);
    CHECK(rq.top == &rq.queue[255]);
    // a remove leaves top at the queue it emptied; the next peek lowers it, across words
    rq_remove(&rq, &n[3], 255);
    CHECK(rq.top == &rq.queue[255]);
    rq_remove(&rq, &n[1], 130);
    CHECK(peek(&prio) == &n[2]);
    CHECK_EQ(prio, 7);
    CHECK(rq.top == &rq.queue[7]);
    // something back at top's level before the peek: top was right all along
    rq_remove(&rq, &n[2], 7);
    rq_push_back(&rq, &n[4], 7);
    CHECK(peek(&prio) == &n[4]);
    // down to level 0, then nothing: top rests at level 0, an empty queue
    rq_remove(&rq, &n[4], 7);
    CHECK(peek(&prio) == &n[0]);
    CHECK_EQ(prio, 1);
    rq_remove(&rq, &n[0], 1);
    rq_push_back(&rq, &n[5], 0);
    CHECK(peek(&prio) == &n[5]);
    CHECK_EQ(prio, 0);
    rq_remove(&rq, &n[5], 0);
    CHECK(peek(&prio) == NULL);
    CHECK(rq.top == &rq.queue[0]);
    rq_init(&rq); // init empties whatever was there
    rq_push_back(&rq, &n[0], 5);
    rq_init(&rq);
    CHECK(!rq_any(&rq));
    CHECK(rq.top == &rq.queue[0]);
}

/* Reference model: a plain array per priority, in queue order. */
#define NNODES 48
#define NOPS   20000

static struct list_node node[NNODES];
static int node_prio[NNODES]; /* -1 when not queued */
static int model[NUM_PRIORITIES][NNODES];
static int model_len[NUM_PRIORITIES];

static unsigned random_prio(void)
{
    // mostly a few hot levels (so FIFOs get long), spread over all four words; sometimes any
    static const unsigned hot[] = {0, 1, 63, 64, 65, 127, 128, 191, 192, 254, 255};
    if (rand() % 4)
        return hot[rand() % (int)(sizeof(hot) / sizeof(hot[0]))];
    return (unsigned)(rand() % NUM_PRIORITIES);
}

static void model_remove(int i)
{
    int p = node_prio[i];
    int k = 0;

    while (model[p][k] != i)
        k++;
    memmove(&model[p][k], &model[p][k + 1], (size_t)(model_len[p] - k - 1) * sizeof(int));
    model_len[p]--;
    node_prio[i] = -1;
}

static int compare_with_model(void)
{
    unsigned prio;
    int top = -1;

    for (int p = NUM_PRIORITIES - 1; p >= 0; p--) {
        if (top < 0 && model_len[p])
            top = p;
        if (bit_set((unsigned)p) != (model_len[p] != 0))
            return 0;
    }
    if (top >= 0 && rq.top < &rq.queue[top])
        return 0; // top is at or above the highest non-empty level
    struct list_node *n = peek(&prio);
    if (top < 0)
        return n == NULL;
    return n == &node[model[top][0]] && prio == (unsigned)top;
}

static void randomized_against_model(void)
{
    int mismatches = 0, pushes = 0, removes = 0;

    srand(12345);
    rq_init(&rq);
    memset(node, 0, sizeof(node));
    memset(model_len, 0, sizeof(model_len));
    for (int i = 0; i < NNODES; i++)
        node_prio[i] = -1;

    for (int op = 0; op < NOPS; op++) {
        int i = rand() % NNODES;
        int action = rand() % 3;

        if (node_prio[i] < 0) {
            unsigned p = random_prio();
            if (action == 0) {
                rq_push_front(&rq, &node[i], p);
                memmove(&model[p][1], &model[p][0], (size_t)model_len[p] * sizeof(int));
                model[p][0] = i;
            } else {
                rq_push_back(&rq, &node[i], p);
                model[p][model_len[p]] = i;
            }
            model_len[p]++;
            node_prio[i] = (int)p;
            pushes++;
        } else if (action != 2) {
            rq_remove(&rq, &node[i], (unsigned)node_prio[i]);
            model_remove(i);
            removes++;
        } else {
            // remove whatever peek says is on top, as the scheduler does
            unsigned p;
            struct list_node *n = peek(&p);
            // only a node of ours may come back (not a queue head, say)
            int j = -1;
            for (int k = 0; k < NNODES; k++)
                if (n == &node[k])
                    j = k;
            CHECK(j >= 0 && node_prio[j] >= 0);
            if (j >= 0 && node_prio[j] >= 0) {
                CHECK_EQ(node_prio[j], p);
                rq_remove(&rq, n, p);
                model_remove(j);
                removes++;
            }
        }
        if (!compare_with_model()) {
            if (mismatches++ < 5)
                printf("    mismatch with the model after op %d\n", op);
        }
    }
    CHECK_EQ(mismatches, 0);
    // the run must have exercised both directions heavily
    CHECK(pushes > NOPS / 4);
    CHECK(removes > NOPS / 4);
}

int main(void)
{
    RUN("runqueue", empty_peek_returns_null);
    RUN("runqueue", push_back_is_fifo);
    RUN("runqueue", push_front_goes_ahead);
    RUN("runqueue", highest_priority_across_words);
    RUN("runqueue", removing_last_clears_bit);
    RUN("runqueue", top_follows_pushes_and_removes);
    RUN("runqueue", randomized_against_model);
    return CHECK_DONE();
}
