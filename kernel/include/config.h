/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel options: the Kconfig-generated values, plus what follows from them. */
#ifndef KERNEL_CONFIG_H
#define KERNEL_CONFIG_H

#include <kconfig.h> /* build/gen/kconfig.h, made from .config by the Makefile */

#ifdef CONFIG_BUILD_DEBUG
#define DEBUG_BUILD 1
#else
#define DEBUG_BUILD 0
#endif

#endif
