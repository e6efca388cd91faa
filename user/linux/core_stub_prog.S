/* TEMPORARY (core_stub.c): the one program the core runs before the file systems land. */
    .section .rodata
    .balign 4096
    .globl lx_stub_prog, lx_stub_prog_end
lx_stub_prog:
    .incbin "build/linux/stubprog"
lx_stub_prog_end:
