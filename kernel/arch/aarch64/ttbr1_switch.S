/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * void ttbr1_switch(paddr_t root), called at its physical address, through the boot identity
 * map (TTBR0): it uses neither the stack nor any address of TTBR1's while the TLB may still
 * hold the old tree's entries next to the new one's (directmap.c), and returns to its caller
 * in the new tree, which maps the kernel where the old one did.
 */
        .text
        .balign 4
        .globl ttbr1_switch
ttbr1_switch:
        msr     ttbr1_el1, x0
        isb
        tlbi    vmalle1
        dsb     nsh
        isb
        ret

        .section .note.GNU-stack, "", @progbits
