/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keyboard service: owns the PS/2 controller's ports and IRQ 1, turns scancodes into key
 * events and hands them, in order, to whoever calls its endpoint (docs/services.md
 * "Keyboard"). Two threads: the interrupt thread reads and decodes bytes into a bounded queue;
 * the main thread answers calls from it, waiting on the queue for a blocking request.
 */
#include "kbd.h"

#include "decode.h"
#include "i8042.h"
#include "l4.h"
#include "sync.h"

#include <coffer/ipc.h>

#define EP         16 /* its endpoint (receive) */
#define PORT_DATA  17 /* I/O port 0x60 */
#define PORT_CMD   18 /* I/O port 0x64 */
#define IRQ        19 /* interrupt line 1 */
#define NTF        20 /* made here: the line signals it */
#define IRQ_THREAD 21 /* made here */

#define QUEUE_LEN 32 /* a power of two: the ring's indices wrap by masking */

/* Events not yet taken; when full, new ones are dropped (and counted), never old ones, so
 * what a client reads is the start of what was typed, in order. */
static struct {
    struct l4_mutex lock;
    struct l4_cond nonempty;
    l4_word_t head, tail; /* taken from head, added at tail; tail - head <= QUEUE_LEN */
    l4_word_t dropped;
    struct kbd_event ev[QUEUE_LEN];
} q = {L4_MUTEX_INIT, L4_COND_INIT, 0, 0, 0, {{0}}};

static const struct i8042 ctl = {PORT_DATA, PORT_CMD};
static struct kbd_decoder decoder;

static void push(const struct kbd_event *e)
{
    l4_mutex_lock(&q.lock);
    if (q.tail - q.head == QUEUE_LEN) {
        q.dropped++;
    } else {
        q.ev[q.tail++ % QUEUE_LEN] = *e;
        l4_cond_signal(&q.nonempty);
    }
    l4_mutex_unlock(&q.lock);
}

/* Every byte the controller holds, decoded into the queue. */
static void drain(void)
{
    uint8_t byte;
    struct kbd_event e;

    while (i8042_read(&ctl, &byte))
        if (kbd_decode(&decoder, byte, &e))
            push(&e);
}

static long irq_thread(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    while (l4_notify_wait(NTF, &bits) == L4_OK) {
        drain();
        l4_irq_ack(IRQ);
        drain(); // a byte that came while the line was masked may have raised no new interrupt
    }
    return 0;
}

/* The next event into *w, waiting for one unless nonblock; L4_ETIMEOUT if none and nonblock. */
static l4_err_t take(bool nonblock, l4_word_t *w, l4_word_t *dropped)
{
    l4_err_t err = L4_OK;

    l4_mutex_lock(&q.lock);
    while (q.head == q.tail && !nonblock)
        l4_cond_wait(&q.nonempty, &q.lock);
    if (q.head == q.tail)
        err = L4_ETIMEOUT;
    else
        *w = kbd_event_pack(&q.ev[q.head++ % QUEUE_LEN]);
    *dropped = q.dropped;
    l4_mutex_unlock(&q.lock);
    return err;
}

/* Answer one request: the error in the reply's label (docs/services.md "Keyboard"). */
static l4_err_t serve(l4_word_t tag, l4_word_t m0, l4_word_t badge, l4_word_t *w,
                      l4_word_t *dropped, bool *stop)
{
    if (L4_TAG_LEN(tag) != 1 || (tag & L4_TAG_FLAGS_MASK & ~L4_IPC_NONBLOCK))
        return L4_EINVAL; // one word, no extended buffer, no capability
    switch (L4_TAG_LABEL(tag)) {
    case KBD_OP_GET:
        if (m0 & ~(l4_word_t)KBD_NONBLOCK)
            return L4_EINVAL;
        return take(m0 & KBD_NONBLOCK, w, dropped);
    case KBD_OP_STOP:
        if (m0)
            return L4_EINVAL;
        if (badge != KBD_BADGE_STOP)
            return L4_ERIGHTS;
        *stop = true;
        return L4_OK;
    default:
        return L4_EINVAL;
    }
}

int main(const char *arg)
{
    l4_word_t id, tag, m0, x, badge;
    l4_err_t err = l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF, &id);

    (void)arg;
    if (!err)
        err = i8042_init(&ctl);
    if (!err)
        err = l4_irq_bind(IRQ, NTF);
    if (!err)
        err = l4_thread_spawn(irq_thread, 0, 100, IRQ_THREAD);
    if (err) {
        printf("kbd: cannot start: %s (a PC machine, ports 0x60 and 0x64, IRQ 1?)\n",
               l4_strerror(err));
        return 1;
    }
    drain(); // bytes (and an interrupt) from before the line was bound
    printf("kbd: ready\n");
    bool stop = false;
    err = l4_ipc_recv(EP, 0, &tag, &m0, &x, &x, &x, &badge);
    while (!err) {
        l4_word_t w = 0, dropped = 0;
        l4_err_t res = serve(tag, m0, badge, &w, &dropped, &stop);
        if (stop)
            break;
        err = l4_ipc_reply_recv(EP, L4_TAG(res, 2, 0), w, dropped, 0, 0, &tag, &m0, &x, &x, &x,
                                &badge);
    }
    l4_irq_release(IRQ);
    l4_thread_destroy(IRQ_THREAD);
    l4_ipc_reply(L4_TAG(L4_OK, 2, 0), 0, q.dropped, 0, 0);
    printf("kbd: stopped (%lu event(s) dropped)\n", q.dropped);
    return 0;
}
