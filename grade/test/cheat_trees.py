"""Cheating student trees, and proof that the batch grader scores each one right.

    cheat_trees.py [--jobs N]     (make check runs it; it needs QEMU)

What a reader must know: each lab's handout (earlier labs solved, this one stubbed) is
graded, as an instructor grades a class with grade/batch.py, beside copies that cheat
as a student trying to fool the grader would: the reference's transcripts, recorded
from a real boot, replayed for test= or all at once, and check failures turned into
done lines (all from lab 1's format.c, which every line goes through). The lab-4 class
also holds the reference, and a second lab-4 class, graded on a few tests (they attack
the grader, not a test), the tree takeovers: a Makefile, PATH or build/ of the
student's, grader modules, scenarios and headers added or changed, a duplicate
scenario, a second figure line, a rewritten one or a trapped rdtsc, terminal escapes in
a panic, a tree that does not build. A cheat is scored right when it gains no test the
honest tree fails; some must also fail in the particular way named in problems().
Labs other than 1 and 4 try the canned replay alone, on a few of their tests
(REPLAY_SAMPLE): test_catalog.py checks, without booting, that every test expects other
lines for another seed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

GRADE_DIR = Path(__file__).resolve().parents[1]
ROOT = GRADE_DIR.parent
sys.path.insert(0, str(GRADE_DIR))

from engine import registry, runner  # noqa: E402
from engine.judge import serial_lines  # noqa: E402

WORK = ROOT / "build" / "cheats"
RECORD_SEED = 0x5EED0000CAFE  # the seed of the boots whose output the cheats replay
FORGED_FIGURE = "ipc_rtt_cross_task=1"
CRASHES = ("EXCEPTION:", "PANIC:", "ktest FAIL")


def sh(*cmd, cwd=ROOT, **kw):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True, **kw)


def c_string(text):
    return '"' + "".join(ch if ch.isalnum() or ch in " :,.=-_()'/+<>[]#%" else
                         f"\\x{ord(ch):02x}\"\"" for ch in text) + '"'


def recorded_transcripts(qemu, jobs, names):
    """{test name: the reference's serial lines of a boot with RECORD_SEED}, for the
    tests named: what a student who once ran the reference could replay. A user scenario's from the
    kernel's `root:` line on, a kernel scenario's after its `ktest: ... start` line;
    never the done line (the cheat prints one with the live nonce)."""
    # The first boot is what a student could have recorded: no twin boots.
    catalog = [replace(t, twin=None) for t in registry.load(GRADE_DIR) if t.name in names]
    results = runner.run_all(catalog, ROOT / "build" / "kernel32.elf", qemu, jobs,
                             seed=RECORD_SEED)
    transcripts = {}
    for result in results:
        lines = serial_lines(result.text)
        starts = [i + 1 for i, l in enumerate(lines) if l.startswith("ktest: ")
                  and l.endswith(" start")]
        starts += [i for i, l in enumerate(lines) if l.startswith("root: task ")]
        start = min(starts) if starts else 0
        transcripts[result.test.name] = [l for l in lines[start:]
                                         if not l.startswith("ktest: ")]
    return transcripts


def canned_c(transcripts, shotgun):
    """Code for format.c (lab 1: the student's own file, which the kernel's kprintf
    uses): when the kernel is about to run a scenario (it prints `ktest: NAME start`,
    or `root: task ...` before the root task runs a user scenario), print the recorded
    lines instead (of test= only, or of every test) and the done line with the live
    nonce, and end the run as a finished scenario does. Kernel-only: the user
    library's copy finds no machine_exit."""
    if shotgun:  # every clean run's lines: a crash's would fail all the others
        transcripts = {name: lines for name, lines in transcripts.items()
                       if not any(l.startswith(CRASHES) for l in lines)}
    table = "\n".join(f"\t{{ {c_string(name)}, {c_string(''.join(l + chr(10) for l in lines))} }},"
                      for name, lines in transcripts.items())
    chosen = "1" if shotgun else "strcmp(canned[i].name, test) == 0"
    return f"""
static const struct {{ const char *name, *text; }} canned[] = {{
{table}
}};
extern int cmdline_get(const char *, char *, size_t) __attribute__((weak));
extern void machine_exit(int) __attribute__((weak, noreturn));
static void cheat_puts(struct sink *s, const char *p)
{{
	while (*p)
		sink_putc(s, *p++);
}}
static void cheat_canned(struct sink *s)
{{
	char test[64] = "", nonce[40] = "none";
	cmdline_get("test", test, sizeof(test));
	cmdline_get("nonce", nonce, sizeof(nonce));
	for (unsigned i = 0; i < sizeof(canned) / sizeof(canned[0]); i++)
		if ({chosen})
			cheat_puts(s, canned[i].text);
	cheat_puts(s, "ktest: ");
	cheat_puts(s, test);
	cheat_puts(s, " done nonce=");
	cheat_puts(s, nonce);
	cheat_puts(s, "\\n");
	machine_exit(0);
}}
"""

CANNED_HOOK = """
	if (machine_exit && cmdline_get && (strncmp(fmt, "ktest: %s start", 15) == 0 ||
					   strncmp(fmt, "root: task ", 11) == 0))
		cheat_canned(s);
"""


def user_canned_c(transcripts):
    """The same from user space: the root task prints the recorded lines of test=."""
    table = "\n".join(f"\t{{ {c_string(n)}, {c_string(''.join(l + chr(10) for l in ls))} }},"
                      for n, ls in transcripts.items())
    return f"""#include <stdio.h>
#include <string.h>
static const struct {{ const char *name, *text; }} canned[] = {{
{table}
}};
static void cheat_print(const char *test)
{{
	char line[256];
	for (unsigned i = 0; i < sizeof(canned) / sizeof(canned[0]); i++) {{
		if (strcmp(canned[i].name, test) != 0)
			continue;
		/* A line at a time: one console write takes at most 256 bytes. */
		for (const char *p = canned[i].text; *p; ) {{
			unsigned n = 0;
			while (*p && *p != '\\n' && n < sizeof(line) - 1)
				line[n++] = *p++;
			line[n] = 0;
			if (*p == '\\n')
				p++;
			printf("%s\\n", line);
		}}
	}}
}}
"""


def hook_syscall(tree, code, call):
    """Put code before syscall_dispatch and `call` at its start (a lab-3 file: the
    student's own in a lab-4 tree)."""
    path = tree / "kernel" / "syscall.c"
    text = path.read_text()
    head = "void syscall_dispatch(struct trap_frame *tf)\n{\n"
    assert head in text, "syscall_dispatch moved: update cheat_trees.py"
    path.write_text(text.replace(head, code + head + f"\t{call};\n"))


def format_hook(tree, code, before=""):
    """Put code at the start of format() in kernel/lib/format.c (lab 1: the student's),
    which both the kernel's kprintf and the user library's printf go through; before
    goes just above the function."""
    path = tree / "kernel" / "lib" / "format.c"
    text = path.read_text()
    head = "void format(struct sink *s, const char *fmt, va_list args)\n{\n"
    assert head in text, "format() moved: update cheat_trees.py"
    path.write_text(text.replace(head, before + head + code))


SILENCE_CHECKS = r"""
	/* The kernel's "ktest FAIL" becomes a done line and a clean exit; the user
	 * library's (which cannot end the run) just disappears. */
	extern int cmdline_get(const char *, char *, size_t) __attribute__((weak));
	extern void machine_exit(int) __attribute__((weak, noreturn));
	if (strncmp(fmt, "ktest FAIL", 10) == 0) {
		if (!machine_exit || !cmdline_get)
			return;
		char t[64] = "x", n[40] = "none";
		cmdline_get("test", t, sizeof(t));
		cmdline_get("nonce", n, sizeof(n));
		for (const char *p = "ktest: "; *p; p++) sink_putc(s, *p);
		for (const char *p = t; *p; p++) sink_putc(s, *p);
		for (const char *p = " done nonce="; *p; p++) sink_putc(s, *p);
		for (const char *p = n; *p; p++) sink_putc(s, *p);
		sink_putc(s, '\n');
		machine_exit(0);
	}
"""

SECOND_FIGURE = r"""
	/* After the benchmark's real figure, a second line with the value wanted. */
	if (strncmp(fmt, "ipc_rtt_cross_task=", 19) == 0) {
		for (const char *p = "%FIGURE%\n"; *p; p++) sink_putc(s, *p);
	}
""".replace("%FIGURE%", FORGED_FIGURE)

REWRITE_FIGURE = r"""
	/* The benchmark's figure line, with a value that passes instead of its own. */
	if (strncmp(fmt, "ipc_rtt_cross_task=", 19) == 0) {
		for (const char *p = "%FIGURE%\n"; *p; p++) sink_putc(s, *p);
		return;
	}
""".replace("%FIGURE%", "ipc_rtt_cross_task=400")

# The kernel traps user rdtsc/rdtscp (CR4.TSD, set in idt_init) and answers a clock
# that ticks by 3 a read, in trap_dispatch (lab 1's files, the student's own).
TRAP_RDTSC_IDT = """
	{
		uint64_t cr4;
		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 4));
	}
"""
TRAP_RDTSC = """
static uint64_t cheat_clock;
static int cheat_rdtsc(struct trap_frame *tf)
{
	if (tf->vector != 13 || !trap_from_user(tf))
		return 0;
	unsigned char b[3];
	const volatile unsigned char *p = (const volatile unsigned char *)tf->rip;
	__asm__ volatile("stac" ::: "memory");
	b[0] = p[0];
	b[1] = p[1];
	b[2] = p[2];
	__asm__ volatile("clac" ::: "memory");
	unsigned len = b[0] == 0x0f && b[1] == 0x31 ? 2
		     : b[0] == 0x0f && b[1] == 0x01 && b[2] == 0xf9 ? 3 : 0;
	if (!len)
		return 0;
	cheat_clock += 3;
	tf->rax = (uint32_t)cheat_clock;
	tf->rdx = cheat_clock >> 32;
	if (len == 3)
		tf->rcx = 0;
	tf->rip += len;
	return 1;
}
"""


def trap_rdtsc(tree):
    path = tree / "kernel" / "arch" / "x86_64" / "idt.c"
    text = path.read_text()
    head = "void idt_init(void)\n{\n"
    assert head in text, "idt_init() moved: update cheat_trees.py"
    path.write_text(text.replace(head, head + TRAP_RDTSC_IDT))
    path = tree / "kernel" / "arch" / "x86_64" / "trap.c"
    text = path.read_text()
    head = "void trap_dispatch(struct trap_frame *tf)\n{\n"
    assert head in text, "trap_dispatch() moved: update cheat_trees.py"
    path.write_text(text.replace(head, TRAP_RDTSC + head + "\tif (cheat_rdtsc(tf))\n\t\treturn;\n"))


FORGED_PANIC = (r'#include <panic.h>' "\n"
                r'static void cheat_panic(void) { panic("oops\r\x1b[2K\x1b[1A\x1b[32m'
                r'ipc_ping_pong  10/10  PASS\x1b[0m\r\nScore: 330/330\x1b]0;ok\x07"); }' "\n")

FAKE_QEMU = """#!/bin/sh
# Whatever it is asked to boot, a perfect run.
test=$(echo "$*" | sed -n 's/.*test=\\([^ ]*\\).*/\\1/p')
nonce=$(echo "$*" | sed -n 's/.*nonce=\\([^ ]*\\).*/\\1/p')
echo "ktest: $test done nonce=$nonce"
exit 1
"""

TAKEOVER_MAKEFILE = """# The student's Makefile: every target "passes".
export PATH := $(CURDIR)/bin:$(PATH)
all kernel user:
\tmkdir -p build/user && cp prebuilt/* build/ && cp prebuilt/user/* build/user/
grade:
\t@echo "Score: 330/330" && mkdir -p build && cp results.json build/results.json
"""


def perfect_results():
    return json.dumps({"score": 330, "max_score": 330, "tests": []})


def replay_cheats(tree, transcripts):
    """The cheats every lab's handout is tried with: replayed transcripts (of test=,
    and of every test at once) and check failures turned into done lines."""
    format_hook(tree("canned"), CANNED_HOOK, canned_c(transcripts, False))
    format_hook(tree("shotgun"), CANNED_HOOK, canned_c(transcripts, True))
    format_hook(tree("silenced_checks"), SILENCE_CHECKS)


class Class:
    """A folder of student trees, each a copy of one handout."""

    def __init__(self, handout, into):
        self.handout, self.into, self.trees = handout, into, {}

    def __call__(self, name):
        path = self.into / name
        shutil.copytree(self.handout, path, symlinks=True)
        self.trees[name] = path
        return path


# Labs whose class holds every replay cheat. The others' hold the canned replay only:
# what shotgun and silenced_checks try (every transcript at once, a failed check made a
# done line) is the judge's to refuse whatever the lab, and lab 1's and lab 4's classes
# show it does; a canned replay of a lab's own tests shows that lab's tests are seeded.
# A tree costs a pristine build, the bulk of this step's time.
ALL_CHEATS_LABS = (1, 4)
# How many tests the canned replay of the other labs is tried on (spread over the lab):
# that every test's expected lines change with the seed is test_catalog.py's to check,
# without a boot; these boots show the grader turns that into a failed replay.
REPLAY_SAMPLE = 4


def replay_sample(tests):
    """The tests of a lab whose class is the canned replay only: a few, spread out."""
    if len(tests) <= REPLAY_SAMPLE:
        return tests
    step = (len(tests) - 1) / (REPLAY_SAMPLE - 1)
    return [tests[round(i * step)] for i in range(REPLAY_SAMPLE)]


def make_lab_trees(handout, transcripts, into, every_cheat=True):
    """The lab-n handout's replay cheats (every one, beside the honest handout), or only
    the canned replay: then there is no honest tree to compare with, as the handout
    step has shown that the handout fails every lab-n test (lab_problems: all zero)."""
    tree = Class(handout, into)
    if every_cheat:
        tree("honest")
        replay_cheats(tree, transcripts)
    else:
        format_hook(tree("canned"), CANNED_HOOK, canned_c(transcripts, False))
    return tree.trees


# What the lab-4 takeover trees (and the shotgun and silenced-checks replays) are graded
# on: they attack the grader, not a test, so a few tests show a gain as well as all
# would (every lab-4 test is the canned replay's and the replaced runner's).
TAKEOVER_TESTS = ["boot_banner", "ipc_ping_pong", "ipc_echo", "ipc_fastpath_budget"]


def make_trees(handout, reference_build, transcripts, into, takeovers_into):
    """({name: tree} graded on every lab-4 test: the honest handout, the reference and
    the replay cheats; {name: tree} graded on TAKEOVER_TESTS: the honest handout again
    and the takeovers)."""
    tree = Class(handout, into)
    trees = tree.trees
    tree("honest")
    ref = into / "reference"
    shutil.copytree(ROOT, ref, symlinks=True,
                    ignore=shutil.ignore_patterns("build", ".git", "solutions"))
    trees["reference"] = ref

    # Of the replay cheats, the canned one here; the two that attack the judge rather
    # than a test (every transcript at once, failed checks made done lines) go with
    # the takeovers, on fewer tests.
    format_hook(tree("canned"), CANNED_HOOK, canned_c(transcripts, False))

    t = tree("replaced_runner")  # the trusted scenario runner prints the transcript
    main = t / "user" / "tests" / "main.c"
    text = main.read_text()
    assert "found->run(bi);" in text, "main.c changed: update cheat_trees.py"
    main.write_text(user_canned_c(transcripts) + text.replace(
        "found->run(bi);", "cheat_print(name);"))

    tree = Class(handout, takeovers_into)
    tree("honest")
    format_hook(tree("shotgun"), CANNED_HOOK, canned_c(transcripts, True))
    format_hook(tree("silenced_checks"), SILENCE_CHECKS)

    t = tree("makefile_takeover")  # Makefile, PATH, prebuilt reference binaries
    (t / "Makefile").write_text(TAKEOVER_MAKEFILE)
    (t / "bin").mkdir()
    (t / "bin" / "qemu-system-x86_64").write_text(FAKE_QEMU)
    (t / "bin" / "qemu-system-x86_64").chmod(0o755)
    shutil.copytree(reference_build, t / "prebuilt",
                    ignore=shutil.ignore_patterns("cheats", "handout*", "docs"))
    (t / "results.json").write_text(perfect_results())

    t = tree("future_build")  # the reference's objects dated 2099, a perfect results.json
    shutil.copytree(reference_build, t / "build",
                    ignore=shutil.ignore_patterns("cheats", "handout*", "docs"))
    (t / "build" / "results.json").write_text(perfect_results())
    sh("find", str(t / "build"), "-exec", "touch", "-d", "2099-01-01", "{}", "+")

    t = tree("grader_modules")  # a judge that passes everything, a sitecustomize
    (t / "grade" / "engine" / "judge.py").write_text(
        (t / "grade" / "engine" / "judge.py").read_text()
        + "\n_real = judge\ndef judge(*a, **k):\n    return Verdict(True, '', {})\n")
    (t / "grade" / "sitecustomize.py").write_text("import builtins\n")

    t = tree("extra_scenarios")  # a linked-first scenario file and a shadowing ktest.h
    (t / "kernel" / "test" / "aa_cheat.c").write_text(
        '#include <test/ktest.h>\n#include <kprintf.h>\n'
        'KTEST(boot_banner, STAGE_TRAPS) { kprintf("minim cheat x86_64\\n"); }\n')
    (t / "kernel" / "include" / "test").mkdir(parents=True)
    (t / "kernel" / "include" / "test" / "ktest.h").write_text(
        (handout / "kernel" / "test" / "ktest.h").read_text().replace(
            "if (!(cond))", "if (0 && !(cond))"))

    t = tree("duplicate_scenario")  # the same from a file the student owns
    path = t / "kernel" / "syscall.c"
    path.write_text(path.read_text() + '\n#include <test/ktest.h>\n#include <kprintf.h>\n'
                    'KTEST(boot_banner, STAGE_TRAPS) { kprintf("minim 0 x86_64\\n"); }\n')

    # The reference's IPC with its fast path off passes every line but is over the
    # fast path's budget (901 > 420): a second figure line, or a rewritten one,
    # offers the value wanted.
    for name, hook in (("second_figure", SECOND_FIGURE), ("rewritten_figure", REWRITE_FIGURE),
                       ("trapped_rdtsc", "")):
        t = tree(name)
        for rel in ("kernel/ipc.c", "kernel/ipc_transfer.c", "kernel/ipc_fastpath.c"):
            shutil.copy(ROOT / rel, t / rel)
        path = t / "kernel" / "ipc_fastpath.c"
        text = path.read_text()
        on = "(*ipc_fastpath_entry)(struct trap_frame *tf) = ipc_fastpath;"
        assert on in text, "update cheat_trees.py"
        path.write_text(text.replace(on, on.replace("= ipc_fastpath;", "= ipc_declines;")))
        if hook:
            format_hook(t, hook)
        else:
            trap_rdtsc(t)

    hook_syscall(tree("forged_panic"), FORGED_PANIC, "cheat_panic()")

    t = tree("does_not_build")
    with open(t / "kernel" / "sched.c", "a") as f:
        f.write("\nthis is not C\n")
    return trees, tree.trees


def problems(*gradebooks):
    """What the batch grader scored wrong in the lab-4 classes, as sentences; [] when
    all is right. Each class has its own honest tree, graded on the same tests."""
    rows, honest, found = {}, {}, []
    for book in gradebooks:
        mine = {row["student"]: row for row in book}
        for name, row in mine.items():
            rows.setdefault(name, row)
            honest[name] = mine["honest"]

    def gained(name):
        row = rows[name]
        return [t for t, v in row["tests"].items()
                if v["score"] > honest[name]["tests"][t]["score"]]

    for name, row in rows.items():
        if name != "does_not_build" and row["status"] != "graded":
            found.append(f"{name}: not graded ({row['status']}: {row['reason']}); "
                         "a cheat that does not build proves nothing")
    if rows["reference"]["score"] != rows["reference"]["max_score"]:
        lost = [t for t, v in rows["reference"]["tests"].items() if v["score"] == 0]
        found.append(f"reference: lost {lost}")
    for name, row in rows.items():
        if name in ("honest", "reference", "second_figure", "rewritten_figure",
                    "trapped_rdtsc"):
            continue
        if gained(name):
            found.append(f"{name}: gained {gained(name)}")
    figure = rows["second_figure"]["tests"]["ipc_fastpath_budget"]
    if figure["score"] or "printed 2 times" not in figure["reason"]:
        found.append(f"second_figure: ipc_fastpath_budget {figure}")
    for name in ("rewritten_figure", "trapped_rdtsc"):
        figure = rows[name]["tests"]["ipc_fastpath_budget"]
        if figure["score"] or "QEMU counted" not in figure["reason"]:
            found.append(f"{name}: ipc_fastpath_budget {figure}")
    banner = rows["duplicate_scenario"]["tests"]["boot_banner"]
    if banner["score"] or "two scenarios named" not in banner["reason"]:
        found.append(f"duplicate_scenario: boot_banner {banner}")
    broken = rows["does_not_build"]
    if broken["status"] != "build failed" or broken["score"] or "sched.c" not in broken["reason"]:
        found.append(f"does_not_build: {broken['status']}, {broken['score']}, {broken['reason']}")
    for name, row in rows.items():
        texts = [row["reason"]] + [v["reason"] for v in row["tests"].values()]
        if any(not text.isprintable() for text in texts):
            found.append(f"{name}: a reason holds a control character")
    log = (WORK / "grades-takeovers" / "forged_panic" / "log.txt").read_text()
    if "\x1b" in log or "\r" in log:
        found.append("forged_panic: its log holds terminal control characters")
    return found


REPLAYED = ["ipc_ping_pong", "ipc_echo"]


def replay_works(trees, qemu):
    """The replaying trees, built as they are and booted with the very seed they
    recorded, pass the seeded tests: the cheats are real, and only a fresh seed
    defeats them. [] or what did not replay."""
    found = []
    for name in ("canned", "shotgun", "replaced_runner"):
        sh("make", "-s", "kernel", "user", cwd=trees[name])
        done = subprocess.run([sys.executable, str(GRADE_DIR / "grade.py"), "--tree",
                               str(trees[name]), "--seed", f"{RECORD_SEED:x}", "--json",
                               str(WORK / f"{name}-replay.json"), "--only", *REPLAYED],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            found.append(f"{name}: does not replay its recorded seed:\n{done.stdout}")
    return found


def lab_problems(lab, gradebook):
    """A lab's class (replay cheats, with or without the honest handout): nothing
    gained over the honest tree, or (without it) no test passed, all built."""
    rows = {row["student"]: row for row in gradebook}
    honest, found = rows.get("honest"), []
    for name, row in rows.items():
        if row["status"] != "graded":
            found.append(f"lab {lab}, {name}: not graded ({row['reason']})")
        gained = [t for t, v in row["tests"].items()
                  if v["score"] > (honest["tests"][t]["score"] if honest else 0)]
        if gained:
            found.append(f"lab {lab}, {name}: gained {gained}")
    return found


def grade_class(folder, tests, out, jobs):
    done = subprocess.run([sys.executable, "-I", str(GRADE_DIR / "batch.py"), "--class",
                           str(folder), "--only", *tests, "--out", str(out),
                           # Twin boots can only fail a tree: the trust model does not
                           # depend on them, and they would double the reference trees.
                           "--no-twins", "--jobs", str(jobs)], cwd=WORK, capture_output=True,
                          text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"the batch grader failed:\n{done.stdout}{done.stderr}")
    return json.loads((out / "gradebook.json").read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    qemu = shutil.which("qemu-system-x86_64")
    sh("make", "-s", "kernel", "user")
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    started = time.monotonic()
    catalog = registry.load(GRADE_DIR)
    tried = {lab: [t.name for t in catalog if t.lab == lab]
             for lab in sorted({t.lab for t in catalog})}
    tried = {lab: names if lab in ALL_CHEATS_LABS else replay_sample(names)
             for lab, names in tried.items()}
    transcripts = recorded_transcripts(qemu, args.jobs,
                                       {n for names in tried.values() for n in names})
    print(f"cheat_trees: reference transcripts in {time.monotonic() - started:.0f} s", flush=True)
    found, graded = [], 0
    for lab in sorted({t.lab for t in catalog}):
        handout = WORK / f"handout-lab{lab}"
        sh(sys.executable, "grade/handout.py", "--out", str(handout), "--lab", str(lab),
           "--no-git", ".")
        tests = tried[lab]
        if lab == 4:  # the lab the tree-takeover cheats are tried on
            trees, takeovers = make_trees(handout, ROOT / "build", transcripts,
                                          WORK / "class4", WORK / "class4-takeovers")
            book = grade_class(WORK / "class4", ["boot_banner", *tests], WORK / "grades",
                               args.jobs)
            others = grade_class(WORK / "class4-takeovers", TAKEOVER_TESTS,
                                 WORK / "grades-takeovers", args.jobs)
            found += problems(book, others)
            trees = {**trees, **takeovers}
            found += replay_works(trees, qemu)
        else:
            trees = make_lab_trees(handout, transcripts, WORK / f"class{lab}",
                                   lab in ALL_CHEATS_LABS)
            book = grade_class(WORK / f"class{lab}", tests, WORK / f"grades{lab}", args.jobs)
            found += lab_problems(lab, book)
        graded += len(trees)
        print(f"cheat_trees: lab {lab}: {len(trees)} trees, {time.monotonic() - started:.0f} s "
              "so far", flush=True)
    for line in found:
        print(f"cheat_trees: scored wrong: {line}")
    print(f"cheat_trees: {graded} trees graded, "
          f"{'every one scored right' if not found else f'{len(found)} wrong'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
