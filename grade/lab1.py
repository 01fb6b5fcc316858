"""Lab 1's score sheet: boot, the console's printf, and traps.

Each Test is one QEMU boot of the scenario of the same name (kernel/test/lab1_tests.c).
Expectations are regexes matched in order against serial lines; `<<name>>` in a
pattern stands for what an earlier pattern captured as `(?P<name>...)`, so a
register dump must show the very address the kernel printed before the fault.
"""

from engine import Test

HEX16 = r"[0-9a-f]{16}"

TESTS = [
    Test(
        name="boot_banner", lab=1, points=5,
        description="the kernel boots, prints its banner, and reads the Multiboot memory map and modules",
        modules=["grade/grub.cfg first module", "grade/gdbinit"],
        expect=[
            r"^minim \S+ x86_64$",
            r"^boot: loader '[^']+', command line '.*test=boot_banner nonce=",
            r"^mem: (1[0-9]{5}|[2-9][0-9]{4}) KiB usable in [1-9][0-9]* regions, 2 boot modules$",
            r"^boot: module 0 'grade/grub\.cfg first module' at [0-9a-f]+000, [1-9][0-9]* bytes$",
            r"^boot: module 1 'grade/gdbinit' at [0-9a-f]+000, [1-9][0-9]* bytes$",
        ],
    ),
    Test(
        name="printf_formats", lab=1, points=15,
        description="kprintf formats signed, unsigned, hex, widths, padding, pointers",
        expect=[
            r"^fmt d: \[0\] \[42\] \[-42\] \[2147483647\]$",
            r"^fmt u: \[4294967295\] \[18446744073709551615\] \[0\]$",
            r"^fmt ld: \[-9223372036854775808\] \[9223372036854775807\]$",
            r"^fmt x: \[beef\] \[BEEF\] \[123456789abcdef0\] \[0\]$",
            r"^fmt width: \[   42\] \[42   \] \[00042\] \[-0042\] \[12345\]$",
            r"^fmt hexpad: \[00000abc\] \[abc     \] \[00000000000000ff\]$",
            r"^fmt p: \[0xffffffff80100000\] \[0x0000000000000000\]$",
            r"^fmt s: \[minim\] \[     ipc\] \[ipc     \] \[ok\] \[%\]$",
            r"^fmt snprintf: \[-7-ff-truncated\] 20$",
        ],
    ),
    Test(
        name="trap_breakpoint", lab=1, points=15,
        description="int3 reaches its handler, which can change registers, and the code resumes",
        expect=[
            r"^breakpoint: handler ran, vector 3$",
            r"^breakpoint: resumed, rax=600dcafe, hits=1$",
        ],
    ),
    Test(
        name="trap_stray_interrupt", lab=1, points=5,
        description="an interrupt vector with no handler is reported, and the kernel goes on",
        expect=[
            r"^trap: spurious interrupt, vector 65$",
            r"^trap: resumed after a stray interrupt$",
        ],
    ),
    Test(
        name="trap_invalid_opcode", lab=1, points=10, exit="panic",
        description="ud2 in the kernel: #UD is reported with the faulting rip, then a panic",
        expect=[
            rf"^trap: executing ud2 at (?P<rip>{HEX16})$",
            r"^EXCEPTION: #UD invalid opcode \(vector 6, error 0x0\)$",
            r"^  rip=<<rip>> cs=0008 ",
            r"^PANIC: unhandled exception in kernel mode$",
        ],
    ),
    Test(
        name="trap_divide_error", lab=1, points=10, exit="panic",
        description="a division by zero: #DE is reported with the registers at the fault",
        expect=[
            rf"^trap: dividing by zero at (?P<rip>{HEX16})$",
            r"^EXCEPTION: #DE divide error \(vector 0, error 0x0\)$",
            r"^  rip=<<rip>> cs=0008 ",
            r"^  rax=0000000000000001 rbx=[0-9a-f]{16} rcx=0000000000000000$",
            r"^PANIC: unhandled exception in kernel mode$",
        ],
    ),
    Test(
        name="trap_page_fault", lab=1, points=10, exit="panic",
        description="a write to an unmapped address: #PF with its error code and cr2",
        expect=[
            r"^trap: writing to ffffc00000000123$",
            r"^EXCEPTION: #PF page fault \(vector 14, error 0x2\)$",
            r"^  cr2=ffffc00000000123 ",
            r"^  page fault: write to a not-present page in kernel mode$",
            r"^PANIC: unhandled exception in kernel mode$",
        ],
    ),
    Test(
        name="trap_double_fault", lab=1, points=5, exit="panic",
        description="a fault with no usable stack: #DF is still reported, on its own IST stack",
        expect=[
            r"^trap: switching to an unmapped stack at ffffc00000000100$",
            r"^EXCEPTION: #DF double fault \(vector 8, error 0x0\)$",
            r"^  rsp=ffffc00000000100 ss=0010$",
            r"^PANIC: unhandled exception in kernel mode$",
        ],
    ),
    Test(
        name="trap_fixup", lab=1, points=10,
        description="a fault at a probe instruction resumes at its fixup instead of panicking",
        expect=[
            r"^probe: mapped read ok, value 5eed$",
            r"^probe: unmapped read faulted and was fixed up$",
            r"^probe: unmapped write faulted and was fixed up$",
        ],
        forbid=[r"^EXCEPTION:"],
    ),
]

# Trap entry hardening (kernel/test/lab1_entry_tests.c).
TESTS += [
    Test(
        name="trap_fixup_vectors", lab=1, points=5,
        description="only a page fault is fixed up: an NMI, #DB, #GP or #MC at a probe reaches its handler",
        expect=[
            r"^fixup: (?P<n>[1-9][0-9]*) instructions listed$",
            r"^fixup: #DB debug at each: handler ran <<n>> times, rip kept <<n>> times$",
            r"^fixup: NMI at each: handler ran <<n>> times, rip kept <<n>> times$",
            r"^fixup: #GP general protection at each: handler ran <<n>> times, rip kept <<n>> times$",
            r"^fixup: #MC machine check at each: handler ran <<n>> times, rip kept <<n>> times$",
            r"^fixup: #PF page fault at each: resumed at its fixup <<n>> times$",
        ],
        forbid=[r"^EXCEPTION:"],
    ),
    Test(
        name="trap_ist_stacks", lab=1, points=5,
        description="#DB, NMI, #DF and #MC each switch to an IST stack of their own",
        expect=[
            r"^ist: vectors 1, 2, 8, 18: 4 distinct IST slots, 4 distinct usable stacks$",
        ],
    ),
]
