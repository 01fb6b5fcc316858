"""Hostile ext2 images: a sound image with one field made wrong, of a named kind, for
lab 8's file server to refuse (E_CORRUPT, never a fault or a hang) and for e2fsck to
flag.

What a reader must know: corrupt(data, kind, rng) changes one target that rng picks
among those the image offers (an inode, an entry, a group), so the same image, kind
and rng state give the same bytes; a kind the image holds no target for (no file with
an indirect block, say) raises NotApplicable. corrupt(..., under="/d") picks the
target of a file or entry kind below directory /d only (and reads nothing of the tree
outside it), so one image can take several kinds, each in a directory of its own. Every value written is wrong by the
format's own rules, not merely unusual. Field offsets are ext2layout.py's.

rng: a random.Random, or anything with challenge.Challenge's range(lo, hi).
"""

import random

from engine import ext2layout as layout
from engine.ext2layout import IND, S_IFDIR, S_IFMT, S_IFREG, SUPERBLOCK_AT, u16, u32


class NotApplicable(ValueError):
    """The image holds no target for this kind of corruption."""


def _index(rng, n):
    """A number from 0 to n - 1 drawn from rng."""
    if hasattr(rng, "randrange"):
        return rng.randrange(n)
    return rng.range(0, n - 1)


def _pick(rng, items, kind):
    items = list(items)
    if not items:
        raise NotApplicable(f"{kind}: the image has no target for it")
    return items[_index(rng, len(items))]


def _past_end(fs, rng):
    """A block number at or past the file system's end."""
    return _pick(rng, [fs.blocks_count, fs.blocks_count + 1 + _index(rng, 1 << 16),
                       0xFFFFFFFF], "past end")


def _top(fs):
    """The inode of the directory targets are chosen below (corrupt's under)."""
    n = layout.ROOT_INODE
    for name in [p for p in getattr(fs, "under", b"").split(b"/") if p]:
        n = next((e.inode for e in fs.dirents(n) if e.name == name), None)
        if n is None or fs.mode(n) & S_IFMT != S_IFDIR:
            raise NotApplicable(f"{fs.under!r} is not a directory of the image")
    return n


def _tree(fs):
    """(path, inode, mode) of everything below _top(fs), as Layout.tree() gives it."""
    out, seen, todo = [], set(), [(b"", _top(fs))]
    seen.add(todo[0][1])
    while todo:
        path, n = todo.pop(0)
        for e in fs.dirents(n):
            if e.name in (b".", b".."):
                continue
            mode = fs.mode(e.inode)
            out.append((path + b"/" + e.name, e.inode, mode))
            if mode & S_IFMT == S_IFDIR and e.inode not in seen:
                seen.add(e.inode)
                todo.append((path + b"/" + e.name, e.inode))
    return out


def _files(fs):
    return [n for _, n, mode in _tree(fs) if mode & S_IFMT == S_IFREG]


def _entries(fs):
    """(directory inode, Dirent) of every live entry reachable from _top(fs)."""
    dirs = [_top(fs)] + [n for _, n, mode in _tree(fs) if mode & S_IFMT == S_IFDIR]
    return [(d, e) for d in dict.fromkeys(dirs) for e in fs.dirents(d)]


def _named(fs):
    """Entries other than "." and ".."."""
    return [(d, e) for d, e in _entries(fs) if e.name not in (b".", b"..")]


# --- one function per kind: each changes fs.data (a bytearray) in place ----------

def iblock_past_end(fs, rng):
    """A direct block pointer of a file past the last block."""
    n = _pick(rng, [n for n in _files(fs) if fs.data_blocks(n)], "iblock_past_end")
    slot = _index(rng, len(fs.data_blocks(n)))
    layout.put32(fs.data, fs.inode(n) + 40 + 4 * slot, _past_end(fs, rng))


def _indirect_slot(fs, rng, kind):
    """(byte offset of a used pointer in a file's single indirect block, that block)."""
    n = _pick(rng, [n for n in _files(fs) if fs.indirect(n)], kind)
    block = fs.indirect(n)
    at = fs.block(block)
    used = [at + 4 * i for i in range(fs.block_size // 4) if u32(fs.data, at + 4 * i)]
    return _pick(rng, used, kind), block


def indirect_past_end(fs, rng):
    """A pointer in a file's single indirect block past the last block."""
    at, _ = _indirect_slot(fs, rng, "indirect_past_end")
    layout.put32(fs.data, at, _past_end(fs, rng))


def _superblock(fs, kind):
    """The superblock's block, which no file may hold (with 1 KiB blocks: block 1; with
    larger ones it is block 0, which a pointer cannot name: a 0 is a hole)."""
    if fs.first_data_block == 0:
        raise NotApplicable(f"{kind}: the superblock is in block 0 (a hole)")
    return fs.first_data_block


def iblock_superblock(fs, rng):
    """A direct block pointer of a file naming the superblock's block (a reader that
    trusts it shows the superblock as data; a writer overwrites it)."""
    block = _superblock(fs, "iblock_superblock")
    n = _pick(rng, [n for n in _files(fs) if fs.data_blocks(n)], "iblock_superblock")
    slot = _index(rng, len(fs.data_blocks(n)))
    layout.put32(fs.data, fs.inode(n) + 40 + 4 * slot, block)


def indirect_superblock(fs, rng):
    """A pointer in a file's single indirect block naming the superblock's block."""
    block = _superblock(fs, "indirect_superblock")
    at, _ = _indirect_slot(fs, rng, "indirect_superblock")
    layout.put32(fs.data, at, block)


def indirect_self(fs, rng):
    """A pointer in a file's single indirect block naming that indirect block."""
    at, block = _indirect_slot(fs, rng, "indirect_self")
    layout.put32(fs.data, at, block)


def _any_entry(fs, rng, kind, fits=lambda e: True):
    return _pick(rng, [e for _, e in _entries(fs) if fits(e)], kind)


def dirent_reclen_overrun(fs, rng):
    """An entry whose rec_len runs past the end of its block (still 4-aligned)."""
    e = _any_entry(fs, rng, "dirent_reclen_overrun")
    room = e.block_end - e.at
    layout.put16(fs.data, e.at + 4, min(room + 4 * (1 + _index(rng, 64)), 0xFFFC))


def dirent_reclen_overrun_small(fs, rng):
    """An entry after a block's first whose rec_len runs 4 to 12 bytes past the end of
    its block: still no more than a block (a check against the block's size, not its
    end, passes it)."""
    e = _any_entry(fs, rng, "dirent_reclen_overrun_small",
                   lambda e: e.at - (e.block_end - fs.block_size) >= 12)
    layout.put16(fs.data, e.at + 4, e.block_end - e.at + 4 * (1 + _index(rng, 3)))


def dirent_reclen_unaligned(fs, rng):
    """A block's last entry cut to its name plus 2 bytes (not a multiple of 4), and
    there an unused entry that ends the block: a chain that is sound but for the
    alignment, so only the check of rec_len % 4 finds it."""
    def fits(e):
        return (e.at + e.rec_len == e.block_end and
                e.rec_len >= 8 + ((8 + e.name_len + 3) & ~3) + 4)
    e = _any_entry(fs, rng, "dirent_reclen_unaligned", fits)
    cut = ((8 + e.name_len + 3) & ~3) + 2
    layout.put16(fs.data, e.at + 4, cut)
    rest = e.at + cut
    layout.put32(fs.data, rest, 0)
    layout.put16(fs.data, rest + 4, e.block_end - rest)
    fs.data[rest + 6] = fs.data[rest + 7] = 0


def dirent_reclen_zero(fs, rng):
    """An entry with rec_len 0 (a reader that trusts it never moves on)."""
    e = _any_entry(fs, rng, "dirent_reclen_zero")
    layout.put16(fs.data, e.at + 4, 0)


def dirent_reclen_short(fs, rng):
    """An entry whose rec_len is less than 8 + name_len (or than its 8-byte header)."""
    e = _any_entry(fs, rng, "dirent_reclen_short")
    layout.put16(fs.data, e.at + 4, _pick(rng, range(4, 8 + e.name_len, 4), "short"))


def dirent_namelen_overrun(fs, rng):
    """An entry whose name_len runs past its rec_len."""
    e = _any_entry(fs, rng, "dirent_namelen_overrun", lambda e: e.rec_len - 8 < 255)
    fs.data[e.at + 6] = e.rec_len - 8 + 1 + _index(rng, 255 - (e.rec_len - 8))


def dirent_namelen_overrun_small(fs, rng):
    """An entry whose name_len runs 1 to 8 bytes past its rec_len less the 8-byte
    head (a check that forgets the head passes it)."""
    e = _any_entry(fs, rng, "dirent_namelen_overrun_small", lambda e: e.rec_len - 8 < 255)
    fs.data[e.at + 6] = e.rec_len - 8 + 1 + _index(rng, min(8, 255 - (e.rec_len - 8)))


def _subdirectory(fs, rng, kind):
    """(directory, entry) of an entry naming a subdirectory."""
    return _pick(rng, [(d, e) for d, e in _named(fs)
                       if fs.mode(e.inode) & S_IFMT == S_IFDIR], kind)


def dir_loop_root(fs, rng):
    """A subdirectory's entry pointing back at the root: a walk down never ends."""
    _, e = _subdirectory(fs, rng, "dir_loop_root")
    layout.put32(fs.data, e.at, layout.ROOT_INODE)


def dir_loop_self(fs, rng):
    """A subdirectory's entry pointing at the directory holding it."""
    d, e = _subdirectory(fs, rng, "dir_loop_self")
    layout.put32(fs.data, e.at, d)


def dirent_inode_zero(fs, rng):
    """A named entry whose inode is 0, while its inode keeps its link: the inode is
    left unreachable with a link count that counts the entry."""
    _, e = _pick(rng, _named(fs), "dirent_inode_zero")
    layout.put32(fs.data, e.at, 0)


def dirent_inode_past_end(fs, rng):
    """A named entry whose inode is past s_inodes_count."""
    _, e = _pick(rng, _named(fs), "dirent_inode_past_end")
    layout.put32(fs.data, e.at, _pick(rng, [fs.inodes_count + 1, 0xFFFFFFFF,
                                            fs.inodes_count + 1 + _index(rng, 1 << 20)],
                                      "inode"))


def max_file_size(block_size):
    """The largest i_size the block map can reach (12 direct blocks, then single,
    double and triple indirect ones), as e2fsck reckons it."""
    k = block_size // 4
    return (12 + k + k * k + k * k * k) * block_size


def huge_isize(fs, rng):
    """A file whose i_size (with i_size_high) is past the largest the format allows
    at this block size (a smaller one is a legal sparse file)."""
    n = _pick(rng, _files(fs), "huge_isize")
    top = max_file_size(fs.block_size)
    size = _pick(rng, [(1 << 63) - 1, (1 << 64) - 1, top + fs.block_size,
                       top + 1 + _index(rng, 1 << 30)], "size")
    at = fs.inode(n)
    layout.put32(fs.data, at + 4, size)
    layout.put32(fs.data, at + 108, size >> 32)


def _descriptor_past_end(fs, rng, field):
    group = _index(rng, fs.groups)
    layout.put32(fs.data, fs.descriptor(group) + field, _past_end(fs, rng))


def gd_block_bitmap_past_end(fs, rng):
    """A group whose block bitmap is past the last block."""
    _descriptor_past_end(fs, rng, 0)


def gd_inode_bitmap_past_end(fs, rng):
    """A group whose inode bitmap is past the last block."""
    _descriptor_past_end(fs, rng, 4)


def gd_inode_table_past_end(fs, rng):
    """A group whose inode table starts past the last block."""
    _descriptor_past_end(fs, rng, 8)


def sb_log_block_size_huge(fs, rng):
    """s_log_block_size beyond 64 KiB blocks (the format's largest, 6)."""
    layout.put32(fs.data, SUPERBLOCK_AT + 24,
                 _pick(rng, [7, 31, 64, 0xFFFFFFFF, 7 + _index(rng, 1000)], "log"))


def sb_inodes_per_group_zero(fs, rng):
    """s_inodes_per_group 0 (a reader dividing by it divides by zero)."""
    layout.put32(fs.data, SUPERBLOCK_AT + 40, 0)


def sb_blocks_per_group_zero(fs, rng):
    """s_blocks_per_group 0."""
    layout.put32(fs.data, SUPERBLOCK_AT + 32, 0)


def sb_bad_magic(fs, rng):
    """s_magic with one bit changed."""
    layout.put16(fs.data, SUPERBLOCK_AT + 56, layout.MAGIC ^ (1 << _index(rng, 16)))


CORRUPTIONS = {f.__name__: f for f in (
    iblock_past_end, indirect_past_end, indirect_self,
    dirent_reclen_overrun, dirent_reclen_zero, dirent_reclen_short,
    dirent_namelen_overrun, dir_loop_root, dir_loop_self,
    iblock_superblock, indirect_superblock, dirent_reclen_overrun_small,
    dirent_reclen_unaligned, dirent_namelen_overrun_small,
    dirent_inode_zero, dirent_inode_past_end, huge_isize,
    gd_block_bitmap_past_end, gd_inode_bitmap_past_end, gd_inode_table_past_end,
    sb_log_block_size_huge, sb_inodes_per_group_zero, sb_blocks_per_group_zero,
    sb_bad_magic)}
KINDS = tuple(CORRUPTIONS)


def describe(kind):
    """One line on what kind breaks."""
    return " ".join(CORRUPTIONS[kind].__doc__.split())


def corrupt(data, kind, rng, under=None):
    """data (a sound image) with one target of kind made wrong; under (a directory's
    path): a file or entry below it. Raises KeyError for an unknown kind,
    NotApplicable when data has no target for it, and layout.Ext2Error when data is
    not a sound image to begin with (below under, with under)."""
    change = CORRUPTIONS[kind]
    image = bytearray(data)
    fs = layout.Layout(image)
    fs.under = under.encode() if under else b""
    # Each kind writes a value a sound image cannot hold there, so the result differs.
    change(fs, rng)
    return bytes(image)


def corpus(data, seed, per_kind=1):
    """[(kind, image)]: per_kind corruptions of data for each kind it has a target
    for, in KINDS order, the same for the same data and seed."""
    out = []
    for kind in KINDS:
        rng = random.Random(f"{seed}/{kind}")
        for _ in range(per_kind):
            try:
                out.append((kind, corrupt(data, kind, rng)))
            except NotApplicable:
                break
    return out
