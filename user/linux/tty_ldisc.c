/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The terminal's line discipline (tty_ldisc.h): Linux's N_TTY rules, byte by byte. Where Linux
 * does something odd but visible (what echo looks like, how a VEOF reads after ICANON goes
 * off), this does the same, so that programs and people see a Linux terminal; the host's own
 * ptys were the reference (docs/linux-tty.md lists what is left out).
 */
#include "tty_ldisc.h"

#include "string.h"

#define MASK(i) ((i) & (LDISC_BUF - 1))

static const struct lx_termios default_termios = {
    .c_iflag = LX_ICRNL | LX_IXON,
    .c_oflag = LX_OPOST | LX_ONLCR,
    .c_cflag = LX_B38400 | LX_CS8 | LX_CREAD,
    .c_lflag =
        LX_ISIG | LX_ICANON | LX_ECHO | LX_ECHOE | LX_ECHOK | LX_ECHOCTL | LX_ECHOKE | LX_IEXTEN,
    .c_cc = {[LX_VINTR] = 003,
             [LX_VQUIT] = 034,
             [LX_VERASE] = 0177,
             [LX_VKILL] = 025,
             [LX_VEOF] = 004,
             [LX_VMIN] = 1,
             [LX_VSTART] = 021,
             [LX_VSTOP] = 023,
             [LX_VSUSP] = 032,
             [LX_VREPRINT] = 022,
             [LX_VDISCARD] = 017,
             [LX_VWERASE] = 027,
             [LX_VLNEXT] = 026},
};

/* As Linux's echo sees them: only C0 and DEL are control characters (not 0x80..0x9f). */
static bool is_cntrl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/* A UTF-8 continuation byte, when IUTF8 says input is UTF-8: it takes no column of its own. */
static bool is_cont(const struct ldisc *l, unsigned char c)
{
    return (l->tio.c_iflag & LX_IUTF8) && (c & 0xc0) == 0x80;
}

/* A word character for VWERASE: as Linux's Latin-1 ctype says (so UTF-8 letters count). */
static bool is_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

/* A c_cc character that is set: 0 (_POSIX_VDISABLE) matches nothing, not even a typed NUL. */
static bool is_cc(const struct ldisc *l, unsigned char c, int which)
{
    return l->tio.c_cc[which] != 0 && c == l->tio.c_cc[which];
}

/*
 * VERASE, and ^H as well while VERASE is DEL: a serial terminal's backspace key sends either,
 * so both erase, as the console service's own line mode has it (Linux takes only VERASE).
 */
static bool is_erase(const struct ldisc *l, unsigned char c)
{
    return is_cc(l, c, LX_VERASE) || (c == '\b' && l->tio.c_cc[LX_VERASE] == 0177);
}

static bool bit(const uint8_t *map, size_t i)
{
    return map[MASK(i) / 8] & (1u << (MASK(i) % 8));
}

static void set_bit(uint8_t *map, size_t i, bool on)
{
    if (on)
        map[MASK(i) / 8] |= (uint8_t)(1u << (MASK(i) % 8));
    else
        map[MASK(i) / 8] &= (uint8_t) ~(1u << (MASK(i) % 8));
}

static unsigned char at(const struct ldisc *l, size_t i) /* i: 0 .. len - 1 from head */
{
    return l->buf[MASK(l->head + i)];
}

/* --- output ------------------------------------------------------------------------------ */

static void drain(struct ldisc *l)
{
    if (l->out_len && l->io && l->io->out)
        l->io->out(l->io->ctx, l->out, l->out_len);
    l->out_len = 0;
}

static void put(struct ldisc *l, unsigned char c)
{
    if (l->out_len == sizeof(l->out))
        drain(l);
    l->out[l->out_len++] = (char)c;
}

/* One byte out as c_oflag says, keeping the column (Linux's do_output_char). */
static void oput(struct ldisc *l, unsigned char c)
{
    uint32_t o = l->tio.c_oflag;

    if (!(o & LX_OPOST)) {
        put(l, c);
        return;
    }
    switch (c) {
    case '\n':
        if (o & LX_ONLRET)
            l->column = 0;
        if (o & LX_ONLCR) {
            l->canon_col = l->column = 0;
            put(l, '\r');
            put(l, '\n');
            return;
        }
        l->canon_col = l->column;
        break;
    case '\r':
        if ((o & LX_ONOCR) && l->column == 0)
            return;
        if (o & LX_OCRNL) {
            c = '\n';
            if (o & LX_ONLRET)
                l->canon_col = l->column = 0;
            break;
        }
        l->canon_col = l->column = 0;
        break;
    case '\t': {
        unsigned spaces = 8 - (l->column & 7);
        l->column += spaces;
        if ((o & LX_TABDLY) == LX_XTABS) {
            while (spaces--)
                put(l, ' ');
            return;
        }
        break;
    }
    case '\b':
        if (l->column > 0)
            l->column--;
        break;
    default:
        if (!is_cntrl(c)) {
            if ((o & LX_OLCUC) && c >= 'a' && c <= 'z')
                c = (unsigned char)(c - 'a' + 'A');
            if (!is_cont(l, c))
                l->column++;
        }
        break;
    }
    put(l, c);
}

void ldisc_write(struct ldisc *l, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oput(l, (unsigned char)s[i]);
    drain(l);
}

/* --- echo -------------------------------------------------------------------------------- */

/* A byte as echo shows it: with ECHOCTL a control character (not tab) as "^X". */
static void echo_char(struct ldisc *l, unsigned char c)
{
    if ((l->tio.c_lflag & LX_ECHOCTL) && is_cntrl(c) && c != '\t') {
        oput(l, '^');
        oput(l, c ^ 0100);
    } else {
        oput(l, c);
    }
}

static void echo_str(struct ldisc *l, const char *s)
{
    while (*s)
        oput(l, (unsigned char)*s++);
}

/* Echo of the first byte of a line records where the line began, for erasing tabs. */
static void echo_first(struct ldisc *l, unsigned char c)
{
    if (l->len == l->ready)
        l->canon_col = l->column;
    echo_char(l, c);
}

/* Rub out a tab: back to where it began, counted from the line's start or the previous tab. */
static void erase_tab(struct ldisc *l, size_t start)
{
    unsigned cols = 0;
    bool after_tab = false;

    for (size_t i = start; i > l->ready;) {
        unsigned char c = at(l, --i);
        if (c == '\t') {
            after_tab = true;
            break;
        }
        if (is_cntrl(c))
            cols += (l->tio.c_lflag & LX_ECHOCTL) ? 2 : 0;
        else if (!is_cont(l, c))
            cols++;
    }
    if (!after_tab)
        cols += l->canon_col;
    unsigned bs = 8 - (cols & 7);
    if (bs > l->column)
        bs = l->column;
    while (bs--)
        oput(l, '\b');
}

/* --- input ------------------------------------------------------------------------------- */

static void clear_bits(struct ldisc *l, size_t i)
{
    set_bit(l->delim, l->head + i, false);
    set_bit(l->eof, l->head + i, false);
}

/*
 * Store a byte at the end. Canonical input keeps its last byte free for a line's end, so a
 * full line can still be ended (and read); a byte without room is dropped, unechoed.
 */
static bool has_room(const struct ldisc *l, bool ends_line)
{
    bool canon = l->tio.c_lflag & LX_ICANON;
    return l->len < (size_t)LDISC_BUF - (canon && !ends_line ? 1u : 0u);
}

static void store(struct ldisc *l, unsigned char c)
{
    size_t i = l->len++;
    l->buf[MASK(l->head + i)] = c;
    clear_bits(l, i);
    if (!(l->tio.c_lflag & LX_ICANON))
        l->ready = l->len;
}

/* A line ends with the byte just stored: it and the line before it become readable. */
static void end_line(struct ldisc *l, bool eof)
{
    set_bit(l->delim, l->head + l->len - 1, true);
    set_bit(l->eof, l->head + l->len - 1, eof);
    l->ready = l->len;
}

enum erase_kind { ERASE, WERASE, KILL };

/* VERASE, VWERASE, VKILL in canonical mode (Linux's eraser). */
static void eraser(struct ldisc *l, unsigned char c)
{
    uint32_t lf = l->tio.c_lflag;
    enum erase_kind kind;

    if (l->len == l->ready)
        return; /* nothing typed: Linux rings no bell either */
    if (is_erase(l, c)) {
        kind = ERASE;
    } else if (is_cc(l, c, LX_VWERASE)) {
        kind = WERASE;
    } else {
        if (!(lf & LX_ECHO)) {
            l->len = l->ready;
            return;
        }
        if (!(lf & LX_ECHOK) || !(lf & LX_ECHOKE) || !(lf & LX_ECHOE)) {
            l->len = l->ready;
            echo_char(l, c);
            if (lf & LX_ECHOK)
                oput(l, '\n');
            return;
        }
        kind = KILL;
    }

    unsigned words = 0;
    while (l->len > l->ready) {
        /* a whole (UTF-8) character; one that is only continuation bytes is left alone */
        size_t start = l->len;
        unsigned char ch;
        do
            ch = at(l, --start);
        while (is_cont(l, ch) && start > l->ready);
        if (is_cont(l, ch))
            break;
        if (kind == WERASE) {
            if (is_word(ch))
                words++;
            else if (words)
                break;
        }
        l->len = start;
        if (lf & LX_ECHO) {
            if (kind == ERASE && !(lf & LX_ECHOE)) {
                echo_char(l, l->tio.c_cc[LX_VERASE]);
            } else if (ch == '\t') {
                erase_tab(l, start);
            } else {
                if (is_cntrl(ch) && (lf & LX_ECHOCTL))
                    echo_str(l, "\b \b");
                if (!is_cntrl(ch) || (lf & LX_ECHOCTL))
                    echo_str(l, "\b \b");
            }
        }
        if (kind == ERASE)
            break;
    }
}

/* VINTR, VQUIT, VSUSP under ISIG: flush (unless NOFLSH), signal, echo the character. */
static void signal_char(struct ldisc *l, unsigned char c, int sig)
{
    if (!(l->tio.c_lflag & LX_NOFLSH))
        ldisc_flush(l);
    if (sig && l->io && l->io->sig)
        l->io->sig(l->io->ctx, sig);
    if (l->tio.c_lflag & LX_ECHO)
        echo_char(l, c);
}

/* VREPRINT: the line being edited, again on a fresh line. */
static void reprint(struct ldisc *l, unsigned char c)
{
    echo_char(l, c);
    oput(l, '\n');
    for (size_t i = l->ready; i < l->len; i++)
        echo_char(l, at(l, i));
}

/* The canonical mode's special characters; true if c was one (and is done with). */
static bool canon_special(struct ldisc *l, unsigned char c)
{
    uint32_t lf = l->tio.c_lflag;
    bool ext = lf & LX_IEXTEN;

    if (is_erase(l, c) || is_cc(l, c, LX_VKILL) || (ext && is_cc(l, c, LX_VWERASE))) {
        eraser(l, c);
        return true;
    }
    if (ext && is_cc(l, c, LX_VLNEXT)) {
        l->lnext = true;
        if ((lf & LX_ECHO) && (lf & LX_ECHOCTL))
            echo_str(l, "^\b");
        return true;
    }
    if (ext && (lf & LX_ECHO) && is_cc(l, c, LX_VREPRINT)) {
        reprint(l, c);
        return true;
    }
    if (c == '\n') {
        if (!has_room(l, true))
            return true;
        if (lf & (LX_ECHO | LX_ECHONL))
            oput(l, '\n');
        store(l, c);
        end_line(l, false);
        return true;
    }
    if (is_cc(l, c, LX_VEOF)) {
        /* stored as Linux does, a NUL marking the line's end: not read (unless ICANON goes) */
        if (has_room(l, true)) {
            store(l, 0);
            end_line(l, true);
        }
        return true;
    }
    if (is_cc(l, c, LX_VEOL) || (ext && is_cc(l, c, LX_VEOL2))) {
        if (!has_room(l, true))
            return true;
        if (lf & LX_ECHO)
            echo_first(l, c);
        store(l, c);
        end_line(l, false);
        return true;
    }
    return false;
}

/* An ordinary byte: echoed and stored, if there is room. */
static void ordinary(struct ldisc *l, unsigned char c)
{
    if (!has_room(l, false))
        return;
    if (l->tio.c_lflag & LX_ECHO) {
        if (c == '\n')
            oput(l, '\n');
        else
            echo_first(l, c);
    }
    store(l, c);
}

static void input(struct ldisc *l, unsigned char c)
{
    const struct lx_termios *t = &l->tio;

    if (!(t->c_cflag & LX_CREAD))
        return; /* the receiver is off */
    if (t->c_iflag & LX_ISTRIP)
        c &= 0x7f;
    if (l->lnext) {
        l->lnext = false;
        ordinary(l, c);
        return;
    }
    if ((t->c_iflag & LX_IXON) && (is_cc(l, c, LX_VSTART) || is_cc(l, c, LX_VSTOP)))
        return; /* flow control: taken, but output never stops (docs/linux-tty.md) */
    if (t->c_lflag & LX_ISIG) {
        if (is_cc(l, c, LX_VINTR)) {
            signal_char(l, c, 2 /* SIGINT */);
            return;
        }
        if (is_cc(l, c, LX_VQUIT)) {
            signal_char(l, c, 3 /* SIGQUIT */);
            return;
        }
        if (is_cc(l, c, LX_VSUSP)) {
            signal_char(l, c, 0); /* SIGTSTP: no job control yet, nothing stops */
            return;
        }
    }
    if (c == '\r') {
        if (t->c_iflag & LX_IGNCR)
            return;
        if (t->c_iflag & LX_ICRNL)
            c = '\n';
    } else if (c == '\n' && (t->c_iflag & LX_INLCR)) {
        c = '\r';
    }
    if ((t->c_lflag & LX_ICANON) && canon_special(l, c))
        return;
    ordinary(l, c);
}

void ldisc_input(struct ldisc *l, unsigned char c)
{
    input(l, c);
    drain(l);
}

/* --- settings, reading ------------------------------------------------------------------- */

void ldisc_init(struct ldisc *l, const struct ldisc_io *io)
{
    memset(l, 0, sizeof(*l));
    l->tio = default_termios;
    l->io = io;
}

void ldisc_flush(struct ldisc *l)
{
    l->head = l->len = l->ready = 0;
    memset(l->delim, 0, sizeof(l->delim));
    memset(l->eof, 0, sizeof(l->eof));
    l->lnext = false;
}

void ldisc_set_termios(struct ldisc *l, const struct lx_termios *tio)
{
    bool was = l->tio.c_lflag & LX_ICANON;

    l->tio = *tio;
    if (was == (bool)(tio->c_lflag & LX_ICANON))
        return;
    /*
     * As Linux: the line ends are forgotten; going raw, everything (the line being edited, and
     * a VEOF's NUL) is readable; going canonical, what is there is one line, readable.
     */
    memset(l->delim, 0, sizeof(l->delim));
    memset(l->eof, 0, sizeof(l->eof));
    l->ready = l->len;
    l->lnext = false;
    if (!was && l->len)
        set_bit(l->delim, l->head + l->len - 1, true);
}

bool ldisc_readable(const struct ldisc *l, bool for_poll)
{
    if (l->tio.c_lflag & LX_ICANON)
        return l->ready > 0;
    size_t want = 1;
    if (for_poll && l->tio.c_cc[LX_VTIME] == 0 && l->tio.c_cc[LX_VMIN] > 0)
        want = l->tio.c_cc[LX_VMIN];
    return l->ready >= want;
}

/* Forget the first n bytes (read). */
static void consume(struct ldisc *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        clear_bits(l, i);
    l->head = MASK(l->head + n);
    l->len -= n;
    l->ready -= n;
}

size_t ldisc_read(struct ldisc *l, char *dst, size_t max)
{
    size_t n = l->ready < max ? l->ready : max;

    if (!(l->tio.c_lflag & LX_ICANON)) {
        for (size_t i = 0; i < n; i++)
            dst[i] = (char)at(l, i);
        consume(l, n);
        return n;
    }
    /* up to the first line end among the n bytes a read may take (Linux looks no further) */
    size_t copied = 0, taken = n;
    for (size_t i = 0; i < n; i++) {
        if (bit(l->delim, l->head + i)) {
            taken = i + 1;
            if (!bit(l->eof, l->head + i))
                dst[copied++] = (char)at(l, i);
            break;
        }
        dst[copied++] = (char)at(l, i);
    }
    consume(l, taken);
    return copied;
}

size_t ldisc_inq(const struct ldisc *l)
{
    if (!(l->tio.c_lflag & LX_ICANON))
        return l->ready;
    size_t n = l->ready;
    for (size_t i = 0; i < l->ready; i++)
        if (bit(l->eof, l->head + i))
            n--;
    return n;
}
