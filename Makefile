# SPDX-License-Identifier: BSD-2-Clause
# Coffer: one Makefile for the kernel, user programs, host tests and QEMU runs.
#   make run [SYSTEM=name]  build and boot a system in QEMU (Ctrl-A X quits)
#   make authority / graph  what each container of SYSTEM can reach; its capability graph
#   make test [T=PATTERN]   host unit tests + in-QEMU test systems; last line "N passed, N failed"
#   make mutate [M=PATTERN] break the kernel on purpose (tests/mutants.toml): the tests must fail
#   make bench              kernel path lengths under -icount, beside the limit probe's floor
#   make fuzz [SECS= SEED=] the syscall fuzzer (systems/fuzz.toml) for SECS s of guest time
#   make menuconfig         edit kernel options (.config)
#   make format / format-check, make docs, make clean

ARCH    ?= x86_64
BUILD   ?= build
SYSTEM  ?= default
PY      := /usr/bin/python3
CC      := gcc
LD      := ld
OBJCOPY := objcopy
QEMU    ?= qemu-system-x86_64
GEN     := $(BUILD)/gen

WARN := -Wall -Wextra -Werror -Wshadow -Wcast-align -Wwrite-strings -Wstrict-prototypes \
        -Wmissing-prototypes
# Freestanding code for ring 0 and ring 3 alike: no SSE/x87 state is saved yet.
FREE := -std=c11 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -O2 -g \
        -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
        -mgeneral-regs-only -mno-red-zone $(WARN)
KCFLAGS := $(FREE) -flto -mcmodel=kernel -Ikernel/arch/$(ARCH)/include -Ikernel/include \
           -Ikernel/object -Iinclude -Ilib -I$(GEN) -MMD -MP
UCFLAGS := $(FREE) -Iuser/lib -Iinclude -Ilib -I$(GEN) -MMD -MP

# --- configuration -----------------------------------------------------------
# CONFIG names the Kconfig file to build with (make test also builds configs/release)
CONFIG ?= .config

.config:
	cp configs/defconfig $@

$(GEN)/kconfig.h: $(CONFIG) Kconfig
	@mkdir -p $(GEN)
	KCONFIG_CONFIG=$(CONFIG) $(PY) -m genconfig --header-path $@ Kconfig

menuconfig: deps .config
	KCONFIG_CONFIG=.config $(PY) -m menuconfig Kconfig

# --- generated syscall interface ---------------------------------------------
SYSGEN := $(GEN)/sys_dispatch.c $(GEN)/sys_handlers.h $(GEN)/coffer/l4_stubs.h \
          $(GEN)/coffer/syscall_nr.h
$(SYSGEN) &: kernel/api/syscalls.toml scripts/gensyscalls.py
	$(PY) scripts/gensyscalls.py $< $(GEN) $(BUILD)/syscalls.md

docs: $(SYSGEN)
	cp $(BUILD)/syscalls.md docs/syscalls.md

# --- kernel ------------------------------------------------------------------
KSRC := $(wildcard kernel/core/*.c kernel/api/*.c kernel/object/*.c kernel/arch/$(ARCH)/*.c \
                   kernel/arch/$(ARCH)/*.S) lib/fmt.c lib/string.c
KOBJ := $(patsubst %,$(BUILD)/k/%.o,$(KSRC)) $(BUILD)/k/gen/sys_dispatch.c.o

$(BUILD)/k/%.c.o: %.c $(GEN)/kconfig.h $(SYSGEN) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/k/%.S.o: %.S $(GEN)/kconfig.h Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/k/gen/sys_dispatch.c.o: $(GEN)/sys_dispatch.c $(GEN)/kconfig.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

# Link as ELF64, then rewrap as ELF32: QEMU's multiboot loader refuses ELF64.
$(BUILD)/kernel.elf: $(KOBJ) kernel/arch/$(ARCH)/kernel.ld
	@echo "  LD      $@"
	@$(CC) $(KCFLAGS) -nostdlib -no-pie -Wl,-z,max-page-size=0x1000,--no-warn-rwx-segments \
	    -Wl,--build-id=none -T kernel/arch/$(ARCH)/kernel.ld $(KOBJ) -o $(BUILD)/kernel64.elf
	@$(OBJCOPY) -O elf32-i386 $(BUILD)/kernel64.elf $@

# --- user programs: user/<prog>/*.c and *.S + libl4 --------------------------
PROGS := $(notdir $(patsubst %/,%,$(filter-out user/lib/,$(wildcard user/*/))))
ULIB  := $(wildcard user/lib/*.S user/lib/*.c) lib/fmt.c lib/string.c
ULIBOBJ := $(patsubst %,$(BUILD)/u/%.o,$(ULIB))

$(BUILD)/u/%.c.o: %.c $(SYSGEN)
	@mkdir -p $(dir $@)
	@echo "  CC [u]  $<"
	@$(CC) $(UCFLAGS) -c $< -o $@
$(BUILD)/u/%.S.o: %.S $(SYSGEN)
	@mkdir -p $(dir $@)
	@echo "  CC [u]  $<"
	@$(CC) $(UCFLAGS) -c $< -o $@

PROG_OBJS = $(patsubst %,$(BUILD)/u/%.o,$(wildcard user/$(1)/*.c user/$(1)/*.S))
define PROG_template
$(BUILD)/user/$(1).elf: $(call PROG_OBJS,$(1)) $(ULIBOBJ) user/lib/user.ld
	@mkdir -p $$(dir $$@)
	@echo "  LD [u]  $$@"
	@$(LD) -m elf_x86_64 -nostdlib -static -z max-page-size=0x1000 -T user/lib/user.ld \
	    $(call PROG_OBJS,$(1)) $(ULIBOBJ) -o $$@
endef
$(foreach p,$(PROGS),$(eval $(call PROG_template,$(p))))
USER_ELFS := $(patsubst %,$(BUILD)/user/%.elf,$(PROGS))

# --- host unit tests (sanitizers on) -----------------------------------------
HCFLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
           -Wall -Wextra -Werror -Wshadow -Ikernel/include -Ikernel/object -Iinclude -Ilib \
           -Ikernel/arch/$(ARCH)/include \
           -Itests/host -I$(GEN)
HOST_TESTS := $(patsubst tests/host/test_%.c,$(BUILD)/host/test_%,$(wildcard tests/host/test_*.c))
# each test names the hardware-free kernel sources it exercises in a "// uses:" line
# (each depends on all hardware-free sources: simpler than parsing the "uses" lines in make)
$(BUILD)/host/test_%: tests/host/test_%.c tests/host/check.h $(GEN)/kconfig.h $(SYSGEN) \
                      $(wildcard kernel/core/*.c kernel/include/*.h lib/*.c lib/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC [h]  $@"
	@$(CC) $(HCFLAGS) $< $(shell sed -n 's|^// uses: ||p' $<) -o $@

# --- running -----------------------------------------------------------------
all: $(BUILD)/kernel.elf $(USER_ELFS) $(HOST_TESTS)

# what the QEMU tests boot, without the host tests (make mutate builds those it runs only)
images: $(BUILD)/kernel.elf $(USER_ELFS)

deps:
	@scripts/deps.sh

# SYSTEM is a name in systems/ or a path to a system file
SYSFILE = $(if $(wildcard $(SYSTEM)),$(SYSTEM),systems/$(SYSTEM).toml)

# the checker first: a bad system file is refused before anything is built
run: deps
	@$(PY) scripts/mksystem.py $(SYSFILE) /dev/null --build $(BUILD) --programs >/dev/null
	$(MAKE) all
	$(PY) scripts/runsystem.py $(SYSFILE) $(BUILD)

# what each container can ever reach, and the capability graph (build/<system>.svg)
authority:
	$(PY) scripts/mksystem.py $(SYSFILE) /dev/null --authority

graph: deps
	@mkdir -p $(BUILD)
	$(PY) scripts/mksystem.py $(SYSFILE) $(BUILD)/$(notdir $(basename $(SYSFILE))).sys \
	    --graph $(BUILD)/$(notdir $(basename $(SYSFILE))).svg
	@echo "graph: $(BUILD)/$(notdir $(basename $(SYSFILE))).svg"

# T=PATTERN runs only the host test binaries and QEMU tests whose name contains PATTERN
test: deps
	$(MAKE) all
	$(PY) scripts/runtests.py $(BUILD) $(if $(T),'$(T)')

# each mutant in tests/mutants.toml, applied to a copy of the tree, must make the suite fail;
# M=PATTERN runs only the mutants whose name contains PATTERN
mutate: deps
	$(PY) scripts/mutate.py $(if $(M),'$(M)')

bench: deps
	$(MAKE) all
	$(PY) scripts/bench.py $(BUILD)

# the fuzz system for SECS seconds of guest time with seed SEED; RESTART: ms between restarts
SECS ?= 60
SEED ?= 1
fuzz: deps
	$(MAKE) all
	$(PY) scripts/fuzz.py $(BUILD) $(SECS) $(SEED) $(RESTART)

format:
	clang-format -i $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h')

clean:
	rm -rf $(BUILD)

.PHONY: all images deps run authority graph test mutate bench fuzz menuconfig docs format format-check \
        clean
.DEFAULT_GOAL := all
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
