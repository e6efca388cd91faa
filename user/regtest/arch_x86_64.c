/* SPDX-License-Identifier: BSD-2-Clause */
/* regtest's x86_64 part (built for x86_64 only): rflags, the FS and GS bases, SYSCALL's
 * registers, and what only x86_64 has (REG-016..019, REG-050, REG-051, REG-062..064,
 * REG-077, REG-078). */
#ifdef __x86_64__
#include "regtest.h"

#include <coffer/mem.h>
#include <coffer/syscall_nr.h>

#define TOP_PAGE 0x7ffffffff000ull /* the last page below user_top: never mapped */

const l4_word_t user_top = 0x0000800000000000ull;
const l4_word_t kernel_addr = 0xffffffff80000000ull;

/* regs_kept_across's bits (seen_x86_64.S) of rdi, rsi, rdx, r10, r8, r9 */
const l4_word_t kept_result[6] = {0x800, 0x40, 0x80, 0x100, 0x200, 0x400};

#define SEG_WORD(seg)                                                                              \
    ({                                                                                             \
        l4_word_t v_;                                                                              \
        __asm__ volatile("mov %%" seg ":0, %0" : "=r"(v_));                                        \
        v_;                                                                                        \
    })
#define fs_word() SEG_WORD("fs")
#define gs_word() SEG_WORD("gs")

l4_word_t tls_word(unsigned i)
{
    return i == L4_TLS_FS ? fs_word() : gs_word();
}

l4_word_t regs_nr(const struct l4_regs *r)
{
    return r->rax;
}

void pattern_flags(struct l4_regs *r)
{
    r->rflags = 0xcc5; // CF PF ZF SF DF OF, and IF clear: the kernel sets IF, as documented
}

void flags_as_read(struct l4_regs *r)
{
    r->rflags |= 0x202; // IF and bit 1 always set
}

void flag_refusals(void (*f)(const char *id, struct l4_regs r, l4_err_t err), struct l4_regs r)
{
    struct l4_regs t = r;

    f("REG-016", (t.rflags |= 0x3000, t), L4_EINVAL); // IOPL 3
    t = r;
    f("REG-017", (t.rflags |= 1u << 17, t), L4_EINVAL); // VM
    t = r;
    f("REG-018", (t.rflags |= 1u << 14, t), L4_EINVAL); // NT
    t = r;
    f("REG-019", (t.rflags |= 1u << 21, t), L4_EINVAL); // ID
}

l4_word_t raw_send(l4_word_t ep, l4_word_t tag, l4_word_t *arg_after)
{
    l4_word_t rax = L4_SYS_IPC_SEND, rdi = ep;
    register l4_word_t r10 __asm__("r10") = 0;
    register l4_word_t r8 __asm__("r8") = 0;
    register l4_word_t r9 __asm__("r9") = 0;

    __asm__ volatile("syscall"
                     : "+a"(rax), "+D"(rdi), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "S"(tag), "d"(0)
                     : "rcx", "r11", "memory");
    *arg_after = rdi;
    return rax;
}

/* The kernel keeps CR4.FSGSBASE off, so that only it sets bases: WRFSBASE in user mode is an
 * invalid opcode, and the bases stay what the kernel holds (docs/architecture.md). */
static volatile int wrfsbase_done;

static long wrfsbase_user(l4_word_t arg)
{
    __asm__ volatile("wrfsbase %0" : : "r"(arg));
    wrfsbase_done = 1; // not reached: the instruction faults
    return 0;
}

static void user_set(void)
{
    l4_word_t tag = 0, vector = 0, x, before = fs_word();
    struct l4_regs r;

    wrfsbase_done = 0;
    l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, wrfsbase_user, 0x1000, 100, W1);
    l4_thread_configure(W1, L4_THREAD_FAULT_EP, EP);
    l4_thread_start(W1);
    l4_ipc_recv(EP, 0, &tag, &vector, &x, &x, &x, NULL);
    test_report("REG-050", L4_TAG_LABEL(tag) == L4_LABEL_FAULT && vector == 6 && !wrfsbase_done,
                "label %lx vector %lu: WRFSBASE in user mode must be an invalid opcode",
                L4_TAG_LABEL(tag), vector);
    l4_thread_regs(W1, L4_REGS_GET, NULL, &r);
    test_report("REG-051", r.fs_base == 0 && fs_word() == before, "the faulting thread's fs %lx",
                r.fs_base);
    l4_thread_destroy(W1);
}

/* The top page of user space cannot be mapped: a SYSCALL in its last two bytes would save a
 * return address of 0x800000000000, not canonical. */
static void top_page_refused(void)
{
    EXPECT_ERR("REG-062",
               l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, TOP_PAGE, L4_MAP_READ | L4_MAP_EXEC),
               L4_ERANGE);
    EXPECT_ERR("REG-063",
               l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, TOP_PAGE - 4096, L4_MAP_READ), L4_OK);
    l4_mem_unmap(L4_SLOT_SPACE, TOP_PAGE - 4096);
}

static volatile int compat_reached;

/* A far jump to selector 0x23, the slot SYSRET's STAR names for 32-bit code: the slot is not
 * present, so the jump faults in user mode (#NP) and compatibility mode is out of reach. */
static long far_jump(l4_word_t arg)
{
    static const struct __attribute__((packed)) {
        uint32_t offset;
        uint16_t selector;
    } target = {0, 0x23};

    (void)arg;
    __asm__ volatile("ljmpl *%0" : : "m"(target));
    compat_reached = 1; // not reached
    return 0;
}

static void no_compat_mode(void)
{
    l4_word_t tag = 0, vector = 0, x;

    l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, far_jump, 0, 100, W1);
    l4_thread_configure(W1, L4_THREAD_FAULT_EP, EP);
    l4_thread_start(W1);
    l4_ipc_recv(EP, 0, &tag, &vector, &x, &x, &x, NULL);
    test_report("REG-064",
                L4_TAG_LABEL(tag) == L4_LABEL_FAULT && (vector == 11 || vector == 13) &&
                    !compat_reached,
                "label %lx vector %lu: a far jump to 0x23 must fault in user mode",
                L4_TAG_LABEL(tag), vector);
    l4_thread_destroy(W1);
}

/*
 * REG-077: a thread blocked in ipc_recv whose ip exregs moved gets the message at the new ip
 * through the system call return, which says rcx = rip there (the SYSCALL ABI), however the
 * call that wakes it is taken: the fastpath in assembly and the general path leave through
 * SYSRET from the frame's rip; the C fastpath (the trace kernel's, REG-TRACE) through IRETQ,
 * from the frame's rcx slot, which still holds the rip of its SYSCALL.
 */
static volatile l4_word_t landed_rcx, landed;

void landed_c(void);
void landed_c(void)
{
    l4_word_t x;

    landed = 1;
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    for (;;)
        l4_ipc_recv(EP, 0, &x, &x, &x, &x, &x, &x); // until it is destroyed
}

void landing_pad(void);
__asm__(".text\n"
        "landing_pad:\n"
        "    mov %rcx, landed_rcx(%rip)\n"
        "    and $-16, %rsp\n"
        "    call landed_c\n"
        "    ud2\n");

static long recv_forever(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    l4_ipc_recv(EP, 0, &x, &x, &x, &x, &x, &x); // its ip moves while it waits
    return 0;
}

static void exregs_ip_rcx(void)
{
    l4_word_t tag, x, ip, sp;

    landed = landed_rcx = 0;
    l4_thread_spawn(recv_forever, 0, 100, W1);
    l4_thread_yield(); // it blocks in ipc_recv
    EXPECT_ERR("REG-077",
               l4_thread_exregs(W1, L4_EXREGS_SET_IP, (l4_word_t)landing_pad, 0, 0, &ip, &sp),
               L4_OK);
    l4_err_t err = l4_ipc_call(EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    test_report("REG-078", err == L4_OK && landed && landed_rcx == (l4_word_t)landing_pad,
                "call %s; landed %lu with rcx %lx, wanted its rip %lx (was %lx)", l4_strerror(err),
                landed, landed_rcx, (l4_word_t)landing_pad, ip);
    l4_thread_destroy(W1);
}

void arch_tests(void)
{
    user_set();
    top_page_refused();
    no_compat_mode();
    exregs_ip_rcx();
}
#endif
