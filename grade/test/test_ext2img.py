"""The grader's ext2 tooling (engine/ext2img.py): images made by mke2fs, read back by
e2fsprogs, and the corrupt corpus that e2fsck must reject.

The one thing to know: these run the real e2fsprogs on small images (each tool call
takes milliseconds), except where a tool is made to be missing, to hang or to talk
nonsense: then a stand-in script takes its place, and the answer must be a Problem
string, not an exception or a wait.
"""

import os
import random
import subprocess
import tempfile
import time
import unittest
from pathlib import Path
from unittest import mock

import engine_support  # noqa: F401  (grade/ on sys.path)

from engine import ext2corrupt, ext2img, ext2layout
from engine.challenge import Challenge
from engine.disk import Disk, SECTOR_BYTES
from engine.ext2img import Problem

HAVE_TOOLS = all(ext2img.tool_path(t) for t in ("mke2fs", "e2fsck", "debugfs", "dumpe2fs"))


def noise(seed, n):
    """n bytes no block of which is all zero (mke2fs -d leaves zero blocks as holes)."""
    return random.Random(seed).randbytes(n).replace(b"\0", b"\1")


BIG = noise(1, 300 * 1024)
FILES = {"/hello": b"hello, world\n", "/a/b/c.txt": b"deep\n", "/empty": b"",
         "/with space": b"spaced\n", "/big": BIG, "/dir": None}


def image(files=FILES, blocks=2048, **kw):
    return ext2img.build(files, blocks, **kw)


@unittest.skipUnless(HAVE_TOOLS, "e2fsprogs is not installed (make deps)")
class Build(unittest.TestCase):
    def test_the_same_files_give_the_same_bytes(self):
        first = image()
        time.sleep(1.1)  # a second later: any time stamp taken from the clock moves
        reordered = dict(reversed(list(FILES.items())))
        self.assertEqual(image(reordered), first)

    def test_owners_and_times_are_fixed_in_every_inode(self):
        data = image()
        fs = ext2layout.Layout(data)
        used = list(fs.used_inodes())
        self.assertEqual(len(used), 2 + 8)  # the root, lost+found, then ours
        for n in used:
            at = fs.inode(n)
            with self.subTest(inode=n):
                self.assertEqual([ext2layout.u16(data, at + f) for f in (2, 24, 120, 122)],
                                 [0, 0, 0, 0])
                self.assertEqual([ext2layout.u32(data, at + f) for f in (8, 12, 16)],
                                 [ext2img.FAKE_TIME] * 3)

    def test_features_a_small_ext2_handles(self):
        data = image()
        sb = ext2layout.SUPERBLOCK_AT
        self.assertEqual(ext2layout.u32(data, sb + 76), 1)             # revision 1
        compat, incompat, ro = (ext2layout.u32(data, sb + f) for f in (92, 96, 100))
        self.assertEqual(compat & (0x4 | 0x8 | 0x10 | 0x20), 0)  # no journal, xattr,
        self.assertEqual(incompat, 0x2)                          # resize, dir_index
        self.assertEqual(ro, 0x1 | 0x2)                          # sparse_super, large_file
        self.assertEqual(ext2layout.u16(data, sb + 88), 256)

    def test_a_4k_block_image_works_too(self):
        data = image(blocks=512, block_size=4096)
        self.assertEqual(len(data), 512 * 4096)
        self.assertEqual(ext2layout.Layout(data).block_size, 4096)
        self.assertEqual(ext2img.fsck(data), [])
        self.assertEqual(ext2img.read_file(data, "/big"), BIG)

    def test_bad_input_is_the_lab_files_error(self):
        for files in ({"a": b""}, {"/a//b": b""}, {"/a/../b": b""}, {"/a": "text"},
                      {"/a": b"", "/a/b": b""}):
            with self.subTest(files=files), self.assertRaises(ValueError):
                image(files)
        with self.assertRaisesRegex(RuntimeError, "mke2fs failed"):
            image(blocks=10)

    def test_fill_makes_a_disks_image_from_its_challenge(self):
        seen = []

        def files(c):
            seen.append(c.seed)
            return {"/seed": b"%x" % c.next()}
        disk = Disk(4096, ext2img.fill(files))
        buf = bytearray(disk.size + 100)  # a tail shorter than a block stays zero
        disk.fill(Challenge(7), buf)
        self.assertEqual(len(buf), 4096 * SECTOR_BYTES + 100)
        self.assertEqual(seen, [7])
        data = bytes(buf[:disk.size])
        self.assertEqual(ext2img.read_file(data, "/seed"), b"%x" % Challenge(7).next())
        self.assertEqual(ext2layout.u32(data, 1024 + 4), 2048)  # s_blocks_count


@unittest.skipUnless(HAVE_TOOLS, "e2fsprogs is not installed (make deps)")
class Read(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = image()

    def test_files_round_trip(self):
        for path, content in FILES.items():
            if content is not None:
                with self.subTest(path=path):
                    self.assertEqual(ext2img.read_file(self.data, path), content)

    def test_what_is_not_a_file(self):
        self.assertIsNone(ext2img.read_file(self.data, "/nope"))
        self.assertIsNone(ext2img.read_file(self.data, "/hello/under"))
        self.assertEqual(ext2img.read_file(self.data, "/a"), "/a is a dir, not a file")
        self.assertIsInstance(ext2img.read_file(self.data, "/a"), Problem)
        with self.assertRaises(ValueError):
            ext2img.read_file(self.data, 'rel"ative')

    def test_listdir(self):
        self.assertEqual(sorted(ext2img.listdir(self.data, "/")),
                         ["a", "big", "dir", "empty", "hello", "lost+found", "with space"])
        self.assertEqual(ext2img.listdir(self.data, "/a/b"), ["c.txt"])
        self.assertEqual(ext2img.listdir(self.data, "/dir"), [])
        self.assertIsNone(ext2img.listdir(self.data, "/nope"))
        self.assertIsInstance(ext2img.listdir(self.data, "/hello"), Problem)

    def test_stat(self):
        big = ext2img.stat(self.data, "/big")
        # 300 data blocks of 1 KiB: 12 direct, 256 through the single indirect block,
        # 32 through the double indirect one and its first indirect block: 303 blocks.
        self.assertEqual(big, {"size": 300 * 1024, "links": 1, "blocks": 303 * 2,
                               "mode": 0o644, "type": "file", "inode": big["inode"]})
        a = ext2img.stat(self.data, "/a")
        self.assertEqual((a["type"], a["links"], a["mode"], a["size"]), ("dir", 3, 0o755, 1024))
        self.assertEqual(ext2img.stat(self.data, "/")["inode"], 2)
        self.assertEqual(ext2img.stat(self.data, "/empty")["blocks"], 0)
        self.assertIsNone(ext2img.stat(self.data, "/a/nope"))

    def test_free_counts_agree_and_count_a_files_blocks(self):
        without = ext2img.free_counts(image({k: v for k, v in FILES.items() if k != "/big"}))
        counts = ext2img.free_counts(self.data)
        self.assertEqual(counts.blocks, counts.group_blocks)
        self.assertEqual(counts.inodes, counts.group_inodes)
        self.assertEqual(without.blocks - counts.blocks, 303)
        self.assertEqual(without.inodes - counts.inodes, 1)

    def test_fresh_images_are_clean_and_repairable(self):
        self.assertEqual(ext2img.fsck(self.data), [])
        self.assertEqual(ext2img.fsck_repairable(self.data), [])
        repaired, problems = ext2img.repair(self.data)
        self.assertEqual((len(repaired), problems), (len(self.data), []))


def script(folder, text):
    path = Path(folder, "tool")
    path.write_text("#!/bin/sh\n" + text + "\n")
    path.chmod(0o755)
    return str(path)


@unittest.skipUnless(HAVE_TOOLS, "e2fsprogs is not installed (make deps)")
class Hostile(unittest.TestCase):
    """Whatever the image or the tools do, the answer is a value or a Problem."""

    @classmethod
    def setUpClass(cls):
        cls.data = image({"/f": b"x"}, blocks=256)

    def answers(self):
        d = self.data
        return {"fsck": ext2img.fsck(d), "repairable": ext2img.fsck_repairable(d),
                "stat": ext2img.stat(d, "/f"), "read_file": ext2img.read_file(d, "/f"),
                "listdir": ext2img.listdir(d, "/"), "free_counts": ext2img.free_counts(d)}

    def assertAllProblems(self, answers, words):
        for name, answer in answers.items():
            with self.subTest(name):
                if isinstance(answer, list):
                    self.assertEqual(len(answer), 1, answer)
                    answer = answer[0]
                self.assertIsInstance(answer, Problem)
                self.assertIn(words, answer)

    def test_a_missing_tool_is_a_problem(self):
        with mock.patch.object(ext2img, "tool_path", return_value=None):
            self.assertAllProblems(self.answers(), "not found (install e2fsprogs")
            with self.assertRaisesRegex(RuntimeError, "mke2fs not found"):
                image()

    def test_a_hung_tool_is_killed_at_the_deadline(self):
        with tempfile.TemporaryDirectory() as folder, \
                mock.patch.object(ext2img, "tool_path", return_value=script(
                    folder, "sleep 30 & sleep 30")), \
                mock.patch.object(ext2img, "TIMEOUT", 0.2):
            start = time.monotonic()
            self.assertAllProblems(self.answers(), "took more than 0.2 s")
            self.assertLess(time.monotonic() - start, 6 * 0.2 + 2)

    def test_nonsense_from_a_tool_is_a_problem(self):
        with tempfile.TemporaryDirectory() as folder, \
                mock.patch.object(ext2img, "tool_path", return_value=script(
                    folder, "echo 'Inode: x'; exit 3")):
            answers = self.answers()
        self.assertEqual(answers.pop("fsck"), ["Inode: x"])
        self.assertEqual(answers.pop("repairable"),
                         ["e2fsck -fy could not repair it (status 3)", "Inode: x"])
        self.assertAllProblems(answers, "status 3")

    def test_garbage_images_give_problems(self):
        for data in (b"", bytes(4096), noise(2, 64 * 1024)):
            with self.subTest(size=len(data)):
                self.data = data
                answers = self.answers()
                self.assertNotEqual(answers.pop("fsck"), [])
                self.assertNotEqual(answers.pop("repairable"), [])
                for name, answer in answers.items():
                    self.assertIsInstance(answer, Problem, name)


@unittest.skipUnless(HAVE_TOOLS, "e2fsprogs is not installed (make deps)")
class Corrupt(unittest.TestCase):
    """Every kind applies to an image with the usual things in it, and e2fsck flags
    every one: on one block group, on several (the superblock and descriptors have
    backups there) and with 4 KiB blocks."""

    GEOMETRIES = {"1 group": (2048, 1024), "2 groups": (9000, 1024), "4k": (512, 4096)}
    FILES = {"/a/b/c": b"hello", "/big": BIG, "/d/e": None, "/x y": b"sp"}

    @classmethod
    def setUpClass(cls):
        cls.images = {name: image(cls.FILES, blocks, block_size=size)
                      for name, (blocks, size) in cls.GEOMETRIES.items()}
        cls.corpora = {name: ext2img.corpus(data, 7) for name, data in cls.images.items()}

    def test_every_kind_applies_and_changes_the_image(self):
        self.assertEqual(len(ext2img.KINDS), 24)
        # With 4 KiB blocks the superblock is in block 0, which no pointer can name.
        no_4k = ("iblock_superblock", "indirect_superblock")
        for name, corpus in self.corpora.items():
            with self.subTest(name):
                self.assertEqual([kind for kind, _ in corpus],
                                 [k for k in ext2img.KINDS if name != "4k" or k not in no_4k])
                for kind, bad in corpus:
                    self.assertEqual(len(bad), len(self.images[name]))
                    self.assertNotEqual(bad, self.images[name], kind)

    def test_e2fsck_flags_every_kind(self):
        for name, corpus in self.corpora.items():
            for kind, bad in corpus:
                with self.subTest(name, kind=kind):
                    self.assertNotEqual(ext2img.fsck(bad), [])

    def test_readers_answer_on_every_kind(self):
        for kind, bad in self.corpora["1 group"]:
            with self.subTest(kind):
                for answer in (ext2img.stat(bad, "/big"), ext2img.read_file(bad, "/a/b/c"),
                               ext2img.listdir(bad, "/d"), ext2img.free_counts(bad)):
                    self.assertTrue(answer is None or isinstance(
                        answer, (Problem, bytes, list, dict, ext2img.FreeCounts)), answer)

    def test_the_same_seed_gives_the_same_corpus(self):
        data = self.images["1 group"]
        self.assertEqual(ext2img.corpus(data, 7), self.corpora["1 group"])
        other = ext2img.corpus(data, 8)
        self.assertNotEqual(other, self.corpora["1 group"])
        twice = ext2img.corpus(data, 7, per_kind=2)
        self.assertEqual(len(twice), 2 * len(ext2img.KINDS))
        self.assertEqual(twice[::2], self.corpora["1 group"])

    def test_a_challenge_can_choose_the_target(self):
        data = self.images["1 group"]
        for kind in ext2img.KINDS:
            with self.subTest(kind):
                self.assertEqual(ext2img.corrupt(data, kind, Challenge(3)),
                                 ext2img.corrupt(data, kind, Challenge(3)))

    def test_a_kind_without_a_target_says_so(self):
        small = image({"/f": b"x"}, blocks=256)
        for kind in ("indirect_past_end", "indirect_self"):
            with self.subTest(kind), self.assertRaises(ext2img.NotApplicable):
                ext2img.corrupt(small, kind, random.Random(1))
        kinds = [kind for kind, _ in ext2img.corpus(small, 1)]
        self.assertNotIn("indirect_self", kinds)
        self.assertIn("sb_bad_magic", kinds)
        with self.assertRaises(KeyError):
            ext2img.corrupt(small, "no_such_kind", random.Random(1))

    def test_huge_isize_is_past_the_largest_file(self):
        # At 4 KiB blocks 2**40 bytes is a legal sparse file; the kind must not be.
        for name, data in self.images.items():
            bad = dict(self.corpora[name])["huge_isize"]
            fs = ext2layout.Layout(bad)
            sizes = [ext2layout.u32(bad, fs.inode(n) + 4)
                     | ext2layout.u32(bad, fs.inode(n) + 108) << 32
                     for n in fs.used_inodes() if fs.mode(n) & 0o170000 == 0o100000]
            self.assertGreater(max(sizes), ext2corrupt.max_file_size(fs.block_size), name)

    def test_a_bad_primary_superblock_is_flagged_though_a_backup_is_good(self):
        bad = dict(self.corpora["2 groups"])["sb_bad_magic"]
        problems = ext2img.fsck(bad)
        self.assertTrue(any("trying backup blocks" in p for p in problems), problems)
        self.assertEqual(ext2img.fsck_repairable(bad), [])  # from the backup
        one_group = dict(self.corpora["1 group"])["sb_bad_magic"]
        self.assertIn("could not repair", ext2img.fsck_repairable(one_group)[0])

    def test_repair_may_take_e2fsck_two_runs(self):
        # rec_len 0 in the root's ".." entry: the first e2fsck -fy leaves errors, the
        # second mends them. (The same in a subdirectory's ".." e2fsck 1.47.0 never
        # mends: "Couldn't fix parent of inode 17".)
        data = self.images["1 group"]
        fs = ext2layout.Layout(data)
        e = next(e for e in fs.dirents(ext2layout.ROOT_INODE) if e.name == b"..")
        bad = bytearray(data)
        ext2layout.put16(bad, e.at + 4, 0)
        with ext2img._Image(bytes(bad)) as img:
            self.assertEqual(ext2img._e2fsck(img, "y")[0], 4)
        repaired, problems = ext2img.repair(bytes(bad))
        self.assertEqual(problems, [])
        self.assertEqual(ext2img.fsck(repaired), [])


@unittest.skipUnless(HAVE_TOOLS, "e2fsprogs is not installed (make deps)")
class Seeds(unittest.TestCase):
    def test_seeds_are_small_sound_images(self):
        with tempfile.TemporaryDirectory() as folder:
            paths = ext2img.seeds(Path(folder, "corpus"))
            self.assertEqual(sorted(p.name for p in paths), [
                "deep-1k.img", "dind-1k.img", "small-1k.img", "small-4k.img"])
            images = {p.name: p.read_bytes() for p in paths}
        for name, data in images.items():
            with self.subTest(name):
                self.assertLessEqual(len(data), 512 * 1024)
                self.assertEqual(ext2img.fsck(data), [])
        fs = ext2layout.Layout(images["dind-1k.img"])
        big = next(n for path, n, _ in fs.tree() if path == b"/big")
        self.assertNotEqual(fs.indirect(big, ext2layout.DIND), 0)
        self.assertEqual(ext2layout.Layout(images["small-4k.img"]).block_size, 4096)
        deep = ext2layout.Layout(images["deep-1k.img"]).tree()
        self.assertGreaterEqual(max(path.count(b"/") for path, _, _ in deep), 12)


GRADE = Path(__file__).resolve().parent.parent
USER_PATH = "/usr/local/bin:/usr/bin:/bin"  # a Debian user's: no sbin


@unittest.skipUnless(HAVE_TOOLS and not any(Path(d, "mke2fs").exists()
                                            for d in USER_PATH.split(":")),
                     "e2fsprogs is not installed, or is on a user's PATH")
class Deps(unittest.TestCase):
    """make deps and make doctor find e2fsprogs in sbin, off a user's PATH."""

    def run_script(self, name):
        with tempfile.TemporaryDirectory() as folder:
            for tool in ("apt-get", "sudo"):  # nothing is installed here
                script(folder, f"echo {tool} \"$@\"; exit 1")
                os.rename(Path(folder, "tool"), Path(folder, tool))
            ran = subprocess.run(["/bin/sh", str(GRADE / name)], capture_output=True,
                                 text=True, timeout=60,
                                 env={"PATH": f"{folder}:{USER_PATH}", "HOME": folder})
        return ran.stdout + ran.stderr

    def test_deps_does_not_reinstall_e2fsprogs(self):
        self.assertNotIn("e2fsprogs", self.run_script("deps.sh"))

    def test_doctor_finds_e2fsprogs(self):
        self.assertRegex(self.run_script("doctor.sh"), r"ok +e2fsprogs \d+\.\d+")


if __name__ == "__main__":
    unittest.main()
