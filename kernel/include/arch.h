/* SPDX-License-Identifier: BSD-2-Clause */
/* The hooks generic kernel code calls; each architecture implements them. */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include "types.h"

/*
 * Arch-specific definitions come from the include path, never from a path
 * that names the architecture: the Makefile puts kernel/arch/$(ARCH)/include
 * first, so these resolve to the right files.
 */
#include <arch_fpu.h>
#include <arch_frame.h>
#include <arch_mm.h>

/* Generic entry point, called by the arch boot code once boot_info is filled in. */
_Noreturn void kmain(void);

/*
 * Make phys_to_virt valid for every byte of the n usable RAM ranges (sorted, disjoint, whole
 * frames: memmap_normalize), below DIRECT_MAP_SIZE, and for nothing else: no device hole is
 * mapped as RAM. Its page tables come from kernel_pmm, which must then hold only frames
 * below BOOT_MAP_SIZE (reachable through the boot tables). Once, before arch_init.
 */
struct boot_range;
void arch_direct_map(const struct boot_range *ram, unsigned n);

/*
 * Console and machine control. arch_halt's code (0..31) says why the machine stops, and
 * under QEMU becomes its exit status (decoded by scripts/qemu.py); docs/architecture.md
 * "Halt codes" lists them: 0 = every thread finished, 2 = stuck (threads are left but none
 * can ever run again), 3 = kernel panic.
 */
void arch_console_init(void);
void arch_console_putc(char c);
void arch_init(void);               /* descriptor tables, syscall entry, timer */
_Noreturn void arch_halt(int code); /* stop the machine; the code says why (above) */
void arch_idle(void);               /* wait for an interrupt with interrupts on */
/* An interrupt came in while interrupts are off (the kernel's own time): a long operation
 * stops at its next preemption point so that it is taken (sched_preemption_wanted). */
bool arch_interrupt_pending(void);
uint64_t arch_timestamp(void); /* monotonic cycle (or instruction) counter */

/*
 * Page tables. Permissions are MAP_* bits; every mapping made here is user.
 * Table frames come from pt_frame_alloc(owner), which generic code provides
 * (it charges the owner's page-table pool); owner is passed through untouched.
 * The walks behind these hooks are written once, in generic code (kernel/core/pt_walk.c,
 * pt_teardown.c, kstack.c), over the entry encoding each arch gives in <arch_pte.h>
 * (pt_walk.h says what it holds); arch_pt_activate is the arch's own.
 */
#define MAP_READ       1u
#define MAP_WRITE      2u
#define MAP_EXEC       4u
#define MAP_OWNED      8u /* the space owns the frame: arch_pt_destroy hands it to leaf() */
/* Device memory (MMIO): mapped uncached, never with MAP_EXEC or MAP_OWNED; arch_pt_lookup
 * refuses it, so no kernel path reaches its frame through the direct map (RAM only). */
#define MAP_DEVICE     16u
/* Who made a mapping from a memory capability (a container id, 1..MAP_MAPPER_MAX), kept
 * with it: an id the entry could not hold would name another container as the mapper. */
#define MAP_MAPPER(id) ((unsigned)(id) << 8)
#define MAP_MAPPER_MAX ARCH_MAPPER_MAX
paddr_t pt_frame_alloc(void *owner); /* zeroed frame, or 0 when the pool is empty */
void pt_frame_free(void *owner, paddr_t pa);
paddr_t arch_pt_create(void *owner); /* new root sharing the kernel half; 0 if no memory */
l4_err_t arch_pt_map(paddr_t root, void *owner, vaddr_t va, paddr_t pa, unsigned perms);
/* Unmap one page; returns the frame that was mapped there (or 0) and whether it was owned. */
paddr_t arch_pt_unmap(paddr_t root, vaddr_t va, bool *owned);
/* Unmap one page that is not owned (nothing to give back), if one is mapped there. */
void arch_pt_clear(paddr_t root, vaddr_t va);
/* true if va is mapped user-accessible with at least perms, and is RAM (not MAP_DEVICE): the
 * kernel may reach the frame *pa gets through its direct map. */
bool arch_pt_lookup(paddr_t root, vaddr_t va, unsigned perms, paddr_t *pa);
/* The mapping at va (user-accessible): its frame and MAP_* bits, MAP_OWNED, MAP_DEVICE and
 * MAP_MAPPER included. false if nothing is mapped there. */
bool arch_pt_entry(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *perms);
/*
 * A range call's view of one space (mem_protect, mem_share): the last page table it walked
 * to, so that the pages of one table cost one walk, not one each. Start it with
 * arch_pt_near_init; it stays true while the call maps nothing into that space (a table
 * made meanwhile would not be seen).
 */
struct pt_near {
    paddr_t root;
    vaddr_t base;     /* the span the table maps; not page aligned before the first walk */
    uint64_t *leaves; /* its entries, or NULL if the span has no table */
};
void arch_pt_near_init(struct pt_near *n, paddr_t root);
/* arch_pt_entry through n */
bool arch_pt_entry_near(struct pt_near *n, vaddr_t va, paddr_t *pa, unsigned *perms);
/* Give the mapping at va (present, not owned: an arch_pt_entry_near just said so) the
 * permissions and mapper in perms, and flush its TLB entry. */
void arch_pt_protect_near(struct pt_near *n, vaddr_t va, unsigned perms);
/* Free the tables of the user half; leaf(owner, pa) is called for each owned frame. */
void arch_pt_destroy(paddr_t root, void *owner, void (*leaf)(void *owner, paddr_t pa));
/* The same in steps: up to budget tables a call, the lowest first (a leaf table with its
 * owned frames), the tree whole between calls. True while some are left; the last call
 * frees the root. */
bool arch_pt_destroy_some(paddr_t root, void *owner, void (*leaf)(void *owner, paddr_t pa),
                          unsigned budget);
void arch_pt_activate(paddr_t root);
/* Unmap every page not owned by the space whose frame is in [base, base+size) and for which
 * keep(mapper, frame, perms) says no (mapper: the MAP_MAPPER id it was mapped with; perms:
 * MAP_READ and the MAP_WRITE and MAP_EXEC the mapping has). */
void arch_pt_unmap_foreign(paddr_t root, paddr_t base, uint64_t size,
                           bool (*keep)(unsigned mapper, paddr_t pa, unsigned perms));
/* The same in steps: from address *at on, until *budget (units: an entry looked at, more for a
 * foreign leaf in the range) is spent. True when the walk reached the user half's end;
 * otherwise *at is where the next step goes on. Mappings made below *at meanwhile are not
 * looked at again: they were made with the capabilities of their time. */
bool arch_pt_unmap_foreign_step(paddr_t root, paddr_t base, uint64_t size,
                                bool (*keep)(unsigned mapper, paddr_t pa, unsigned perms),
                                vaddr_t *at, long *budget);

/*
 * Kernel stacks live in the kernel's stack area, each of KSTACK_SIZE bytes with an unmapped
 * guard page below it, so that an overflow faults (thread_check_stack_overflow names the
 * thread) instead of overwriting whatever lies below. arch_kstacks_reserve (boot) sets aside
 * the area of n stacks and makes every page table they need, returning its start (0 when RAM
 * is short); arch_kstack_map maps the KSTACK_SIZE bytes of RAM at ram as stack i of an area
 * (not mapped yet) and returns its base, arch_kstack_unmap takes one away again. Neither
 * allocates: a thread store sets aside its stacks' RAM and area at boot, and maps a block's
 * stack only while the block holds a thread (kernel/object/thread.c).
 */
vaddr_t arch_kstacks_reserve(uint32_t n);
void *arch_kstack_map(vaddr_t area, uint32_t i, paddr_t ram);
void arch_kstack_unmap(void *kstack);

/* Threads: the user register frame lives at the top of each kernel stack. */
struct trap_frame *arch_frame_of(void *kstack_base);
void arch_frame_init_user(struct trap_frame *f, vaddr_t entry, vaddr_t sp, l4_word_t arg);
/* The user registers thread_exregs reads and writes, whatever the architecture calls them. */
struct user_regs {
    l4_word_t ip, sp, arg;
};
void arch_frame_read(const struct trap_frame *f, struct user_regs *r);
void arch_frame_write(struct trap_frame *f, const struct user_regs *r);
/* Every user register of a frame (struct l4_regs, <coffer/regs.h>); fs_base and gs_base are
 * not in the frame and come back 0: they are the thread's, not the frame's. */
struct l4_regs;
void arch_frame_get_regs(const struct trap_frame *f, struct l4_regs *r);
/* The same split where a message splits it, the TLS bases (the last L4_TLS_COUNT words of
 * struct l4_regs) left out: words 0..L4_MSG_REGS-1 to head, the others to tail (word i at
 * tail[i - L4_MSG_REGS]). The foreign fastpath writes them straight into the handler's
 * message and UTCB. */
void arch_frame_get_regs_split(const struct trap_frame *f, l4_word_t *head, l4_word_t *tail);
/* L4_OK if r may be written into a user frame: rip and rsp user addresses (else ERANGE),
 * rflags without bits user code may not set (else EINVAL). */
l4_err_t arch_regs_check(const struct l4_regs *r);
/* Write r (checked with arch_regs_check) into f, fs_base and gs_base aside; the thread
 * then returns to user mode through the full exception return. */
void arch_frame_set_regs(struct trap_frame *f, const struct l4_regs *r);
/* The same from a register set split as arch_frame_get_regs_split splits it, checked here:
 * arch_regs_check's error, f untouched, or L4_OK with the words written. Each word the check
 * looks at is read from tail once (LOAD_ONCE), so tail may be a UTCB: the foreign fastpath
 * writes a resume's registers straight from the handler's. */
l4_err_t arch_frame_set_regs_split(struct trap_frame *f, const l4_word_t *head,
                                   const l4_word_t *tail);
/*
 * Thread-local storage bases (x86_64: FS and GS base; L4_TLS_FS, L4_TLS_GS), user addresses
 * all. The kernel never uses them itself, so the running thread's stay loaded while it is
 * in the kernel. arch_tls_switch is called on every switch with work: prev's bases are in
 * its TCB already, and next's are loaded, an equal one too if user code may have zeroed the
 * CPU's (x86_64: by loading a segment selector).
 */
void arch_tls_switch(l4_word_t *prev, const l4_word_t *next); /* L4_TLS_COUNT each */
l4_word_t arch_tls_get(unsigned which);            /* the running thread's, as the CPU has it */
void arch_tls_set(unsigned which, l4_word_t base); /* load one into the CPU now */
/* Make a fresh kernel stack resume in arch_return_to_user() on first switch. */
void arch_context_init(uint64_t *saved_sp, void *kstack_base);
/* The same, resuming with the (cheaper) system call return; needs arch_frame_sysret_ok(). */
void arch_context_init_sysret(uint64_t *saved_sp, void *kstack_base);
bool arch_frame_sysret_ok(const struct trap_frame *f);
/* The system call f was saved by runs again when the thread goes back to user mode: its rip
 * goes back onto its SYSCALL instruction (syscall_again). */
void arch_syscall_again(struct trap_frame *f);
/* Put a system call's error and results into a thread's saved registers. */
void arch_syscall_results(struct trap_frame *f, l4_err_t err, const l4_word_t r[6]);
/* The same, resuming in ipc_fast_resume() (the IPC fastpath dropped its call chain). */
void arch_context_init_resume(uint64_t *saved_sp, void *kstack_base);
/* Return to user space through the full exception return with f, the current thread's
 * frame, abandoning the kernel call chain below it. */
_Noreturn void arch_return_from(struct trap_frame *f);
/* The same through the system call return: f must pass arch_frame_sysret_ok(). */
_Noreturn void arch_return_from_sysret(struct trap_frame *f);
/* Was f saved by an exception from user mode, with a user code segment and rip, so that the
 * full exception return may take it back as it is? Its vector and error code to *vector and
 * *error. */
bool arch_frame_fault_ok(const struct trap_frame *f, unsigned *vector, uint64_t *error);
/* Switch to next_sp, saving nothing: the current kernel call chain is abandoned. */
_Noreturn void arch_context_jump(uint64_t next_sp);
/* Save callee-saved state on the current stack, store sp, switch to next_sp. */
void arch_context_switch(uint64_t *saved_sp, uint64_t next_sp);
/* The running thread, in this CPU's own data (sched.c keeps it here, not in a global). */
struct tcb;
struct tcb *arch_cpu_current(void);
void arch_cpu_set_current(struct tcb *t);
/* The stack top the CPU loads on the next entry from user mode. */
void arch_set_kernel_stack(void *top);

/*
 * Device interrupt lines: masked until a driver binds one. The arch code masks
 * a line when it fires and calls irq_raised(line); irq_ack unmasks it.
 */
bool arch_irq_mask(unsigned line, bool masked); /* false: no such line */
void irq_raised(unsigned line);                 /* generic: kernel/object/irq.c */
/* A line was bound by binder, or unbound (NULL): an architecture may lend the line's device to
 * the binder's threads (AArch64: the physical timer's registers, kernel/arch/aarch64/cntp.c). */
struct container;
void arch_irq_bound(unsigned line, const struct container *binder);
/* In a switch's rare work (sched_switch_work), which runs on every switch where
 * ARCH_TLS_USER_WRITES (AArch64's assembly fastpaths do its work themselves, BECOME_NEXT):
 * grant or take what next's container is lent (arch_irq_bound). */
void arch_switch_access(const struct tcb *next);

/*
 * FPU/SSE/AVX state (kernel/core/fpu.c decides when; docs/architecture.md "FPU state").
 * The kernel itself never touches these registers. Between arch_fpu_trap() and
 * arch_fpu_claim() any user FPU, SSE or AVX instruction traps (x86: #NM, which the trap
 * code hands to fpu_first_use()) and the registers hold the clean state, never a thread's.
 */
void arch_fpu_init(void);                     /* boot: choose the save instruction, trap all use */
void arch_fpu_save(struct arch_fpu *s);       /* the registers into s */
void arch_fpu_load(const struct arch_fpu *s); /* s into the registers; stop trapping */
void arch_fpu_trap(void);                     /* clean registers; trap the next use */
void arch_fpu_claim(void);                    /* clean registers; stop trapping */

/*
 * Cache maintenance of len bytes at kernel address kva (RAM, through the direct map):
 * CACHE_SYNC_INSN makes code written there fit to run (the loader; cache_control),
 * CACHE_CLEAN writes what the CPU wrote back to RAM, CACHE_FLUSH does that and forgets the
 * cached copy. What the hardware keeps coherent by itself is left out.
 */
#define CACHE_SYNC_INSN 1
#define CACHE_CLEAN     2
#define CACHE_FLUSH     3
void arch_cache_maintain(void *kva, size_t len, unsigned op);

/* Port I/O for drivers (x86); false if the machine has no I/O ports. */
bool arch_ioport(unsigned port, unsigned width, bool write, uint32_t *value);

/* Diagnostics for unhandled faults. */
const char *arch_fault_name(unsigned vector);
void arch_dump_frame(const struct trap_frame *f);
/* Print what the error code of an exception says, in words, on a line of its own. */
void arch_fault_explain(unsigned vector, uint64_t error);
/* Was it an access to a page nothing is mapped at (so a guard page may be the cause)? */
bool arch_fault_unmapped(unsigned vector, uint64_t error);
/* The user frame pointer: each frame holds the caller's frame pointer, then a return address. */
uint64_t arch_frame_fp(const struct trap_frame *f);
/* Does code (a function's first bytes) set up a frame pointer? (backtraces of functions
 * caught without one) */
bool arch_is_frame_prologue(const uint8_t code[ARCH_FRAME_PROLOGUE_LEN]);
/* Where a function caught without its frame keeps its return address: at sp plus the offset
 * returned, or in the link register (arch_frame_link) for ARCH_RETURN_IN_LINK. prologue: the
 * function sets a frame up (off bytes of it ran); otherwise a leaf that sets none up. */
#define ARCH_RETURN_IN_LINK (-1)
int arch_return_slot(bool prologue, uint64_t off);
uint64_t arch_frame_link(const struct trap_frame *f);

#endif
