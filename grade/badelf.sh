#!/bin/sh
# badelf.sh SRC DIR — writes malformed copies of the ELF program SRC into DIR, one file
# per way an ELF header can lie, for the bootfs (bad/): lab 6's process manager must
# refuse each (E_INVAL) and go on (user/tests/lab6_proc.c, proc_bad_elf).
#
# The one thing to know: only standard tools (head, dd, od, printf), and offsets from
# the ELF64 layout; SRC must be a program linked by user/lib/user.ld (three PT_LOAD
# program headers: code, constants, data). make runs it when it builds the bootfs.
set -eu
src=$1
dir=$2
mkdir -p "$dir"

# le VALUE BYTES: VALUE's low BYTES bytes, little-endian, as raw bytes on stdout.
le() {
    v=$1 n=$2 out=""
    while [ "$n" -gt 0 ]; do
        out="$out\\$(printf '%03o' $((v & 255)))"
        v=$((v >> 8))
        n=$((n - 1))
    done
    printf "$out"
}

# variant NAME OFFSET VALUE BYTES: SRC with VALUE written at OFFSET.
variant() {
    cp "$src" "$dir/$1"
    le "$3" "$4" | dd of="$dir/$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

phoff=$(od -An -tu8 -j32 -N8 "$src" | tr -d ' ')
[ "$phoff" = 64 ] || { echo "badelf.sh: $src: program headers at $phoff, not 64" >&2; exit 1; }
ph0=64 ph1=120 ph2=176      # the three PT_LOADs, 56 bytes each

head -c 40 "$src" > "$dir/truncated-header"
head -c 100 "$src" > "$dir/truncated-phdrs"
variant class-32 4 1 1
variant big-endian 5 2 1
variant machine-i386 18 3 2
variant type-dyn 16 3 2
variant phentsize 54 32 2
variant no-segments 56 0 2
variant phoff-past-end 32 $((0x7fffffff)) 8
variant entry-outside 24 $((0x10000000)) 8
variant memsz-huge $((ph0 + 40)) $((0x7fffffff0000)) 8
# 0xffff800000400000, the code in the kernel's half (as a negative number: sh's
# arithmetic is signed 64-bit)
variant vaddr-kernel $((ph0 + 16)) $((-0x7fffffc00000)) 8
variant vaddr-utcb $((ph2 + 16)) $((0x7fffe0000000)) 8
variant overlap $((ph1 + 16)) $((0x400000)) 8
variant filesz-past-end $((ph0 + 32)) $((0x100000)) 8
printf 'not an ELF file at all\n' > "$dir/text"
