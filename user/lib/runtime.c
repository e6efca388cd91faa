/* SPDX-License-Identifier: BSD-2-Clause */
/* The user runtime: printf over the debug console, exit, error names, a bump allocator. */
#include "errname.h"
#include "fmt.h"
#include "l4.h"

#define PRINTF_BUF 256
#define HEAP_SIZE  (256 * 1024)

struct pbuf {
    char buf[PRINTF_BUF];
    size_t n;
};

static void pbuf_flush(struct pbuf *p)
{
    if (p->n)
        l4_debug_write(L4_SLOT_DEBUG, p->buf, p->n);
    p->n = 0;
}

static void pbuf_putc(char c, void *ctx)
{
    struct pbuf *p = ctx;

    if (p->n == sizeof(p->buf))
        pbuf_flush(p);
    p->buf[p->n++] = c;
}

/* One debug_write per call (for short lines) keeps lines of concurrent threads whole. */
int printf(const char *fmt, ...)
{
    struct pbuf p = {.n = 0};
    va_list ap;

    va_start(ap, fmt);
    int n = fmt_vformat(pbuf_putc, &p, fmt, ap);
    va_end(ap);
    pbuf_flush(&p);
    return n;
}

int puts(const char *s)
{
    return printf("%s\n", s);
}

_Noreturn void l4_exit(l4_word_t code)
{
    for (;;)
        l4_thread_exit(code);
}

const char *l4_strerror(l4_err_t err)
{
    return l4_error_name(err);
}

/*
 * First-fit allocator over a static arena. Every block starts with a header
 * holding its size (header included, a multiple of 16); free blocks form a
 * list in address order so neighbours merge on free.
 */
struct block {
    size_t size;
    struct block *next; /* free blocks only */
};

static _Alignas(16) char heap[HEAP_SIZE];
static struct block *free_list;
static int heap_ready;

#define HDR 16 /* header size, keeps payloads 16-byte aligned */

void *malloc(size_t size)
{
    if (!heap_ready) {
        free_list = (struct block *)heap;
        free_list->size = HEAP_SIZE;
        free_list->next = NULL;
        heap_ready = 1;
    }
    if (size == 0 || size > HEAP_SIZE)
        return NULL;
    size_t need = (size + HDR + 15) & ~(size_t)15;
    for (struct block **pp = &free_list; *pp; pp = &(*pp)->next) {
        struct block *b = *pp;
        if (b->size < need)
            continue;
        if (b->size - need >= 2 * HDR) { // split: the tail stays free
            struct block *rest = (struct block *)((char *)b + need);
            rest->size = b->size - need;
            rest->next = b->next;
            b->size = need;
            *pp = rest;
        } else {
            *pp = b->next;
        }
        return (char *)b + HDR;
    }
    return NULL;
}

void free(void *p)
{
    if (!p)
        return;
    struct block *b = (struct block *)((char *)p - HDR), **pp = &free_list;
    while (*pp && *pp < b)
        pp = &(*pp)->next;
    b->next = *pp;
    *pp = b;
    if (b->next && (char *)b + b->size == (char *)b->next) { // merge with the next
        b->size += b->next->size;
        b->next = b->next->next;
    }
    for (struct block *q = free_list; q && q != b; q = q->next) {
        if (q->next == b && (char *)q + q->size == (char *)b) { // merge with the previous
            q->size += b->size;
            q->next = b->next;
            break;
        }
    }
}
