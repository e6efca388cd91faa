/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console server: owns the UART (uart.h: a 16550's I/O ports or a PL011's registers), prints
 * what its clients send and keeps what is typed for the one client that owns input (protocol:
 * <coffer/console.h>, docs/services.md).
 *
 * Three threads share one lock: two serve the endpoint (so one may wait inside a blocking read,
 * holding that caller's one-shot reply right, while the other goes on printing for everyone),
 * and one takes the UART's interrupt and runs the line discipline.
 */
#include "input.h"
#include "l4.h"
#include "sync.h"
#include "uart.h"

#include <coffer/console.h>
#include <coffer/ipc.h>
#include <coffer/thread.h>

#define EP       16 /* its endpoint: clients call it, each through its own badge */
#define IRQ      18 /* the UART's interrupt line; without it there is no input */
#define NTF      24 /* made here: the interrupt signals it */
#define WORKER   25 /* the second thread serving EP */
#define RECEIVER 26 /* the interrupt thread */

static struct l4_mutex lock = L4_MUTEX_INIT;  /* everything below, and the UART */
static struct l4_cond arrived = L4_COND_INIT; /* input became ready */
static struct input in;
static l4_word_t owner;   /* badge of the client that owns input; 0: nobody */
static l4_word_t stopper; /* the badge that may send CONSOLE_STOP ("stop=N"); 0: nobody */
static bool reading;      /* a blocking read waits (only one may: see CONSOLE_READ) */
static l4_word_t served;  /* write requests printed */
static _Alignas(4096) struct l4_utcb worker_utcb;
/* "uart=16550" or "uart=pl011"; by default the one of the machines of its architecture */
#ifdef __aarch64__
static const struct uart *uart = &uart_pl011;
#else
static const struct uart *uart = &uart_16550;
#endif

static void uart_putc(char c)
{
    uart->putc(c);
}

static void uart_write(const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n')
            uart_putc('\r');
        uart_putc(text[i]);
    }
}

static void echo(const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++)
        uart_putc(text[i]);
}

/* Take every byte the UART holds; true if it held any. Called with the lock held. */
static bool drain(void)
{
    char c;
    bool any = false;

    for (int i = 0; i < 4096 && uart->getc(&c); i++) {
        input_byte(&in, c, echo);
        any = true;
    }
    return any;
}

/*
 * The interrupt thread. The line is edge-triggered and masked from the interrupt until
 * irq_ack: a byte that came in between the first drain and the ack raised no new edge, so the
 * UART is drained again after the ack.
 */
static long receiver(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    for (;;) {
        if (l4_notify_wait(NTF, &bits))
            return 1;
        l4_mutex_lock(&lock);
        drain();
        l4_irq_ack(IRQ);
        drain();
        if (input_ready(&in))
            l4_cond_broadcast(&arrived);
        l4_mutex_unlock(&lock);
    }
}

static void start_input(void)
{
    l4_word_t id;

    if (l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF, &id) ||
        l4_irq_bind(IRQ, NTF)) {
        printf("console: no interrupt line, output only\n");
        return;
    }
    l4_mutex_lock(&lock);
    drain(); // what came before the binding; clears a pending "data" condition too
    l4_mutex_unlock(&lock);
    uart->rx_irq(true);
    if (l4_thread_spawn(receiver, 0, 100, RECEIVER))
        printf("console: no interrupt thread, output only\n");
}

/* A reply: the label says L4_OK or why not, the words are the results. */
struct answer {
    l4_word_t err, m[4], ext_len;
};

static struct answer refuse(l4_err_t err)
{
    return (struct answer){.err = err};
}

/* CONSOLE_READ, into buf; may wait (with the lock released) until input is ready. */
static struct answer do_read(l4_word_t badge, l4_word_t max, l4_word_t flags, char *buf)
{
    if (max == 0 || max > L4_EXT_MAX || (flags & ~(l4_word_t)CONSOLE_NONBLOCK))
        return refuse(L4_EINVAL);
    if (!badge || badge != owner)
        return refuse(L4_ERIGHTS);
    if (reading)
        return refuse(L4_EBUSY); // the other serving thread must stay free for everyone else
    if (!(flags & CONSOLE_NONBLOCK)) {
        reading = true;
        while (!input_ready(&in) && badge == owner)
            l4_cond_wait(&arrived, &lock);
        reading = false;
        if (badge != owner)
            return refuse(L4_ERIGHTS); // input was given away while it waited
    }
    size_t n = input_ready(&in) ? input_take(&in, buf, max) : 0;
    return (struct answer){.m = {n}, .ext_len = n};
}

static char bufs[2][L4_EXT_MAX]; /* one per serving thread: what it received, or replies */

/* The UTCB of the serving thread whose buffer is buf. */
static struct l4_utcb *utcb_of(const char *buf)
{
    return buf == bufs[0] ? (struct l4_utcb *)L4_UTCB_MAIN : &worker_utcb;
}

/* Stopping silences every client: only the one the system file names may (its badge). */
static bool may_stop(l4_word_t badge)
{
    return stopper != 0 && badge == stopper;
}

static struct answer serve(l4_word_t tag, const l4_word_t m[4], l4_word_t badge, char *buf)
{
    bool ext = tag & L4_IPC_EXT;
    l4_word_t words = L4_TAG_LEN(tag);
    struct l4_utcb *u = utcb_of(buf);

    if (tag & L4_IPC_CAP)
        return refuse(L4_EINVAL); // no request carries a capability
    switch (L4_TAG_LABEL(tag)) {
    case CONSOLE_WRITE:
        if (!ext || words)
            return refuse(L4_EINVAL);
        uart_write(buf, u->ext_received);
        served++;
        return (struct answer){.m = {u->ext_received}};
    case CONSOLE_READ:
        if (ext || words != 2)
            return refuse(L4_EINVAL);
        return do_read(badge, m[0], m[1], buf);
    case CONSOLE_MODE:
        if (ext || words != 1 || (m[0] != CONSOLE_LINE && m[0] != CONSOLE_RAW))
            return refuse(L4_EINVAL);
        if (!badge || badge != owner)
            return refuse(L4_ERIGHTS);
        l4_word_t before = (l4_word_t)in.mode;
        input_set_mode(&in, (int)m[0]);
        l4_cond_broadcast(&arrived);
        return (struct answer){.m = {before}};
    case CONSOLE_GIVE:
        if (ext || words != 1)
            return refuse(L4_EINVAL);
        if (!badge || badge != owner)
            return refuse(L4_ERIGHTS);
        owner = m[0];
        l4_cond_broadcast(&arrived); // a waiting read of the old owner ends refused
        return (struct answer){0};
    case CONSOLE_STOP: // only a malformed or unauthorised one gets here (serve_loop)
        return refuse(may_stop(badge) ? L4_EINVAL : L4_ERIGHTS);
    case CONSOLE_STATUS:
        if (ext || words)
            return refuse(L4_EINVAL);
        return (struct answer){.m = {in.count, in.dropped, owner,
                                     (in.mode == CONSOLE_RAW ? CONSOLE_RAW_MODE : 0) |
                                         (reading ? CONSOLE_READ_WAITING : 0)}};
    default:
        return refuse(L4_ENOSYS);
    }
}

static void stop(l4_word_t me)
{
    /* the other threads first: the lock is ours, so neither holds it nor will */
    l4_thread_destroy(me == 0 ? WORKER : L4_SLOT_THREAD);
    l4_thread_destroy(RECEIVER);
    uart->rx_irq(false);
    l4_irq_release(IRQ);
    printf("console: %lu message(s) printed, stopping\n", served);
    l4_ipc_reply(L4_TAG(L4_OK, 0, 0), 0, 0, 0, 0);
}

/* The loop of both serving threads; each has its own UTCB and buffer. */
static long serve_loop(l4_word_t arg)
{
    char *buf = bufs[arg];
    struct l4_utcb *u = utcb_of(buf);
    l4_word_t tag, m[4], badge;

    u->ext_recv = (l4_word_t)buf;
    u->ext_recv_len = L4_EXT_MAX;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    while (!err) {
        l4_mutex_lock(&lock);
        if (L4_TAG_LABEL(tag) == CONSOLE_STOP && !(tag & (L4_IPC_EXT | L4_IPC_CAP)) &&
            !L4_TAG_LEN(tag) && may_stop(badge)) {
            stop(arg);
            return 0; // with the lock held: nobody is left to want it
        }
        if (!(tag & L4_IPC_EXT))
            u->ext_received = 0;
        struct answer a = serve(tag, m, badge, buf);
        l4_mutex_unlock(&lock);
        u->ext_send = (l4_word_t)buf;
        u->ext_send_len = a.ext_len;
        /* NONBLOCK: the reply never waits for a client's pager (docs/architecture.md) */
        l4_word_t flags = L4_IPC_NONBLOCK | (a.ext_len ? L4_IPC_EXT : 0);
        err = l4_ipc_reply_recv(EP, L4_TAG(a.err, a.err ? 0 : 4, flags), a.m[0], a.m[1], a.m[2],
                                a.m[3], &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    }
    printf("console: receive failed: %s\n", l4_strerror(err));
    return 1;
}

/* The word after "key=" in args, a list of such words separated by spaces; NULL: none. */
static const char *find_arg(const char *arg, const char *key)
{
    size_t len = strlen(key);

    while (arg && *arg) {
        if (strncmp(arg, key, len) == 0 && arg[len] == '=')
            return arg + len + 1;
        while (*arg && *arg != ' ')
            arg++;
        while (*arg == ' ')
            arg++;
    }
    return NULL;
}

/* Is the word at w (ended by a space or the end) name? */
static bool word_is(const char *w, const char *name)
{
    size_t n = strlen(name);

    return strncmp(w, name, n) == 0 && (w[n] == ' ' || w[n] == '\0');
}

/* The number after "key=" in args, a list of such words separated by spaces; 0: none. */
static l4_word_t parse_arg(const char *arg, const char *key)
{
    size_t len = strlen(key);
    l4_word_t v = 0;

    while (arg && *arg) {
        if (strncmp(arg, key, len) == 0 && arg[len] == '=') {
            for (arg += len + 1; *arg >= '0' && *arg <= '9'; arg++)
                v = v * 10 + (l4_word_t)(*arg - '0');
            return v;
        }
        while (*arg && *arg != ' ')
            arg++;
        while (*arg == ' ')
            arg++;
    }
    return 0;
}

int main(const char *arg)
{
    const char *which = find_arg(arg, "uart");

    owner = parse_arg(arg, "input");
    stopper = parse_arg(arg, "stop");
    if (which && (word_is(which, "16550") || word_is(which, "pl011")))
        uart = word_is(which, "pl011") ? &uart_pl011 : &uart_16550;
    else if (which)
        printf("console: uart=%s is neither 16550 nor pl011: using the %s\n", which, uart->name);
    if (!uart->init()) {
        printf("console: no %s UART in slot %d\n", uart->name, UART_SLOT);
        return 1;
    }
    in.mode = CONSOLE_LINE;
    start_input();
    l4_err_t err =
        l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, serve_loop, 1, 100, WORKER);
    if (!err)
        err = l4_thread_configure(WORKER, L4_THREAD_UTCB, (l4_word_t)&worker_utcb);
    if (!err)
        err = l4_thread_start(WORKER);
    if (err)
        printf("console: one serving thread only: %s\n", l4_strerror(err));
    return (int)serve_loop(0);
}
