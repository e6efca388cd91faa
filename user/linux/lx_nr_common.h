/* SPDX-License-Identifier: BSD-2-Clause */
/* Linux system call numbers from 424 on: one table for every architecture since Linux 5.1 (facts
 * of the ABI). Each architecture's lx_nr.h includes it after its own. */
#ifndef LINUX_LX_NR_COMMON_H
#define LINUX_LX_NR_COMMON_H

#define LX_NR_pidfd_send_signal       424
#define LX_NR_io_uring_setup          425
#define LX_NR_io_uring_enter          426
#define LX_NR_io_uring_register       427
#define LX_NR_open_tree               428
#define LX_NR_move_mount              429
#define LX_NR_fsopen                  430
#define LX_NR_fsconfig                431
#define LX_NR_fsmount                 432
#define LX_NR_fspick                  433
#define LX_NR_pidfd_open              434
#define LX_NR_clone3                  435
#define LX_NR_close_range             436
#define LX_NR_openat2                 437
#define LX_NR_pidfd_getfd             438
#define LX_NR_faccessat2              439
#define LX_NR_process_madvise         440
#define LX_NR_epoll_pwait2            441
#define LX_NR_mount_setattr           442
#define LX_NR_quotactl_fd             443
#define LX_NR_landlock_create_ruleset 444
#define LX_NR_landlock_add_rule       445
#define LX_NR_landlock_restrict_self  446
#define LX_NR_memfd_secret            447
#define LX_NR_process_mrelease        448
#define LX_NR_futex_waitv             449
#define LX_NR_set_mempolicy_home_node 450

#endif
