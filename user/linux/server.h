/* SPDX-License-Identifier: BSD-2-Clause */
/* The core's own parts (main.c, worker.c, proc.c, mem.c, exec.c): not for the other parts. */
#ifndef LINUX_SERVER_H
#define LINUX_SERVER_H

#include "linux.h"

/* Limits: every Linux thread can wait in a call while a worker is still free (linux.h). */
#define LX_MAX_TASKS   32
#define LX_MAX_PROCS   24
#define LX_WORKERS     (LX_MAX_TASKS + 2)
#define LX_SERVER_PRIO 100
/* Linux threads run at the workers' priority: the kernel's fastpath answers a foreign call
 * only to a thread at least the handler's priority, so a lower one would make every reply
 * take the general path (a getpid round trip 2741 instructions instead of ...). A busy
 * process then shares the processor with a busy worker, round robin, and starves nobody. */
#define LX_TASK_PRIO   LX_SERVER_PRIO

/* Slots of the server's table: from the system file (systems/linux.toml), then ours. */
#define LX_SLOT_CONSOLE   16 /* console.out: send, the badge the console's input= names */
#define LX_SLOT_TIMER     17 /* timer: send, the badge its stop= names */
#define LX_SLOT_RTC       18 /* the real-time clock (arch/<arch>/rtc.c): CMOS ports, PL031 */
#define LX_SLOT_CLOCK_CAP 19 /* the wall clock capability: we set it from the RTC */
#define LX_SLOT_EP        20 /* our endpoint: every call and fault of every Linux thread */
#define LX_SLOT_CLOCK     21
#define LX_SLOT_WORKER(i) (24 + (i))
#define LX_SLOT_DYN       (LX_SLOT_WORKER(LX_WORKERS)) /* first slot of the allocator */
#define LX_SLOT_DYN_COUNT 256
l4_cap_t lx_slot_alloc(void); /* 0 when none is free */
void lx_slot_free(l4_cap_t slot);

int lx_endpoint_init(void);
void lx_rtc_init(void); /* set the machine's wall clock from the RTC, if there is one */
long lx_worker_main(l4_word_t index);
_Noreturn void lx_shutdown(int status);

/* mem.c */
int lx_frame_map_at(uint64_t va); /* a fresh frame mapped at va in our space: the heap */
int lx_mem_init(void);
struct lx_mm *lx_mm_new(void); /* an empty address space, NULL: ENOMEM */
struct lx_mm *lx_mm_fork(struct lx_mm *parent, int *err);
void lx_mm_get(struct lx_mm *mm);
void lx_mm_put(struct lx_mm *mm);
l4_cap_t lx_mm_space(struct lx_mm *mm);
/* A page fault: 0 when the thread may go on (the page is there now), -EFAULT when the
 * access is not allowed there, -ENOMEM when no frame or page table is left for it. */
int lx_mm_fault(struct lx_mm *mm, uint64_t addr, uint64_t error);
int lx_mm_copy_in(struct lx_mm *mm, void *dst, uint64_t src, size_t len);
int lx_mm_copy_out(struct lx_mm *mm, uint64_t dst, const void *src, size_t len);
/* exec's layout: a mapping of len bytes at addr (page-aligned), prot LX_PROT_*, backed by
 * file bytes [off, off + filesz) then zeros. 0 or -errno. */
struct lx_file;
int lx_mm_map_segment(struct lx_mm *mm, uint64_t addr, uint64_t len, int prot, struct lx_file *file,
                      uint64_t off, uint64_t filesz);
/* A page at addr (page-aligned), read and execute only, holding len bytes of code (then
 * zeros): the server's own code for the process (a signal return trampoline). 0 or -errno. */
int lx_mm_map_code(struct lx_mm *mm, uint64_t addr, const void *code, size_t len);
int lx_mm_set_brk(struct lx_mm *mm, uint64_t start);
int lx_mm_map_stack(struct lx_mm *mm, uint64_t top, uint64_t size);
#define LX_PROT_READ  1
#define LX_PROT_WRITE 2
#define LX_PROT_EXEC  4

/* proc.c */
int lx_start_init(char **argv);
struct lx_task *lx_task_by_badge(l4_word_t badge);
struct lx_task *lx_task_at(int index); /* the task table's entry, or NULL */
void lx_proc_kill_all(void);
void lx_task_end(struct lx_task *t);     /* destroy its thread; freed when no worker holds it */
void lx_task_release(struct lx_task *t); /* free an ended one no worker holds any more */
/* Give t a (new) Coffer thread in mm's space starting from regs; an old one is destroyed. */
int lx_task_start(struct lx_task *t, struct lx_mm *mm, const struct l4_regs *regs);

/* exec.c: replace t's program (t gets a new thread, already started); 0 or -errno */
int lx_exec(struct lx_task *t, const char *path, char *const *argv, int argc, char *const *envp,
            int envc);

#endif
