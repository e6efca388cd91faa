/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The supervisor: the system's clock and the fuzzer's keeper. Nothing in the
 * kernel wakes a thread after a while, so a clock does (the architecture's:
 * clock_x86_64.c, clock_aarch64.c): super and the victim sleep on notifications
 * between ticks at priorities above the fuzzer's, which then has every spare
 * cycle.
 */
#include "fuzz.h"

#define CLOCK_HZ 100

/* Sleep until the next clock tick, pass the tick on to the victim; the time now. */
static l4_word_t tick(void)
{
    clock_wait();
    l4_notify_signal(SUPER_TICK);
    return now_ticks();
}

static l4_word_t threads_of(l4_cap_t container)
{
    l4_word_t x, threads = ~0ull;

    l4_container_inspect(container, &x, &threads, &x, &x, &x, &x);
    return threads;
}

/* Tick until the container has no thread left, for at most limit ticks; false if it still has. */
static bool wait_empty(l4_cap_t container, l4_word_t limit)
{
    l4_word_t end = now_ticks() + limit;

    while (threads_of(container) != 0) {
        if (tick() >= end)
            return false;
    }
    return true;
}

/*
 * Restart the fuzzer; every other time stop it first, so that the restart
 * meets every thread held, and the new one starts held until it is started.
 */
static l4_err_t restart(bool stopped)
{
    l4_err_t err;

    if (!stopped)
        return l4_container_restart(SUPER_FUZZER);
    if ((err = l4_container_stop(SUPER_FUZZER)))
        return err;
    tick(); // a tick with all its threads held
    if ((err = l4_container_restart(SUPER_FUZZER)))
        return err;
    return l4_container_start(SUPER_FUZZER);
}

int super_main(const char *arg)
{
    l4_word_t hz = ticks_per_sec(), bits;
    l4_word_t secs = arg_value(arg, "secs", 4), every = arg_value(arg, "restart", 1000) * hz / 1000;
    l4_word_t grace = arg_value(arg, "grace", 10) * hz, deadline = secs * hz;
    unsigned restarts = 0;
    l4_err_t err = clock_start(CLOCK_HZ);

    if (err) {
        printf("super: FAIL: cannot start the clock: %s\n", l4_strerror(err));
        return 1;
    }
    tick();
    printf("super: clock running at %u Hz; fuzzing for %lu s, restarting the fuzzer every %lu ms\n",
           CLOCK_HZ, secs, every * 1000 / hz);
    bool done = false;
    for (l4_word_t now = now_ticks(), next = every; !done && now < deadline + grace;) {
        now = tick();
        /* none in the last half period: a fuzzer started after its time ends without a word */
        if (now + every / 2 < deadline && now >= next) {
            restarts++;
            err = restart(restarts % 2 == 0);
            printf("super: %srestarted the fuzzer (%u%s): %s\n", err ? "FAIL: " : "", restarts,
                   restarts % 2 == 0 ? ", stopped" : "", l4_strerror(err));
            next = now + every;
        }
        done = now >= deadline && l4_notify_poll(SUPER_DONE, &bits) == L4_OK;
    }
    if (!done)
        printf("super: FAIL: no final summary from the fuzzer %lu s after its time\n", grace / hz);
    /* a last restart clears everything it made; its program sees its time is up and ends */
    err = l4_container_restart(SUPER_FUZZER);
    if (err || !wait_empty(SUPER_FUZZER, 5 * hz))
        printf("super: FAIL: the fuzzer did not end after its last restart: %s\n",
               l4_strerror(err));
    l4_container_start(SUPER_SINK); // the fuzzer may have left it stopped
    if (!wait_empty(SUPER_SINK, 5 * hz))
        printf("super: FAIL: the sink did not end\n");
    printf("super: restarted the fuzzer %u time(s) under fire; stopping the victim\n", restarts);
    l4_notify_signal(SUPER_STOP);
    if (!wait_empty(SUPER_VICTIM, 5 * hz))
        printf("super: FAIL: the victim did not end\n");
    clock_stop();
    printf("super: done\n");
    return 0;
}
