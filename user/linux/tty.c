/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /dev/console's state and calls (tty.h): reads that wait as VMIN/VTIME say, writes through
 * the line discipline's output processing, the terminal ioctls with Linux's errors, and the
 * session and foreground process group that ^C signals. All under lx_lock.
 */
#include "tty.h"

#include "tty_ldisc.h"

#include <coffer/ipc.h>

/* Linux's ioctl numbers (asm-generic/ioctls.h) */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TCSBRK     0x5409
#define TCXONC     0x540A
#define TCFLSH     0x540B
#define TIOCEXCL   0x540C
#define TIOCNXCL   0x540D
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCOUTQ   0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCNOTTY  0x5422
#define TIOCSETD   0x5423
#define TIOCGETD   0x5424
#define TCSBRKP    0x5425
#define TIOCGSID   0x5429

#define SIGHUP   1
#define SIGCONT  18
#define SIGWINCH 28

struct lx_winsize {
    uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct lx_waitq tty_wait;
int tty_sid, tty_pgrp;

static struct ldisc ld;
static struct lx_winsize winsize;

/* Output on its way to the console: one CONSOLE_WRITE per L4_EXT_MAX bytes. */
static char obuf[L4_EXT_MAX];
static size_t olen;
static bool out_failed; /* a write to the console failed since the last tty_write began */

static void oflush(void)
{
    if (olen && tty_console_write(obuf, olen) < 0)
        out_failed = true;
    olen = 0;
}

/*
 * The line discipline's output. The console service prints every '\n' as "\r\n" itself, so a
 * '\r' right before a '\n' (ONLCR's) is left for it to add: the line gets exactly the bytes
 * the termios asked for. Only a bare '\n' (OPOST or ONLCR off) gains a '\r' (docs/linux-tty.md).
 */
static void out(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && olen > 0 && obuf[olen - 1] == '\r')
            olen--;
        if (olen == sizeof(obuf))
            oflush();
        obuf[olen++] = s[i];
    }
}

/* ISIG: the foreground process group gets the signal (nobody, when there is none). */
static void sig(void *ctx, int signo)
{
    (void)ctx;
    if (tty_pgrp > 0)
        lx_kill_pgrp(tty_pgrp, signo);
}

static const struct ldisc_io io = {.out = out, .sig = sig};

void tty_reset(void)
{
    ldisc_init(&ld, &io);
    winsize = (struct lx_winsize){.ws_row = 24, .ws_col = 80};
    tty_sid = tty_pgrp = 0;
    olen = 0;
}

void lx_tty_set_session(int sid, int pgid)
{
    tty_sid = sid;
    tty_pgrp = pgid;
}

static void wake_readers(void)
{
    lx_wake(&tty_wait);
    lx_wake(&lx_poll_wait);
}

void tty_input(const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ldisc_input(&ld, (unsigned char)buf[i]);
    oflush(); /* the echo */
    wake_readers();
}

unsigned tty_poll(void)
{
    return (ldisc_readable(&ld, true) ? LX_POLLIN : 0) | LX_POLLOUT;
}

/*
 * As Linux's n_tty_read: canonical, one line (or what fits); raw, at least VMIN bytes, with
 * VTIME (tenths of a second) the time allowed between bytes once one came; VMIN 0: whatever is
 * there, waiting at most VTIME for the first byte (VTIME 0: not at all).
 */
long tty_read(struct lx_task *t, void *buf, size_t len, bool nonblock)
{
    const struct lx_termios *tio = &ld.tio;
    size_t minimum = 0, got = 0;
    uint64_t gap = 0, deadline = 0; /* ns; deadline 0: none */
    bool may_wait = true;
    long err = 0;

    if (len == 0)
        return 0;
    if (!(tio->c_lflag & LX_ICANON)) {
        uint64_t vtime = tio->c_cc[LX_VTIME] * 100000000ull;
        minimum = tio->c_cc[LX_VMIN];
        if (minimum) {
            gap = vtime;
        } else {
            minimum = 1;
            may_wait = vtime != 0;
            deadline = vtime ? lx_now() + vtime : 0;
        }
    }
    for (;;) {
        if (!ldisc_readable(&ld, false)) {
            if (!may_wait)
                break;
            if (nonblock) {
                err = -LX_EAGAIN;
                break;
            }
            int r = lx_sleep(t, &tty_wait, deadline);
            if (r == -LX_EINTR) {
                err = -LX_EINTR;
                break;
            }
            if (r == -LX_ETIMEDOUT)
                break;
            continue;
        }
        got += ldisc_read(&ld, (char *)buf + got, len - got);
        if (got >= minimum || got == len)
            break;
        if (gap)
            deadline = lx_now() + gap;
    }
    return got ? (long)got : err;
}

long tty_write(struct lx_task *t, const void *buf, size_t len)
{
    (void)t;
    out_failed = false;
    ldisc_write(&ld, buf, len);
    oflush();
    return out_failed ? -LX_EIO : (long)len;
}

/* --- ioctls --------------------------------------------------------------------------------- */

/* Whether this terminal is p's controlling terminal: it is its session's (one terminal). */
static bool is_ctty(const struct lx_proc *p)
{
    return tty_sid != 0 && p->sid == tty_sid;
}

static long put_int(struct lx_task *t, uint64_t arg, int v)
{
    return lx_copy_out(t, arg, &v, sizeof(v));
}

/*
 * The session of process group pgid, as Linux's TIOCSPGRP finds it: a process in the group, or
 * else the process with that pid; 0 when neither exists.
 */
static int session_of_pgrp(int pgid)
{
    for (struct lx_proc *p = lx_proc_first(); p; p = p->next)
        if (p->pgid == pgid && p->state != LX_PROC_DEAD)
            return p->sid;
    struct lx_proc *p = lx_proc_find(pgid);
    return p ? p->sid : 0;
}

static long set_pgrp(struct lx_task *t, uint64_t arg)
{
    int pgid;

    if (lx_copy_in(t, &pgid, arg, sizeof(pgid)))
        return -LX_EFAULT;
    if (pgid < 0)
        return -LX_EINVAL;
    if (!is_ctty(t->proc))
        return -LX_ENOTTY;
    int sid = session_of_pgrp(pgid);
    if (!sid)
        return -LX_ESRCH;
    if (sid != t->proc->sid)
        return -LX_EPERM;
    tty_pgrp = pgid;
    return 0;
}

/* TIOCSCTTY: a session leader without a terminal takes this one (arg 1: even from another
 * session, which Linux allows the superuser; every Linux process here is root). */
static long set_ctty(struct lx_task *t, uint64_t arg)
{
    struct lx_proc *p = t->proc;
    bool leader = p->pid == p->sid;

    if (leader && p->sid == tty_sid)
        return 0;
    if (!leader)
        return -LX_EPERM; /* (a leader of another session has no terminal: there is one) */
    if (tty_sid && arg != 1)
        return -LX_EPERM;
    tty_sid = p->sid;
    tty_pgrp = p->pgid;
    return 0;
}

/* TIOCNOTTY: a session leader gives the terminal up; its foreground group hears of it. */
static long drop_ctty(struct lx_task *t)
{
    struct lx_proc *p = t->proc;

    if (!is_ctty(p))
        return -LX_ENOTTY;
    if (p->pid == p->sid) {
        int pgrp = tty_pgrp;
        tty_sid = tty_pgrp = 0;
        if (pgrp > 0) {
            lx_kill_pgrp(pgrp, SIGHUP);
            lx_kill_pgrp(pgrp, SIGCONT);
        }
    }
    /* another process of the session keeps it: a terminal per process is not kept (one sid) */
    return 0;
}

static long set_termios(struct lx_task *t, unsigned long cmd, uint64_t arg)
{
    struct lx_termios tio;

    if (lx_copy_in(t, &tio, arg, sizeof(tio)))
        return -LX_EFAULT;
    if (cmd == TCSETSF)
        ldisc_flush(&ld);
    /* TCSETSW waits for output to drain: it always has (writes are synchronous) */
    ldisc_set_termios(&ld, &tio);
    wake_readers(); /* what a read waits for may have changed */
    return 0;
}

static long set_winsize(struct lx_task *t, uint64_t arg)
{
    struct lx_winsize ws;

    if (lx_copy_in(t, &ws, arg, sizeof(ws)))
        return -LX_EFAULT;
    bool changed = memcmp(&ws, &winsize, sizeof(ws)) != 0;
    winsize = ws;
    if (changed && tty_pgrp > 0)
        lx_kill_pgrp(tty_pgrp, SIGWINCH);
    return 0;
}

long tty_ioctl(struct lx_task *t, unsigned long cmd, uint64_t arg)
{
    switch (cmd) {
    case TCGETS:
        return lx_copy_out(t, arg, &ld.tio, sizeof(ld.tio));
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        return set_termios(t, cmd, arg);
    case TIOCGWINSZ:
        return lx_copy_out(t, arg, &winsize, sizeof(winsize));
    case TIOCSWINSZ:
        return set_winsize(t, arg);
    case TIOCGPGRP:
        return is_ctty(t->proc) ? put_int(t, arg, tty_pgrp) : -LX_ENOTTY;
    case TIOCSPGRP:
        return set_pgrp(t, arg);
    case TIOCGSID:
        return is_ctty(t->proc) ? put_int(t, arg, tty_sid) : -LX_ENOTTY;
    case TIOCSCTTY:
        return set_ctty(t, arg);
    case TIOCNOTTY:
        return drop_ctty(t);
    case FIONREAD:
        return put_int(t, arg, (int)ldisc_inq(&ld));
    case TIOCOUTQ:
        return put_int(t, arg, 0); /* output is written before write returns */
    case TCFLSH:
        if (arg > 2) /* TCIFLUSH, TCOFLUSH, TCIOFLUSH */
            return -LX_EINVAL;
        if (arg != 1)
            ldisc_flush(&ld);
        return 0;
    case TCXONC: /* TCOOFF, TCOON, TCIOFF, TCION: output never stops here */
        return arg > 3 ? -LX_EINVAL : 0;
    case TCSBRK: /* tcdrain's, and a break: nothing to wait for, no break to send */
    case TCSBRKP:
    case TIOCEXCL:
    case TIOCNXCL:
        return 0;
    case TIOCGETD:
        return put_int(t, arg, 0); /* N_TTY */
    case TIOCSETD: {
        int disc;
        if (lx_copy_in(t, &disc, arg, sizeof(disc)))
            return -LX_EFAULT;
        return disc == 0 ? 0 : -LX_EINVAL;
    }
    default:
        return -LX_ENOTTY;
    }
}
