"""The tree's layout rules: what user code may include, and how long a file may be.

What a reader must know: an #include is judged by where the compiler would find it
with the user flags (-Iuser/lib -Ikernel/include -Ikernel/test): a header under user/
is always fine; of the kernel's, only abi/... and the headers of kernel/lib's shared
code (format.h, string.h, cmdline.h, elf_parse.h: one per kernel/lib/*.c) and of the
test support it shares (kernel/test/challenge.h, error_names.h);
and the compiler's own freestanding headers. Nothing else: not the kernel's internals
(kprintf.h, frame.h, arch/...), not the host's C library. The shared code itself is
held to the same rule: kernel/lib/*.c is compiled into every user program, and a user
file that includes a shared header includes whatever that header does.
"""

import json
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 700  # STYLE.md: files readable in one sitting, none over 700 lines
# The kernel proper — kernel/ without its tests (kernel/test/) — in code lines as cloc
# counts them (no blanks, no comments): the kit's promise of a small kernel.
KERNEL_CODE_LINES_MAX = 5000
# kernel/lib/X.c is compiled into the user library too; its header is X.h.
# kernel/test/challenge.c (test support) is compiled into it as well, and the tests'
# error_names.h (a header of its own) is shared too.
SHARED = {f"{c.stem}.h" for c in (ROOT / "kernel" / "lib").glob("*.c")} | {
    "challenge.h", "error_names.h"}
COMPILER = {"stdint.h", "stddef.h", "stdarg.h", "stdbool.h", "stdnoreturn.h",
            "stdalign.h"}
SOURCES = (".c", ".h", ".S")
INCLUDE = re.compile(r"\s*#\s*include\b\s*(.*)")
HEADER = re.compile(r'(<([^>]+)>|"([^"]+)")')


def found_under_user(root, source, quoted, name):
    """Whether the compiler finds `name` under user/ (if quoted, looking beside source
    first, as the compiler does)."""
    user = (root / "user").resolve()
    for folder in ([source.parent] if quoted else []) + [root / "user" / "lib"]:
        candidate = (folder / name).resolve()
        if candidate.is_file():
            return candidate.is_relative_to(user)
    return False


def allowed(root, source, quoted, name, shared=SHARED):
    if found_under_user(root, source, quoted, name):
        return True
    parts = Path(name).parts
    if parts[0] == "abi" and len(parts) > 1 and ".." not in parts:
        return True
    return name in shared or name in COMPILER


def file_problems(root, source, shared=SHARED):
    """"file:line: the line" for each include in source that user code may not make."""
    problems = []
    lines = source.read_text(errors="replace").splitlines()
    for number, line in enumerate(lines, 1):
        include = INCLUDE.match(line)
        if not include:
            continue
        # A computed include (#include MACRO) cannot be checked: refuse it too.
        header = HEADER.match(include.group(1))
        if header and allowed(root, source, header.group(3) is not None,
                              header.group(2) or header.group(3), shared):
            continue
        problems.append(f"{source.relative_to(root)}:{number}: {line.strip()}")
    return problems


def include_problems(root):
    """"file:line: the line" for each include under root/user that is not allowed."""
    problems = []
    for source in sorted((root / "user").rglob("*")):
        if source.suffix in SOURCES and source.is_file():
            problems += file_problems(root, source)
    return problems


def shared_code_problems(root):
    """The same for kernel/lib/*.c and their headers kernel/include/X.h, which user
    programs compile and include: judged by root's own kernel/lib."""
    lib = sorted((root / "kernel" / "lib").glob("*.c"))
    shared = {c.stem + ".h" for c in lib}
    headers = [root / "kernel" / "include" / h for h in sorted(shared)]
    tests = [root / "kernel" / "test" / f for f in ("challenge.c", "challenge.h")]
    problems = []
    for source in lib + [h for h in headers + tests if h.is_file()]:
        problems += file_problems(root, source, shared | {"challenge.h"})
    return problems


class UserIncludes(unittest.TestCase):
    def test_user_code_includes_only_user_abi_shared_and_compiler_headers(self):
        problems = include_problems(ROOT)
        if problems:
            self.fail("user code may include only user/ headers, <abi/...>, the headers "
                      f"of kernel/lib ({', '.join(sorted(SHARED))}) and the compiler's "
                      "freestanding headers:\n"
                      + "\n".join(problems))

    def test_the_check_names_each_forbidden_include(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "user" / "lib").mkdir(parents=True)
            (root / "user" / "tests").mkdir()
            (root / "user" / "lib" / "stdio.h").write_text("#include <stdarg.h>\n")
            (root / "user" / "tests" / "utest.h").write_text("")
            (root / "user" / "tests" / "t.c").write_text(
                "#include <stdio.h>\n"
                '#include "utest.h"\n'
                "#include <abi/layout.h>\n"
                "#  include <string.h>\n"
                "#include <kprintf.h>\n"
                '#include "../../kernel/include/frame.h"\n'
                "#include <abi/../frame.h>\n"
                "#include HEADER\n"
                "#include <stdlib.h>\n")
            self.assertEqual(include_problems(root), [
                "user/tests/t.c:5: #include <kprintf.h>",
                'user/tests/t.c:6: #include "../../kernel/include/frame.h"',
                "user/tests/t.c:7: #include <abi/../frame.h>",
                "user/tests/t.c:8: #include HEADER",
                "user/tests/t.c:9: #include <stdlib.h>",
            ])


class SharedCodeIncludes(unittest.TestCase):
    def test_shared_code_and_its_headers_include_only_what_user_code_may(self):
        problems = shared_code_problems(ROOT)
        if problems:
            self.fail("kernel/lib/*.c and their headers are user code too: they may "
                      "include only <abi/...>, each other's headers and the compiler's "
                      "freestanding headers:\n" + "\n".join(problems))

    def test_the_check_names_each_forbidden_include_of_shared_code(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for folder in ("user/lib", "kernel/lib", "kernel/include"):
                (root / folder).mkdir(parents=True)
            (root / "kernel/lib/parse.c").write_text(
                "#include <parse.h>\n#include <string.h>\n#include <stdint.h>\n"
                "#include <kprintf.h>\n")
            (root / "kernel/lib/string.c").write_text("#include <string.h>\n")
            (root / "kernel/include/parse.h").write_text(
                "#include <abi/error.h>\n#include <task.h>\n#include <stdio.h>\n")
            (root / "kernel/include/task.h").write_text("#include <frame.h>\n")
            self.assertEqual(shared_code_problems(root), [
                "kernel/lib/parse.c:4: #include <kprintf.h>",
                "kernel/include/parse.h:2: #include <task.h>",
                "kernel/include/parse.h:3: #include <stdio.h>",
            ])


class FileLengths(unittest.TestCase):
    def test_no_file_under_user_or_kernel_is_over_the_limit(self):
        long = []
        for top in ("user", "kernel"):
            for path in sorted((ROOT / top).rglob("*")):
                if path.is_file():
                    lines = len(path.read_bytes().splitlines())
                    if lines > MAX_LINES:
                        long.append(f"{path.relative_to(ROOT)}: {lines} lines")
        if long:
            self.fail(f"files over {MAX_LINES} lines (split them by operation family):\n"
                      + "\n".join(long))


class UserLinkAddress(unittest.TestCase):
    def test_user_ld_links_programs_at_user_image_base(self):
        layout = (ROOT / "kernel/include/abi/layout.h").read_text()
        script = (ROOT / "user/lib/user.ld").read_text()
        base = re.search(r"#define\s+USER_IMAGE_BASE\s+(0x[0-9a-fA-F]+)", layout)
        start = re.search(r"^\s*\.\s*=\s*(0x[0-9a-fA-F]+)\s*;", script, re.MULTILINE)
        self.assertIsNotNone(base, "no USER_IMAGE_BASE in abi/layout.h")
        self.assertIsNotNone(start, "no `. = 0x...;` in user/lib/user.ld")
        self.assertEqual(int(start.group(1), 16), int(base.group(1), 16),
                         "user/lib/user.ld must link at abi/layout.h's USER_IMAGE_BASE")


if __name__ == "__main__":
    unittest.main()


class KernelSize(unittest.TestCase):
    def test_the_kernel_proper_stays_under_its_bar(self):
        cloc = shutil.which("cloc")
        if cloc is None:
            self.fail("cloc is not installed (make deps installs it): the kernel's size "
                      "cannot be checked")
        out = subprocess.run([cloc, "--quiet", "--json", "--exclude-dir=test",
                              str(ROOT / "kernel")], capture_output=True, text=True,
                             check=True).stdout
        code = json.loads(out)["SUM"]["code"]
        self.assertLessEqual(code, KERNEL_CODE_LINES_MAX,
                             f"the kernel proper has {code} code lines (cloc of kernel/ "
                             f"without test/); the bar is {KERNEL_CODE_LINES_MAX}")
