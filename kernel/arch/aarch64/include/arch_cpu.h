/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 system-register and barrier wrappers, used by the arch code only. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>

#define read_sysreg(name)                                                                          \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " #name : "=r"(v_));                                             \
        v_;                                                                                        \
    })
#define write_sysreg(name, v)                                                                      \
    __asm__ volatile("msr " #name ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void)
{
    __asm__ volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
    __asm__ volatile("dsb sy" : : : "memory");
}

/* MMIO: device memory is mapped Device-nGnRE; the accesses are single loads and stores */
static inline uint32_t mmio_read32(uintptr_t a)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
    __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

#endif
