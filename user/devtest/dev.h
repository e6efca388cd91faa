/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The device devtest drives, per architecture (dev_x86_64.c: q35's HPET; dev_aarch64.c: virt's
 * PL031 real-time clock), and two pages of physical addresses nothing decodes. Each builds
 * for its own architecture only.
 */
#ifndef DEVTEST_DEV_H
#define DEVTEST_DEV_H

#include "l4.h"

extern const char dev_name[];      /* for messages */
extern const l4_word_t dev_base;   /* the device's page (the system file gives it in slot 16) */
extern const l4_word_t spare_base; /* 8 KiB nothing decodes (slot 17) */
extern const unsigned dev_reg;     /* the offset of a register any read of the page may take */

/* DEV-004: the device mapped at va says what it is (its identification registers). */
bool dev_identify(l4_word_t va);
/* The device mapped at va works through this mapping: it counts, or takes a write. */
bool dev_answers(l4_word_t va);
/* What a 32-bit read of the register at va + off gives (both devices take 32-bit accesses). */
static inline uint32_t dev_read32(l4_word_t va, unsigned off)
{
    return *(volatile uint32_t *)(va + off);
}

#endif
