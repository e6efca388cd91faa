/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of capability type names: every type has one, and unknown types say so. */
// uses: kernel/core/cap_names.c
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

int main(void)
{
    RUN("cap_names", every_type_has_a_name);
    RUN("cap_names", names_and_articles);
    RUN("cap_names", unknown_types);
    return CHECK_DONE();
}
