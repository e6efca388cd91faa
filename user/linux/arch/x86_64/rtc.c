/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wall clock: at start the server reads the PC's CMOS real-time clock (ports 0x70/0x71,
 * the system file's ioports) and sets the machine's wall clock from it (time_set, through
 * the clock capability the system file gives it), so CLOCK_REALTIME, gettimeofday and time
 * say the date, for every container. Without the ports, the capability or a clock that reads
 * sense, the wall clock stays as it was (the monotonic clock plus nothing: 1970).
 */
#include "server.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

static int cmos(unsigned reg)
{
    l4_word_t v = 0;

    if (l4_ioport_out(LX_SLOT_RTC, CMOS_INDEX, 1, reg) ||
        l4_ioport_in(LX_SLOT_RTC, CMOS_DATA, 1, &v))
        return -1;
    return (int)(v & 0xff);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static unsigned from_bcd(int v, bool binary)
{
    return binary ? (unsigned)v : (unsigned)((v >> 4) * 10 + (v & 15));
}

/* The RTC's time in seconds since 1970, or 0 when there is none that reads sense. */
static uint64_t rtc_seconds(void)
{
    int r[6], again[6];
    static const unsigned regs[6] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09};

    /* read until two reads agree outside an update (the clock ticks while we read) */
    for (int tries = 0; tries < 16; tries++) {
        int busy = cmos(0x0a);
        if (busy < 0)
            return 0;
        if (busy & 0x80)
            continue;
        bool same = true;
        for (int i = 0; i < 6; i++) {
            r[i] = cmos(regs[i]);
            if (r[i] < 0)
                return 0;
        }
        for (int i = 0; i < 6; i++) {
            again[i] = cmos(regs[i]);
            same = same && again[i] == r[i];
        }
        if (same)
            break;
    }
    int b = cmos(0x0b);
    if (b < 0)
        return 0;
    bool binary = b & 4, h24 = b & 2;
    unsigned sec = from_bcd(r[0], binary), min = from_bcd(r[1], binary);
    unsigned hour = from_bcd(r[2] & 0x7f, binary), day = from_bcd(r[3], binary);
    unsigned mon = from_bcd(r[4], binary), year = from_bcd(r[5], binary);
    if (!h24 && (r[2] & 0x80))
        hour = (hour % 12) + 12;
    if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || mon < 1 || mon > 12 ||
        year > 99)
        return 0;
    int64_t days = days_from_civil(2000 + year, mon, day); /* the 2000s: no century register */
    return (uint64_t)(days * 86400 + hour * 3600 + min * 60 + sec);
}

void lx_rtc_init(void)
{
    uint64_t s = rtc_seconds();

    if (!s)
        return;
    uint64_t now = lx_now();
    l4_err_t err = l4_time_set(LX_SLOT_CLOCK_CAP, s * 1000000000ull, now);
    if (err)
        printf("linux: cannot set the wall clock: %s\n", l4_strerror(err));
}
