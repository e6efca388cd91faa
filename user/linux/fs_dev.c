/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The devices at /dev: null, zero, and the terminal as console and tty (tty.c). A fixed
 * directory of fixed nodes: nothing can be made or removed there.
 */
#include "fs_impl.h"

/* Linux's device numbers (Documentation/admin-guide/devices.txt), as st_rdev shows them. */
#define RDEV(major, minor) ((uint64_t)(major) << 8 | (minor))

static const struct {
    const char *name;
    uint8_t dev;
    uint64_t rdev;
} devices[] = {
    {"console", LX_DEV_CONSOLE, RDEV(5, 1)},
    {"null", LX_DEV_NULL, RDEV(1, 3)},
    {"tty", LX_DEV_TTY, RDEV(5, 0)},
    {"zero", LX_DEV_ZERO, RDEV(1, 5)},
};
#define NDEV (sizeof devices / sizeof devices[0])

static struct lx_node lx_dev_nodes[NDEV + 1]; /* [0] is /dev itself */

struct lx_node *lx_dev_mount(void)
{
    struct lx_node *dir = &lx_dev_nodes[0];
    uint64_t now = lx_fs_now();
    *dir = (struct lx_node){.fs = LX_FS_DEV,
                            .mode = LX_S_IFDIR | 0755,
                            .ino = 1,
                            .links = 1,
                            .mtime = now,
                            .ctime = now,
                            .parent = dir};
    for (size_t i = 0; i < NDEV; i++)
        lx_dev_nodes[i + 1] = (struct lx_node){.fs = LX_FS_DEV,
                                               .dev = devices[i].dev,
                                               .mode = LX_S_IFCHR | 0666,
                                               .ino = i + 2,
                                               .links = 1,
                                               .mtime = now,
                                               .ctime = now,
                                               .size = devices[i].rdev};
    return dir;
}

/* A device's st_rdev is kept in its size, which a device has no other use for. */
bool lx_dev_entry(size_t i, const char **name, size_t *len, struct lx_node **node)
{
    if (i >= NDEV)
        return false;
    *name = devices[i].name;
    *len = strlen(devices[i].name);
    *node = &lx_dev_nodes[i + 1];
    return true;
}

struct lx_node *lx_dev_find(const char *name)
{
    for (size_t i = 0; i < NDEV; i++)
        if (strcmp(devices[i].name, name) == 0)
            return &lx_dev_nodes[i + 1];
    return NULL;
}
