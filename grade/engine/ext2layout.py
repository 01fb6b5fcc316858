"""Where ext2's fields lie in an image: the superblock, group descriptors, inodes and
directory entries, read with struct (and written back by ext2corrupt and ext2img).

What a reader must know: this is not a file-system implementation. It reads only the
fields the grader's own tools need (to make a fresh image's owners and times fixed, to
find what to corrupt), trusts nothing it reads (every offset is checked against the
image, a bad one raises Ext2Error) and assumes the layout mke2fs makes: revision 1,
block groups with 32-byte descriptors, no extents, no 64bit feature. Offsets follow the
on-disk format (the kernel's Documentation/filesystems/ext2 and ext2_fs.h):

  superblock, always at byte 1024, 1024 bytes:
    0 s_inodes_count   4 s_blocks_count    12 s_free_blocks_count  16 s_free_inodes_count
    20 s_first_data_block   24 s_log_block_size (block size = 1024 << it)
    32 s_blocks_per_group   40 s_inodes_per_group   56 s_magic (u16, 0xEF53)
    76 s_rev_level   84 s_first_ino   88 s_inode_size (u16)
  group descriptor, 32 bytes each, in the block after the superblock's
  (s_first_data_block + 1):
    0 bg_block_bitmap   4 bg_inode_bitmap   8 bg_inode_table
    12 bg_free_blocks_count (u16)   14 bg_free_inodes_count (u16)
  inode n (from 1) of s_inode_size bytes, at index (n - 1) % s_inodes_per_group of the
  inode table of group (n - 1) // s_inodes_per_group:
    0 i_mode (u16)  2 i_uid (u16)  4 i_size  8 i_atime  12 i_ctime  16 i_mtime
    24 i_gid (u16)  26 i_links_count (u16)  28 i_blocks (512-byte units)
    40 i_block[15]: 12 direct, then single, double, triple indirect
    108 i_size_high   120 l_i_uid_high (u16)   122 l_i_gid_high (u16)
    128 i_extra_isize (u16; the bytes used past 128)   132 i_ctime_extra
    136 i_mtime_extra   140 i_atime_extra   144 i_crtime   148 i_crtime_extra
  directory entry, 4-byte aligned, never across a block:
    0 inode   4 rec_len (u16)   6 name_len (u8)   7 file_type (u8)   8 name
"""

import struct
from dataclasses import dataclass

SUPERBLOCK_AT = 1024
MAGIC = 0xEF53
ROOT_INODE = 2
DESCRIPTOR_BYTES = 32
DIRENT_HEADER = 8
N_DIRECT = 12
IND, DIND, TIND = 12, 13, 14     # indices of the indirect pointers in i_block

S_IFMT, S_IFDIR, S_IFREG = 0o170000, 0o040000, 0o100000


class Ext2Error(ValueError):
    """The image does not hold the structure asked for (or holds a broken one)."""


def u16(data, at):
    return struct.unpack_from("<H", data, at)[0]


def u32(data, at):
    return struct.unpack_from("<I", data, at)[0]


def put16(data, at, value):
    struct.pack_into("<H", data, at, value & 0xFFFF)


def put32(data, at, value):
    struct.pack_into("<I", data, at, value & 0xFFFFFFFF)


@dataclass(frozen=True)
class Dirent:
    at: int          # byte offset of the entry in the image
    inode: int
    rec_len: int
    name_len: int
    file_type: int
    name: bytes
    block_end: int   # byte offset of the end of the block holding it


class Layout:
    """The geometry of one image, read from its superblock; raises Ext2Error if the
    superblock cannot describe an image of this size."""

    def __init__(self, data):
        if len(data) < SUPERBLOCK_AT + 1024:
            raise Ext2Error("image smaller than its superblock")
        sb = SUPERBLOCK_AT
        if u16(data, sb + 56) != MAGIC:
            raise Ext2Error("no ext2 magic")
        log = u32(data, sb + 24)
        if log > 6:
            raise Ext2Error(f"s_log_block_size {log}")
        self.data = data
        self.block_size = 1024 << log
        self.inodes_count = u32(data, sb + 0)
        self.blocks_count = u32(data, sb + 4)
        self.first_data_block = u32(data, sb + 20)
        self.blocks_per_group = u32(data, sb + 32)
        self.inodes_per_group = u32(data, sb + 40)
        self.inode_size = u16(data, sb + 88) if u32(data, sb + 76) >= 1 else 128
        if not self.blocks_per_group or not self.inodes_per_group:
            raise Ext2Error("zero blocks or inodes per group")
        if self.inode_size < 128 or self.inode_size > self.block_size:
            raise Ext2Error(f"s_inode_size {self.inode_size}")
        if self.blocks_count * self.block_size > len(data):
            raise Ext2Error("s_blocks_count past the image")
        self.groups = -(-(self.blocks_count - self.first_data_block)
                        // self.blocks_per_group)
        self.descriptors_at = (self.first_data_block + 1) * self.block_size

    def block(self, n):
        """Byte offset of block n (Ext2Error if past the file system)."""
        if not 0 < n < self.blocks_count:
            raise Ext2Error(f"block {n} outside 1..{self.blocks_count - 1}")
        return n * self.block_size

    def descriptor(self, group):
        """Byte offset of group's descriptor."""
        if not 0 <= group < self.groups:
            raise Ext2Error(f"group {group} of {self.groups}")
        return self.descriptors_at + group * DESCRIPTOR_BYTES

    def inode(self, n):
        """Byte offset of inode n (from 1)."""
        if not 1 <= n <= self.inodes_count:
            raise Ext2Error(f"inode {n} outside 1..{self.inodes_count}")
        group, index = divmod(n - 1, self.inodes_per_group)
        table = u32(self.data, self.descriptor(group) + 8)
        at = self.block(table) + index * self.inode_size
        if at + self.inode_size > len(self.data):
            raise Ext2Error(f"inode {n} past the image")
        return at

    def mode(self, n):
        return u16(self.data, self.inode(n))

    def used_inodes(self):
        """Inode numbers whose inode is in use (links, or a mode), from 1 on."""
        for n in range(1, self.inodes_count + 1):
            at = self.inode(n)
            if u16(self.data, at + 26) or u16(self.data, at):
                yield n

    def data_blocks(self, n):
        """The block numbers i_block names directly (non-zero), in order."""
        at = self.inode(n) + 40
        return [b for b in struct.unpack_from(f"<{N_DIRECT}I", self.data, at) if b]

    def indirect(self, n, which=IND):
        """i_block[which] of inode n (0 if none)."""
        return u32(self.data, self.inode(n) + 40 + 4 * which)

    def dirents(self, n):
        """The live entries of directory inode n's direct blocks, in order; stops at a
        block whose entries do not chain to its end (Ext2Error)."""
        out = []
        for b in self.data_blocks(n):
            start = self.block(b)
            end = start + self.block_size
            at = start
            while at < end:
                if at + DIRENT_HEADER > end:
                    raise Ext2Error(f"entry at {at} crosses its block")
                ino, rec_len, name_len, ftype = struct.unpack_from("<IHBB", self.data, at)
                if rec_len < DIRENT_HEADER or rec_len % 4 or at + rec_len > end \
                        or DIRENT_HEADER + name_len > rec_len:
                    raise Ext2Error(f"entry at {at}: rec_len {rec_len}, name_len {name_len}")
                if ino:
                    name = bytes(self.data[at + 8:at + 8 + name_len])
                    out.append(Dirent(at, ino, rec_len, name_len, ftype, name, end))
                at += rec_len
        return out

    def tree(self):
        """(path, inode, mode) of every file and directory reachable from the root,
        parents first, each directory once."""
        out, seen, todo = [], {ROOT_INODE}, [(b"", ROOT_INODE)]
        while todo:
            path, n = todo.pop(0)
            for e in self.dirents(n):
                if e.name in (b".", b".."):
                    continue
                child = path + b"/" + e.name
                mode = self.mode(e.inode)
                out.append((child, e.inode, mode))
                if mode & S_IFMT == S_IFDIR and e.inode not in seen:
                    seen.add(e.inode)
                    todo.append((child, e.inode))
        return out
