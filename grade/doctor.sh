#!/bin/sh
# `make doctor`: checks what the kit needs and says exactly what is missing or too old.
#
# Read-only: it installs nothing (`make deps` does). Exit 0 when everything needed to
# build, run and grade is there; 1 otherwise. Optional tools (GRUB, Doxygen, gdb,
# clang) are reported but do not fail it.
bad=0
ok()   { printf '  ok       %s\n' "$1"; }
miss() { printf '  MISSING  %s: %s\n' "$1" "$2"; bad=1; }
opt()  { printf '  optional %s: %s\n' "$1" "$2"; }

echo "doctor: what minim needs"
prefix=""
command -v x86_64-elf-gcc >/dev/null 2>&1 && prefix=x86_64-elf-
if command -v "${prefix}gcc" >/dev/null 2>&1; then
    ok "compiler: $(${prefix}gcc --version | head -n 1)"
else
    miss "compiler" "no gcc or x86_64-elf-gcc (Debian: apt-get install gcc; macOS: brew install x86_64-elf-gcc)"
fi
for tool in ld objcopy objdump ar; do
    command -v "${prefix}$tool" >/dev/null 2>&1 || miss "${prefix}$tool" "binutils (macOS: brew install x86_64-elf-binutils)"
done
command -v make >/dev/null 2>&1 && ok "make" || miss "make" "apt-get install make"
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    version=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p' | head -n 1)
    if [ -n "$version" ] && [ "$version" -ge 7 ]; then
        ok "QEMU $(qemu-system-x86_64 --version | head -n 1 | sed 's/.*version //')"
    else
        miss "QEMU" "version 7 or later needed, found '$(qemu-system-x86_64 --version | head -n 1)'"
    fi
else
    miss "QEMU" "no qemu-system-x86_64 (Debian: qemu-system-x86; macOS: brew install qemu)"
fi
if python=$(sh "$(dirname "$0")/py" -c 'import sys; print(sys.executable)' 2>/dev/null); then
    ok "Python with pexpect: $python"
else
    miss "pexpect" "no Python 3 that can import pexpect (Debian: python3-pexpect; elsewhere: python3 -m pip install pexpect)"
fi
command -v grub-mkrescue >/dev/null 2>&1 && [ -d /usr/lib/grub/i386-pc ] && ok "GRUB (make iso)" \
    || opt "GRUB" "grub-common and grub-pc-bin, only for make iso and make check"
command -v xorriso >/dev/null 2>&1 || opt "xorriso" "only for make iso"
# Lab 8's grader builds images with mke2fs -d (e2fsprogs 1.43 or later) and reads them
# back with e2fsck, debugfs and dumpe2fs, from /usr/sbin (or Homebrew's) if not on PATH.
E2FSPROGS_PATH=/usr/sbin:/sbin:/opt/homebrew/opt/e2fsprogs/sbin:/usr/local/opt/e2fsprogs/sbin
e2missing=""
for tool in mke2fs e2fsck debugfs dumpe2fs; do
    PATH="$PATH:$E2FSPROGS_PATH" command -v $tool >/dev/null 2>&1 || e2missing="$e2missing $tool"
done
if [ -n "$e2missing" ]; then
    miss "e2fsprogs" "no$e2missing (Debian: apt-get install e2fsprogs; macOS: brew install e2fsprogs)"
else
    e2version=$(PATH="$PATH:$E2FSPROGS_PATH" mke2fs -V 2>&1 | sed -n 's/^mke2fs \([0-9][0-9.]*\).*/\1/p')
    e2major=${e2version%%.*}; e2minor=${e2version#*.}; e2minor=${e2minor%%.*}
    if [ -n "$e2major" ] && { [ "$e2major" -gt 1 ] || [ "${e2minor:-0}" -ge 43 ]; }; then
        ok "e2fsprogs $e2version"
    else
        miss "e2fsprogs" "version 1.43 or later needed (mke2fs -d), found '${e2version:-unknown}'"
    fi
fi
command -v doxygen >/dev/null 2>&1 || opt "doxygen" "only for make docs"
command -v gdb >/dev/null 2>&1 || opt "gdb" "only for make gdb"
fuzzer_dir=$(clang -print-runtime-dir 2>/dev/null)
if [ -n "$fuzzer_dir" ] && [ -f "$fuzzer_dir/libclang_rt.fuzzer-x86_64.a" ]; then
    ok "clang with libFuzzer (make elf-fuzz, make ext2-fuzz)"
else
    opt "clang" "clang and libclang-rt-dev (libFuzzer), only for make elf-fuzz, make ext2-fuzz, make fuzz and make check"
fi
if [ -e /dev/kvm ]; then opt "KVM" "/dev/kvm exists (make bench ACCEL=kvm); nothing needs it"; fi
if [ $bad = 0 ]; then echo "doctor: ready"; else echo "doctor: fix the MISSING lines (make deps installs them on Debian/Ubuntu)"; fi
exit $bad
