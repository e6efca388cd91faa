/* SPDX-License-Identifier: BSD-2-Clause */
/* The user runtime: printf over the debug console, exit, error names, a bump allocator. */
#include "fmt.h"
#include "l4.h"

#define PRINTF_BUF 256
#define HEAP_SIZE  (64 * 1024)

struct pbuf {
    char buf[PRINTF_BUF];
    size_t n;
};

static void pbuf_flush(struct pbuf *p)
{
    if (p->n)
        l4_debug_write(p->buf, p->n);
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
    static const char *const names[L4_ERROR_COUNT] = {
        "OK",     "EINVAL", "ECAP",   "ERIGHTS", "ENOMEM",   "ESTATE",
        "EFAULT", "ERANGE", "ENOSYS", "EBUSY",   "ETIMEOUT",
    };

    if (err < 0 || err >= L4_ERROR_COUNT)
        return "E?";
    return names[err];
}

static _Alignas(16) char heap[HEAP_SIZE];
static size_t heap_used;

void *malloc(size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size > HEAP_SIZE - heap_used)
        return NULL;
    void *p = heap + heap_used;
    heap_used += size;
    return p;
}

void free(void *p)
{
    (void)p;
}
