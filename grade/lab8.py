"""Lab 8's score sheet: the file server — ext2 over a block cache, over the block server.

The grader boots the root task (build/user/utest.elf) with sigma0, the bootfs and a
virtio disk holding an ext2 image that mke2fs made from seeded files
(engine/ext2img.py). The scenarios (user/tests/lab8_fs.c) start the pm, bin/blk and
bin/fs, connect to the file server like any client, and print what it gave them:
sizes, error codes and digests of file contents, which the grader computes from the
same seed. After QEMU exits the grader reads the image on the host with e2fsprogs:
what the guest wrote must be there, byte for byte, and `e2fsck -fn` must find the
file system clean.

Every test is a seeded challenge (engine/challenge.py): each function below draws in
the order its scenario does.
"""

from functools import partial

import re

from engine import ext2img, ext2layout
from engine.challenge import DIGEST_START, Challenge, digest
from engine.disk import Disk
from engine.root_task import root_task_test
from lab8_shell import (SHELL_PROGRAMS, SHELL_SECTORS, shell_check, shell_dialog,
                        shell_expect, shell_files)

E_INVAL = -1
E_NOENT = -4
E_EXISTS = -3
E_NOTDIR = -21
E_ISDIR = -22
E_NOTEMPTY = -23
MUST_NOT = [r"must not appear", r"^pm: .*ended \(-11\)", r"^fs: .*stopping$"]
TIMEOUT = 30
DISK_BLOCKS = 8192                  # 1 KiB blocks: an 8 MiB image
DISK_SECTORS = DISK_BLOCKS * 2
CHUNK_MAX = 16384                   # the scenarios' io buffer

fs_test = partial(root_task_test, 8, sigma0=True, bootfs=True, forbid=MUST_NOT,
                  timeout=TIMEOUT)


def content(key, size):
    """The seeded bytes of a file (lab8_fs.c's content()): word j of the sequence of
    key ^ j, little-endian."""
    words = (size + 7) // 8
    raw = b"".join(Challenge(key ^ j).next().to_bytes(8, "little") for j in range(words))
    return raw[:size]


def file_digest(data):
    """lab8_fs.c's fd_end(): the bytes as little-endian words, zero-padded, then the
    length."""
    padded = data + bytes(-len(data) % 8)
    words = [int.from_bytes(padded[i:i + 8], "little") for i in range(0, len(padded), 8)]
    return digest([*words, len(data)])


FS_UP = [r"^blk: \d+ sectors, interrupt line \d+$",
         r"^fs: ext2, 1024-byte blocks, \d+ of \d+ free, \d+ of \d+ inodes free; cache 256 "
         r"blocks$",
         r"^fs: connected -> 0$"]


def read_lines(c, path, data):
    """read_whole()'s line for a file of these bytes (it draws its chunk sizes)."""
    at = 0
    while True:
        want = c.range(1, CHUNK_MAX)
        n = min(want, len(data) - at)
        if n <= 0:
            last = 0
            break
        at += n
    return (rf"^read: {path}: open -> 0, {len(data)} bytes \(size {len(data)}, stat 0: "
            rf"{len(data)}\), last read {last}, digest {file_digest(data):x}; close -> 0$")


def read_plan(c):
    n = c.range(6, 9)
    plan = []
    fixed = [0, 1, 1024, 12 * 1024 + 1, 300 * 1024]
    for i in range(n):
        key, size = c.next(), c.next()
        size = fixed[i] if i < len(fixed) else size % 70000 + 1
        plan.append((f"/data/f{i}", content(key, size)))
    return plan


def files_read(c):
    plan = read_plan(c)
    return [*FS_UP, *(read_lines(c, path, data) for path, data in plan),
            rf"^read: a missing file -> {E_NOENT}, a file as a directory -> {E_NOTDIR}, "
            rf"a directory for writing -> {E_ISDIR}$"]


def files_read_image(c):
    return {path: data for path, data in read_plan(c)}


def files_read_4k(c):
    return [*fs_up(block=4096), *files_read(c)[len(FS_UP):]]


def sparse_blocks(offsets, size=3000, bs=1024):
    """Blocks of a file with size bytes at each offset: data, then the indirect blocks
    the block map needs for them (as ext2 counts them, 512-byte sectors / 2)."""
    p = bs // 4
    data = sorted({b for off in offsets for b in range(off // bs, (off + size - 1) // bs + 1)})
    single, double, triple = set(), set(), set()
    for b in data:
        if b < 12:
            continue
        b -= 12
        if b < p:
            single.add(0)
            continue
        b -= p
        if b < p * p:
            double.add(("root",))
            double.add(b // p)
            continue
        b -= p * p
        triple.add(("root",))
        triple.add(("mid", b // (p * p)))
        triple.add(("leaf", b // p))
    return len(data) + len(single) + len(double) + len(triple)


def files_sparse(c):
    c.next()
    bases = [5 << 10, 100 << 10, 1 << 20, 70 << 20]
    offsets = [b + c.range(0, 4000) for b in bases]
    end = offsets[-1] + 3000
    return [*FS_UP,
            rf"^sparse: 4 pieces of 3000 bytes up to {end}: 0 wrong, 0 holes not zeros; "
            rf"size {end}, {2 * sparse_blocks(offsets)} sectors$",
            r"^sparse: sync -> 0; cut to 0 -> 0; unlink -> 0; blocks back: yes, inodes "
            r"back: yes$"]


WRITE_SIZES = [0, 1, 1024, 12 * 1024 + 1, 300 * 1024]


def write_plan(c):
    keys = [c.next() for _ in range(6)]
    last = c.range(2, 80000)
    return [(f"/out/w{i}", content(keys[i], WRITE_SIZES[i] if i < 5 else last))
            for i in range(6)]


def write_lines(c, path, data):
    at, n = 0, 0
    while at < len(data):
        n = min(c.range(1, CHUNK_MAX), len(data) - at)
        at += n
    return (rf"^write: {path}: open -> 0, {len(data)} bytes written \(last {n}\); "
            rf"close -> 0$")


APPEND_SALT = 0xa99e4d              # lab8_fs.c's: the appends' own sequence


def append_plan(c):
    """files_write's appends: their sizes and the bytes of all three."""
    key0 = Challenge(c.seed).next()
    a = Challenge(key0 ^ APPEND_SALT)
    key = a.next()
    sizes = [a.range(1, CHUNK_MAX) for _ in range(3)]
    return sizes, content(key, sum(sizes))


def files_write(c):
    plan = write_plan(c)
    sizes, _ = append_plan(c)
    ends = [sum(sizes[:i + 1]) for i in range(3)]
    return [*FS_UP, *(write_lines(c, p, d) for p, d in plan),
            *(read_lines(c, p, d) for p, d in plan),
            rf"^write: /out/app: 3 appends put {ends[2]} bytes, ending at {ends[0]}, "
            rf"{ends[1]} and {ends[2]}$", r"^write: sync -> 0$"]


def files_write_check(c, image):
    problems = ext2img.fsck(image)
    _, appended = append_plan(c)
    for path, data in [*write_plan(c), ("/out/app", appended)]:
        got = ext2img.read_file(image, path)
        if isinstance(got, ext2img.Problem):
            problems.append(f"{path}: {got}")
        elif got is None:
            problems.append(f"{path} is not on the disk")
        elif got != data:
            same = next((i for i, (a, b) in enumerate(zip(got, data)) if a != b),
                        min(len(got), len(data)))
            problems.append(f"{path} on the disk: {len(got)} bytes, not the {len(data)} "
                            f"written; the first difference at byte {same}")
    return problems


def no_files(c):
    return {"/README": b"lab 8\n"}


def fs_up(cache=256, block=1024):
    return [FS_UP[0], FS_UP[1].replace("cache 256", f"cache {cache}").replace(
        "1024-byte", f"{block}-byte"), FS_UP[2]]


def many_plan(c):
    n = c.range(150, 300)
    files = []
    for _ in range(n):
        name, key, size = c.next(), c.next(), c.range(0, 64)
        files.append((f"n{name >> (name % 48):x}", content(key, size)))
    return files


def files_many(c):
    files = many_plan(c)
    names = sum(len(n) for n, _ in files) + 3    # "." and ".."
    return [*FS_UP, rf"^many: {len(files)} of {len(files)} made; readdir: {len(files) + 2} "
            rf"entries \({len(files)} files\), {names} bytes of names; 0 read back wrong; "
            r"sync -> 0$",
            rf"^many: {len(files)} unlinked, 2 entries left; {len(files)} made again; "
            rf"readdir: {len(files) + 2} entries; the directory's size the same: yes; "
            r"sync -> 0$"]


def record_bytes(name):
    return (8 + len(name) + 3) & ~3


def files_many_check(c, image):
    files = many_plan(c)
    problems = ext2img.fsck(image)
    listed = ext2img.listdir(image, "/many")
    if isinstance(listed, ext2img.Problem) or listed is None:
        return problems + [f"/many: {listed or 'not on the disk'}"]
    want = sorted(n for n, _ in files)
    if sorted(listed) != want:
        problems.append(f"/many on the disk holds {len(listed)} names, not the "
                        f"{len(want)} made")
    st = ext2img.stat(image, "/many")
    # Records are packed into blocks: a block holds at least (1024 - 264) bytes of
    # them, so the directory needs no more blocks than that allows (plus its first).
    total = sum(record_bytes(n) for n in [".", "..", *want])
    most = total // (1024 - 264) + 2
    if isinstance(st, dict) and st["size"] > most * 1024:
        problems.append(f"/many takes {st['size'] // 1024} blocks for {total} bytes of "
                        f"records: a new name must go into a block's free space")
    for name, data in files[:: max(1, len(files) // 20)]:
        got = ext2img.read_file(image, f"/many/{name}")
        if got != data:
            problems.append(f"/many/{name} on the disk is not what was written")
    return problems


def files_dirs(c):
    key, size = c.next(), c.range(1, 3000)
    return [*FS_UP,
            rf"^dirs: mkdir /a -> 0, again -> {E_EXISTS}, /a/b -> 0; /a/b/x: wrote {size}$",
            rf"^dirs: rmdir /a -> {E_NOTEMPTY}, unlink /a -> {E_ISDIR}, rmdir a file -> "
            rf"{E_NOTDIR}, a file as a directory -> {E_NOTDIR}, mkdir in nothing -> {E_NOENT}$",
            rf"^dirs: rename x -> y 0, x then -> {E_NOENT}; mkdir /a/c -> 0, rename to /a/d "
            rf"-> 0, rmdir -> 0$",
            rf"^dirs: stat /a -> 0: 3 links; a 256-byte name -> {E_NAMETOOLONG}, mkdir /a/.. "
            rf"-> {E_EXISTS}, unlink /a/b/. -> {E_INVAL}$",
            read_lines(c, "/a/b/y", content(key, size)), r"^dirs: sync -> 0$"]


E_NAMETOOLONG = -26


def files_dirs_check(c, image):
    key, size = c.next(), c.range(1, 3000)
    problems = ext2img.fsck(image)
    for path, want in (("/a", ["b"]), ("/a/b", ["y"])):
        got = ext2img.listdir(image, path)
        if not isinstance(got, list) or sorted(got) != want:
            problems.append(f"{path} on the disk holds {got}, not {want}")
    st = ext2img.stat(image, "/a")
    if not isinstance(st, dict) or st["links"] != 3:
        problems.append(f"/a on the disk: {st}; it must have 3 links")
    if ext2img.read_file(image, "/a/b/y") != content(key, size):
        problems.append("/a/b/y on the disk is not what was written as /a/b/x")
    return problems


def file_blocks(size, bs=1024):
    """Blocks a file of size bytes takes on ext2: data and the indirect blocks."""
    d, p = -(-size // bs), bs // 4
    blocks = d
    if d > 12:
        blocks += 1
    if d > 12 + p:
        blocks += 1 + -(-(d - 12 - p) // p)
    return blocks


def files_unlink(c):
    n = c.range(3, 6)
    lines, used = [], 1         # /t's block
    for i in range(n):
        key, size = c.next(), c.range(0, 400 * 1024)
        lines.append(write_lines(c, f"/t/u{i}", content(key, size)))
        used += file_blocks(size)
    return [*FS_UP, *lines,
            rf"^unlink: the files and /t took {used} blocks and {n + 1} inodes; "
            rf"rmdir -> 0; after: 0 blocks and 0 inodes more than before; sync -> 0$"]


def files_unlink_check(c, image):
    problems = ext2img.fsck(image)
    before = ext2img.free_counts(ext2img.build(no_files(c), DISK_BLOCKS))
    after = ext2img.free_counts(image)
    if isinstance(after, ext2img.Problem):
        return problems + [after]
    if after != before:
        problems.append(f"free counts on the disk {tuple(after)}, not {tuple(before)} as "
                        "before the files were made and unlinked")
    if ext2img.listdir(image, "/t") is not None:
        problems.append("/t is still on the disk")
    return problems


def files_cache(c):
    c.next()
    reads = c.range(200, 400)
    for _ in range(reads):
        c.range(0, (2 << 20) - 4096)
    rounds = c.range(20, 30)
    return [*fs_up(200),
            rf"^cache: 2 MiB written \(0 short\), sync -> 0; {reads} reads at random, 0 "
            r"wrong; the cache holds 200 blocks and missed more than that: yes$",
            rf"^cache: a hot 32 KiB read between streams, {rounds} rounds: fewer misses than "
            r"rounds after the second: yes$"]


def files_cache_check(c, image):
    key = c.next()
    problems = ext2img.fsck(image)
    if ext2img.read_file(image, "/big") != content(key, 2 << 20):
        problems.append("/big on the disk is not the 2 MiB written")
    return problems


def cleanup_plan(c):
    key, n, mine = c.next(), c.range(50, 64), c.range(1, 40)
    return content(key, c.range(1, 4096)), n, mine


def files_cleanup(c):
    data, n, mine = cleanup_plan(c)
    return [*FS_UP,
            rf"t8: holding {n} of {n}; the file's {len(data)} bytes have digest "
            rf"{digest(list(data)):x}$",
            rf"^cleanup: 2 sessions, {n + mine} files open$",
            rf"^cleanup: kill -> 0, wait -> 0 \(-9\); then 1 sessions, {mine} files open, "
            r"1 sessions ended by a death$"]


def files_cleanup_image(c):
    data, _, _ = cleanup_plan(c)
    return {"/held": data, "/README": b"lab 8\n"}


def clean(c, image):
    return ext2img.fsck(image)


# --- a full disk ----------------------------------------------------------------------

E_NOSPC = -24
FULL_SECTORS = 4096                 # 2 MiB: filled in a few seconds


def full_plan(c):
    return c.next(), c.next(), c.range(20000, 60000)      # /a's key, /b's, /a's size


def files_full(c):
    _, _, asize = full_plan(c)
    return [*fs_up(cache=16),
            rf"^full: /a took {asize} bytes; /b took [1-9]\d* bytes until a write came "
            rf"short, then {E_NOSPC}; 0 blocks free$",
            rf"^full: unlink /a -> 0, {file_blocks(asize)} blocks free; /b took [1-9]\d* "
            rf"bytes more, then {E_NOSPC}; 0 blocks free; sync -> 0$"]


def files_full_check(c, image):
    """/b on the disk is its content as far as it goes, and nothing is free."""
    _, bkey, _ = full_plan(c)
    problems = ext2img.fsck(image)
    got = ext2img.read_file(image, "/b")
    if not isinstance(got, bytes) or got != content(bkey, len(got)):
        problems.append("/b on the disk is not the bytes written to it")
    counts = ext2img.free_counts(image)
    if not isinstance(counts, ext2img.Problem) and counts.blocks != 0:
        problems.append(f"the disk's superblock counts {counts.blocks} free blocks, not 0")
    return problems


# --- mapped files: the file server as a pager -----------------------------------------

def mmap_plan(c):
    fkey, size, key = c.next(), c.range(5000, 100000), c.next()
    return content(fkey, size), key


def files_mmap(c):
    data, key = mmap_plan(c)
    pages = -(-len(data) // 4096)
    t = Challenge(key)
    page = t.range(0, (len(data) - 1) // 4096)
    t.next()
    return [*FS_UP,
            rf"t8: mmap /data/m -> 0: {len(data)} bytes read through {pages} faults, digest "
            rf"{file_digest(data):x}$",
            rf"t8: mmap: wrote 8 bytes at page {page} \(8\); the mapping shows them: yes, "
            r"1 more fault$",
            rf"^mmap: t8 ended with 0; the server filled {pages + 1} pages for it$"]


def files_mmap_image(c):
    data, _ = mmap_plan(c)
    return {"/data/m": data, "/README": b"lab 8\n"}


# --- the power cut --------------------------------------------------------------------

def churn_plan(c):
    key, synced = c.next(), c.range(3, 12)
    c.range(1, 40)
    sizes = Challenge(key)
    return synced, [(f"/churn/c{i}", content(key ^ i, sizes.range(1, 32768)))
                    for i in range(synced)]


def files_powercut(c):
    synced, _ = churn_plan(c)
    return [*FS_UP, rf"^powercut: {synced} files written \(0 bad\), synced \(0\)$",
            rf"t8: churn from c{synced} on$", r"^powercut: the power goes now$"]


def files_powercut_check(c, image):
    """What was synced is there; the rest may be lost, but e2fsck must be able to
    repair what the cut left (and the synced files must survive the repair too)."""
    _, files = churn_plan(c)
    repaired, problems = ext2img.repair(image)
    if problems:
        return [f"after the cut, e2fsck -fy cannot repair the disk: {p}" for p in problems]
    for path, data in files:
        for name, img in (("the disk", image), ("the repaired disk", repaired)):
            if ext2img.read_file(img, path) != data:
                problems.append(f"{path}, written and synced before the cut, is not on "
                                f"{name} as written")
    return problems


# --- hostile disks (engine/ext2corrupt.py): fields made wrong, each kind on its own ----

HOSTILE_DIRS = ("dirent_reclen_overrun", "dirent_reclen_zero", "dirent_reclen_short",
                "dirent_namelen_overrun", "dirent_inode_past_end",
                "dirent_reclen_overrun_small", "dirent_reclen_unaligned",
                "dirent_namelen_overrun_small")
HOSTILE_BLOCKS = ("iblock_past_end", "indirect_past_end", "iblock_superblock",
                  "indirect_superblock")
HOSTILE_BOUNDED = ("indirect_self", "huge_isize", "dir_loop_root", "dir_loop_self")
# The group descriptors are read through the cache, so the refusal needs the lab's
# code. (A bad superblock is refused before there is a cache: the kit's host tests and
# fuzzer cover those kinds, not a lab test, which a stubbed handout would pass.)
HOSTILE_MOUNT = ("gd_block_bitmap_past_end", "gd_inode_bitmap_past_end",
                 "gd_inode_table_past_end")


def hostile_files(c):
    """A small tree with something for every kind to damage: directories two deep,
    files with and without an indirect block."""
    key = c.next()
    files = {"/README": b"lab 8\n", "/d1/d2/deep": content(key, 300), "/d1/empty": None}
    for i in range(c.range(3, 6)):
        files[f"/d1/f{i}"] = content(key ^ i, c.range(1, 20000))
    files["/big"] = content(key ^ 0xb1, 40000)         # single indirect
    return files


def hostile_kind(c, kinds):
    return kinds[c.range(0, len(kinds) - 1)]


def hostile_fill(kinds):
    def fill_disk(c, buf):
        kind = hostile_kind(c, kinds)
        image = ext2img.build(hostile_files(c), len(buf) // 1024)
        image = ext2img.corrupt(image, kind, c)
        buf[:len(image)] = image
        buf[len(image):] = bytes(len(buf) - len(image))
    return fill_disk


def hostile(kinds):
    """files_hostile's line: the walk ends, the server answers (what errors the damage
    gives is the kind's to choose)."""
    def expect(c):
        first = Challenge(c.seed)                  # the scenario's own draws
        opens = first.range(5, 60)
        left = opens - first.range(0, opens - 1)
        kind = hostile_kind(c, kinds)
        assert kind in kinds
        return [*FS_UP,
                r"^hostile: \d+ entries, \d+ files read \(\d+ bytes\), \d+ errors, \d+ "
                r"of them E_CORRUPT; a new file -> (written|refused); the server still "
                rf"answers: 0, {opens} opens, {left} open$"]
    return expect


# An indirect block's damage is made in 12 places, /kind/gG/xX (the walk follows 8
# subdirectories at most): 12 refusals that each left a block pinned exhaust 16 blocks.
INDIRECT_PLACES = [f"g{g}/x{x}" for g in range(6) for x in range(2)]


def each_places(kind):
    return INDIRECT_PLACES if kind.startswith("indirect_") else [""]


def each_files(c, kinds):
    """A directory per kind, named after it, with something in it for the kind to
    damage: entries two deep, files with and without an indirect block."""
    key = c.next()
    files = {"/README": b"lab 8\n"}
    for i, kind in enumerate(kinds):
        k = key ^ (i << 16)
        files[f"/{kind}/d/deep"] = content(k, 300)
        files[f"/{kind}/d/e"] = None
        for j in range(c.range(2, 4)):
            files[f"/{kind}/f{j}"] = content(k ^ j, c.range(1, 12000))
        for j, place in enumerate(each_places(kind)):
            files[f"/{kind}/{place}/big".replace("//", "/")] = content(
                k ^ 0xb1 ^ (j << 8), c.range(13 * 1024, 20000))
    return files


def each_fill(kinds):
    """Every kind at once, each below its own directory."""
    def fill_disk(c, buf):
        image = ext2img.build(each_files(c, kinds), len(buf) // 1024)
        for kind in kinds:
            for place in each_places(kind):
                image = ext2img.corrupt(image, kind, c, under=f"/{kind}/{place}".rstrip("/"))
        buf[:len(image)] = image
        buf[len(image):] = bytes(len(buf) - len(image))
    return fill_disk


def hostile_each(kinds):
    """files_hostile_each's lines: E_CORRUPT in each kind's directory, the same each walk."""
    def expect(c):
        first = Challenge(c.seed)                  # the scenario's own draws
        opens = first.range(5, 60)
        left = opens - first.range(0, opens - 1)
        again = first.range(8, 16)
        dirs = sorted([*kinds, "lost+found"])
        lines = [*fs_up(cache=16)]
        for name in dirs:
            # Every error in a damaged directory is E_CORRUPT; lost+found has none.
            found = r"0 files read \(0 bytes\), 0 errors, 0" if name == "lost+found" else \
                r"\d+ files read \(\d+ bytes\), (?P<e>[1-9]\d*) errors, <<e>>"
            lines.append(rf"^hostile: /{re.escape(name)}: \d+ entries, {found} of them "
                         r"E_CORRUPT, 0 E_NOMEM$")
        return [*lines,
                rf"^hostile: {len(dirs)} directories walked {again} more times: the same "
                r"answers each time: yes$",
                r"^hostile: a new file -> (written|refused); the server still answers: 0, "
                rf"{opens} opens, {left} open$"]
    return expect


def bad_descriptor(image):
    """(group, block) of the first group descriptor naming a block past the disk."""
    lay = ext2layout.Layout(image)
    for g in range(lay.groups):
        at = lay.descriptor(g)
        for field in (0, 4, 8):         # block bitmap, inode bitmap, inode table
            block = ext2layout.u32(image, at + field)
            if block >= lay.blocks_count:
                return g, block, lay.blocks_count
    raise ValueError("no damaged descriptor")


def hostile_mount(c):
    image = bytearray(DISK_SECTORS * 512)
    hostile_fill(HOSTILE_MOUNT)(Challenge(c.seed), image)
    group, block, blocks = bad_descriptor(bytes(image))
    hostile_kind(c, HOSTILE_MOUNT)
    return [r"^blk: \d+ sectors, interrupt line \d+$",
            rf"^fs: the disk's group descriptors are damaged \({E_CORRUPT}\): group {group} "
            rf"names block {block} of {blocks}: stopping$",
            rf"^fs: connected -> {E_NOENT}$", r"^hostile: no file server to ask$"]


E_CORRUPT = -27
HOSTILE_FORBID = [r"must not appear", r"^pm: .*ended \(-11\)", r"^pm: process .* ended"]

TESTS = [
    fs_test("files_read", 15,
            "files the grader put on an ext2 disk (0 B to 300 KiB: direct, indirect and "
            "double-indirect blocks) read back byte for byte in odd-sized pieces",
            files_read,
            disk=Disk(DISK_SECTORS, ext2img.fill(files_read_image))),
    fs_test("files_write", 20,
            "files of 0 B, 1 B, 1 KiB, 12 KiB + 1, 300 KiB and a seeded size written in "
            "odd-sized pieces, read back, synced; on the host e2fsck -fn is clean and "
            "each file is there byte for byte",
            files_write,
            disk=Disk(DISK_SECTORS, ext2img.fill(no_files), files_write_check)),
    fs_test("files_many", 10,
            "150 to 300 files made in one directory, listed by readdir (with their "
            "types) and found again; each new name goes into free space in the "
            "directory's blocks; all unlinked and made again, into the same blocks",
            files_many, disk=Disk(DISK_SECTORS, ext2img.fill(no_files), files_many_check)),
    fs_test("files_dirs", 15,
            "mkdir, rmdir, rename and unlink with the errors of Unix (exists, not empty, "
            "is a directory, not a directory, no such file, name too long); the tree and "
            "link counts on the host are right",
            files_dirs, disk=Disk(DISK_SECTORS, ext2img.fill(no_files), files_dirs_check)),
    fs_test("files_unlink", 10,
            "files unlinked give back exactly the blocks (indirect ones too) and inodes "
            "they took, on the server and in the disk's free counts",
            files_unlink,
            disk=Disk(DISK_SECTORS, ext2img.fill(no_files), files_unlink_check)),
    fs_test("files_cache", 15,
            "a 2 MiB file through a 200-block cache: read back at random, every byte "
            "right, blocks replaced; on the disk after sync",
            files_cache, disk=Disk(DISK_SECTORS, ext2img.fill(no_files), files_cache_check)),
    fs_test("files_cleanup", 10,
            "a process killed while it holds 50 or more open files: the server ends its "
            "session and closes them all",
            files_cleanup, disk=Disk(DISK_SECTORS, ext2img.fill(files_cleanup_image), clean)),
    fs_test("shell_session", 20,
            "make run's system typed at: the shell, loaded from the seeded ext2 disk with "
            "its programs, runs cat, redirections both ways, mkdir, mv, cd, ls -l, rm and "
            "$?; shutdown syncs, and on the host the image is clean and holds what was "
            "written",
            shell_expect, scenario="system_shell", dialog=shell_dialog,
            disk=Disk(SHELL_SECTORS, ext2img.fill(shell_files, programs=SHELL_PROGRAMS),
                      shell_check),
            forbid=[*MUST_NOT, r"^sh: .*: (fault|killed|out of memory)$", r"\[cut\]"]),
    fs_test("hostile_dirs", 15,
            "directory records made wrong on the disk, each kind in a directory named "
            "after it (rec_len past the block, a little past it, 0, too short, not a "
            "multiple of 4; a name past its record, a little past it; an inode past the "
            "table): the server says E_CORRUPT in every one, the same each time, never "
            "hangs or crashes, and goes on serving",
            hostile_each(HOSTILE_DIRS), scenario="files_hostile_each",
            disk=Disk(DISK_SECTORS, each_fill(HOSTILE_DIRS))),
    fs_test("hostile_blocks", 10,
            "block pointers made wrong, each kind in a directory named after it (past "
            "the disk's end, or naming the superblock; in an inode or an indirect "
            "block): E_CORRUPT in every one, the same each time through a 16-block cache "
            "(nothing left pinned), and the server goes on serving",
            hostile_each(HOSTILE_BLOCKS), scenario="files_hostile_each",
            disk=Disk(DISK_SECTORS, each_fill(HOSTILE_BLOCKS))),
    fs_test("hostile_bounded", 10,
            "an indirect block naming itself, a size past the format's largest, a "
            "directory naming its own ancestor: every walk ends, the server answers",
            hostile(HOSTILE_BOUNDED), scenario="files_hostile",
            disk=Disk(DISK_SECTORS, hostile_fill(HOSTILE_BOUNDED))),
    fs_test("hostile_mount", 5,
            "a group descriptor whose bitmap or inode table is past the disk: the server "
            "refuses the disk with E_CORRUPT and stops cleanly",
            hostile_mount, scenario="files_hostile",
            disk=Disk(DISK_SECTORS, hostile_fill(HOSTILE_MOUNT)), forbid=HOSTILE_FORBID),
    fs_test("files_powercut", 15,
            "a power cut while the server writes back: every file synced before it is "
            "on the disk byte for byte, and e2fsck can repair the rest",
            files_powercut, disk=Disk(DISK_SECTORS, ext2img.fill(no_files),
                                      files_powercut_check)),
    fs_test("files_full", 10,
            "a 2 MiB disk written full (a short write, then E_NOSPC); a file near the "
            "start unlinked and the big file grown into its blocks, which lie before "
            "the big file's own: the search for a free block wraps round; on the host "
            "e2fsck -fn is clean and nothing is free",
            files_full, disk=Disk(FULL_SECTORS, ext2img.fill(no_files), files_full_check)),
    fs_test("files_mmap", 15,
            "a file mapped into a process: each page arrives by a page fault that the file "
            "server answers from its cache (the external pager), and a write to the file "
            "shows through the mapping",
            files_mmap, disk=Disk(DISK_SECTORS, ext2img.fill(files_mmap_image), clean)),
    fs_test("files_read_4k", 10,
            "the same files on a disk of 4 KiB blocks (an indirect block holds 1024 "
            "pointers), read back byte for byte",
            files_read_4k, scenario="files_read",
            disk=Disk(DISK_SECTORS, ext2img.fill(files_read_image, block_size=4096))),
    fs_test("files_sparse", 10,
            "bytes written in the direct blocks and behind the single, double and triple "
            "indirect blocks (70 MiB into the file) read back, holes as zeros, the "
            "indirect blocks counted; cut to 0, every block comes back",
            files_sparse, disk=Disk(DISK_SECTORS, ext2img.fill(no_files), clean)),
]
