"""The ext2 images the host side of lab 8 starts from (make ext2-fuzz, make unit): the
fuzzer's seeds and the unit test's fresh disks, written by mke2fs through
engine/ext2img.py.

    ext2seeds.py OUT      OUT/seeds/: ext2img.seeds(), one image of two groups,
                          and ext2img.corpus() of each (every kind of damage
                          ext2corrupt knows, one of each),
                          each without its trailing zeros (the harness puts them
                          back: ext2_harness.h's harness_disk_size);
                          OUT/fresh-1k.img, OUT/fresh-4k.img: empty file systems

What a reader must know: the same e2fsprogs gives the same bytes on every run (see
ext2img's docstring), so a seed that found a bug finds it again; OUT/seeds is made
afresh, and nothing else in OUT (the fuzzer's corpus, crash inputs) is touched.
"""

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import ext2img  # noqa: E402

CORPUS_SEED = 8                 # any fixed value: the same damaged images every run
GROUPS_FILES = {"/a/f": b"group\n" * 100, "/b/g": bytes(range(256)) * 90, "/c": None,
                "/d/e/h": b"h\n"}
FRESH = {"fresh-1k.img": (4096, 1024), "fresh-4k.img": (1024, 4096)}   # blocks, size


def write(out):
    out = Path(out)
    seeds = out / "seeds"
    shutil.rmtree(seeds, ignore_errors=True)
    images = ext2img.seeds(seeds)
    # ext2img's seeds are one group each: one of two groups too, for the searches
    # that go from group to group (bitmaps, inode tables, descriptors).
    images.append(seeds / "groups-1k.img")
    images[-1].write_bytes(ext2img.build(GROUPS_FILES, 512, inodes=64, blocks_per_group=256))
    for path in images:
        sound = path.read_bytes()
        for i, (kind, data) in enumerate(ext2img.corpus(sound, CORPUS_SEED)):
            (seeds / f"{path.stem}-{i:02d}-{kind}.img").write_bytes(data.rstrip(b"\0"))
        path.write_bytes(sound.rstrip(b"\0"))
    for name, (blocks, size) in FRESH.items():
        (out / name).write_bytes(ext2img.build({}, blocks, block_size=size))
    return len(list(seeds.iterdir()))


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    print(f"ext2 seeds: {write(argv[1])} images in {argv[1]}/seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
