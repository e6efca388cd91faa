/* SPDX-License-Identifier: BSD-2-Clause */
/* Functions the x86_64 files call on each other; generic code never sees this header. */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include "types.h"

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define VEC_NMI          2
#define VEC_NM           7  /* device not available: a thread's first FPU/SSE/AVX instruction */
#define VEC_MF           16 /* x87 floating-point error */
#define VEC_XM           19 /* SIMD floating-point error */
#define VEC_DOUBLE_FAULT 8
#define VEC_IRQ_BASE     32   /* first vector after the CPU exceptions */
#define VEC_TIMER        32   /* local APIC timer */
#define VEC_SPURIOUS     0xff /* local APIC spurious vector */
#define VEC_IRQ_LINE0    48   /* I/O APIC line n arrives at vector 48 + n */

void gdt_init(void);
void idt_init(void);
void syscall_init(void);
void tls_init(void); /* tls.c: FSGSBASE if the CPU has it, every base 0 */
void paging_init(void);
/* An uncached kernel mapping of one MMIO page, which no container may then be given (what
 * names the device in that refusal: devmem_kernel_uses). */
void *arch_map_device(paddr_t pa, const char *what);
void apic_timer_init(unsigned hz);
void apic_timer_eoi(void);
void ioapic_init(void);

/* fpu.c: name the pending exceptions of a #MF or #XM the running thread took. */
void fpu_explain(unsigned vector);

/* multiboot.c: fill boot_info from the loader's structures. */
void multiboot_parse(uint32_t magic, paddr_t info);

#endif
