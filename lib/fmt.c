/* SPDX-License-Identifier: BSD-2-Clause */
/* A small printf engine shared by the kernel, user programs and host tests. */
#include "fmt.h"

#include <stdint.h>

struct spec {
    char pad; // ' ' or '0'
    int left; // '-' flag
    int width;
    int longs; // number of 'l' (z counts as 2)
};

struct out {
    fmt_putc_fn putc;
    void *ctx;
    int n;
};

static void emit(struct out *o, char c)
{
    o->putc(c, o->ctx);
    o->n++;
}

/* Print s (len bytes) padded to the field width. */
static void emit_field(struct out *o, const struct spec *sp, const char *s, int len)
{
    int fill = sp->width > len ? sp->width - len : 0;
    char pad = sp->left ? ' ' : sp->pad;

    /* a zero-padded negative number keeps its sign in front of the zeros */
    if (pad == '0' && len > 0 && s[0] == '-') {
        emit(o, '-');
        s++;
        len--;
    }
    while (!sp->left && fill-- > 0)
        emit(o, pad);
    while (len-- > 0)
        emit(o, *s++);
    while (sp->left && fill-- > 0)
        emit(o, ' ');
}

static int utoa(char *end, uint64_t v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;

    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return (int)(end - p);
}

static void emit_number(struct out *o, const struct spec *sp, char conv, va_list *ap)
{
    char buf[24];
    char *end = buf + sizeof(buf);
    uint64_t v;
    int neg = 0;

    if (conv == 'd' || conv == 'i') {
        int64_t s = sp->longs ? va_arg(*ap, int64_t) : va_arg(*ap, int);
        neg = s < 0;
        v = neg ? -(uint64_t)s : (uint64_t)s;
    } else if (conv == 'p') {
        v = (uintptr_t)va_arg(*ap, void *);
    } else {
        v = sp->longs ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
    }
    unsigned base = (conv == 'd' || conv == 'i' || conv == 'u') ? 10 : 16;
    int len = utoa(end, v, base, conv == 'X');
    if (neg) {
        buf[sizeof(buf) - len - 1] = '-';
        len++;
    }
    emit_field(o, sp, end - len, len);
}

/* Parse flags, width and length after '%'; returns the conversion character. */
static const char *parse_spec(const char *f, struct spec *sp)
{
    *sp = (struct spec){.pad = ' '};
    for (;; f++) {
        if (*f == '-')
            sp->left = 1;
        else if (*f == '0')
            sp->pad = '0';
        else
            break;
    }
    while (*f >= '0' && *f <= '9') {
        if (sp->width < 1000) // a width beyond any line must not overflow
            sp->width = sp->width * 10 + (*f - '0');
        f++;
    }
    for (;; f++) {
        if (*f == 'l')
            sp->longs++;
        else if (*f == 'z')
            sp->longs += 2;
        else
            break;
    }
    return f;
}

int fmt_vformat(fmt_putc_fn putc, void *ctx, const char *f, va_list ap)
{
    struct out o = {putc, ctx, 0};
    va_list args;

    va_copy(args, ap);
    for (; *f; f++) {
        if (*f != '%') {
            emit(&o, *f);
            continue;
        }
        const char *start = f;
        struct spec sp;
        f = parse_spec(f + 1, &sp);
        switch (*f) {
        case 'c': {
            char c = (char)va_arg(args, int);
            emit_field(&o, &sp, &c, 1);
            break;
        }
        case 's': {
            const char *s = va_arg(args, const char *);
            int len = 0;
            if (!s)
                s = "(null)";
            while (s[len])
                len++;
            emit_field(&o, &sp, s, len);
            break;
        }
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
        case 'p':
            emit_number(&o, &sp, *f, &args);
            break;
        case '%':
            emit(&o, '%');
            break;
        default: // unknown or truncated: show what was written
            while (start <= f && *start)
                emit(&o, *start++);
            if (!*f)
                f--;
            break;
        }
    }
    va_end(args);
    return o.n;
}

struct sbuf {
    char *buf;
    size_t size;
    size_t pos;
};

static void sbuf_putc(char c, void *ctx)
{
    struct sbuf *s = ctx;

    if (s->pos + 1 < s->size)
        s->buf[s->pos] = c;
    s->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *f, va_list ap)
{
    struct sbuf s = {buf, size, 0};
    int n = fmt_vformat(sbuf_putc, &s, f, ap);

    if (size)
        buf[s.pos < size ? s.pos : size - 1] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *f, ...)
{
    va_list ap;

    va_start(ap, f);
    int n = fmt_vsnprintf(buf, size, f, ap);
    va_end(ap);
    return n;
}
