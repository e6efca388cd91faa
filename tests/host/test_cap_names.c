/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of capability type, right and pool-kind names: every type, right and kind has
 * one, and unknown ones say so. */
// uses: kernel/core/cap_names.c lib/fmt.c
#include "cap.h"
#include "check.h"

#include <string.h>

static void every_type_has_a_name(void)
{
    for (unsigned t = 0; t < L4_CAP_TYPE_COUNT; t++) {
        const char *phrase = cap_type_phrase(t);
        CHECK(strncmp(phrase, "a ", 2) == 0 || strncmp(phrase, "an ", 3) == 0);
        CHECK(strcmp(phrase + strlen(phrase) - strlen(cap_type_name(t)), cap_type_name(t)) == 0);
        CHECK(strcmp(cap_type_name(t), "unknown") != 0);
    }
}

static void names_and_articles(void)
{
    CHECK(strcmp(cap_type_name(L4_CAP_MEMORY), "memory") == 0);
    CHECK(strcmp(cap_type_phrase(L4_CAP_ENDPOINT), "an endpoint") == 0);
    CHECK(strcmp(cap_type_name(L4_CAP_IOPORT), "I/O port") == 0);
    CHECK(strcmp(cap_type_phrase(L4_CAP_NULL), "an empty") == 0);
}

static void unknown_types(void)
{
    CHECK(strcmp(cap_type_name(L4_CAP_TYPE_COUNT), "unknown") == 0);
    CHECK(strcmp(cap_type_phrase(~0u), "an unknown") == 0);
}

static void rights_by_name(void)
{
    char buf[96];

    CHECK(cap_rights_names(L4_CAP_MEMORY, L4_RIGHT_COPY | L4_MEM_READ | L4_MEM_WRITE, buf,
                           sizeof(buf)) == strlen("copy, read, write"));
    CHECK(strcmp(buf, "copy, read, write") == 0);
    cap_rights_names(L4_CAP_ENDPOINT, L4_EP_RECV, buf, sizeof(buf));
    CHECK(strcmp(buf, "receive") == 0);
    cap_rights_names(L4_CAP_SPACE, 0, buf, sizeof(buf));
    CHECK(strcmp(buf, "none") == 0);
    cap_rights_names(L4_CAP_POOL, L4_POOL_ALLOC | (1u << 9), buf, sizeof(buf));
    CHECK(strcmp(buf, "alloc, bit 9") == 0); // a bit outside the type's rights still shows
}

/* Every right of every type is named as system files spell it, never as "bit N". */
static void every_right_has_a_name(void)
{
    char buf[128];

    for (unsigned t = L4_CAP_NULL + 1; t < L4_CAP_TYPE_COUNT; t++) {
        uint32_t all = cap_rights_all(t);
        CHECK(all != 0);
        for (unsigned bit = 0; bit < 32; bit++) {
            if (!(all & (1u << bit)))
                continue;
            cap_rights_names(t, 1u << bit, buf, sizeof(buf));
            CHECK(strncmp(buf, "bit ", 4) != 0 && strcmp(buf, "none") != 0);
        }
    }
}

static void rights_cut_to_the_buffer(void)
{
    char buf[8];

    size_t n = cap_rights_names(L4_CAP_THREAD, L4_THR_RIGHTS_ALL, buf, sizeof(buf));
    CHECK(n == sizeof(buf) - 1);
    CHECK(strlen(buf) == sizeof(buf) - 1);
    CHECK(strncmp(buf, "copy, g", 7) == 0);
    /* "none" cut short too: the length is what the buffer holds, not what would have fit */
    char small[3];
    CHECK(cap_rights_names(L4_CAP_SPACE, 0, small, sizeof(small)) == strlen(small));
    CHECK(strcmp(small, "no") == 0);
}

static void pool_kinds_by_name(void)
{
    CHECK(strcmp(cap_pool_kind_name(L4_POOL_THREADS), "threads") == 0);
    CHECK(strcmp(cap_pool_kind_name(L4_POOL_PAGETABLES), "pagetables") == 0);
    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++)
        CHECK(strcmp(cap_pool_kind_name(k), "unknown") != 0);
    CHECK(strcmp(cap_pool_kind_name(L4_POOL_KIND_COUNT), "unknown") == 0);
    CHECK(strcmp(cap_pool_kind_name(~0ul), "unknown") == 0);
}

int main(void)
{
    RUN("cap_names", every_type_has_a_name);
    RUN("cap_names", names_and_articles);
    RUN("cap_names", unknown_types);
    RUN("cap_names", rights_by_name);
    RUN("cap_names", every_right_has_a_name);
    RUN("cap_names", rights_cut_to_the_buffer);
    RUN("cap_names", pool_kinds_by_name);
    return CHECK_DONE();
}
