/* SPDX-License-Identifier: BSD-2-Clause */
/* Port I/O on behalf of driver containers (the capability check is done by the caller). */
#include "arch.h"
#include "arch_cpu.h"

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

bool arch_ioport(unsigned port, unsigned width, bool write, uint32_t *value)
{
    uint16_t p = (uint16_t)port;

    if (port > 0xffff)
        return false;
    if (write) {
        if (width == 1)
            outb(p, (uint8_t)*value);
        else if (width == 2)
            outw(p, (uint16_t)*value);
        else
            outl(p, *value);
        return true;
    }
    *value = width == 1 ? inb(p) : width == 2 ? inw(p) : inl(p);
    return true;
}
