# minim — one Makefile for the kernel, the grader, the handouts and the docs.
#
#   make run        boot the kernel in QEMU, serial console on this terminal (quit: Ctrl-a x)
#   make check      the kit's self-test (reference, every lab's handout, lint, docs, GRUB)
#   make grade      grade every lab (LAB=n: labs 1..n), results in build/results.json
#   make handout    write a student tree (LAB=n keeps labs < n solved; OUT=dir)
#   make grade-class  grade a class of student trees (CLASS=dir, LAB=n, GRADES=dir)
#   make iso        a GRUB rescue ISO;  make run-iso boots it
#   make run-gdb    boot halted, waiting for gdb;  make gdb attaches to it
#   make docs       the API docs (Doxygen) in build/docs
#   make bench      the IPC and system-call figures, name=value (ACCEL=kvm: real cycles)
#   make fuzz       the concurrent system-call fuzzer (SEED=, CALLS=, SEEDS=), then
#                   the ELF parser and lab 8's ext2 code under libFuzzer
#                   (ELF_FUZZ_TIME=, EXT2_FUZZ_TIME=, seconds)
#   make elf-fuzz   the ELF parser under libFuzzer alone
#   make ext2-fuzz  the file server's ext2 code (user/fs) under libFuzzer alone
#   make mutants    plant the kit's likely student bugs one at a time (grade/mutants/):
#                   the catch rate per lab and the survivors (LAB=n: that lab only)
#   make unit       host-compiled unit tests (mapping database, ELF parser, bootfs reader,
#                   the file server's ext2 code)
#   make deps       install what the kit needs (Debian/Ubuntu), a no-op when all is there
#   make doctor     check the environment and say exactly what is missing
#   make gradescope the Gradescope autograder zip (LAB=n grades labs 1..n)
#
# The one thing to know: everything is built under build/, and the kernel exists twice
# there — build/kernel.elf (ELF64, with symbols: give it to gdb and GRUB) and
# build/kernel32.elf (the same code relabelled ELF32, because QEMU's own -kernel loader
# only accepts 32-bit Multiboot images).

B := build

# --- toolchain -------------------------------------------------------------------
# A cross compiler is used when installed; the host gcc works too, because every flag
# that matters for a kernel is spelled out below. TOOLPREFIX= overrides the guess.
TOOLPREFIX ?= $(shell command -v x86_64-elf-gcc >/dev/null 2>&1 && echo x86_64-elf-)
CC      := $(TOOLPREFIX)gcc
LD      := $(TOOLPREFIX)ld
OBJCOPY := $(TOOLPREFIX)objcopy
OBJDUMP := $(TOOLPREFIX)objdump

WARN := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow \
        -Wpointer-arith -Wvla
# No red zone (interrupts push onto the kernel stack below rsp), the kernel code model
# (we live in the top 2 GiB), no SSE/MMX/x87 (those registers hold the user thread's
# state: the kernel saves it only on a thread switch, not on every trap, see
# arch/x86_64/fpu.c), and no loops turned into calls to memset/memcpy (which would make
# memset call itself).
KERNEL_CFLAGS := -std=c11 -ffreestanding -fno-builtin -nostdlib -fno-stack-protector \
        -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
        -mno-mmx -mno-sse -mno-sse2 -fno-common \
        -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
        -O2 -g $(WARN) -MMD -MP -Ikernel/include -Ikernel
KERNEL_ASFLAGS := -g -Ikernel/include -Ikernel -MMD -MP
KERNEL_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

# --- the kernel ------------------------------------------------------------------
# kernel/test/host holds the host-compiled unit tests (make unit), not kernel code.
KERNEL_SRCS := $(sort $(shell find kernel -path kernel/test/host -prune -o \( -name '*.c' -o -name '*.S' \) -print))
KERNEL_OBJS := $(patsubst %,$(B)/%.o,$(basename $(KERNEL_SRCS)))

.PHONY: all kernel
all: kernel user
kernel: $(B)/kernel.elf $(B)/kernel32.elf $(B)/kernel.asm

# V=1 shows the full commands.
Q := $(if $(V),,@)

$(B)/kernel/%.o: kernel/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(B)/kernel/%.o: kernel/%.S
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(B)/kernel.elf: $(KERNEL_OBJS) kernel/arch/x86_64/kernel.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KERNEL_LDFLAGS) -T kernel/arch/x86_64/kernel.ld -o $@ $(KERNEL_OBJS)

$(B)/kernel32.elf: $(B)/kernel.elf
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# A disassembly with source, for reading beside a register dump (as xv6's kernel.asm).
$(B)/kernel.asm: $(B)/kernel.elf
	$(Q)$(OBJDUMP) -d -S -M att --no-show-raw-insn $< > $@

-include $(KERNEL_OBJS:.o=.d)

# --- user programs ---------------------------------------------------------------
# User code runs in ring 3 and reaches the kernel only by system calls: it includes
# user/lib's headers, the kernel's abi/ and the shared format.h and string.h, nothing
# else of the kernel (grade/test/test_layout.py checks it). user/lib, with format.c and
# string.c compiled again with these flags, is build/user/libminim.a; a program is its
# objects + crt0.o + libminim.a, linked at USER_IMAGE_BASE by user/lib/user.ld.
# -mgeneral-regs-only and no MMX/SSE: no longer needed for safety, since the kernel
# gives each thread its own x87/MMX/SSE state (kernel/arch/x86_64/fpu.c), and safe to
# drop when the libc wants floating point (not AVX: the kernel does not enable XSAVE).
# Until then user/tests/lab3_fpu.c relies on them: the compiler never touches the
# registers its inline asm fills.
USER_CFLAGS := -std=c11 -ffreestanding -fno-builtin -nostdlib -fno-stack-protector \
        -fno-pic -fno-pie -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
        -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -O2 -g $(WARN) \
        -MMD -MP -Iuser/lib -Ikernel/include -Ikernel/test
USER_ASFLAGS := -g -MMD -MP -Iuser/lib -Ikernel/include
USER_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack
AR := $(TOOLPREFIX)ar

# kernel/lib holds only freestanding code that user programs share; kernel/test's
# challenge.c (the seeded challenge of test scenarios) is shared with them too.
USER_SHARED   := $(sort $(wildcard kernel/lib/*.c))
USER_LIB_OBJS := $(patsubst user/%.c,$(B)/user/%.o,$(sort $(wildcard user/lib/*.c))) \
                 $(patsubst kernel/lib/%.c,$(B)/user/shared/%.o,$(USER_SHARED)) \
                 $(B)/user/test/challenge.o
# The kernel starts the root task and sigma0 at crt0.S (main gets the boot-info page);
# the process manager starts a process at crt0_proc.S (main gets argc and argv).
USER_CRT0     := $(B)/user/lib/crt0.o
USER_CRT0_PROC := $(B)/user/lib/crt0_proc.o
# The root task's test program holds the process manager (user/pm), as its threads.
PM_OBJS       := $(patsubst user/%.c,$(B)/user/%.o,$(sort $(wildcard user/pm/*.c)))
UTEST_OBJS    := $(patsubst user/%.c,$(B)/user/%.o,$(sort $(wildcard user/tests/*.c))) \
                 $(PM_OBJS)

# $(call user_program,prog,crt0): build/user/prog.elf from user/prog/*.c and that start
# file (sigma0 with crt0.S; each program of the bootfs below, a process, with
# crt0_proc.S).
define user_program
$(1)_OBJS := $$(patsubst user/%.c,$$(B)/user/%.o,$$(sort $$(wildcard user/$(1)/*.c)))
$$(B)/user/$(1).elf: $(2) $$($(1)_OBJS) $$(B)/user/libminim.a user/lib/user.ld
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(LD) $$(USER_LDFLAGS) -T user/lib/user.ld -o $$@ $(2) $$($(1)_OBJS) \
	    $$(B)/user/libminim.a
-include $$($(1)_OBJS:.o=.d)
endef

.PHONY: user
user: $(B)/user/utest.elf $(B)/user/sigma0.elf $(B)/bootfs.tar

$(B)/user/%.o: user/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/%.o: user/%.S
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(USER_ASFLAGS) -c $< -o $@

# The kernel's freestanding library files, built a second time for user mode.
$(B)/user/shared/%.o: kernel/lib/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (user)")
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/test/challenge.o: kernel/test/challenge.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (user)")
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

# Made afresh: `ar r` into the old archive would keep members whose source is gone.
$(B)/user/libminim.a: $(USER_LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $(USER_LIB_OBJS)

$(B)/user/utest.elf: $(USER_CRT0) $(UTEST_OBJS) $(B)/user/libminim.a user/lib/user.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(USER_LDFLAGS) -T user/lib/user.ld -o $@ $(USER_CRT0) $(UTEST_OBJS) \
	    $(B)/user/libminim.a

$(eval $(call user_program,sigma0,$(USER_CRT0)))

-include $(USER_CRT0:.o=.d) $(USER_CRT0_PROC:.o=.d) $(USER_LIB_OBJS:.o=.d) $(UTEST_OBJS:.o=.d)

# --- the bootfs ------------------------------------------------------------------
# Boot module "bootfs", build/bootfs.tar: a POSIX ustar archive that the kernel copies
# read-only into the root task (USER_BOOTFS) and user/lib/bootfs.c reads. It holds the
# tree build/bootfs/, made afresh each time from user/bootfs/ (files as they are, e.g.
# etc/motd) and bin/<prog> for each program of BOOTFS_PROGRAMS: user/<prog>/*.c linked
# into build/user/<prog>.elf, debug info stripped. A new program is its folder and its
# name added to BOOTFS_PROGRAMS. bad/ holds malformed copies of bin/hello, one per lie an
# ELF header can tell (grade/badelf.sh), which lab 6's process manager must refuse. The
# archive is the same bytes on every machine: names sorted, owner 0, time 0, each mode
# rw-r--r--, or rwxr-xr-x for a folder or a program.
# The programs of the disk (build/disk.img, below): the shell and its commands, which
# the process manager reads through the file server (user/pm/disk.c), not the bootfs.
DISK_PROGRAMS   := sh ls cat echo mkdir rm mv ps sync ipcbench
BOOTFS_PROGRAMS := hello names t6 console t7 blk fs t8
BOOTFS_ELFS     := $(BOOTFS_PROGRAMS:%=$(B)/user/%.elf)
BOOTFS_SOURCES  := $(shell find user/bootfs)
BOOTFS_TAR      := tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner \
                   --mtime=@0 --mode=u=rwX,go=rX
$(foreach prog,$(BOOTFS_PROGRAMS) $(DISK_PROGRAMS),$(eval $(call user_program,$(prog),$(USER_CRT0_PROC))))
# bin/t6-odd: t6 again, its constants and data starting mid-page (user/t6/odd.ld), for
# lab 6's segment loader (proc_segments).
$(B)/user/t6-odd.elf: $(USER_CRT0_PROC) $(t6_OBJS) $(B)/user/libminim.a user/t6/odd.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(USER_LDFLAGS) -T user/t6/odd.ld -o $@ $(USER_CRT0_PROC) $(t6_OBJS) \
	    $(B)/user/libminim.a

# Names in the archive are relative ("bin/hello"): tar runs in the tree, given its
# top-level entries in C-locale order.
$(B)/bootfs.tar: $(BOOTFS_ELFS) $(B)/user/t6-odd.elf $(BOOTFS_SOURCES) grade/badelf.sh
	@$(if $(Q),echo "  TAR     $@")
	$(Q)rm -rf $(B)/bootfs && mkdir -p $(B)/bootfs/bin && cp -R user/bootfs/. $(B)/bootfs/
	$(Q)for prog in $(BOOTFS_PROGRAMS); do \
	    $(OBJCOPY) --strip-debug $(B)/user/$$prog.elf $(B)/bootfs/bin/$$prog || exit 1; \
	done
	$(Q)$(OBJCOPY) --strip-debug $(B)/user/t6-odd.elf $(B)/bootfs/bin/t6-odd
	$(Q)sh grade/badelf.sh $(B)/bootfs/bin/hello $(B)/bootfs/bad
	$(Q)cd $(B)/bootfs && LC_ALL=C $(BOOTFS_TAR) -cf ../bootfs.tar $$(LC_ALL=C ls -A)

# --- the disk --------------------------------------------------------------------
# build/disk.img, the ext2 disk `make run` boots with (lab 8's file server serves it):
# build/rootfs/ is rootfs/ (files as they are: etc/motd, README, tmp/) and bin/<prog>
# for each program of DISK_PROGRAMS, debug info stripped, as the bootfs's. Remade only
# when one of those changes, so what a user writes on it survives other `make run`s;
# `make disk-clean` throws it away. 16 MiB of 1 KiB blocks, revision 1 without the
# features lab 8's server does not read (hashed directories, resize inodes, xattrs).
MKE2FS          ?= $(firstword $(shell command -v mke2fs 2>/dev/null) \
                   $(wildcard /usr/sbin/mke2fs /sbin/mke2fs) mke2fs)
DISK_ELFS       := $(DISK_PROGRAMS:%=$(B)/user/%.elf)
user: $(DISK_ELFS)
ROOTFS_SOURCES  := $(shell find rootfs)

$(B)/disk.img: $(DISK_ELFS) $(ROOTFS_SOURCES)
	@$(if $(Q),echo "  MKE2FS  $@")
	$(Q)rm -rf $(B)/rootfs && mkdir -p $(B)/rootfs/bin && cp -R rootfs/. $(B)/rootfs/
	$(Q)for prog in $(DISK_PROGRAMS); do \
	    $(OBJCOPY) --strip-debug $(B)/user/$$prog.elf $(B)/rootfs/bin/$$prog || exit 1; \
	done
	$(Q)rm -f $@.new && $(MKE2FS) -q -t ext2 -b 1024 -O ^dir_index,^resize_inode,^ext_attr \
	    -E root_owner=0:0 -d $(B)/rootfs -F $@.new 16384 && mv $@.new $@

.PHONY: disk disk-clean
disk: $(B)/disk.img
disk-clean:
	rm -f $(B)/disk.img

# The name server (lab 6) is a program of the bootfs (bin/names, above), which the
# process manager starts; the test program links its server (names.c) too, for the
# scenarios that run it as a thread.
UTEST_OBJS += $(B)/user/names/names.o
$(B)/user/utest.elf: $(B)/user/names/names.o
# --- end of user programs --------------------------------------------------------

# --- host unit tests -------------------------------------------------------------
# Pure code, compiled for this machine and tested there, under ASan and UBSan:
# kernel/test/host/X_test.c tests kernel/X.c, kernel/lib/X.c or user/lib/X.c (the
# bootfs reader: -iquote finds its quoted headers and leaves <stdio.h> the host's),
# and supplies what X.c needs of the kernel. `make unit` builds and runs them all;
# build/host/X_test GROUP... runs some groups alone. Whether the host compiler can
# sanitize is found out once, by building and running an empty program, and kept in
# build/host/sanitize (empty: it cannot). The ELF parser's test reads the real
# programs in build/user, so `make unit` builds them first.
HOSTCC        := gcc
HOST_CFLAGS   := -std=c11 -O1 -g -Wall -Wextra -Werror -Ikernel/include -Ikernel
HOST_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_TESTS    := $(patsubst kernel/test/host/%.c,$(B)/host/%, \
                   $(sort $(wildcard kernel/test/host/*_test.c)))
HOST_HEADERS  := $(wildcard kernel/include/*.h kernel/include/abi/*.h kernel/test/host/*.h) \
                 user/lib/bootfs.h
# The file server's ext2 code (below): its sources, and where its images are made.
EXT2_FUZZ     ?= $(B)/ext2-fuzz
EXT2_SRCS     := $(addprefix user/fs/,cache.c super.c alloc.c inode.c dir.c ops.c)
EXT2_HEADERS  := user/fs/cache.h user/fs/ext2.h user/lib/fs.h kernel/test/host/ext2_harness.h
EXT2_INCLUDES := -idirafter kernel/include -idirafter user/lib -iquote user/fs

.PHONY: unit
unit: $(HOST_TESTS) user $(EXT2_FUZZ)/seeds.stamp
	$(Q)status=0; for t in $(HOST_TESTS); do $$t || status=1; done; exit $$status

$(B)/host/sanitize:
	@mkdir -p $(@D)
	$(Q)echo 'int main(void) { return 0; }' > $@.c; \
	if $(HOSTCC) $(HOST_SANITIZE) $@.c -o $@.probe 2>/dev/null && ./$@.probe; then \
	    echo '$(HOST_SANITIZE)' > $@; \
	else \
	    echo "host unit tests: no ASan/UBSan here, built without them"; : > $@; \
	fi; rm -f $@.c $@.probe

$(B)/host/%_test: kernel/test/host/%_test.c kernel/%.c $(HOST_HEADERS) $(B)/host/sanitize
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $$(cat $(B)/host/sanitize) -o $@ kernel/$*.c $<

$(B)/host/%_test: kernel/test/host/%_test.c kernel/lib/%.c $(HOST_HEADERS) $(B)/host/sanitize
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DUSER_ELF_DIR='"$(B)/user"' $$(cat $(B)/host/sanitize) \
	    -o $@ kernel/lib/$*.c $<

$(B)/host/%_test: kernel/test/host/%_test.c user/lib/%.c $(HOST_HEADERS) $(B)/host/sanitize
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -iquote user/lib $$(cat $(B)/host/sanitize) -o $@ \
	    user/lib/$*.c $<

# Graded host tests (grade/engine/host.py; built by `make kernel user`, as the grader's
# pristine build runs it): a lab's file in a harness that draws from the grader's seed
# (kernel/test/challenge.c) when given a boot's words. printf_test.c runs lab 1's printf
# engine, mapdb_seeded_test.c lab 5's mapping database, under the sanitizers.
GRADED_HOST   := $(B)/host/printf_test $(B)/host/mapdb_seeded_test
kernel: $(GRADED_HOST)
# $(1): the harness's name; $(2): the lab's file it links.
define graded_host
$$(B)/host/$(1): kernel/test/host/$(1).c $(2) kernel/lib/cmdline.c kernel/test/challenge.c \
		kernel/test/challenge.h $$(HOST_HEADERS) $$(B)/host/sanitize
	@$$(if $$(Q),echo "  HOSTCC  $$@")
	$$(Q)$$(HOSTCC) $$(HOST_CFLAGS) $$$$(cat $$(B)/host/sanitize) -o $$@ $(2) \
	    kernel/lib/cmdline.c kernel/test/challenge.c $$<
endef
$(eval $(call graded_host,printf_test,kernel/lib/format.c))
$(eval $(call graded_host,mapdb_seeded_test,kernel/mapdb.c))

# One host test is of user code: malloc_test.c tests user/lib/malloc.c, built with
# -DMALLOC_HOST_TEST so that its malloc, free, calloc and realloc get a prefix and the
# host's C library (and the sanitizers) keep their own (see user/lib/malloc.h).
# -iquote, not -I: user/lib's stdio.h must not hide the host's from host_test.h.
$(B)/host/malloc_test: kernel/test/host/malloc_test.c user/lib/malloc.c user/lib/malloc.h \
		$(HOST_HEADERS) $(B)/host/sanitize
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DMALLOC_HOST_TEST -iquote user/lib \
	    $$(cat $(B)/host/sanitize) -o $@ user/lib/malloc.c $<

# The file server's ext2 code (user/fs: everything but the IPC server, main.c and
# session.c) is pure code over a device of two functions, built for the host
# unchanged. Its includes are the guest's: <string.h> and <stdio.h> must be the
# host's, so kernel/include and user/lib (which have their own) come after the
# host's headers (-idirafter), and -iquote user/fs finds "ext2.h". ext2_test reads
# the images ext2seeds.py writes into $(EXT2_FUZZ) (the fuzzer's seeds and two empty
# file systems) and the inputs kept in kernel/test/host/ext2_cases/.
$(B)/host/ext2_test: kernel/test/host/ext2_test.c kernel/test/host/host_test.h $(EXT2_SRCS) \
		$(EXT2_HEADERS) $(B)/host/sanitize
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) -std=c11 -O1 -g -Wall -Wextra -Werror $(EXT2_INCLUDES) \
	    -DEXT2_DIR='"$(EXT2_FUZZ)"' -DEXT2_CASES='"kernel/test/host/ext2_cases"' \
	    $$(cat $(B)/host/sanitize) -o $@ $(EXT2_SRCS) $<

$(EXT2_FUZZ)/seeds.stamp: grade/ext2seeds.py grade/engine/ext2img.py \
		grade/engine/ext2corrupt.py grade/engine/ext2layout.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) grade/ext2seeds.py $(EXT2_FUZZ) && touch $@
# --- end of host unit tests ------------------------------------------------------

# --- the ELF parser under libFuzzer ----------------------------------------------
# kernel/lib/elf_parse.c, unchanged, in a libFuzzer harness (kernel/test/host/
# elf_parse_fuzz.c) built by clang with ASan and UBSan; it aborts on any crash, any
# undefined behaviour and any accepted plan that breaks elf_parse.h's promises. Seeds:
# the real programs and every malformed file of elf_parse_test, made afresh in
# build/elf-fuzz/seeds; what the fuzzer finds grows build/elf-fuzz/corpus, and a
# crashing input is kept as build/elf-fuzz/crash-*. `make elf-fuzz` runs it for
# ELF_FUZZ_TIME seconds (make fuzz: 60; make check: 5). Debian's clang needs
# libclang-rt-dev for libFuzzer (make deps installs both).
FUZZCC        ?= clang
ELF_FUZZ_TIME ?= 60
ELF_FUZZ      ?= $(B)/elf-fuzz

$(B)/host/elf_parse_fuzz: kernel/test/host/elf_parse_fuzz.c kernel/lib/elf_parse.c $(HOST_HEADERS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)command -v $(FUZZCC) >/dev/null 2>&1 || { echo "elf-fuzz: no $(FUZZCC) here" \
	    "(Debian: apt-get install clang libclang-rt-dev, or make deps)"; exit 1; }
	$(Q)$(FUZZCC) -std=c11 -O1 -g -Wall -Wextra -Werror -Ikernel/include \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ kernel/lib/elf_parse.c $< || { echo "elf-fuzz: $(FUZZCC) cannot build a" \
	    "libFuzzer target (Debian: apt-get install libclang-rt-dev)"; exit 1; }

.PHONY: elf-fuzz
elf-fuzz: $(B)/host/elf_parse_fuzz $(B)/host/elf_parse_test user
	$(Q)rm -rf $(ELF_FUZZ)/seeds && mkdir -p $(ELF_FUZZ)/seeds $(ELF_FUZZ)/corpus
	$(Q)$(B)/host/elf_parse_test --corpus $(ELF_FUZZ)/seeds >$(ELF_FUZZ)/seeds.log || \
	    { cat $(ELF_FUZZ)/seeds.log; exit 1; }
	$(Q)cp $(B)/user/*.elf $(ELF_FUZZ)/seeds/
	@echo "elf-fuzz: $$(ls $(ELF_FUZZ)/seeds | wc -l) seeds, $(ELF_FUZZ_TIME) s"
	$(Q)$(B)/host/elf_parse_fuzz -max_total_time=$(ELF_FUZZ_TIME) -timeout=10 \
	    -max_len=131072 -print_final_stats=1 -artifact_prefix=$(ELF_FUZZ)/ \
	    $(ELF_FUZZ)/corpus $(ELF_FUZZ)/seeds 2>$(ELF_FUZZ)/fuzz.log || \
	    { tail -n 40 $(ELF_FUZZ)/fuzz.log; echo "elf-fuzz: FAILED (input kept in $(ELF_FUZZ)/)"; exit 1; }
	@grep -E 'DONE|Done [0-9]+ runs' $(ELF_FUZZ)/fuzz.log | sed 's/^/elf-fuzz: /'
	@echo "elf-fuzz: no crash, no undefined behaviour, every accepted plan kept its promises"

# --- lab 8's ext2 code under libFuzzer -------------------------------------------
# user/fs's ext2 code, unchanged, in a libFuzzer harness (kernel/test/host/
# ext2_fuzz.c, the session of ext2_harness.h over an input taken as a disk image)
# built by clang with ASan and UBSan; it aborts on any crash, any undefined behaviour
# and any broken rule of the harness (a pin left, E_NOMEM, a read of more than
# asked, a malformed readdir record). Seeds: ext2img.seeds() and the damaged images
# ext2img.corpus() makes of them (grade/ext2seeds.py, in build/ext2-fuzz/seeds);
# what the fuzzer finds grows build/ext2-fuzz/corpus, and a crashing input is kept as
# build/ext2-fuzz/crash-* (or timeout-*: a session that did not end in 10 s).
# `make ext2-fuzz` runs it for EXT2_FUZZ_TIME seconds (make fuzz: 60; make check: 5).
EXT2_FUZZ_TIME ?= 60

$(B)/host/ext2_fuzz: kernel/test/host/ext2_fuzz.c $(EXT2_SRCS) $(EXT2_HEADERS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)command -v $(FUZZCC) >/dev/null 2>&1 || { echo "ext2-fuzz: no $(FUZZCC) here" \
	    "(Debian: apt-get install clang libclang-rt-dev, or make deps)"; exit 1; }
	$(Q)$(FUZZCC) -std=c11 -O1 -g -Wall -Wextra -Werror $(EXT2_INCLUDES) \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ $(EXT2_SRCS) $< || { echo "ext2-fuzz: $(FUZZCC) cannot build a" \
	    "libFuzzer target (Debian: apt-get install libclang-rt-dev)"; exit 1; }

.PHONY: ext2-fuzz
ext2-fuzz: $(B)/host/ext2_fuzz $(EXT2_FUZZ)/seeds.stamp
	$(Q)mkdir -p $(EXT2_FUZZ)/corpus
	@echo "ext2-fuzz: $$(ls $(EXT2_FUZZ)/seeds | wc -l) seeds, $(EXT2_FUZZ_TIME) s"
	$(Q)$(B)/host/ext2_fuzz -max_total_time=$(EXT2_FUZZ_TIME) -timeout=10 \
	    -max_len=1048576 -print_final_stats=1 -artifact_prefix=$(EXT2_FUZZ)/ \
	    $(EXT2_FUZZ)/corpus $(EXT2_FUZZ)/seeds 2>$(EXT2_FUZZ)/fuzz.log || \
	    { tail -n 40 $(EXT2_FUZZ)/fuzz.log; echo "ext2-fuzz: FAILED (input kept in $(EXT2_FUZZ)/)"; exit 1; }
	@grep -E 'DONE|Done [0-9]+ runs' $(EXT2_FUZZ)/fuzz.log | sed 's/^/ext2-fuzz: /'
	@echo "ext2-fuzz: no crash, no undefined behaviour, no pin left, every read and readdir well formed"

# --- running it ------------------------------------------------------------------
# grade/py runs the first Python that can import pexpect: the python3 first on PATH may
# be a pyenv build that cannot see Debian's python3-pexpect. It looks at run time, so a
# `make deps` earlier in the same make run is seen.
PYTHON ?= sh grade/py

QEMU      := qemu-system-x86_64
QEMUMACH  := -machine pc -cpu max -m 128M -smp 1 -no-reboot -nic none \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMUCONS  := -nographic -monitor none -serial mon:stdio -display none
# Deterministic time: one TSC tick per guest instruction (see handouts/lab1.md).
QEMUTIME  := -accel tcg -icount shift=0,align=off,sleep=off
ARGS      ?=
QEMUFLAGS ?=
# Lab 7's devices, as the grader gives them: DISK=file.img attaches a raw image as the
# virtio block device (modern only); COM2=1 adds the second UART (output discarded).
# Without test= (the system up to its shell, lab 8) the disk is build/disk.img unless
# DISK names another.
DISK      ?=
COM2      ?=
comma     := ,
RUN_DISK   = $(or $(DISK),$(if $(findstring test=,$(ARGS)),,$(B)/disk.img))
QEMUDEVS   = $(if $(RUN_DISK),-drive file=$(RUN_DISK)$(comma)if=none$(comma)format=raw$(comma)id=disk0 \
             -device virtio-blk-pci$(comma)drive=disk0$(comma)disable-legacy=on) \
             $(if $(COM2),-serial null)
# Boot modules: 0 is the root task (the test program until later labs bring a real
# one), 1 is sigma0, the first pager (lab 5), then the bootfs (found by its name).
ROOT_TASK ?= $(B)/user/utest.elf
MODULES   ?= $(ROOT_TASK),$(B)/user/sigma0.elf,$(B)/bootfs.tar
# QEMU's status: 1 is the kernel's clean exit (code 0), 0 a quit (Ctrl-a x) or a reset.
QEMUSTATUS = s=$$?; case $$s in 0|1) ;; 3) echo "minim: a kernel check failed";; \
             5) echo "minim: the kernel panicked";; *) echo "minim: QEMU exit status $$s";; esac

.PHONY: run run-iso run-gdb gdb
run: deps-quiet kernel user $(if $(DISK)$(findstring test=,$(ARGS)),,$(B)/disk.img)
	@echo "minim: serial console below; quit QEMU with Ctrl-a x"
	@$(QEMU) $(QEMUMACH) $(QEMUCONS) $(QEMUTIME) $(QEMUFLAGS) $(QEMUDEVS) \
	    -kernel $(B)/kernel32.elf -initrd "$(MODULES)" -append "$(ARGS)"; $(QEMUSTATUS)

run-iso: deps-quiet iso
	@echo "minim: booting through GRUB; quit QEMU with Ctrl-a x"
	@$(QEMU) $(QEMUMACH) $(QEMUCONS) $(QEMUFLAGS) -boot d -cdrom $(B)/minim.iso; $(QEMUSTATUS)

# QEMU stops before the first instruction and waits for gdb on localhost:1234.
# Use two terminals: `make run-gdb` in one, `make gdb` in the other.
run-gdb: deps-quiet kernel user
	@echo "minim: waiting for gdb on :1234 (run 'make gdb' in another terminal)"
	@$(QEMU) $(QEMUMACH) $(QEMUCONS) $(QEMUFLAGS) -S -gdb tcp::1234 \
	    -kernel $(B)/kernel32.elf -initrd "$(MODULES)" -append "$(ARGS)"; $(QEMUSTATUS)

gdb: $(B)/kernel.elf
	gdb -q -x grade/gdbinit $(B)/kernel.elf

# --- GRUB ISO --------------------------------------------------------------------
.PHONY: iso
iso: $(B)/minim.iso
$(B)/minim.iso: $(B)/kernel.elf $(B)/user/utest.elf $(B)/user/sigma0.elf $(B)/bootfs.tar \
               grade/grub.cfg
	@rm -rf $(B)/isodir && mkdir -p $(B)/isodir/boot/grub
	cp $(B)/kernel.elf $(B)/isodir/boot/kernel.elf
	cp $(B)/user/utest.elf $(B)/isodir/boot/utest.elf
	cp $(B)/user/sigma0.elf $(B)/isodir/boot/sigma0.elf
	cp $(B)/bootfs.tar $(B)/isodir/boot/bootfs.tar
	cp grade/grub.cfg $(B)/isodir/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/isodir 2>$(B)/grub-mkrescue.log || \
	    { cat $(B)/grub-mkrescue.log; exit 1; }

# --- grading, handouts, the self-test --------------------------------------------
LAB ?=
OUT ?= $(B)/handout$(if $(LAB),-lab$(LAB))
GRADEFLAGS ?=

.PHONY: grade handout check lint docs
grade: deps-quiet kernel user
	$(PYTHON) grade/grade.py $(if $(LAB),--lab $(LAB)) $(GRADEFLAGS)

# The timing figures as name=value lines on stdout (the comparison table on stderr).
# ACCEL=kvm: real cycles under KVM, median of 3; exits 2 when KVM is unusable.
ACCEL ?=
.PHONY: bench
bench: deps-quiet kernel user
	@$(PYTHON) grade/bench.py $(if $(ACCEL),--accel $(ACCEL))

# The concurrent system-call fuzzer (grade/fuzz.py): SEED= (default random, printed),
# CALLS= per boot (default 1,000,000), SEEDS= boots with consecutive seeds; then the ELF
# parser under libFuzzer for ELF_FUZZ_TIME seconds (make elf-fuzz, above), then lab 8's
# ext2 code for EXT2_FUZZ_TIME seconds (make ext2-fuzz). All three run even if one
# fails; any failing fails make fuzz.
SEED  ?=
CALLS ?= 1000000
SEEDS ?= 1
.PHONY: fuzz
fuzz: deps-quiet kernel user
	@status=0; \
	$(PYTHON) grade/fuzz.py $(if $(SEED),--seed $(SEED)) --calls $(CALLS) --seeds $(SEEDS) \
	    || status=1; \
	$(MAKE) --no-print-directory elf-fuzz ELF_FUZZ_TIME=$(ELF_FUZZ_TIME) || status=1; \
	$(MAKE) --no-print-directory ext2-fuzz EXT2_FUZZ_TIME=$(EXT2_FUZZ_TIME) || status=1; \
	exit $$status

# The planted-bug check (grade/mutate.py): each bug of grade/mutants/labN.py in a copy of
# the tree, built and graded on its lab; it fails if a lab catches fewer than 95 %.
.PHONY: mutants
mutants: deps-quiet kernel user
	@$(PYTHON) grade/mutate.py --min-rate 95 $(if $(LAB),--lab $(LAB))

# Grade a class with the pristine batch grader (grade/batch.py): CLASS=folder of student
# trees (or SUBMISSIONS="trees, .bundle files, git URLs"), LAB=n, GRADES=where the
# gradebook and logs go. Python in isolated mode: nothing in the environment or the
# current folder changes which code grades.
CLASS ?=
SUBMISSIONS ?=
GRADES ?= grades
.PHONY: grade-class
grade-class: deps-quiet
	$(PYTHON) -I grade/batch.py $(if $(CLASS),--class $(CLASS)) $(if $(LAB),--lab $(LAB)) \
	    --out $(GRADES) $(SUBMISSIONS)

.PHONY: gradescope
gradescope:
	$(PYTHON) grade/gradescope.py $(if $(LAB),--lab $(LAB))

handout:
	$(PYTHON) grade/handout.py --out $(OUT) $(if $(LAB),--lab $(LAB)) --force .

check: deps-quiet
	$(PYTHON) grade/check.py

lint:
	$(PYTHON) grade/markers.py lint .

docs:
	@mkdir -p $(B)
	doxygen handouts/Doxyfile

# --- dependencies ----------------------------------------------------------------
.PHONY: deps deps-quiet doctor
doctor:
	@sh grade/doctor.sh
deps:
	@sh grade/deps.sh
deps-quiet:
	@sh grade/deps.sh --quiet

.PHONY: clean
clean:
	rm -rf $(B)
