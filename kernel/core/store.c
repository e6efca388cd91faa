/* SPDX-License-Identifier: BSD-2-Clause */
/* Object stores: fixed-size blocks carved at boot for one container's pool of one kind. */
#include "store.h"

#include "printk.h"

void store_init(struct store *s, void *memory, uint32_t size, uint32_t capacity, uint8_t kind,
                uint32_t first_id, void *owner)
{
    ASSERT(size >= sizeof(void *) && size % sizeof(void *) == 0);
    *s = (struct store){.base = memory,
                        .size = size,
                        .capacity = capacity,
                        .first_id = first_id,
                        .kind = kind,
                        .owner = owner};
    list_init(&s->live);
    /* pushed from the top, so the lowest block is handed out first */
    for (uint32_t i = capacity; i > 0; i--)
        blocklist_push(&s->free, s->base + (uint64_t)(i - 1) * size);
}

void *store_take(struct store *s)
{
    void *b = blocklist_pop(&s->free);

    if (b)
        s->taken++;
    DEBUG_ASSERT(s->taken + s->free.count == s->capacity);
    return b;
}

void store_give(struct store *s, void *block)
{
    ASSERT(store_holds(s, block) && s->taken > 0);
    s->taken--;
    blocklist_push(&s->free, block);
}

bool store_holds(const struct store *s, const void *block)
{
    const char *b = block;

    return b >= s->base && b < s->base + (uint64_t)s->capacity * s->size &&
           (uint64_t)(b - s->base) % s->size == 0;
}

uint32_t store_index(const struct store *s, const void *block)
{
    DEBUG_ASSERT(store_holds(s, block));
    return (uint32_t)(((const char *)block - s->base) / s->size);
}

void *store_block(const struct store *s, uint32_t index)
{
    ASSERT(index < s->capacity);
    return s->base + (uint64_t)index * s->size;
}
