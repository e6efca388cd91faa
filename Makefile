# SPDX-License-Identifier: BSD-2-Clause
# Coffer: one Makefile for the kernel, user programs, host tests and QEMU runs.
#   make run [SYSTEM=name]  build and boot a system in QEMU (Ctrl-A X quits)
#   make debug [SYSTEM=name] the same under gdb (docs/debugging.md)
#   make authority / graph  what each container of SYSTEM can reach; its capability graph
#   make test [T=PATTERN]   host unit tests + in-QEMU test systems; last line "N passed, N failed"
#   make mutate [M=PATTERN] break the kernel on purpose (tests/mutants.toml): the tests must fail
#   make bench              kernel path lengths under -icount beside the floor it measures; boot cost
#   make fuzz [SECS= SEED=] the syscall fuzzer (systems/fuzz.toml) for SECS s of guest time
#   make iso [SYSTEM=name]  a BIOS-bootable GRUB image of a system: build/<system>.iso
#   make trace [SYSTEM=]    boot a system with the kernel event trace on: build/<system>.trace.json
#   make menuconfig         edit kernel options (.config)
#   make olddefconfig / savedefconfig / defconfig
#   make format / format-check, make docs, make clean; make help lists every target

ARCH    ?= x86_64
ifeq ($(filter x86_64 aarch64,$(ARCH)),)
$(error ARCH=$(ARCH): Coffer builds for x86_64 and aarch64)
endif
include mk/$(ARCH).mk
# the scripts (qemu.py, mksystem.py, ...) read it from the environment
export ARCH
# each architecture builds in a tree of its own, so that switching ARCH rebuilds nothing
BUILD   ?= $(if $(filter x86_64,$(ARCH)),build,build/$(ARCH))
SYSTEM  ?= $(DEFAULT_SYSTEM)
PY      := /usr/bin/python3
HOSTCC  := gcc
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
QEMU    ?= $(QEMU_ARCH)
GEN     := $(BUILD)/gen

WARN := -Wall -Wextra -Werror -Wshadow -Wcast-align -Wwrite-strings -Wstrict-prototypes \
        -Wmissing-prototypes
# Freestanding code for ring 0 and ring 3 alike. Only user code may use x87/SSE/AVX: the
# kernel saves each thread's FPU state but never has any of its own, so it stays off the FPU.
FREE := -std=c11 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -O2 -g \
        -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
        $(WARN)
# LTO=n builds the kernel without link-time optimisation: kmain and friends stay functions
# of their own that gdb can break on (make debug does so, in build/debug)
LTO     ?= y
KCFLAGS := $(FREE) -mgeneral-regs-only $(if $(filter y,$(LTO)),-flto) $(KARCHFLAGS) -Ikernel/arch/$(ARCH)/include -Ikernel/include \
           -Ikernel/object -Iinclude/arch/$(ARCH) -Iinclude -Ilib -I$(GEN) -MMD -MP
# the arch's own headers (include/arch/$(ARCH)/coffer/, user/lib/arch/$(ARCH)/) come first: a
# generic file names <coffer/regs.h> or "tsc.h" and gets its architecture's
UCFLAGS := $(FREE) $(UARCHFLAGS) -fno-omit-frame-pointer -Iuser/lib/arch/$(ARCH) -Iuser/lib \
           -Iinclude/arch/$(ARCH) -Iinclude -Ilib -I$(GEN) -MMD -MP

# --- configuration -----------------------------------------------------------
# CONFIG names the Kconfig file to build with (make test also builds configs/release)
CONFIG ?= .config

.config:
	cp configs/defconfig $@

# scripts/kconfig.py refuses a CONFIG kconfiglib warns about (misspelled option, value out
# of range) instead of building with the default in its place
$(GEN)/kconfig.h: $(CONFIG) Kconfig scripts/kconfig.py
	@mkdir -p $(GEN)
	$(PY) scripts/kconfig.py header $(CONFIG) $@

menuconfig: deps .config
	@[ -t 0 ] && [ -t 1 ] || { echo "menuconfig needs a terminal; without one, edit .config" \
	    "and run make olddefconfig" >&2; exit 1; }
	KCONFIG_CONFIG=.config $(PY) -m menuconfig Kconfig

# CONFIG with defaults for options it lacks, and unknown ones dropped
olddefconfig: deps $(CONFIG)
	$(PY) scripts/kconfig.py olddefconfig $(CONFIG)

# the options of CONFIG that differ from their defaults, in $(BUILD)/defconfig: copy it to
# configs/defconfig to make it what a fresh tree starts from
savedefconfig: deps $(CONFIG)
	@mkdir -p $(BUILD)
	$(PY) scripts/kconfig.py savedefconfig $(CONFIG) $(BUILD)/defconfig

# start CONFIG again from configs/defconfig (DEFCONFIG=configs/release for another)
DEFCONFIG ?= configs/defconfig
defconfig:
	cp $(DEFCONFIG) $(CONFIG)

# --- generated syscall interface ---------------------------------------------
SYSGEN := $(GEN)/sys_dispatch.c $(GEN)/sys_handlers.h $(GEN)/coffer/l4_stubs.h \
          $(GEN)/coffer/syscall_nr.h
$(SYSGEN) &: kernel/api/syscalls.toml scripts/gensyscalls.py
	$(PY) scripts/gensyscalls.py $< $(GEN) $(BUILD)/syscalls.md

docs: deps $(SYSGEN)
	cp $(BUILD)/syscalls.md docs/syscalls.md

# --- kernel ------------------------------------------------------------------
KSRC := $(wildcard kernel/core/*.c kernel/api/*.c kernel/object/*.c \
          kernel/arch/$(ARCH)/*.c kernel/arch/$(ARCH)/*.S) lib/fmt.c lib/string.c lib/errname.c
KOBJ := $(patsubst %,$(BUILD)/k/%.o,$(KSRC)) $(BUILD)/k/gen/sys_dispatch.c.o

$(BUILD)/k/%.c.o: %.c $(GEN)/kconfig.h $(SYSGEN) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@
# structure offsets for the assembly (kernel/arch/$(ARCH)/gen/asm_offsets.c): compiled to
# assembly only, each "->NAME value" marker becomes "#define NAME value"
$(GEN)/asm_offsets.h: kernel/arch/$(ARCH)/gen/asm_offsets.c $(GEN)/kconfig.h $(SYSGEN) \
                      $(wildcard include/coffer/*.h include/arch/$(ARCH)/coffer/*.h \
                        kernel/include/*.h kernel/object/*.h kernel/arch/$(ARCH)/include/*.h) \
                      Makefile
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(CC) $(filter-out -flto -MMD -MP,$(KCFLAGS)) -S $< -o $@.s
	@sed -n 's/.*->\([A-Z0-9_]*\) \$$\{0,1\}\(-\{0,1\}[0-9]*\).*/#define \1 \2/p' $@.s > $@.tmp
	@rm -f $@.s
	@mv $@.tmp $@
$(BUILD)/k/%.S.o: %.S $(GEN)/kconfig.h $(SYSGEN) $(GEN)/asm_offsets.h Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/k/gen/sys_dispatch.c.o: $(GEN)/sys_dispatch.c $(GEN)/kconfig.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

# Link as ELF64 (kernel64.elf, what gdb and the symbolizer read), then make what the loader
# takes: mk/$(ARCH).mk's KELF_FLAGS (x86_64: rewrap as ELF32, QEMU's multiboot loader refuses
# ELF64); AArch64 boots kernel.bin, the raw image (its arm64 Image header is its first bytes).
$(BUILD)/kernel.elf: $(KOBJ) kernel/arch/$(ARCH)/kernel.ld
	@echo "  LD      $@"
	@$(CC) $(KCFLAGS) -nostdlib -no-pie -Wl,-z,max-page-size=0x1000,--no-warn-rwx-segments \
	    -Wl,--build-id=none -T kernel/arch/$(ARCH)/kernel.ld $(KOBJ) -o $(BUILD)/kernel64.elf
	@$(OBJCOPY) $(KELF_FLAGS) $(BUILD)/kernel64.elf $@
$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	@$(OBJCOPY) -O binary $(BUILD)/kernel64.elf $@

# --- user programs: user/<prog>/*.c and *.S + libl4 --------------------------
# every folder but the library, less those that cannot run on ARCH (mk/$(ARCH).mk says why)
ALL_PROGS := $(notdir $(patsubst %/,%,$(filter-out user/lib/,$(wildcard user/*/))))
UNKNOWN_SKIP := $(filter-out $(ALL_PROGS),$(UARCH_SKIP))
ifneq ($(UNKNOWN_SKIP),)
$(error UARCH_SKIP (mk/$(ARCH).mk) names $(UNKNOWN_SKIP): no such program in user/)
endif
PROGS := $(filter-out $(UARCH_SKIP),$(ALL_PROGS))
# crt0.S first, as it always was: _start right after the program's own code
ULIB  := $(wildcard user/lib/arch/$(ARCH)/*.S user/lib/*.S user/lib/*.c user/lib/arch/$(ARCH)/*.c) \
         lib/fmt.c lib/string.c lib/errname.c
ULIBOBJ := $(patsubst %,$(BUILD)/u/%.o,$(ULIB))
# The runtime itself never touches the FPU, so a thread pays for saving FPU state only if its
# program's own code uses it (docs/user-library.md: a file opts out with a pragma)
$(ULIBOBJ): UCFLAGS += -mgeneral-regs-only

$(BUILD)/u/%.c.o: %.c $(SYSGEN) Makefile mk/$(ARCH).mk
	@mkdir -p $(dir $@)
	@echo "  CC [u]  $<"
	@$(CC) $(UCFLAGS) -c $< -o $@
$(BUILD)/u/%.S.o: %.S $(SYSGEN) Makefile mk/$(ARCH).mk
	@mkdir -p $(dir $@)
	@echo "  CC [u]  $<"
	@$(CC) $(UCFLAGS) -c $< -o $@

# a program's arch/$(ARCH)/ folder, if it has one, holds its files for that architecture only
PROG_OBJS = $(patsubst %,$(BUILD)/u/%.o,$(wildcard user/$(1)/*.c user/$(1)/*.S \
              user/$(1)/arch/$(ARCH)/*.c user/$(1)/arch/$(ARCH)/*.S))
# the Linux personality's ABI (user/linux/arch/$(ARCH): its numbers, registers, signal frame)
$(BUILD)/u/user/linux/%.o: UCFLAGS += -Iuser/linux/arch/$(ARCH) -Iuser/linux
define PROG_template
$(BUILD)/user/$(1).elf: $(call PROG_OBJS,$(1)) $(ULIBOBJ) user/lib/user.ld
	@mkdir -p $$(dir $$@)
	@echo "  LD [u]  $$@"
	@$(LD) -m $(ULDEMU) -nostdlib -static -z max-page-size=0x1000 -T user/lib/user.ld \
	    $(call PROG_OBJS,$(1)) $(ULIBOBJ) -o $$@
endef
$(foreach p,$(PROGS),$(eval $(call PROG_template,$(p))))
USER_ELFS := $(patsubst %,$(BUILD)/user/%.elf,$(PROGS))

# --- the Linux personality's programs: static, built with mk/$(ARCH).mk's LXCC (docs/linux.md) --
LXCFLAGS := -static -O2 -Wall -Wextra -Werror
$(BUILD)/linux/smoke: linux/smoke/smoke.c
# make bench's Linux rows (linux/bench, systems/lxbench.toml); the fs image's /bin holds it
LINUX_PROGS += $(BUILD)/linux/lxbench
$(BUILD)/linux/lxbench: linux/bench/lxbench.c
# each program is one C file
$(BUILD)/linux/smoke $(BUILD)/linux/lxbench:
	@mkdir -p $(dir $@)
	@echo "  LXCC    $@"
	@$(LXCC) $(LXCFLAGS) $< -o $@
$(BUILD)/linux/segv: linux/smoke/segv.c
	@mkdir -p $(dir $@)
	@echo "  LXCC    $@"
	@$(LXCC) $(LXCFLAGS) $< -o $@
LINUX_PROGS += $(BUILD)/linux/smoke $(BUILD)/linux/segv
# the documentation's promises, one TEST LXDOC-NNN line each (LINUX-DOCTEST, LINUX-DOCTEST-SH)
$(BUILD)/linux/doctest: linux/doctest/doctest.c
	@mkdir -p $(dir $@)
	@echo "  LXCC    $@"
	@$(LXCC) $(LXCFLAGS) $< -o $@
LINUX_PROGS += $(BUILD)/linux/doctest
# attacks on the personality (linux/attack/*.c, each says what it tries and what must happen)
$(BUILD)/linux/attack/%: linux/attack/%.c
	@mkdir -p $(dir $@)
	@echo "  LXCC    $@"
	@$(LXCC) $(LXCFLAGS) $< -o $@
LINUX_PROGS += $(patsubst linux/attack/%.c,$(BUILD)/linux/attack/%,$(wildcard linux/attack/*.c))
# The conformance suite (docs/linux-suite.md): lxsuite runs every area's tests, lxcontain
# the containment tests; both go into the image's /bin. Before the image's rule, whose
# prerequisites take LINUX_PROGS as it is then. "| deps": LXCC is a Debian package's.
LXSUITE_DIR  := linux/suite
LXSUITE_SRC  := $(filter-out $(LXSUITE_DIR)/lxcontain.c,$(wildcard $(LXSUITE_DIR)/*.c))
LXSUITE_BINS := $(BUILD)/linux/suite/lxsuite $(BUILD)/linux/suite/lxcontain
$(BUILD)/linux/suite/lxsuite: $(LXSUITE_SRC) $(LXSUITE_DIR)/t.h Makefile | deps
	@mkdir -p $(dir $@)
	@echo "  CC [lx] $@"
	@$(LXCC) $(LXCFLAGS) $(LXSUITE_SRC) -o $@
$(BUILD)/linux/suite/lxcontain: $(LXSUITE_DIR)/lxcontain.c $(LXSUITE_DIR)/harness.c \
                                $(LXSUITE_DIR)/t.h Makefile | deps
	@mkdir -p $(dir $@)
	@echo "  CC [lx] $@"
	@$(LXCC) $(LXCFLAGS) $(LXSUITE_DIR)/lxcontain.c $(LXSUITE_DIR)/harness.c -o $@
LINUX_PROGS += $(LXSUITE_BINS)
# less those mk/$(ARCH).mk's LINUX_PROGS_SKIP names (not yet written for that architecture)
LINUX_PROGS := $(foreach p,$(LINUX_PROGS),$(if $(filter $(notdir $(p)),$(LINUX_PROGS_SKIP)),,$(p)))
images: $(filter $(LINUX_PROGS),$(LXSUITE_BINS))
all: $(filter $(LINUX_PROGS),$(LXSUITE_BINS))

# --- the Linux personality's root file system (docs/linux-files.md) ----------
# linux/root, busybox as /bin/busybox with a link /bin/<applet> -> busybox for each applet it
# lists, and each file of LINUX_PROGS (static Linux x86_64 programs) as /bin/<its name>; an
# applet of the same name as one of those is left out. The image is linked into the linux
# server (user/linux/fs_image.S includes it): .incbin is not seen by -MMD, hence the line below.
LINUX_PROGS ?=
LINUX_IMG   := $(BUILD)/linux/rootfs.img
# mk/$(ARCH).mk's BUSYBOX_ARCH: the image's busybox is Debian's busybox-static of that
# architecture, fetched with apt-get download and unpacked here (not installed: it is the host's
# /bin/busybox's twin), and its applets are those the host's busybox-static lists, which must
# be of the same Debian version (the same build configuration)
ifneq ($(BUSYBOX_ARCH),)
BUSYBOX_DIR := $(BUILD)/linux/busybox-$(BUSYBOX_ARCH)
BUSYBOX     := $(BUSYBOX_DIR)/bin/busybox
$(BUSYBOX): | deps
	@mkdir -p $(BUSYBOX_DIR)
	@echo "  FETCH   busybox-static:$(BUSYBOX_ARCH)"
	@cd $(BUSYBOX_DIR) && rm -f *.deb && apt-get download -qq busybox-static:$(BUSYBOX_ARCH) && \
	    dpkg-deb --fsys-tarfile busybox-static_*.deb | tar -xm ./bin/busybox
	@v=$$(dpkg-deb -f $(BUSYBOX_DIR)/busybox-static_*.deb Version); \
	    h=$$(dpkg-query -W -f='$${Version}' busybox-static); [ "$$v" = "$$h" ] || \
	    { echo "busybox: $(BUSYBOX_ARCH)'s is $$v, the host's $$h: its applet list would not" \
	      "be the $(BUSYBOX_ARCH) one's (apt-get install busybox-static)" >&2; rm $@; exit 1; }
endif
$(LINUX_IMG): scripts/mklinuxfs.py $(shell find linux/root 2>/dev/null) $(LINUX_PROGS) Makefile \
              $(BUSYBOX)
	@mkdir -p $(dir $@)
	@echo "  MKFS    $@"
	@$(BUSYBOX_LIST) --list > $@.applets || \
	    { echo "mklinuxfs: $(BUSYBOX_LIST) --list failed" >&2; exit 1; }
	@set -f; $(PY) scripts/mklinuxfs.py $@ --root linux/root --dir /tmp:1777 \
	    --file $(BUSYBOX):/bin/busybox:0755 \
	    $$(grep -vxF -e busybox $(foreach p,$(LINUX_PROGS),-e $(notdir $(p))) $@.applets | \
	       sed 's|^|--link busybox:/bin/|') \
	    $(foreach p,$(LINUX_PROGS),--file $(p):/bin/$(notdir $(p)):0755)
$(BUILD)/u/user/linux/fs_image.S.o: $(LINUX_IMG)
$(BUILD)/u/user/linux/fs_image.S.o: UCFLAGS += -DLX_ROOTFS_IMG='"$(LINUX_IMG)"'

# --- host unit tests (sanitizers on) -----------------------------------------
# the host's own architecture's headers, whatever ARCH is: the tests run here (x86_64)
HOST_ARCH := x86_64
HCFLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
           -Wall -Wextra -Werror -Wshadow -Ikernel/include -Ikernel/object \
           -Iinclude/arch/$(HOST_ARCH) -Iinclude -Ilib -Ikernel/arch/$(HOST_ARCH)/include \
           -Iuser/lib/arch/$(HOST_ARCH) -Itests/host -I$(GEN)
HOST_TESTS := $(patsubst tests/host/test_%.c,$(BUILD)/host/test_%,$(wildcard tests/host/test_*.c))
# each test names the hardware-free sources it exercises (and any -I they need) in a "// uses:"
# line; the keyboard service's decoder and the console's line discipline are two of them
# (each depends on all hardware-free sources: simpler than parsing the "uses" lines in make).
# Its -I directories come first, so that a header there stands in for an arch one
# (tests/host/pt/arch_pte.h, the page-table walks' made-up encoding).
USES = $(shell sed -n 's|^// uses: ||p' $(1))
$(BUILD)/host/test_%: tests/host/test_%.c tests/host/check.h $(GEN)/kconfig.h $(SYSGEN) \
                      $(wildcard kernel/core/*.c kernel/include/*.h lib/*.c lib/*.h) \
                      $(wildcard tests/host/*/*.h) \
                      user/kbd/decode.c user/kbd/decode.h user/lib/kbd.h \
                      user/console/input.c user/console/input.h \
                      $(wildcard user/linux/*.c user/linux/*.h user/linux/arch/*/*.[ch])
	@mkdir -p $(dir $@)
	@echo "  CC [h]  $@"
	@$(HOSTCC) $(filter -I%,$(call USES,$<)) $(HCFLAGS) $< $(filter-out -I%,$(call USES,$<)) -o $@

# QEMU's own device trees of its AArch64 virt machine, which tests/host/test_fdt.c reads
# (whatever ARCH): GICv2 (virt's default), GICv3, EL2 (PSCI by SMC), -kernel/-initrd/-append
# (/chosen) and two NUMA nodes (two memory nodes)
FDT_DIR  := $(BUILD)/host/dtb
FDT_QEMU := qemu-system-aarch64 -cpu cortex-a57 -m 512M -display none
FDT_OPTS_gicv2  := -M virt
FDT_OPTS_gicv3  := -M virt,gic-version=3
FDT_OPTS_el2    := -M virt,virtualization=on
FDT_OPTS_chosen := -M virt -kernel $(FDT_DIR)/initrd -initrd $(FDT_DIR)/initrd -append "a b"
FDT_OPTS_numa   := -M virt -smp 2 -object memory-backend-ram,id=m0,size=128M \
                   -object memory-backend-ram,id=m1,size=384M \
                   -numa node,memdev=m0,cpus=0 -numa node,memdev=m1,cpus=1
$(FDT_DIR)/initrd: Makefile
	@mkdir -p $(dir $@)
	@echo "a stand-in for the boot modules, for the device tree's linux,initrd-*" > $@
$(FDT_DIR)/virt-%.dtb: $(FDT_DIR)/initrd Makefile
	@echo "  DTB     $@"
	@out=$$($(FDT_QEMU) $(FDT_OPTS_$*) -machine dumpdtb=$@ 2>&1) || { echo "$$out" >&2; exit 1; }
$(BUILD)/host/test_fdt: $(patsubst %,$(FDT_DIR)/virt-%.dtb,gicv2 gicv3 el2 chosen numa)

# test_bootpack reads back a pack scripts/mkbootpack.py wrote of three files it knows
BOOTPACK_FIXTURE := $(BUILD)/host/bootpack-fixture.pack
$(BOOTPACK_FIXTURE): scripts/mkbootpack.py tests/host/check.h kernel/include/boot.h
	@mkdir -p $(dir $@)
	@$(PY) scripts/mkbootpack.py $@ --max 3 "tests/host/check.h x=1 y=two" kernel/include/boot.h /dev/null
$(BUILD)/host/test_bootpack: $(BOOTPACK_FIXTURE)
$(BUILD)/host/test_bootpack: HCFLAGS += -DBOOTPACK_FIXTURE='"$(abspath $(BOOTPACK_FIXTURE))"' \
                                        -DSRC_ROOT='"$(CURDIR)"'

# --- running -----------------------------------------------------------------
all: deps $(KIMAGE) $(USER_ELFS) $(HOST_TESTS)

# what the QEMU tests boot, without the host tests (make mutate builds those it runs only)
images: deps $(KIMAGE) $(USER_ELFS)

# every user program ARCH builds, without the kernel (make ARCH=aarch64 user-images)
user-images: deps $(USER_ELFS)

# every target that needs a Debian package runs this first (tests/tools/test_deps.py)
deps:
	@scripts/deps.sh

# the suite natively on this host: the reference Coffer's answers are held to (every test
# passes on Linux; those that hold only in Coffer say SKIP). Not part of make test.
linux-suite-host: deps
	@$(MAKE) --no-print-directory $(LXSUITE_BINS)
	cd /tmp && $(abspath $(BUILD))/linux/suite/lxsuite && $(abspath $(BUILD))/linux/suite/lxcontain

# SYSTEM is a name in systems/ or a path to a system file
# (a name in systems/ first: a folder of the same name, such as linux/, is no system file)
SYSFILE = $(if $(wildcard systems/$(SYSTEM).toml),systems/$(SYSTEM).toml,\
            $(if $(wildcard $(SYSTEM)),$(SYSTEM),systems/$(SYSTEM).toml))

# The kernel and the programs SYSFILE runs: what make run boots, and nothing else (no host
# tests, no other program). Its recipe asks the checker for the programs once the kernel (and
# the generated headers) exist; a system file it refuses builds the kernel alone, and the
# runner then says why.
SYSTEM_ELFS = $(patsubst %,$(BUILD)/user/%.elf,$(filter $(PROGS),\
                $(shell $(PY) scripts/mksystem.py $(SYSFILE) /dev/null --programs 2>/dev/null)))
system-images: deps $(KIMAGE)
	@$(MAKE) --no-print-directory $(KIMAGE) $(SYSTEM_ELFS)

# the checker first: a bad system file is refused before anything is built
run: deps
	@$(PY) scripts/mksystem.py $(SYSFILE) /dev/null --build $(BUILD) --programs >/dev/null
	$(MAKE) system-images
	$(PY) scripts/runsystem.py $(SYSFILE) $(BUILD)

# make debug: SYSTEM in QEMU under gdb (scripts/debugsystem.py, docs/debugging.md), built
# without LTO in build/debug so that every kernel function and variable is there to see
DEBUG_BUILD := build/debug
GDBPORT ?= 1234
debug: deps
	$(MAKE) BUILD=$(DEBUG_BUILD) LTO=n system-images
	GDBPORT=$(GDBPORT) $(PY) scripts/debugsystem.py $(SYSFILE) $(DEBUG_BUILD)

# what each container can ever reach, and the capability graph (build/<system>.svg)
authority: deps
	$(PY) scripts/mksystem.py $(SYSFILE) /dev/null --authority

graph: deps
	@mkdir -p $(BUILD)
	$(PY) scripts/mksystem.py $(SYSFILE) $(BUILD)/$(notdir $(basename $(SYSFILE))).sys \
	    --graph $(BUILD)/$(notdir $(basename $(SYSFILE))).svg
	@echo "graph: $(BUILD)/$(notdir $(basename $(SYSFILE))).svg"

# --- tracing: a kernel of its own with CONFIG_TRACE on, whatever .config says ----------
TRACE_BUILD := $(BUILD)/trace
$(TRACE_BUILD)/trace.config: $(CONFIG)
	@mkdir -p $(dir $@)
	@sed -e '/^# CONFIG_TRACE is not set/d' -e '/^CONFIG_TRACE=/d' $< > $@
	@echo CONFIG_TRACE=y >> $@

trace-kernel: deps $(TRACE_BUILD)/trace.config
	@$(MAKE) --no-print-directory $(TRACE_BUILD)/$(notdir $(KIMAGE)) BUILD=$(TRACE_BUILD) \
	    CONFIG=$(TRACE_BUILD)/trace.config

# boot SYSTEM with trace=dump and turn the trace into build/<system>.trace.json
trace: deps
	$(MAKE) images trace-kernel
	$(PY) scripts/trace.py --run $(SYSFILE) $(BUILD)

# T=PATTERN runs only the host test binaries and QEMU tests whose name contains PATTERN.
# ARCH=aarch64 runs the QEMU tests on AArch64 only: the host and tool tests do not depend on
# ARCH and run in the x86_64 pass, so that pass alone builds them
test: deps
	$(MAKE) $(if $(filter x86_64,$(ARCH)),all,images) trace-kernel
	$(PY) scripts/runtests.py $(BUILD) $(if $(T),'$(T)')

# each mutant in tests/mutants.toml, applied to a copy of the tree, must make the suite fail;
# M=PATTERN runs only the mutants whose name contains PATTERN
mutate: deps
	$(PY) scripts/mutate.py $(if $(M),'$(M)')

# images, not all: the bench boots them and needs no host test built (nor buildable for ARCH)
bench: deps
	$(MAKE) images
	$(PY) scripts/bench.py $(BUILD)

# the fuzz system for SECS seconds of guest time with seed SEED; RESTART: ms between restarts
SECS ?= 60
SEED ?= 1
fuzz: deps
	$(MAKE) all
	$(PY) scripts/fuzz.py $(BUILD) $(SECS) $(SEED) $(RESTART)

format: deps
	clang-format -i $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h')

format-check: deps
	clang-format --dry-run --Werror $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h')

# a GRUB image for PCs (BIOS) and QEMU's -cdrom: the kernel and the system's modules
iso: deps images
	$(PY) scripts/mkiso.py $(SYSFILE) $(BUILD)

clean:
	rm -rf $(BUILD)

# one line per target and per variable (tests/tools/test_make_help.py checks none is missing)
help:
	@echo "Targets (SYSTEM=name in systems/ or a path; default: systems/$(DEFAULT_SYSTEM).toml):"
	@echo "  all            kernel, every user program and the host tests (the default goal)"
	@echo "  images         kernel and every user program: what the QEMU tests boot"
	@echo "  system-images  kernel and the programs of SYSTEM only"
	@echo "  user-images    every user program of ARCH, without the kernel (BUILD/user/*.elf)"
	@echo "  run            build and boot SYSTEM in QEMU on this terminal (Ctrl-A X quits)"
	@echo "  debug          boot SYSTEM stopped under gdb, kernel without LTO (docs/debugging.md)"
	@echo "  test           host, tool and QEMU tests; T=PATTERN runs those whose name has it"
	@echo "  mutate         break the kernel on purpose; the tests must fail (M=PATTERN)"
	@echo "  bench          kernel path lengths and boot cost in guest instructions, beside a measured floor"
	@echo "  linux-suite-host  the Linux conformance suite natively on this host (docs/linux-suite.md)"
	@echo "  fuzz           syscall fuzzer on systems/fuzz.toml (SECS= SEED= RESTART=)"
	@echo "  authority      what each container of SYSTEM can ever reach"
	@echo "  graph          SYSTEM's capability graph, as build/<system>.svg"
	@echo "  iso            a BIOS-bootable GRUB image of SYSTEM: build/<system>.iso"
	@echo "  trace          boot SYSTEM with the event trace on: build/<system>.trace.json"
	@echo "  trace-kernel   the kernel make trace boots (CONFIG_TRACE=y): BUILD/trace/kernel.elf"
	@echo "  menuconfig     edit kernel options in .config (needs a terminal)"
	@echo "  olddefconfig   bring CONFIG up to date: defaults for new options, unknown dropped"
	@echo "  savedefconfig  the options of CONFIG that differ from defaults, in BUILD/defconfig"
	@echo "  defconfig      start .config again from DEFCONFIG"
	@echo "  docs           regenerate docs/syscalls.md from kernel/api/syscalls.toml"
	@echo "  format         clang-format every C file; format-check only checks"
	@echo "  format-check   fail if a C file is not clang-formatted"
	@echo "  deps           install the Debian packages the build needs (scripts/deps.sh)"
	@echo "  clean          remove BUILD"
	@echo "  help           this list"
	@echo "Variables:"
	@printf "  %-30s %s\n" "SYSTEM=$(SYSTEM)" "system file for run, debug, trace, iso, authority, graph"
	@printf "  %-30s %s\n" "BUILD=$(BUILD)" "where everything is built"
	@printf "  %-30s %s\n" "CONFIG=$(CONFIG)" "Kconfig file the kernel is built with"
	@printf "  %-30s %s\n" "DEFCONFIG=$(DEFCONFIG)" "what make defconfig copies to CONFIG"
	@printf "  %-30s %s\n" "LTO=$(LTO)" "n: kernel without link-time optimisation (in a BUILD of its own)"
	@printf "  %-30s %s\n" "APPEND=..." "kernel command line for run and debug (ipc=slow, quiet)"
	@printf "  %-30s %s\n" "QEMUFLAGS=..." "more QEMU options for run and debug"
	@printf "  %-30s %s\n" "QEMU=$(QEMU)" "the QEMU program (it may carry options)"
	@printf "  %-30s %s\n" "GDBPORT=$(GDBPORT)" "port of QEMU's gdb stub for make debug"
	@printf "  %-30s %s\n" "T=PATTERN" "make test: only tests whose name contains PATTERN"
	@printf "  %-30s %s\n" "M=PATTERN" "make mutate: only mutants whose name contains PATTERN"
	@printf "  %-30s %s\n" "SECS=$(SECS) SEED=$(SEED) RESTART=ms" "make fuzz: guest seconds, seed, restart period"
	@printf "  %-30s %s\n" "ARCH=$(ARCH)" "target architecture: x86_64 or aarch64 (BUILD then build/aarch64)"
	@printf "  %-30s %s\n" "LINUX_PROGS=..." "more static Linux programs for the Linux image's /bin"

.PHONY: all images system-images deps run debug olddefconfig savedefconfig defconfig authority graph test mutate bench fuzz menuconfig docs format format-check \
        iso clean help trace trace-kernel linux-suite-host user-images
.DEFAULT_GOAL := all
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
