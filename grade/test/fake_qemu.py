#!/usr/bin/env python3
"""A stand-in for qemu-system-x86_64 that plays one kind of kernel run.

It ignores every QEMU flag except -append, whose word fake=MODE picks the
behaviour (see MODES) and whose test= and nonce= words it echoes back in the
done line, exactly as the real kernel's serial protocol has it, and -drive: with
a disk image it first prints the image's path and size, and mode `disk` writes
to it as a guest's driver would.
"""

import sys
import time
from pathlib import Path

# What a healthy scenario prints; the engine tests expect these lines.
GREETING = "minim: booting"
WORK = "fake: doing the work"
FIGURE = "frame_ops=1234"
FORBIDDEN = "WARNING: frame leaked"
DISK_SECTOR = 512


def say(line):
    print(line, flush=True)


def done(words):
    say(f"ktest: {words['test']} done nonce={words['nonce']}")


def ok(words):
    say(GREETING)
    say(WORK)
    say(FIGURE)
    done(words)
    return 1


def panic(words):
    say(GREETING)
    say("PANIC: something broke")
    return 5


def exception(words):
    say(GREETING)
    say("EXCEPTION: #PF page fault (vector 14, error 0x2)")
    say("rip=0xffffffff80001234 rsp=0xffffffff80200000 cr2=0x0")
    say("PANIC: unhandled CPU exception")
    return 5


def reset(words):
    say(GREETING)
    return 0  # what QEMU reports for a triple fault under -no-reboot


def hang(words):
    say(GREETING)
    while True:
        time.sleep(60)


def flood(words):
    while True:
        say("flood " * 20)


def badfigure(words):
    say(GREETING)
    say(WORK)
    say("frame_ops=999999")
    done(words)
    return 1


def missing(words):
    say(GREETING)
    say(FIGURE)
    done(words)
    return 1


def forbidden(words):
    say(GREETING)
    say(FORBIDDEN)
    say(WORK)
    say(FIGURE)
    done(words)
    return 1


def nonce(words):
    say(GREETING)
    say(WORK)
    say(FIGURE)
    done(dict(words, nonce="0123456789abcdef"))
    return 1


def checkfail(words):
    say(GREETING)
    say("ktest FAIL: kmalloc returned NULL")
    return 3


def badstatus(words):
    ok(words)
    return 3


def disk(words):
    """Copy the image's sector 0 over sector 1, then finish as ok does."""
    image = words["image"]
    with open(image, "r+b") as f:
        first = f.read(DISK_SECTOR)
        f.seek(DISK_SECTOR)
        f.write(first)
    say(f"fake: copied sector 0 to sector 1 of {image}")
    return ok(words)


# The twin modes (engine/twin.py) look at other=1, the twin boot's argument: a kernel
# taking the other path says so (TWIN_PROOF), and prints its figure differently.
TWIN_PROOF = "fake: the other path"


def _twin(words, changed):
    other = words.get("other") == "1"
    say(GREETING)
    if other and changed != "noproof":
        say(TWIN_PROOF)
    say(f"boot: loader 'fake', command line 'test={words['test']}"
        f"{' other=1' if other else ''}'")
    say(f"fake: nonce {words['nonce']}")
    say(WORK)
    say(f"fake: order {'b a' if other and changed == 'order' else 'a b'}")
    say(f"frame_ops={4321 if other else 1234}")
    if other and changed == "panic":
        say("PANIC: only on the other path")
        return 5
    if not (other and changed == "short"):
        say("fake: the last word")
    done(words)
    return 1


def twin_same(words):
    return _twin(words, "")


def twin_order(words):
    return _twin(words, "order")


def twin_short(words):
    return _twin(words, "short")


def twin_noproof(words):
    return _twin(words, "noproof")


def twin_panic(words):
    return _twin(words, "panic")


MODES = {mode.__name__: mode for mode in (
    ok, panic, exception, reset, hang, flood, badfigure, missing, forbidden,
    nonce, checkfail, badstatus, disk, twin_same, twin_order, twin_short, twin_noproof,
    twin_panic)}


def drive_file(argv):
    """The file= of the -drive option, commas undoubled as QEMU reads it, or None."""
    if "-drive" not in argv:
        return None
    options = argv[argv.index("-drive") + 1].replace(",,", "\0").split(",")
    files = [o[len("file="):] for o in options if o.startswith("file=")]
    return files[0].replace("\0", ",") if files else None


def main(argv):
    cmdline = argv[argv.index("-append") + 1]
    words = dict(word.split("=", 1) for word in cmdline.split() if "=" in word)
    image = drive_file(argv)
    if image is not None:
        say(f"fake: disk {image} {Path(image).stat().st_size} bytes")
        words["image"] = image
    return MODES[words["fake"]](words)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
