/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench: marking a thread as an FPU user, out of the general-registers-only bench.c. */
#ifndef BENCH_FPU_H
#define BENCH_FPU_H

void bench_use_fpu(void);

#endif
