/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The terminal's line discipline, as Linux's N_TTY does it (docs/linux-tty.md): input editing,
 * echo, signal characters and output processing, driven by a Linux struct termios. Pure: no
 * Coffer or server calls, so the host tests run it as it is; what it prints and the signals it
 * raises go to the callbacks in struct ldisc_io.
 */
#ifndef LINUX_TTY_LDISC_H
#define LINUX_TTY_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct termios of Linux x86_64's ioctl ABI (asm-generic/termbits.h): 36 bytes. */
#define LX_NCCS 19
struct lx_termios {
    uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
    uint8_t c_line;
    uint8_t c_cc[LX_NCCS];
};
_Static_assert(sizeof(struct lx_termios) == 36, "Linux's struct termios");

/* c_cc indices */
enum {
    LX_VINTR = 0,
    LX_VQUIT = 1,
    LX_VERASE = 2,
    LX_VKILL = 3,
    LX_VEOF = 4,
    LX_VTIME = 5,
    LX_VMIN = 6,
    LX_VSWTC = 7,
    LX_VSTART = 8,
    LX_VSTOP = 9,
    LX_VSUSP = 10,
    LX_VEOL = 11,
    LX_VREPRINT = 12,
    LX_VDISCARD = 13,
    LX_VWERASE = 14,
    LX_VLNEXT = 15,
    LX_VEOL2 = 16
};
/* c_iflag */
#define LX_ISTRIP  0x020u
#define LX_INLCR   0x040u
#define LX_IGNCR   0x080u
#define LX_ICRNL   0x100u
#define LX_IXON    0x400u
#define LX_IUTF8   0x4000u
/* c_oflag */
#define LX_OPOST   0x01u
#define LX_OLCUC   0x02u
#define LX_ONLCR   0x04u
#define LX_OCRNL   0x08u
#define LX_ONOCR   0x10u
#define LX_ONLRET  0x20u
#define LX_TABDLY  0x1800u
#define LX_XTABS   0x1800u
/* c_cflag */
#define LX_B38400  0x0fu
#define LX_CS8     0x30u
#define LX_CREAD   0x80u
/* c_lflag */
#define LX_ISIG    0x001u
#define LX_ICANON  0x002u
#define LX_ECHO    0x008u
#define LX_ECHOE   0x010u
#define LX_ECHOK   0x020u
#define LX_ECHONL  0x040u
#define LX_NOFLSH  0x080u
#define LX_ECHOCTL 0x200u
#define LX_ECHOKE  0x800u
#define LX_IEXTEN  0x8000u

#define LDISC_BUF 4096 /* input bytes kept (a power of two: the ring's indices wrap by mask) */

/* Where the line discipline's effects go. */
struct ldisc_io {
    void (*out)(void *ctx, const char *s, size_t n); /* bytes for the terminal, processed */
    void (*sig)(void *ctx, int sig);                 /* ISIG: signal the foreground group */
    void *ctx;
};

/*
 * The input: a ring of LDISC_BUF bytes at head. The first `ready` of its `len` bytes may be
 * read; in canonical mode the rest is the line being edited (non-canonical: ready == len).
 * A byte whose bit is set in delim ends a line (its '\n', VEOL, VEOL2 or VEOF); a VEOF's
 * byte is also in eof: it ends the line but is not read.
 */
struct ldisc {
    struct lx_termios tio;
    const struct ldisc_io *io;
    unsigned char buf[LDISC_BUF];
    uint8_t delim[LDISC_BUF / 8], eof[LDISC_BUF / 8];
    size_t head, len, ready;
    unsigned column;    /* the output's column, for tabs and erasing them */
    unsigned canon_col; /* the column where the line being edited began */
    bool lnext;         /* VLNEXT came: the next byte is taken literally */
    char out[256];      /* output on its way to io->out (drained before each call returns) */
    size_t out_len;
};

/* Linux's default termios of a console: cooked, echo, ICRNL, OPOST|ONLCR, ISIG, B38400 CS8 CREAD. */
void ldisc_init(struct ldisc *l, const struct ldisc_io *io);
/* One byte from the terminal. */
void ldisc_input(struct ldisc *l, unsigned char c);
/* New settings (TCSETS): a change of ICANON makes what is buffered readable as Linux does. */
void ldisc_set_termios(struct ldisc *l, const struct lx_termios *tio);
/* Drop every input byte (TCFLSH, TCSETSF, a signal character without NOFLSH). */
void ldisc_flush(struct ldisc *l);
/*
 * Whether a read would take something now: canonical, a line (or what ICANON's switch made
 * readable); else a byte, or VMIN bytes for poll (for_poll, VTIME 0), as Linux's poll says.
 */
bool ldisc_readable(const struct ldisc *l, bool for_poll);
/* Take at most max readable bytes into dst: canonical, up to the end of one line (a VEOF ends
 * it unread, so a line of just VEOF reads as 0 bytes). Returns the bytes stored in dst. */
size_t ldisc_read(struct ldisc *l, char *dst, size_t max);
/* Bytes a read could take now, without VEOF markers (FIONREAD). */
size_t ldisc_inq(const struct ldisc *l);
/* Output: n bytes as c_oflag says, to io->out. */
void ldisc_write(struct ldisc *l, const char *s, size_t n);

#endif
