/* SPDX-License-Identifier: BSD-2-Clause */
/* The boot pack: every boot module in one archive, for loaders that pass one (QEMU's -initrd). */
#ifndef KERNEL_BOOTPACK_H
#define KERNEL_BOOTPACK_H

#include "boot.h"
#include "types.h"

/*
 * Layout (little-endian; scripts/mkbootpack.py writes it, docs/aarch64.md "Boot modules"):
 *
 *   offset 0   struct bootpack_header
 *   offset 24  struct bootpack_entry[count]
 *   ...        zero padding up to the first module
 *   offset k*BOOTPACK_ALIGN  each module's bytes, in entry order, each page aligned
 *
 * The pack itself starts page aligned, so a module's frames are whole frames of its own
 * from its first byte on and can be handed out as they lie.
 */
#define BOOTPACK_MAGIC      0x50424643u /* "CFBP" */
#define BOOTPACK_VERSION    1u
#define BOOTPACK_ALIGN      4096u /* of the pack in memory and of every module's offset */
#define BOOTPACK_NAME_BYTES 32    /* NUL included: names of at most 31 bytes */
#define BOOTPACK_ARGS_BYTES 64    /* NUL included: arguments of at most 63 bytes */

struct bootpack_header {
    uint32_t magic, version;
    uint32_t count;    /* entries that follow the header */
    uint32_t reserved; /* zero */
    uint64_t size;     /* bytes of the whole pack: the end of its last module */
};

struct bootpack_entry {
    char name[BOOTPACK_NAME_BYTES]; /* the program's name (or "system"), NUL-terminated */
    char args[BOOTPACK_ARGS_BYTES]; /* the rest of its command line, NUL-terminated */
    uint64_t offset, size;          /* of its bytes from the pack's start */
};

_Static_assert(sizeof(struct bootpack_header) == 24, "boot pack header layout");
_Static_assert(sizeof(struct bootpack_entry) == 112, "boot pack entry layout");
_Static_assert(sizeof(((struct boot_module *)0)->name) == BOOTPACK_NAME_BYTES, "name field");
_Static_assert(sizeof(((struct boot_module *)0)->args) == BOOTPACK_ARGS_BYTES, "args field");

/*
 * Read the pack the loader put at physical [start, end), whose bytes the caller has mapped at
 * pack, into bi: its modules (replacing any there were) as physical ranges inside the pack,
 * and reserved_end raised to the pack's end. Every field is checked before bi is touched;
 * on any fault returns false, leaves bi as it was and sets *why to what is wrong.
 */
bool bootpack_read(const void *pack, paddr_t start, paddr_t end, struct boot_info *bi,
                   const char **why);

#endif
