"""Lab 8's planted bugs: what students write in record_ok(), add_record(), the block map
walk of ext2_bmap(), bit_take(), the clock's victim() and the client's fs_read() and
fs_write() when they get it almost right.

Each must fail a lab-8 test (grade/mutate.py); the text it replaces must occur exactly
once in its file, so a change to the reference that moves it makes the set stale, loudly.
"""

from mutate import Mutant

DIR = "user/fs/dir.c"
INODE = "user/fs/inode.c"
ALLOC = "user/fs/alloc.c"
CACHE = "user/fs/cache.c"
CLIENT = "user/lib/fs_client.c"

MUTANTS = [
    # Checking a directory record: each check a little off.
    Mutant("dirent_no_align_check", DIR, "d->rec_len % 4 == 0 &&", "",
           "accepts a rec_len that is not a multiple of 4"),
    Mutant("dirent_reclen_vs_block_size", DIR, "d->rec_len <= fs->block_size - off",
           "d->rec_len <= fs->block_size",
           "checks rec_len against the block's size, not its end"),
    Mutant("dirent_namelen_strict", DIR, "d->name_len <= d->rec_len - DIRENT_HEAD",
           "d->name_len < d->rec_len - DIRENT_HEAD",
           "refuses a name that fills its record exactly"),
    Mutant("dirent_namelen_no_head", DIR, "d->name_len <= d->rec_len - DIRENT_HEAD",
           "d->name_len <= d->rec_len",
           "lets the name run over the record's end by the head's 8 bytes"),
    # A name into a directory block.
    Mutant("add_used_unaligned", DIR,
           "uint32_t used = d->inode ? record_len(d->name_len) : 0;",
           "uint32_t used = d->inode ? 8u + d->name_len : 0;",
           "splits after the name without rounding to 4"),
    Mutant("add_fit_ignores_used", DIR, "if (d->rec_len < used + need)",
           "if (d->rec_len < need)",
           "fits the new name against the whole record, not its slack"),
    Mutant("add_no_shrink", DIR,
           "n->rec_len = (uint16_t)(d->rec_len - used);\n\t\td->rec_len = (uint16_t)used;",
           "n->rec_len = (uint16_t)(d->rec_len - used);",
           "leaves the old record spanning the new one"),
    Mutant("add_split_order", DIR,
           "n->rec_len = (uint16_t)(d->rec_len - used);\n\t\td->rec_len = (uint16_t)used;",
           "d->rec_len = (uint16_t)used;\n\t\tn->rec_len = (uint16_t)(d->rec_len - used);",
           "shrinks the old record before taking the rest from it"),
    Mutant("add_unused_split", DIR, "\tif (used) {\n\t\tn = (struct ext2_dirent *)",
           "\t{\n\t\tn = (struct ext2_dirent *)",
           "splits an unused record as if it held a name"),
    Mutant("add_no_type", DIR, "\tn->file_type = a->type;\n", "",
           "leaves the record's file type as it was"),
    # The block map walk.
    Mutant("bmap_hole_not_zero", INODE,
           "\t\tif (!alloc) {\n\t\t\t*out = 0;\n\t\t\treturn 0;\n\t\t}",
           "\t\tif (!alloc) {\n\t\t\t*out = block + 1;\n\t\t\treturn 0;\n\t\t}",
           "a hole in i_block read as a block, not zeros"),
    Mutant("bmap_indirect_hole_not_zero", INODE,
           "\t\tif (next == 0) {\n\t\t\t*out = 0;",
           "\t\tif (next == 0) {\n\t\t\t*out = block;",
           "a hole behind an indirect block read as the indirect block"),
    Mutant("bmap_one_level_short", INODE, "level <= levels; level++",
           "level < levels; level++", "walks one level fewer than the path has"),
    Mutant("bmap_byte_index", INODE, "uint32_t *slot = (uint32_t *)b->data + index[level];",
           "uint32_t *slot = (uint32_t *)(b->data + index[level]);",
           "indexes an indirect block by bytes, not pointers"),
    Mutant("bmap_no_dirty", INODE, "\t\t\t\t*slot = next;\n\t\t\t\tcache_dirty(fs->cache, b);",
           "\t\t\t\t*slot = next;",
           "stores a new pointer in an indirect block without marking it dirty"),
    Mutant("bmap_pin_leak", INODE,
           "\t\tcache_put(fs->cache, b);\n\t\tif (err)\n\t\t\treturn err;",
           "\t\tif (err)\n\t\t\treturn err;\n\t\tcache_put(fs->cache, b);",
           "keeps an indirect block pinned when its pointer is bad"),
    Mutant("bmap_no_indirect_check", INODE,
           "if ((err = pointer_ok(fs, next)) == 0 && next == 0 && alloc)",
           "if (next == 0 && alloc)",
           "follows a pointer from an indirect block unchecked"),
    Mutant("bmap_no_root_check", INODE,
           "\tif ((err = pointer_ok(fs, block)))\n\t\treturn err;\n\tif (block == 0) {",
           "\tif (block == 0) {",
           "follows a pointer of i_block unchecked"),
    # Finding a free bit.
    Mutant("bit_no_wrap", ALLOC, "uint32_t bit = (from + i) % bits;",
           "uint32_t bit = from + i;\n\t\tif (bit >= bits)\n\t\t\tbreak;",
           "searches from the hint to the end and never wraps to the start"),
    Mutant("bit_msb_first", ALLOC,
           "if (!(map[bit / 8] & (1u << (bit % 8)))) {\n\t\t\tmap[bit / 8] |= (uint8_t)(1u << (bit % 8));",
           "if (!(map[bit / 8] & (0x80u >> (bit % 8)))) {\n\t\t\tmap[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));",
           "numbers the bits of a byte from the top"),
    Mutant("bit_return_step", ALLOC, "\t\t\treturn bit;", "\t\t\treturn i;",
           "returns the step of the search, not the bit"),
    Mutant("bit_not_set", ALLOC, "\t\t\tmap[bit / 8] |= (uint8_t)(1u << (bit % 8));\n", "",
           "finds a clear bit but does not set it"),
    # The clock's choice of a victim.
    Mutant("clock_never_clears", CACHE, "\t\t\tat->referenced = false;         /* its second chance */\n",
           "", "never clears the referenced bit"),
    Mutant("clock_no_second_chance", CACHE, "if (at->valid && at->referenced) {",
           "if (at->valid && at->referenced && 0) {", "ignores the referenced bit (FIFO)"),
    # No boot test sees this one (the server holds a pin across one miss at most, so
    # no sweep passes a pinned block twice): the host test cache_pins_hold does.
    Mutant("clock_evicts_pinned", CACHE, "\t\tif (at->pins)\n\t\t\tcontinue;\n", "",
           "evicts a pinned block"),
    Mutant("clock_one_turn", CACHE, "step < 2 * c->count && !b", "step < c->count && !b",
           "gives up after one turn of the hand"),
    Mutant("clock_hand_from_zero", CACHE,
           "struct cache_block *at = &c->slot[c->hand];\n\t\tc->hand = (c->hand + 1) % c->count;",
           "struct cache_block *at = &c->slot[step % c->count];",
           "starts every sweep at slot 0"),
    # The client's read and write through the shared page.
    Mutant("read_same_offset", CLIENT,
           "unsigned long w[3] = { (unsigned long)handle, offset + done, n };",
           "unsigned long w[3] = { (unsigned long)handle, offset, n };",
           "asks every piece of a long read from the first offset"),
    Mutant("read_copy_to_start", CLIENT, "memcpy((char *)buf + done, c->page, (size_t)r);",
           "memcpy(buf, c->page, (size_t)r);", "copies every piece to the buffer's start"),
    Mutant("read_counts_asked", CLIENT, "done += (unsigned long)r;\n\t\tif ((unsigned long)r < n)\n\t\t\tbreak;          /* the end of the file */",
           "done += n;\n\t\tif ((unsigned long)r < n)\n\t\t\tbreak;          /* the end of the file */",
           "counts the bytes asked, not those the server gave"),
    Mutant("read_whole_len", CLIENT,
           "unsigned long w[3] = { (unsigned long)handle, offset + done, n };",
           "unsigned long w[3] = { (unsigned long)handle, offset + done, len - done };",
           "asks the whole rest, not at most a page"),
    Mutant("write_same_offset", CLIENT,
           "offset == FS_APPEND ? FS_APPEND : offset + done, n };",
           "offset == FS_APPEND ? FS_APPEND : offset, n };",
           "writes every piece of a long write at the first offset"),
    Mutant("write_append_offset", CLIENT,
           "offset == FS_APPEND ? FS_APPEND : offset + done, n };", "offset + done, n };",
           "adds to FS_APPEND as if it were an offset"),
    Mutant("write_copy_from_start", CLIENT, "memcpy(c->page, (const char *)buf + done, n);",
           "memcpy(c->page, buf, n);", "sends the buffer's first piece every time"),
    Mutant("write_append_end", CLIENT,
           "last = offset == FS_APPEND ? m.mr1 : offset + done;", "last = offset + done;",
           "reports an append's end as FS_APPEND + its length"),
]
