"""The kit self-test's expected lines (grade/selftest.py), from archives tar makes here.

What a reader must know: these check the host side alone — the digest's words, the
lines computed from an archive, and the refusal of an archive that is not the
Makefile's (a time, GNU's format); `make check`'s step "kit self-tests" boots them.
"""

import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import engine_support  # noqa: F401  (puts grade/ on sys.path)
import selftest
from engine.challenge import DIGEST_START, digest

FLAGS = ["--format=ustar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner",
         "--mode=u=rwX,go=rX"]
ELF = (b"\x7fELF\x02\x01\x01" + bytes(11) + (62).to_bytes(2, "little") + bytes(4)
       + (0x401000).to_bytes(8, "little") + bytes(32) + b"rest")
MOTD = b"first line\nsecond\n"


@unittest.skipUnless(shutil.which("tar"), "needs GNU tar")
class BootfsExpect(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="minim-selftest-"))
        self.addCleanup(shutil.rmtree, self.dir)
        (self.dir / "tree" / "bin").mkdir(parents=True)
        (self.dir / "tree" / "etc").mkdir()
        (self.dir / "tree" / "bin" / "hello").write_bytes(ELF)
        (self.dir / "tree" / "etc" / "motd").write_bytes(MOTD)

    def tar(self, *flags):
        out = self.dir / "t.tar"
        subprocess.run(["tar", *flags, "-cf", str(out), "bin", "etc"], check=True,
                       cwd=self.dir / "tree", env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
        return out

    def test_the_digest_is_of_little_endian_words_zero_padded(self):
        self.assertEqual(selftest.bytes_digest(b""), DIGEST_START)
        self.assertEqual(selftest.bytes_digest(b"abcdefghi"),
                         digest([0x6867666564636261, 0x69]))

    def test_lines_follow_the_archive(self):
        path = self.tar(*FLAGS, "--mtime=@0")
        size = path.stat().st_size
        self.assertEqual(selftest.bootfs_expect(path), [
            rf"^bootfs: {size} bytes at 7fff00000000, open -> 0, 4 entries$",
            r"^bootfs: dir bin mode 0755$",
            rf"^bootfs: file bin/hello mode 0644 size {len(ELF)} digest "
            rf"{selftest.bytes_digest(ELF):016x}$",
            r"^bootfs: dir etc mode 0755$",
            rf"^bootfs: file etc/motd mode 0644 size {len(MOTD)} digest "
            rf"{selftest.bytes_digest(MOTD):016x}$",
            rf"^bootfs: end -> 0, 2 files, {len(ELF) + len(MOTD)} bytes$",
            r"^bootfs: find /bin/hello -> 0, ELF class 2 machine 62 entry 401000$",
            r"^bootfs: find etc/motd -> 0, its first line: first\ line$",
            r"^bootfs: find bin -> -4$",
            r"^bootfs: find etc/nothing -> -4$",
        ])

    def test_an_archive_not_made_as_the_makefile_does_is_refused(self):
        with self.assertRaisesRegex(selftest.BadArchive, "has a time"):
            selftest.bootfs_expect(self.tar(*FLAGS))
        gnu = [f for f in FLAGS if f != "--format=ustar"] + ["--format=gnu", "--mtime=@0"]
        with self.assertRaisesRegex(selftest.BadArchive, "not POSIX ustar"):
            selftest.bootfs_expect(self.tar(*gnu))
        (self.dir / "tree" / "bin" / "hello").write_bytes(b"#!/bin/sh\n")
        with self.assertRaisesRegex(selftest.BadArchive, "no ELF bin/hello"):
            selftest.bootfs_expect(self.tar(*FLAGS, "--mtime=@0"))


if __name__ == "__main__":
    unittest.main()
