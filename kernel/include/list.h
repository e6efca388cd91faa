/* SPDX-License-Identifier: BSD-2-Clause */
/* Intrusive circular doubly linked lists (hardware free). */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *next, *prev;
};

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

static inline void list_init(struct list_node *head)
{
    head->next = head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

/* A node that is on no list points at nothing; list_remove restores that. */
static inline bool list_linked(const struct list_node *n)
{
    return n->next != NULL;
}

static inline void list_insert_between(struct list_node *n, struct list_node *prev,
                                       struct list_node *next)
{
    n->prev = prev;
    n->next = next;
    prev->next = n;
    next->prev = n;
}

static inline void list_push_back(struct list_node *head, struct list_node *n)
{
    list_insert_between(n, head->prev, head);
}

static inline void list_push_front(struct list_node *head, struct list_node *n)
{
    list_insert_between(n, head, head->next);
}

static inline void list_remove(struct list_node *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = NULL;
}

#endif
