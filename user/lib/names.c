/* SPDX-License-Identifier: BSD-2-Clause */
/* A container's name as a C string, from the two words container_name returns. */
#include "l4.h"
#include "string.h"

l4_err_t l4_container_name_str(l4_cap_t container, char name[L4_NAME_LEN + 1])
{
    l4_word_t w[2] = {0, 0};
    l4_err_t err = l4_container_name(container, &w[0], &w[1]);

    _Static_assert(sizeof(w) == L4_NAME_LEN, "container_name returns the whole name");
    memcpy(name, w, L4_NAME_LEN);
    name[L4_NAME_LEN] = '\0'; // a name of 16 bytes has no NUL of its own
    return err;
}
