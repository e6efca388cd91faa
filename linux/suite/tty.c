// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-500..549, the terminal: ioctl TCGETS, TCSETS, TIOCGWINSZ, TIOCGPGRP, TIOCSPGRP on
 * stdin. In Coffer stdin is /dev/console, a terminal. When it is not one (the suite run on a
 * host from a pipe), each test checks that the calls answer ENOTTY instead, and says so.
 */
#include "t.h"

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

/* the kernel's struct termios (TCGETS/TCSETS), not libc's */
struct ktermios {
    unsigned c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line, c_cc[19];
};

/* Whether fd 0 is a terminal, by the same call isatty uses; notes the ENOTTY variant. */
static int stdin_tty(void)
{
    struct winsize ws;
    if (SC(SYS_ioctl, 0, TIOCGWINSZ, &ws) == 0)
        return 1;
    CHECKF(errno == ENOTTY, "TIOCGWINSZ on stdin: %s, want ENOTTY or success", t_errname(errno));
    t_note("(stdin not a terminal: ENOTTY checked)");
    return 0;
}

static void tcgets(void)
{
    struct ktermios t;
    if (!stdin_tty()) {
        ERR(ENOTTY, SC(SYS_ioctl, 0, TCGETS, &t));
        return;
    }
    memset(&t, 0, sizeof(t));
    EQ(SC(SYS_ioctl, 0, TCGETS, &t), 0);
    CHECK(t.c_cflag & CREAD);
    CHECK(t.c_cc[VMIN] != 0 || !(t.c_lflag & ICANON));
    ERR(EFAULT, SC(SYS_ioctl, 0, TCGETS, (void *)1));
    /* musl's wrapper: the same */
    struct termios lt;
    EQ(tcgetattr(0, &lt), 0);
    EQ(lt.c_lflag, t.c_lflag);
    EQ(isatty(0), 1);
}

static void tcsets(void)
{
    struct ktermios t, saved, now;
    if (!stdin_tty()) {
        memset(&t, 0, sizeof(t));
        ERR(ENOTTY, SC(SYS_ioctl, 0, TCSETS, &t));
        return;
    }
    EQ(SC(SYS_ioctl, 0, TCGETS, &saved), 0);
    t = saved;
    t.c_lflag ^= ECHO;
    t.c_cc[VINTR] = 0x1c;
    EQ(SC(SYS_ioctl, 0, TCSETS, &t), 0);
    memset(&now, 0, sizeof(now));
    EQ(SC(SYS_ioctl, 0, TCGETS, &now), 0);
    EQ(now.c_lflag & ECHO, t.c_lflag & ECHO);
    EQ(now.c_cc[VINTR], 0x1c);
    ERR(EFAULT, SC(SYS_ioctl, 0, TCSETS, (void *)1));
    EQ(SC(SYS_ioctl, 0, TCSETS, &saved), 0);
    EQ(SC(SYS_ioctl, 0, TCGETS, &now), 0);
    EQ(now.c_lflag, saved.c_lflag);
    EQ(now.c_cc[VINTR], saved.c_cc[VINTR]);
}

static void winsize(void)
{
    struct winsize ws;
    memset(&ws, 0xff, sizeof(ws));
    if (!stdin_tty()) {
        ERR(ENOTTY, SC(SYS_ioctl, 0, TIOCGWINSZ, &ws));
        return;
    }
    EQ(SC(SYS_ioctl, 0, TIOCGWINSZ, &ws), 0);
    CHECK(ws.ws_row != 0xffff && ws.ws_col != 0xffff);
    ERR(EFAULT, SC(SYS_ioctl, 0, TIOCGWINSZ, (void *)1));
}

static void foreground(void)
{
    int pg = -1;
    if (!stdin_tty()) {
        ERR(ENOTTY, SC(SYS_ioctl, 0, TIOCGPGRP, &pg));
        ERR(ENOTTY, SC(SYS_ioctl, 0, TIOCSPGRP, &pg));
        return;
    }
    long r = SC(SYS_ioctl, 0, TIOCGPGRP, &pg);
    if (r == -1 && errno == ENOTTY) {
        /* a terminal, but not this session's controlling one */
        t_note("(stdin is not the controlling terminal: ENOTTY checked)");
        return;
    }
    EQ(r, 0);
    CHECK(pg > 0);
    EQ(tcgetpgrp(0), pg);
    int mine = (int)getpgid(0);
    if (pg == mine) {
        EQ(SC(SYS_ioctl, 0, TIOCSPGRP, &mine), 0); /* to what it is: allowed */
        int neg = -1;
        ERR(EINVAL, SC(SYS_ioctl, 0, TIOCSPGRP, &neg));
        int dead = t_dead_pid();
        ERR(ESRCH, SC(SYS_ioctl, 0, TIOCSPGRP, &dead));
        ERR(EFAULT, SC(SYS_ioctl, 0, TIOCSPGRP, (void *)1));
    } else {
        t_note("(not the foreground group: TIOCSPGRP not tried)");
    }
    ERR(EFAULT, SC(SYS_ioctl, 0, TIOCGPGRP, (void *)1));
}

static void not_a_tty(void)
{
    struct ktermios t;
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR));
    ERR(ENOTTY, SC(SYS_ioctl, fd, TCGETS, &t));
    ERR(ENOTTY, SC(SYS_ioctl, fd, TIOCGWINSZ, &t));
    close(fd);
    t_make_file("f", "");
    fd = (int)OK(SC(SYS_openat, AT_FDCWD, "f", O_RDONLY));
    ERR(ENOTTY, SC(SYS_ioctl, fd, TCGETS, &t));
    EQ(isatty(fd), 0);
    close(fd);
    int p[2];
    OK(pipe2(p, 0));
    ERR(ENOTTY, SC(SYS_ioctl, p[0], TCGETS, &t));
    close(p[0]);
    close(p[1]);
    ERR(EBADF, SC(SYS_ioctl, 999, TCGETS, &t));
    if (stdin_tty())
        ERR(ENOTTY, SC(SYS_ioctl, 0, 0x5499, &t)); /* no such terminal request */
}

T_AREA(tty, {500, "TCGETS", tcgets}, {501, "TCSETS", tcsets}, {502, "TIOCGWINSZ", winsize},
       {503, "TIOCGPGRP and TIOCSPGRP", foreground},
       {504, "ioctl on what is no terminal", not_a_tty});
