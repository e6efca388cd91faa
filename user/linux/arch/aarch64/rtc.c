/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The wall clock: at start the server reads QEMU virt's PL031 real-time clock (its page of
 * device memory at 0x09010000, the system file's device in LX_SLOT_RTC, mapped here uncached)
 * and sets the machine's wall clock from it (time_set, through the clock capability in
 * LX_SLOT_CLOCK_CAP), so that `date` and CLOCK_REALTIME say the date. Without the device, the
 * capability or a clock that reads 0, the wall clock is left as it is (1970 at boot).
 */
#include "server.h"

#include <coffer/mem.h>
#include <coffer/time.h>

#define PL031_VA 0x30000000ull /* where its registers are mapped, below the heap */
#define PL031_DR 0x000         /* data register: seconds since 1970 */

void lx_rtc_init(void)
{
    if (l4_mem_map(LX_SLOT_RTC, 0, L4_SLOT_SPACE, PL031_VA, L4_MAP_READ))
        return;
    uint64_t s = *(volatile uint32_t *)(PL031_VA + PL031_DR);
    l4_mem_unmap(L4_SLOT_SPACE, PL031_VA);
    if (!s)
        return;
    l4_err_t err = l4_time_set(LX_SLOT_CLOCK_CAP, s * 1000000000ull, lx_now());
    if (err)
        printf("linux: cannot set the wall clock: %s\n", l4_strerror(err));
}
