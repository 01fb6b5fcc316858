"""Lab 8's shell_session: make run's system (the shell, the libc, the pm loading programs
from the disk, the file server) typed at, and what the session must leave on the disk.

What a reader must know: ShellPlan is one boot's seed made into the disk's files, the
commands and the lines they print; every function here builds a fresh plan from a
fresh Challenge of the same seed, so each draws the same.
"""

import re

from engine import ext2img

# The disk's programs (the Makefile's DISK_PROGRAMS): the pm reads them from the disk.
SHELL_PROGRAMS = ("sh", "ls", "cat", "echo", "mkdir", "rm", "mv", "ps", "sync", "ipcbench")

SHELL_SECTORS = 8192  # a 4 MiB ext2 disk of 1 KiB blocks


class ShellPlan:
    """What one boot's seed makes of the session: the disk's files, the commands, the
    lines they must print. Each use draws from a fresh Challenge of the same seed."""

    def __init__(self, c):
        self.key = f"{c.next():016x}"
        self.lines = [f"line {i} of {self.key[i:i + 6]}" for i in range(c.range(3, 6))]
        self.word = f"w{c.next() & 0xffffff:06x}"
        self.name = f"f{c.range(100, 999)}"
        self.dir = f"/tmp/d{self.key[:5]}"
        self.text = f"{self.word} two  spaces\nmore\n".encode()
        self.files = {"/etc/motd": f"motd {self.key}\n".encode(),
                      "/data/in.txt": "".join(f"{x}\n" for x in self.lines).encode(),
                      "/data/sub/x": b"x\n", "/tmp/.keep": b""}
        # (command, [regexes of the lines it prints, after its echo])
        self.steps = [
            ("cat /data/in.txt", [rf"^{re.escape(x)}$" for x in self.lines]),
            (f"echo {self.word} 'two  spaces' > /tmp/{self.name}", []),
            (f"echo more >> /tmp/{self.name}", []),
            (f"cat < /tmp/{self.name}", [rf"^{self.word} two  spaces$", r"^more$"]),
            (f"mkdir {self.dir}", []),
            (f"mv /tmp/{self.name} {self.dir}", []),
            (f"cd {self.dir}", []),
            ("ls -l", [rf"^- +{len(self.text)} {self.name}$"]),
            ("ls /data", [r"^in\.txt$", r"^sub$"]),
            ("rm /data/sub/x /data/sub", []),
            (f"no{self.key[:6]}", [rf"^sh: no{self.key[:6]}: not found$"]),
            ("echo $?", [r"^127$"]),
        ]


def shell_files(c):
    return ShellPlan(c).files


def shell_dialog(c):
    """Each command once the shell's prompt is there; shutdown last."""
    plan = ShellPlan(c)
    return [(r"^\$ ", f"{cmd}\r") for cmd, _ in plan.steps] + [(r"^\$ ", "shutdown\r")]


def shell_expect(c):
    plan = ShellPlan(c)
    lines = [r"^minim shell: type help$", rf"^motd {plan.key}$"]
    for cmd, out in plan.steps:
        lines += [rf"^\$ {re.escape(cmd)}$", *out]
    return lines + [r"^\$ shutdown$", r"^sh: shutting down$", r"^root: shutting down \(sync: 0\)$"]


def shell_check(c, data):
    """The image after the boot: clean, the file where mv put it, /data/sub gone."""
    plan = ShellPlan(c)
    problems = list(ext2img.fsck(data))
    moved = ext2img.read_file(data, f"{plan.dir}/{plan.name}")
    if moved != plan.text:
        problems.append(f"{plan.dir}/{plan.name} holds {moved!r}, not {plan.text!r}")
    names = ext2img.listdir(data, "/data")
    if not isinstance(names, list) or sorted(n for n in names if n not in (".", "..")) != [
            "in.txt"]:
        problems.append(f"/data holds {names!r}, not just in.txt")
    return problems
