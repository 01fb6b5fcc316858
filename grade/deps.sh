#!/bin/sh
# Installs what the kit needs, or says exactly what is missing.
#
# Fast when everything is there (only `command -v` checks), so `make run`, `make grade`
# and `make check` call it every time. On Debian/Ubuntu it installs the missing packages
# with apt-get (as root, or through sudo); elsewhere it prints what to install and fails.
# --quiet prints nothing when nothing is missing.
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

missing=""
need() {  # need PACKAGE TEST-COMMAND...: PACKAGE is missing when the test fails
    pkg=$1; shift
    "$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
# e2fsprogs' tools live in /sbin or /usr/sbin, on no user's PATH on Debian: look there
# too (as grade/engine/ext2img.py does), or a user's every make would reinstall them;
# Homebrew's e2fsprogs is keg-only, in its own sbin.
E2FSPROGS_PATH=/usr/sbin:/sbin:/opt/homebrew/opt/e2fsprogs/sbin:/usr/local/opt/e2fsprogs/sbin
has_e2fsprogs() {
    for tool in mke2fs e2fsck debugfs dumpe2fs; do
        PATH="$PATH:$E2FSPROGS_PATH" command -v $tool >/dev/null 2>&1 || return 1
    done
}
has_pexpect() {
    for p in python3 /usr/bin/python3; do
        "$p" -c 'import pexpect' >/dev/null 2>&1 && return 0
    done
    return 1
}

need qemu-system-x86 command -v qemu-system-x86_64
need grub-pc-bin     test -d /usr/lib/grub/i386-pc
need grub-common     command -v grub-mkrescue
need xorriso         command -v xorriso
need mtools          command -v mformat
need python3-pexpect has_pexpect
need e2fsprogs       has_e2fsprogs   # lab 8's grader: mke2fs -d, e2fsck, debugfs, dumpe2fs
need doxygen         command -v doxygen
need gdb             command -v gdb
need cloc            command -v cloc     # make check: the kernel's size (test_layout.py)
need clang           command -v clang        # make elf-fuzz, make ext2-fuzz, make fuzz, make check
# libFuzzer's runtime: on Debian 12 a package of its own that clang only recommends
# (and this script installs no recommends); on older releases inside clang's own.
has_libfuzzer() {
    dir=$(clang -print-runtime-dir 2>/dev/null) && [ -f "$dir/libclang_rt.fuzzer-x86_64.a" ]
}
if ! has_libfuzzer && apt-cache show libclang-rt-dev >/dev/null 2>&1; then
    missing="$missing libclang-rt-dev"
fi

if [ -z "$missing" ]; then
    [ $quiet = 1 ] || echo "deps: everything the kit needs is installed"
    exit 0
fi

echo "deps: missing:$missing"
if [ "$(uname -s)" = Darwin ]; then
    # macOS: Homebrew's QEMU and the x86_64-elf cross tools (the Makefile uses the
    # x86_64-elf- prefix when it finds x86_64-elf-gcc); GRUB, mtools and xorriso are
    # only for `make iso`, Doxygen for `make docs`, LLVM's clang (Apple's has no
    # libFuzzer) for `make elf-fuzz`: FUZZCC=$(brew --prefix llvm)/bin/clang.
    echo "deps: on macOS run:" >&2
    echo "  brew install qemu x86_64-elf-gcc x86_64-elf-binutils python e2fsprogs doxygen llvm cloc" >&2
    echo "  python3 -m pip install --user pexpect" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: not a Debian/Ubuntu system; install the equivalents of:$missing" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "deps: run as root: apt-get install$missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || exit 1
# shellcheck disable=SC2086 # the package list is meant to split
$sudo apt-get install -y -qq --no-install-recommends $missing || exit 1
echo "deps: installed:$missing"
