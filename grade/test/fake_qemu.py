#!/usr/bin/env python3
"""A stand-in for qemu-system-x86_64 that plays one kind of kernel run.

It ignores every QEMU flag except -append, whose word fake=MODE picks the
behaviour (see MODES) and whose test= and nonce= words it echoes back in the
done line, exactly as the real kernel's serial protocol has it.
"""

import sys
import time

# What a healthy scenario prints; the engine tests expect these lines.
GREETING = "minim: booting"
WORK = "fake: doing the work"
FIGURE = "frame_ops=1234"
FORBIDDEN = "WARNING: frame leaked"


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


MODES = {mode.__name__: mode for mode in (
    ok, panic, exception, reset, hang, flood, badfigure, missing, forbidden,
    nonce, checkfail, badstatus)}


def main(argv):
    cmdline = argv[argv.index("-append") + 1]
    words = dict(word.split("=", 1) for word in cmdline.split() if "=" in word)
    return MODES[words["fake"]](words)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
