/* SPDX-License-Identifier: BSD-2-Clause */
/* Error codes by name, for messages: shared by the kernel's rejections and libl4. */
#ifndef LIB_ERRNAME_H
#define LIB_ERRNAME_H

#include <coffer/error.h>
#include <coffer/types.h>

/* "ECAP" for L4_ECAP; "E?" for a value that is no error code. */
const char *l4_error_name(l4_err_t err);

#endif
