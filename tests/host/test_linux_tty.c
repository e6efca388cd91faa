/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests of the Linux personality's terminal (user/linux/tty.c, tty_ldisc.c): the line
 * discipline against what the host's own Linux ptys do, VMIN/VTIME reads, the ioctls and their
 * errors. The server's calls are stubs below: user memory is host memory (an address under
 * 4096 faults), a sleep runs the next step of a script (input, a timeout, a signal).
 */
// uses: -Iuser/linux -Iuser/linux/arch/x86_64 -Iuser/lib user/linux/tty.c user/linux/tty_ldisc.c
#include "check.h"
#define main coffer_main /* l4.h declares a Coffer program's main(const char *arg) */
#include "tty.h"
#undef main
#include "tty_ldisc.h"

#include <stdint.h>
#include <string.h>

/* --- stubs of the server -------------------------------------------------------------------- */

struct l4_mutex lx_lock;
struct lx_waitq lx_poll_wait;

static int wakes_tty, wakes_poll;
void lx_wake(struct lx_waitq *q)
{
    if (q == &tty_wait)
        wakes_tty++;
    if (q == &lx_poll_wait)
        wakes_poll++;
}

static uint64_t now_ns = 1000000000ull;
uint64_t lx_now(void)
{
    return now_ns;
}

/* What each lx_sleep does, in turn: 'i' type step.text, 't' time out, 's' a signal. */
struct step {
    char what;
    const char *text;
    uint64_t deadline; /* expected deadline (for 't': also checked) */
};
static const struct step *script;
static int script_len, script_pos, sleeps;
static uint64_t last_deadline;

static void play(const struct step *s, int n)
{
    script = s;
    script_len = n;
    script_pos = sleeps = 0;
}

int lx_sleep(struct lx_task *t, struct lx_waitq *q, uint64_t deadline)
{
    (void)t;
    CHECK(q == &tty_wait);
    sleeps++;
    last_deadline = deadline;
    if (script_pos >= script_len) {
        CHECK(!"a sleep past the script's end");
        return -LX_EINTR;
    }
    const struct step *s = &script[script_pos++];
    switch (s->what) {
    case 'i':
        tty_input(s->text, strlen(s->text));
        return 0;
    case 't':
        CHECK(deadline != 0);
        CHECK_EQ(deadline, s->deadline);
        now_ns = deadline;
        return -LX_ETIMEDOUT;
    default:
        return -LX_EINTR;
    }
}

#define BAD_ADDR 16ull /* user addresses below 4096 fault */
int lx_copy_in(struct lx_task *t, void *dst, uint64_t src, size_t len)
{
    (void)t;
    if (src < 4096)
        return -LX_EFAULT;
    memcpy(dst, (const void *)(uintptr_t)src, len);
    return 0;
}

int lx_copy_out(struct lx_task *t, uint64_t dst, const void *src, size_t len)
{
    (void)t;
    if (dst < 4096)
        return -LX_EFAULT;
    memcpy((void *)(uintptr_t)dst, src, len);
    return 0;
}

static int kills[8][2], nkills; /* (pgid, sig) */
int lx_kill_pgrp(int pgid, int sig)
{
    if (nkills < 8) {
        kills[nkills][0] = pgid;
        kills[nkills][1] = sig;
    }
    nkills++;
    return 0;
}

/* Processes: 1 (session 1, group 1), 2 (session 1, group 2), 3 (session 3, group 3). */
static struct lx_proc procs[3];
static struct lx_task tasks[3];
struct lx_proc *lx_proc_first(void)
{
    return &procs[0];
}
struct lx_proc *lx_proc_find(int pid)
{
    for (int i = 0; i < 3; i++)
        if (procs[i].pid == pid)
            return &procs[i];
    return NULL;
}

static char wire[16384]; /* what went to the console service */
static size_t wire_len;
static int wire_writes;
int tty_console_write(const char *s, size_t n)
{
    CHECK(n > 0 && n <= 4096);
    if (wire_len + n <= sizeof(wire)) {
        memcpy(wire + wire_len, s, n);
        wire_len += n;
    }
    wire_writes++;
    return 0;
}

/* --- helpers -------------------------------------------------------------------------------- */

#define U(p) ((uint64_t)(uintptr_t)(p))

static struct lx_task *t1 = &tasks[0], *t2 = &tasks[1], *t3 = &tasks[2];

static void fresh(void)
{
    tty_reset();
    wire_len = 0;
    wire_writes = nkills = wakes_tty = wakes_poll = 0;
    memset(kills, 0, sizeof(kills));
    play(NULL, 0);
    int ids[3][3] = {{1, 1, 1}, {2, 2, 1}, {3, 3, 3}}; /* pid, pgid, sid */
    for (int i = 0; i < 3; i++) {
        procs[i] = (struct lx_proc){.pid = ids[i][0], .pgid = ids[i][1], .sid = ids[i][2]};
        procs[i].next = i < 2 ? &procs[i + 1] : NULL;
        tasks[i] = (struct lx_task){.tid = ids[i][0], .proc = &procs[i]};
    }
    lx_tty_set_session(1, 1); /* as the core does for the first process */
    CHECK(tty_sid == 1 && tty_pgrp == 1);
}

static void type(const char *s)
{
    tty_input(s, strlen(s));
}

static bool wire_is(const char *s)
{
    bool ok = wire_len == strlen(s) && memcmp(wire, s, wire_len) == 0;
    if (!ok)
        printf("    wire: \"%.*s\" (%zu bytes), expected \"%s\"\n", (int)wire_len, wire, wire_len,
               s);
    wire_len = 0;
    return ok;
}

static struct lx_termios get(void)
{
    struct lx_termios tio;
    CHECK_EQ(tty_ioctl(t1, 0x5401, U(&tio)), 0);
    return tio;
}

static void set(const struct lx_termios *tio)
{
    CHECK_EQ(tty_ioctl(t1, 0x5402, U(tio)), 0);
}

static void lflag(uint32_t on, uint32_t off)
{
    struct lx_termios tio = get();
    tio.c_lflag = (tio.c_lflag | on) & ~off;
    set(&tio);
}

static void raw(int vmin, int vtime)
{
    struct lx_termios tio = get();
    tio.c_lflag &= ~(LX_ICANON | LX_ECHO);
    tio.c_cc[LX_VMIN] = (uint8_t)vmin;
    tio.c_cc[LX_VTIME] = (uint8_t)vtime;
    set(&tio);
}

/* One read of at most max bytes (nonblocking), as a string; "" with *res < 0 when none. */
static const char *rd(size_t max, long *res)
{
    static char buf[8192];
    long n = tty_read(t1, buf, max, true);
    if (res)
        *res = n;
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

static bool reads(const char *want)
{
    long n;
    const char *got = rd(4096, &n);
    bool ok = n == (long)strlen(want) && memcmp(got, want, strlen(want)) == 0;
    if (!ok)
        printf("    read %ld: \"%s\", expected \"%s\"\n", n, got, want);
    return ok;
}

/* --- the line discipline -------------------------------------------------------------------- */

static void defaults_are_a_linux_consoles(void)
{
    fresh();
    struct lx_termios tio = get();
    CHECK_EQ(tio.c_iflag, 0x500);  /* ICRNL IXON */
    CHECK_EQ(tio.c_oflag, 0x5);    /* OPOST ONLCR */
    CHECK_EQ(tio.c_cflag, 0xbf);   /* B38400 CS8 CREAD */
    CHECK_EQ(tio.c_lflag, 0x8a3b); /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
    static const uint8_t cc[LX_NCCS] = {3,   034, 0177, 025, 4,   0,   1,   0, 021,
                                        023, 032, 0,    022, 017, 027, 026, 0};
    CHECK(memcmp(tio.c_cc, cc, sizeof(cc)) == 0);
    CHECK_EQ(tio.c_line, 0);
}

static void canonical_line_with_erase(void)
{
    fresh();
    type("helx\x7fo");
    long n;
    rd(100, &n);
    CHECK_EQ(n, -LX_EAGAIN); /* no line yet */
    CHECK_EQ(tty_poll(), LX_POLLOUT);
    type("\r");
    CHECK_EQ(tty_poll(), LX_POLLIN | LX_POLLOUT);
    CHECK(reads("helo\n"));
    /* the console adds the '\r' of each '\n' itself: ONLCR's is not sent twice */
    CHECK(wire_is("helx\b \bo\n"));
    CHECK(wakes_tty > 0 && wakes_poll > 0);
    type("ab\bc\n"); /* ^H erases too, while VERASE is DEL */
    CHECK(reads("ac\n"));
    struct lx_termios tio = get();
    tio.c_cc[LX_VERASE] = '#';
    set(&tio);
    type("ab#\bc\n");
    CHECK(reads("a\bc\n"));
}

static void kill_and_word_erase(void)
{
    fresh();
    type("abc\x15x\n");
    CHECK(reads("x\n"));
    CHECK(wire_is("abc\b \b\b \b\b \bx\n")); /* ECHOKE: rubbed out */
    lflag(0, LX_ECHOKE);
    type("abc\x15x\n");
    CHECK(reads("x\n"));
    CHECK(wire_is("abc^U\nx\n")); /* ECHOK: the kill character, a new line */
    type("foo bar  \x17x\n");
    CHECK(reads("foo x\n"));
    CHECK(wire_is("foo bar  \b \b\b \b\b \b\b \b\b \bx\n"));
    type("foo.bar\x17\x17\n");
    CHECK(reads("\n")); /* punctuation ends a word, then goes with the next (the host's pty) */
}

static void erasing_control_chars_and_tabs(void)
{
    fresh();
    type("a\x01\x7f\n");
    CHECK(reads("a\n"));
    CHECK(wire_is("a^A\b \b\b \b\n"));
    type("ab\tc\x7f\x7f\x7f");
    CHECK(wire_is("ab\tc\b \b\b\b\b\b\b\b\b \b")); /* the tab: back 6 columns */
    type("\x7f\x7f\x7f"); /* erase past the start: nothing more, silently */
    CHECK(wire_is("\b \b"));
    lflag(0, LX_ECHOE);
    type("ab\x7f\n");
    CHECK(wire_is("ab^?\n"));
    CHECK(reads("a\n"));
}

static void utf8_erase_takes_a_whole_character(void)
{
    fresh();
    type("\xc3\x85\x7f"
         "b\n");
    CHECK(reads("\xc3"
                "b\n")); /* no IUTF8: a byte */
    struct lx_termios tio = get();
    tio.c_iflag |= LX_IUTF8;
    set(&tio);
    type("\xc3\x85\x7f"
         "b\n");
    CHECK(reads("b\n"));
}

static void eof_ends_a_line_and_reads_0_at_its_start(void)
{
    fresh();
    type("ab\x04");
    CHECK(wire_is("ab")); /* VEOF is not echoed */
    CHECK(reads("ab"));
    type("\x04");
    CHECK_EQ(tty_poll(), LX_POLLIN | LX_POLLOUT);
    long n;
    rd(100, &n);
    CHECK_EQ(n, 0); /* end of file */
    rd(100, &n);
    CHECK_EQ(n, -LX_EAGAIN);
    /* a read that stops just before the VEOF: the next read sees it, as Linux's does */
    type("ab\x04");
    CHECK(strcmp(rd(2, &n), "ab") == 0);
    rd(100, &n);
    CHECK_EQ(n, 0);
}

static void eol_chars_end_a_line(void)
{
    fresh();
    struct lx_termios tio = get();
    tio.c_cc[LX_VEOL] = ';';
    tio.c_cc[LX_VEOL2] = 0x01;
    set(&tio);
    type("a;b\x01");
    CHECK(reads("a;"));
    CHECK(reads("b\x01"));
    CHECK(wire_is("a;b^A"));
}

static void a_line_with_a_nul(void)
{
    fresh(); /* VEOL and VEOL2 are 0 (disabled): a typed NUL is an ordinary byte */
    tty_input("c\0d\n", 4);
    long n;
    const char *s = rd(100, &n);
    CHECK_EQ(n, 4);
    CHECK(memcmp(s, "c\0d\n", 4) == 0);
    CHECK(wire_is("c^@d\n"));
}

static void input_cr_nl_mapping(void)
{
    fresh();
    struct lx_termios tio = get();
    type("a\r");
    CHECK(reads("a\n"));
    tio.c_iflag = LX_IGNCR;
    set(&tio);
    type("b\r\n");
    CHECK(reads("b\n"));
    tio.c_iflag = LX_INLCR;
    set(&tio);
    type("c\n"); /* '\n' is now '\r', no line end */
    long n;
    rd(100, &n);
    CHECK_EQ(n, -LX_EAGAIN);
    tio.c_iflag = 0;
    set(&tio);
    type("\r\n");
    CHECK(reads("c\r\r\n"));
    tio.c_iflag = LX_ISTRIP;
    set(&tio);
    type("\xe1\n");
    CHECK(reads("a\n"));
}

static void echo_off_and_echonl(void)
{
    fresh();
    lflag(0, LX_ECHO);
    type("secret\n");
    CHECK(reads("secret\n"));
    CHECK(wire_is(""));
    lflag(LX_ECHONL, 0);
    type("ab\n");
    CHECK(wire_is("\n"));
    CHECK(reads("ab\n"));
}

static void output_processing(void)
{
    fresh();
    CHECK_EQ(tty_write(t1, "a\nb", 3), 3);
    CHECK(wire_is("a\nb")); /* ONLCR's "\r\n": the console prints '\n' as "\r\n" */
    CHECK_EQ(tty_write(t1, "x\r\ny", 4), 4);
    CHECK(wire_is("x\r\ny")); /* the host pty: "x\r\r\ny", as the console prints this */
    struct lx_termios tio = get();
    tio.c_oflag |= LX_OCRNL | LX_ONOCR;
    set(&tio);
    tty_write(t1, "\rab\rc\n", 6); /* from column 1: the first '\r' is not at column 0 */
    CHECK(wire_is("\nab\nc\n"));
    tty_write(t1, "\rab\rc\n", 6); /* from column 0: the host pty's "ab\nc\r\n" */
    CHECK(wire_is("ab\nc\n"));
    tio.c_oflag = LX_OPOST | LX_XTABS | LX_OLCUC;
    set(&tio);
    tty_write(t1, "ab\tc", 4);
    CHECK(wire_is("AB      C"));
    tio.c_oflag = 0;
    set(&tio);
    tty_write(t1, "\r\t\n", 3);
    CHECK(wire_is("\r\t\n"));
    CHECK_EQ(tty_write(t1, "", 0), 0);
}

static void long_writes_go_in_pieces(void)
{
    fresh();
    static char big[10000];
    memset(big, 'x', sizeof(big));
    CHECK_EQ(tty_write(t1, big, sizeof(big)), (long)sizeof(big));
    CHECK_EQ(wire_len, sizeof(big));
    CHECK_EQ(wire_writes, 3); /* 4096 + 4096 + 1808 */
    wire_len = 0;
    memset(big, '\n', sizeof(big));
    CHECK_EQ(tty_write(t1, big, sizeof(big)), (long)sizeof(big));
    CHECK(wire_len >= sizeof(big));
    for (size_t i = 0; i < sizeof(big); i++)
        CHECK(wire[i] == '\n' || wire[i] == '\r');
}

static void intr_signals_the_foreground_group_and_flushes(void)
{
    fresh();
    tty_pgrp = 2;
    type("ab\x03"
         "cd\n");
    CHECK_EQ(nkills, 1);
    CHECK_EQ(kills[0][0], 2);
    CHECK_EQ(kills[0][1], 2);
    CHECK(reads("cd\n"));
    CHECK(wire_is("ab^Ccd\n"));
    type("x\x1c");
    CHECK_EQ(nkills, 2);
    CHECK_EQ(kills[1][1], 3); /* SIGQUIT */
    type("y\x1a\n");          /* VSUSP: flushes, stops nothing */
    CHECK_EQ(nkills, 2);
    CHECK(reads("\n"));
    lflag(LX_NOFLSH, 0);
    type("ab\x03"
         "cd\n");
    CHECK(reads("abcd\n"));
    tty_pgrp = 0; /* no foreground group: nobody is signalled */
    type("\x03");
    CHECK_EQ(nkills, 3);
    lflag(0, LX_ISIG);
    type("\x03\n");
    CHECK(reads("\x03\n"));
    CHECK_EQ(nkills, 3);
}

static void literal_next_and_reprint(void)
{
    fresh();
    type("a\x16\x03"
         "b\n");
    CHECK(reads("a\x03"
                "b\n"));
    CHECK(wire_is("a^\b^Cb\n"));
    CHECK_EQ(nkills, 0);
    type("ab\x12"
         "c\n");
    CHECK(wire_is("ab^R\nabc\n"));
    CHECK(reads("abc\n"));
    type("\x11\x13z\n"); /* IXON: VSTART and VSTOP are taken */
    CHECK(reads("z\n"));
}

static void raw_mode_is_exact(void)
{
    fresh();
    raw(1, 0); /* as busybox's ash edits lines */
    static const char all[] = "a\x7f\x15\x17\x04\x16\x12\x1b[A\n\t";
    type(all);
    CHECK(reads("a\x7f\x15\x17\x04\x16\x12\x1b[A\n\t"));
    CHECK(wire_is(""));
    type("\r"); /* ICRNL still maps */
    CHECK(reads("\n"));
    type("\x03"); /* ISIG still signals */
    CHECK_EQ(nkills, 1);
    lflag(LX_ECHO, 0);
    type("a\r\x01");
    CHECK(reads("a\n\x01"));
    CHECK(wire_is("a\n^A")); /* the host pty: "a\r\n^A" */
}

static void switching_icanon_keeps_what_was_typed(void)
{
    fresh();
    type("ab");
    raw(1, 0);
    CHECK(reads("ab"));
    type("xy");
    lflag(LX_ICANON, 0); /* what is there is one line */
    CHECK(reads("xy"));
    type("\x04");
    raw(1, 0); /* a VEOF's mark reads as NUL, as on Linux */
    long n;
    const char *s = rd(10, &n);
    CHECK_EQ(n, 1);
    CHECK_EQ(s[0], 0);
}

static void a_full_buffer_drops_but_ends_lines(void)
{
    fresh();
    static char big[5000];
    memset(big, 'a', sizeof(big));
    lflag(0, LX_ECHO);
    tty_input(big, sizeof(big));
    type("\n");
    long n;
    const char *s = rd(8192, &n);
    CHECK_EQ(n, LDISC_BUF);
    CHECK_EQ(s[LDISC_BUF - 1], '\n');
    raw(1, 0);
    tty_input(big, sizeof(big));
    rd(8192, &n);
    CHECK_EQ(n, LDISC_BUF);
}

static void hostile_bytes_and_settings_stay_in_bounds(void)
{
    fresh();
    uint32_t x = 12345;
    struct lx_termios tio = get();
    for (int round = 0; round < 2000; round++) {
        x = x * 1103515245 + 12345;
        if (round % 97 == 0) {
            /* random settings, random control characters */
            uint8_t *p = (uint8_t *)&tio;
            for (size_t i = 0; i < sizeof(tio); i++) {
                x = x * 1103515245 + 12345;
                p[i] = (uint8_t)(x >> 16);
            }
            tio.c_cflag |= LX_CREAD;
            set(&tio);
        }
        char buf[64];
        for (size_t i = 0; i < sizeof(buf); i++) {
            x = x * 1103515245 + 12345;
            buf[i] = (char)(x >> 16);
        }
        tty_input(buf, sizeof(buf));
        if (round % 5 == 0) {
            long n;
            rd((x >> 8) % 300, &n);
            CHECK(n >= -LX_EAGAIN && n <= 300);
        }
        wire_len = 0;
    }
    int inq = 0;
    CHECK_EQ(tty_ioctl(t1, 0x541B, U(&inq)), 0);
    CHECK(inq >= 0 && inq <= LDISC_BUF);
}

/* --- reads that wait ------------------------------------------------------------------------ */

static void a_read_sleeps_for_a_line(void)
{
    fresh();
    static const struct step s[] = {{'i', "h", 0}, {'i', "i\r", 0}};
    play(s, 2);
    char buf[16];
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), false), 3);
    CHECK(memcmp(buf, "hi\n", 3) == 0);
    CHECK_EQ(sleeps, 2);
    CHECK_EQ(last_deadline, 0);
    static const struct step sig[] = {{'s', NULL, 0}};
    play(sig, 1);
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), false), -LX_EINTR);
    CHECK_EQ(tty_read(t1, buf, 0, false), 0);
}

static void vmin_vtime(void)
{
    fresh();
    char buf[16];
    raw(0, 0); /* polling: never waits */
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), false), 0);
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), true), 0);
    CHECK_EQ(sleeps, 0);

    raw(0, 5); /* at most half a second for the first byte */
    static const struct step timeout[] = {{'t', NULL, 1500000000ull}};
    now_ns = 1000000000ull;
    play(timeout, 1);
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), false), 0);
    CHECK_EQ(sleeps, 1);
    static const struct step one[] = {{'i', "ab", 0}};
    play(one, 1);
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), false), 2);

    raw(3, 0); /* three bytes, however long it takes */
    static const struct step more[] = {{'i', "c", 0}};
    type("ab");
    play(more, 1);
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), false), 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    type("abcd");
    CHECK_EQ(tty_read(t1, buf, 2, false), 2);          /* a short buffer is enough */
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), true), 2); /* nonblocking: what there is */
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), true), -LX_EAGAIN);
    CHECK_EQ(tty_poll(), LX_POLLOUT);
    type("ab");
    CHECK_EQ(tty_poll(), LX_POLLOUT); /* poll wants VMIN bytes when VTIME is 0 */
    type("c");
    CHECK_EQ(tty_poll(), LX_POLLIN | LX_POLLOUT);
    tty_ioctl(t1, 0x540B, 0);

    raw(3, 2); /* then 0.2 s between bytes */
    now_ns = 5000000000ull;
    static const struct step gap[] = {{'i', "a", 0}, {'t', NULL, 5200000000ull}};
    play(gap, 2);
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), false), 1);
    CHECK_EQ(sleeps, 2);
    static const struct step sig[] = {{'i', "a", 0}, {'s', NULL, 0}};
    play(sig, 2);
    CHECK_EQ(tty_read(t1, buf, sizeof(buf), false), 1); /* a signal after a byte: the byte */
}

/* --- ioctls --------------------------------------------------------------------------------- */

static void termios_ioctls(void)
{
    fresh();
    struct lx_termios tio = get();
    CHECK_EQ(tty_ioctl(t1, 0x5401, BAD_ADDR), -LX_EFAULT);
    CHECK_EQ(tty_ioctl(t1, 0x5402, BAD_ADDR), -LX_EFAULT);
    tio.c_cc[LX_VMIN] = 7;
    tio.c_line = 0;
    CHECK_EQ(tty_ioctl(t1, 0x5403, U(&tio)), 0); /* TCSETSW */
    CHECK_EQ(get().c_cc[LX_VMIN], 7);
    type("line\nhalf");
    CHECK_EQ(tty_ioctl(t1, 0x5404, U(&tio)), 0); /* TCSETSF: input is gone */
    long n;
    rd(100, &n);
    CHECK_EQ(n, -LX_EAGAIN);
}

static void window_size(void)
{
    fresh();
    uint16_t ws[4] = {1, 1, 1, 1};
    CHECK_EQ(tty_ioctl(t1, 0x5413, U(ws)), 0);
    CHECK(ws[0] == 24 && ws[1] == 80 && ws[2] == 0 && ws[3] == 0);
    CHECK_EQ(tty_ioctl(t1, 0x5413, BAD_ADDR), -LX_EFAULT);
    CHECK_EQ(tty_ioctl(t1, 0x5414, BAD_ADDR), -LX_EFAULT);
    uint16_t big[4] = {50, 132, 0, 0};
    CHECK_EQ(tty_ioctl(t1, 0x5414, U(big)), 0);
    CHECK_EQ(nkills, 1); /* SIGWINCH to the foreground group */
    CHECK(kills[0][0] == 1 && kills[0][1] == 28);
    CHECK_EQ(tty_ioctl(t1, 0x5414, U(big)), 0);
    CHECK_EQ(nkills, 1); /* no change, no signal */
    CHECK_EQ(tty_ioctl(t1, 0x5413, U(ws)), 0);
    CHECK(ws[0] == 50 && ws[1] == 132);
}

static void process_group_and_session(void)
{
    fresh();
    int v = -5;
    CHECK_EQ(tty_ioctl(t2, 0x540F, U(&v)), 0); /* TIOCGPGRP */
    CHECK_EQ(v, 1);
    CHECK_EQ(tty_ioctl(t3, 0x540F, U(&v)), -LX_ENOTTY); /* not its terminal */
    CHECK_EQ(tty_ioctl(t1, 0x540F, BAD_ADDR), -LX_EFAULT);
    CHECK_EQ(tty_ioctl(t2, 0x5429, U(&v)), 0); /* TIOCGSID */
    CHECK_EQ(v, 1);
    CHECK_EQ(tty_ioctl(t3, 0x5429, U(&v)), -LX_ENOTTY);

    /* TIOCSPGRP: EFAULT, EINVAL, ENOTTY, ESRCH, EPERM in Linux's order */
    CHECK_EQ(tty_ioctl(t1, 0x5410, BAD_ADDR), -LX_EFAULT);
    v = -1;
    CHECK_EQ(tty_ioctl(t3, 0x5410, U(&v)), -LX_EINVAL);
    v = 2;
    CHECK_EQ(tty_ioctl(t3, 0x5410, U(&v)), -LX_ENOTTY);
    v = 99;
    CHECK_EQ(tty_ioctl(t1, 0x5410, U(&v)), -LX_ESRCH);
    v = 3;
    CHECK_EQ(tty_ioctl(t1, 0x5410, U(&v)), -LX_EPERM); /* a group of another session */
    v = 2;
    CHECK_EQ(tty_ioctl(t1, 0x5410, U(&v)), 0);
    CHECK_EQ(tty_pgrp, 2);
    type("\x03");
    CHECK(nkills == 1 && kills[0][0] == 2 && kills[0][1] == 2);
}

static void controlling_terminal(void)
{
    fresh();
    CHECK_EQ(tty_ioctl(t1, 0x540E, 0), 0);          /* already its session's */
    CHECK_EQ(tty_ioctl(t2, 0x540E, 0), -LX_EPERM);  /* not a session leader */
    CHECK_EQ(tty_ioctl(t3, 0x540E, 0), -LX_EPERM);  /* another session has it */
    CHECK_EQ(tty_ioctl(t3, 0x5422, 0), -LX_ENOTTY); /* TIOCNOTTY: not its terminal */
    CHECK_EQ(tty_ioctl(t2, 0x5422, 0), 0);          /* a member: the session keeps it */
    CHECK_EQ(tty_sid, 1);
    tty_pgrp = 2;
    CHECK_EQ(tty_ioctl(t1, 0x5422, 0), 0); /* the leader gives it up */
    CHECK(tty_sid == 0 && tty_pgrp == 0);
    CHECK_EQ(nkills, 2);
    CHECK(kills[0][0] == 2 && kills[0][1] == 1 && kills[1][1] == 18); /* SIGHUP, SIGCONT */
    CHECK_EQ(tty_ioctl(t1, 0x5422, 0), -LX_ENOTTY);
    CHECK_EQ(tty_ioctl(t3, 0x540E, 0), 0); /* nobody's: a leader takes it */
    CHECK(tty_sid == 3 && tty_pgrp == 3);
    CHECK_EQ(tty_ioctl(t1, 0x540E, 0), -LX_EPERM);
    CHECK_EQ(tty_ioctl(t1, 0x540E, 1), 0); /* arg 1: taken from the other session (root) */
    CHECK_EQ(tty_sid, 1);
}

static void queue_and_flow_ioctls(void)
{
    fresh();
    int v = -1;
    type("ab\ncd\x04"
         "ef");
    CHECK_EQ(tty_ioctl(t1, 0x541B, U(&v)), 0); /* FIONREAD: whole lines, no VEOF marks */
    CHECK_EQ(v, 5);
    CHECK_EQ(tty_ioctl(t1, 0x541B, BAD_ADDR), -LX_EFAULT);
    raw(1, 0);
    CHECK_EQ(tty_ioctl(t1, 0x541B, U(&v)), 0);
    CHECK_EQ(v, 8);
    CHECK_EQ(tty_ioctl(t1, 0x5411, U(&v)), 0); /* TIOCOUTQ */
    CHECK_EQ(v, 0);
    CHECK_EQ(tty_ioctl(t1, 0x540B, 3), -LX_EINVAL);
    CHECK_EQ(tty_ioctl(t1, 0x540B, 1), 0); /* TCOFLUSH: input stays */
    CHECK_EQ(tty_poll(), LX_POLLIN | LX_POLLOUT);
    CHECK_EQ(tty_ioctl(t1, 0x540B, 2), 0);
    CHECK_EQ(tty_poll(), LX_POLLOUT);
    CHECK_EQ(tty_ioctl(t1, 0x540A, 4), -LX_EINVAL); /* TCXONC */
    CHECK_EQ(tty_ioctl(t1, 0x540A, 1), 0);
    CHECK_EQ(tty_ioctl(t1, 0x5409, 1), 0); /* TCSBRK (tcdrain) */
    CHECK_EQ(tty_ioctl(t1, 0x5424, U(&v)), 0);
    CHECK_EQ(v, 0);
    v = 1;
    CHECK_EQ(tty_ioctl(t1, 0x5423, U(&v)), -LX_EINVAL);
    CHECK_EQ(tty_ioctl(t1, 0x5412, U(&v)), -LX_ENOTTY); /* TIOCSTI: not here */
    CHECK_EQ(tty_ioctl(t1, 0xdeadbeef, 0), -LX_ENOTTY);
}

int main(void)
{
    RUN("linux_tty", defaults_are_a_linux_consoles);
    RUN("linux_tty", canonical_line_with_erase);
    RUN("linux_tty", kill_and_word_erase);
    RUN("linux_tty", erasing_control_chars_and_tabs);
    RUN("linux_tty", utf8_erase_takes_a_whole_character);
    RUN("linux_tty", eof_ends_a_line_and_reads_0_at_its_start);
    RUN("linux_tty", eol_chars_end_a_line);
    RUN("linux_tty", a_line_with_a_nul);
    RUN("linux_tty", input_cr_nl_mapping);
    RUN("linux_tty", echo_off_and_echonl);
    RUN("linux_tty", output_processing);
    RUN("linux_tty", long_writes_go_in_pieces);
    RUN("linux_tty", intr_signals_the_foreground_group_and_flushes);
    RUN("linux_tty", literal_next_and_reprint);
    RUN("linux_tty", raw_mode_is_exact);
    RUN("linux_tty", switching_icanon_keeps_what_was_typed);
    RUN("linux_tty", a_full_buffer_drops_but_ends_lines);
    RUN("linux_tty", hostile_bytes_and_settings_stay_in_bounds);
    RUN("linux_tty", a_read_sleeps_for_a_line);
    RUN("linux_tty", vmin_vtime);
    RUN("linux_tty", termios_ioctls);
    RUN("linux_tty", window_size);
    RUN("linux_tty", process_group_and_session);
    RUN("linux_tty", controlling_terminal);
    RUN("linux_tty", queue_and_flow_ioctls);
    return CHECK_DONE();
}
