/* SPDX-License-Identifier: BSD-2-Clause */
/* Client side of the keyboard service (user/kbd): one call per request, the error in the label. */
#include "kbd.h"

#include "l4.h"

#include <coffer/ipc.h>

l4_err_t kbd_next_event(l4_cap_t kbd, unsigned flags, struct kbd_event *ev, l4_word_t *dropped)
{
    l4_word_t tag, w, lost, x;
    l4_err_t err =
        l4_ipc_call(kbd, L4_TAG(KBD_OP_GET, 1, 0), flags, 0, 0, 0, &tag, &w, &lost, &x, &x, &x);

    if (err)
        return err;
    if (L4_TAG_LABEL(tag))
        return (l4_err_t)L4_TAG_LABEL(tag);
    *ev = kbd_event_unpack(w);
    if (dropped)
        *dropped = lost;
    return L4_OK;
}

l4_err_t kbd_stop(l4_cap_t kbd)
{
    l4_word_t tag, x;
    l4_err_t err =
        l4_ipc_call(kbd, L4_TAG(KBD_OP_STOP, 1, 0), 0, 0, 0, 0, &tag, &x, &x, &x, &x, &x);

    return err ? err : (l4_err_t)L4_TAG_LABEL(tag);
}
