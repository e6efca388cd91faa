/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the boot description check: a valid description passes, each bad field is named. */
// uses: kernel/core/sysdesc.c
#include "check.h"
#include "sysdesc.h"

#include <coffer/cap.h>
#include <coffer/thread.h>
#include <string.h>

#define K(n) ((uint64_t)(n) << 10)
#define M(n) ((uint64_t)(n) << 20)

#define WHY_VERSION    "not a version 4 boot description"
#define WHY_COUNT      "container, object or capability count out of range"
#define WHY_SHORT      "boot description shorter than its counts say"
#define WHY_NAME       "container name or program not a terminated string"
#define WHY_ARGS       "container args not terminated"
#define WHY_PRIO       "container priority above its ceiling, or ceiling above 255"
#define WHY_POOL       "container needs a thread and a space"
#define WHY_SLOTS      "container capability table size out of range"
#define WHY_MEMORY     "container memory not page aligned or out of range"
#define WHY_FLAGS      "container has unknown flags"
#define WHY_REGION     "container memory region too large"
#define WHY_FOREIGN    "container foreign system call mode unknown"
#define WHY_FOREIGN_EP "container foreign system call mode without a fault endpoint"
#define WHY_FAULT_SLOT "container fault endpoint slot holds no endpoint capability that may send"
#define WHY_OBJ_OWNER  "object owner names no container"
#define WHY_OBJ_KIND   "object kind unknown"
#define WHY_OBJ_SLOT   "object slot outside the owner's free slots"
#define WHY_OBJ_SIZE   "object size invalid"
#define WHY_CAP_NAME   "capability names no container"
#define WHY_CAP_OBJECT "capability names no object of its type"
#define WHY_CAP_TYPE   "capability type or rights invalid"
#define WHY_CAP_SLOT   "capability slot outside the holder's free slots"
#define WHY_CAP_DUP    "two capabilities for one slot"
#define WHY_PORTS      "I/O port capability invalid"
#define WHY_PORTS_BOTH "I/O port ranges of two containers overlap"
#define WHY_DEVICE     "device memory range empty, unaligned or beyond physical addresses"
#define WHY_DEV_RIGHTS "device memory capability rights invalid (never exec)"
#define WHY_DEV_BOTH   "device memory ranges overlap"
#define WHY_CLOCK      "clock capability invalid"
#define WHY_OBJ_POOL   "container owns more endpoints or notifications than its pools pay for"
#define WHY_THREAD_IDS "the thread pools add up to more threads than thread ids can tell apart"

#define OBJ_SLOT 40 /* where make() puts object 0 (caps start at L4_SLOT_FIRST_FREE) */

/* A description on the heap, exactly len bytes long, so ASan catches any read past its end. */
struct desc {
    void *buf;
    size_t len;
    struct sysdesc_header *h;
    struct sysdesc_container *c;
    struct sysdesc_object *o;
    struct sysdesc_cap *k;
};

static size_t desc_len(uint32_t ncont, uint32_t nobj, uint32_t ncaps)
{
    return sizeof(struct sysdesc_header) + ncont * sizeof(struct sysdesc_container) +
           nobj * sizeof(struct sysdesc_object) + ncaps * sizeof(struct sysdesc_cap);
}

/* lib/string.h, first on the include path, has no strcpy */
static void put(char *dst, const char *s)
{
    memcpy(dst, s, strlen(s) + 1);
}

/*
 * ncont valid containers "c0", "c1", ...; nobj valid objects: object i is an endpoint
 * owned by container 0 in slot OBJ_SLOT + i; and ncaps valid capabilities: cap i is held
 * by container 0 in slot 16 + i and names container 1 % ncont with every container right.
 */
static struct desc make(uint32_t ncont, uint32_t nobj, uint32_t ncaps)
{
    struct desc d;

    d.len = desc_len(ncont, nobj, ncaps);
    d.buf = malloc(d.len ? d.len : 1); // malloc aligns to at least 8; every length is too
    if (!d.buf) {
        printf("out of memory\n");
        exit(2);
    }
    memset(d.buf, 0, d.len);
    d.h = d.buf;
    d.c = (struct sysdesc_container *)(d.h + 1);
    d.o = (struct sysdesc_object *)(d.c + ncont);
    d.k = (struct sysdesc_cap *)(d.o + nobj);
    *d.h = (struct sysdesc_header){SYSDESC_MAGIC, SYSDESC_VERSION, ncont, ncaps, nobj, 0};
    for (uint32_t i = 0; i < ncont; i++) {
        struct sysdesc_container *c = &d.c[i];
        snprintf(c->name, sizeof(c->name), "c%u", (unsigned)i);
        put(c->program, "prog");
        put(c->args, "x");
        c->priority = 100;
        c->ceiling = 120;
        c->memory = K(512);
        c->pools[L4_POOL_THREADS] = 16;
        c->pools[L4_POOL_SPACES] = 4;
        c->pools[L4_POOL_ENDPOINTS] = 4;
        c->pools[L4_POOL_NOTIFICATIONS] = 4;
        c->pools[L4_POOL_CAPSLOTS] = 64;
        c->pools[L4_POOL_PAGETABLES] = 64;
        c->flags = SYSDESC_DEBUG;
    }
    for (uint32_t i = 0; i < nobj; i++)
        d.o[i] = (struct sysdesc_object){0, SYSDESC_ENDPOINT, OBJ_SLOT + i, 0};
    for (uint32_t i = 0; i < ncaps; i++)
        d.k[i] = (struct sysdesc_cap){
            0, L4_SLOT_FIRST_FREE + i, L4_CAP_CONTAINER, L4_CONT_RIGHTS_ALL, 1 % ncont, 0, 0};
    return d;
}

/* Make cap k an endpoint or notification capability to object target with badge. */
static void object_cap(struct sysdesc_cap *k, uint32_t type, uint32_t rights, uint32_t target,
                       uint64_t badge)
{
    k->type = type;
    k->rights = rights;
    k->target = target;
    k->badge = badge;
}

/* Check d (then free it); true if the answer is want (NULL: accepted), else say what it was. */
static bool answer_is(struct desc d, const char *want, int line)
{
    struct sysdesc out;
    const char *why = sysdesc_check(d.buf, d.len, &out);
    bool ok = want ? why && !strcmp(why, want) : !why;

    if (!ok)
        printf("    line %d: got \"%s\", expected \"%s\"\n", line, why ? why : "(accepted)",
               want ? want : "(accepted)");
    free(d.buf);
    return ok;
}

#define ACCEPTS(d)       CHECK(answer_is((d), NULL, __LINE__))
#define REJECTS(d, want) CHECK(answer_is((d), (want), __LINE__))

/* --- a valid description ------------------------------------------------------------------ */

static void valid_two_containers_one_cap(void)
{
    struct desc d = make(2, 0, 1);
    struct sysdesc out;

    memset(&out, 0, sizeof(out));
    CHECK(sysdesc_check(d.buf, d.len, &out) == NULL);
    CHECK(out.header == d.buf);
    CHECK((const char *)out.containers == (char *)d.buf + 24);
    CHECK((const char *)out.objects == (char *)d.buf + 24 + 2 * 160);
    CHECK((const char *)out.caps == (char *)d.buf + 24 + 2 * 160);
    CHECK_EQ(out.header->ncontainers, 2);
    CHECK_EQ(out.header->nobjects, 0);
    CHECK_EQ(out.header->ncaps, 1);
    CHECK(!strcmp(out.containers[1].name, "c1"));
    CHECK_EQ(out.caps[0].target, 1);
    free(d.buf);
}

/*
 * The echo system and a little more: c0 owns an endpoint (slot 16) and a notification
 * (slot 17); c1 may send on the endpoint with badge 42 and signal the notification with
 * badge bit 63; c0 also holds a second, badged capability to its own endpoint.
 */
static void valid_objects_and_badged_caps(void)
{
    struct desc d = make(2, 2, 4);
    struct sysdesc out;

    d.o[0] = (struct sysdesc_object){0, SYSDESC_ENDPOINT, 16, 0};
    d.o[1] = (struct sysdesc_object){0, SYSDESC_NOTIFICATION, 17, 0};
    d.k[0].holder = 1;
    d.k[0].slot = 16;
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 42);
    d.k[1].holder = 1;
    d.k[1].slot = 17;
    object_cap(&d.k[1], L4_CAP_NOTIFICATION, L4_NTF_SIGNAL, 1, (uint64_t)1 << 63);
    d.k[2].slot = 18;
    object_cap(&d.k[2], L4_CAP_ENDPOINT, L4_EP_RIGHTS_ALL, 0, UINT64_MAX);
    d.k[3].holder = 1; // a container cap beside them, in slot 19
    d.k[3].target = 0;
    d.k[3].slot = 19;

    memset(&out, 0, sizeof(out));
    CHECK(sysdesc_check(d.buf, d.len, &out) == NULL);
    CHECK((const char *)out.objects == (char *)d.buf + 24 + 2 * 160);
    CHECK((const char *)out.caps == (char *)d.buf + 24 + 2 * 160 + 2 * 16);
    CHECK_EQ(out.header->nobjects, 2);
    CHECK_EQ(out.header->ncaps, 4);
    CHECK_EQ(out.objects[1].kind, SYSDESC_NOTIFICATION);
    CHECK_EQ(out.objects[1].slot, 17);
    CHECK_EQ(out.caps[0].badge, 42);
    CHECK(out.caps[2].badge == UINT64_MAX);
    CHECK_EQ(out.caps[3].type, L4_CAP_CONTAINER);
    free(d.buf);

    d = make(2, 2, 1); // unbadged, no rights, and a notification held by its owner's peer
    d.o[1].kind = SYSDESC_NOTIFICATION;
    d.o[1].owner = 1;
    object_cap(&d.k[0], L4_CAP_NOTIFICATION, 0, 1, 0);
    ACCEPTS(d);

    d = make(1, 3, 1); // an object index need not be a container index
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_RECV, 2, 7);
    ACCEPTS(d);
}

static void valid_limits_accepted(void)
{
    struct desc d;

    d = make(SYSDESC_MAX_CONTAINERS, 0, 0); // the most containers, no objects or caps
    ACCEPTS(d);

    d = make(1, 0, 0);                   // one container, at every lower and upper limit
    put(d.c[0].name, "abcdefghijklmno"); // 15 characters
    put(d.c[0].program, "p");
    memset(d.c[0].args, 0, sizeof(d.c[0].args)); // empty args are fine
    d.c[0].priority = 255;
    d.c[0].ceiling = 255;
    d.c[0].pools[L4_POOL_THREADS] = 1;
    d.c[0].pools[L4_POOL_SPACES] = 1;
    d.c[0].pools[L4_POOL_CAPSLOTS] = L4_SLOT_FIRST_FREE;
    d.c[0].memory = K(64);
    d.c[0].flags = 0;
    ACCEPTS(d);

    d = make(1, 1, 1);
    memset(d.c[0].args, 'a', sizeof(d.c[0].args) - 1); // 63 characters
    d.c[0].priority = 0;
    d.c[0].ceiling = 0;
    d.c[0].pools[L4_POOL_CAPSLOTS] = SYSDESC_MAX_SLOTS;
    d.c[0].memory = SYSDESC_MAX_MEMORY;
    d.o[0].slot = L4_SLOT_FIRST_FREE;    // objects from the first free slot ...
    d.k[0].slot = SYSDESC_MAX_SLOTS - 1; // ... to the last
    d.k[0].rights = 0;
    d.k[0].target = 0; // a capability to itself
    ACCEPTS(d);

    d = make(1, 1, 0); // an object in the last slot of its owner's table
    d.o[0].slot = 63;
    ACCEPTS(d);
}

static void valid_most_objects_and_caps_accepted(void)
{
    struct desc d = make(SYSDESC_MAX_CONTAINERS, SYSDESC_MAX_OBJECTS, SYSDESC_MAX_CAPS);

    for (uint32_t i = 0; i < SYSDESC_MAX_CONTAINERS; i++) {
        d.c[i].pools[L4_POOL_CAPSLOTS] = SYSDESC_MAX_SLOTS;
        d.c[i].pools[L4_POOL_ENDPOINTS] = 16;
        d.c[i].pools[L4_POOL_NOTIFICATIONS] = 16;
    }
    /* as many objects and capabilities for each container, from slot 16 and 32 on */
    for (uint32_t i = 0; i < SYSDESC_MAX_OBJECTS; i++) {
        d.o[i].owner = i % SYSDESC_MAX_CONTAINERS;
        d.o[i].kind = i % 2 ? SYSDESC_NOTIFICATION : SYSDESC_ENDPOINT;
        d.o[i].slot = L4_SLOT_FIRST_FREE + i / SYSDESC_MAX_CONTAINERS;
    }
    for (uint32_t i = 0; i < SYSDESC_MAX_CAPS; i++) {
        d.k[i].holder = i % SYSDESC_MAX_CONTAINERS;
        d.k[i].slot = 32 + i / SYSDESC_MAX_CONTAINERS;
        d.k[i].target = (i + 1) % SYSDESC_MAX_CONTAINERS;
        if (i % 3 == 1)
            object_cap(&d.k[i], L4_CAP_ENDPOINT, L4_EP_SEND, (i / 3 * 2) % SYSDESC_MAX_OBJECTS, i);
        else if (i % 3 == 2)
            object_cap(&d.k[i], L4_CAP_NOTIFICATION, L4_NTF_WAIT,
                       (i / 3 * 2 + 1) % SYSDESC_MAX_OBJECTS, ~(uint64_t)i);
    }
    ACCEPTS(d);
}

static void valid_longer_buffer_accepted(void)
{
    struct desc d = make(2, 1, 1);

    d.h->ncaps = 0; // the cap's 32 bytes are now trailing, and ignored
    ACCEPTS(d);

    d = make(2, 1, 0);
    d.h->nobjects = 0; // the object's 16 bytes too
    ACCEPTS(d);
}

/* --- one test per rejection --------------------------------------------------------------- */

static void rejects_other_versions(void)
{
    struct desc d;

    d = make(1, 0, 0);
    d.len = sizeof(struct sysdesc_header) - 1;
    d.buf = realloc(d.buf, d.len); // exactly 23 bytes: the header may not be read
    REJECTS(d, WHY_VERSION);

    d = make(1, 0, 0);
    d.len = 16; // as long as a version 1 header
    d.buf = realloc(d.buf, d.len);
    REJECTS(d, WHY_VERSION);

    d = make(1, 0, 0);
    d.len = 0;
    REJECTS(d, WHY_VERSION);

    d = make(1, 0, 0);
    d.h->magic = SYSDESC_MAGIC ^ 1;
    REJECTS(d, WHY_VERSION);

    d = make(1, 0, 0);
    d.h->magic = 0;
    REJECTS(d, WHY_VERSION);

    d = make(1, 0, 0);
    d.h->version = 1; // the old layout
    REJECTS(d, WHY_VERSION);

    d = make(1, 0, 0);
    d.h->version = 2; // containers without fault_slot and foreign
    REJECTS(d, WHY_VERSION);

    d = make(1, 0, 0);
    d.h->version = SYSDESC_VERSION + 1;
    REJECTS(d, WHY_VERSION);

    d = make(1, 0, 0);
    d.h->version = 0;
    REJECTS(d, WHY_VERSION);
}

static void rejects_count_out_of_range(void)
{
    struct desc d;

    d = make(1, 0, 0);
    d.h->ncontainers = 0;
    REJECTS(d, WHY_COUNT);

    d = make(SYSDESC_MAX_CONTAINERS + 1, 0, 0);
    REJECTS(d, WHY_COUNT);

    d = make(1, 0, 0);
    d.h->ncontainers = 0xffffffff;
    REJECTS(d, WHY_COUNT);

    d = make(1, 0, 0);
    d.h->ncaps = SYSDESC_MAX_CAPS + 1;
    REJECTS(d, WHY_COUNT);

    d = make(1, 0, 0);
    d.h->ncaps = 0xffffffff;
    REJECTS(d, WHY_COUNT);

    d = make(1, 0, 0);
    d.h->nobjects = SYSDESC_MAX_OBJECTS + 1;
    REJECTS(d, WHY_COUNT);

    d = make(1, 0, 0);
    d.h->nobjects = 0xffffffff;
    REJECTS(d, WHY_COUNT);
}

static void rejects_shorter_than_counts(void)
{
    struct desc d;

    d = make(2, 1, 1);
    d.len -= 1; // the last byte of the cap is missing
    d.buf = realloc(d.buf, d.len);
    REJECTS(d, WHY_SHORT);

    d = make(2, 1, 0);
    d.len -= 1; // the last byte of the object is missing
    d.buf = realloc(d.buf, d.len);
    REJECTS(d, WHY_SHORT);

    d = make(2, 0, 1);
    d.h->nobjects = 2; // the cap's 32 bytes hold two objects, but then the cap is missing
    REJECTS(d, WHY_SHORT);

    d = make(2, 0, 0);
    d.h->ncaps = 1; // no room at all for the cap
    REJECTS(d, WHY_SHORT);

    d = make(2, 0, 0);
    d.h->nobjects = 1; // nor for the object
    REJECTS(d, WHY_SHORT);

    d = make(1, 0, 0);
    d.h->ncontainers = 2;
    REJECTS(d, WHY_SHORT);

    d = make(1, 0, 0);
    d.h->ncontainers = SYSDESC_MAX_CONTAINERS;
    d.h->nobjects = SYSDESC_MAX_OBJECTS;
    d.h->ncaps = SYSDESC_MAX_CAPS;
    REJECTS(d, WHY_SHORT);
}

static void rejects_name_or_program_unterminated_or_empty(void)
{
    struct desc d;

    d = make(2, 0, 0);
    memset(d.c[1].name, 'n', sizeof(d.c[1].name));
    REJECTS(d, WHY_NAME);

    d = make(2, 0, 0);
    d.c[0].name[0] = 0;
    REJECTS(d, WHY_NAME);

    d = make(2, 0, 0);
    memset(d.c[1].program, 'p', sizeof(d.c[1].program));
    REJECTS(d, WHY_NAME);

    d = make(2, 0, 0);
    memset(d.c[0].program, 0, sizeof(d.c[0].program));
    REJECTS(d, WHY_NAME);
}

static void rejects_args_unterminated(void)
{
    struct desc d = make(2, 0, 0);

    memset(d.c[1].args, 'a', sizeof(d.c[1].args));
    REJECTS(d, WHY_ARGS);
}

static void rejects_priority_above_ceiling(void)
{
    struct desc d;

    d = make(2, 0, 0);
    d.c[1].priority = 121; // ceiling 120
    REJECTS(d, WHY_PRIO);

    d = make(2, 0, 0);
    d.c[0].priority = 0;
    d.c[0].ceiling = 256;
    REJECTS(d, WHY_PRIO);

    d = make(2, 0, 0);
    d.c[0].priority = 0xffffffff;
    d.c[0].ceiling = 0xffffffff;
    REJECTS(d, WHY_PRIO);
}

static void rejects_no_thread_or_space(void)
{
    struct desc d;

    d = make(2, 0, 0);
    d.c[1].pools[L4_POOL_THREADS] = 0;
    REJECTS(d, WHY_POOL);

    d = make(2, 0, 0);
    d.c[0].pools[L4_POOL_SPACES] = 0;
    REJECTS(d, WHY_POOL);
}

static void rejects_capslots_out_of_range(void)
{
    struct desc d;

    d = make(2, 0, 1);
    d.c[1].pools[L4_POOL_CAPSLOTS] = L4_SLOT_FIRST_FREE - 1;
    REJECTS(d, WHY_SLOTS);

    d = make(2, 0, 1);
    d.c[1].pools[L4_POOL_CAPSLOTS] = 0;
    REJECTS(d, WHY_SLOTS);

    d = make(2, 0, 1);
    d.c[1].pools[L4_POOL_CAPSLOTS] = SYSDESC_MAX_SLOTS + 1;
    REJECTS(d, WHY_SLOTS);

    d = make(2, 0, 1);
    d.c[1].pools[L4_POOL_CAPSLOTS] = 0xffffffff;
    REJECTS(d, WHY_SLOTS);
}

static void rejects_memory_unaligned_or_out_of_range(void)
{
    struct desc d;

    d = make(2, 0, 0);
    d.c[1].memory = K(512) + 1;
    REJECTS(d, WHY_MEMORY);

    d = make(2, 0, 0);
    d.c[1].memory = K(512) + 2048;
    REJECTS(d, WHY_MEMORY);

    d = make(2, 0, 0);
    d.c[1].memory = K(60); // page aligned but under 64K
    REJECTS(d, WHY_MEMORY);

    d = make(2, 0, 0);
    d.c[1].memory = 0;
    REJECTS(d, WHY_MEMORY);

    d = make(2, 0, 0);
    d.c[1].memory = SYSDESC_MAX_MEMORY + 4096;
    REJECTS(d, WHY_MEMORY);

    d = make(2, 0, 0);
    d.c[1].memory = (uint64_t)1 << 63; // aligned, and must not wrap into range
    REJECTS(d, WHY_MEMORY);
}

static void rejects_unknown_flags(void)
{
    struct desc d;

    d = make(2, 0, 0);
    d.c[1].flags = 2;
    REJECTS(d, WHY_FLAGS);

    d = make(2, 0, 0);
    d.c[0].flags = SYSDESC_DEBUG | 0x80000000u;
    REJECTS(d, WHY_FLAGS);
}

static void rejects_memory_region_too_large(void)
{
    struct desc d;

    d = make(2, 0, 0);
    d.c[1].region_pages = SYSDESC_MAX_MEMORY / 4096 + 1;
    REJECTS(d, WHY_REGION);

    d = make(2, 0, 0);
    d.c[0].region_pages = 0xffffffff;
    REJECTS(d, WHY_REGION);

    d = make(2, 0, 0); // the largest region, and the default (0: 16 pages)
    d.c[0].region_pages = SYSDESC_MAX_MEMORY / 4096;
    d.c[1].region_pages = 0;
    ACCEPTS(d);
}

/* The first thread's fault endpoint: a capability that may send, in the container's own slot. */
static void fault_slot_and_foreign_mode(void)
{
    struct desc d;

    d = make(2, 1, 1); // c0's own endpoint (slot OBJ_SLOT); c1's send capability to it
    d.c[0].fault_slot = OBJ_SLOT;
    d.c[0].foreign = L4_FOREIGN_ALL;
    d.k[0].holder = 1;
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 9);
    d.c[1].fault_slot = d.k[0].slot;
    d.c[1].foreign = L4_FOREIGN_UNKNOWN;
    ACCEPTS(d);

    d = make(1, 0, 0); // a fault endpoint without foreign calls is fine; no mode is fine
    d.c[0].foreign = L4_FOREIGN_OFF;
    ACCEPTS(d);

    d = make(2, 1, 1);
    d.c[1].foreign = L4_FOREIGN_ALL + 1;
    REJECTS(d, WHY_FOREIGN);

    d = make(2, 1, 1);
    d.c[0].foreign = 0xffffffff;
    d.c[0].fault_slot = OBJ_SLOT;
    REJECTS(d, WHY_FOREIGN);

    d = make(2, 1, 1);
    d.c[1].foreign = L4_FOREIGN_UNKNOWN;
    REJECTS(d, WHY_FOREIGN_EP);

    d = make(2, 1, 1); // an empty slot
    d.c[0].fault_slot = OBJ_SLOT + 1;
    REJECTS(d, WHY_FAULT_SLOT);

    d = make(2, 1, 1); // a container capability, not an endpoint
    d.c[0].fault_slot = d.k[0].slot;
    REJECTS(d, WHY_FAULT_SLOT);

    d = make(2, 1, 1); // an endpoint it may only receive on
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_RECV, 0, 0);
    d.c[0].fault_slot = d.k[0].slot;
    REJECTS(d, WHY_FAULT_SLOT);

    d = make(2, 1, 1); // another container's slot: c1 has nothing in OBJ_SLOT
    d.c[1].fault_slot = OBJ_SLOT;
    REJECTS(d, WHY_FAULT_SLOT);

    d = make(2, 1, 1); // a well-known slot, or one past the table
    d.c[0].fault_slot = L4_SLOT_THREAD;
    REJECTS(d, WHY_FAULT_SLOT);
    d = make(2, 1, 1);
    d.c[0].fault_slot = 0xffffffff;
    REJECTS(d, WHY_FAULT_SLOT);
}

static void rejects_object_owner_naming_no_container(void)
{
    struct desc d;

    d = make(2, 1, 0);
    d.o[0].owner = 2;
    REJECTS(d, WHY_OBJ_OWNER);

    d = make(2, 3, 0); // not the first object
    d.o[2].owner = SYSDESC_MAX_CONTAINERS;
    REJECTS(d, WHY_OBJ_OWNER);

    d = make(2, 1, 0);
    d.o[0].owner = 0xffffffff;
    REJECTS(d, WHY_OBJ_OWNER);
}

static void rejects_object_kind_unknown(void)
{
    struct desc d;

    d = make(2, 1, 0);
    d.o[0].kind = 0;
    REJECTS(d, WHY_OBJ_KIND);

    d = make(2, 2, 0);
    d.o[1].kind = SYSDESC_MEMORY + 1; // the kind after the last
    d.o[1].pages = 1;
    REJECTS(d, WHY_OBJ_KIND);

    d = make(2, 1, 0);
    d.o[0].kind = L4_CAP_ENDPOINT; // a capability type is not an object kind
    REJECTS(d, WHY_OBJ_KIND);

    d = make(2, 1, 0);
    d.o[0].kind = 0xffffffff;
    REJECTS(d, WHY_OBJ_KIND);
}

static void rejects_object_slot_outside_owner(void)
{
    struct desc d;

    d = make(2, 1, 0);
    d.o[0].slot = L4_SLOT_FIRST_FREE - 1;
    REJECTS(d, WHY_OBJ_SLOT);

    d = make(2, 1, 0);
    d.o[0].slot = L4_SLOT_CONTAINER;
    REJECTS(d, WHY_OBJ_SLOT);

    d = make(2, 1, 0);
    d.o[0].slot = 64; // owner's capslots
    REJECTS(d, WHY_OBJ_SLOT);

    d = make(2, 1, 0);
    d.o[0].slot = 0xffffffff;
    REJECTS(d, WHY_OBJ_SLOT);

    d = make(2, 1, 0); // the owner's table, not another's, bounds the slot
    d.o[0].owner = 1;
    d.c[0].pools[L4_POOL_CAPSLOTS] = 1024;
    d.c[1].pools[L4_POOL_CAPSLOTS] = 32;
    d.o[0].slot = 32;
    REJECTS(d, WHY_OBJ_SLOT);

    d = make(2, 1, 0); // ... and the other way round it is fine
    d.c[0].pools[L4_POOL_CAPSLOTS] = 1024;
    d.c[1].pools[L4_POOL_CAPSLOTS] = 32;
    d.o[0].slot = 32;
    ACCEPTS(d);
}

/* Make object o a piece of shared memory of pages pages. */
static void memory_object(struct sysdesc_object *o, uint32_t pages)
{
    o->kind = SYSDESC_MEMORY;
    o->pages = pages;
}

/* Make cap k an I/O port capability for count ports from first. */
static void port_cap(struct sysdesc_cap *k, uint32_t first, uint32_t count)
{
    k->type = L4_CAP_IOPORT;
    k->rights = L4_IO_RIGHTS_ALL;
    k->target = first;
    k->count = count;
    k->badge = 0;
}

static void valid_memory_objects_and_port_caps(void)
{
    struct desc d;

    d = make(2, 2, 3);
    memory_object(&d.o[0], 1);
    memory_object(&d.o[1], SYSDESC_MAX_MEMORY / 4096); // the largest
    d.k[0].holder = 1;
    object_cap(&d.k[0], L4_CAP_MEMORY, L4_MEM_READ, 0, 0);
    object_cap(&d.k[1], L4_CAP_MEMORY, L4_MEM_RIGHTS_ALL, 1, 0);
    port_cap(&d.k[2], 0x3f8, 8);
    ACCEPTS(d);

    d = make(2, 0, 3); // every port, and ranges inside it in the same holder
    port_cap(&d.k[0], 0, 0x10000);
    port_cap(&d.k[1], 0x100, 8);
    port_cap(&d.k[2], 0xffff, 1);
    ACCEPTS(d);

    d = make(2, 0, 3);
    port_cap(&d.k[0], 0x3f8, 8);
    d.k[1].holder = 1;
    port_cap(&d.k[1], 0x400, 8);
    d.k[2].holder = 1;
    port_cap(&d.k[2], 0x3f0, 8);
    ACCEPTS(d);
}

static void rejects_object_size_invalid(void)
{
    struct desc d;

    d = make(2, 1, 0); // memory of no pages
    memory_object(&d.o[0], 0);
    REJECTS(d, WHY_OBJ_SIZE);

    d = make(2, 1, 0);
    memory_object(&d.o[0], SYSDESC_MAX_MEMORY / 4096 + 1);
    REJECTS(d, WHY_OBJ_SIZE);

    d = make(2, 1, 0);
    memory_object(&d.o[0], 0xffffffff);
    REJECTS(d, WHY_OBJ_SIZE);

    d = make(2, 1, 0); // an endpoint has no size
    d.o[0].pages = 1;
    REJECTS(d, WHY_OBJ_SIZE);

    d = make(2, 2, 0);
    d.o[1].kind = SYSDESC_NOTIFICATION;
    d.o[1].pages = 0x80000000u;
    REJECTS(d, WHY_OBJ_SIZE);
}

static void rejects_bad_memory_cap(void)
{
    struct desc d;

    d = make(2, 1, 1); // to an endpoint
    object_cap(&d.k[0], L4_CAP_MEMORY, L4_MEM_READ, 0, 0);
    REJECTS(d, WHY_CAP_OBJECT);

    d = make(2, 1, 1); // an endpoint capability to memory
    memory_object(&d.o[0], 4);
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 0);
    REJECTS(d, WHY_CAP_OBJECT);

    d = make(2, 1, 1); // memory has no badge
    memory_object(&d.o[0], 4);
    object_cap(&d.k[0], L4_CAP_MEMORY, L4_MEM_READ, 0, 1);
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 1, 1);
    memory_object(&d.o[0], 4);
    object_cap(&d.k[0], L4_CAP_MEMORY, L4_MEM_RIGHTS_ALL + 1, 0, 0);
    REJECTS(d, WHY_CAP_TYPE);
}

static void rejects_count_on_other_caps(void)
{
    struct desc d;

    d = make(2, 0, 1); // count is for I/O port capabilities only
    d.k[0].count = 1;
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 1, 1);
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 0);
    d.k[0].count = 0xffffffff;
    REJECTS(d, WHY_CAP_TYPE);
}

/* Make cap k the wall clock capability with rights. */
static void clock_cap(struct sysdesc_cap *k, uint32_t rights)
{
    *k = (struct sysdesc_cap){
        .holder = k->holder, .slot = k->slot, .type = L4_CAP_CLOCK, .rights = rights};
}

/* A description whose one capability is the wall clock's, with rights. */
static struct desc one_clock(uint32_t rights)
{
    struct desc d = make(2, 0, 1);

    clock_cap(&d.k[0], rights);
    return d;
}

/* The one wall clock: any containers may hold it, with no target, count or badge. */
static void clock_caps(void)
{
    struct desc d;

    d = make(2, 0, 2);
    clock_cap(&d.k[0], L4_CLOCK_RIGHTS_ALL);
    d.k[1].holder = 1;
    clock_cap(&d.k[1], 0);
    ACCEPTS(d);
    d = one_clock(L4_CLOCK_SET);
    d.k[0].target = 1;
    REJECTS(d, WHY_CLOCK);
    d = one_clock(L4_CLOCK_SET);
    d.k[0].count = 1;
    REJECTS(d, WHY_CLOCK);
    d = one_clock(L4_CLOCK_SET);
    d.k[0].badge = 1;
    REJECTS(d, WHY_CLOCK);
    d = one_clock(L4_CLOCK_RIGHTS_ALL | (1u << 3));
    REJECTS(d, WHY_CLOCK);
    d = one_clock(0);
    d.k[0].type = L4_CAP_CLOCK - 1; // a number no type has
    REJECTS(d, WHY_CAP_TYPE);
}

static void rejects_bad_port_cap(void)
{
    struct desc d;

    d = make(2, 0, 1); // no ports
    port_cap(&d.k[0], 0x3f8, 0);
    REJECTS(d, WHY_PORTS);

    d = make(2, 0, 1); // past the last port
    port_cap(&d.k[0], 0x10000, 1);
    REJECTS(d, WHY_PORTS);

    d = make(2, 0, 1);
    port_cap(&d.k[0], 0xffff, 2);
    REJECTS(d, WHY_PORTS);

    d = make(2, 0, 1);
    port_cap(&d.k[0], 0, 0x10001);
    REJECTS(d, WHY_PORTS);

    d = make(2, 0, 1);
    port_cap(&d.k[0], 0x20000, 1);
    REJECTS(d, WHY_PORTS);

    d = make(2, 0, 1); // the first port must not wrap the count into range
    port_cap(&d.k[0], 0xffffffff, 1);
    REJECTS(d, WHY_PORTS);

    d = make(2, 0, 1); // nor the count the first port
    port_cap(&d.k[0], 0x10, 0xfffffff8u);
    REJECTS(d, WHY_PORTS);

    d = make(2, 0, 1); // ports have no badge
    port_cap(&d.k[0], 0x3f8, 8);
    d.k[0].badge = 1;
    REJECTS(d, WHY_PORTS);

    d = make(2, 0, 1);
    port_cap(&d.k[0], 0x3f8, 8);
    d.k[0].rights = L4_IO_RIGHTS_ALL + 1;
    REJECTS(d, WHY_PORTS);
}

static void rejects_port_ranges_of_two_containers_overlapping(void)
{
    struct desc d;

    d = make(2, 0, 2);
    port_cap(&d.k[0], 0x3f8, 8);
    d.k[1].holder = 1;
    port_cap(&d.k[1], 0x3ff, 1); // the last port of the other range
    REJECTS(d, WHY_PORTS_BOTH);

    d = make(3, 0, 3); // not next to each other; one inside the other
    d.c[2].pools[L4_POOL_CAPSLOTS] = 64;
    port_cap(&d.k[0], 0x100, 0x100);
    d.k[1].holder = 1;
    port_cap(&d.k[1], 0x60, 4);
    d.k[2].holder = 2;
    port_cap(&d.k[2], 0x180, 2);
    REJECTS(d, WHY_PORTS_BOTH);

    d = make(2, 0, 2); // the other one first
    d.k[0].holder = 1;
    port_cap(&d.k[0], 0x3f8, 8);
    port_cap(&d.k[1], 0, 0x10000);
    REJECTS(d, WHY_PORTS_BOTH);
}

/* Make cap k device memory: pages pages of physical addresses from base. */
static void device_cap(struct sysdesc_cap *k, uint64_t base, uint32_t pages)
{
    k->type = L4_CAP_MEMORY;
    k->rights = L4_MEM_RIGHTS_ALL & ~L4_MEM_EXEC;
    k->target = SYSDESC_DEVICE;
    k->count = pages;
    k->badge = base;
}

static void valid_device_memory(void)
{
    struct desc d;

    d = make(2, 1, 3); // the HPET, a range beside it in another container, the last page
    memory_object(&d.o[0], 1);
    device_cap(&d.k[0], 0xfed00000, 1);
    d.k[1].holder = 1;
    device_cap(&d.k[1], 0xfed01000, 16);
    device_cap(&d.k[2], SYSDESC_DEVICE_TOP - 4096, 1);
    d.k[2].rights = L4_MEM_READ;
    ACCEPTS(d);
}

static void rejects_bad_device_memory(void)
{
    struct desc d;

    d = make(2, 0, 1); // no pages
    device_cap(&d.k[0], 0xfed00000, 0);
    REJECTS(d, WHY_DEVICE);

    d = make(2, 0, 1);
    device_cap(&d.k[0], 0xfed00800, 1);
    REJECTS(d, WHY_DEVICE);

    d = make(2, 0, 1); // past what a page-table entry holds: its bits would be NX and more
    device_cap(&d.k[0], SYSDESC_DEVICE_TOP, 1);
    REJECTS(d, WHY_DEVICE);

    d = make(2, 0, 1);
    device_cap(&d.k[0], SYSDESC_DEVICE_TOP - 4096, 2);
    REJECTS(d, WHY_DEVICE);

    d = make(2, 0, 1); // a base that wraps with its size
    device_cap(&d.k[0], ~0xfffull, 0xffffffff);
    REJECTS(d, WHY_DEVICE);

    d = make(2, 0, 1);
    device_cap(&d.k[0], 0xfed00000, 1);
    d.k[0].rights |= L4_MEM_EXEC;
    REJECTS(d, WHY_DEV_RIGHTS);

    d = make(2, 0, 1);
    device_cap(&d.k[0], 0xfed00000, 1);
    d.k[0].rights = L4_MEM_RIGHTS_ALL + 1;
    REJECTS(d, WHY_DEV_RIGHTS);
}

static void rejects_device_memory_overlapping(void)
{
    struct desc d;

    d = make(2, 0, 2); // two containers, the last page of one is the other's
    device_cap(&d.k[0], 0xfed00000, 4);
    d.k[1].holder = 1;
    device_cap(&d.k[1], 0xfed03000, 1);
    REJECTS(d, WHY_DEV_BOTH);

    d = make(2, 0, 2); // one inside the other, in the same container
    device_cap(&d.k[0], 0xfed01000, 1);
    device_cap(&d.k[1], 0xfed00000, 4);
    REJECTS(d, WHY_DEV_BOTH);
}

static void rejects_cap_naming_no_container(void)
{
    struct desc d;

    d = make(2, 0, 1);
    d.k[0].holder = 2;
    REJECTS(d, WHY_CAP_NAME);

    d = make(2, 0, 1);
    d.k[0].target = 2;
    REJECTS(d, WHY_CAP_NAME);

    d = make(2, 0, 1);
    d.k[0].holder = 0xffffffff;
    REJECTS(d, WHY_CAP_NAME);

    d = make(2, 0, 1);
    d.k[0].target = 0xffffffff;
    REJECTS(d, WHY_CAP_NAME);

    d = make(2, 3, 1); // a container cap's target is a container index, even with objects
    d.k[0].target = 2;
    REJECTS(d, WHY_CAP_NAME);

    d = make(2, 1, 1); // an object cap's holder must be a container too
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 0);
    d.k[0].holder = 2;
    REJECTS(d, WHY_CAP_NAME);
}

static void rejects_cap_naming_no_object_of_its_type(void)
{
    struct desc d;

    d = make(2, 0, 1); // no objects at all; 0 is a container index but no object
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 0);
    REJECTS(d, WHY_CAP_OBJECT);

    d = make(2, 2, 1);
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 2, 0); // one past the last object
    REJECTS(d, WHY_CAP_OBJECT);

    /* one past the last object lies the cap itself, read as an object of kind 16 (its slot) */
    d = make(2, 2, 1);
    object_cap(&d.k[0], L4_CAP_NOTIFICATION, L4_NTF_SIGNAL, 2, 0);
    REJECTS(d, WHY_CAP_OBJECT);

    d = make(2, 2, 1); // ... and as one reached through a memory capability
    object_cap(&d.k[0], L4_CAP_MEMORY, L4_MEM_READ, 2, 0);
    REJECTS(d, WHY_CAP_OBJECT);

    d = make(2, 2, 1);
    object_cap(&d.k[0], L4_CAP_NOTIFICATION, L4_NTF_SIGNAL, 0xffffffff, 0);
    REJECTS(d, WHY_CAP_OBJECT);

    d = make(2, 2, 1); // a notification capability to an endpoint
    object_cap(&d.k[0], L4_CAP_NOTIFICATION, L4_NTF_SIGNAL, 1, 0);
    REJECTS(d, WHY_CAP_OBJECT);

    d = make(2, 2, 1); // an endpoint capability to a notification
    d.o[0].kind = SYSDESC_NOTIFICATION;
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 0);
    REJECTS(d, WHY_CAP_OBJECT);

    d = make(2, 2, 1); // ... which is fine with the right type
    d.o[0].kind = SYSDESC_NOTIFICATION;
    object_cap(&d.k[0], L4_CAP_NOTIFICATION, L4_NTF_SIGNAL, 0, 0);
    ACCEPTS(d);
}

static void rejects_cap_type_or_rights(void)
{
    struct desc d;

    d = make(2, 1, 1);
    d.k[0].target = 0; // a container and an endpoint
    d.k[0].type = L4_CAP_NULL;
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 1, 1);
    d.k[0].target = 0; // a container and an endpoint
    d.k[0].type = L4_CAP_THREAD;
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 1, 1);
    d.k[0].target = 0; // a container and an endpoint
    d.k[0].type = L4_CAP_DEBUG;
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 1, 1);
    d.k[0].target = 0; // a container and an endpoint
    d.k[0].type = L4_CAP_TYPE_COUNT;
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 1, 1);
    d.k[0].target = 0; // a container and an endpoint
    d.k[0].type = 0xffffffff;
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 0, 1);
    d.k[0].rights = L4_CONT_RIGHTS_ALL + 1; // the next bit up
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 0, 1);
    d.k[0].rights = L4_CONT_CONTROL | 0x80000000u;
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 1, 1);
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_RIGHTS_ALL + 1, 0, 0);
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 1, 1);
    d.o[0].kind = SYSDESC_NOTIFICATION;
    object_cap(&d.k[0], L4_CAP_NOTIFICATION, L4_NTF_WAIT | 0x80000000u, 0, 0);
    REJECTS(d, WHY_CAP_TYPE);
}

static void rejects_badged_container_cap(void)
{
    struct desc d;

    d = make(2, 0, 1);
    d.k[0].badge = 1;
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 0, 1);
    d.k[0].badge = (uint64_t)1 << 32; // only the high half: the whole 64 bits count
    REJECTS(d, WHY_CAP_TYPE);

    d = make(2, 0, 1);
    d.k[0].badge = UINT64_MAX;
    d.k[0].rights = 0;
    REJECTS(d, WHY_CAP_TYPE);
}

static void rejects_cap_slot_outside_holder(void)
{
    struct desc d;

    d = make(2, 0, 1);
    d.k[0].slot = L4_SLOT_FIRST_FREE - 1;
    REJECTS(d, WHY_CAP_SLOT);

    d = make(2, 0, 1);
    d.k[0].slot = L4_SLOT_CONTAINER;
    REJECTS(d, WHY_CAP_SLOT);

    d = make(2, 0, 1);
    d.k[0].slot = 64; // holder's capslots
    REJECTS(d, WHY_CAP_SLOT);

    d = make(2, 0, 1);
    d.k[0].slot = 0xffffffff;
    REJECTS(d, WHY_CAP_SLOT);

    d = make(2, 1, 1); // endpoint capabilities too
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 5);
    d.k[0].slot = 64;
    REJECTS(d, WHY_CAP_SLOT);

    d = make(2, 0, 1); // the holder's table, not the target's, bounds the slot
    d.c[0].pools[L4_POOL_CAPSLOTS] = 32;
    d.c[1].pools[L4_POOL_CAPSLOTS] = 1024;
    d.k[0].slot = 40;
    REJECTS(d, WHY_CAP_SLOT);

    d = make(2, 0, 1); // ... and the other way round it is fine
    d.c[0].pools[L4_POOL_CAPSLOTS] = 1024;
    d.c[1].pools[L4_POOL_CAPSLOTS] = 32;
    d.k[0].slot = 40;
    ACCEPTS(d);
}

static void rejects_two_caps_in_one_slot(void)
{
    struct desc d;

    d = make(2, 0, 2);
    d.k[1].slot = d.k[0].slot;
    REJECTS(d, WHY_CAP_DUP);

    d = make(2, 0, 3); // not next to each other, different targets and rights
    d.k[0].holder = 1;
    d.k[2].holder = 1;
    d.k[2].slot = d.k[0].slot;
    d.k[2].target = 0;
    d.k[2].rights = L4_CONT_INSPECT;
    REJECTS(d, WHY_CAP_DUP);

    d = make(2, 0, 2); // the same slot in two holders is fine
    d.k[1].slot = d.k[0].slot;
    d.k[1].holder = 1;
    d.k[1].target = 0;
    ACCEPTS(d);
}

static void rejects_two_objects_or_object_and_cap_in_one_slot(void)
{
    struct desc d;

    d = make(2, 2, 0); // two objects of one owner
    d.o[1].slot = d.o[0].slot;
    REJECTS(d, WHY_CAP_DUP);

    d = make(2, 3, 0); // of different kinds, not next to each other
    d.o[2].kind = SYSDESC_NOTIFICATION;
    d.o[2].slot = d.o[0].slot;
    REJECTS(d, WHY_CAP_DUP);

    d = make(2, 1, 1); // an object and a container cap
    d.k[0].slot = d.o[0].slot;
    REJECTS(d, WHY_CAP_DUP);

    d = make(2, 2, 2); // an object and a capability to another object, not the first cap
    object_cap(&d.k[1], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 9);
    d.k[1].slot = d.o[1].slot;
    REJECTS(d, WHY_CAP_DUP);

    d = make(2, 2, 1); // an object and a capability to itself
    d.o[1].owner = 1;
    d.k[0].holder = 1;
    d.k[0].slot = d.o[1].slot;
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 1, 0);
    REJECTS(d, WHY_CAP_DUP);

    d = make(2, 2, 1); // the same slot in two containers is fine
    d.o[1].owner = 1;
    d.o[1].slot = d.o[0].slot;
    d.k[0].holder = 1;
    d.k[0].slot = L4_SLOT_FIRST_FREE;
    object_cap(&d.k[0], L4_CAP_ENDPOINT, L4_EP_SEND, 0, 0);
    ACCEPTS(d);
}

/* Container 1 owns three objects (the last of kind last) and has eps/ntfs units. */
static struct desc owning_three(uint32_t last, uint32_t eps, uint32_t ntfs)
{
    struct desc d = make(2, 3, 0);

    for (uint32_t i = 0; i < 3; i++)
        d.o[i] = (struct sysdesc_object){1, SYSDESC_ENDPOINT, L4_SLOT_FIRST_FREE + i, 0};
    d.o[2].kind = last;
    d.c[1].pools[L4_POOL_ENDPOINTS] = eps;
    d.c[1].pools[L4_POOL_NOTIFICATIONS] = ntfs;
    return d;
}

/* Each endpoint and notification the description makes is paid by its owner's pool. */
static void rejects_objects_beyond_pools(void)
{
    ACCEPTS(owning_three(SYSDESC_ENDPOINT, 3, 0));
    REJECTS(owning_three(SYSDESC_ENDPOINT, 2, 9), WHY_OBJ_POOL);
    REJECTS(owning_three(SYSDESC_NOTIFICATION, 2, 0), WHY_OBJ_POOL);
    ACCEPTS(owning_three(SYSDESC_NOTIFICATION, 2, 1));
}

static struct desc two_thread_pools(uint32_t a, uint32_t b)
{
    struct desc d = make(2, 0, 0);

    d.c[0].pools[L4_POOL_THREADS] = a;
    d.c[1].pools[L4_POOL_THREADS] = b;
    return d;
}

/* Thread ids keep a block number in 16 bits; each pool has one spare block. */
static void rejects_thread_pools_beyond_ids(void)
{
    ACCEPTS(two_thread_pools(SYSDESC_MAX_THREAD_BLOCKS - 2 - 16, 16)); /* exactly the limit */
    REJECTS(two_thread_pools(SYSDESC_MAX_THREAD_BLOCKS - 2 - 16, 17), WHY_THREAD_IDS);
    REJECTS(two_thread_pools(0xffffffff, 1), WHY_THREAD_IDS);
}

/* --- run-time tables: the capslots pool and a first thread's own table ---------------------- */

#define WHY_FIRST_SIZE  "container first thread's table larger than its capslots pool (tableslots)"
#define WHY_FIRST_SLOT  "first thread's table entry outside its table"
#define WHY_FIRST_ENTRY "first thread's table entry names no slot of its container, or is malformed"

/* Cap i of d (held by container 0) made an entry of its first thread's table: slot, from. */
static void thread_cap(struct desc *d, uint32_t i, uint32_t slot, uint32_t from)
{
    d->k[i] = (struct sysdesc_cap){0, slot, SYSDESC_THREAD_CAP, L4_RIGHT_COPY, from, 0, 0};
}

static void first_table_accepted(void)
{
    struct desc d = make(2, 0, 3);

    d.c[0].tableslots = SYSDESC_MAX_TABLESLOTS;
    d.c[0].first_table = SYSDESC_MAX_SLOTS;
    thread_cap(&d, 1, L4_SLOT_FIRST_FREE, 3); // the slot of cap 0, but in the thread's table
    thread_cap(&d, 2, SYSDESC_MAX_SLOTS - 1, 63);
    ACCEPTS(d);
}

static void first_table_refusals(void)
{
    struct desc d = make(1, 0, 0);
    d.c[0].tableslots = SYSDESC_MAX_TABLESLOTS + 1;
    REJECTS(d, "container capslots pool (tableslots) too large");

    d = make(1, 0, 0);
    d.c[0].tableslots = 4;
    d.c[0].first_table = 5;
    REJECTS(d, WHY_FIRST_SIZE);

    d = make(1, 0, 0);
    d.c[0].tableslots = d.c[0].first_table = SYSDESC_MAX_SLOTS + 1;
    REJECTS(d, WHY_FIRST_SIZE);

    d = make(1, 0, 1);
    thread_cap(&d, 0, 0, 3); // no table to put it in
    REJECTS(d, WHY_FIRST_SLOT);

    d = make(1, 0, 1);
    d.c[0].tableslots = d.c[0].first_table = 4;
    thread_cap(&d, 0, 4, 3);
    REJECTS(d, WHY_FIRST_SLOT);

    d = make(1, 0, 1);
    d.c[0].tableslots = d.c[0].first_table = 4;
    thread_cap(&d, 0, 0, 64); // the container's table has 64 slots
    REJECTS(d, WHY_FIRST_ENTRY);

    d = make(1, 0, 1);
    d.c[0].tableslots = d.c[0].first_table = 4;
    thread_cap(&d, 0, 0, 3);
    d.k[0].badge = 1;
    REJECTS(d, WHY_FIRST_ENTRY);

    d = make(1, 0, 1);
    d.c[0].tableslots = d.c[0].first_table = 4;
    thread_cap(&d, 0, 0, 3);
    d.k[0].rights = 0x100;
    REJECTS(d, WHY_FIRST_ENTRY);

    d = make(1, 0, 2);
    d.c[0].tableslots = d.c[0].first_table = 4;
    thread_cap(&d, 0, 1, 3);
    thread_cap(&d, 1, 1, 2);
    REJECTS(d, "two capabilities for one slot");
}

int main(void)
{
    RUN("sysdesc", valid_two_containers_one_cap);
    RUN("sysdesc", valid_objects_and_badged_caps);
    RUN("sysdesc", valid_limits_accepted);
    RUN("sysdesc", valid_most_objects_and_caps_accepted);
    RUN("sysdesc", valid_longer_buffer_accepted);
    RUN("sysdesc", valid_memory_objects_and_port_caps);
    RUN("sysdesc", rejects_other_versions);
    RUN("sysdesc", rejects_count_out_of_range);
    RUN("sysdesc", rejects_shorter_than_counts);
    RUN("sysdesc", rejects_name_or_program_unterminated_or_empty);
    RUN("sysdesc", rejects_args_unterminated);
    RUN("sysdesc", rejects_priority_above_ceiling);
    RUN("sysdesc", rejects_no_thread_or_space);
    RUN("sysdesc", rejects_capslots_out_of_range);
    RUN("sysdesc", first_table_accepted);
    RUN("sysdesc", first_table_refusals);
    RUN("sysdesc", rejects_memory_unaligned_or_out_of_range);
    RUN("sysdesc", rejects_unknown_flags);
    RUN("sysdesc", rejects_memory_region_too_large);
    RUN("sysdesc", fault_slot_and_foreign_mode);
    RUN("sysdesc", rejects_object_owner_naming_no_container);
    RUN("sysdesc", rejects_object_kind_unknown);
    RUN("sysdesc", rejects_object_slot_outside_owner);
    RUN("sysdesc", rejects_object_size_invalid);
    RUN("sysdesc", rejects_cap_naming_no_container);
    RUN("sysdesc", rejects_cap_naming_no_object_of_its_type);
    RUN("sysdesc", rejects_cap_type_or_rights);
    RUN("sysdesc", rejects_badged_container_cap);
    RUN("sysdesc", rejects_cap_slot_outside_holder);
    RUN("sysdesc", rejects_two_caps_in_one_slot);
    RUN("sysdesc", rejects_two_objects_or_object_and_cap_in_one_slot);
    RUN("sysdesc", rejects_bad_memory_cap);
    RUN("sysdesc", rejects_count_on_other_caps);
    RUN("sysdesc", rejects_bad_port_cap);
    RUN("sysdesc", clock_caps);
    RUN("sysdesc", rejects_port_ranges_of_two_containers_overlapping);
    RUN("sysdesc", valid_device_memory);
    RUN("sysdesc", rejects_bad_device_memory);
    RUN("sysdesc", rejects_device_memory_overlapping);
    RUN("sysdesc", rejects_objects_beyond_pools);
    RUN("sysdesc", rejects_thread_pools_beyond_ids);
    return CHECK_DONE();
}
