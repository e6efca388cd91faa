/* SPDX-License-Identifier: BSD-2-Clause */
/* Error codes by name, for messages: shared by the kernel's rejections and libl4. */
#include "errname.h"

const char *l4_error_name(l4_err_t err)
{
    static const char *const names[L4_ERROR_COUNT] = {
        "OK",     "EINVAL", "ECAP",   "ERIGHTS", "ENOMEM",   "ESTATE",
        "EFAULT", "ERANGE", "ENOSYS", "EBUSY",   "ETIMEOUT",
    };

    return err >= 0 && err < L4_ERROR_COUNT ? names[err] : "E?";
}
