"""Lab 1's planted bugs: what students write in format_number(), idt_set_gate() and
trap_dispatch() when they get it almost right.

Each must fail a lab-1 test (grade/mutate.py); the text it replaces must occur exactly
once in its file, so a change to the reference that moves it makes the set stale, loudly.
Two only a host test can see (a digit buffer overrun that leaves the boot's output as
it was): kernel/test/host/format_test.c runs format_number() under AddressSanitizer.
"""

from mutate import Mutant

FORMAT = "kernel/lib/format.c"
IDT = "kernel/arch/x86_64/idt.c"
TRAP = "kernel/arch/x86_64/trap.c"

_FIXUP = ("\tif (tf->vector == T_PAGE_FAULT && !trap_from_user(tf)) {\n"
          "\t\tuint64_t fixup = fixup_lookup(tf->rip);\n\t\tif (fixup) {\n"
          "\t\t\ttf->rip = fixup;\n\t\t\treturn;\n\t\t}\n\t}\n")
_HANDLER = ("\ttrap_handler_fn *handler = handlers[tf->vector];\n\tif (handler) {\n"
            "\t\thandler(tf);\n\t\treturn;\n\t}\n")
FIXUP_THEN_HANDLER, HANDLER_THEN_FIXUP = _FIXUP + _HANDLER, _HANDLER + _FIXUP

MUTANTS = [
    # format_number(): the flags, the sign, the digits.
    Mutant("fmt_zero_pads_left_aligned", FORMAT,
           "if (!spec->left && spec->zero)\n\t\tsink_pad(s, '0', pad);",
           "if (spec->zero)\n\t\tsink_pad(s, '0', pad);",
           "%-05d pads with zeros before the digits and spaces after"),
    Mutant("fmt_left_pads_with_zeros", FORMAT,
           "if (spec->left)\n\t\tsink_pad(s, ' ', pad);\n\t/* LAB 1 STUB",
           "if (spec->left)\n\t\tsink_pad(s, spec->zero ? '0' : ' ', pad);\n\t/* LAB 1 STUB",
           "%-05d pads with zeros on the right"),
    Mutant("fmt_left_ignored_for_spaces", FORMAT,
           "if (!spec->left && !spec->zero)\n\t\tsink_pad(s, ' ', pad);",
           "if (!spec->zero)\n\t\tsink_pad(s, ' ', pad);",
           "%-5d pads on both sides"),
    Mutant("fmt_zero_flag_wins", FORMAT,
           "if (spec->left)\n\t\tsink_pad(s, ' ', pad);\n\t/* LAB 1 STUB",
           "if (spec->left && !spec->zero)\n\t\tsink_pad(s, ' ', pad);\n\t/* LAB 1 STUB",
           "%-05d is not padded at all"),
    Mutant("fmt_sign_after_zeros", FORMAT,
           "if (negative)\n\t\tsink_putc(s, '-');\n\tif (!spec->left && spec->zero)\n"
           "\t\tsink_pad(s, '0', pad);",
           "if (!spec->left && spec->zero)\n\t\tsink_pad(s, '0', pad);\n\tif (negative)\n"
           "\t\tsink_putc(s, '-');",
           "prints -42 in %05d as 00-42"),
    Mutant("fmt_sign_before_spaces", FORMAT,
           "if (!spec->left && !spec->zero)\n\t\tsink_pad(s, ' ', pad);\n\tif (negative)\n"
           "\t\tsink_putc(s, '-');",
           "if (negative)\n\t\tsink_putc(s, '-');\n\tif (!spec->left && !spec->zero)\n"
           "\t\tsink_pad(s, ' ', pad);",
           "prints -42 in %5d as -  42"),
    Mutant("fmt_width_ignores_sign", FORMAT,
           "int len = n + (negative ? 1 : 0);", "int len = n;",
           "counts the digits but not the sign against the width"),
    Mutant("fmt_zero_prints_nothing", FORMAT,
           "do {\n\t\ttmp[n++] = digits[value % spec->base];\n\t\tvalue /= spec->base;\n"
           "\t} while (value != 0);",
           "while (value != 0) {\n\t\ttmp[n++] = digits[value % spec->base];\n"
           "\t\tvalue /= spec->base;\n\t}",
           "prints nothing for 0"),
    Mutant("fmt_upper_ignored", FORMAT,
           'spec->upper ? "0123456789ABCDEF" : "0123456789abcdef"',
           '"0123456789abcdef"; (void)spec->upper',
           "prints %X in lowercase"),
    Mutant("fmt_buffer_for_hex_only", FORMAT,
           "char tmp[24];", "char tmp[16];",
           "a digit buffer for 16 hex digits: UINT64_MAX in decimal has 20"),
    Mutant("fmt_buffer_one_short", FORMAT,
           "char tmp[24];", "char tmp[19];",
           "a digit buffer one short of UINT64_MAX's 20 decimal digits"),
    # idt_set_gate(): the gate's attributes.
    Mutant("idt_dpl_dropped", IDT,
           "0x80 | ((dpl & 3) << 5) | (type & 0xf)", "0x80 | (type & 0xf); (void)dpl",
           "every gate DPL 0: user code cannot int3"),
    Mutant("idt_dpl_always_user", IDT,
           "0x80 | ((dpl & 3) << 5) | (type & 0xf)", "0x80 | (3 << 5) | (type & 0xf); (void)dpl",
           "every gate DPL 3: user code can int into any vector"),
    Mutant("idt_trap_gate", IDT,
           "0x80 | ((dpl & 3) << 5) | (type & 0xf)",
           "0x80 | ((dpl & 3) << 5) | GATE_TRAP; (void)type",
           "trap gates: interrupts stay on inside a handler"),
    Mutant("idt_no_ist", IDT, "gate->ist = ist & 0x7;", "gate->ist = 0; (void)ist;",
           "no gate switches to its IST stack"),
    Mutant("idt_offset_high_shift", IDT, "gate->offset_high = handler >> 32;",
           "gate->offset_high = handler >> 48;", "bits 32-63 of the handler shifted wrong"),
    # trap_dispatch(): which vectors a fixup takes, the order, the bounds.
    Mutant("trap_fixup_any_vector", TRAP,
           "if (tf->vector == T_PAGE_FAULT && !trap_from_user(tf)) {",
           "if (!trap_from_user(tf)) {",
           "fixes up every kernel exception at a probe, not only #PF"),
    Mutant("trap_fixup_not_present_only", TRAP,
           "if (tf->vector == T_PAGE_FAULT && !trap_from_user(tf)) {",
           "if (tf->vector == T_PAGE_FAULT && !(tf->error & PF_PRESENT) &&\n"
           "\t    !trap_from_user(tf)) {",
           "fixes up a probe's not-present faults, not its protection faults"),
    Mutant("trap_handler_before_fixup", TRAP,
           FIXUP_THEN_HANDLER, HANDLER_THEN_FIXUP,
           "runs a #PF handler before looking for a fixup"),
    Mutant("trap_exception_bound", TRAP,
           "if (tf->vector < T_EXCEPTIONS) {", "if (tf->vector <= T_EXCEPTIONS) {",
           "treats vector 32 as an exception: it panics"),
    Mutant("trap_handler_falls_through", TRAP,
           "handler(tf);\n\t\treturn;", "handler(tf);",
           "a handled exception still panics"),
]
