/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FP/SIMD state: V0-V31, FPCR, FPSR (struct arch_fpu). CPACR_EL1.FPEN decides who may use
 * the registers: 0b11 nobody traps (a thread owns them), 0b00 every use traps (EL0's as
 * EC 0x07, which trap.c hands to fpu_first_use). The kernel never uses them itself
 * (-mgeneral-regs-only); it turns them on only here, around its own stores and loads.
 */
#define CPACR_FPEN_ON  (3 << 20)

.macro FP_ON
        mrs     x9, cpacr_el1
        orr     x9, x9, #CPACR_FPEN_ON
        msr     cpacr_el1, x9
        isb
.endm

.macro FP_OFF
        mrs     x9, cpacr_el1
        bic     x9, x9, #CPACR_FPEN_ON
        msr     cpacr_el1, x9
        isb
.endm

/* zero every FP/SIMD register and the control and status registers */
.macro FP_CLEAN
        movi    v0.16b, #0
        movi    v1.16b, #0
        movi    v2.16b, #0
        movi    v3.16b, #0
        movi    v4.16b, #0
        movi    v5.16b, #0
        movi    v6.16b, #0
        movi    v7.16b, #0
        movi    v8.16b, #0
        movi    v9.16b, #0
        movi    v10.16b, #0
        movi    v11.16b, #0
        movi    v12.16b, #0
        movi    v13.16b, #0
        movi    v14.16b, #0
        movi    v15.16b, #0
        movi    v16.16b, #0
        movi    v17.16b, #0
        movi    v18.16b, #0
        movi    v19.16b, #0
        movi    v20.16b, #0
        movi    v21.16b, #0
        movi    v22.16b, #0
        movi    v23.16b, #0
        movi    v24.16b, #0
        movi    v25.16b, #0
        movi    v26.16b, #0
        movi    v27.16b, #0
        movi    v28.16b, #0
        movi    v29.16b, #0
        movi    v30.16b, #0
        movi    v31.16b, #0
        msr     fpcr, xzr
        msr     fpsr, xzr
.endm

        .text
/* void arch_fpu_init(void): clean registers, every use trapped (the first thread's traps) */
        .globl arch_fpu_init
        .globl arch_fpu_trap
arch_fpu_init:
arch_fpu_trap:
        FP_ON
        FP_CLEAN
        FP_OFF
        ret

/* void arch_fpu_claim(void): clean registers, the running thread's to use */
        .globl arch_fpu_claim
arch_fpu_claim:
        FP_ON
        FP_CLEAN
        ret

/* void arch_fpu_save(struct arch_fpu *s) */
        .globl arch_fpu_save
arch_fpu_save:
        FP_ON
        stp     q0, q1, [x0, #0]
        stp     q2, q3, [x0, #32]
        stp     q4, q5, [x0, #64]
        stp     q6, q7, [x0, #96]
        stp     q8, q9, [x0, #128]
        stp     q10, q11, [x0, #160]
        stp     q12, q13, [x0, #192]
        stp     q14, q15, [x0, #224]
        stp     q16, q17, [x0, #256]
        stp     q18, q19, [x0, #288]
        stp     q20, q21, [x0, #320]
        stp     q22, q23, [x0, #352]
        stp     q24, q25, [x0, #384]
        stp     q26, q27, [x0, #416]
        stp     q28, q29, [x0, #448]
        stp     q30, q31, [x0, #480]
        mrs     x10, fpcr
        mrs     x11, fpsr
        add     x0, x0, #512
        stp     x10, x11, [x0]
        ret

/* void arch_fpu_load(const struct arch_fpu *s): s into the registers; stop trapping */
        .globl arch_fpu_load
arch_fpu_load:
        FP_ON
        ldp     q0, q1, [x0, #0]
        ldp     q2, q3, [x0, #32]
        ldp     q4, q5, [x0, #64]
        ldp     q6, q7, [x0, #96]
        ldp     q8, q9, [x0, #128]
        ldp     q10, q11, [x0, #160]
        ldp     q12, q13, [x0, #192]
        ldp     q14, q15, [x0, #224]
        ldp     q16, q17, [x0, #256]
        ldp     q18, q19, [x0, #288]
        ldp     q20, q21, [x0, #320]
        ldp     q22, q23, [x0, #352]
        ldp     q24, q25, [x0, #384]
        ldp     q26, q27, [x0, #416]
        ldp     q28, q29, [x0, #448]
        ldp     q30, q31, [x0, #480]
        add     x0, x0, #512
        ldp     x10, x11, [x0]
        msr     fpcr, x10
        msr     fpsr, x11
        ret

        .section .note.GNU-stack, "", @progbits
