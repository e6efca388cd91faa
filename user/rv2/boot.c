/* SPDX-License-Identifier: BSD-2-Clause */
#include "rv2.h"
int role_boot(void) { return 0; }
