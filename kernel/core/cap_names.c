/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability types by name, for messages: rejections name what a slot holds, not a number. */
#include "cap.h"

/* With the article: "an endpoint"; cap_type_name skips it. */
static const char *const with_article[L4_CAP_TYPE_COUNT] = {
    [L4_CAP_NULL] = "an empty",
    [L4_CAP_CONTAINER] = "a container",
    [L4_CAP_THREAD] = "a thread",
    [L4_CAP_SPACE] = "a space",
    [L4_CAP_POOL] = "a pool",
    [L4_CAP_MEMORY] = "a memory",
    [L4_CAP_DEBUG] = "a debug console",
    [L4_CAP_ENDPOINT] = "an endpoint",
    [L4_CAP_NOTIFICATION] = "a notification",
    [L4_CAP_IOPORT] = "an I/O port",
    [L4_CAP_IRQ] = "an interrupt",
};

const char *cap_type_phrase(unsigned type)
{
    return type < L4_CAP_TYPE_COUNT && with_article[type] ? with_article[type] : "an unknown";
}

const char *cap_type_name(unsigned type)
{
    const char *p = cap_type_phrase(type);

    return p + (p[1] == ' ' ? 2 : 3); // past "a " or "an "
}
