/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fuzz system's one program, a role per container (systems/fuzz.toml): a
 * hostile fuzzer making seeded random system calls, a victim that must not
 * notice, a supervisor that restarts the fuzzer under fire, and a sink the
 * fuzzer may grant into, stop and restart.
 */
#include "fuzz.h"

l4_word_t arg_value(const char *arg, const char *key, l4_word_t def)
{
    size_t n = strlen(key);

    for (const char *p = arg; *p; p++) {
        if ((p == arg || p[-1] == ' ') && strncmp(p, key, n) == 0 && p[n] == '=') {
            l4_word_t v = 0;
            for (p += n + 1; *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (l4_word_t)(*p - '0');
            return v;
        }
    }
    return def;
}

l4_word_t now_ticks(void)
{
    l4_word_t ticks = 0;

    l4_time(&ticks, NULL, NULL, NULL, NULL);
    return ticks;
}

l4_word_t ticks_per_sec(void)
{
    l4_word_t hz = 1000;

    l4_time(NULL, &hz, NULL, NULL, NULL);
    return hz;
}

static bool role(const char *arg, const char *name)
{
    size_t n = strlen(name);

    return strncmp(arg, name, n) == 0 && (arg[n] == ' ' || arg[n] == '\0');
}

int main(const char *arg)
{
    if (role(arg, "super"))
        return super_main(arg);
    if (role(arg, "victim"))
        return victim_main(arg);
    if (role(arg, "fuzzer"))
        return fuzzer_main(arg);
    if (role(arg, "sink"))
        return 0; // a bystander: only its table matters, and that outlives its thread
    printf("fuzz: unknown role '%s'\n", arg);
    return 1;
}
