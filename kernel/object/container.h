/* SPDX-License-Identifier: BSD-2-Clause */
/* Containers: a capability table, typed pools, its own memory, a priority ceiling, its threads. */
#ifndef OBJECT_CONTAINER_H
#define OBJECT_CONTAINER_H

#include "blocklist.h"
#include "boot.h"
#include "cap.h"
#include "loader.h"
#include "store.h"

#include <coffer/cap.h>
#include <coffer/sysdesc.h>

enum container_state {
    CONTAINER_RUNNING = 0,
    CONTAINER_STOPPED = 1, /* its threads are held by container_stop */
};

struct notification;

/* Where a restart under way stands (container_restart_step), in its order. */
enum restart_stage {
    RESTART_NONE = 0,  /* none under way */
    RESTART_TABLES,    /* its threads are dead; the tables it made go next */
    RESTART_SPACES,    /* a space a few steps: out of use, its capabilities, its tables */
    RESTART_ENDPOINTS, /* and notifications */
    RESTART_SWEEP,     /* what it mapped, in every space, a space a step */
    RESTART_TABLE,     /* its own table's reset, in batches */
    RESTART_ROOM,      /* its store's tables being cleared, for their room (cspace.c) */
    RESTART_CHECK,     /* debug builds: every table and pool checked, in batches */
    RESTART_LOAD,      /* its table rebuilt, its program loaded into a new space in batches */
};

/* A walk over every table in steps (captable_at order): the table's place and the slot. */
struct tables_cursor {
    uint32_t table, slot;
};

struct container {
    uint32_t id; /* index + 1 */
    char name[16];
    const struct sysdesc_container *desc; /* how to (re)build it */
    const struct boot_module *image;
    struct captable table;
    struct store stores[L4_POOL_KIND_COUNT]; /* the memory behind its pool roots */
    uint32_t objects[L4_POOL_KIND_COUNT];    /* objects it made that are alive, per kind */
    uint32_t alive;                          /* of its threads, those not dead yet */
    bool restarting;                         /* its threads die for its restart, not their end */
    /* a restart under way (container_restart_step): no threads from its first stage on */
    enum restart_stage restart_stage;
    struct captable_reset_cursor reset; /* where the reset of its table stands */
    uint64_t sweep;                     /* its unmap sweep's number (space.h swept) */
    union {                             /* where a stage stands, by restart_stage */
        struct {
            struct space *space;        /* the space being taken apart (space.c), or NULL */
            struct tables_cursor purge; /* the removal of its capabilities */
        } retire;                       /* SPACES */
        struct {
            struct tables_cursor at;
            uint64_t changes, tally; /* cap_changes and the pool tally at its start */
        } check;                     /* CHECK */
        struct {
            struct space *space; /* the program's new space */
            struct loader_cursor at;
        } load; /* LOAD */
    };
    uint8_t ceiling;
    enum container_state state;
    uint32_t faults, restarts;
    uint64_t last_fault_ip, last_fault_addr;
    struct blocklist memory; /* free frames of its RAM, for images and stacks */
    paddr_t mem_base;
    uint64_t mem_size;
    struct cap_origin region; /* RAM reached only through its memory capability (mem_map) */
    /* the slots of the run-time tables its capslots pool pays for (kernel/object/cspace.c) */
    struct cap *table_arena;
    uint32_t arena_slots;
    /* container_notify (container_notify.c): what its supervisor hears of it */
    struct notification *notify;     /* signalled on an unhandled fault or its last thread's end */
    l4_word_t notify_bits;           /* the badge of the capability it was bound with */
    struct container *notify_binder; /* whose L4_NTF_SIGNAL right the binding rests on */
};

/* Build every container of the boot description; panics with the reason on a bad one. */
void containers_boot(const void *sysdesc, size_t len);
struct container *container_of_index(unsigned i);

/* The root pool capability of kind in c's table (NULL if c has no such pool). */
struct cap *container_pool_root(struct container *c, unsigned kind);

void container_stop(struct container *c);
void container_start(struct container *c);
/*
 * Kill every thread and space of c and start its program again from the image, in steps
 * (restart_stage): its threads, what it made (an object a step, a space in a few), what it
 * mapped (a space a step), its table's reset (at most budget units a step:
 * captable_reset_step), a check of every table and pool (debug builds), its program's load
 * (a few pages a step), its start. CAP_MORE while some is left, then the program's start's
 * result. A step of a restart under way goes on with it, whoever asks.
 */
l4_err_t container_restart_step(struct container *c, unsigned budget);
/* Record an unhandled fault of one of its threads. */
void container_note_fault(struct container *c, uint64_t ip, uint64_t addr);
/* Bind c's notification (NULL: none) on the authority of binder (container_notify). */
void container_bind_notify(struct container *c, struct notification *n, l4_word_t bits,
                           struct container *binder);
/* One of c's threads faulted unhandled, or its last thread ended: tell its supervisor. */
void container_signal(struct container *c);
/* n goes, or binder (NULL: anyone) may no longer signal it: containers forget it. */
void containers_forget_notify(struct notification *n, const struct container *binder);
/* Does c hold a capability naming obj with every right in rights? */
bool container_holds(const struct container *c, const void *obj, uint32_t rights);
/* Remove every capability, in every container, that names obj. */
void containers_purge_object(void *obj);
/* The same in batches: at most budget slots looked at from cur on (zeroed to begin): is some
 * of the pass left? A table leaving the list meanwhile may shift the pass by a table: a pass
 * that ended may have missed some (the object's count says), and another finds them. Nothing
 * may copy or move a capability naming obj meanwhile (cap_hooks closing). */
bool containers_purge_some(const void *obj, struct tables_cursor *cur, unsigned budget);
/* memory_gone's question for a step of an unmap debt (kernel/object/unmap_debt.c): does the
 * container that mapped pa (by id) still hold memory over it with the rights perms need?
 * containers_cover_forget first whenever capabilities may have changed since the last. */
bool containers_cover(unsigned mapper, paddr_t pa, unsigned perms);
void containers_cover_forget(void);
/* Around an IPC that moves a capability: what the move takes from the giver is undone
 * (threads bound through it killed, ...) only once the IPC's own state is whole. */
void containers_defer_unbinding(void);
void containers_settle_unbinding(void);
/* Debug builds: check every table and pool; panic with the reason if anything is off. Its
 * work grows with the whole system: a system of thousands of threads would spend most of its
 * time in it if it followed every call, which containers_check_each_call says (true unless the
 * kernel command line says "check=boot": then it runs at boot and restarts only). */
void containers_check(void);
/* The same in batches of at most budget slots, from cur on (zeroed to begin; changes and
 * tally keep what the pool totals' check needs): is some left? The pool totals are checked
 * at the end if no capability changed meanwhile (else every slot and every pool capability
 * still was, each as it stood in its batch). */
bool containers_check_step(struct tables_cursor *cur, uint64_t *changes, uint64_t *tally,
                           unsigned budget);
extern bool containers_check_each_call;

#endif
