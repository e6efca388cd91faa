/* SPDX-License-Identifier: BSD-2-Clause */
/* x86_64 FPU/SSE/AVX state: the save instruction CPUID offers, loads, and trapping first use. */
#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"
#include "string.h"
#include "x86.h"

#define CR0_MP         (1u << 1) /* with TS: WAIT/FWAIT trap too */
#define CR0_EM         (1u << 2) /* emulate: every x87 instruction faults (#UD for SSE) */
#define CR0_TS         (1u << 3) /* task switched: the next FPU/SSE/AVX instruction is #NM */
#define CR0_NE         (1u << 5) /* x87 errors as #MF, not the PC's external interrupt */
#define CR4_OSFXSR     (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10) /* unmasked SIMD exceptions are #XM, not #UD */
#define CR4_OSXSAVE    (1u << 18)
#define CPUID1_XSAVE   (1u << 26) /* leaf 1, ecx */
#define CPUID_XSAVEOPT (1u << 0)  /* leaf 0xD sub-leaf 1, eax */
#define XFEATURE_X87   (1u << 0)
#define XFEATURE_SSE   (1u << 1)
#define XFEATURE_AVX   (1u << 2)
#define OFF_MXCSR      24     /* in the legacy region */
#define FCW_INIT       0x37f  /* every x87 exception masked, 64-bit precision (FNINIT's) */
#define MXCSR_INIT     0x1f80 /* every SIMD exception masked, round to nearest */
#define X87_SIGNALS    0x3f   /* FSW and FCW, MXCSR flags and (<< 7) masks: IE DE ZE OE UE PE */

static enum { SAVE_FXSAVE, SAVE_XSAVE, SAVE_XSAVEOPT } how;
static const char *const how_name[] = {"fxsave", "xsave", "xsaveopt"};
static uint64_t xcr0;
/*
 * The state a thread starts with: FCW and MXCSR at their reset values and an XSAVE header
 * saying every component is in its initial state (so XRSTOR zeroes the registers).
 */
static struct arch_fpu clean;
/* CR0.TS is set: mirrors the register so that switches need not read it. */
static bool trapping;

static void stop_trapping(void)
{
    if (trapping) {
        __asm__ volatile("clts");
        trapping = false;
    }
}

static void restore(const struct arch_fpu *s)
{
    if (how == SAVE_FXSAVE)
        __asm__ volatile("fxrstor64 %0" : : "m"(*s));
    else
        __asm__ volatile("xrstor64 %0" : : "m"(*s), "a"(UINT32_MAX), "d"(UINT32_MAX));
}

void arch_fpu_save(struct arch_fpu *s)
{
    DEBUG_ASSERT(!trapping);  // the registers are a thread's only while nothing traps
    if (how == SAVE_XSAVEOPT) // skips what is unchanged since the XRSTOR from the same area
        __asm__ volatile("xsaveopt64 %0" : "+m"(*s) : "a"(UINT32_MAX), "d"(UINT32_MAX));
    else if (how == SAVE_XSAVE)
        __asm__ volatile("xsave64 %0" : "+m"(*s) : "a"(UINT32_MAX), "d"(UINT32_MAX));
    else
        __asm__ volatile("fxsave64 %0" : "+m"(*s));
}

void arch_fpu_load(const struct arch_fpu *s)
{
    stop_trapping(); // XRSTOR itself is an instruction TS traps, in the kernel too
    restore(s);
}

void arch_fpu_claim(void)
{
    arch_fpu_load(&clean);
}

void arch_fpu_trap(void)
{
    if (trapping)
        return; // already clean: nothing ran on these registers since
    restore(&clean);
    write_cr0(read_cr0() | CR0_TS);
    trapping = true;
}

/* Enable x87, SSE and AVX (if it fits the area) in XCR0 and pick XSAVEOPT or XSAVE. */
static void xsave_init(void)
{
    uint32_t a, b, c, d;

    write_cr4(read_cr4() | CR4_OSXSAVE);
    cpuid_count(0xd, 0, &a, &b, &c, &d); // a: the components XCR0 may enable
    xcr0 = XFEATURE_X87 | XFEATURE_SSE | (a & XFEATURE_AVX);
    if (xcr0 & XFEATURE_AVX) {
        cpuid_count(0xd, 2, &a, &b, &c, &d); // a: AVX's size, b: its offset
        if (b + a > ARCH_FPU_BYTES)
            xcr0 &= ~(uint64_t)XFEATURE_AVX;
    }
    __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
    cpuid_count(0xd, 0, &a, &b, &c, &d); // b: the area XCR0's components need now
    ASSERT(b <= ARCH_FPU_BYTES);
    cpuid_count(0xd, 1, &a, &b, &c, &d);
    how = (a & CPUID_XSAVEOPT) ? SAVE_XSAVEOPT : SAVE_XSAVE;
}

/*
 * Every x86_64 CPU has FXSAVE and SSE2. XSAVEC and XSAVES are not used: the compacted form
 * saves room only when components between x87 and the last enabled one are off, and with
 * x87, SSE and AVX none are; XSAVES also needs supervisor state, which nothing here has.
 */
void arch_fpu_init(void)
{
    uint32_t a, b, c, d;

    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    cpuid(1, &a, &b, &c, &d);
    if (c & CPUID1_XSAVE)
        xsave_init();
    else
        how = SAVE_FXSAVE;
    memset(&clean, 0, sizeof(clean));
    *(uint16_t *)clean.area = FCW_INIT;
    *(uint32_t *)(clean.area + OFF_MXCSR) = MXCSR_INIT;
    /* TS on from the start: whatever the firmware left in the registers is nobody's to see */
    write_cr0((read_cr0() & ~(uint64_t)CR0_EM) | CR0_MP | CR0_NE | CR0_TS);
    trapping = true;
    kprintf("fpu: %s, state x87 sse%s, %u-byte areas\n", how_name[how],
            (xcr0 & XFEATURE_AVX) ? " avx" : "", ARCH_FPU_BYTES);
}

/* Name the unmasked exceptions a status word and control word say are pending. */
static void explain_signals(const char *what, const char *reg_name, unsigned flags, unsigned masks)
{
    static const char *const names[6] = {"invalid operation", "denormal operand", "divide by zero",
                                         "overflow",          "underflow",        "precision"};
    unsigned pending = flags & ~masks & X87_SIGNALS;

    kprintf("  %s:", what);
    for (unsigned i = 0; i < 6; i++) {
        if (pending & (1u << i))
            kprintf(" %s", names[i]);
    }
    kprintf(" (%s %x)\n", reg_name, flags);
}

void fpu_explain(unsigned vector)
{
    uint32_t mxcsr;
    uint16_t fsw, fcw;

    if (trapping)
        return;
    if (vector == VEC_XM) {
        __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
        explain_signals("SIMD floating-point exception", "mxcsr", mxcsr, mxcsr >> 7);
    } else {
        __asm__ volatile("fnstsw %0; fnstcw %1" : "=m"(fsw), "=m"(fcw));
        explain_signals("x87 floating-point exception", "status word", fsw, fcw);
    }
}
